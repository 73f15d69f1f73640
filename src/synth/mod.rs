//! The synthetic sales log: the project's embedded default data.
//!
//! It writes, deterministically for a given seed, the original's three inputs in their exact
//! wide schema: `Sales_Log.csv` (rows before the holdout start), `Sales Log 2025 YTD.csv` (rows from
//! the holdout start on) and `TR - Industry Enrichment.csv`.
//!
//! The behaviour carries learnable signal. Each customer has latent traits (size, industry,
//! engagement) that scale monthly purchase hazards per motion; purchases follow cross-sell
//! sequences (seats first; simulation, PDM, CAM and electrical are boosted once seats are owned;
//! training and services follow new purchases; post-processing and consumables follow printers);
//! seats renew yearly as maintenance; Q4 is busier; customers churn; new logos arrive over time;
//! some lines are returned later with negative GP and quantity. `dirty_rate` injects what real
//! exports contain: alternative date, currency and id formats, and, at a quarter of the rate
//! each, unparseable dates, blank customer ids, bad currency text and exact duplicate lines.

pub mod catalog;
mod posterior;
mod rng;
mod simulate;
pub mod truth;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use catalog::{BASE_COLUMNS, PRODUCT_COLUMNS};
pub use rng::Rng;
pub use simulate::{simulate_customer, simulate_from, Customer, Event};

pub const SALES_LOG: &str = "Sales_Log.csv";
pub const HOLDOUT: &str = "Sales Log 2025 YTD.csv";
pub const ENRICHMENT: &str = "TR - Industry Enrichment.csv";

#[derive(Debug, Clone, Serialize)]
pub struct GenConfig {
    pub customers: usize,
    pub seed: u64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Rows dated on or after this go to the holdout file.
    pub holdout_start: NaiveDate,
    pub dirty_rate: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct GenSummary {
    pub customers: usize,
    pub sales_log_rows: usize,
    pub holdout_rows: usize,
    pub enrichment_rows: usize,
    pub duplicate_lines: usize,
    pub bad_dates: usize,
    pub blank_ids: usize,
    pub bad_currency: usize,
}

/// Why a configuration cannot be generated.
pub fn check(cfg: &GenConfig) -> Result<(), String> {
    if cfg.customers == 0 {
        return Err("`customers` must be at least 1".into());
    }
    if cfg.end <= cfg.start {
        return Err(format!(
            "`end` ({}) must be after `start` ({})",
            cfg.end, cfg.start
        ));
    }
    if !(0.0..=0.5).contains(&cfg.dirty_rate) {
        return Err(format!(
            "`dirty_rate` must be in [0, 0.5], got {}",
            cfg.dirty_rate
        ));
    }
    Ok(())
}

fn money(x: f64) -> String {
    format!("{x:.2}")
}

/// `$1,234.50`, or `(1,234.50)` when negative.
fn dollars(x: f64) -> String {
    let cents = (x.abs() * 100.0).round() as i64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let s = format!("{grouped}.{:02}", cents % 100);
    if x < 0.0 {
        format!("(${s})")
    } else {
        format!("${s}")
    }
}

fn qty(x: f64) -> String {
    format!("{}", x.round() as i64)
}

/// Writes the three files into `out`. Returns what was written.
pub fn generate(cfg: &GenConfig, out: &Path) -> Result<GenSummary, String> {
    check(cfg)?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let customers: Vec<Customer> = (0..cfg.customers).map(|i| Customer::draw(cfg, i)).collect();
    let mut events: Vec<(usize, Event)> = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        for e in simulate_customer(cfg, c) {
            events.push((i, e));
        }
    }
    // Date order, as a sales log is exported; ties by customer, then by their own sequence.
    events.sort_by_key(|a| (a.1.date, a.0, a.1.seq));

