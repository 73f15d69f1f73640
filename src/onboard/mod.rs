//! `gosales init`: a working workspace for a user's own sales log, in one step.
//!
//! [`profile`] reads the log (which column is which, the GP/Qty pairs, each product's likely
//! division, the dates); [`choose`] picks the label window and cutoffs from the dates; this
//! module turns both into `pipeline.yaml`, `stages/*.yaml`, a proposed `stages/sku_map.csv` and
//! an empty denylist. Nothing is written until every file is ready, and nothing that exists is
//! replaced without `force`.

pub mod choose;
pub mod profile;
mod render;

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

/// One proposed SKU map line.
#[derive(Debug, Clone, Serialize)]
pub struct SkuLine {
    pub gp_column: String,
    pub qty_column: String,
    pub division: String,
    pub rows: u64,
    /// (a row's division value, the division its lines go to) for a long log's product booked
    /// to several divisions: each line stays in the division its row names.
    pub routes: Vec<(String, String)>,
    /// The rows those routes move out of `division`.
    pub routed_rows: u64,
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
    /// Whether customer ids are read without their leading zeros (stages/etl.yaml
    /// `customer_id_leading_zeros: strip`): set when the log writes one customer both ways, or
    /// the holdout writes ids the log knows only that way.
    pub strip_id_zeros: bool,
    /// Whether customer ids are names compared by their words (stages/etl.yaml
    /// `customer_id_spelling: words`).
    pub id_words: bool,
    /// The business sells no weekends (stages/etl.yaml `closed_on_weekends`).
    pub closed_on_weekends: bool,
    /// Credit memos written with positive amounts (stages/etl.yaml `credit_documents`).
    pub credit_documents: Option<crate::stages::etl::credits::CreditDocuments>,
    /// (path relative to the workspace, contents).
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

fn q(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).expect("string")
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
    let given_map = match &req.sku_map {
        Some(p) => Some(skumap::load(p, None)?),
        None => None,
    };
    let mut log = profile::profile_except(
        &req.sales_log,
        req.holdout.as_deref(),
        given_map.as_deref(),
        &req.columns,
    )?;
    let mut notes = Vec::new();
    if !log.parts.is_empty() {
        let listed = match log.parts.as_slice() {
            [first, .., last] if log.parts.len() > 4 => format!("`{first}` to `{last}`"),
            all => all
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        notes.push(if req.sales_log.is_dir() {
            format!(
                "`{}` is a folder: its {} {} ({listed}) are read as one log, in that order; a file added later is loaded on the next run",
                req.sales_log.display(),
                log.parts.len(),
                // A workbook's sheets are parts of their own (`book.xlsx [2023]`).
                if log.parts.iter().any(|p| p.ends_with(']')) { "files and sheets" } else { "files" },
            )
        } else {
            format!(
                "`{}` holds the log in {} sheets ({listed}): read as one log, in that order",
                req.sales_log.display(),
                log.parts.len(),
            )
        });
    }
    notes.append(&mut log.part_notes);
    // The holdout is read with the log's products, so its pairs are the same SKUs.
    let mut holdout = match &req.holdout {
        Some(h) => {
            let as_map: Vec<skumap::Sku> = log
                .products
                .iter()
                .map(|p| skumap::Sku {
                    gp_column: p.gp_column.clone(),
                    qty_column: p.qty_column.clone(),
                    division: String::new(),
                    family: String::new(),
                    sale_type: String::new(),
                    routes: Default::default(),
                })
                .collect();
            let mut hp = profile::profile(h, Some(&as_map), &req.columns)?;
            // Named as the holdout's: its parts may share names with the log's (`part-00001`).
            notes.extend(
                std::mem::take(&mut hp.part_notes)
                    .into_iter()
                    .map(|n| format!("holdout `{}`: {n}", h.display())),
            );
            // A long log's products are values, not columns: the holdout need not name them all.
            let wide = log.shape == profile::Shape::Wide;
            let missing: Vec<&str> = log
                .products
                .iter()
                .filter(|p| wide && !hp.header.contains(&p.gp_column))
                .map(|p| p.gp_column.as_str())
                .collect();
            if !missing.is_empty() {
                notes.push(format!(
                    "the holdout has no column for {} of the log's products ({}): they read as zero there",
                    missing.len(),
                    missing.iter().take(5).map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            // The log's dates may not tell (ISO): one stage params file reads both, so the
            // holdout's day-first dates decide.
            if log.date_order_evidence.0 == 0
                && hp.date_order == DateOrder::Dmy
                && hp.date_order_evidence.0 > 0
            {
                log.date_order = DateOrder::Dmy;
                log.date_order_evidence = hp.date_order_evidence;
                notes.push(
                    "the log's dates do not say which comes first, day or month; the holdout's read day first, so both are read day first (stages/etl.yaml `date_order`)".to_string(),
                );
            }
            if hp.date_order != log.date_order && hp.date_order_evidence.0 > 0 {
                notes.push(format!(
                    "the holdout's dates read {} but the log's {}: both are loaded as the log's (stages/etl.yaml `date_order`)",
                    date_order_rule(&hp),
                    date_order_rule(&log)
                ));
            }
            if hp.first_date <= log.last_date {
                notes.push(format!(
                    "the holdout starts {} but the sales log runs to {}: validation labels count holdout rows after {} only",
                    hp.first_date, log.last_date, log.last_date
                ));
            }
            Some(hp)
        }
        None => None,
    };
    // Ids a migration or a spreadsheet wrote with and without leading zeros (`00123`, `123`)
    // are one customer: read them without, and say so.
    let zero_twins = profile::twins(log.ids.iter().map(String::as_str), |id| {
        crate::stages::etl::ingest::without_zeros(id.to_string())
    });
    let holdout_zeros = holdout
        .as_ref()
        .map(|hp| ids_alike_without_zeros(&log, hp))
        .unwrap_or_default();
    let strip_id_zeros = zero_twins.0 > 0 || holdout_zeros.0 > holdout_zeros.1;
    let mut id_words = false;
    if log.id_is_name {
        notes.push(format!(
            "no customer id column: customers are told apart by `{}`, their name (name an id column with `--column customer_id=HEADER` if there is one)",
            log.columns.customer_id
        ));
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
    if let Some((col, values)) = log.currencies.as_ref().filter(|(_, v)| v.len() > 1) {
        notes.push(format!(
            "`{col}` holds {}{} currencies ({}): GP is loaded as written, so one currency is added to another; convert the log to one currency first",
            values.len(),
            if values.len() >= 10 { " or more" } else { "" },
            values.join(", ")
        ));
    }
    if let Some(gp) = log
        .columns
        .gross_profit
        .as_ref()
        .filter(|h| h.to_lowercase().contains("cent"))
    {
        notes.push(format!(
            "GP is read from `{gp}` as written: if it counts cents, every GP figure (and the GP thresholds in stages/labels.yaml) is a hundred times the currency's"
        ));
    }
    if let Some(gp) = log
        .columns
        .gross_profit
        .as_ref()
        .filter(|h| h.to_lowercase().contains("price"))
    {
        notes.push(format!(
            "GP is read from `{gp}`, whose name says a price: if it is a price per unit, every GP figure is one; give the log a line's GP or revenue instead"
        ));
    }
    let names = log.products.iter().map(|p| p.gp_column.as_str());
    if let (_, Some((a, b))) = profile::twins(names, |s| s.trim().to_lowercase()) {
        notes.push(format!(
            "products that differ only in case (`{a}` and `{b}`) are SKUs of their own: if they are one product, write them alike in the log or give both the same division in stages/sku_map.csv"
        ));
    }
    let credit_documents = credit_notes(&log, &mut notes);
    if !log.other_dates.is_empty() {
        notes.push(format!(
            "a sale is dated by `{}`; the log has other dates too ({}): to date sales by another, `--column order_date=HEADER` (every line's cutoff and label window follow it)",
            log.columns.order_date,
            log.other_dates
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if log.header_repeats > 0 {
        notes.push(format!(
            "{} lines repeat the header (a report's page headers): the ETL drops them, with one `repeated_header` warning",
            log.header_repeats
        ));
    }
    if log.exact_duplicates > 0 {
        notes.push(if log.columns.line_id.is_some() {
            format!(
                "{} rows repeat an earlier row byte for byte, line id included: they are dropped as export duplicates",
                log.exact_duplicates
            )
        } else {
            format!(
                "{} rows repeat an earlier row byte for byte: they are dropped as export duplicates; if your invoices list one item on several identical lines, set `exact_duplicates: keep` in stages/etl.yaml",
                log.exact_duplicates
            )
        });
    }
    for p in std::iter::once(&log).chain(holdout.as_ref()) {
        undated_notes(p, &mut notes);
    }
    let (date_min, date_max) = date_bounds(&log, holdout.as_ref(), &mut notes);
    let closed_on_weekends = weekend_ends(&mut log, holdout.as_mut(), &mut notes);
    let choice = choose::choose(&log, holdout.as_ref(), req.window_months)?;
    for w in choice.windows.iter().filter(|w| w.sparse) {
        notes.push(format!(
            "the label window ({}, {}] holds only {} rows, well under the log's average: check for a gap in the data",
            w.cutoff, w.end, w.rows
        ));
    }

    let (sku_csv, proposed, division_rule) = match (&req.sku_map, &given_map) {
        (Some(path), Some(skus)) => (
            canonical_map(skus)?,
            None,
            match skumap::key_headers(path) {
                Some((g, d)) if g != "gp_column" || d != "division" => format!(
                    "as given in `{}`: products from its `{g}` column, divisions from its `{d}` column",
                    path.display()
                ),
                _ => format!("as given in `{}`", path.display()),
            },
        ),
        _ => {
            let rule = match &log.columns.division {
                Some(col) => format!("the `{col}` value on most of the product's rows"),
                None => "no division column: each product is its own division (group them by editing the `division` column)".to_string(),
            };
            let mut unsold: Vec<String> = Vec::new();
            let lines: Vec<SkuLine> = log
                .products
                .iter()
                .map(|p| {
                    let division = match &p.majority_division {
                        Some((d, share)) => {
                            if *share < 0.5 {
                                notes.push(format!(
                                    "`{}`: only {:.0}% of its rows are in `{d}`: check its division in stages/sku_map.csv",
                                    p.gp_column,
                                    share * 100.0
                                ));
                            }
                            d.clone()
                        }
                        None => {
                            if p.rows == 0 {
                                // One division for them all: one each would be a division
                                // apiece to label, featurise and skip (159 of them in a log
                                // of 200 product columns, forty times the run).
                                unsold.push(p.gp_column.clone());
                                return SkuLine {
                                    gp_column: p.gp_column.clone(),
                                    qty_column: p.qty_column.clone(),
                                    division: UNSOLD.to_string(),
                                    rows: 0,
                                    routes: Vec::new(),
                                    routed_rows: 0,
                                };
                            } else if log.columns.division.is_some() {
                                notes.push(format!(
                                    "`{}` has no sales with a division value: it is its own division",
                                    p.gp_column
                                ));
                            }
                            p.gp_column.clone()
                        }
                    };
                    // A line of a long log is one sale, booked by the business to the
                    // division its row names (a service sold on a hardware deal): it goes there,
                    // not to the product's usual division, when that is a division too. A wide
                    // row's division is the row's, not each product column's: not routed.
                    let routes = if log.shape == profile::Shape::Long {
                        p.other_divisions.iter().map(|(d, _)| (d.clone(), d.clone())).collect()
                    } else {
                        Vec::new()
                    };
                    SkuLine {
                        gp_column: p.gp_column.clone(),
                        qty_column: p.qty_column.clone(),
                        division,
                        rows: p.rows,
                        routes,
                        routed_rows: 0,
                    }
                })
                .collect();
            if !unsold.is_empty() {
                let named: Vec<String> = unsold.iter().take(5).map(|g| format!("`{g}`")).collect();
                notes.push(format!(
                    "{} product(s) have no sales in the log ({}{}): they share the division `{UNSOLD}` in stages/sku_map.csv, whose model is skipped until it has buyers; give each its real division there",
                    unsold.len(),
                    named.join(", "),
                    if unsold.len() > 5 { ", ..." } else { "" }
                ));
            }
            let mut lines = partition_safe(lines, &mut notes);
            route_lines(&mut lines, &log.products, &mut notes);
            let mut w = csv::Writer::from_writer(Vec::new());
            let io = |e: csv::Error| e.to_string();
            w.write_record(skumap::HEADER).map_err(io)?;
            for l in &lines {
                let routes: Vec<String> =
                    l.routes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                w.write_record([
                    &l.gp_column,
                    &l.qty_column,
                    &l.division,
                    &l.division,
                    "",
                    &routes.join(";"),
                ])
                .map_err(io)?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            (bytes, Some(lines), rule)
        }
    };
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
    let mut by_rows: Vec<&profile::Product> = log.products.iter().filter(|p| p.rows > 0).collect();
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
        notes.push(format!(
            "{} divisions: each trains its own models and scores every customer; group products into fewer divisions in stages/sku_map.csv (`division`)",
            divisions.len()
        ));
    }
    let mut plan = Plan {
        date_min,
        date_max,
        log,
        holdout,
        choice,
        proposed_skus: proposed,
        division_rule,
        divisions,
        key_skus,
        notes,
        strip_id_zeros,
        id_words,
        closed_on_weekends,
        credit_documents,
        files: Vec::new(),
    };
    plan.files = render::render(req, &plan, sku_csv)?;
    Ok(plan)
}

/// The ETL's date bounds that drop the logs' stray dates ([`profile::split_strays`]), each stray
/// named in a note; `None` on a side with none. The bounds span the log and its holdout, whose
/// rows the same ETL settings read.
fn date_bounds(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let files: Vec<&profile::Profile> = std::iter::once(log).chain(holdout).collect();
    let first = files.iter().map(|p| p.first_date).min();
    let last = files.iter().map(|p| p.last_date).max();
    let named = |strays: &[(chrono::NaiveDate, u64)]| {
        let mut days: Vec<String> = strays
            .iter()
            .take(3)
            .map(|(d, n)| {
                if *n == 1 || strays.len() == 1 {
                    d.to_string()
                } else {
                    format!("{d} ({n} rows)")
                }
            })
            .collect();
        if strays.len() > 3 {
            days.push(format!("and {} more days", strays.len() - 3));
        }
        (strays.iter().map(|s| s.1).sum::<u64>(), days.join(", "))
    };
    let mut bounds = (None, None);
    for p in &files {
        for (strays, side, bound, key, slot) in [
            (&p.strays_before, "before", first, "date_min", &mut bounds.0),
            (&p.strays_after, "after", last, "date_max", &mut bounds.1),
        ] {
            if strays.is_empty() {
                continue;
            }
            *slot = bound;
            let (rows, days) = named(strays);
            notes.push(format!(
                "`{}`: {rows} row{} dated {days}, more than a year {side} the rest of the file ({} to {}): placeholders for \"no date\" or mistyped years; stages/etl.yaml `{key}: {}` drops them, each reported as `date_out_of_bounds` in the ETL's violations",
                p.file.display(),
                if rows == 1 { "" } else { "s" },
                p.first_date,
                p.last_date,
                bound.expect("a file"),
            ));
        }
    }
    bounds
}

/// The division init proposes for every product the log never sold.
pub const UNSOLD: &str = "No sales in the log";

/// The proposed lines with every division a partition value can be: the characters a directory
/// or an instance id cannot hold become `-` (`CAD/CAM` is `CAD-CAM`), a leading `.` goes, and a
/// name that would then collide with another division's gets a number. Each rename is a note.
fn partition_safe(mut lines: Vec<SkuLine>, notes: &mut Vec<String>) -> Vec<SkuLine> {
    let originals: std::collections::BTreeSet<String> =
        lines.iter().map(|l| l.division.clone()).collect();
    let mut taken: std::collections::BTreeSet<String> = originals
        .iter()
        .filter(|d| is_partition_value(d))
        .cloned()
        .collect();
    let mut renamed = std::collections::BTreeMap::new();
    for d in originals.iter().filter(|d| !is_partition_value(d)) {
        let cleaned: String = d
            .chars()
            .map(|c| {
                if matches!(c, '@' | '/' | '\\' | '{' | '}' | '*') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let base = match cleaned
            .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
            .trim_end()
        {
            "" => "division".to_string(),
            b => b.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base} {n}");
            n += 1;
        }
        notes.push(format!(
            "division `{d}` is `{name}` in stages/sku_map.csv: a division names directories and instance ids, which cannot hold `@`, `/`, `\\`, braces or `*`, or start with `.`"
        ));
        renamed.insert(d.clone(), name);
    }
    for l in &mut lines {
        if let Some(name) = renamed.get(&l.division) {
            l.division = name.clone();
        }
        for (_, to) in &mut l.routes {
            if let Some(name) = renamed.get(to) {
                *to = name.clone();
            }
        }
    }
    lines
}

/// A log whose customer ids are names (most hold a space and a letter) written several ways
/// (`ACME Corp`, `Acme Corp.`): what init says when it reads them by their words.
fn name_spellings(log: &profile::Profile) -> Option<String> {
    use crate::stages::etl::ids::{twins, words};
    let names = log
        .ids
        .iter()
        .filter(|id| id.contains(' ') && id.chars().any(char::is_alphabetic))
        .count();
    if log.ids.is_empty() || 2 * names < log.ids.len() {
        return None;
    }
    let (n, Some((a, b))) = twins(log.ids.iter().map(String::as_str), words) else {
        return None;
    };
    Some(format!(
        "the customer ids of `{}` are names, {n} of them written more than one way (`{a}` and `{b}`{}): each is read by its words, case and punctuation aside, as one customer (stages/etl.yaml `customer_id_spelling: words`; the id is then `{}`); `exact` keeps every spelling a customer of its own",
        log.columns.customer_id,
        if n > 1 { ", ..." } else { "" },
        words(&a)
    ))
}

/// The `credit_documents` a log with unsigned credit memos needs, and what init says of its
/// document types.
fn credit_notes(
    log: &profile::Profile,
    notes: &mut Vec<String>,
) -> Option<crate::stages::etl::credits::CreditDocuments> {
    let c = log.credits.as_ref()?;
    let named: Vec<String> = c
        .values
        .iter()
        .map(|(v, n)| format!("`{v}` {n} rows"))
        .collect();
    if !c.unsigned {
        notes.push(format!(
            "`{}` marks credits ({}), their amounts already negative: read as written",
            c.column,
            named.join(", ")
        ));
        return None;
    }
    notes.push(format!(
        "`{}` marks credits ({}) whose amounts are written positive: their GP and quantity are read as negative (stages/etl.yaml `credit_documents`); loaded as written, each would count as a sale",
        c.column,
        named.join(", ")
    ));
    Some(crate::stages::etl::credits::CreditDocuments {
        column: c.column.clone(),
        values: c.values.iter().map(|(v, _)| v.clone()).collect(),
    })
}

/// Whether the log's business sells no weekends (almost no weekend rows in a log large enough
/// to tell); if so, a log or holdout whose last sale is the Friday before a weekend month-end
/// runs through that month-end, which its label windows may then end on, and init says so.
fn weekend_ends(
    log: &mut profile::Profile,
    holdout: Option<&mut profile::Profile>,
    notes: &mut Vec<String>,
) -> bool {
    use crate::stages::etl::extent;
    let rows: u64 = log.per_day.values().sum();
    let share = extent::weekend_share(&log.per_day);
    if rows < 500 || share >= extent::CLOSED_SHARE {
        return false;
    }
    for p in std::iter::once(log).chain(holdout) {
        p.through = extent::through(p.last_date);
        if let Some(t) = p.through {
            notes.push(format!(
                "`{}` ends on {} ({}), and the business sells no weekends ({:.2}% of the rows are on a Saturday or Sunday): it runs through {t}, which a label window may end on (stages/etl.yaml `closed_on_weekends: true`)",
                file_name_of(&p.file),
                p.last_date,
                p.last_date.format("%A"),
                100.0 * share
            ));
        }
    }
    true
}

fn file_name_of(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

/// Keeps the routes of a long log's products that lead to a division of the map (a row value
/// no product is mostly sold under, a typo or a one-off, leaves its lines in the product's
/// division), counts the rows they move, and says so.
fn route_lines(lines: &mut [SkuLine], products: &[profile::Product], notes: &mut Vec<String>) {
    let divisions: std::collections::BTreeSet<String> =
        lines.iter().map(|l| l.division.clone()).collect();
    let (mut moved, mut of, mut routed) = (0u64, 0u64, Vec::new());
    for (l, p) in lines.iter_mut().zip(products) {
        l.routes
            .retain(|(_, to)| divisions.contains(to) && *to != l.division);
        l.routed_rows = p
            .other_divisions
            .iter()
            .filter(|(d, _)| l.routes.iter().any(|(k, _)| k == d))
            .map(|(_, n)| n)
            .sum();
        if l.routed_rows > 0 {
            moved += l.routed_rows;
            of += l.rows;
            routed.push(&l.gp_column);
        }
    }
    if routed.is_empty() {
        return;
    }
    let named: Vec<String> = routed.iter().take(3).map(|g| format!("`{g}`")).collect();
    notes.push(format!(
        "{} product(s) are booked to more than one division ({}{}): each line goes to the division its row names ({moved} of their {of} lines are not in the product's usual division); `division_routes` in stages/sku_map.csv says where, empty it to put every line of a product in its `division`",
        routed.len(),
        named.join(", "),
        if routed.len() > 3 { ", ..." } else { "" }
    ));
}

/// Why the log's dates are read day- or month-first, in words.
pub fn date_order_rule(log: &profile::Profile) -> String {
    let (only, ambiguous) = log.date_order_evidence;
    match log.date_order {
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

/// Notes on a file's dateless lines: a report's totals (dropped as `total_row`), and, past the
/// ETL's `max_bad_date_share` default, the others, which would block the first run.
fn undated_notes(p: &profile::Profile, notes: &mut Vec<String>) {
    let file = p.file.display();
    if p.total_lines > 0 {
        notes.push(format!(
            "{} lines of `{file}` are a report's totals (no date; the first says `{}`): the ETL drops them as `total_row`",
            p.total_lines,
            p.total_example.as_deref().unwrap_or("")
        ));
    }
    let bad = p.rows.saturating_sub(p.dated_rows + p.total_lines);
    if bad > 0 && bad as f64 > 0.05 * p.rows as f64 {
        notes.push(format!(
            "{bad} of the {} rows of `{file}` have no readable date (the first: `{}`), over 5%: the first run will stop with `too_many_bad_dates`; fix those dates, or raise `max_bad_date_share` in stages/etl.yaml",
            p.rows,
            p.undated_example.as_deref().unwrap_or("")
        ));
    }
}

/// The user's map written with the canonical headers (`gp_column,qty_column,division,...`),
/// whatever its own were (`SKU,Family,Division`): the manifest's partitions read the
/// `division` column by that name. In composed Unicode (NFC), as the ETL reads the log's
/// cells: a division written with a combining accent in the user's file is the log's, and its
/// directories and target names are the ones a keyboard types.
fn canonical_map(skus: &[skumap::Sku]) -> Result<Vec<u8>, String> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.nfc().collect::<String>();
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| format!("cannot write the SKU map: {e}");
    w.write_record(skumap::HEADER).map_err(io)?;
    for s in skus {
        let routes: Vec<String> = s.routes.iter().map(|(k, v)| format!("{k}={v}")).collect();
        w.write_record([
            nfc(&s.gp_column),
            nfc(&s.qty_column),
            nfc(&s.division),
            nfc(&s.family),
            nfc(&s.sale_type),
            nfc(&routes.join(";")),
        ])
        .map_err(io)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// How many of the holdout's ids the log knows once leading zeros are set aside, and how many
/// as written.
fn ids_alike_without_zeros(log: &profile::Profile, hp: &profile::Profile) -> (usize, usize) {
    let strip = |id: &String| crate::stages::etl::ingest::without_zeros(id.clone());
    let keys: std::collections::HashSet<String> = log.ids.iter().map(strip).collect();
    let alike = hp.ids.iter().filter(|id| keys.contains(&strip(id))).count();
    let known = hp.ids.iter().filter(|id| log.ids.contains(*id)).count();
    (alike, known)
}

/// A note when few of the holdout's customers occur in the log: validation can score only those
/// (the rest are new logos), so ids written another way (`123` for `000123`) leave it with no
/// buyer to measure.
fn holdout_ids_note(log: &profile::Profile, hp: &profile::Profile) -> Option<String> {
    let known = hp.ids.iter().filter(|id| log.ids.contains(*id)).count();
    // Most of a holdout's customers are the log's: under a quarter says the ids differ.
    if hp.ids.is_empty() || known * 4 >= hp.ids.len() {
        return None;
    }
    let keys: std::collections::HashSet<String> =
        log.ids.iter().map(|id| profile::id_key(id)).collect();
    let alike = hp
        .ids
        .iter()
        .filter(|id| keys.contains(&profile::id_key(id)))
        .count();
    // The longest such id shows the zeros best (`000123` rather than `0`).
    let example = hp
        .ids
        .iter()
        .filter(|id| !log.ids.contains(*id) && keys.contains(&profile::id_key(id)))
        .max_by_key(|id| id.len());
    Some(match example {
        Some(id) if alike > known => format!(
            "only {known} of the holdout's {} customer ids occur in the sales log, {alike} once case and leading zeros are set aside (the holdout's `{id}`): validation scores only customers it knows, so write the ids alike in both files",
            hp.ids.len()
        ),
        _ => format!(
            "only {known} of the holdout's {} customer ids occur in the sales log: validation scores only customers it knows (the rest are new logos); check that both files use the same ids",
            hp.ids.len()
        ),
    })
}
