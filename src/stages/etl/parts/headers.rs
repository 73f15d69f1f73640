//! A log exported as two tables, as ERPs keep invoices: a **header** table with one row per
//! invoice (its number, customer, date, currency, status) and a **lines** table with one row per
//! product line (the invoice's number, item, quantity, amount, profit). SAP's billing documents
//! (VBRK/VBRP), Dynamics' `CustInvoiceJour`/`CustInvoiceTrans`, NetSuite's transactions and
//! their lines, Odoo's moves and move lines all export this way; the lines alone name no customer
//! and often no day, so without the header nothing of them could load.
//!
//! A folder (or a workbook) holding both is read as one log: each line gets the columns of its
//! invoice's header row that the lines do not have, looked up by the invoice number. The header
//! table is told by what it is, not by its name: the lines are the largest table; the header
//! has fewer rows, a date column, and a unique key that nine in ten of the values of one of the
//! lines' columns fall in, finding more of their invoices than any other table's key, and never
//! by a lines column named for a customer or a product. So a customer or product master stays
//! an `unrelated_part`, as before (a product master's codes are also shared by too many lines
//! to be invoice numbers).
//! Several header files (a year each) are one table, and so are several line files.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{column_key, reader, Note, Part};

mod credits;
mod detect;
use crate::stages::etl::contracts::Severity;
use crate::stages::etl::layout::decode;
use crate::stages::etl::parse;
pub(super) use detect::names_a_master;
use detect::*;

/// The header rows the lines of a part are joined to.
#[derive(Debug)]
pub(super) struct Lookup {
    /// The header columns each line gets (those the lines lack), as the header spells them.
    pub columns: Vec<String>,
    /// An invoice's key (see [`key_of`]) to its cells of `columns`.
    pub rows: HashMap<Vec<u8>, Vec<Vec<u8>>>,
}

/// A part's join: which of its own columns holds the key, and the rows it looks up.
#[derive(Debug, Clone)]
pub(super) struct Join {
    pub key: usize,
    pub lookup: Rc<Lookup>,
}

impl Join {
    /// The cells of `columns` for a line whose key cell is `cell`; `None` when no header row
    /// has that key.
    pub fn cells(&self, cell: &[u8]) -> Option<&[Vec<u8>]> {
        self.lookup.rows.get(&key_of(cell)).map(Vec::as_slice)
    }
}

/// An invoice number as both tables must agree on it: as the ETL reads an invoice id
/// ([`parse::id`]: trimmed, a pandas float `1001.0` as `1001`, `nan` and `null` as none).
fn key_of(cell: &[u8]) -> Vec<u8> {
    parse::id(&decode(cell).0).unwrap_or_default().into_bytes()
}

/// Joins a header table, if the parts hold one, to the lines' parts: they get the header's
/// columns, and the header's parts are taken out of `parts`, with a note saying so.
pub(super) fn join(parts: &mut Vec<Part>, notes: &mut Vec<Note>) {
    if credits::join_apart(parts, notes) {
        return;
    }
    match plan(parts) {
        Ok(plan) => {
            let stem = stem(parts, &plan);
            apply(parts, plan, notes, "invoice", &stem)
        }
        Err(why) => notes.extend(why),
    }
}

/// A header table found for a lines table, with the rows read to find it.
struct Plan {
    all: Vec<Table>,
    f: Found,
    h_rows: Vec<Vec<Vec<u8>>>,
    l_rows: Vec<Vec<Vec<u8>>>,
}

