//! Columns that group a long log's products (`Genre`, `Product Category`): without a division
//! column, the one whose header says so is the division, rather than a division per product
//! (1,730 models on a trial's 59 customers); others that group them are named in a note.

use std::collections::{HashMap, HashSet};

use super::columns::one_value_per;
use super::names::*;
use super::share;
use crate::stages::etl::parse;

/// The division of a long log with none named: the finest column of [`product_groups`] whose
/// header says it groups products (taken, and said), else none (the other grouping columns
/// named in a note).
pub(super) fn division(
    header: &[String],
    rows: &[Vec<String>],
    taken: &mut Vec<usize>,
    product: usize,
    customer_id: usize,
    decimal_comma: bool,
    notes: &mut Vec<String>,
) -> Option<usize> {
    let (named, others) = product_groups(header, rows, taken, product, customer_id, decimal_comma);
    let list = |groups: &[(usize, usize)]| {
        groups
            .iter()
            .map(|&(c, n)| format!("`{}` ({n} values)", header[c]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match named.split_first() {
        Some((&(c, n), rest)) => {
            let rest: Groups = rest.iter().chain(&others).copied().collect();
            notes.push(format!(
                "divisions are the {n} values of `{}`: no column is named as a division, and `{}` holds one to each product{}",
                header[c],
                header[c],
                if rest.is_empty() {
                    " (`--column division=HEADER` to divide by another column)".to_string()
                } else {
                    format!(
                        "; to divide by another that does, `--column division=HEADER`: {}",
                        list(&rest)
                    )
                }
            ));
            taken.push(c);
            Some(c)
        }
        None => {
            if !others.is_empty() {
                notes.push(format!(
                    "no division column (the products line says how products are grouped); columns holding one value to each product could group them: {} (`--column division=HEADER`)",
                    list(&others)
                ));
            }
            None
        }
    }
}

/// Words in a header that say it groups products (`Genre`, `Product Category`, `Item Class`,
/// `Media Type`): such a column, one value to a product, is taken for the division of a long
/// log that names none. A bare `Type`, `Class` or `Line` is not among them: a tester's `Type`
/// of `Sale`/`Return`, `Payment Type`, `Unit Type` and `Tax Class` were all one value to a
/// product, and none is a product group.
const GROUP_WORDS: &[&str] = &[
    "genre",
    "categ",
    "group",
    "family",
    "department",
    "dept",
    "segment",
    "collection",
    "series",
    "section",
    "productline",
    "itemline",
    "productclass",
    "itemclass",
    "producttype",
    "itemtype",
    "mediatype",
    // Spanish, Portuguese, Italian, French, German, Japanese: category, family, group, line.
    "categor",
    "catégor",
    "kategor",
    "familia",
    "famiglia",
    "famille",
    "gruppe",
    "grupo",
    "gruppo",
    "sparte",
    "rubro",
    "linea",
    "ligne",
    "カテゴリ",
    "分類",
];

/// Words in a header that say it is no product group, whatever its values: a tax's, a price
/// list's, a shipment's, an order's or a payment's class (`VAT Category`, `Price Group`,
/// `Shipping Group`, `Order Category`), or a customer's or a place's.
const NOT_GROUP_WORDS: &[&str] = &[
    "tax",
    "vat",
    "gst",
    "iva",
    "mwst",
    "price",
    "ship",
    "order",
    "payment",
    "pay",
    "status",
    "customer",
    "client",
    "account",
    "region",
    "territory",
    "country",
    "channel",
    "currency",
];

/// Values that mark a document or a transaction, never a product group (`Sale`/`Return`,
/// `Invoice`/`Credit Memo`, `Card`): a column holding one is no division.
const DOCUMENT_VALUES: &[&str] = &[
    "sale",
    "sales",
    "return",
    "returns",
    "refund",
    "invoice",
    "creditmemo",
    "credit",
    "creditnote",
    "debitnote",
    "order",
    "payment",
    "card",
    "cash",
    "cheque",
    "check",
    "taxable",
    "exempt",
    "nontaxable",
    "standardrated",
    "zerorated",
    "reducedrate",
    "standardrate",
    "zerorate",
    // Spanish, German, French, Portuguese, Italian: sale, return, invoice, credit note.
    "venta",
    "devolucion",
    "devolución",
    "factura",
    "abono",
    "rechnung",
    "gutschrift",
    "retoure",
    "facture",
    "avoir",
    "retour",
    "vente",
    "devolucao",
    "devolução",
    "fattura",
    "reso",
];

/// Columns grouping products: (header index, values).
type Groups = Vec<(usize, usize)>;

/// Columns that group a long log's products: text (not numbers, not dates), filled on four
/// rows in five, named by none of [`NOT_GROUP_WORDS`], one value to a product on 98% of the sampled rows, from 2 to 40 values (50 for
/// a header of [`GROUP_WORDS`]), each holding two products or more on average, none on nine rows
/// in ten, none a document's or a payment's ([`DOCUMENT_VALUES`]), and no customer's attribute. Those whose header
/// says it groups products ([`GROUP_WORDS`]) first, the finer first; then the others, for a
/// note. (header index, values).
fn product_groups(
    header: &[String],
    rows: &[Vec<String>],
    taken: &[usize],
    product: usize,
    customer_id: usize,
    decimal_comma: bool,
) -> (Groups, Groups) {
    let sample: Vec<&Vec<String>> = rows.iter().take(5_000).collect();
    let products: HashSet<&str> = sample
        .iter()
        .filter_map(|r| r.get(product).map(|v| v.trim()))
        .filter(|v| !v.is_empty())
        .collect();
    let (mut named, mut others) = (Vec::new(), Vec::new());
    // A dozen products or fewer are divisions enough (as for code prefixes).
    if products.len() <= 12 {
        return (named, others);
    }
    for (c, h) in header.iter().enumerate() {
        if c == product || taken.contains(&c) || h.trim().is_empty() {
            continue;
        }
        let filled = sample
            .iter()
            .filter(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()))
            .count();
        // Four rows in five: a genre left blank on a few products' rows is still one.
        if sample.is_empty() || filled * 5 < sample.len() * 4 {
            continue;
        }
        let (numbers, _) = share(rows, c, |v| parse::currency(v, decimal_comma).is_some());
        let (dates, _) = share(rows, c, |v| {
            parse::date_in(v, parse::DateOrder::Mdy).is_some()
                || parse::date_in(v, parse::DateOrder::Dmy).is_some()
        });
        if numbers >= 0.5 || dates >= 0.5 {
            continue;
        }
        // Per product, its values' rows: the product's own value is its most frequent.
        let mut by_product: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        let mut values: HashSet<&str> = HashSet::new();
        for r in &sample {
            let (Some(p), Some(v)) = (r.get(product), r.get(c)) else {
                continue;
            };
            let (p, v) = (p.trim(), v.trim());
            if p.is_empty() || v.is_empty() {
                continue;
            }
            values.insert(v);
            *by_product.entry(p).or_default().entry(v).or_default() += 1;
        }
        let rows_seen: usize = by_product.values().flat_map(|m| m.values()).sum();
        let agreeing: usize = by_product
            .values()
            .map(|m| m.values().copied().max().unwrap_or(0))
            .sum();
        let n = values.len();
        let norm = norm(h);
        if NOT_GROUP_WORDS.iter().any(|w| norm.contains(w)) {
            continue;
        }
        let group_name = GROUP_WORDS.iter().any(|w| norm.contains(w));
        // One value on nine rows in ten groups nothing (a `Sale` beside a few `Return`s).
        let largest = by_product
            .values()
            .flat_map(|m| m.iter())
            .fold(HashMap::<&str, usize>::new(), |mut t, (v, n)| {
                *t.entry(v).or_default() += n;
                t
            })
            .into_values()
            .max()
            .unwrap_or(0);
        if !(2..=if group_name { 50 } else { 40 }).contains(&n)
            || largest * 10 >= rows_seen * 9
            || values
                .iter()
                .any(|v| DOCUMENT_VALUES.contains(&super::names::norm(v).as_str()))
            || products.len() < 2 * n
            || (agreeing as f64) < 0.98 * rows_seen as f64
            || one_value_per(rows, customer_id, c)
        {
            continue;
        }
        if group_name {
            named.push((c, n));
        } else {
            others.push((c, n));
        }
    }
    // The finer grouping first: `Genre` (25) over `Media Type` (5).
    named.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    others.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    (named, others)
}
