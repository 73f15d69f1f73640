//! The SKU map (`stages/sku_map.csv`, plus an optional overrides file): which GP and Qty columns
//! of the wide sales log are products, and which division each belongs to.

use std::collections::BTreeMap;
use std::path::Path;

use super::layout::as_written;

/// The map's columns, as `init` writes them.
pub const HEADER: [&str; 6] = [
    "gp_column",
    "qty_column",
    "division",
    "family",
    "sale_type",
    "division_routes",
];

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

/// The SKU map's products by the value a long log writes for each (its `gp_column`). A numeric
/// code is also found without its leading zeros (`333` for `000333`, and the other way round),
/// as a spreadsheet drops them when a log or its holdout passes through one; a code that two
/// products would share that way is found only as written.
#[derive(Debug, Clone, Default)]
pub struct ProductIndex {
    exact: std::collections::HashMap<String, u16>,
    unpadded: std::collections::HashMap<String, Option<u16>>,
}

impl ProductIndex {
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = ProductIndex::default();
        for (i, v) in values.into_iter().enumerate() {
            index.exact.insert(v.to_string(), i as u16);
            if let Some(u) = super::ids::unpadded(v) {
                index
                    .unpadded
                    .entry(u.to_string())
                    .and_modify(|e| *e = None)
                    .or_insert(Some(i as u16));
            }
        }
        index
    }

    /// The product `value` names, and whether only with its leading zeros set aside.
    pub fn find(&self, value: &str) -> Option<(u16, bool)> {
        if let Some(&i) = self.exact.get(value) {
            return Some((i, false));
        }
        let i = (*self.unpadded.get(super::ids::unpadded(value)?)?)?;
        Some((i, true))
    }
}

/// A product master's headers for the map's key columns, most telling first: `gp_column`,
/// or the product's code (`SKU`, `Item Number`, `Part No`); and `division`, or the grouping a
/// product file has (`Product Line`, `Item Category`, ...). Compared by letters and digits.
const GP_NAMES: &[&str] = &[
    "gpcolumn",
    "itemid",
    "productid",
    "gpcol",
    "gp",
    "sku",
    "product",
    "item",
    "itemnumber",
    "itemno",
    "itemcode",
    "productcode",
    "productid",
    "productno",
    "productnumber",
    "partnumber",
    "partno",
    // Chinook's tracks, the sample database's product table.
    "trackid",
    "material",
    "article",
    // German, French, Spanish and Italian article masters.
    "artikelnummer",
    "artikelnr",
    "artikel",
    "materialnummer",
    "codearticle",
    "codeproduit",
    "referenceproduit",
    "codigoproducto",
    "codigoarticulo",
    "codicearticolo",
    "no",
];
const DIVISION_NAMES: &[&str] = &[
    "division",
    // SAP's division (`Sparte`) before the finer material group (`Warengruppe`); German,
    // French, Spanish and Italian product groups.
    "sparte",
    "warengruppe",
    "produktgruppe",
    "artikelgruppe",
    "famille",
    "familleproduit",
    "familia",
    "familiaproducto",
    "categoria",
    "gruppomerceologico",
    "productdivision",
    "businessunit",
    "productline",
    "productgroup",
    "itemcategory",
    "itemcategorycode",
    "productcategory",
    // Olist's products: `product_category_name`, one value a category (Portuguese).
    "productcategoryname",
    "productgroupname",
    "productlinename",
    "category",
    "segment",
    // A music or book catalogue's (Chinook's `genre_id`).
    "genre",
    "genrename",
    // A product table's link to its categories (Northwind's `category_id`), last: a name beside
    // it is the surer division.
    "categoryname",
    "categoryid",
    "genreid",
];

/// The (product, division) columns of a map's header, by [`GP_NAMES`] and [`DIVISION_NAMES`].
fn key_columns(headers: &csv::StringRecord) -> (Option<usize>, Option<usize>) {
    let key = super::parts::column_key;
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| key(h) == *n))
    };
    let division = find(DIVISION_NAMES).map(|d| {
        // A group's code beside its name (`Warengruppe` `100`, `Warengruppenbezeichnung`
        // `Hardware`): the name is the division a reader knows.
        let code = key(&headers[d]);
        headers
            .iter()
            .position(|h| {
                let k = key(h);
                k.len() > code.len()
                    && k.starts_with(&code)
                    && [
                        "name",
                        "bezeichnung",
                        "text",
                        "beschreibung",
                        "description",
                        "desc",
                    ]
                    .iter()
                    .any(|w| k.ends_with(w))
            })
            .unwrap_or(d)
    });
    (find(GP_NAMES), division)
}

/// The headers a map's products and divisions are read from (`Item Number`, `Product Line`),
/// for `init` to say what it took from a product master.
pub fn key_headers(path: &Path) -> Option<(String, String)> {
    let bytes = super::workbook::read(path).ok()?;
    let mut rdr = reader(&bytes);
    let headers = text_headers(&mut rdr).ok()?;
    match key_columns(&headers) {
        (Some(g), Some(d)) => Some((headers[g].to_string(), headers[d].to_string())),
        _ => None,
    }
}

