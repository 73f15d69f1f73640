//! Credit memos exported as tables of their own, beside the invoices' (Business Central's
//! `Sales Cr.Memo Header` and `Sales Cr.Memo Line` beside `Sales Invoice Header` and `Line`):
//! each lines table joins its own header. Their numbers may be the invoices' own (two series
//! from 1000): joined as one header table, a number on an invoice's and a credit memo's rows
//! joined neither's lines, and with many such nothing joined and the log could not load.
//!
//! The invoices' tables are found as any log's; the credit memos' are then the tables whose
//! columns are most like the invoices' header's and lines', joined by the same key columns. A
//! family of a credit memo or two, or credit memos of one line each, would not pass the tests a
//! header table must pass on its own (ten documents, fewer rows than the lines): the invoices'
//! header has passed them.

use super::{apply, found_in, key_of, plan, rows, stem, tables, unique_columns, Found, Note, Part};
use super::{Plan, Sample};
use crate::stages::etl::credits::names_credits;

/// Joins the credit memos' and the invoices' tables apart, when the parts hold both kinds, each
/// with a header; `false` (and `parts` as they were) otherwise.
pub(super) fn join_apart(parts: &mut Vec<Part>, notes: &mut Vec<Note>) -> bool {
    let credit = |p: &Part| names_credits(&p.name);
    if !parts.iter().any(credit) || parts.iter().all(credit) {
        return false;
    }
    let (credits, others): (Vec<usize>, Vec<usize>) =
        (0..parts.len()).partition(|&i| credit(&parts[i]));
    let order: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let mut taken: Vec<Option<Part>> = std::mem::take(parts).into_iter().map(Some).collect();
    let mut take = |of: &[usize]| -> Vec<Part> {
        of.iter()
            .map(|&i| taken[i].take().expect("each part once"))
            .collect()
    };
    let (mut credits, mut others) = (take(&credits), take(&others));
    let plans = plan(&others)
        .ok()
        .and_then(|o| Some((like(&credits, &o)?, o)));
    let apart = plans.is_some();
    if let Some((c, o)) = plans {
        // One name for a column both headers add, so that the union keeps one column.
        let stem = stem(&others, &o);
        apply(&mut others, o, notes, "invoice", &stem);
        apply(&mut credits, c, notes, "credit memo", &stem);
    }
    parts.extend(others.into_iter().chain(credits));
    parts.sort_by_key(|p| order.iter().position(|n| *n == p.name));
    apart
}

/// The credit memos' header and lines among `parts`, joined as the invoices' are in `model`:
/// the tables sharing most columns with the invoices' header and lines, the same key columns,
/// and nine in ten of the lines' numbers in the header.
fn like(parts: &[Part], model: &Plan) -> Option<Plan> {
    let all = tables(parts);
    let (mh, ml) = (&model.all[model.f.header], &model.all[model.f.lines]);
    let (h_key, l_key) = (&mh.keys[model.f.header_key], &ml.keys[model.f.lines_key]);
    let most_like = |of: &super::Table, key: &String, but: Option<usize>| {
        (0..all.len())
            .filter(|&t| Some(t) != but && all[t].keys.contains(key))
            .max_by_key(|&t| all[t].keys.iter().filter(|k| of.keys.contains(k)).count())
    };
    let h = most_like(mh, h_key, None)?;
    let l = most_like(ml, l_key, Some(h))?;
    let header_key = all[h].keys.iter().position(|k| k == h_key)?;
    let lines_key = all[l].keys.iter().position(|k| k == l_key)?;
    let h_rows = rows(parts, &all[h], usize::MAX);
    let key = unique_columns(&h_rows)
        .into_iter()
        .find(|k| k.column == header_key)?;
    let sample = Sample::of(parts, &all[l]);
    let values: Vec<Vec<u8>> = sample
        .rows
        .iter()
        .map(|r| key_of(&r[lines_key]))
        .filter(|v| !v.is_empty())
        .collect();
    let (found, matched) = found_in(&values, &key.rows);
    if values.is_empty() || found * 10 < values.len() * 9 {
        return None;
    }
    Some(Plan {
        f: Found {
            header: h,
            lines: l,
            header_key,
            lines_key,
            matched,
            conflicted: key.conflicted,
        },
        all,
        h_rows,
        l_rows: sample.rows,
    })
}
