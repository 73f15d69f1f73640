//! What a profile finds: the columns, the products, and the log's rows as `init` decides from
//! them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::{doctypes, DateOrder, Shape, Strays};

/// The canonical columns, by the header found for each.
#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    pub customer_id: String,
    pub order_date: String,
    pub division: Option<String>,
    pub customer_name: Option<String>,
    pub invoice_id: Option<String>,
    pub line_id: Option<String>,
    /// Long logs: the product (SKU) column, the GP column and the quantity column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gross_profit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Long logs without a GP column: each line's cost, subtracted from the revenue column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// Long logs whose value is a price per unit: each line's discount in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Long logs: each line's discount as an amount, off its value.
    pub discount_amount: Option<String>,
    /// Long logs: each line's quantity refunded, its share off the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunded_quantity: Option<String>,
    /// Long logs: the line a line is part of; lines with it set are dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_line: Option<String>,
}

/// One SKU: a wide log's GP column with its Qty sibling, or a long log's product value.
#[derive(Debug, Clone, Serialize)]
pub struct Product {
    /// The SKU map's `gp_column`: the GP column's header, or the product value of a long log.
    pub gp_column: String,
    pub qty_column: String,
    /// Rows with a non-zero GP or Qty.
    pub rows: u64,
    pub gross_profit: f64,
    /// The division-column value on most of this product's rows, with its share.
    pub majority_division: Option<(String, f64)>,
    /// Its rows' other division values, with their rows, most first: a long log books each line
    /// to a division, and a product may be sold under several (services on a hardware deal).
    pub other_divisions: Vec<(String, u64)>,
    /// Rows with a non-zero quantity.
    pub quantity_rows: u64,
}

/// A column `init` saw but could not place.
#[derive(Debug, Clone, Serialize)]
pub struct Unplaced {
    pub column: String,
    pub reason: String,
    /// A row total (`Total GP`): nothing to load, so no map line to propose.
    pub total: bool,
}

