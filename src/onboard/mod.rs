//! `gosales init`: a working workspace for a user's own sales log, in one step.
//!
//! [`profile`] reads the log (which column is which, the GP/Qty pairs, each product's likely
//! division, the dates); [`choose`] picks the label window and cutoffs from the dates; this
//! module turns both into `pipeline.yaml`, `stages/*.yaml`, a proposed `stages/sku_map.csv` and
//! an empty denylist. Nothing is written until every file is ready, and nothing that exists is
//! replaced without `force`.

pub mod choose;
mod extents;
mod findings;
mod holdout;
mod notes;
pub mod profile;
mod render;
mod skus;

use extents::*;
use findings::*;
pub use skus::{SkuLine, UNSOLD};

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::manifest::is_partition_value;
use crate::stages::etl::layout::Aliases;
use crate::stages::etl::parse::DateOrder;
use crate::stages::etl::skumap;

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub dir: PathBuf,
    pub sales_log: PathBuf,
    pub holdout: Option<PathBuf>,
    pub enrichment: Option<PathBuf>,
    pub sku_map: Option<PathBuf>,
    pub window_months: Option<u32>,
    /// Headers the user named for canonical columns (`--column customer_id="Cust #"`).
    pub columns: Vec<(String, String)>,
}

/// Everything `init` decided, and the files that say it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub log: profile::Profile,
    pub holdout: Option<profile::Profile>,
    pub choice: choose::Choice,
    /// `None` when the user gave the map.
    pub proposed_skus: Option<Vec<SkuLine>>,
    pub division_rule: String,
    pub divisions: Vec<String>,
    pub key_skus: Vec<String>,
    /// Notes for the user (holdout columns missing, a weak division guess, ...).
    pub notes: Vec<String>,
    /// `date_min` / `date_max` of stages/etl.yaml: set only to drop stray dates (placeholders,
    /// mistyped years) that lie more than a year outside the logs' dates.
    pub date_min: Option<chrono::NaiveDate>,
    pub date_max: Option<chrono::NaiveDate>,
    /// The holdout's own `date_min` / `date_max` (its node's params), when they differ.
    pub holdout_bounds: Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>,
    /// Whether customer ids are read without their leading zeros (stages/etl.yaml
    /// `customer_id_leading_zeros: strip`): set when the log writes one customer both ways, or
    /// the holdout writes ids the log knows only that way.
    pub strip_id_zeros: bool,
    /// Whether customer ids are names compared by their words (stages/etl.yaml
    /// `customer_id_spelling: words`).
    pub id_words: bool,
    /// The business sells no weekends (stages/etl.yaml `closed_on_weekends`).
    pub closed_on_weekends: bool,
    /// The month-end the log was cut at, past its last sale (stages/etl.yaml `data_through`).
    pub data_through: Option<chrono::NaiveDate>,
    /// Each row's date stands for its month (stages/etl.yaml `dates_are_months`).
    pub dates_are_months: bool,
    /// Credit memos written with positive amounts (stages/etl.yaml `credit_documents`).
    pub credit_documents: Option<crate::stages::etl::credits::CreditDocuments>,
    /// Files of returns or credits written positive (stages/etl.yaml `credit_parts`).
    pub credit_parts: Vec<String>,
    /// The prefix customer ids were once written with (stages/etl.yaml `customer_id_prefix`).
    pub id_prefix: Option<String>,
    /// Returns written with a negative quantity and a positive GP (stages/etl.yaml
    /// `returns_by_quantity`).
    pub returns_by_quantity: bool,
    /// Orders of no sale, left out (stages/etl.yaml `excluded_statuses`).
    pub excluded_statuses: Option<crate::stages::etl::statuses::ExcludedStatuses>,
    /// Documents of no sale, left out (stages/etl.yaml `excluded_documents`).
    pub excluded_documents: Option<crate::stages::etl::statuses::ExcludedStatuses>,
    /// (path relative to the workspace, contents).
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

