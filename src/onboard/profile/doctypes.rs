//! Columns that say what a row is: a document type (`Document Type`: `Invoice`, `Credit
//! Memo`) and whether its credit rows carry unsigned amounts, which the ETL must then read as
//! negative (`credit_documents`, [`crate::stages::etl::credits`]); an order status (`Status`:
//! `Posted`, `Cancelled`, `Open`) whose rows of no sale the ETL must leave out
//! (`excluded_statuses`, [`crate::stages::etl::statuses`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::names::norm;
use crate::stages::etl::credits::{
    means_credit_in, means_invoice, means_invoice_in, means_no_sale_document, plainly_credit,
    short_codes, TYPE_COLUMNS,
};
use crate::stages::etl::statuses::{means_no_sale, means_sale, STATUS_COLUMNS};

/// What a log's document types say of its credits.
#[derive(Debug, Clone, Serialize)]
pub struct Credits {
    pub column: String,
    /// The credit values as first written, with their rows.
    pub values: Vec<(String, u64)>,
    /// Whether their amounts are written unsigned (a fifth or more of non-zero ones positive).
    pub unsigned: bool,
    /// Their amounts negative, their quantities written positive (Sage 200's `£120.00CR` of
    /// `Qty` 1): read negative too, or a credit's units count as sold.
    pub quantities_unsigned: bool,
}

/// A status column's values of no sale (`Cancelled`, `Open`), with their rows.
#[derive(Debug, Clone, Serialize)]
pub struct Statuses {
    pub column: String,
    pub values: Vec<(String, u64)>,
}

/// The tally of one document-type or status column over the log's rows.
pub(super) struct Tally {
    column: usize,
    /// A yes/no column of returns (`Is Return`: `Y`/`N`) rather than a document type.
    flag: bool,
    /// By value's key: (the value as first written, rows, positive GP rows, negative GP rows).
    /// Per value: as first written, rows, rows of positive GP, of negative GP, and of negative
    /// GP with a positive quantity.
    by_value: BTreeMap<String, (String, u64, u64, u64, u64)>,
}

/// Headers of a yes/no column marking returns, by letters and digits (`Is Return`, `Return
/// Flag`, `Credit?`).
const RETURN_FLAGS: &[&str] = &[
    "isreturn",
    "return",
    "returned",
    "returnflag",
    "returnind",
    "returnindicator",
    "isreturned",
    "iscredit",
    "creditflag",
    "iscreditmemo",
    "refunded",
    "isrefund",
];

/// A flag's values, by letters and digits: a return, or not (blank too: `X` or nothing).
const YES: &[&str] = &["y", "yes", "true", "t", "1", "x", "ja", "oui", "si"];
const NO: &[&str] = &["n", "no", "false", "f", "0", "", "nein", "non"];

/// More distinct values than a document type has: a free-text column, not a type.
const MAX_TYPES: usize = 50;

impl Tally {
    /// The log's document-type column, by header, if any; else a yes/no column of returns.
    pub(super) fn find(header: &[String], taken: &[usize]) -> Option<Tally> {
        Tally::named(header, taken, TYPE_COLUMNS).or_else(|| {
            let mut t = Tally::named(header, taken, RETURN_FLAGS)?;
            t.flag = true;
            Some(t)
        })
    }

    /// The log's order-status column, by header, if any.
    pub(super) fn find_status(header: &[String], taken: &[usize]) -> Option<Tally> {
        Tally::named(header, taken, STATUS_COLUMNS)
    }

    fn named(header: &[String], taken: &[usize], names: &[&str]) -> Option<Tally> {
        let column = names.iter().find_map(|n| {
            header
                .iter()
                .enumerate()
                .position(|(i, h)| norm(h) == *n && !taken.contains(&i))
        })?;
        Some(Tally {
            column,
            flag: false,
            by_value: BTreeMap::new(),
        })
    }

    pub(super) fn column(&self) -> usize {
        self.column
    }

    /// One row: its document type and the GP of its lines.
    pub(super) fn add(&mut self, value: &str, gp: f64, qty: f64) {
        let value = value.trim();
        let key = norm(value);
        if self.by_value.len() >= MAX_TYPES && !self.by_value.contains_key(&key) {
            return;
        }
        let e = self
            .by_value
            .entry(key)
            .or_insert_with(|| (value.to_string(), 0, 0, 0, 0));
        e.1 += 1;
        e.2 += u64::from(gp > 0.0);
        e.3 += u64::from(gp < 0.0);
        e.4 += u64::from(gp < 0.0 && qty > 0.0);
    }

    /// Whether a value's key holds `word` (`invoice` among `Invoice`, `Credit Memo`).
    pub(super) fn holds(&self, word: &str) -> bool {
        self.by_value.keys().any(|k| k.contains(word))
    }

    /// The statuses of no sale found beside statuses of sales (under half the rows), if any.
    /// `invoices`: the rows are invoices (a document-type column says so), whose `Open` is
    /// unpaid, a sale (Acumatica's `Open` and `Closed` are payment states).
    pub(super) fn finish_statuses(self, header: &[String], invoices: bool) -> Option<Statuses> {
        if self.by_value.len() >= MAX_TYPES || !self.by_value.values().any(|v| means_sale(&v.0)) {
            return None;
        }
        // Beside payment states (`Paid In Full`, `Fully Applied`, `Overdue`), `Open` is an
        // invoice not yet paid, a sale (NetSuite's invoices): not an open order.
        let payments = invoices
            || self.by_value.keys().any(|k| {
                ["paid", "applied", "overdue", "pastdue", "unpaid"]
                    .iter()
                    .any(|w| k.contains(w))
            });
        let excluded: Vec<(String, u64)> = self
            .by_value
            .values()
            .filter(|v| means_no_sale(&v.0) && !(payments && norm(&v.0) == "open"))
            .map(|v| (v.0.clone(), v.1))
            .collect();
        let rows: u64 = self.by_value.values().map(|v| v.1).sum();
        let out: u64 = excluded.iter().map(|v| v.1).sum();
        // A CRM's pipeline may hold more lost and open opportunities than won ones: beside a
        // `Won` stage, any share is excluded.
        let won = self.by_value.keys().any(|k| k.contains("won"));
        (!excluded.is_empty() && (2 * out < rows || won)).then(|| Statuses {
            column: header[self.column].clone(),
            values: excluded,
        })
    }