/// What one log holds.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub file: PathBuf,
    pub delimiter: char,
    /// `wide` (GP/Qty column pairs) or `long` (one row per product line).
    pub shape: Shape,
    /// A long log without a GP column: its revenue column is loaded as each line's value, so every
    /// "GP" figure downstream is revenue.
    pub value_is_revenue: bool,
    /// A cost column beside a revenue column the user named as GP: not used (GP is what the
    /// user named), named in a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_beside: Option<String>,
    /// The value column is a price per unit (no line value in the log): a line's value is it
    /// times the line's quantity (`value_per_unit` in stages/etl.yaml).
    pub value_per_unit: bool,
    /// The discount column writes fractions (`0.2` for 20%): `discount_fraction` in
    /// stages/etl.yaml.
    pub discount_fraction: bool,
    /// The cost column writes costs negative: GP is revenue plus it.
    pub cost_negative: bool,
    /// The cost column is a cost per unit (its name says so) beside a quantity column: a line's
    /// cost is it times the quantity (`cost_per_unit` in stages/etl.yaml).
    pub cost_per_unit: bool,
    /// Lines of negative quantity and positive GP, when they are most of the negative-quantity
    /// lines: returns written unsigned (stages/etl.yaml `returns_by_quantity`).
    pub unsigned_returns: Option<u64>,
    /// Lines of positive quantity and negative GP, and all lines of positive quantity, when one
    /// in twenty or more is at a loss: purchases are counted by quantity (stages/labels.yaml
    /// `purchase: quantity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_at_a_loss: Option<(u64, u64)>,
    /// Customers with sales on two days or more, and customers with sales.
    pub repeat_buyers: (u64, u64),
    /// A column that groups the customer ids into customers who bought again (Olist's
    /// `customer_unique_id` beside its per-order `customer_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_key: Option<super::customer_key::Better>,
    /// Nine lines in ten are negative: sales written as credits (Sage 50's sales journal), read
    /// with their signs turned (stages/etl.yaml `values_negative`).
    pub values_negative: bool,
    /// Every value is whole cents beside Stripe's lower-case currency codes: read divided by
    /// 100 (stages/etl.yaml `amounts_in_cents`).
    pub amounts_in_cents: bool,
    /// Beside amounts in cents, the cost column is in the currency: not divided
    /// (stages/etl.yaml `cost_in_currency`).
    pub cost_in_currency: bool,
    pub header: Vec<String>,
    pub columns: Columns,
    pub rows: u64,
    /// Rows whose date parsed.
    pub dated_rows: u64,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    /// The weekend month-end the log runs through when its business sells no weekends and its
    /// last sale is the Friday before (set by `init`: `closed_on_weekends`).
    pub through: Option<NaiveDate>,
    /// A document-type column with credit values (`Credit Memo`), and whether their amounts
    /// are unsigned.
    pub credits: Option<doctypes::Credits>,
    /// An order-status column with values of no sale (`Cancelled`, `Open`) beside posted ones.
    pub statuses: Option<doctypes::Statuses>,
    /// A document-type column's documents of no sale (quotes, orders beside their invoices).
    pub documents: Option<doctypes::Statuses>,
    /// The log has no id column: its customers are told apart by their name's column.
    pub id_is_name: bool,
    /// Columns of dates other than the one that dates a sale (`Ship Date`, `Due Date`).
    pub other_dates: Vec<String>,
    /// Day or month first in the log's numeric dates (`30/06/2024` or `6/30/2024`).
    pub date_order: DateOrder,
    /// Sampled dates that only the chosen order reads, and those that read as two different days
    /// (`05/06/2024`): what the choice rests on.
    pub date_order_evidence: (usize, usize),
    /// Sampled dates that only the other order reads: a file mixing both orders has many.
    pub date_order_contrary: usize,
    /// Day first only because the dates, in the file's order, run in order read so.
    pub date_order_by_sequence: bool,
    /// Day first only because no date tells and the amounts are written with a decimal comma.
    pub date_order_by_decimal_comma: bool,
    /// Parts of a folder whose dates are written the other way round, read so by the ETL as by
    /// this profile (`part_dates`): (part, its dates that read only that way).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_order_parts: Vec<(usize, u64)>,
    /// Rows with a product line, per day: the dates the pipeline's fact table will hold.
    #[serde(skip)]
    pub per_day: BTreeMap<NaiveDate, u64>,
    /// Rows per day of the days more than a year before the rest of the log, few enough to be
    /// placeholders or typos (`1900-01-01`); left out of `per_day` and the first date.
    pub strays_before: Strays,
    /// The same after the rest (`2203-10-06` for 2023-10-06); left out of the last date.
    pub strays_after: Strays,
    pub products: Vec<Product>,
    /// A long log read against a given SKU map: the products it sells that the map does not
    /// name, with their lines and GP, most GP first. The ETL leaves their lines out.
    pub unmapped_products: Vec<(String, u64, f64)>,
    /// Lines of such products, all of them (the products named above stop at
    /// [`super::UNMAPPED_NAMED`]).
    pub unmapped_lines: u64,
    pub unplaced: Vec<Unplaced>,
    /// Rows repeating an earlier row byte for byte (the ETL drops them unless told to keep them).
    pub exact_duplicates: u64,
    /// The GP of those repeats, and of the whole log (what dropping them would take).
    pub duplicate_gp: (f64, f64),
    /// The repeats are lines of invoices that list one item on several identical lines, not an
    /// export's duplicates: loaded (stages/etl.yaml `exact_duplicates: keep`).
    pub duplicates_are_lines: bool,
    /// Read with its division as its product: a column whose values look like products (one
    /// division each), and how many the sample holds.
    pub product_hint: Option<(String, usize)>,
    /// Keyed by its customers' names: a column that looks like their id (each value one name's,
    /// at least as many values as names), its values and the names, in the sample.
    pub id_hint: Option<(String, usize, usize)>,
    /// Lines that are the header again (a report's page headers), which the ETL drops.
    pub header_repeats: u64,
    /// Rows with another field count than the header's (an unquoted comma in a name), which the
    /// ETL drops as `ragged_row`, and the first one's file line. Left out of every other count.
    pub ragged: (u64, Option<u64>),
    /// Of the ragged rows, those longer than the header only by empty cells.
    pub padded_rows: u64,
    /// The first record holding rows of the file in one field (a quote never closed): its line
    /// in the joined text, and the rows it swallowed. `init` refuses such a log.
    #[serde(skip)]
    pub unclosed_quote: Option<(u64, usize)>,
    /// Dateless lines that say they are totals (`Grand Total`, `INV1102 Total`), which the ETL
    /// drops as `total_row`; and the first other dateless line's date cell.
    pub total_lines: u64,
    pub total_example: Option<String>,
    pub undated_example: Option<String>,
    /// Per part of a folder, in reading order: its rows of positive and of negative GP.
    pub part_signs: Vec<(u64, u64)>,
    /// Parts whose name says they hold returns or credits (`returns.csv`) and whose amounts are
    /// written positive, with their rows (stages/etl.yaml `credit_parts`).
    pub credit_parts: Vec<(String, u64)>,
    /// Rows dated by a month without a day (`2023-05`, `May 2023`), and the first such value:
    /// a monthly summary, each row read as its month's last day.
    pub month_dates: (u64, Option<String>),
    /// Groups of customer ids that differ only in case or leading zeros, and the first pair.
    pub id_twins: (u64, Option<(String, String)>),
    /// Every customer id, as the ETL will read it (for comparing a holdout's with the log's).
    #[serde(skip)]
    pub ids: std::collections::BTreeSet<String>,
    /// A currency column (`Currency`, `Curr`, `CCY`, ...) and the values it holds (at most
    /// [`MAX_CURRENCIES`]): GP is summed as written, so more than one is a mix.
    pub currencies: Option<(String, Vec<String>)>,
    /// A folder's files or a workbook's sheets, read as one log (empty for a single table), and
    /// what joining them found.
    pub parts: Vec<String>,
    pub part_notes: Vec<String>,
}

impl Profile {
    /// The last day the log covers: its last sale's, or the weekend month-end after it.
    pub fn end(&self) -> NaiveDate {
        self.through.unwrap_or(self.last_date)
    }
}

impl Profile {
    /// Every row dated a month's last day: a monthly summary, whose last month is whole.
    pub fn dated_month_ends(&self) -> bool {
        use crate::stages::etl::parse::month_end;
        !self.per_day.is_empty() && self.per_day.keys().all(|&d| month_end(d) == d)
    }

    /// Rows dated in (from, to].
    pub fn rows_in(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        use std::ops::Bound::{Excluded, Included};
        self.per_day
            .range((Excluded(from), Included(to)))
            .map(|(_, n)| n)
            .sum()
    }
}
