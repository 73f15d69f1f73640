//! The keys a log's lines must keep: an invoice line counted once, and an invoice in one part
//! of a folder of exports.

use chrono::Datelike;

use super::contracts::{Severity, Violations};
use super::{credits, ingest, parts, skumap};

/// The fact grain is the raw line: every (raw row, non-zero SKU column) is its own fact line, so
/// one invoice may carry several lines of one SKU (two licences, items of one product family).
/// A key can only be broken when the log names its lines: with a line-id column, two rows with
/// the same (invoice, line id, SKU) and different content (byte-identical rows were already
/// dropped) would count one line twice; a row going the other way (its quantity, else its
/// value, negative) is the line's return, and nets against it.
/// A credit memo's number is its own series' (Business Central's credit memos and invoices are
/// both numbered from 1000): keys are per kind of document, as a part's name tells it.
/// An invoice is one customer's, in one year: numbers that restart every year (the legal
/// numbering of France, Italy and Spain) or a number another customer's invoice has are other
/// invoices (a tester's such log blocked on 716 clashes, with no way out but `line_id: []`).
pub(super) fn check_keys(
    rows: &[ingest::Row],
    skus: &[skumap::Sku],
    log: &parts::Log,
    vio: &mut Violations,
) {
    let credit = credit_files(&log.files);
    type Key<'a> = (bool, &'a str, i32, &'a str, &'a str, u16);
    let mut seen: std::collections::HashMap<Key, (u64, i64)> = std::collections::HashMap::new();
    for r in rows {
        let (Some(inv), Some(line)) = (r.invoice_id.as_deref(), r.line_id.as_deref()) else {
            continue;
        };
        // Rows are still lines of the joined text here: their part is looked up.
        let kind = credit[log.map.locate(r.raw_row).0.min(credit.len() - 1)];
        let (customer, year) = (r.customer_id.as_str(), r.order_date.year());
        for l in &r.lines {
            // Which way the line goes: its quantity's sign, else its value's (a return of
            // quantity -2 and GP 0 is a return).
            let way = if l.quantity != 0.0 {
                l.quantity.signum()
            } else {
                l.gross_profit.signum()
            } as i64;
            let key = (kind, customer, year, inv, line, l.sku);
            if let Some((first, net)) = seen.get_mut(&key) {
                // A return written on the line it returns (the invoice's number and line
                // number again, going the other way) nets against that line, and the line may
                // be sold again once returned (an exchange): no line counts twice. A tester's
                // ERP wrote its returns so, and every run blocked. A second sale of a line not
                // returned, or a copy whose value alone turned, is a clash as before.
                if way < 0 || (way > 0 && *net <= 0) {
                    *net += way;
                    continue;
                }
                let first = *first;
                let sku = &skus[l.sku as usize].gp_column;
                vio.push(
                    "duplicate_key",
                    Severity::Blocking,
                    Some(r.raw_row),
                    sku,
                    &format!("{inv}/{line}"),
                    format!(
                        "invoice `{inv}` line `{line}` already has a `{sku}` line at {} with different content",
                        log.place(first)
                    ),
                );
            } else {
                seen.insert(key, (r.raw_row, way));
            }
        }
    }
}

/// Invoices with lines in two parts of a log: exports that overlap, written differently (a date
/// reformatted, a value rounded), so that no line is an exact duplicate and each counts twice.
/// One warning per pair of parts, with how many invoices and the first.
/// A credit memo in a returns file that names the invoice it credits is no overlap: invoices
/// are matched within a kind of document.
pub(super) fn overlaps(rows: &[ingest::Row], files: &[String], vio: &mut Violations) {
    let credit = credit_files(files);
    // An invoice is one customer's in one year ([`check_keys`]): a folder of a file a year, its
    // numbers restarting every year, was told to take an overlap out that was no overlap.
    type Invoice<'a> = (bool, &'a str, i32, &'a str);
    let mut first: std::collections::HashMap<Invoice, u32> = std::collections::HashMap::new();
    // (earlier part, later part) -> (invoices, the first invoice and its line in the later part).
    let mut pairs: std::collections::BTreeMap<(u32, u32), (u64, &str, u64)> = Default::default();
    let mut counted: std::collections::HashSet<(Invoice, u32)> = Default::default();
    for r in rows {
        let Some(inv) = r.invoice_id.as_deref() else {
            continue;
        };
        let key = (
            credit[r.part as usize],
            r.customer_id.as_str(),
            r.order_date.year(),
            inv,
        );
        let p = *first.entry(key).or_insert(r.part);
        if p != r.part && counted.insert((key, r.part)) {
            let e = pairs.entry((p, r.part)).or_insert((0, inv, r.raw_row));
            e.0 += 1;
        }
    }
    for ((a, b), (n, inv, line)) in pairs {
        let (a, b) = (&files[a as usize], &files[b as usize]);
        vio.push_in(
            b,
            "invoice_in_two_parts",
            Severity::Warning,
            Some(line),
            format!(
                "{n} invoice(s) have lines in both `{a}` and `{b}` (this is the first: `{inv}`): if the exports overlap, those lines count twice; take the overlap out of one file"
            ),
        );
    }
}

/// Whether each part is named for returns or credits.
fn credit_files(files: &[String]) -> Vec<bool> {
    let mut credit: Vec<bool> = files.iter().map(|f| credits::names_credits(f)).collect();
    // A single file's rows are all part 0, whatever its name.
    if credit.is_empty() {
        credit.push(false);
    }
    credit
}