/// The header table of the parts' lines, or why none is (`None`: no table looked like one).
fn plan(parts: &[Part]) -> Result<Plan, Option<Note>> {
    let all = tables(parts);
    if all.len() < 2 {
        return Err(None);
    }
    // The lines are a table of those that look most like sales lines (Olist's payments, one
    // row per instalment, outnumber its order items, and Chinook's playlist tracks its invoice
    // lines: taken as the lines, the invoices' join was lost and no customer found), the
    // largest that has a header (a tester's stock ledger, a product and an `Amount` a row but
    // no order number, outnumbered the order lines); of the others, the header is the one whose
    // key finds the most of their invoices (a customer master keyed by a column the header
    // holds is no header of the lines, nor is a product master, whose codes many lines share).
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&t| {
        std::cmp::Reverse((line_likeness(&all[t]), all[t].lines, std::cmp::Reverse(t)))
    });
    let top = line_likeness(&all[order[0]]);
    let mut why_not = None;
    for &l in order.iter().take_while(|&&t| line_likeness(&all[t]) == top) {
        match header_for(parts, &all, l) {
            Ok((f, h_rows, l_rows)) => {
                return Ok(Plan {
                    h_rows,
                    l_rows,
                    all,
                    f,
                })
            }
            // Why the first (the largest) has none, if none has.
            Err(why) => {
                why_not.get_or_insert(why);
            }
        }
    }
    Err(why_not.flatten())
}

/// The header table of lines table `l`, with the rows read to find it (the header's, the
/// lines' sample); else why none is (`None`: no table looked like one).
#[allow(clippy::type_complexity)]
fn header_for(
    parts: &[Part],
    all: &[Table],
    l: usize,
) -> Result<(Found, Vec<Vec<Vec<u8>>>, Vec<Vec<Vec<u8>>>), Option<Note>> {
    let sample = Sample::of(parts, &all[l]);
    // Each smaller table, read once: judged as the header, and if none is, asked why not. (An
    // invoice has a line or more, so a header has fewer rows; two tables of as many rows are
    // more likely one log under two headers, which blocks.)
    let mut candidates: Vec<(usize, Vec<Vec<Vec<u8>>>)> = (0..all.len())
        .filter(|&h| h != l && all[h].lines < all[l].lines)
        .map(|h| (h, rows(parts, &all[h], usize::MAX)))
        .collect();
    let best = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, (h, h_rows))| Some((i, header_of(all, *h, l, h_rows, &sample)?)))
        .fold(None::<(usize, Found)>, |b, (i, f)| match b {
            Some((_, ref bf)) if bf.matched >= f.matched => b,
            _ => Some((i, f)),
        });
    let Some((i, f)) = best else {
        return Err(not_joined(parts, all, l, &candidates, &sample));
    };
    Ok((f, candidates.swap_remove(i).1, sample.rows))
}

/// The name a header's column is added under beside the lines' own (`Date (invoice_header)`):
/// its first file's, without its extension.
fn stem(parts: &[Part], plan: &Plan) -> String {
    let name = &parts[plan.all[plan.f.header].parts[0]].name;
    let file = name.rsplit('/').next().unwrap_or(name);
    file.split('.').next().unwrap_or(file).to_string()
}

