//! Customer purchase histories loaded from the star schema, and the as-of accessors through which
//! label and feature stages see them.
//!
//! Leakage safety is structural: a feature computation gets an [`AsOf`] view, which holds only the
//! lines dated on or before the cutoff; a label computation gets a [`Window`] view, which holds
//! only lines in (cutoff, end]. Each view reports the dates it actually handed out, which the
//! stage records (`record_feature_events` / `record_label_events`) and the engine checks.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};
use polars::prelude::*;

/// Days since 1970-01-01.
pub type Day = i32;

pub fn day(d: NaiveDate) -> Day {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as Day
}

/// Signed: a log may hold dates before 1970 (a `1900-01-01` placeholder for "no date").
pub fn date(d: Day) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::TimeDelta::days(i64::from(d))
}

fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_some_and(|n| n.month() != d.month())
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let first_next = (d.with_day(1).expect("day 1") + Months::new(1))
        .with_day(1)
        .expect("day 1");
    first_next.pred_opt().expect("a day before")
}

/// Adds (or subtracts) months, month-end aware: a month-end date stays a month end
/// (2024-06-30 + 6 = 2024-12-31, 2024-08-31 - 6 = 2024-02-29); other days clamp
/// (2024-01-30 + 1 = 2024-02-29).
pub fn add_months(d: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        d.checked_add_months(Months::new(months as u32))
    } else {
        d.checked_sub_months(Months::new((-months) as u32))
    }
    .expect("date in range");
    if is_month_end(d) {
        month_end(shifted)
    } else {
        shifted
    }
}

/// One fact line as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLine {
    pub customer_id: String,
    pub day: Day,
    pub sku: String,
    pub division: String,
    pub gp: f64,
    pub qty: f64,
}

/// One fact line, compactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Txn {
    pub day: Day,
    pub sku: u16,
    pub division: u16,
    pub gp: f64,
    pub qty: f64,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerInfo {
    pub id: String,
    pub industry: Option<String>,
    pub industry_sub: Option<String>,
}

/// Every customer's lines, sorted by date.
#[derive(Debug, Default)]
pub struct History {
    pub customers: Vec<CustomerInfo>,
    /// Parallel to `customers`.
    pub lines: Vec<Vec<Txn>>,
    pub skus: Vec<String>,
    pub divisions: Vec<String>,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
}

/// A string column; null stays `None`.
pub fn strings(df: &DataFrame, col: &str) -> Result<Vec<Option<String>>, String> {
    let c = df.column(col).map_err(|e| format!("column `{col}`: {e}"))?;
    let s = c.str().map_err(|e| format!("column `{col}`: {e}"))?;
    Ok(s.iter().map(|x| x.map(str::to_string)).collect())
}

/// A string column; null reads as "".
pub fn str_column(df: &DataFrame, col: &str) -> Result<Vec<String>, String> {
    Ok(strings(df, col)?
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect())
}

/// A numeric column cast to f64; null reads as `null`.
pub fn f64_column(df: &DataFrame, col: &str, null: f64) -> Result<Vec<f64>, String> {
    let c = df
        .column(col)
        .map_err(|e| format!("column `{col}`: {e}"))?
        .cast(&DataType::Float64)
        .map_err(|e| format!("column `{col}`: {e}"))?;
    let f = c.f64().map_err(|e| format!("column `{col}`: {e}"))?;
    Ok(f.iter().map(|v| v.unwrap_or(null)).collect())
}

pub fn read_parquet(path: &Path) -> Result<DataFrame, String> {
    read_parquet_columns(path, None)
}

