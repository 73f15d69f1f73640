//! Files saved beside the log that `init` reads as its masters: a product master (the SKU
//! map), a division code list, a customer master.

use super::super::*;

/// A product master saved beside the log's files (`products.csv`: item, division, price) when
/// the log has no division column and the user gave no map: no part of the log, but the file
/// that reads as a SKU map mapping the most of its products. It is the map when it maps nine in
/// ten of them or more ([`Master::is_the_map`]); from half, it is said not to be.
pub(in crate::onboard) struct Master {
    pub path: PathBuf,
    pub covered: usize,
    pub of: usize,
    /// The log's products it does not list (a product added since it was exported).
    pub unlisted: Vec<String>,
}

impl Master {
    pub fn is_the_map(&self) -> bool {
        self.covered * 10 >= self.of * 9
    }

    /// Why a master of half the products or more but under nine in ten is not the map (a
    /// tester's master of 48 of 60 products was left out with no word, and 60 one-product
    /// divisions proposed).
    pub fn partial_note(&self) -> Option<String> {
        (!self.is_the_map() && self.covered * 2 >= self.of).then(|| format!(
            "`{}` beside the log maps only {} of its {} products to divisions: not taken as the SKU map (it must map nine in ten); add the others to it and run init again, or edit the proposed stages/sku_map.csv",
            crate::stages::etl::file_name(&self.path),
            self.covered,
            self.of
        ))
    }
}

pub(in crate::onboard) fn product_master(req: &Request, log: &profile::Profile) -> Option<Master> {
    if log.columns.division.is_some() || req.sku_map.is_some() || !req.sales_log.is_dir() {
        return None;
    }
    let files = crate::stages::etl::parts::files(&req.sales_log).ok()?;
    files
        .iter()
        .filter(|f| !log.parts.contains(&crate::stages::etl::file_name(f)))
        .filter_map(|f| {
            let (skus, _) = skumap::load_master(f).ok()?;
            let known: std::collections::HashSet<&str> =
                skus.iter().map(|s| s.gp_column.as_str()).collect();
            let unlisted: Vec<String> = log
                .products
                .iter()
                .map(|p| p.gp_column.clone())
                .filter(|p| !known.contains(p.as_str()))
                .collect();
            let of = log.products.len();
            (unlisted.len() < of).then(|| Master {
                path: f.clone(),
                covered: of - unlisted.len(),
                of,
                unlisted,
            })
        })
        // The first of the most covering.
        .min_by_key(|m| std::cmp::Reverse(m.covered))
}

/// When a product master's divisions are a link's codes (Northwind's `category_id`: 1 to 8,
/// Chinook's `GenreId`), the file beside it that names them (`categories.csv`: `category_id`,
/// `category_name`). When it names every code, once each, the codes become the names (made
/// partition-safe) in stages/sku_map.csv, so models, scores and whitespace say `Beverages`, not
/// `1`; otherwise a note points to the file.
pub(in crate::onboard) struct CodeNames {
    pub notes: Vec<String>,
    /// Code to the division's name; `None` when the file does not name each code once.
    pub names: Option<std::collections::BTreeMap<String, String>>,
}

