//! A part that is a copy of another (`sales_2020 - Copy.csv`): left out, and said so.

use super::{column_key, Note, Part};
use crate::stages::etl::contracts::Severity;

/// A part that repeats another byte for byte, line ends aside (`sales_2020 - Copy.csv` beside
/// `sales_2020.csv`, an export downloaded twice) is left out with a `copied_part` note. The ETL would drop its
/// rows as exact duplicates anyway, but thousands of duplicate warnings hide what happened, and
/// the copy, sorting first, would be named as the rows' source. The shortest name is taken
/// for the original.
pub(super) fn leave_out_copies(parts: &mut Vec<Part>, notes: &mut Vec<Note>) {
    let key = |p: &Part| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for c in &p.header {
            h.update(column_key(c).as_bytes());
            h.update(b"\0");
        }
        h.update(&[p.delimiter]);
        // The same rows in two partitions (`region=East/`, `region=West/`) are not a copy.
        for v in &p.partition {
            h.update(v);
            h.update(b"\0");
        }
        // Line ends aside: a re-download with CRLF is the same export, and so is one whose
        // CRLF went through a text-mode transfer again (`\r\r\n`: the header's line end then
        // leaves a `\r\n` where the data starts).
        for chunk in p.bytes[p.data_start..].trim_ascii().split(|&b| b == b'\r') {
            h.update(chunk);
        }
        h.digest128()
    };
    let mut groups: Vec<(u128, Vec<usize>)> = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let k = key(p);
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    let mut copy = vec![false; parts.len()];
    for (_, group) in groups.iter().filter(|g| g.1.len() > 1) {
        let original = *group
            .iter()
            .min_by_key(|&&i| (parts[i].name.chars().count(), i))
            .expect("a group has a part");
        for &i in group.iter().filter(|&&i| i != original) {
            copy[i] = true;
            notes.push(Note {
                rule: "copied_part",
                severity: Severity::Warning,
                file: parts[i].name.clone(),
                line: None,
                message: format!(
                    "`{}` repeats `{}` byte for byte: a copy, left out (its rows are counted once, as `{}`'s)",
                    parts[i].name, parts[original].name, parts[original].name
                ),
            });
        }
    }
    let mut i = 0;
    parts.retain(|_| {
        i += 1;
        !copy[i - 1]
    });
}