/// Joins `plan`'s header to its lines, and takes the header's parts out of `parts`; `what`
/// the notes call a document (`invoice`), `stem` names the header's columns added beside the
/// lines' own.
fn apply(parts: &mut Vec<Part>, plan: Plan, notes: &mut Vec<Note>, what: &str, stem: &str) {
    let Plan {
        all,
        f,
        h_rows,
        l_rows,
    } = plan;
    let (ht, lt) = (&all[f.header], &all[f.lines]);
    let added: Vec<usize> = (0..ht.keys.len())
        .filter(|&c| c != f.header_key && !lt.keys.contains(&ht.keys[c]))
        .collect();
    let mut columns: Vec<String> = added.iter().map(|&c| ht.names[c].clone()).collect();
    // A column both tables have keeps the lines' values; where the header's differ (the
    // lines' `Date` a ship date, the header's the invoice's), the header's is added beside it,
    // named for its file (`Date (invoice_header)`), for init to choose between and name.
    let both = differing(&all, &f, &h_rows, &l_rows);
    columns.extend(both.iter().map(|&c| format!("{} ({stem})", ht.names[c])));
    let added: Vec<usize> = added.into_iter().chain(both).collect();
    let mut lookup = Lookup {
        columns,
        rows: HashMap::with_capacity(h_rows.len()),
    };
    for r in h_rows {
        let key = key_of(&r[f.header_key]);
        if f.conflicted.contains(&key) {
            continue;
        }
        let cells = added.iter().map(|&c| r[c].clone()).collect();
        lookup.rows.entry(key).or_insert(cells);
    }
    let lookup = Rc::new(lookup);
    let key_name = &lt.keys[f.lines_key];
    for &i in &lt.parts {
        let p = &mut parts[i];
        let Some(key) = p.header[..p.own_width()]
            .iter()
            .position(|h| column_key(h) == *key_name)
        else {
            continue;
        };
        p.header.extend(lookup.columns.iter().cloned());
        p.join = Some(Join {
            key,
            lookup: lookup.clone(),
        });
    }
    let header_files: Vec<String> = ht.parts.iter().map(|&i| parts[i].name.clone()).collect();
    let line_files: Vec<String> = lt.parts.iter().map(|&i| parts[i].name.clone()).collect();
    let (hk, lk) = (&ht.names[f.header_key], &lt.names[f.lines_key]);
    notes.push(Note {
        rule: "header_table",
        severity: Severity::Warning,
        file: header_files[0].clone(),
        line: None,
        message: format!(
            "{} the {what}s' header{}, one row per {what}: {} {} joined to each line of {} by `{lk}`{}",
            listed(&header_files, "is", "are"),
            if header_files.len() == 1 { "" } else { "s" },
            columns_listed(&lookup.columns),
            if lookup.columns.len() == 1 { "is" } else { "are" },
            listed(&line_files, "", ""),
            if column_key(hk) == column_key(lk) {
                String::new()
            } else {
                format!(" (`{hk}` there)")
            },
        ),
    });
    if let Some(first) = f.conflicted.iter().min() {
        notes.push(Note {
            rule: "header_key_repeated",
            severity: Severity::Warning,
            file: header_files[0].clone(),
            line: None,
            message: format!(
                "{} invoice number(s) of {} are on header rows that differ (the first: `{}`): which is a line's cannot be told, so their lines get nothing from the header",
                f.conflicted.len(),
                listed(&header_files, "", ""),
                decode(first).0
            ),
        });
    }
    let mut drop: Vec<usize> = ht.parts.clone();
    drop.sort_unstable();
    for i in drop.into_iter().rev() {
        parts.remove(i);
    }
}

/// The header's columns (by index) that the lines have too but whose values differ from the
/// lines' on more than one sampled line in a hundred.
fn differing(
    all: &[Table],
    f: &Found,
    h_rows: &[Vec<Vec<u8>>],
    l_rows: &[Vec<Vec<u8>>],
) -> Vec<usize> {
    let (ht, lt) = (&all[f.header], &all[f.lines]);
    let by_key: HashMap<Vec<u8>, &Vec<Vec<u8>>> = h_rows
        .iter()
        .map(|r| (key_of(&r[f.header_key]), r))
        .collect();
    (0..ht.keys.len())
        .filter(|&c| c != f.header_key)
        .filter_map(|c| {
            let lc = lt.keys.iter().position(|k| *k == ht.keys[c])?;
            let (mut compared, mut differ) = (0usize, 0usize);
            for r in l_rows {
                if let Some(h) = by_key.get(&key_of(&r[f.lines_key])) {
                    compared += 1;
                    differ += usize::from(h[c].trim_ascii() != r[lc].trim_ascii());
                }
            }
            (compared > 0 && differ * 100 > compared).then_some(c)
        })
        .collect()
}

