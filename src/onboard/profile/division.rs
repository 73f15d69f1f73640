//! Which column divides the products: a header named for it, and of those one that varies
//! within customers (a customer's attribute, Superstore's `Segment`, groups no products).

use crate::stages::etl::layout::Aliases;

use super::columns::{self, by_name};
use super::names::{norm, DIVISION};

/// The division column by its header, if any. `taken` are columns placed already; `id_notes`
/// gets why a named header was passed over.
pub(super) fn find(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    customer_id: usize,
    id_notes: &mut Vec<String>,
) -> Option<usize> {
    // A division column of one value (Sage Intacct's `Department`: `Sales` on every line) makes
    // one division of the whole log: a later header by a division's name that varies is the
    // one (its `Product line ID`).
    by_name(header, &aliases.division, &[], taken).or_else(|| {
        let named: Vec<usize> = DIVISION
            .iter()
            .filter_map(|n| {
                let free = |i: &usize| !taken.contains(i);
                (0..header.len())
                    .find(|i| norm(&header[*i]) == *n && free(i))
                    // Odoo's `Invoice lines/Product/Product Category`.
                    .or_else(|| {
                        (0..header.len()).find(|i| {
                            columns::field_part(&header[*i]).map(norm).as_deref() == Some(*n)
                                && free(i)
                        })
                    })
            })
            .collect();
        let varies = |c: usize| {
            let mut seen = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            seen.next().is_some_and(|first| seen.any(|v| v != first))
        };
        // A customer's own attribute (Superstore's `Segment`: Consumer, Corporate or Home
        // Office, one to a customer, several to a product) groups no products: divided by it,
        // each customer would own one division and have none to be sold. A named header that
        // varies within customers comes first. One value per product is a product's group,
        // even where each customer buys from one (a B2B business unit).
        let product = columns::product_by_name(header, rows, aliases, taken, false);
        let attribute = |c: usize| {
            columns::one_value_per(rows, customer_id, c)
                && product.is_none_or(|p| p == c || !columns::one_value_per(rows, p, c))
        };
        let varying: Vec<usize> = named.iter().copied().filter(|&c| varies(c)).collect();
        // A customer's attribute is no division even alone (a tester's `Category` of Gold,
        // Silver and Bronze customers made each customer own one division, and whitespace
        // offered Silver to Bronze customers).
        // Refused alone only when the products show it varies within them (a small log may
        // not tell a customer's tier from a business unit each customer buys from).
        let shown = |c: usize| {
            columns::one_value_per(rows, customer_id, c)
                && product.is_some_and(|p| p != c && columns::varies_within(rows, p, c))
        };
        let chosen = varying
            .iter()
            .copied()
            .find(|&c| !attribute(c))
            .or_else(|| varying.iter().copied().find(|&c| !shown(c)))
            .or_else(|| named.iter().copied().find(|c| !varying.contains(c)));
        if let Some(&first) = varying.first().filter(|&&f| attribute(f) && Some(f) != chosen) {
            id_notes.push(match chosen {
                Some(c) => format!(
                    "`{}` is one value per customer (a customer's attribute, not a product group): divisions are `{}` (to divide by `{}` anyway, `--column division={}`)",
                    header[first], header[c], header[first], header[first]
                ),
                None => format!(
                    "`{}` is one value per customer (a customer's attribute, not a product group): it is not the division (to divide by it anyway, `--column division={}`)",
                    header[first], header[first]
                ),
            });
        }
        chosen
    })
}