    let mut summary = GenSummary {
        customers: customers.len(),
        ..Default::default()
    };
    let mut train = writer(&out.join(SALES_LOG))?;
    let mut hold = writer(&out.join(HOLDOUT))?;
    let variant_p = (cfg.dirty_rate * 10.0).min(0.3);
    let error_p = cfg.dirty_rate / 4.0;
    for (k, (ci, e)) in events.iter().enumerate() {
        let c = &customers[*ci];
        let mut rng = Rng::new(cfg.seed, 0xD1_u64 << 40 | k as u64);
        let variant = rng.chance(variant_p);
        let mut row: Vec<String> =
            Vec::with_capacity(BASE_COLUMNS.len() + 2 * PRODUCT_COLUMNS.len());
        let id = if rng.chance(error_p) {
            summary.blank_ids += 1;
            String::new()
        } else if variant && rng.chance(0.3) {
            format!("{}.0", c.id)
        } else {
            c.id.to_string()
        };
        let date = if rng.chance(error_p) {
            summary.bad_dates += 1;
            rng.pick(&["N/A", "2023-02-30", "13/45/2023", "tbd"])
                .to_string()
        } else if variant {
            match rng.int(0, 3) {
                0 | 1 => format!("{}/{}/{}", e.date.month(), e.date.day(), e.date.year()),
                2 => format!(
                    "{}/{}/{} {}:{:02}",
                    e.date.month(),
                    e.date.day(),
                    e.date.year(),
                    rng.int(8, 17),
                    rng.int(0, 59)
                ),
                _ => format!("{} {:02}:{:02}:00", e.date, rng.int(8, 17), rng.int(0, 59)),
            }
        } else {
            e.date.to_string()
        };
        row.push(id);
        row.push(date);
        row.push(e.division.to_string());
        row.push(format!("{} {}", c.id, c.name));
        row.push((500_000 + k).to_string());
        row.push(e.date.to_string());
        row.push(c.branch.to_string());
        row.push(c.rep.to_string());
        let mut cells = vec![(String::new(), String::new()); PRODUCT_COLUMNS.len()];
        let bad_currency = rng.chance(error_p);
        for (n, line) in e.lines.iter().enumerate() {
            let gp = if bad_currency && n == 0 {
                summary.bad_currency += 1;
                format!("{}O", money(line.gp).replace('.', ""))
            } else if variant {
                dollars(line.gp)
            } else {
                money(line.gp)
            };
            cells[line.sku] = (gp, qty(line.qty));
        }
        // Two GP columns share one Qty column, which appears once: its quantity is the first
        // non-empty one of the GP columns that share it.
        for (i, (_, qty_col)) in PRODUCT_COLUMNS.iter().enumerate() {
            row.push(cells[i].0.clone());
            if catalog::first_with_qty(qty_col) == i {
                let q = PRODUCT_COLUMNS
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, q))| q == qty_col)
                    .map(|(j, _)| cells[j].1.clone())
                    .find(|v| !v.is_empty())
                    .unwrap_or_default();
                row.push(q);
            }
        }
        let dup = rng.chance(error_p);
        let w = if e.date >= cfg.holdout_start {
            &mut hold
        } else {
            &mut train
        };
        for _ in 0..if dup { 2 } else { 1 } {
            w.write_record(&row).map_err(|e| e.to_string())?;
            if e.date >= cfg.holdout_start {
                summary.holdout_rows += 1;
            } else {
                summary.sales_log_rows += 1;
            }
        }
        if dup {
            summary.duplicate_lines += 1;
        }
    }
    train.flush().map_err(|e| e.to_string())?;
    hold.flush().map_err(|e| e.to_string())?;
    summary.enrichment_rows = write_enrichment(cfg, &customers, &out.join(ENRICHMENT))?;
    Ok(summary)
}

