//! `stages/etl.yaml`: what the ETL is told about a log (its columns' names, date order and
//! bounds, duplicates, id spellings, credits, a weekday business's month-ends) and where it reads
//! and writes.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ingest::Rules;
use super::layout::{self, Aliases};
use super::{credits, parse};

/// Which of the source's files an `etl` node loads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Log {
    /// The training sales log.
    #[default]
    SalesLog,
    /// The holdout log (validation labels), built with exactly the same rules.
    Holdout,
}

fn default_date_min() -> Option<String> {
    Some("2000-01-01".into())
}
fn default_bad_date_share() -> f64 {
    0.05
}
fn default_ragged_row_share() -> f64 {
    0.05
}
fn default_bad_number_share() -> f64 {
    0.02
}
fn default_blank_id_share() -> f64 {
    0.25
}
fn default_fuzzy() -> Option<f64> {
    Some(0.9)
}
fn default_max_field() -> usize {
    1 << 20
}

/// File locations, for `gosales etl build-star --config` only (in a pipeline they come from the
/// node's inputs and outputs). Relative paths are relative to the current directory.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    pub sales_log: PathBuf,
    #[serde(default)]
    pub enrichment: Option<PathBuf>,
    pub sku_map: PathBuf,
    #[serde(default)]
    pub sku_overrides: Option<PathBuf>,
    #[serde(default = "d_star")]
    pub star: PathBuf,
    #[serde(default = "d_qa")]
    pub qa: PathBuf,
    #[serde(default = "d_staging")]
    pub staging: PathBuf,
}
fn d_star() -> PathBuf {
    "outputs/star".into()
}
fn d_qa() -> PathBuf {
    "outputs/qa".into()
}
fn d_staging() -> PathBuf {
    "outputs/staging".into()
}

/// What to do with a line that repeats an earlier one byte for byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Duplicates {
    #[default]
    Drop,
    Keep,
}

/// What to do with a customer id's leading zeros (`00123`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Zeros {
    /// Ids as written: `00123` and `123` are two customers (warned of when both occur).
    #[default]
    Keep,
    /// An id of digits loses its leading zeros: `00123` is customer `123`.
    Strip,
}

/// How customer ids are compared: as written, or, for a log whose only customer column is a
/// name, by their words (`ACME Corp`, `Acme Corp.` and `acme  corp` are customer `acme corp`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spelling {
    #[default]
    Exact,
    /// Lower case, every run of other characters than letters and digits one space.
    Words,
}

/// How a long log's cost column writes a cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostSign {
    #[default]
    Positive,
    Negative,
}

