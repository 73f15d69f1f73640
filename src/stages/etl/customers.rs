//! `dim_customer`: one row per customer id, with industry from the enrichment file matched by id,
//! then by normalised name, then by fuzzy name similarity (strsim's normalised Levenshtein over
//! the normalised names, candidates sharing the first letter), recording the method and score.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::contracts::{Severity, Violations};
use super::ingest::Row;
use super::parse;

#[derive(Debug, Clone)]
pub struct Record {
    pub name: String,
    pub industry: String,
    pub industry_sub: String,
    pub web_address: String,
}

#[derive(Debug, Default)]
pub struct Enrichment {
    records: Vec<Record>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// (name key, record) sorted by key, for fuzzy matching.
    keys: Vec<(String, usize)>,
    pub duplicate_ids: u64,
}

const REQUIRED: &[&str] = &["Customer", "Industry"];

/// Reads the enrichment CSV (original headers: `Customer`, `Cleaned Customer Name`, `Web Address`,
/// `Industry`, `Industry Sub List`, `Reasoning`, `ID`). The first row wins for a repeated id/name.
pub fn read_enrichment(bytes: &[u8], file: &str, vio: &mut Violations) -> Option<Enrichment> {
    let delimiter = super::layout::sniff_delimiter(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect(),
        Err(e) => {
            vio.push(
                "enrichment_unreadable",
                Severity::Warning,
                None,
                file,
                "",
                format!("cannot read `{file}`: {e}; no industries"),
            );
            return None;
        }
    };
    for r in REQUIRED {
        if !headers.iter().any(|h| h == r) {
            vio.push(
                "enrichment_unreadable",
                Severity::Warning,
                Some(1),
                r,
                "",
                format!("`{file}` has no `{r}` column; no industries"),
            );
            return None;
        }
    }
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (name_c, ind_c, sub_c, web_c, id_c, clean_c) = (
        col("Customer"),
        col("Industry"),
        col("Industry Sub List"),
        col("Web Address"),
        col("ID"),
        col("Cleaned Customer Name"),
    );
    let mut e = Enrichment::default();
    for rec in rdr.byte_records().flatten() {
        let get = |c: Option<usize>| -> String {
            c.and_then(|c| rec.get(c))
                .map(|b| match std::str::from_utf8(b) {
                    Ok(s) => s.trim().to_string(),
                    Err(_) => encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(b)
                        .0
                        .trim()
                        .to_string(),
                })
                .unwrap_or_default()
        };
        let name = get(name_c);
        if name.is_empty() {
            continue;
        }
        let idx = e.records.len();
        e.records.push(Record {
            name: name.clone(),
            industry: get(ind_c),
            industry_sub: get(sub_c),
            web_address: get(web_c),
        });
        if let Some(id) = parse::id(&get(id_c)) {
            match e.by_id.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => e.duplicate_ids += 1,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(idx);
                }
            }
        }
        for key in [parse::name_key(&name), parse::name_key(&get(clean_c))] {
            if !key.is_empty() {
                e.by_name.entry(key).or_insert(idx);
            }
        }
    }
    e.keys = e.by_name.iter().map(|(k, &i)| (k.clone(), i)).collect();
    e.keys.sort();
    Some(e)
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimCustomer {
    pub customer_id: String,
    pub customer_name: String,
    pub cleaned_name: String,
    pub industry: Option<String>,
    pub industry_sub: Option<String>,
    pub web_address: Option<String>,
    /// `id`, `name`, `fuzzy` or `none`.
    pub match_method: &'static str,
    pub match_score: Option<f64>,
    pub first_order_date: NaiveDate,
    pub last_order_date: NaiveDate,
    pub orders: u64,
}

/// Builds the customer dimension from the staged rows (in file order), sorted by id; each
/// customer named as its latest row names it.
pub fn build(
    rows: &[Row],
    enrichment: Option<&Enrichment>,
    fuzzy_threshold: Option<f64>,
) -> Vec<DimCustomer> {
    let mut by_id: BTreeMap<&str, DimCustomer> = BTreeMap::new();
    for r in rows {
        let d = by_id.entry(&r.customer_id).or_insert_with(|| DimCustomer {
            customer_id: r.customer_id.clone(),
            customer_name: r.customer_name.clone(),
            cleaned_name: parse::clean_name(&r.customer_name),
            industry: None,
            industry_sub: None,
            web_address: None,
            match_method: "none",
            match_score: None,
            first_order_date: r.order_date,
            last_order_date: r.order_date,
            orders: 0,
        });
        // A customer renamed (`Customer 0030`, then `NewCo 0030 Holdings`) is shown by its
        // latest name: the one on its latest row (the later row of a day), never a blank one.
        if r.order_date >= d.last_order_date
            && !r.customer_name.is_empty()
            && r.customer_name != d.customer_name
        {
            d.customer_name = r.customer_name.clone();
            d.cleaned_name = parse::clean_name(&r.customer_name);
        }
        d.first_order_date = d.first_order_date.min(r.order_date);
        d.last_order_date = d.last_order_date.max(r.order_date);
        d.orders += 1;
    }
    let mut dims: Vec<DimCustomer> = by_id.into_values().collect();
    let Some(e) = enrichment else { return dims };
    let matches: Vec<Option<(usize, &'static str, f64)>> = dims
        .par_iter()
        .map(|d| {
            if let Some(&i) = e.by_id.get(&d.customer_id) {
                return Some((i, "id", 1.0));
            }
            let key = parse::name_key(&d.cleaned_name);
            if key.is_empty() {
                return None;
            }
            if let Some(&i) = e.by_name.get(&key) {
                return Some((i, "name", 1.0));
            }
            let threshold = fuzzy_threshold?;
            let first = key.chars().next()?;
            // Candidates share the first letter: typos rarely hit it, and it keeps this linear-ish.
            let lo = e
                .keys
                .partition_point(|(k, _)| k.chars().next() < Some(first));
            let mut best: Option<(f64, usize)> = None;
            for (k, i) in e.keys[lo..]
                .iter()
                .take_while(|(k, _)| k.starts_with(first))
            {
                let s = strsim::normalized_levenshtein(&key, k);
                if s >= threshold && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, *i));
                }
            }
            best.map(|(s, i)| (i, "fuzzy", (s * 10_000.0).round() / 10_000.0))
        })
        .collect();
    for (d, m) in dims.iter_mut().zip(matches) {
        if let Some((i, method, score)) = m {
            let r = &e.records[i];
            d.industry = Some(r.industry.clone()).filter(|s| !s.is_empty());
            d.industry_sub = Some(r.industry_sub.clone()).filter(|s| !s.is_empty());
            d.web_address = Some(r.web_address.clone()).filter(|s| !s.is_empty());
            d.match_method = method;
            d.match_score = Some(score);
        }
    }
    dims
}