    /// The document types of no sale (quotes, pro formas, receipts; orders beside invoices)
    /// found beside documents of sales, if any: a document-type column's own statuses.
    pub(super) fn no_sale_documents(&self, header: &[String]) -> Option<Statuses> {
        if self.flag || self.by_value.len() >= MAX_TYPES {
            return None;
        }
        let invoice_words = |n: &str| {
            ["invoice", "rechnung", "factur", "fattura"]
                .iter()
                .any(|w| n.contains(w))
                || matches!(n, "inv" | "sale" | "sales" | "f1" | "f2" | "l2")
        };
        let beside_invoices = self.by_value.keys().any(|k| invoice_words(k));
        // MYOB's `Sale Status` codes: `I`nvoice, `O`rder, `Q`uote (a tester's orders and
        // quotes loaded as sales, +4.1% GP). Read so only where they are the column's values.
        let myob = self.by_value.contains_key("i")
            && self
                .by_value
                .keys()
                .all(|k| matches!(k.as_str(), "i" | "o" | "q"));
        let excluded: Vec<(String, u64)> = self
            .by_value
            .iter()
            .filter(|(k, v)| {
                means_no_sale_document(&v.0, beside_invoices) || (myob && k.as_str() != "i")
            })
            .map(|(_, v)| (v.0.clone(), v.1))
            .collect();
        let sales = myob
            || self
                .by_value
                .values()
                .any(|v| means_invoice(&v.0) && !means_no_sale_document(&v.0, beside_invoices));
        (!excluded.is_empty() && sales).then(|| Statuses {
            column: header[self.column].clone(),
            values: excluded,
        })
    }

    /// The credits found, if any value means one.
    pub(super) fn finish(self, header: &[String]) -> Option<Credits> {
        if self.by_value.len() >= MAX_TYPES {
            return None;
        }
        // A flag's values are yes and no, nothing else (else it is no flag: a `Return` column
        // of reasons, dates or amounts).
        if self.flag
            && !self
                .by_value
                .keys()
                .all(|k| YES.contains(&k.as_str()) || NO.contains(&k.as_str()))
        {
            return None;
        }
        let codes = short_codes(
            &header[self.column],
            self.by_value.keys().map(String::as_str),
        )
        .filter(|_| !self.flag);
        let is_credit = |v: &str| {
            if self.flag {
                YES.contains(&norm(v).as_str())
            } else {
                means_credit_in(v, codes)
            }
        };
        let credit: Vec<&(String, u64, u64, u64, u64)> =
            self.by_value.values().filter(|v| is_credit(&v.0)).collect();
        // A document type beside its credits names invoices (`Invoice`, `Sale`, `Order`), and
        // credits are a small share of a ledger: a `Type` of `New` / `Return` / `Existing`
        // customers is no document type (a trial's had half its rows flipped negative).
        let rows: u64 = self.by_value.values().map(|v| v.1).sum();
        let credit_rows: u64 = credit.iter().map(|v| v.1).sum();
        // Or the credits say what they are (`RMA`, `Credit Memo`) beside a distributor's
        // order types (`Standard`, `Drop Ship`: a tester's RMAs loaded as sales, +3% GP).
        let invoices = self.by_value.values().any(|v| {
            if self.flag {
                NO.contains(&norm(&v.0).as_str())
            } else {
                means_invoice_in(&v.0, codes)
            }
        }) || (!self.flag && credit.iter().all(|v| plainly_credit(&v.0)));
        if credit.is_empty() || !invoices || 10 * credit_rows > 3 * rows {
            return None;
        }
        let (pos, neg, neg_units) = credit
            .iter()
            .fold((0, 0, 0), |a, v| (a.0 + v.2, a.1 + v.3, a.2 + v.4));
        Some(Credits {
            column: header[self.column].clone(),
            values: credit.iter().map(|v| (v.0.clone(), v.1)).collect(),
            // Read negative, a credit already negative stays so: the setting costs nothing
            // where a fifth are written positive. At four in five, a tester's log with a
            // quarter of its credits negative loaded the rest as sales (+16% GP).
            unsigned: pos + neg > 0 && pos * 5 >= pos + neg,
            quantities_unsigned: neg > 0 && neg_units * 5 >= neg * 4,
        })
    }
}

pub(super) use crate::stages::etl::credits::names_credits;

/// The parts named for returns or credits whose rows' GP is written positive (nine in ten of
/// those with a sign, five or more): the ETL must read them as negative (`credit_parts`).
/// With their rows.
pub(super) fn credit_parts(files: &[String], signs: &[(u64, u64)]) -> Vec<(String, u64)> {
    files
        .iter()
        .zip(signs)
        .filter(|(f, (pos, neg))| names_credits(f) && *pos >= 5 && pos * 10 >= (pos + neg) * 9)
        .map(|(f, (pos, _))| (f.clone(), *pos))
        .collect()
}
