//! A wide log's products: each GP column with its Qty column beside it (`X`, `X_Qty`), or the
//! columns of a given SKU map.

use crate::stages::etl::parse;
use crate::stages::etl::skumap::Sku;

use super::columns::{share, total_pairs};
use super::names::{is_qty_name, norm, GP_SUFFIXES, QTY_SUFFIXES};

/// The products' (GP, Qty) column pairs, and the GP columns of the pairs left out as totals of
/// the others. `taken` are columns placed already.
pub(super) fn find(
    header: &[String],
    rows: &[Vec<String>],
    sku_map: Option<&[Sku]>,
    taken: &[usize],
    decimal_comma: bool,
) -> (Vec<(usize, Option<usize>)>, Vec<usize>) {
    // Products: the given map's columns, or every X with a sibling Qty column.
    let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
    match sku_map {
        Some(skus) => {
            for s in skus {
                if let Some(g) = header.iter().position(|h| *h == s.gp_column) {
                    let qty = header
                        .iter()
                        .position(|h| !s.qty_column.is_empty() && *h == s.qty_column);
                    pairs.push((g, qty));
                }
            }
        }
        None => {
            for (i, h) in header.iter().enumerate() {
                // A blank header (a trailing comma on every line) names no product: `` and
                // `Qty` are not a GP/Qty pair.
                if taken.contains(&i)
                    || pairs.iter().any(|&(_, q)| q == Some(i))
                    || h.trim().is_empty()
                {
                    continue;
                }
                let base = GP_SUFFIXES
                    .iter()
                    .find_map(|s| h.strip_suffix(s))
                    .unwrap_or(h);
                if is_qty_name(h) {
                    continue;
                }
                // Exact first (`X_Qty`), then ignoring case and separators (`DELMIA` with
                // `Delmia_Qty`, `Success Plan GP` with `Success_Plan_Qty`).
                let exact = QTY_SUFFIXES.iter().find_map(|s| {
                    let q = format!("{base}{s}");
                    header.iter().position(|x| *x == q)
                });
                let loose = || {
                    let n = norm(base);
                    header.iter().position(|x| {
                        let x = norm(x);
                        x == format!("{n}qty") || x == format!("{n}quantity")
                    })
                };
                let qty = exact
                    .or_else(loose)
                    .filter(|&j| j != i && !taken.contains(&j));
                // A product's GP holds numbers (`Item` beside `Item Quantity` is no product).
                let (s, n) = share(rows, i, |v| parse::currency(v, decimal_comma).is_some());
                if let (Some(q), true) = (qty, n == 0 || s >= 0.9) {
                    pairs.push((i, Some(q)));
                }
            }
        }
    }
    // A BI export's `Total GP` / `Total Qty` pair is the row's total, not a product: loaded, it
    // doubled a trial's GP and made a division of its own.
    let totals = total_pairs(header, rows, &pairs, decimal_comma);
    pairs.retain(|(g, _)| !totals.contains(g));
    (pairs, totals)
}
