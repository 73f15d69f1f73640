//! Notes `init` prints on what it read: how a log of parts is read, what its value column may
//! really hold, and the rows the ETL will drop or read otherwise than a user may expect.

use super::profile::{self, Profile};
use super::Request;

/// How a folder's files, or a workbook's sheets, are read as one log.
pub(super) fn parts_note(req: &Request, log: &Profile) -> Option<String> {
    if log.parts.is_empty() {
        return None;
    }
    let listed = match log.parts.as_slice() {
        [first, .., last] if log.parts.len() > 4 => format!("`{first}` to `{last}`"),
        all => all
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Some(if req.sales_log.is_dir() && log.parts.len() == 1 {
        format!(
                "`{}` is a folder: {listed} is read as the log; a file added later is loaded on the next run",
                req.sales_log.display(),
            )
    } else if req.sales_log.is_dir() {
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
    })
}

/// What the value column may really hold: several currencies, cents, a cost per unit, revenue
/// named as GP, a unit price; and products written alike but for case.
pub(super) fn value_notes(log: &Profile, notes: &mut Vec<String>) {
    let converted = log
        .columns
        .gross_profit
        .as_ref()
        .is_some_and(|g| crate::stages::etl::currency::money_name(g).1 == 0);
    if let Some((col, values)) = log
        .currencies
        .as_ref()
        .filter(|(_, v)| v.len() > 1 && !converted)
    {
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
        // Read in cents already (`amounts_in_cents`), it has its own note.
        .filter(|h| h.to_lowercase().contains("cent") && !log.amounts_in_cents)
    {
        notes.push(format!(
            "GP is read from `{gp}` as written: if it counts cents, every GP figure (and the GP thresholds in stages/labels.yaml) is a hundred times the currency's"
        ));
    }
    if let Some(cost) = log.columns.cost.as_ref() {
        // Read per unit from the data, not its name: the data's note says so.
        if log.cost_per_unit && profile::says_per_unit(cost) {
            notes.push(format!(
                "GP is revenue less `{cost}` times the quantity: its name says a cost per unit (`cost_per_unit: true` in stages/etl.yaml; set it to false if `{cost}` is a line's total cost)"
            ));
        } else if profile::says_per_unit(cost) && log.columns.quantity.is_none() {
            notes.push(format!(
                "GP is revenue less `{cost}`, whose name says a cost per unit: with no quantity column each line's GP is its revenue less that figure; if it is per unit, every GP figure is wrong: give the log each line's total cost"
            ));
        }
    }
    if let (Some(gp), Some(cost)) = (&log.columns.gross_profit, &log.cost_beside) {
        notes.push(format!(
            "`{gp}` is loaded as GP, as `--column gross_profit` says, but its name says revenue, and `{cost}` beside it a line's cost: if `{gp}` is revenue, every GP figure is revenue; add `--column cost=\"{cost}\"` to load revenue less cost"
        ));
    }
    if let Some(gp) = log.columns.gross_profit.as_ref().filter(|h| {
        // `Total Price`, `Extended Price`, `Line Price` are a line's.
        let h = h.to_lowercase();
        h.contains("price")
            && !["total", "ext", "line", "amount"]
                .iter()
                .any(|w| h.contains(w))
            && !log.value_per_unit
    }) {
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
}

/// Rows the ETL drops or reads otherwise (other dates, repeated headers, ragged rows, exact
/// duplicates), and a product column init could not find.
pub(super) fn row_notes(log: &Profile, holdout: Option<&Profile>, notes: &mut Vec<String>) {
    // Said, as the Windows-1252 fallback is (a tester's Polish file was read as Windows-1250
    // in silence).
    for p in std::iter::once(log).chain(holdout) {
        let head = std::fs::File::open(&p.file).ok().and_then(|f| {
            use std::io::Read as _;
            let mut head = Vec::new();
            f.take(1 << 16).read_to_end(&mut head).ok().map(|_| head)
        });
        if let Some(e) = head
            .as_deref()
            .and_then(crate::stages::etl::encoding::encoding_of)
        {
            notes.push(format!(
                "`{}` is not UTF-8: read as {} (if its letters read wrong, save it as UTF-8)",
                p.file.display(),
                e.name()
            ));
        }
    }
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
    for p in std::iter::once(log).chain(holdout) {
        if let (n @ 1.., Some(line)) = p.ragged {
            notes.push(if p.padded_rows == n {
                format!(
                    "{n} rows of `{}` are longer than its header only by empty cells, the first on line {line}: padding a spreadsheet added, or a value split by an unquoted comma (`2,694.10`) before an empty last column, which cannot be told apart: the ETL drops them (`ragged_row`); remove the trailing delimiters if they are padding, or quote such values, and run init again",
                    p.file.display()
                )
            } else {
                format!(
                    "{n} rows of `{}` have another field count than its header, the first on line {line} (an unquoted `{}` or a stray quote in a value?): the ETL drops them (`ragged_row`){}; quote such values and run init again",
                    p.file.display(),
                    if p.delimiter == '\t' { "tab".to_string() } else { p.delimiter.to_string() },
                    if n >= 20 && n as f64 > 0.05 * p.rows as f64 {
                        ", and as they are over 5% of its rows, the first run will stop with `too_many_ragged_rows`"
                    } else {
                        ""
                    }
                )
            });
        }
    }
    if log.exact_duplicates > 0 {
        notes.push(if log.duplicates_are_lines {
            format!(
                "{} rows repeat an earlier row byte for byte, and three in four of those sampled are on an invoice with other lines written once, or repeated another number of times (`{}`): read as an item listed on several identical lines, they are loaded (stages/etl.yaml `exact_duplicates: keep`); if they are an export's duplicates, set it to `drop`",
                log.exact_duplicates,
                log.columns.invoice_id.as_deref().unwrap_or("invoice")
            )
        } else if log.columns.line_id.is_some() {
            format!(
                "{} rows repeat an earlier row byte for byte, line id included: they are dropped as export duplicates{}",
                log.exact_duplicates,
                duplicate_gp(log)
            )
        } else {
            format!(
                "{} rows repeat an earlier row byte for byte: they are dropped as export duplicates{}; if your invoices list one item on several identical lines, set `exact_duplicates: keep` in stages/etl.yaml",
                log.exact_duplicates,
                duplicate_gp(log)
            )
        });
    }
    if let Some(hp) = holdout.filter(|h| h.exact_duplicates > 0 && log.duplicates_are_lines) {
        notes.push(format!(
            "{} rows of the holdout `{}` repeat an earlier row byte for byte: loaded as the log's are (`exact_duplicates: keep`)",
            hp.exact_duplicates,
            hp.file.display()
        ));
    } else if let Some(hp) = holdout.filter(|h| h.exact_duplicates > 0) {
        // A buyer's repeated line dropped can turn a purchase net of its return into none: a
        // holdout label, which the log's `exact_duplicates` setting decides as well.
        notes.push(format!(
            "{} rows of the holdout `{}` repeat an earlier row byte for byte: they are dropped as export duplicates, which can change a validation label (two identical lines and a return of both net to a return){}",
            hp.exact_duplicates,
            hp.file.display(),
            if hp.columns.line_id.is_some() {
                ""
            } else {
                "; if your invoices list one item on several identical lines, set `exact_duplicates: keep` in stages/etl.yaml"
            }
        ));
    }
    if let Some((column, values)) = &log.product_hint {
        let division = log.columns.division.as_deref().unwrap_or_default();
        notes.push(format!(
            "no column is named as each line's product (`Product`, `SKU`, `Item`, `Part Number`, ...), so each `{division}` value is read as one product and the SKU-level features say nothing; `{column}` holds {values} values in the first rows, each under one `{division}`, as products do: if it names the products, run init again with `--column product=\"{column}\"`"
        ));
    }
}

/// What dropping a log's repeated rows takes: their GP and its share of the log's, so that the
/// choice between `drop` and `keep` is made knowing what is at stake (a tester's 3,251 repeats,
/// a line of one item listed twice, held 5.3% of the GP, and the note said only the count).
fn duplicate_gp(log: &Profile) -> String {
    let (dropped, total) = log.duplicate_gp;
    if dropped == 0.0 {
        return String::new();
    }
    let share = if total > 0.0 {
        format!(", {:.1}% of the log's", 100.0 * dropped / total)
    } else {
        String::new()
    };
    format!(" (GP {dropped:.2}{share})")
}
