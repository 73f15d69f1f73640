//! The SKU map (`stages/sku_map.csv`, plus an optional overrides file): which GP and Qty columns
//! of the wide sales log are products, and which division each belongs to.

use std::collections::BTreeMap;
use std::path::Path;

/// One product: its GP column (also its SKU name), Qty column and division.
#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    pub gp_column: String,
    pub qty_column: String,
    pub division: String,
    pub family: String,
    pub sale_type: String,
    /// Source `Division` value -> product division (e.g. AM_Support sold by Scanning).
    pub routes: BTreeMap<String, String>,
}

fn read(path: &Path) -> Result<Vec<Sku>, String> {
    let shown = path.display();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("`{shown}`: {e}"))?
        .clone();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
    let (Some(gp), Some(qty), Some(div)) = (
        col(&["gp_column", "gp_col", "gp", "sku"]),
        col(&["qty_column", "qty_col", "qty"]),
        col(&["division", "product_division"]),
    ) else {
        return Err(format!(
            "`{shown}` needs columns `gp_column`, `qty_column` and `division` (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let family = col(&["family"]);
    let sale_type = col(&["sale_type"]);
    let routes = col(&["division_routes"]);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("`{shown}` row {}: {e}", i + 2))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        let sku = Sku {
            gp_column: get(Some(gp)),
            qty_column: get(Some(qty)),
            division: get(Some(div)),
            family: get(family),
            sale_type: get(sale_type),
            routes: get(routes)
                .split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect(),
        };
        if sku.gp_column.is_empty() || sku.qty_column.is_empty() || sku.division.is_empty() {
            return Err(format!(
                "`{shown}` row {}: `gp_column`, `qty_column` and `division` must not be blank",
                i + 2
            ));
        }
        out.push(sku);
    }
    Ok(out)
}

/// Loads the map, then applies overrides: an override row replaces the entry with the same GP
/// column, or is appended.
pub fn load(map: &Path, overrides: Option<&Path>) -> Result<Vec<Sku>, String> {
    let mut skus = read(map)?;
    if skus.is_empty() {
        return Err(format!("`{}` has no SKUs", map.display()));
    }
    if let Some(o) = overrides {
        for s in read(o)? {
            match skus.iter_mut().find(|x| x.gp_column == s.gp_column) {
                Some(x) => *x = s,
                None => skus.push(s),
            }
        }
    }
    Ok(skus)
}

/// Distinct divisions, sorted.
pub fn divisions(skus: &[Sku]) -> Vec<String> {
    let mut d: Vec<String> = skus.iter().map(|s| s.division.clone()).collect();
    d.sort();
    d.dedup();
    d
}