/// The columns `columns` of a Parquet file (all with `None`): the others are never decoded.
fn read_parquet_columns(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame, String> {
    let f =
        std::fs::File::open(path).map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
    ParquetReader::new(f)
        .with_columns(columns.map(|c| c.iter().map(|c| c.to_string()).collect()))
        .finish()
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

impl History {
    /// Loads `fact_transactions.parquet` and `dim_customer.parquet` from a star directory.
    /// Customers are ordered by id; SKUs and divisions by name. Only the columns a history
    /// holds are read: every `labels` and `features` instance loads the star, and decoding the
    /// invoice ids and names too cost a `labels` instance about 13% of its CPU time.
    pub fn load(star: &Path) -> Result<History, String> {
        let fact = read_parquet_columns(
            &star.join("fact_transactions.parquet"),
            Some(&[
                "customer_id",
                "order_date",
                "product_sku",
                "product_division",
                "gross_profit",
                "quantity",
            ]),
        )?;
        let dim = read_parquet_columns(
            &star.join("dim_customer.parquet"),
            Some(&["customer_id", "industry", "industry_sub"]),
        )?;
        let ids = strings(&dim, "customer_id")?;
        let industry = strings(&dim, "industry")?;
        let sub = strings(&dim, "industry_sub")?;
        let customers: Vec<CustomerInfo> = ids
            .into_iter()
            .zip(industry)
            .zip(sub)
            .filter_map(|((id, ind), sub)| {
                id.map(|id| CustomerInfo {
                    id,
                    industry: ind,
                    industry_sub: sub,
                })
            })
            .collect();
        let mut h = History::from_frame(customers, &fact)?;
        // A weekday business's log runs through the weekend month-end after its last sale
        // (`closed_on_weekends`), a log cut at a month-end through that day (`data_through`):
        // windows ending then are whole.
        if let Some(through) = super::etl::extent::read(star)? {
            h.last_day = h.last_day.map(|l| l.max(day(through)));
        }
        Ok(h)
    }

    /// The fast path of [`History::load`]: indexes the fact columns without a String per row.
    fn from_frame(mut customers: Vec<CustomerInfo>, fact: &DataFrame) -> Result<History, String> {
        customers.sort_by(|a, b| a.id.cmp(&b.id));
        customers.dedup_by(|a, b| a.id == b.id);
        let col = |name: &str| {
            fact.column(name)
                .map_err(|e| format!("column `{name}`: {e}"))
        };
        let strs = |name: &str| -> Result<StringChunked, String> {
            Ok(col(name)?
                .str()
                .map_err(|e| format!("column `{name}`: {e}"))?
                .clone())
        };
        let (cust, sku, div) = (
            strs("customer_id")?,
            strs("product_sku")?,
            strs("product_division")?,
        );
        let dates = col("order_date")?
            .cast(&DataType::Int32)
            .map_err(|e| e.to_string())?;
        let dates = dates.i32().map_err(|e| e.to_string())?.clone();
        let gp = col("gross_profit")?
            .cast(&DataType::Float64)
            .map_err(|e| e.to_string())?;
        let gp = gp.f64().map_err(|e| e.to_string())?.clone();
        let qty = col("quantity")?
            .cast(&DataType::Float64)
            .map_err(|e| e.to_string())?;
        let qty = qty.f64().map_err(|e| e.to_string())?.clone();
        // Fx hashing: these maps are hit once per fact line, and SipHash dominated the load.
        let distinct = |ca: &StringChunked| -> Vec<String> {
            let set: rustc_hash::FxHashSet<&str> = ca.iter().flatten().collect();
            let mut v: Vec<String> = set.into_iter().map(str::to_string).collect();
            v.sort();
            v
        };
        let skus = distinct(&sku);
        let divisions = distinct(&div);
        let sku_ix: rustc_hash::FxHashMap<&str, u16> = skus
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u16))
            .collect();
        let div_ix: rustc_hash::FxHashMap<&str, u16> = divisions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u16))
            .collect();
        let index: rustc_hash::FxHashMap<&str, usize> = customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut lines: Vec<Vec<Txn>> = vec![Vec::new(); customers.len()];
        let (mut first, mut last): (Option<Day>, Option<Day>) = (None, None);
        let rows = cust
            .iter()
            .zip(sku.iter())
            .zip(div.iter())
            .zip(dates.iter())
            .zip(gp.iter())
            .zip(qty.iter());
        for (((((c, s), d), day), g), q) in rows {
            let (Some(c), Some(day)) = (c, day) else {
                continue;
            };
            let Some(&ci) = index.get(c) else { continue };
            first = Some(first.map_or(day, |f| f.min(day)));
            last = Some(last.map_or(day, |l| l.max(day)));
            lines[ci].push(Txn {
                day,
                sku: s.and_then(|s| sku_ix.get(s)).copied().unwrap_or(0),
                division: d.and_then(|d| div_ix.get(d)).copied().unwrap_or(0),
                gp: g.unwrap_or(0.0),
                qty: q.unwrap_or(0.0),
            });
        }
        for l in &mut lines {
            l.sort_by(|a, b| {
                a.day
                    .cmp(&b.day)
                    .then(a.sku.cmp(&b.sku))
                    .then(a.gp.total_cmp(&b.gp))
            });
        }
        Ok(History {
            customers,
            lines,
            skus,
            divisions,
            first_day: first,
            last_day: last,
        })
    }

    /// Builds a history from customers and lines (lines of unknown customers are ignored).
    pub fn from_lines(
        mut customers: Vec<CustomerInfo>,
        rows: impl IntoIterator<Item = RawLine>,
    ) -> History {
        customers.sort_by(|a, b| a.id.cmp(&b.id));
        customers.dedup_by(|a, b| a.id == b.id);
        let rows: Vec<RawLine> = rows.into_iter().collect();
        let index: HashMap<&str, usize> = customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut skus: Vec<String> = rows.iter().map(|r| r.sku.clone()).collect();
        skus.sort();
        skus.dedup();
        let mut divisions: Vec<String> = rows.iter().map(|r| r.division.clone()).collect();
        divisions.sort();
        divisions.dedup();
        let sku_ix: HashMap<&str, u16> = skus
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u16))
            .collect();
        let div_ix: HashMap<&str, u16> = divisions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u16))
            .collect();
        let mut lines: Vec<Vec<Txn>> = vec![Vec::new(); customers.len()];
        let (mut first, mut last): (Option<Day>, Option<Day>) = (None, None);
        for r in &rows {
            let Some(&ci) = index.get(r.customer_id.as_str()) else {
                continue;
            };
            first = Some(first.map_or(r.day, |f| f.min(r.day)));
            last = Some(last.map_or(r.day, |l| l.max(r.day)));
            lines[ci].push(Txn {
                day: r.day,
                sku: sku_ix[r.sku.as_str()],
                division: div_ix[r.division.as_str()],
                gp: r.gp,
                qty: r.qty,
            });
        }
        for l in &mut lines {
            l.sort_by(|a, b| {
                a.day
                    .cmp(&b.day)
                    .then(a.sku.cmp(&b.sku))
                    .then(a.gp.total_cmp(&b.gp))
            });
        }
        History {
            customers,
            lines,
            skus,
            divisions,
            first_day: first,
            last_day: last,
        }
    }

    pub fn division_index(&self, name: &str) -> Option<u16> {
        self.divisions
            .iter()
            .position(|d| d == name)
            .map(|i| i as u16)
    }

    pub fn sku_index(&self, name: &str) -> Option<u16> {
        self.skus.iter().position(|d| d == name).map(|i| i as u16)
    }

    /// The lines each customer had on or before `cutoff`.
    pub fn as_of(&self, cutoff: NaiveDate) -> AsOf<'_> {
        let c = day(cutoff);
        let lines: Vec<&[Txn]> = self
            .lines
            .iter()
            .map(|l| &l[..l.partition_point(|t| t.day <= c)])
            .collect();
        let seen = lines.iter().flat_map(|l| l.iter().map(|t| t.day));
        let (min, max) = seen.fold((None, None), |(lo, hi): (Option<Day>, Option<Day>), d| {
            (
                Some(lo.map_or(d, |x| x.min(d))),
                Some(hi.map_or(d, |x| x.max(d))),
            )
        });
        AsOf {
            history: self,
            cutoff: c,
            lines,
            min_day: min,
            max_day: max,
        }
    }

    /// The lines each customer had in (start, end].
    pub fn window(&self, start: NaiveDate, end: NaiveDate) -> Window<'_> {
        let (s, e) = (day(start), day(end));
        let lines: Vec<&[Txn]> = self
            .lines
            .iter()
            .map(|l| {
                let lo = l.partition_point(|t| t.day <= s);
                let hi = l.partition_point(|t| t.day <= e);
                &l[lo..hi.max(lo)]
            })
            .collect();
        let seen = lines.iter().flat_map(|l| l.iter().map(|t| t.day));
        let (min, max) = seen.fold((None, None), |(lo, hi): (Option<Day>, Option<Day>), d| {
            (
                Some(lo.map_or(d, |x| x.min(d))),
                Some(hi.map_or(d, |x| x.max(d))),
            )
        });
        Window {
            lines,
            min_day: min,
            max_day: max,
        }
    }
}

/// What feature code may see: each customer's lines dated on or before the cutoff.
pub struct AsOf<'a> {
    pub history: &'a History,
    pub cutoff: Day,
    /// Parallel to `history.customers`.
    pub lines: Vec<&'a [Txn]>,
    pub min_day: Option<Day>,
    pub max_day: Option<Day>,
}

/// What label code may see: each customer's lines in (cutoff, end].
pub struct Window<'a> {
    pub lines: Vec<&'a [Txn]>,
    pub min_day: Option<Day>,
    pub max_day: Option<Day>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_is_month_end_aware() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(add_months(d("2024-06-30"), 6), d("2024-12-31"));
        assert_eq!(add_months(d("2024-08-31"), -6), d("2024-02-29"));
        assert_eq!(add_months(d("2024-12-31"), -3), d("2024-09-30"));
        assert_eq!(add_months(d("2024-01-30"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2024-03-15"), -12), d("2023-03-15"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
    }
}