pub(in crate::onboard) fn division_code_names(req: &Request, master: &Path) -> Option<CodeNames> {
    let (_, division) = skumap::key_headers(master)?;
    let key = crate::stages::etl::parts::column_key;
    if !key(&division).ends_with("id") {
        return None;
    }
    let codes: std::collections::BTreeSet<String> = skumap::load_master(master)
        .ok()?
        .0
        .into_iter()
        .map(|s| s.division)
        // Products with no code share `Uncategorised`, which no file names.
        .filter(|d| d != skumap::UNCATEGORISED)
        .collect();
    let files = crate::stages::etl::parts::files(&req.sales_log).ok()?;
    files.iter().filter(|f| f.as_path() != master).find_map(|f| {
        let bytes = crate::stages::etl::workbook::read(f).ok()?;
        let mut rdr = records(&bytes);
        let header = rdr.headers().ok()?.clone();
        let code_at = header.iter().position(|h| key(h) == key(&division))?;
        let name_at = header.iter().position(|h| key(h).ends_with("name"))?;
        let file = crate::stages::etl::file_name(f);
        let name = &header[name_at];
        let names = code_names(&mut rdr, code_at, name_at, &codes);
        Some(match names {
            Some(names) => {
                let originals = names.values().cloned().collect();
                let safe = super::skus::safe_names(&originals);
                // Codes in number order where they are numbers (`2` before `10`).
                let mut listed: Vec<(&String, &String)> = names.iter().collect();
                listed.sort_by_key(|(c, _)| (c.parse::<u64>().ok(), (*c).clone()));
                let mut notes = vec![format!(
                    "the divisions are `{division}` codes, named from `{file}` (`{name}`) in stages/sku_map.csv: {}",
                    listed
                        .iter()
                        .take(8)
                        .map(|(c, n)| format!("{c} = {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                        + if names.len() > 8 { ", ..." } else { "" }
                )];
                notes.extend(safe.iter().map(|(d, n)| super::skus::rename_note(d, n)));
                let names = names
                    .into_iter()
                    .map(|(c, n)| {
                        let n = safe.get(&n).cloned().unwrap_or(n);
                        (c, n)
                    })
                    .collect();
                CodeNames {
                    notes,
                    names: Some(names),
                }
            }
            None => CodeNames {
                notes: vec![format!(
                    "the divisions are `{division}` codes; `{file}` names them (`{name}`), but not each code once: to see the names in models, scores and whitespace, write them in stages/sku_map.csv's `division` column"
                )],
                names: None,
            },
        })
    })
}

/// A file beside the log as CSV records, whatever its delimiter; rows may be ragged.
fn records(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(crate::stages::etl::layout::sniff_delimiter(bytes))
        .flexible(true)
        .from_reader(bytes)
}

/// Each of `codes` with its one name in the rows; `None` when a code has no name or two, or two
/// codes share a name (the divisions would merge).
fn code_names(
    rdr: &mut csv::Reader<&[u8]>,
    code_at: usize,
    name_at: usize,
    codes: &std::collections::BTreeSet<String>,
) -> Option<std::collections::BTreeMap<String, String>> {
    // A code as a number where it is one: `02` and `2.0` (pandas' float of a column with
    // blanks) are the names file's `2`.
    let same = |c: &str| -> String {
        match c.parse::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            _ => c.to_string(),
        }
    };
    let of_code: std::collections::HashMap<String, &String> =
        codes.iter().map(|c| (same(c), c)).collect();
    let mut names = std::collections::BTreeMap::new();
    for r in rdr.records() {
        let r = r.ok()?;
        let (code, name) = (r.get(code_at)?.trim(), r.get(name_at)?.trim());
        let Some(&code) = of_code.get(&same(code)).filter(|_| !name.is_empty()) else {
            continue;
        };
        if names
            .insert(code.clone(), name.to_string())
            .is_some_and(|was| was != name)
        {
            return None;
        }
    }
    let distinct: std::collections::BTreeSet<&String> = names.values().collect();
    (names.len() == codes.len() && distinct.len() == names.len()).then_some(names)
}

/// A customer master saved beside the log's files (`accounts.csv`: id, name, industry) when
/// the user gave no enrichment: no part of the log, but as the industry enrichment it names half
/// of the log's customers or more. Its path, with how many of how many customers (of the log's
/// first rows) it has.
pub(in crate::onboard) fn customer_master(
    req: &Request,
    log: &profile::Profile,
) -> Option<(PathBuf, usize, usize)> {
    if req.enrichment.is_some() || !req.sales_log.is_dir() {
        return None;
    }
    let files = crate::stages::etl::parts::files(&req.sales_log).ok()?;
    // Files left out of the log that read as an enrichment (an industry, and a customer's name
    // or id): the log is read again only when there is one.
    let masters: Vec<(&PathBuf, crate::stages::etl::customers::Enrichment)> = files
        .iter()
        .filter(|f| !log.parts.contains(&crate::stages::etl::file_name(f)))
        .filter_map(|f| {
            let bytes = crate::stages::etl::workbook::read(f).ok()?;
            let mut quiet = crate::stages::etl::contracts::Violations::default();
            let e = crate::stages::etl::customers::read_enrichment(&bytes, "", &mut quiet)?;
            Some((f, e))
        })
        .collect();
    if masters.is_empty() {
        return None;
    }
    let folder = crate::stages::etl::parts::read(&req.sales_log).ok()?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(log.delimiter as u8)
        .flexible(true)
        .from_reader(folder.bytes.as_slice());
    let header = rdr.headers().ok()?.clone();
    let at = header
        .iter()
        .position(|h| h.trim() == log.columns.customer_id)?;
    let customers: std::collections::HashSet<String> = rdr
        .records()
        .take(20_000)
        .filter_map(|r| r.ok()?.get(at).map(|v| v.trim().to_string()))
        .filter(|v| !v.is_empty())
        .collect();
    if customers.is_empty() {
        return None;
    }
    masters.into_iter().find_map(|(f, e)| {
        let found = customers.iter().filter(|c| e.knows(c)).count();
        (2 * found >= customers.len()).then(|| (f.clone(), found, customers.len()))
    })
}

/// A file left out of a folder log that maps the log's customer ids to a customer's key
/// (Olist's `olist_customers_dataset.csv`: `customer_id`, new on each order, to
/// `customer_unique_id`), when nearly no customer under those ids bought on two days: named, with
/// how to use it. gosales reads one log, and joins a header table to it, not a second one.
pub(in crate::onboard) fn customer_key_file(
    req: &Request,
    log: &profile::Profile,
) -> Option<String> {
    let (again, all) = log.repeat_buyers;
    if !req.sales_log.is_dir() || all == 0 || again * 20 >= all || log.customer_key.is_some() {
        return None;
    }
    let key = crate::stages::etl::parts::column_key;
    let files = crate::stages::etl::parts::files(&req.sales_log).ok()?;
    files
        .iter()
        .filter(|f| !log.parts.contains(&crate::stages::etl::file_name(f)))
        .find_map(|f| {
            let bytes = crate::stages::etl::workbook::read(f).ok()?;
            let header = records(&bytes).headers().ok()?.clone();
            let id = header
                .iter()
                .position(|h| key(h) == key(&log.columns.customer_id))?;
            let by = header.iter().enumerate().find(|(i, h)| {
                *i != id && profile::customer_key::names_a_key(h)
            })?;
            Some(format!(
                "`{}` gives each `{}` a `{}`: if that is the customer (the ids here are new on each order), join it into the log's lines first, since gosales reads one log and its invoices' header, then `--column customer_id={}`",
                crate::stages::etl::file_name(f),
                log.columns.customer_id,
                by.1,
                by.1
            ))
        })
}