/// `stages/etl.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub paths: Option<Paths>,
    /// Accepted headers for each canonical column.
    #[serde(default)]
    pub aliases: Aliases,
    /// Rows dated before `date_min` or after `date_max` (YYYY-MM-DD) are dropped and reported.
    #[serde(default = "default_date_min")]
    pub date_min: Option<String>,
    #[serde(default)]
    pub date_max: Option<String>,
    /// `auto` (the default), `wide` (a GP and a Qty column per SKU) or `long` (one row per
    /// product line): how the log is laid out. `init` writes the shape it found.
    #[serde(default)]
    pub shape: layout::Shape,
    /// `mdy` (`6/30/2024`, the default) or `dmy` (`30/06/2024`): which comes first in a numeric
    /// date with slashes or dashes. Never guessed per row: `05/06/2024` is one day or the other.
    #[serde(default)]
    pub date_order: parse::DateOrder,
    /// Above this share of unparseable dates the date column is not trusted: blocking.
    #[serde(default = "default_bad_date_share")]
    pub max_bad_date_share: f64,
    /// Above this share of rows whose field count is not the header's (an unquoted `,` in an
    /// amount), the file is not trusted: blocking.
    #[serde(default = "default_ragged_row_share")]
    pub max_ragged_row_share: f64,
    /// Above this many unreadable values (`US$12.50`, `#N/A`: each read as 0) per row of the
    /// log, its value columns are not trusted: blocking. A year's file written in another
    /// money format would otherwise load as a year of no sales.
    #[serde(default = "default_bad_number_share")]
    pub max_bad_number_share: f64,
    /// Above this share of rows with a blank customer id the id column is not trusted:
    /// blocking. Each such row is dropped; a log that names its customer on an order's first
    /// line only, or an id column that is mostly blank, would otherwise lose most of its sales
    /// with a warning.
    #[serde(default = "default_blank_id_share")]
    pub max_blank_id_share: f64,
    /// Minimum normalised Levenshtein similarity for a fuzzy industry match; null turns it off.
    #[serde(default = "default_fuzzy")]
    pub fuzzy_threshold: Option<f64>,
    /// Fields longer than this many bytes are read as empty (and reported).
    #[serde(default = "default_max_field")]
    pub max_field_bytes: usize,
    /// `drop` (the default): a line repeating an earlier one byte for byte is an export
    /// duplicate, dropped and counted. `keep`: it is loaded (still reported), for logs whose
    /// invoices list one item on several identical lines and carry no line id (with a line-id
    /// column an identical line is the same line: dropped either way).
    #[serde(default)]
    pub exact_duplicates: Duplicates,
    /// `keep` (the default): customer ids as written. `strip`: an id of digits loses its
    /// leading zeros, for logs whose older exports pad them (`00123`, then `123` after a
    /// migration) or whose holdout was written another way; `init` sets it when it finds that.
    #[serde(default)]
    pub customer_id_leading_zeros: Zeros,
    /// `exact` (the default): ids as written. `words`: ids compared by their words, case and
    /// punctuation aside, for a log that names its customers instead of numbering them; the id
    /// is then that key (`acme corp`). `init` sets it when the ids are names written several
    /// ways.
    #[serde(default)]
    pub customer_id_spelling: Spelling,
    /// A prefix customer ids were once written with (`C-` of `C-0001`, when later exports
    /// write `0001`): an id of the prefix and digits is read without it, so the customer's
    /// sales before and after are one history. `init` sets it when ids of the prefix have
    /// twins of bare digits.
    #[serde(default)]
    pub customer_id_prefix: Option<String>,
    /// The business sells no weekends: a log whose last sale is on the Friday before a weekend
    /// month-end runs through that month-end (`star/extent.json`), so a label window ending
    /// then is whole, not censored. `init` sets it for a log with no weekend sales.
    #[serde(default)]
    pub closed_on_weekends: bool,
    /// The day the extract runs through (YYYY-MM-DD), when its last sale is before it: a log cut
    /// at a month-end whose last weeks were quiet (a holiday) is whole to that day, so a label
    /// window ending then is not censored, and `latest` scores as of it. A later last sale
    /// wins (the holdout, read with these params, runs past it). `init` sets it when the
    /// holdout starts the month after the log's last sale.
    #[serde(default)]
    pub data_through: Option<String>,
    /// Each row's date stands for its month (a monthly summary dated on the month's first day,
    /// `2023-05-01`): read as the month's last day, so a month-end cutoff sees whole months.
    /// `init` sets it when every row of a log is on a month's first day.
    #[serde(default)]
    pub dates_are_months: bool,
    /// `positive` (the default): a long log's cost column (`aliases.cost`) writes costs as
    /// positive numbers, and GP is revenue less cost. `negative`: it writes them negative (as
    /// some ERPs export `Cost Amount (Actual)`), and GP is revenue plus it. `init` sets it from
    /// the costs' signs.
    #[serde(default)]
    pub cost_sign: CostSign,
    /// A long log's `gross_profit` column holds a price per unit (Xero's invoice export has
    /// `UnitAmount` and `Quantity`, and no line total): a line's value is it times the line's
    /// quantity (then less its cost, if `aliases.cost` names one). `init` sets it when a unit
    /// price is the log's only line value.
    #[serde(default)]
    pub value_per_unit: bool,
    /// A long log's cost column (`aliases.cost`) is a cost per unit (`Unit Cost`, `Standard
    /// Cost`): a line's cost is it times the line's quantity. `init` sets it when the cost
    /// column's name says so and the log has a quantity column.
    #[serde(default)]
    pub cost_per_unit: bool,
    /// A long log's discount column (`aliases.discount`) writes the share off as a fraction
    /// (`0.2` for 20%, as Northwind's `Discount`), not a percentage. `init` sets it when every
    /// discount it sampled is at most 1.
    #[serde(default)]
    pub discount_fraction: bool,
    /// A document-type column and its values that mean a credit memo (`{column: "Document
    /// Type", values: ["Credit Memo"]}`): those rows' GP and quantity are read as negative, for
    /// ERPs that export credits unsigned. `init` sets it when it finds such a column.
    #[serde(default)]
    pub credit_documents: Option<credits::CreditDocuments>,
    /// A line of negative quantity is a return whose GP is written unsigned: its GP is read as
    /// negative (a positive GP beside a negative quantity would count a return as a sale).
    /// `init` sets it when most negative-quantity lines carry a positive GP.
    #[serde(default)]
    pub returns_by_quantity: bool,
    /// Sales written as negative amounts: Sage 50's sales journal credits each income account,
    /// so an invoice's lines are negative and a credit memo's positive. Every line's value is
    /// read with its sign turned (before `returns_by_quantity` and `credit_documents`). `init`
    /// sets it when four lines in five or more of a log's are negative.
    #[serde(default)]
    pub values_negative: bool,
    /// A long log writes money in cents (Stripe: an `amount` of `80343` is $803.43): every
    /// line's value, and its cost, is read divided by 100. `init` sets it for a log of whole
    /// amounts beside a `currency` column of Stripe's lower-case codes (`usd`), or in a column
    /// whose name says cents (Recurly's `subtotal_in_cents`).
    #[serde(default)]
    pub amounts_in_cents: bool,
    /// Beside values in cents (`amounts_in_cents`), the cost column is written in the
    /// currency (`cost` of `12.50` beside an `amount_cents` of `2000`): only the values are
    /// divided by 100. `init` sets it when the name of the cost column does not say cents and
    /// its costs are under a fiftieth of their lines' values on most lines.
    #[serde(default)]
    pub cost_in_currency: bool,
    /// Files of a log's folder that hold returns or credits written with positive amounts
    /// (`[returns.csv]` beside `sales.csv`), by their name in the folder: their rows' GP and
    /// quantity are read as negative. `init` sets it for files named so whose amounts are
    /// positive. A name no file of the log has is no error (a holdout may lack it).
    #[serde(default)]
    pub credit_parts: Vec<String>,
    /// A status column and its values that mean no sale (`{column: "Status", values:
    /// ["Cancelled", "Open"]}`): those rows are dropped and counted. `init` sets it when it
    /// finds such a column beside posted orders.
    #[serde(default)]
    pub excluded_statuses: Option<super::statuses::ExcludedStatuses>,
    /// Documents that are no sale: a document-type column and its values whose rows are
    /// dropped, counted (quotes, estimates, pro formas, payment receipts, delivery notes, and
    /// sales orders beside the invoices they became). `init` sets it.
    #[serde(default)]
    pub excluded_documents: Option<super::statuses::ExcludedStatuses>,
    /// Publish the curated tables despite blocking violations (recorded in the QA report).
    #[serde(default)]
    pub fail_soft: bool,
    /// In a pipeline: which of the source's files to load, by role (`holdout` builds the
    /// holdout star with exactly the same rules).
    #[serde(default)]
    pub log: Log,
    /// In a pipeline: load this upstream file by name instead of by role.
    #[serde(default)]
    pub sales_log_file: Option<String>,
}

