//! A master table beside the log: one row per customer (or product) of the log, keyed by a
//! column whose values the log repeats on each of that customer's lines. A CRM's account list
//! exported into the sales folder is one; it is no part of the log, however wide. Told apart
//! from the same log under other headers (which blocks, see [`super::read_except`]) by its key:
//! a log's customer ids repeat, a master's do not, and the log's are among them.

use std::collections::HashSet;

use super::headers::names_a_master;
use super::{column_key, reader, Part};
use crate::stages::etl::layout::decode;

/// Rows of each table judged: enough to tell, few enough to stay quick on a large log.
const SAMPLE: usize = 5_000;

/// The first [`SAMPLE`] non-blank rows of a part, each cell decoded and trimmed.
fn sample(p: &Part) -> Vec<Vec<String>> {
    let mut rdr = reader(&p.bytes[p.data_start..], p.delimiter);
    let mut rec = csv::ByteRecord::new();
    let mut out = Vec::new();
    while out.len() < SAMPLE && rdr.read_byte_record(&mut rec).unwrap_or(false) {
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        out.push(rec.iter().map(|f| decode(f).0.trim().to_string()).collect());
    }
    out
}

/// The values of column `c`, blanks left out.
fn column(rows: &[Vec<String>], c: usize) -> Vec<&str> {
    rows.iter()
        .filter_map(|r| r.get(c))
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .collect()
}

/// `Some((its key column, the log's column))` when `part` is a master of one of the log's
/// (`reference`'s) columns: a column of `part` with a value on every row and no value twice,
/// in which at least half of the distinct values of a `reference` column fall, where that
/// column repeats its values (two rows a value or more on average: a customer's lines) and is
/// named for a customer or a product, or as the key is (a quantity's 1, 2, 3 fall in any
/// column of row numbers: no master's).
pub(super) fn master_of(part: &Part, reference: &Part) -> Option<(String, String)> {
    let mine = sample(part);
    if mine.len() < 2 {
        return None;
    }
    let keys: Vec<(usize, HashSet<&str>)> = (0..part.header.len())
        .filter_map(|c| {
            let values = column(&mine, c);
            let set: HashSet<&str> = values.iter().copied().collect();
            (values.len() == mine.len() && set.len() == values.len()).then_some((c, set))
        })
        .collect();
    if keys.is_empty() {
        return None;
    }
    let theirs = sample(reference);
    for c in 0..reference.header.len() {
        let name = column_key(&reference.header[c]);
        if !names_a_master(&name)
            && !keys
                .iter()
                .any(|(k, _)| column_key(&part.header[*k]) == name)
        {
            continue;
        }
        let values = column(&theirs, c);
        let distinct: HashSet<&str> = values.iter().copied().collect();
        if distinct.len() < 2 || values.len() < 2 * distinct.len() {
            continue;
        }
        for (k, set) in &keys {
            let found = distinct.iter().filter(|v| set.contains(*v)).count();
            if 2 * found >= distinct.len() {
                return Some((part.header[*k].clone(), reference.header[c].clone()));
            }
        }
    }
    None
}
