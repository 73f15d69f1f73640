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
    /// Each record's id, when it has one (a duplicated id's every row, not only its first).
    record_ids: Vec<Option<String>>,
    by_id: HashMap<String, usize>,
    /// Every record under its name key (a name several accounts share: branches).
    by_name: HashMap<String, Vec<usize>>,
    /// (name key, record) sorted by key, for fuzzy matching.
    keys: Vec<(String, usize)>,
    pub duplicate_ids: u64,
}

/// An enrichment's columns, found by name as a CRM or a data vendor spells them (case, spaces
/// and punctuation aside): the original's headers first, then each role's other names.
struct Columns {
    name: Option<usize>,
    id: Option<usize>,
    industry: usize,
    sub: Option<usize>,
    web: Option<usize>,
    clean: Option<usize>,
}

const NAMES: &[&str] = &[
    "customer",
    "customername",
    "accountname",
    "companyname",
    "company",
    "clientname",
    "client",
    "organizationname",
    "organisationname",
    "organization",
    "organisation",
    "name",
];
/// The specific names first: a CRM's `Id` is its record's, beside the `Account Number` a log
/// would carry.
const IDS: &[&str] = &[
    "customerid",
    "customerno",
    "customernumber",
    "customercode",
    "custid",
    "custno",
    "accountid",
    "accountno",
    "accountnumber",
    "clientid",
    "clientno",
    "clientnumber",
    "companyid",
    "id",
    "no",
];
const INDUSTRIES: &[&str] = &[
    "industry",
    "industryname",
    "sector",
    "vertical",
    "industrysector",
];
const SUBS: &[&str] = &[
    "industrysublist",
    "subindustry",
    "industrysub",
    "industrysubsector",
    "subsector",
    "subvertical",
    "industrydetail",
];
const WEBS: &[&str] = &["webaddress", "website", "web", "url", "domain", "homepage"];

impl Columns {
    /// `Err(what is missing)` without an industry, or without both a name and an id.
    fn find(headers: &[String]) -> Result<Columns, String> {
        let keys: Vec<String> = headers
            .iter()
            .map(|h| super::parts::column_key(h))
            .collect();
        let first = |names: &[&str], but: &[Option<usize>]| {
            names
                .iter()
                .find_map(|n| (0..keys.len()).find(|&i| keys[i] == *n && !but.contains(&Some(i))))
        };
        let industry =
            first(INDUSTRIES, &[]).ok_or("`Industry` column (nor `Sector`, `Vertical`)")?;
        let mut id = first(IDS, &[]);
        let mut name = first(NAMES, &[id]);
        // `Customer` beside `Customer Name` is the customer's number, as in a log (beside a
        // bare `Company` it may be the name still).
        const NAMED: &[&str] = &["customername", "accountname", "companyname", "clientname"];
        if let (None, Some(n)) = (id, name) {
            if keys[n] == "customer" && first(NAMED, &[name]).is_some() {
                id = name;
                name = first(NAMED, &[id]);
            }
        }
        if name.is_none() && id.is_none() {
            return Err(
                "column naming the customer (`Customer`, `Account Name`, `ID`, `Customer No.`, ...)"
                    .into(),
            );
        }
        Ok(Columns {
            name,
            id,
            industry,
            sub: first(SUBS, &[]),
            web: first(WEBS, &[]),
            clean: first(&["cleanedcustomername"], &[]),
        })
    }
}

