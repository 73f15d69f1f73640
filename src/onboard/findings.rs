//! What `init` finds in a log beyond its columns and says in its notes: stray dates, customers
//! named several ways, credit memos, product and customer masters, a log too thin to learn from,
//! sales at a loss, a holdout's ids (its dates' findings are in `extents`).

use super::*;

mod masters;

pub(super) use masters::{customer_key_file, customer_master, division_code_names, product_master};

/// The ETL's date bounds that drop a file's stray dates ([`profile::split_strays`]), each
/// stray named in a note; `None` on a side with none. The log's go to stages/etl.yaml; the
/// holdout's own, when they differ, to its node's params (`Bounds::holdout`): one pair for both
/// would keep a log's tail that falls in the holdout's months, or cut the holdout at the log's
/// end.
pub(super) struct Bounds {
    pub log: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    pub holdout: Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>,
}

pub(super) fn date_bounds(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Bounds {
    let files: Vec<&profile::Profile> = std::iter::once(log).chain(holdout).collect();
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
    let mut all = Vec::new();
    for (i, p) in files.iter().enumerate() {
        let mut bounds = (None, None);
        let (first, last) = (Some(p.first_date), Some(p.last_date));
        let (key_min, key_max) = if i == 0 {
            ("stages/etl.yaml `date_min", "stages/etl.yaml `date_max")
        } else {
            (
                "the `holdout_star` node's params `date_min",
                "the `holdout_star` node's params `date_max",
            )
        };
        for (strays, side, bound, key, slot) in [
            (&p.strays_before, "before", first, key_min, &mut bounds.0),
            (&p.strays_after, "after", last, key_max, &mut bounds.1),
        ] {
            if strays.is_empty() {
                continue;
            }
            *slot = bound;
            let (rows, days) = named(strays);
            // A thin tail close after the log is no placeholder: said as what it likely is.
            let near = side == "after"
                && strays
                    .first()
                    .is_some_and(|(d, _)| (*d - p.last_date).num_days() <= 366);
            if near {
                notes.push(format!(
                    "`{}`: {rows} row{} dated {days}, after the bulk of the file ends ({} to {}), in months each thinner than a tenth of its usual month: dated ahead (renewals billed in advance?) or mistyped; left in, they would set the log's last date, its window and cutoffs; {key}: {}` drops them, each reported as `date_out_of_bounds` (widen it when the log grows)",
                    p.file.display(),
                    if rows == 1 { "" } else { "s" },
                    p.first_date,
                    p.last_date,
                    bound.expect("a file"),
                ));
                continue;
            }
            notes.push(format!(
                "`{}`: {rows} row{} dated {days}, more than a year {side} the rest of the file ({} to {}): placeholders for \"no date\" or mistyped years; {key}: {}` drops them, each reported as `date_out_of_bounds` in the ETL's violations",
                p.file.display(),
                if rows == 1 { "" } else { "s" },
                p.first_date,
                p.last_date,
                bound.expect("a file"),
            ));
        }
        all.push(bounds);
    }
    let log_bounds = all[0];
    Bounds {
        log: log_bounds,
        // The holdout reads the log's ETL settings: its own bounds when they differ (a log's
        // `date_max` would cut every holdout row).
        holdout: all.get(1).copied().filter(|&h| h != log_bounds),
    }
}

/// A log whose customer ids are names (most hold a space and a letter) written several ways
/// (`ACME Corp`, `Acme Corp.`): what init says when it reads them by their words.
pub(super) fn name_spellings(log: &profile::Profile) -> Option<String> {
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
pub(super) fn credit_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Option<crate::stages::etl::credits::CreditDocuments> {
    // One etl.yaml reads both: credits written positive in either (a log of invoices only, a
    // holdout with the first credit memos) need the setting, for the column both name.
    let unsigned = |p: &&profile::Profile| {
        p.credits
            .as_ref()
            .is_some_and(|c| c.unsigned || c.quantities_unsigned)
    };
    let from = std::iter::once(log)
        .chain(holdout)
        .find(unsigned)
        .unwrap_or(log);
    let c = from.credits.as_ref()?;
    if !c.unsigned && !c.quantities_unsigned {
        notes.push(format!(
            "`{}` marks credits ({}), their amounts already negative: read as written",
            c.column,
            counted(&c.values)
        ));
        return None;
    }
    if !c.unsigned {
        notes.push(format!(
            "{}`{}` marks credits ({}) whose amounts are negative and quantities positive: their quantities are read as negative too, in the log and the holdout (stages/etl.yaml `credit_documents`); loaded as written, a credit's units would count as sold",
            if std::ptr::eq(from, log) { "" } else { "the holdout's " },
            c.column,
            counted(&c.values)
        ));
    } else {
        notes.push(format!(
        "{}`{}` marks credits ({}) whose amounts are written positive: their GP and quantity are read as negative (one already negative stays so), in the log and the holdout (stages/etl.yaml `credit_documents`); loaded as written, each would count as a sale",
        if std::ptr::eq(from, log) { "" } else { "the holdout's " },
        c.column,
        counted(&c.values)
    ));
    }
    Some(crate::stages::etl::credits::CreditDocuments {
        column: c.column.clone(),
        values: c.values.iter().map(|(v, _)| v.clone()).collect(),
    })
}

/// The prefix customer ids lost at some point (`C-0001`, then `0001`), in the log or between the
/// log and the holdout, and what init says of it; `strip_zeros` is set when the twins differ
/// in leading zeros too (`C-0001` and `1`).
pub(super) fn prefix_note(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    strip_zeros: &mut bool,
    notes: &mut Vec<String>,
) -> Option<String> {
    let ids = log
        .ids
        .iter()
        .chain(holdout.into_iter().flat_map(|h| h.ids.iter()))
        .map(String::as_str);
    let (prefix, n, (a, b)) = crate::stages::etl::ids::prefix_twins(ids)?;
    if a.strip_prefix(prefix.as_str()) != Some(b.as_str()) {
        *strip_zeros = true;
    }
    notes.push(format!(
        "{n} customer ids are written both with the prefix `{prefix}` and without it (`{a}` and `{b}`{}): ids that changed form (a migration, another export), each pair read as one customer, its id without the prefix (stages/etl.yaml `customer_id_prefix`; remove it to keep them apart)",
        if n > 1 { ", ..." } else { "" }
    ));
    Some(prefix)
}

/// The files of a log's (or holdout's) folder that hold returns or credits written positive
/// (`returns.csv` beside `sales.csv`), and what init says of them.
pub(super) fn credit_part_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (p, whose) in std::iter::once((log, "the log")).chain(holdout.map(|h| (h, "the holdout"))) {
        for (file, rows) in &p.credit_parts {
            notes.push(format!(
                "`{file}` of {whose} is named for returns or credits, and {rows} of its rows have a positive GP: its rows' GP and quantity are read as negative (stages/etl.yaml `credit_parts`); loaded as written, each would count as a sale"
            ));
            if !names.contains(file) {
                names.push(file.clone());
            }
        }
    }
    names
}

/// What a log of one CSV file exported as a report needed to load (see
/// `stages::etl::groups` and `stages::etl::orders`), said so the user knows where its
/// customers and days came from.
pub(super) fn report_shapes(sales_log: &Path) -> Vec<String> {
    // The first megabytes tell, and a log of a million lines is not read again whole.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(sales_log)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 4 << 20), &mut bytes));
    if read.is_err() {
        return Vec::new();
    }
    if bytes.len() == 4 << 20 {
        let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes.truncate(end);
    }
    if crate::stages::etl::workbook::is_workbook(&bytes) {
        return Vec::new();
    }
    let name = crate::stages::etl::file_name(sales_log);
    let mut notes = Vec::new();
    if let Some(by) = crate::stages::etl::groups::describe(&bytes) {
        notes.push(format!(
            "`{name}` is a report grouped by {by}: each group's name (on a row of its own above its rows) is read as the `{by}` of its rows, its name and total rows as no rows"
        ));
    }
    let text = crate::stages::etl::preamble::blank(bytes);
    if let Some((key, fields, grouped)) = crate::stages::etl::orders::describe(&text) {
        let listed = format!(
            "{}{}",
            fields
                .iter()
                .take(5)
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            match fields.len() {
                n if n > 5 => format!(" and {} more", n - 5),
                _ => String::new(),
            }
        );
        notes.push(if grouped {
            format!(
                "`{name}` is a report grouped by `{key}`, written on each group's first line only: {listed} are read on each line of the group from its first"
            )
        } else {
            format!(
                "`{name}` writes an order's fields on its first line only: {listed} are read on each line of the order (its `{key}`) from its first"
            )
        });
    }
    notes
}

/// When a lines file given alone has its invoices' header table beside it (`lines.csv` and
/// `invoices.csv` in one folder), how to give both: the folder, whose two tables are joined.
pub(super) fn header_beside(sales_log: &Path) -> Option<String> {
    // A folder whose header table was not joined: why.
    if sales_log.is_dir() {
        let folder = crate::stages::etl::parts::read(sales_log).ok()?;
        return folder
            .notes
            .into_iter()
            .find(|n| n.rule == "header_not_joined")
            .map(|n| n.message);
    }
    let dir = sales_log.parent().filter(|_| sales_log.is_file())?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let folder = crate::stages::etl::parts::read(dir).ok()?;
    let name = crate::stages::etl::file_name(sales_log);
    let header = folder.notes.iter().find(|n| n.rule == "header_table")?;
    folder.files.contains(&name).then(|| {
        format!(
            "`{}` beside it holds the invoices' header (its customer and day): give the folder instead, `--sales-log {}`, and the two tables are read as one log",
            header.file,
            dir.display()
        )
    })
}

/// Whether every row of the log is on a month's first day (100 rows or more, over six months or
/// more): a monthly summary dated by the month's start. Its rows, and the holdout's, are read as
/// the month's last day (`dates_are_months`), so the profiles' days move there too, before any
/// window is chosen: read as written, a month-end cutoff would see the first day of the next
/// month, and the last month would be in no training window.
pub(super) fn month_starts(
    log: &mut profile::Profile,
    holdout: Option<&mut profile::Profile>,
    notes: &mut Vec<String>,
) -> bool {
    use chrono::Datelike;
    let rows: u64 = log.per_day.values().sum();
    if rows < 100 || log.per_day.len() < 6 || log.per_day.keys().any(|d| d.day() != 1) {
        return false;
    }
    notes.push(format!(
        "every row of `{}` is on a month's first day ({} months, the last {}): a monthly summary, each row read as its month's last day, in the log and the holdout (stages/etl.yaml `dates_are_months`)",
        log.file.display(),
        log.per_day.len(),
        log.last_date
    ));
    for p in std::iter::once(log).chain(holdout) {
        let mut moved: std::collections::BTreeMap<chrono::NaiveDate, u64> = Default::default();
        for (d, n) in std::mem::take(&mut p.per_day) {
            *moved
                .entry(crate::stages::etl::parse::month_end(d))
                .or_default() += n;
        }
        p.per_day = moved;
        p.first_date = crate::stages::etl::parse::month_end(p.first_date);
        p.last_date = crate::stages::etl::parse::month_end(p.last_date);
    }
    true
}

/// Whether returns are written with a negative quantity and an unsigned GP, in the log or the
/// holdout (one etl.yaml reads both), and what init says of them.
pub(super) fn return_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> bool {
    let Some((p, n)) = std::iter::once(log)
        .chain(holdout)
        .find_map(|p| p.unsigned_returns.map(|n| (p, n)))
    else {
        return false;
    };
    notes.push(format!(
        "{n} lines of {} have a negative quantity and a positive GP: returns whose GP is written unsigned, read as negative in the log and the holdout (stages/etl.yaml `returns_by_quantity`); loaded as written, each would count as a sale",
        if std::ptr::eq(p, log) { "the log" } else { "the holdout" },
    ));
    true
}

/// What init says of a log too thin to learn from: few customers, or few who bought twice.
/// Models learn who buys a division next from what each customer bought before; on Olist's
/// marketplace, every customer one order, a run gave 60 "no positives" warnings and no reason.
/// `named`: the customer id column was named (`--column customer_id`), so it is not asked after.
pub(super) fn support_notes(log: &profile::Profile, named: bool, notes: &mut Vec<String>) {
    let (again, all) = log.repeat_buyers;
    if all == 0 {
        return;
    }
    if all < 50 {
        notes.push(format!(
            "WARNING: only {all} customers with sales: too few for a model to tell buyers from non-buyers (a division with fewer buyers than `min_positives` in stages/models.yaml is skipped, and metrics on a few dozen customers are mostly noise)"
        ));
    }
    if again * 20 < all {
        notes.push(format!(
            "WARNING: only {again} of {all} customers ({:.1}%) bought on more than one day: gosales learns who buys a division next from what each customer bought before, and nearly every customer here bought once{}",
            100.0 * again as f64 / all as f64,
            if named {
                String::new()
            } else {
                format!(
                    " (is `{}` an order's id rather than a customer's? name the customer's with `--column customer_id=HEADER`)",
                    log.columns.customer_id
                )
            }
        ));
    }
}

/// What init says of a log whose sales often lose money (labels.yaml `purchase: quantity`).
pub(super) fn loss_notes(log: &profile::Profile, notes: &mut Vec<String>) {
    if let Some((loss, all)) = log.sales_at_a_loss {
        notes.push(format!(
            "{loss} of {all} sampled sales lines ({:.0}%) lose money (units sold, GP below 0: discounts?): a purchase is counted by its net quantity, not its GP, so that their buyers count as buyers -> stages/labels.yaml `purchase: quantity` (`purchase: gp` counts only sales that make money)",
            100.0 * loss as f64 / all.max(1) as f64
        ));
    }
}

/// How many of the holdout's ids the log knows once leading zeros are set aside, and how many
/// as written.
pub(super) fn ids_alike_without_zeros(
    log: &profile::Profile,
    hp: &profile::Profile,
) -> (usize, usize) {
    let strip = |id: &String| crate::stages::etl::ingest::without_zeros(id.clone());
    let keys: std::collections::HashSet<String> = log.ids.iter().map(strip).collect();
    let alike = hp.ids.iter().filter(|id| keys.contains(&strip(id))).count();
    let known = hp.ids.iter().filter(|id| log.ids.contains(*id)).count();
    (alike, known)
}

/// A note when few of the holdout's customers occur in the log: validation can score only those
/// (the rest are new logos), so ids written another way (`123` for `000123`) leave it with no
/// buyer to measure.
pub(super) fn holdout_ids_note(log: &profile::Profile, hp: &profile::Profile) -> Option<String> {
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

/// The `excluded_statuses` a log of order lines with cancelled or open orders needs, and what
/// init says of them; the log's column, else the holdout's (one etl.yaml reads both).
pub(super) fn status_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Option<crate::stages::etl::statuses::ExcludedStatuses> {
    no_sale_notes(
        log,
        holdout,
        notes,
        |p| p.statuses.as_ref(),
        "orders",
        "excluded_statuses",
    )
}

/// The `excluded_documents` a log whose document types hold quotes, pro formas or orders beside
/// their invoices needs, and what init says of them (the log's column, else the holdout's).
pub(super) fn document_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Option<crate::stages::etl::statuses::ExcludedStatuses> {
    no_sale_notes(
        log,
        holdout,
        notes,
        |p| p.documents.as_ref(),
        "documents",
        "excluded_documents",
    )
}

/// A column of rows of no sale that `found` reads off a profile (the log's, else the
/// holdout's), init's note of it naming `what` they are and the etl.yaml `param` set.
fn no_sale_notes(
    log: &profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
    found: impl Fn(&profile::Profile) -> Option<&profile::doctypes::Statuses>,
    what: &str,
    param: &str,
) -> Option<crate::stages::etl::statuses::ExcludedStatuses> {
    let from = std::iter::once(log)
        .chain(holdout)
        .find(|p| found(p).is_some())?;
    let st = found(from)?;
    notes.push(format!(
        "{}`{}` marks {what} that are no sale ({}): those rows are left out of the log and the holdout (stages/etl.yaml `{param}`); loaded, each would count as a purchase",
        if std::ptr::eq(from, log) { "" } else { "the holdout's " },
        st.column,
        counted(&st.values)
    ));
    Some(crate::stages::etl::statuses::ExcludedStatuses {
        column: st.column.clone(),
        values: st.values.iter().map(|(v, _)| v.clone()).collect(),
    })
}

/// Customer ids that look like internal or test accounts (`IC-0001`, `TEST`, `DEMO`, `ZZZ`,
/// `Intercompany ...`): scored like any other customer unless the user takes their rows out,
/// so init names them (a trial's had 16 whitespace rows).
pub(super) fn internal_ids_note(log: &profile::Profile) -> Option<String> {
    let internal = |id: &str| {
        let n = crate::stages::etl::parts::column_key(id);
        let upper = id.trim().to_ascii_uppercase();
        upper.starts_with("IC-")
            || upper.starts_with("IC_")
            || [
                "test",
                "demo",
                "dummy",
                "sample",
                "intercompany",
                "internal",
                "zzz",
            ]
            .iter()
            .any(|w| n.starts_with(w))
    };
    let found: Vec<&String> = log.ids.iter().filter(|id| internal(id)).collect();
    if found.is_empty() {
        return None;
    }
    Some(format!(
        "{} customer id(s) look like internal or test accounts ({}): they are scored and recommended like any customer; take their rows out of the log if they are none",
        found.len(),
        few(&found, 4)
    ))
}