fn writer(path: &PathBuf) -> Result<csv::Writer<std::fs::File>, String> {
    let mut w = csv::Writer::from_path(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    let mut header: Vec<&str> = BASE_COLUMNS.to_vec();
    for (i, (gp, q)) in PRODUCT_COLUMNS.iter().enumerate() {
        header.push(gp);
        if catalog::first_with_qty(q) == i {
            header.push(q);
        }
    }
    w.write_record(&header).map_err(|e| e.to_string())?;
    Ok(w)
}

/// The enrichment file: most customers by ID, some by name only, some with a misspelt name
/// (for fuzzy matching), some missing; plus prospects that never bought.
fn write_enrichment(cfg: &GenConfig, customers: &[Customer], path: &Path) -> Result<usize, String> {
    let mut w = csv::Writer::from_path(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    w.write_record([
        "Customer",
        "Cleaned Customer Name",
        "Web Address",
        "Industry",
        "Industry Sub List",
        "Reasoning",
        "ID",
    ])
    .map_err(|e| e.to_string())?;
    let mut n = 0;
    let mut emit = |name: &str, id: String, industry: &str, sub: &str| -> Result<(), String> {
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        w.write_record([
            name,
            &name.to_lowercase(),
            &format!("www.{slug}.com"),
            industry,
            sub,
            &format!("Synthetic profile: {sub} ({industry})"),
            &id,
        ])
        .map_err(|e| e.to_string())?;
        n += 1;
        Ok(())
    };
    for (i, c) in customers.iter().enumerate() {
        let mut rng = Rng::new(cfg.seed, 0xE7_u64 << 40 | i as u64);
        let ind = &catalog::INDUSTRIES[c.industry];
        let r = rng.f64();
        if r < 0.86 {
            emit(&c.name, c.id.to_string(), ind.name, c.sub)?;
        } else if r < 0.92 {
            emit(&c.name, String::new(), ind.name, c.sub)?;
        } else if r < 0.97 {
            emit(&misspell(&c.name, &mut rng), String::new(), ind.name, c.sub)?;
        }
    }
    for p in 0..customers.len() / 10 {
        let c = Customer::draw(cfg, customers.len() + 1_000_000 + p);
        let ind = &catalog::INDUSTRIES[c.industry];
        emit(
            &format!("{} Prospect", c.name),
            String::new(),
            ind.name,
            c.sub,
        )?;
    }
    w.flush().map_err(|e| e.to_string())?;
    Ok(n)
}

/// One typo: a doubled or dropped letter inside a word, as enrichment vendors make them.
fn misspell(name: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = name.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_ascii_lowercase())
        .collect();
    if letters.is_empty() {
        return name.to_string();
    }
    let at = *rng.pick(&letters);
    let mut out: String = chars[..at].iter().collect();
    if rng.chance(0.5) {
        out.push(chars[at]);
        out.push(chars[at]);
    }
    out.extend(&chars[at + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(customers: usize, seed: u64) -> GenConfig {
        GenConfig {
            customers,
            seed,
            start: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            holdout_start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            dirty_rate: 0.01,
        }
    }

    #[test]
    fn generation_is_deterministic_per_seed() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        generate(&cfg(300, 42), a.path()).unwrap();
        generate(&cfg(300, 42), b.path()).unwrap();
        generate(&cfg(300, 43), c.path()).unwrap();
        for f in [SALES_LOG, HOLDOUT, ENRICHMENT] {
            let x = std::fs::read(a.path().join(f)).unwrap();
            assert_eq!(
                x,
                std::fs::read(b.path().join(f)).unwrap(),
                "{f} differs for the same seed"
            );
            assert_ne!(
                x,
                std::fs::read(c.path().join(f)).unwrap(),
                "{f} equal for another seed"
            );
        }
    }

    #[test]
    fn holdout_file_holds_exactly_the_rows_from_the_holdout_start() {
        let d = tempfile::tempdir().unwrap();
        let s = generate(&cfg(200, 1), d.path()).unwrap();
        assert!(s.holdout_rows > 0 && s.sales_log_rows > 5 * s.holdout_rows);
        let mut r = csv::Reader::from_path(d.path().join(HOLDOUT)).unwrap();
        let iso = r
            .records()
            .filter_map(|x| x.ok())
            .filter_map(|x| NaiveDate::parse_from_str(&x[5], "%Y-%m-%d").ok());
        assert!(iso
            .into_iter()
            .all(|dt| dt >= NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()));
    }

    #[test]
    fn seat_owners_buy_simulation_far_more_often_and_q4_is_busier() {
        let c = cfg(3_000, 42);
        let (mut owners, mut owners_sim, mut others, mut others_sim) = (0, 0, 0, 0);
        let (mut q4, mut all) = (0usize, 0usize);
        let seats = [catalog::sku("SWX_Core"), catalog::sku("SWX_Pro_Prem")];
        let sim = catalog::sku("Simulation");
        for i in 0..c.customers {
            let cust = Customer::draw(&c, i);
            let events = simulate_customer(&c, &cust);
            let has = |k: usize| {
                events
                    .iter()
                    .any(|e| e.lines.iter().any(|l| l.sku == k && l.gp > 0.0))
            };
            let bought_sim = has(sim);
            if seats.iter().any(|&k| has(k)) {
                owners += 1;
                owners_sim += usize::from(bought_sim);
            } else {
                others += 1;
                others_sim += usize::from(bought_sim);
            }
            // Whole years only: the log ends in June.
            for e in events.iter().filter(|e| e.date.year() <= 2024) {
                all += 1;
                q4 += usize::from(e.date.month() >= 10);
            }
        }
        let p_owner = owners_sim as f64 / owners as f64;
        let p_other = others_sim as f64 / others.max(1) as f64;
        assert!(others > 100, "too few non-owners ({others}) to compare");
        assert!(
            p_owner > 2.5 * p_other,
            "P(sim | seats) = {p_owner:.3}, P(sim | no seats) = {p_other:.3}"
        );
        let q4_share = q4 as f64 / all as f64;
        assert!(
            q4_share > 0.28,
            "Q4 share {q4_share:.3} is not above a quarter of the year"
        );
    }

    #[test]
    fn dollars_format() {
        assert_eq!(dollars(1234.5), "$1,234.50");
        assert_eq!(dollars(-2000.0), "($2,000.00)");
        assert_eq!(dollars(12.0), "$12.00");
        assert_eq!(dollars(1_234_567.891), "$1,234,567.89");
    }
}