/// Reads the enrichment CSV (original headers: `Customer`, `Cleaned Customer Name`, `Web Address`,
/// `Industry`, `Industry Sub List`, `Reasoning`, `ID`; or a CRM's account list, `Account ID`,
/// `Account Name`, `Industry`, `Sub-Industry`, `Website`). The first row wins for a repeated
/// id/name.
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
    let c = match Columns::find(&headers) {
        Ok(c) => c,
        Err(missing) => {
            vio.push(
                "enrichment_unreadable",
                Severity::Warning,
                Some(1),
                "",
                "",
                format!(
                    "`{file}` has no {missing}; its columns: {}; no industries",
                    headers.join(", ")
                ),
            );
            return None;
        }
    };
    let (name_c, ind_c, sub_c, web_c, id_c, clean_c) =
        (c.name, Some(c.industry), c.sub, c.web, c.id, c.clean);
    let mut e = Enrichment::default();
    for rec in rdr.byte_records().flatten() {
        let get = |c: Option<usize>| -> String {
            c.and_then(|c| rec.get(c))
                .map(|b| super::layout::as_written(b).trim().to_string())
                .unwrap_or_default()
        };
        let name = get(name_c);
        let id = parse::id(&get(id_c));
        if name.is_empty() && id.is_none() {
            continue;
        }
        let idx = e.records.len();
        e.records.push(Record {
            name: name.clone(),
            industry: get(ind_c),
            industry_sub: get(sub_c),
            web_address: get(web_c),
        });
        e.record_ids.push(id.clone());
        if let Some(id) = id {
            match e.by_id.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => e.duplicate_ids += 1,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(idx);
                }
            }
        }
        for key in [parse::name_key(&name), parse::name_key(&get(clean_c))] {
            if !key.is_empty() {
                let v = e.by_name.entry(key).or_default();
                if v.last() != Some(&idx) {
                    v.push(idx);
                }
            }
        }
    }
    e.keys = e
        .by_name
        .iter()
        .flat_map(|(k, v)| v.iter().map(move |&i| (k.clone(), i)))
        .collect();
    e.keys.sort();
    Some(e)
}