/// Why a table that looks like the invoices' header (a date column, and a column most of whose
/// values are among one lines column's) was not joined: too few of the lines' invoices found,
/// or too many numbers on rows that differ. A refusal for the lines' missing customer says this
/// instead of leaving the user to guess (a trial's headers of 2022 on only were "no customer id
/// column").
fn not_joined(
    parts: &[Part],
    all: &[Table],
    l: usize,
    candidates: &[(usize, Vec<Vec<Vec<u8>>>)],
    sample: &Sample,
) -> Option<Note> {
    let lt = &all[l];
    let mut best: Option<(f64, String)> = None;
    for (h, h_rows) in candidates {
        let ht = &all[*h];
        // A table of one column (a calendar's `Date`) has nothing to join to a line.
        if ht.keys.len() < 2 || !(0..ht.keys.len()).any(|c| is_date_column(h_rows, c)) {
            continue;
        }
        for d in 0..ht.keys.len() {
            let keys: HashMap<Vec<u8>, usize> = h_rows
                .iter()
                .map(|r| key_of(&r[d]))
                .filter(|k| !k.is_empty())
                .fold(HashMap::new(), |mut m, k| {
                    *m.entry(k).or_default() += 1;
                    m
                });
            let repeated = keys.values().filter(|&&n| n > 1).count();
            for (c, values) in &sample.numbers {
                let (found, distinct) = found_in(values, &keys);
                if distinct < 10 {
                    continue;
                }
                let c = *c;
                let share = found as f64 / values.len() as f64;
                // Found, and one row to an invoice: not why it was not joined (a calendar table
                // of one date column was said to repeat "0 of its values ... over one in a
                // hundred"). Nothing to tell.
                if share < 0.2
                    || (share >= 0.9 && repeated == 0)
                    || best.as_ref().is_some_and(|b| b.0 >= share)
                {
                    continue;
                }
                let file = &parts[ht.parts[0]].name;
                let why = if share < 0.9 {
                    format!(
                        "only {:.0}% of the lines' `{}` values are among its `{}` (nine in ten are needed): export the header of every line's invoice",
                        100.0 * share,
                        lt.names[c],
                        ht.names[d]
                    )
                } else {
                    format!(
                        "{repeated} of its `{}` values are on two rows or more that differ, over one in a hundred: give each invoice one header row",
                        ht.names[d]
                    )
                };
                best = Some((
                    share,
                    format!("`{file}` looks like the invoices' header, but is not joined to the lines: {why}"),
                ));
            }
        }
    }
    let (_, message) = best?;
    Some(Note {
        rule: "header_not_joined",
        severity: Severity::Warning,
        file: parts[lt.parts[0]].name.clone(),
        line: None,
        message,
    })
}

/// "`a.csv` is", "`a.csv` and `b.csv` are", "`a.csv` and 3 more are".
fn listed(files: &[String], one: &str, many: &str) -> String {
    let verb = |v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            format!(" {v}")
        }
    };
    match files {
        [one_file] => format!("`{one_file}`{}", verb(one)),
        [a, b] => format!("`{a}` and `{b}`{}", verb(many)),
        [a, rest @ ..] => format!("`{a}` and {} more{}", rest.len(), verb(many)),
        [] => String::new(),
    }
}

/// "its `Customer No`, `Posting Date` and 4 more".
fn columns_listed(columns: &[String]) -> String {
    let shown: Vec<String> = columns.iter().take(4).map(|c| format!("`{c}`")).collect();
    let more = columns.len().saturating_sub(4);
    if more > 0 {
        format!("its {} and {more} more", shown.join(", "))
    } else {
        format!("its {}", shown.join(", "))
    }
}

/// A line of `file` whose key no header row has: its header's cells are empty.
#[derive(Debug, Default)]
pub(super) struct Misses {
    /// (part name, its key column, lines, first line, first key).
    by_part: Vec<(String, String, u64, u64, String)>,
}

impl Misses {
    pub fn add(&mut self, part: &Part, line: u64, key: &[u8]) {
        match self.by_part.iter_mut().find(|m| m.0 == part.name) {
            Some(m) => m.2 += 1,
            None => {
                let column = part.join.as_ref().map(|j| part.header[j.key].clone());
                self.by_part.push((
                    part.name.clone(),
                    column.unwrap_or_default(),
                    1,
                    line,
                    decode(key).0.trim().to_string(),
                ))
            }
        }
    }

    pub fn notes(self, notes: &mut Vec<Note>) {
        for (file, column, n, line, key) in self.by_part {
            notes.push(Note {
                rule: "line_without_header",
                severity: Severity::Warning,
                message: format!(
                    "{n} line(s) of `{file}` have a `{column}` no row of the invoices' header has (the first: `{key}`): they get nothing from it, and are dropped if that leaves them no customer or day"
                ),
                file,
                line: Some(line),
            });
        }
    }
}