fn q(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).expect("string")
}

/// Up to `max` of `items` in backticks, then `, ...` if there are more: how a note names what
/// it found (`` `FREIGHT`, `DISCOUNT` ``).
fn few<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, max: usize) -> String {
    let mut items = items.into_iter();
    let named: Vec<String> = items.by_ref().take(max).map(|i| format!("`{i}`")).collect();
    let more = if items.next().is_some() { ", ..." } else { "" };
    format!("{}{more}", named.join(", "))
}

/// `` `Credit Memo` 257 rows, `Return` 3 rows ``: values a note names, with their rows.
fn counted(values: &[(String, u64)]) -> String {
    values
        .iter()
        .map(|(v, n)| format!("`{v}` {n} rows"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// `file` as the manifest should name it: relative when it lies inside `dir`, else absolute.
fn manifest_path(dir: &Path, file: &Path) -> Result<String, String> {
    let abs = std::fs::canonicalize(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let p = abs
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(abs);
    Ok(p.to_string_lossy().replace('\\', "/"))
}

/// Profiles the files and decides; writes nothing.
pub fn plan(req: &Request) -> Result<Plan, String> {
    plan_named(req, None)
}

/// A product master found beside the log, as the map: its division codes' names, if a file
/// names them.
struct AsMaster<'a> {
    division_names: Option<&'a std::collections::BTreeMap<String, String>>,
    /// The log's products it does not list: in `Uncategorised`.
    unlisted: &'a [String],
}

/// [`plan`]; with `as_master`, the given map is a product master found beside the log: read
/// leniently ([`skumap::load_master`]) and its divisions renamed by `division_names`.
fn plan_named(req: &Request, as_master: Option<&AsMaster>) -> Result<Plan, String> {
    let mut uncategorised = 0;
    let mut given_map = match (&req.sku_map, as_master) {
        (Some(p), Some(m)) => {
            let (mut skus, filled) = skumap::load_master(p)?;
            uncategorised = filled;
            skus.extend(m.unlisted.iter().map(|product| skumap::Sku {
                gp_column: product.clone(),
                qty_column: String::new(),
                division: skus::UNCATEGORISED.to_string(),
                family: String::new(),
                sale_type: String::new(),
                routes: Default::default(),
            }));
            Some(skus)
        }
        (Some(p), None) => Some(skumap::load(p, None)?),
        (None, _) => None,
    };
    let division_names = as_master.and_then(|m| m.division_names);
    for sku in given_map.iter_mut().flatten() {
        if let Some(name) = division_names.and_then(|n| n.get(&sku.division)) {
            sku.division = name.clone();
        }
    }
    // A division no partition can be named (an article master's `Wartung/Support`) is renamed
    // as a log's division is, and said (a tester's map was refused for the `/` that init
    // renamed on its own in the log's column).
    let mut map_notes = Vec::new();
    if let Some(skus) = given_map.as_mut() {
        let originals = skus.iter().map(|s| s.division.clone()).collect();
        let renamed = skus::safe_names(&originals);
        for s in skus.iter_mut() {
            if let Some(name) = renamed.get(&s.division) {
                s.division = name.clone();
            }
        }
        map_notes.extend(renamed.iter().map(|(d, n)| skus::rename_note(d, n)));
    }
    let mut log = profile::profile_except(
        &req.sales_log,
        req.holdout.as_deref(),
        given_map.as_deref(),
        &req.columns,
    )
    .map_err(|e| match header_beside(&req.sales_log) {
        Some(hint) => format!("{e}\n{hint}"),
        None => e,
    })?;
    // A truer customer key in the log (Olist's `customer_unique_id` beside a `customer_id`
    // new on each order): the customers are keyed by it, as if named.
    if let Some(b) = log
        .customer_key
        .clone()
        .filter(|_| !req.columns.iter().any(|(k, _)| k == "customer_id"))
    {
        let mut with = req.clone();
        with.columns.push(("customer_id".into(), b.header.clone()));
        let mut p = plan_named(&with, as_master)?;
        let (again, all) = log.repeat_buyers;
        p.notes.insert(
            0,
            format!(
                "customers are keyed by `{}`, not `{}`: under `{}` only {again} of {all} customers bought on more than one day (a new id on each order?), while `{}` groups them into {} customers, {} of whom bought on two days or more; to key them by `{}` after all, `--column customer_id={}`",
                b.header,
                log.columns.customer_id,
                log.columns.customer_id,
                b.header,
                b.customers,
                b.again,
                log.columns.customer_id,
                log.columns.customer_id
            ),
        );
        return Ok(p);
    }
    // A product master among the exports, and no division column: it is the map, as if given.
    let found_master = findings::product_master(req, &log);
    if let Some(m) = found_master.as_ref().filter(|m| m.is_the_map()) {
        let (master, covered, of, unlisted) = (&m.path, m.covered, m.of, &m.unlisted);
        let mut with = req.clone();
        with.sku_map = Some(master.clone());
        let code_names = findings::division_code_names(req, master);
        // The log's products the master lacks: their lines would be dropped as unmapped; they
        // share `Uncategorised` instead.
        let mut p = plan_named(
            &with,
            Some(&AsMaster {
                division_names: code_names.as_ref().and_then(|c| c.names.as_ref()),
                unlisted,
            }),
        )?;
        if !unlisted.is_empty() {
            p.notes.insert(
                0,
                format!(
                    "{} product(s) of the log are not in `{}` ({}): they share the division `{}` in stages/sku_map.csv; give each its own there",
                    unlisted.len(),
                    crate::stages::etl::file_name(master),
                    unlisted.iter().take(5).map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                        + if unlisted.len() > 5 { ", ..." } else { "" },
                    skus::UNCATEGORISED
                ),
            );
        }
        p.notes.insert(
            0,
            format!(
                "the log has no division column, and `{}` beside it maps {covered} of its {of} products to divisions: it is the SKU map, as if given with `--sku-map` (its divisions are in stages/sku_map.csv; to propose one instead, move it out of the folder)",
                crate::stages::etl::file_name(master)
            ),
        );
        for (i, n) in code_names.into_iter().flat_map(|c| c.notes).enumerate() {
            p.notes.insert(1 + i, n);
        }
        return Ok(p);
    }
    // A customer master among the exports, and no enrichment given: it is the enrichment.
    if let Some((master, found, of)) = findings::customer_master(req, &log) {
        let mut with = req.clone();
        with.enrichment = Some(master.clone());
        let mut p = plan_named(&with, as_master)?;
        let name = crate::stages::etl::file_name(&master);
        // Its "left out of the log" note says no more than this one.
        let left_out = format!("`{name}` has one row per");
        p.notes.retain(|n| !n.starts_with(&left_out));
        p.notes.insert(
            0,
            format!(
                "`{name}` beside the log is a customer master with industries ({found} of the {of} customers in the log's first rows are in it): it is the industry enrichment, as if given with `--enrichment` (to load none, move it out of the folder)"
            ),
        );
        return Ok(p);
    }
    let mut notes = map_notes;
    notes.extend(found_master.and_then(|m| m.partial_note()));
    if uncategorised > 0 {
        notes.push(format!(
            "{uncategorised} product(s) of the product master have no division value: they share the division `{}`; give each its own in stages/sku_map.csv",
            skus::UNCATEGORISED
        ));
    }
    notes.extend(notes::parts_note(req, &log));
    notes.append(&mut log.part_notes);
    notes.extend(findings::report_shapes(&req.sales_log));
    let mut holdout = holdout::profile_holdout(req, &mut log, &mut notes)?;
    for p in std::iter::once(&log).chain(holdout.as_ref()) {
        chosen_twice(p)?;
        lossy_ids(p)?;
    }
    // Ids a migration or a spreadsheet wrote with and without leading zeros (`00123`, `123`)
    // are one customer: read them without, and say so.
    let zero_twins = profile::twins(log.ids.iter().map(String::as_str), |id| {
        crate::stages::etl::ingest::without_zeros(id.to_string())
    });
    let holdout_zeros = holdout
        .as_ref()
        .map(|hp| ids_alike_without_zeros(&log, hp))
        .unwrap_or_default();
    let mut strip_id_zeros = zero_twins.0 > 0 || holdout_zeros.0 > holdout_zeros.1;
    let id_prefix = prefix_note(&log, holdout.as_ref(), &mut strip_id_zeros, &mut notes);
    let mut id_words = false;
    if log.id_is_name {
        notes.push(match &log.id_hint {
            Some((column, values, names)) => format!(
                "no customer id column: customers are told apart by `{}`, their name, but `{column}` holds {values} values for {names} names in the first rows, each value under one name, as an account number is: accounts that share a name would be one customer; if it is the id, run init again with `--column customer_id=\"{column}\"`",
                log.columns.customer_id
            ),
            None => format!(
                "no customer id column: customers are told apart by `{}`, their name (name an id column with `--column customer_id=HEADER` if there is one)",
                log.columns.customer_id
            ),
        });
    }
    if let (n, Some((a, b))) = &zero_twins {
        notes.push(format!(
            "{n} customer id(s) are written both with and without leading zeros (`{a}` and `{b}`{}): each pair is read as one customer, its id without the zeros (stages/etl.yaml `customer_id_leading_zeros: strip`; `keep` reads them as customers of their own)",
            if *n > 1 { ", ..." } else { "" }
        ));
    } else if let Some(note) = name_spellings(&log) {
        id_words = true;
        notes.push(note);
    } else if let (n, Some((a, b))) = &log.id_twins {
        notes.push(format!(
            "{n} customer id(s) differ from another only in case (`{a}` and `{b}`{}): each is loaded as a customer of its own; if they are one, write them alike in the log",
            if *n > 1 { ", ..." } else { "" }
        ));
    }
    if let (Some(hp), true) = (
        &holdout,
        strip_id_zeros && holdout_zeros.0 > holdout_zeros.1,
    ) {
        notes.push(format!(
            "the holdout writes customer ids with leading zeros the log does not, or the other way round ({} of its {} ids match the log's only so): both are read without the zeros (stages/etl.yaml `customer_id_leading_zeros: strip`)",
            holdout_zeros.0 - holdout_zeros.1,
            hp.ids.len()
        ));
    } else if let Some(note) = holdout.as_ref().and_then(|hp| holdout_ids_note(&log, hp)) {
        notes.push(note);
    }
    notes::value_notes(&log, &mut notes);
    let credit_documents = credit_notes(&log, holdout.as_ref(), &mut notes);
    let excluded_statuses = status_notes(&log, holdout.as_ref(), &mut notes);
    let excluded_documents = document_notes(&log, holdout.as_ref(), &mut notes);
    if log.values_negative {
        notes.push(
            "four lines in five or more of the log are negative: sales written as credits (as Sage 50's sales journal writes them), read with their signs turned in the log and the holdout, a credit memo's lines then negative (stages/etl.yaml `values_negative`); loaded as written, every sale would count as a return".to_string(),
        );
    }
    if log.amounts_in_cents {
        let value = log.columns.gross_profit.as_deref().unwrap_or("GP");
        let why = match &log.currencies {
            Some((c, _)) if !value.to_lowercase().contains("cents") => {
                format!("beside `{c}` in Stripe's lower-case currency codes")
            }
            _ => "its name says cents".to_string(),
        };
        notes.push(format!(
            "every amount of `{value}` is a whole number, {why}: amounts in cents (80343 is 803.43), read divided by 100 in the log and the holdout (stages/etl.yaml `amounts_in_cents`); if they are whole units, set it to false"
        ));
        if let Some(cost) = log.columns.cost.as_ref().filter(|_| log.cost_in_currency) {
            notes.push(format!(
                "`{cost}` is read in the currency, not in cents: its costs are under a fiftieth of their lines' values in `{value}`, as a cost in the currency beside values in cents is (stages/etl.yaml `cost_in_currency`); if it is in cents too, set it to false"
            ));
        }
    }
    let returns_by_quantity = return_notes(&log, holdout.as_ref(), &mut notes);
    findings::loss_notes(&log, &mut notes);
    notes.extend(findings::customer_key_file(req, &log));
    findings::support_notes(
        &log,
        req.columns.iter().any(|(k, _)| k == "customer_id"),
        &mut notes,
    );
    let credit_parts = credit_part_notes(&log, holdout.as_ref(), &mut notes);
    notes.extend(internal_ids_note(&log));
    notes::row_notes(&log, holdout.as_ref(), &mut notes);
    for p in std::iter::once(&log).chain(holdout.as_ref()) {
        undated_notes(p, &mut notes);
    }
    let dates_are_months = month_starts(&mut log, holdout.as_mut(), &mut notes);
    let bounds = date_bounds(&log, holdout.as_ref(), &mut notes);
    let (date_min, date_max) = bounds.log;
    let holdout_bounds = bounds.holdout;
    let closed_on_weekends = weekend_ends(&mut log, holdout.as_mut(), &mut notes);
    let data_through = extents::cut_at_month_end(&mut log, holdout.as_ref(), &mut notes);
    // A monthly summary's dates are a month apart by design.
    if !dates_are_months {
        notes.extend(gap_note(&log));
    }
    let choice = choose::choose(&log, holdout.as_ref(), req.window_months)?;
    if let Some(hp) = &holdout {
        notes.extend(late_holdout(&log, hp, &choice));
    }
    for w in choice.windows.iter().filter(|w| w.sparse) {
        notes.push(format!(
            "the label window ({}, {}] holds only {} rows, well under the log's average: check for a gap in the data",
            w.cutoff, w.end, w.rows
        ));
    }

    let (sku_csv, proposed, division_rule) =
        skus::propose(req, &log, given_map.as_deref(), &mut notes)?;
    if let Some(map) = &req.sku_map {
        notes.extend(skus::unmapped_note(&log, map));
    }
    let divisions = match (&given_map, &proposed) {
        (Some(skus), _) => {
            let d = skumap::divisions(skus);
            let bad: Vec<&String> = d.iter().filter(|d| !is_partition_value(d)).collect();
            if !bad.is_empty() {
                return Err(format!(
                    "{}: {} cannot name a division: a division names directories and instance ids (`features@<division>@<cutoff>`), which cannot hold `@`, `/`, `\\`, braces, `*` or control characters, or start with `.`; rename {} in its `division` column",
                    req.sku_map.as_deref().map_or("the SKU map".into(), |p| format!("`{}`", p.display())),
                    bad.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "),
                    if bad.len() == 1 { "it" } else { "them" },
                ));
            }
            d
        }
        (None, Some(lines)) => {
            let mut d: Vec<String> = lines.iter().map(|l| l.division.clone()).collect();
            d.sort();
            d.dedup();
            d
        }
        (None, None) => Vec::new(),
    };
    // Key SKUs are products of the map: a charge left out of it (`FREIGHT`) is none.
    let in_map = |p: &&profile::Product| {
        proposed
            .as_ref()
            .is_none_or(|lines| lines.iter().any(|l| l.gp_column == p.gp_column))
    };
    let mut by_rows: Vec<&profile::Product> = log
        .products
        .iter()
        // A product with no gross profit on any row (a GP column whose rows only share another's
        // Qty column: `Success Plan GP` beside `Success_Plan`) has no line in the star, which
        // books a shared quantity to the column with GP: no key SKU (the run warned of it).
        .filter(|p| p.rows > 0 && p.gross_profit != 0.0)
        .filter(in_map)
        .collect();
    by_rows.sort_by(|a, b| {
        b.rows
            .cmp(&a.rows)
            .then_with(|| a.gp_column.cmp(&b.gp_column))
    });
    // Fifteen whose feature columns differ: `Cable 1m` and `Cable-1m` would name the same ones.
    let mut keys = std::collections::BTreeSet::new();
    let key_skus: Vec<String> = by_rows
        .iter()
        .filter(|p| keys.insert(crate::stages::features::matrix::key(&p.gp_column)))
        .take(15)
        .map(|p| p.gp_column.clone())
        .collect();

    if proposed.is_some() && divisions.len() > 50 {
        // A trial's 1,806 one-track divisions planned 14,452 instances, nearly all of
        // divisions too small to train: said loudly, with the run's size.
        notes.push(format!(
            "WARNING: {} divisions: each has labels and features at each of the {} cutoffs, a model and scores of its own (about {} pipeline instances), and most will have too few buyers to train; group products into fewer divisions in stages/sku_map.csv (`division`), or name a column that groups them (`--column division=HEADER`)",
            divisions.len(),
            choice.windows.len(),
            divisions.len() * (2 * choice.windows.len() + 2)
        ));
    }
    // Two findings may arrive at one sentence (a file profiled twice): say it once.
    let mut said = std::collections::HashSet::new();
    notes.retain(|n| said.insert(n.clone()));
    let mut plan = Plan {
        date_min,
        date_max,
        holdout_bounds,
        log,
        holdout,
        choice,
        proposed_skus: proposed,
        division_rule,
        divisions,
        key_skus,
        notes,
        strip_id_zeros,
        id_prefix,
        id_words,
        closed_on_weekends,
        data_through,
        dates_are_months,
        credit_documents,
        returns_by_quantity,
        credit_parts,
        excluded_statuses,
        excluded_documents,
        files: Vec::new(),
    };
    plan.files = render::render(req, &plan, sku_csv)?;
    Ok(plan)
}

/// A header written twice where init chose it: the ETL would block on it (which copy holds
/// the data is unknowable), so init says so first.
fn chosen_twice(p: &profile::Profile) -> Result<(), String> {
    let c = &p.columns;
    let chosen = [Some(&c.customer_id), Some(&c.order_date)]
        .into_iter()
        .chain(
            [
                &c.division,
                &c.customer_name,
                &c.invoice_id,
                &c.line_id,
                &c.product,
                &c.gross_profit,
                &c.quantity,
                &c.cost,
                &c.discount,
                &c.discount_amount,
                &c.refunded_quantity,
                &c.parent_line,
            ]
            .into_iter()
            .map(Option::as_ref),
        )
        .flatten();
    for name in chosen {
        let at: Vec<String> = p
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == name)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if at.len() > 1 {
            return Err(format!(
                "`{}`: the header `{name}` appears {} times (columns {}): which one holds the data is ambiguous; rename or remove the extra column",
                p.file.display(),
                at.len(),
                at.join(", ")
            ));
        }
    }
    Ok(())
}

/// Long ids as Excel displays them have lost their last digits: no choice of columns
/// brings them back.
fn lossy_ids(p: &profile::Profile) -> Result<(), String> {
    let lossy: Vec<&String> = p
        .ids
        .iter()
        .filter(|id| crate::stages::etl::parse::scientific_id(id))
        .collect();
    if lossy.len() * 100 > p.ids.len() {
        return Err(format!(
            "`{}`: {} of its {} customer ids in `{}` are long numbers as Excel displays them (`{}`): their last digits are lost, and customers whose ids differ only there would be read as one; in Excel, format the column as a number with no decimals (or as text) and export again",
            p.file.display(),
            lossy.len(),
            p.ids.len(),
            p.columns.customer_id,
            lossy[0]
        ));
    }
    Ok(())
}

/// The holdout's own `date_order`, when its dates tell and differ from the log's: one ETL
/// params file reads both, and either file read the other's way would lose its dates.
pub fn holdout_date_order(log: &profile::Profile, holdout: &profile::Profile) -> Option<DateOrder> {
    (holdout.date_order != log.date_order && holdout.date_order_evidence.0 > 0)
        .then_some(holdout.date_order)
}

/// Why the log's dates are read day- or month-first, in words.
pub fn date_order_rule(log: &profile::Profile) -> String {
    let (only, ambiguous) = log.date_order_evidence;
    match log.date_order {
        DateOrder::Dmy if only == 0 && log.date_order_by_decimal_comma => format!(
            "day first (D/M/YYYY): no sampled date reads only one way ({ambiguous} read as two different days, such as 05/06/2024), but the amounts are written with a decimal comma (1.234,56), as day-first conventions write them; if the dates are month first, set `date_order: mdy`"
        ),
        DateOrder::Dmy if only == 0 && log.date_order_by_sequence => format!(
            "day first (D/M/YYYY): no sampled date reads only one way ({ambiguous} read as two different days, such as 05/06/2024), but in the file's order they run in order read day first and jump back and forth read month first"
        ),
        DateOrder::Dmy if only == 0 => "day first (D/M/YYYY): no sampled date reads only one way, but each one's day is the 1st and its month runs through the year (a monthly summary); month first, every sale would fall on January 1 to 12".to_string(),
        DateOrder::Dmy => format!(
            "day first (D/M/YYYY): {only} sampled dates read only that way, none only month first"
        ),
        DateOrder::Mdy if only > 0 => format!(
            "month first (M/D/YYYY): {only} sampled dates read only that way"
        ),
        DateOrder::Mdy if ambiguous > 0 => format!(
            "month first (M/D/YYYY), the default: no sampled date tells ({ambiguous} read as two different days, such as 05/06/2024)"
        ),
        DateOrder::Mdy => "year first (ISO) or dotted: nothing to choose".to_string(),
    }
}

/// Writes the plan's files under `dir`. Without `force`, refuses (writing nothing) when any of
/// them exists. Each file is written to a temporary name and renamed into place.
pub fn write(plan: &Plan, dir: &Path, force: bool) -> Result<Vec<String>, WriteError> {
    let existing: Vec<String> = plan
        .files
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| rel.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(WriteError::Exists(existing));
    }
    for (rel, bytes) in &plan.files {
        let path = dir.join(rel);
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        let tmp = parent.join(format!(
            ".{}.init-tmp",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        std::fs::write(&tmp, bytes).map_err(|e| WriteError::Io(tmp.clone(), e))?;
        std::fs::rename(&tmp, &path).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    Ok(existing)
}

#[derive(Debug)]
pub enum WriteError {
    /// These files exist and `force` was not given.
    Exists(Vec<String>),
    Io(PathBuf, std::io::Error),
}

/// Validation labels start the day after the scoring cutoff (the log's end): a holdout starting
/// weeks later misses the buyers between, and validate warns of `censored_start` on every
/// division. Said before the run, by validate's rule for the chosen window.
fn late_holdout(
    log: &profile::Profile,
    hp: &profile::Profile,
    choice: &choose::Choice,
) -> Option<String> {
    let end = choice.holdout_window_end?;
    let gap = (hp.first_date - log.last_date).num_days();
    choose::starts_late(hp, choice.score_cutoff, end).then(|| format!(
        "the holdout starts {} but the sales log ends {}, {gap} days before: validation labels count sales from the day after {} and the holdout has none until {}, so its buyers are censored at the start (validate warns `censored_start`); give a holdout that starts the day after {}",
        hp.first_date, log.last_date, log.last_date, hp.first_date, log.last_date
    ))
}