impl Enrichment {
    /// Whether a customer of the log, by its id (or, for a log of named customers, its name),
    /// has a row here.
    pub fn knows(&self, customer: &str) -> bool {
        parse::id(customer).is_some_and(|id| self.by_id.contains_key(&id))
            || self
                .by_name
                .contains_key(&parse::name_key(&parse::clean_name(customer)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimCustomer {
    pub customer_id: String,
    pub customer_name: String,
    pub cleaned_name: String,
    pub industry: Option<String>,
    pub industry_sub: Option<String>,
    pub web_address: Option<String>,
    /// `id`, `name`, `fuzzy`, `ambiguous_name` ([`AMBIGUOUS`]) or `none`.
    pub match_method: &'static str,
    pub match_score: Option<f64>,
    /// The cleaned name the enrichment is matched by: the one on the customer's earliest row
    /// (the first of that day) that names it, not its latest, so that a rename after a cutoff
    /// cannot move the industry its features at that cutoff see.
    pub match_name: String,
    pub first_order_date: NaiveDate,
    pub last_order_date: NaiveDate,
    /// Distinct invoices with a sale on them (a line of positive GP or quantity); without an
    /// invoice number, distinct days.
    pub orders: u64,
}

/// Builds the customer dimension from the staged rows (in file order), sorted by id; each
/// customer named as its latest row names it, and matched to the enrichment by the name of its
/// earliest ([`DimCustomer::match_name`]).
pub fn build(
    rows: &[Row],
    enrichment: Option<&Enrichment>,
    fuzzy_threshold: Option<f64>,
) -> Vec<DimCustomer> {
    let mut by_id: BTreeMap<&str, DimCustomer> = BTreeMap::new();
    // The day of each customer's `match_name`.
    let mut named_on: HashMap<&str, NaiveDate> = HashMap::new();
    // Each customer's orders: its invoice numbers, else its days (a long log's lines of one
    // invoice were each counted an order: a tester's 41 lines on 16 documents, 41 orders).
    let mut orders: std::collections::HashSet<(&str, Result<&str, NaiveDate>)> =
        std::collections::HashSet::new();
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
            match_name: parse::clean_name(&r.customer_name),
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
        // A tester renamed a customer on its rows after a cutoff to an enrichment record's name,
        // and its industry, in the features of every earlier cutoff, changed: the name of its
        // earliest row is the one every cutoff it is known at has seen.
        if !r.customer_name.is_empty() {
            let named = named_on.entry(&r.customer_id).or_insert(r.order_date);
            if r.order_date < *named || d.match_name.is_empty() {
                *named = r.order_date;
                d.match_name = parse::clean_name(&r.customer_name);
            }
        }
        d.first_order_date = d.first_order_date.min(r.order_date);
        d.last_order_date = d.last_order_date.max(r.order_date);
        // A credit note or a return is no order (a tester's 1,894 "orders" held 144 of them).
        let sale = r
            .lines
            .iter()
            .any(|l| l.gross_profit > 0.0 || l.quantity > 0.0);
        let order = r.invoice_id.as_deref().ok_or(r.order_date);
        d.orders += u64::from(sale && orders.insert((&r.customer_id, order)));
    }
    let mut dims: Vec<DimCustomer> = by_id.into_values().collect();
    let Some(e) = enrichment else { return dims };
    // In an enrichment keyed by the log's ids, a record with an id is that id's customer's:
    // another one missing from the enrichment may not take it by name (a tester's 1,089 such
    // customers got another's industry, 973 of them wrong). Whether or not that id is in the
    // log yet: until 2026-12-06 only the ids in the log kept their records, so a customer first
    // seen after a cutoff took its record from a namesake, and the namesake's industry, in the
    // features of every earlier cutoff, changed when a month was appended.
    let log_ids: std::collections::HashSet<&str> =
        dims.iter().map(|d| d.customer_id.as_str()).collect();
    let keyed = e
        .record_ids
        .iter()
        .flatten()
        .any(|id| log_ids.contains(id.as_str()));
    let free = |i: &usize| !keyed || e.record_ids[*i].is_none();
    let matches: Vec<Option<(usize, &'static str, f64)>> = dims
        .par_iter()
        .map(|d| {
            if let Some(&i) = e.by_id.get(&d.customer_id) {
                return Some((i, "id", 1.0));
            }
            let key = parse::name_key(&d.match_name);
            if key.is_empty() {
                return None;
            }
            let named: Vec<usize> = e
                .by_name
                .get(&key)
                .into_iter()
                .flatten()
                .copied()
                .filter(free)
                .collect();
            if !named.is_empty() {
                return Some(
                    e.agreed(&named)
                        .map_or((0, AMBIGUOUS, 1.0), |i| (i, "name", 1.0)),
                );
            }
            let threshold = fuzzy_threshold?;
            let first = key.chars().next()?;
            // Candidates share the first letter: typos rarely hit it, and it keeps this linear-ish.
            let lo = e
                .keys
                .partition_point(|(k, _)| k.chars().next() < Some(first));
            let mut best: Option<(f64, Vec<usize>)> = None;
            let len = key.chars().count();
            let letters = letter_counts(&key);
            for (k, i) in e.keys[lo..]
                .iter()
                .take_while(|(k, _)| k.starts_with(first))
                .filter(|(_, i)| free(i))
            {
                // The edit distance is at least the difference in length: a key whose length
                // alone puts it under the threshold, or under the best so far, is not scored.
                // Scoring every key of the letter was 63% of a 1,000,000-row ETL's CPU.
                // Nor is one with too few letters in common: every letter of the longer name
                // beyond those the two share is an edit.
                // Each bound is written as strsim writes the score (1 - edits / longer), so that
                // a key whose score would tie the best is never cut by a rounding.
                let other = k.chars().count();
                let longer = len.max(other);
                let most = |edits: usize| 1.0 - edits as f64 / longer as f64;
                let below = |m: f64| m < threshold || best.as_ref().is_some_and(|(b, _)| m < *b);
                let unshared = || longer.saturating_sub(shared(&letters, &letter_counts(k)));
                if longer > 0 && (below(most(len.abs_diff(other))) || below(most(unshared()))) {
                    continue;
                }
                let s = strsim::normalized_levenshtein(&key, k);
                match &mut best {
                    Some((b, v)) if s == *b => v.push(*i),
                    Some((b, _)) if s < *b => {}
                    _ if s >= threshold => best = Some((s, vec![*i])),
                    _ => {}
                }
            }
            best.map(|(s, v)| {
                let score = (s * 10_000.0).round() / 10_000.0;
                e.agreed(&v)
                    .map_or((0, AMBIGUOUS, score), |i| (i, "fuzzy", score))
            })
        })
        .collect();
    for (d, m) in dims.iter_mut().zip(matches) {
        if let Some((i, method, score)) = m {
            d.match_method = method;
            d.match_score = Some(score);
            if method == AMBIGUOUS {
                continue;
            }
            let r = &e.records[i];
            d.industry = Some(r.industry.clone()).filter(|s| !s.is_empty());
            d.industry_sub = Some(r.industry_sub.clone()).filter(|s| !s.is_empty());
            d.web_address = Some(r.web_address.clone()).filter(|s| !s.is_empty());
        }
    }
    dims
}

/// A name's letters counted in 64 buckets (a letter's code point modulo 64): two letters that
/// share a bucket count as one letter, so [`shared`] never counts fewer letters in common than
/// the names have, and the bound it gives on their similarity holds.
fn letter_counts(name: &str) -> [u16; 64] {
    let mut n = [0u16; 64];
    for c in name.chars() {
        let b = &mut n[c as usize % 64];
        *b = b.saturating_add(1);
    }
    n
}

/// Letters two names have in common, by [`letter_counts`]: at least as many as they share.
fn shared(a: &[u16; 64], b: &[u16; 64]) -> usize {
    a.iter().zip(b).map(|(x, y)| usize::from(*x.min(y))).sum()
}

/// The match method of a customer whose name matches records of different industries: none is
/// taken, rather than the first.
pub const AMBIGUOUS: &str = "ambiguous_name";

impl Enrichment {
    /// The first of `records` when they all say the same industry and sub-industry.
    fn agreed(&self, records: &[usize]) -> Option<usize> {
        let r0 = &self.records[records[0]];
        records[1..]
            .iter()
            .all(|&i| {
                let r = &self.records[i];
                r.industry == r0.industry && r.industry_sub == r0.industry_sub
            })
            .then_some(records[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_that_skip_a_name_never_cut_one_that_scores_higher() {
        // Names alike and not (typos, other words, accents, lengths): each bound is at least
        // the score, so skipping a key under the best or the threshold loses no match.
        let names = [
            "acmeengineering",
            "acmeenginering",
            "acneengineering",
            "zenithworks",
            "zenithwork",
            "nordicmaskin",
            "nördicmaskin",
            "smithjones",
            "jonessmith",
            "a",
            "",
            "abcabcabc",
        ];
        for a in names {
            for b in names {
                let s = strsim::normalized_levenshtein(a, b);
                let (la, lb) = (a.chars().count(), b.chars().count());
                let longer = la.max(lb);
                if longer == 0 {
                    continue; // never skipped: two empty names score 1
                }
                let most = |edits: usize| 1.0 - edits as f64 / longer as f64;
                let unshared = longer.saturating_sub(shared(&letter_counts(a), &letter_counts(b)));
                assert!(most(la.abs_diff(lb)) >= s, "{a} {b}");
                assert!(most(unshared) >= s, "{a} {b}");
            }
        }
    }

    fn row(id: &str, name: &str) -> Row {
        Row {
            raw_row: 2,
            part: 0,
            customer_id: id.into(),
            order_date: NaiveDate::from_ymd_opt(2023, 1, 2).unwrap(),
            source_division: String::new(),
            customer_name: name.into(),
            invoice_id: None,
            line_id: None,
            lines: Vec::new(),
            written_id: None,
        }
    }

    fn industries(enrichment: &str, rows: &[Row]) -> Vec<(Option<String>, &'static str)> {
        let mut vio = Violations::default();
        let e = read_enrichment(enrichment.as_bytes(), "accounts.csv", &mut vio)
            .expect("an enrichment");
        build(rows, Some(&e), None)
            .into_iter()
            .map(|d| (d.industry, d.match_method))
            .collect()
    }

    #[test]
    fn a_rename_after_a_cutoff_moves_no_industry() {
        // A tester renamed a customer on its rows after a cutoff to the name of an enrichment
        // record, and the industry in the features of every earlier cutoff changed: the match
        // is by the name of the customer's earliest row, the display by its latest.
        let on = |id: &str, name: &str, (y, m, d): (i32, u32, u32)| Row {
            order_date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            ..row(id, name)
        };
        let crm = "Account ID,Account Name,Industry\n\
                   9001,Quantum Fabrication,Construction\n\
                   9002,Old Works,Metals\n";
        // In file order: a later rename first, the earliest row unnamed, then the old name.
        let rows = [
            on("7", "Quantum Fabrication", (2023, 8, 1)),
            on("7", "", (2021, 1, 5)),
            on("7", "Old Works", (2022, 3, 1)),
            on("7", "Quantum Fabrication", (2023, 9, 1)),
        ];
        let mut vio = Violations::default();
        let e = read_enrichment(crm.as_bytes(), "accounts.csv", &mut vio).unwrap();
        let dims = build(&rows, Some(&e), None);
        assert_eq!(dims[0].customer_name, "Quantum Fabrication");
        assert_eq!(dims[0].match_name, "Old Works");
        assert_eq!(
            (dims[0].industry.as_deref(), dims[0].match_method),
            (Some("Metals"), "name")
        );
        // Without the rows after the rename, the same industry.
        assert_eq!(
            industries(crm, &rows[1..3]),
            [(Some("Metals".into()), "name")]
        );
    }

    #[test]
    fn a_crm_account_list_enriches_as_it_exports() {
        // Before, any file without the original's `Customer` and `Industry` headers gave every
        // customer no industry, with one warning.
        let rows = [row("1001", ""), row("1002", "Bolt Ltd")];
        let crm = "Account ID,Account Name,Sector,Sub-Industry,Website\n\
                   1001,Acme Corp,Retail,Grocery,acme.example\n\
                   ,Bolt Ltd,Food,Bakery,bolt.example\n";
        assert_eq!(
            industries(crm, &rows),
            [(Some("Retail".into()), "id"), (Some("Food".into()), "name")]
        );
        // `Customer` beside `Customer Name` is the customer's number; an id alone is enough.
        let master = "Customer;Customer Name;Industry\n1001;Acme Corp;Retail\n";
        assert_eq!(industries(master, &rows)[0], (Some("Retail".into()), "id"));
        let ids = "Customer No.,Industry\n1002,Food\n";
        assert_eq!(industries(ids, &rows)[1], (Some("Food".into()), "id"));
    }

    #[test]
    fn an_enrichment_without_an_industry_names_what_it_has() {
        let mut vio = Violations::default();
        assert!(read_enrichment(b"Account ID,Region\n1,West\n", "crm.csv", &mut vio).is_none());
        assert_eq!(vio.count("enrichment_unreadable"), 1);
        let message = &vio.messages(&["enrichment_unreadable"], 1)[0];
        assert!(
            message.contains("no `Industry` column") && message.contains("Account ID, Region"),
            "{message}"
        );
    }

    #[test]
    fn a_name_never_takes_another_customers_row_nor_picks_among_disagreeing_rows() {
        let rows = [
            row("1", "Crescent Bistro"),
            row("2", "Crescent Bistro"),
            row("4", "Harbor Tools"),
            row("5", "Alpha Works"),
            row("6", "Alpha Workz"),
        ];
        let e = "Account ID,Account Name,Sector\n\
                 1,Crescent Bistro,Medical\n\
                 ,Harbor Tools,Automotive\n\
                 3,Harbor Tools,Machinery\n\
                 ,Alpha Works,Retail\n\
                 1,Crescent Bistro,Retail\n";
        let mut vio = Violations::default();
        let en = read_enrichment(e.as_bytes(), "accounts.csv", &mut vio).unwrap();
        let got: Vec<(Option<String>, &str)> = build(&rows, Some(&en), Some(0.9))
            .into_iter()
            .map(|d| (d.industry, d.match_method))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Medical".into()), "id"),
                // Customer 1's row is customer 1's: 2 shares the name, not the industry.
                (None, "none"),
                // Account 3's row is 3's, whether or not 3 has bought yet: the row with no id
                // is the only one 4 may take (until 2026-12-06 the two were ambiguous while 3
                // was not in the log, and 4's industry changed once 3 appeared).
                (Some("Automotive".into()), "name"),
                (Some("Retail".into()), "name"),
                (Some("Retail".into()), "fuzzy"),
            ]
        );
        // Account 3 appearing in the log (a month appended) moves no other customer's match.
        let mut more = rows.to_vec();
        more.push(row("3", "Harbor Tools"));
        let got: Vec<(String, Option<String>)> = build(&more, Some(&en), Some(0.9))
            .into_iter()
            .map(|d| (d.customer_id, d.industry))
            .collect();
        assert_eq!(got[2], ("3".into(), Some("Machinery".into())));
        assert_eq!(got[3], ("4".into(), Some("Automotive".into())));
    }
}