/// A map's header, each cell [`as_written`]: UTF-8, else Windows-1252 (a German
/// ERP's article master, refused as "invalid utf-8" though its log loaded).
fn text_headers(rdr: &mut csv::Reader<&[u8]>) -> Result<csv::StringRecord, csv::Error> {
    Ok(rdr
        .byte_headers()?
        .iter()
        .map(|b| as_written(b).into_owned())
        .collect())
}

/// A map's text as CSV records, whatever its delimiter (a German ERP's product master is
/// `;`-separated) or format (a workbook's first table).
fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(super::layout::sniff_delimiter(bytes))
        .trim(csv::Trim::All)
        .from_reader(bytes)
}

/// The division a product master's product with no division value is put in
/// ([`load_master`]).
pub const UNCATEGORISED: &str = "Uncategorised";

/// A product master found beside a log (`products.csv`) read as a map: a product with no
/// division value (Olist's 111 uncategorised products) is in [`UNCATEGORISED`], and a row
/// with no product is skipped. With how many products were put there.
pub fn load_master(map: &Path) -> Result<(Vec<Sku>, usize), String> {
    let skus = read(map, true)?;
    let filled = skus.iter().filter(|s| s.division.is_empty()).count();
    Ok((
        skus.into_iter()
            .map(|mut s| {
                if s.division.is_empty() {
                    s.division = UNCATEGORISED.to_string();
                }
                s
            })
            .collect(),
        filled,
    ))
}

