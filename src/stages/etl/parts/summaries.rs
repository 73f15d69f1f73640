//! Summaries with a column per period among a log's tables ([`crate::stages::etl::pivot`]):
//! read as one line per row and period, each line naming its file line; and left out beside the
//! larger log of lines they sum.

use super::{column_key, origin, Note, Part};
use crate::stages::etl::layout::sniff_delimiter;
use crate::stages::etl::workbook::Sheet;

/// Each table read as a summary, or `None`: summaries with a column per month (three at least);
/// beside them, this year's of one or two months so far (`Jan 2024,Feb 2024`) with the same
/// labels is one too.
pub(super) fn reshape(tables: &[Table]) -> Vec<Option<Summary>> {
    let mut reshaped: Vec<_> = tables
        .iter()
        .map(|(name, sheet, _)| summary(name, sheet, 3))
        .collect();
    let labels: Vec<Vec<String>> = reshaped
        .iter()
        .flatten()
        .map(|r| r.labels.clone())
        .collect();
    if !labels.is_empty() {
        for (r, (name, sheet, _)) in reshaped.iter_mut().zip(tables) {
            if r.is_none() {
                *r = summary(name, sheet, 1).filter(|s| labels.contains(&s.labels));
            }
        }
    }
    reshaped
}

/// Summaries with a column per month beside a larger log of dated lines (a workbook's pivot
/// sheet beside its data sheets) are left out: their sales are the lines', and joined they would
/// count them twice. Summaries alone (a file a year), or beside a smaller file (a `notes.txt`)
/// or an undated one (a customer master), are the log, each said to be read as one line per row
/// and month.
pub(super) fn leave_out(
    parts: &mut Vec<Part>,
    summaries: Vec<(Option<Note>, usize)>,
    notes: &mut Vec<Note>,
) {
    let largest = |summary: bool| {
        (0..parts.len())
            .filter(|&i| summaries[i].0.is_some() == summary)
            .max_by_key(|&i| (summaries[i].1, std::cmp::Reverse(i)))
    };
    // Lines are dated: a customer master larger than the summaries is no log of their sales.
    let dated = |p: &Part| {
        p.header.iter().any(|h| {
            let k = column_key(h);
            k.contains("date") || k.contains("day") || k.contains("time")
        })
    };
    let lines = match (largest(false), largest(true)) {
        (Some(d), Some(s)) if summaries[d].1 > summaries[s].1 && dated(&parts[d]) => {
            Some(parts[d].name.clone())
        }
        _ => None,
    };
    let mut summaries = summaries.into_iter();
    parts.retain(|p| {
        let Some(note) = summaries.next().and_then(|s| s.0) else {
            return true;
        };
        match &lines {
            None => {
                notes.push(note);
                true
            }
            Some(lines) => {
                notes.push(Note {
                    rule: "unrelated_part",
                    message: format!(
                        "`{}` is a summary with a column per month beside the lines of `{lines}`: their sales summed, not a part of this log, left out",
                        p.name
                    ),
                    ..note
                });
                false
            }
        }
    });
}

/// The file lines of a text's lines, each of which came from line `lines[i]` of a text whose
/// lines came from the file's `first[j]` (none: its own).
fn through(lines: &[u64], first: Option<&[u64]>) -> Vec<u64> {
    lines.iter().map(|&l| origin(first, l)).collect()
}

/// A table read as one line per row and period, when it is a summary with a column per
/// period, `min` of them at least ([`crate::stages::etl::pivot`]): its text, each line's file line, the note
/// that says so, and its labels' names.
pub(super) fn summary(name: &str, sheet: &Sheet, min: usize) -> Option<Summary> {
    let u = crate::stages::etl::pivot::unpivot(&sheet.bytes, sniff_delimiter(&sheet.bytes), min)?;
    let mut note = u.note(name);
    let first = sheet.origins.as_deref();
    note.line = note.line.map(|l| through(&[l], first)[0]);
    Some(Summary {
        origins: through(&u.origins, first),
        bytes: u.bytes,
        note,
        labels: u.labels,
    })
}

/// A table of the log: its name, its text, and the values of its partition folders.
pub(super) type Table = (String, Sheet, Vec<(String, String)>);

/// A summary read as one line per row and period (see [`summary`]).
pub(super) struct Summary {
    pub bytes: Vec<u8>,
    pub origins: Vec<u64>,
    pub note: Note,
    pub labels: Vec<String>,
}