fn date(s: &Option<String>, key: &str) -> Result<Option<chrono::NaiveDate>, String> {
    s.as_deref()
        .map(|d| crate::stages::source::date(d, key))
        .transpose()
}

impl Params {
    /// [`Params::data_through`], read.
    pub(super) fn data_through(&self) -> Result<Option<chrono::NaiveDate>, String> {
        date(&self.data_through, "data_through")
    }

    pub(super) fn rules(&self) -> Result<Rules, String> {
        for (key, share) in [
            ("max_bad_date_share", self.max_bad_date_share),
            ("max_ragged_row_share", self.max_ragged_row_share),
            ("max_bad_number_share", self.max_bad_number_share),
            ("max_blank_id_share", self.max_blank_id_share),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("`{key}` must be in [0, 1], got {share}"));
            }
        }
        if let Some(t) = self.fuzzy_threshold {
            if !(0.0..=1.0).contains(&t) {
                return Err(format!("`fuzzy_threshold` must be in [0, 1], got {t}"));
            }
        }
        Ok(Rules {
            date_min: date(&self.date_min, "date_min")?,
            date_max: date(&self.date_max, "date_max")?,
            max_field_bytes: self.max_field_bytes,
            date_order: self.date_order,
            keep_exact_duplicates: self.exact_duplicates == Duplicates::Keep,
            strip_id_zeros: self.customer_id_leading_zeros == Zeros::Strip,
            id_words: self.customer_id_spelling == Spelling::Words,
            id_prefix: self.customer_id_prefix.clone().filter(|p| !p.is_empty()),
            cost_negative: self.cost_sign == CostSign::Negative,
            value_per_unit: self.value_per_unit,
            cost_per_unit: self.cost_per_unit,
            discount_fraction: self.discount_fraction,
            returns_by_quantity: self.returns_by_quantity,
            values_negative: self.values_negative,
            amounts_in_cents: self.amounts_in_cents,
            cost_in_currency: self.cost_in_currency,
            dates_are_months: self.dates_are_months,
        })
    }
}
