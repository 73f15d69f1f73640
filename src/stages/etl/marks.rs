//! The decimal mark of a log's numbers, per file of a folder: a German subsidiary's `;` export
//! beside US ones is read with its own.

use super::layout::{decode, Layout};
use super::parse;
use super::parts::Log;

/// Whether the log's numbers write a decimal comma: what the first 5,000 rows' GP and quantity
/// values show ([`parse::decimal_comma_evidence`]), else what their other values show (dates
/// aside, as init reads them), else the delimiter's convention (`;` files
/// are written where the comma is the decimal mark). A `;` file whose values show a decimal dot
/// (`12.5`) reads `1.250` as one and a quarter, not 1,250. `headed`: whether `bytes` starts
/// with the header (a part's rows do not); `delimiter`: the file's own, for the convention.
fn decimal_comma(bytes: &[u8], lay: &Layout, headed: bool, delimiter: u8) -> bool {
    let columns: Vec<usize> = match &lay.long {
        Some(long) => [Some(long.gross_profit), long.quantity]
            .into_iter()
            .flatten()
            .collect(),
        None => lay
            .products
            .iter()
            .flat_map(|(g, q)| [*g, *q])
            .flatten()
            .collect(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(lay.delimiter)
        .has_headers(headed)
        .flexible(true)
        .from_reader(bytes);
    let (mut values, mut others): (Vec<String>, Vec<String>) = Default::default();
    for rec in rdr.byte_records().take(5_000).flatten() {
        for (i, b) in rec.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
            if columns.contains(&i) {
                values.push(decode(b).0.into_owned());
            } else if i != lay.order_date && b.iter().any(|&c| c == b'.' || c == b',') {
                others.push(decode(b).0.into_owned());
            }
        }
    }
    // When those tell nothing (`3.600`, `359.200`), the log's other values, dates aside, as
    // init reads them: a `Total` of `1.356.700` beside a GP of `3.600` (rupiah) had the GP
    // read 1,000 times too small while init had read it whole.
    let others = || parse::decimal_comma_evidence_of_cells(others.iter().map(String::as_str));
    parse::decimal_comma_evidence(values.iter().map(String::as_str))
        .or_else(others)
        .unwrap_or(delimiter == b';')
}

/// The decimal mark of each part of `log` (a German subsidiary's `;` export among US ones
/// writes `1.229` for one thousand two hundred and twenty-nine, the others `1,229`): each part
/// is judged by its own values, else by its own delimiter. One mark for a single file.
pub fn decimal_marks(bytes: &[u8], lay: &Layout, log: Option<&Log>) -> Vec<bool> {
    match log.filter(|l| l.has_parts() && l.starts.len() == l.delimiters.len()) {
        Some(log) => (0..log.starts.len())
            .map(|k| {
                let end = log.starts.get(k + 1).copied().unwrap_or(bytes.len());
                let rows = &bytes[log.starts[k].min(end)..end];
                decimal_comma(rows, lay, false, log.delimiters[k])
            })
            .collect(),
        None => vec![decimal_comma(bytes, lay, true, lay.delimiter)],
    }
}