/// `lenient`: a blank division is kept blank (for [`load_master`] to fill) and a blank product
/// skipped, not refused.
fn read(path: &Path, lenient: bool) -> Result<Vec<Sku>, String> {
    let shown = path.display();
    let bytes = super::workbook::read(path)?;
    let mut rdr = reader(&bytes);
    let headers = text_headers(&mut rdr).map_err(|e| format!("`{shown}`: {e}"))?;
    // Headers in any case: a distributor's own map is `SKU,Family,Division`.
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
    };
    let (Some(gp), Some(div)) = key_columns(&headers) else {
        return Err(format!(
            "`{shown}` needs a `gp_column` column (a GP column's header; for a log of one row per product line, the product value, which may be headed `SKU`, `Product`, `Item`, `Item Number`, `Part No`, ...) and a `division` column (or `Business Unit`, `Product Line`, `Product Group`, `Item Category`, `Category`); `qty_column`, `family` and `sale_type` are optional (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    // A long log's quantity is its own column (`aliases.quantity`): a map for one needs none.
    let qty = col(&["qty_column", "qty_col", "qty"]);
    let family = col(&["family"]);
    let sale_type = col(&["sale_type"]);
    let routes = col(&["division_routes"]);
    let mut out = Vec::new();
    for (i, rec) in rdr.byte_records().enumerate() {
        let rec = rec.map_err(|e| format!("`{shown}` row {}: {e}", i + 2))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(|b| as_written(b).trim().to_string())
                .unwrap_or_default()
        };
        let sku = Sku {
            gp_column: get(Some(gp)),
            qty_column: get(qty),
            division: get(Some(div)),
            family: get(family),
            sale_type: get(sale_type),
            routes: get(routes)
                .split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect(),
        };
        if lenient && sku.gp_column.is_empty() {
            continue;
        }
        if !lenient && (sku.gp_column.is_empty() || sku.division.is_empty()) {
            return Err(format!(
                "`{shown}` row {}: `gp_column` and `division` must not be blank",
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
    let mut skus = read(map, false)?;
    if skus.is_empty() {
        return Err(format!("`{}` has no SKUs", map.display()));
    }
    // One entry per SKU: a second would load a wide column twice, or lose a long log's lines.
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, s) in skus.iter().enumerate() {
        if let Some(first) = at.insert(s.gp_column.clone(), i) {
            return Err(format!(
                "`{}`: `{}` is on rows {} and {}: each gp_column once (an overrides file replaces a row)",
                map.display(),
                s.gp_column,
                first + 2,
                i + 2
            ));
        }
    }
    if let Some(o) = overrides {
        for s in read(o, false)? {
            match at.get(&s.gp_column) {
                Some(&i) => skus[i] = s,
                None => {
                    at.insert(s.gp_column.clone(), skus.len());
                    skus.push(s);
                }
            }
        }
    }
    // Lines carry their SKU as a 16-bit index.
    if skus.len() > usize::from(u16::MAX) {
        return Err(format!(
            "`{}`: {} SKUs, over the {} one map can hold: group rare products under one `gp_column`",
            map.display(),
            skus.len(),
            u16::MAX
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_masters_division_is_sap_s_and_a_groups_name_not_its_code() {
        let d = tempfile::tempdir().unwrap();
        let map = d.path().join("Artikelstamm.csv");
        // `Sparte` (SAP's division) beside the finer `Warengruppe`; a group's code beside its
        // name: the divisions were the eight material groups, or `100` to `400`.
        std::fs::write(
            &map,
            "Artikelnummer;Warengruppe;Sparte\nA-1;WG-1;Hardware\nA-2;WG-2;Hardware\n",
        )
        .unwrap();
        let skus = load(&map, None).unwrap();
        assert_eq!(skus[1].division, "Hardware");
        std::fs::write(
            &map,
            "Artikelnummer;Warengruppe;Warengruppenbezeichnung\nA-1;100;Hardware\nA-2;200;Software\n",
        )
        .unwrap();
        let skus = load(&map, None).unwrap();
        assert_eq!(
            (skus[0].division.as_str(), skus[1].division.as_str()),
            ("Hardware", "Software")
        );
    }

    #[test]
    fn a_distributors_own_map_of_skus_and_divisions_is_read_without_quantity_columns() {
        let d = tempfile::tempdir().unwrap();
        let map = d.path().join("product_divisions.csv");
        std::fs::write(
            &map,
            "SKU,Family,Division\nCL10A106KP8NNNC,MLCC,Passives\n000333,Printers,3D Printing & Scanning\nPCB-FAB,PCB,Fabricacio\u{301}n\n",
        )
        .unwrap();
        let skus = load(&map, None).unwrap();
        let rows: Vec<(&str, &str, &str, &str)> = skus
            .iter()
            .map(|s| {
                (
                    s.gp_column.as_str(),
                    s.qty_column.as_str(),
                    s.division.as_str(),
                    s.family.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("CL10A106KP8NNNC", "", "Passives", "MLCC"),
                ("000333", "", "3D Printing & Scanning", "Printers"),
                // As written: the manifest's partitions read this file too, so the ETL must
                // see the same spelling (init writes a given map composed).
                ("PCB-FAB", "", "Fabricacio\u{301}n", "PCB")
            ]
        );
        // The codes are found as a log of lines writes them, zeros or not.
        let index = ProductIndex::new(skus.iter().map(|s| s.gp_column.as_str()));
        assert_eq!(index.find("333"), Some((1, true)));
        assert_eq!(index.find("000333"), Some((1, false)));
        assert_eq!(index.find("0333"), Some((1, true)));
        assert_eq!(index.find("CL10A106KP8NNNC"), Some((0, false)));
        assert_eq!(index.find("334"), None);
        // Without a division column it says what it needs.
        std::fs::write(&map, "SKU,Family\nA,B\n").unwrap();
        let e = load(&map, None).unwrap_err();
        assert!(
            e.contains("needs a `gp_column` column") && e.contains("found: SKU, Family"),
            "{e}"
        );
    }

    #[test]
    fn a_product_master_is_a_map_by_its_item_and_product_line_columns() {
        let d = tempfile::tempdir().unwrap();
        let map = d.path().join("product_master.csv");
        std::fs::write(
            &map,
            "Item Number,Description,Category,Product Line,Brand,List Price
             HW-DOCK,Dock,Accessories,Hardware,Acme,199
             SV-TRAIN,Training day,Services,Services,Acme,900
",
        )
        .unwrap();
        let skus = load(&map, None).unwrap();
        let rows: Vec<(&str, &str)> = skus
            .iter()
            .map(|s| (s.gp_column.as_str(), s.division.as_str()))
            .collect();
        // `Product Line` before the looser `Category`.
        assert_eq!(rows, [("HW-DOCK", "Hardware"), ("SV-TRAIN", "Services")]);
        assert_eq!(
            key_headers(&map),
            Some(("Item Number".to_string(), "Product Line".to_string()))
        );
        // Dynamics 365's item master, `;`-separated as a German install exports it.
        std::fs::write(&map, "ItemId;ItemGroupId;Division\nA-1;G1;Hardware\n").unwrap();
        let skus = load(&map, None).unwrap();
        assert_eq!(
            (skus[0].gp_column.as_str(), skus[0].division.as_str()),
            ("A-1", "Hardware")
        );
    }

    #[test]
    fn a_sku_listed_twice_is_refused_and_an_override_replaces_its_row() {
        let d = tempfile::tempdir().unwrap();
        let map = d.path().join("map.csv");
        std::fs::write(
            &map,
            "gp_column,qty_column,division\nToner,Toner_Qty,Print\nInk,Ink_Qty,Print\nToner,Toner_Qty,Supplies\n",
        )
        .unwrap();
        let e = load(&map, None).unwrap_err();
        assert!(e.contains("`Toner` is on rows 2 and 4"), "{e}");
        std::fs::write(
            &map,
            "gp_column,qty_column,division\nToner,Toner_Qty,Print\nInk,Ink_Qty,Print\n",
        )
        .unwrap();
        let over = d.path().join("over.csv");
        std::fs::write(
            &over,
            "gp_column,qty_column,division\nToner,Toner_Qty,Supplies\nPaper,Paper_Qty,Print\n",
        )
        .unwrap();
        let skus = load(&map, Some(&over)).unwrap();
        let names: Vec<(&str, &str)> = skus
            .iter()
            .map(|s| (s.gp_column.as_str(), s.division.as_str()))
            .collect();
        assert_eq!(
            names,
            [("Toner", "Supplies"), ("Ink", "Print"), ("Paper", "Print")]
        );
    }
}
