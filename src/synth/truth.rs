//! The truth oracle: for each customer and division, the probability of a purchase in the label
//! window after a cutoff, given everything the generator knows up to the cutoff (the customer's
//! hidden traits and real history). It is the mean, over independent replays of the
//! generator's process after the cutoff, of the label as `labels` defines it: net gross profit
//! of the division's lines (denylisted SKUs removed) in (cutoff, cutoff + window] above the
//! threshold. Scored against the realised holdout labels, it is the ceiling no model can beat
//! except by luck or leakage.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::catalog::PRODUCT_COLUMNS;
use super::posterior::Posterior;
#[cfg(test)]
use super::simulate::simulate_from;
use super::simulate::{self, Customer};
use super::GenConfig;

/// How a line's SKU maps to a label division, as the ETL maps it.
pub struct DivisionMap {
    /// Per SKU index: (default division, routes by the row's division value).
    by_sku: Vec<Option<(String, HashMap<String, String>)>>,
    denied: Vec<bool>,
}

impl DivisionMap {
    /// From `sku_map.csv` (`gp_column`, `division`, `division_routes` as `Row=Division;...`)
    /// and the label denylist (`sku` column).
    pub fn load(sku_map: &Path, denylist: Option<&Path>) -> Result<DivisionMap, String> {
        let mut r = csv::Reader::from_path(sku_map)
            .map_err(|e| format!("cannot read `{}`: {e}", sku_map.display()))?;
        let h = r.headers().map_err(|e| e.to_string())?.clone();
        let col = |n: &str| h.iter().position(|x| x == n);
        let (g, d) = (col("gp_column"), col("division"));
        let (Some(g), Some(d)) = (g, d) else {
            return Err(format!(
                "`{}` needs `gp_column` and `division` columns",
                sku_map.display()
            ));
        };
        let routes = col("division_routes");
        let mut by_name: HashMap<String, (String, HashMap<String, String>)> = HashMap::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| e.to_string())?;
            let rt = routes
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
            by_name.insert(rec[g].to_string(), (rec[d].to_string(), rt));
        }
        let denied_names: HashSet<String> = match denylist {
            Some(p) => {
                let mut r = csv::Reader::from_path(p)
                    .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
                r.records()
                    .filter_map(Result::ok)
                    .filter_map(|rec| rec.get(0).map(str::to_string))
                    .collect()
            }
            None => HashSet::new(),
        };
        Ok(DivisionMap {
            by_sku: PRODUCT_COLUMNS
                .iter()
                .map(|(n, _)| by_name.get(*n).cloned())
                .collect(),
            denied: PRODUCT_COLUMNS
                .iter()
                .map(|(n, _)| denied_names.contains(*n))
                .collect(),
        })
    }

    fn division(&self, sku: usize, row_division: &str) -> Option<&str> {
        if self.denied[sku] {
            return None;
        }
        let (d, routes) = self.by_sku[sku].as_ref()?;
        Some(routes.get(row_division).unwrap_or(d))
    }
}

/// One customer's truth: whether it had a line on or before the cutoff, and the probability of
/// a positive label per division; with `history`, also the history ceiling's (the probability
/// given only what the sales history shows: `posterior.rs`).
pub struct Truth {
    pub customer_id: u64,
    pub known_at_cutoff: bool,
    pub p: BTreeMap<String, f64>,
    pub p_history: Option<BTreeMap<String, f64>>,
}

/// The oracle for every customer of `cfg`. `cutoff` must be a month end (the replay forks at a
/// month boundary; a mid-month cutoff would let the rest of its month leak into the "past").
pub fn oracle(
    cfg: &GenConfig,
    cutoff: NaiveDate,
    window_months: u32,
    threshold: f64,
    map: &DivisionMap,
    replays: u64,
    history: bool,
) -> Result<Vec<Truth>, String> {
    if replays == 0 {
        return Err("the oracle needs at least one replay".into());
    }
    if (cutoff + chrono::Days::new(1)).day() != 1 {
        return Err(format!("the oracle needs a month-end cutoff, got {cutoff}"));
    }
    // Month-end arithmetic on a month-end cutoff: the last day of the window's last month.
    let end = (cutoff + chrono::Days::new(1))
        .checked_add_months(chrono::Months::new(window_months))
        .and_then(|d| d.pred_opt())
        .ok_or("the label window runs past the calendar")?;
    let divisions: Vec<String> = {
        let mut v: Vec<String> = map
            .by_sku
            .iter()
            .flatten()
            .flat_map(|(d, r)| std::iter::once(d.clone()).chain(r.values().cloned()))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    Ok((0..cfg.customers)
        .into_par_iter()
        .map(|i| {
            let c = Customer::draw(cfg, i);
            let simulate::Replays { known, futures } =
                simulate::replays(cfg, &c, cutoff, end, replays);
            let mut hits: BTreeMap<&str, u64> = BTreeMap::new();
            for future in &futures {
                for d in positives(future, cutoff, end, map, threshold) {
                    *hits.entry(d).or_default() += 1;
                }
            }
            let share = |hits: &BTreeMap<&str, u64>, scale: f64| -> BTreeMap<String, f64> {
                divisions
                    .iter()
                    .map(|d| {
                        let h = hits.get(d.as_str()).copied().unwrap_or(0);
                        (d.clone(), scale * h as f64 / replays as f64)
                    })
                    .collect()
            };
            let p_history = history.then(|| {
                let past = simulate::past(cfg, &c, cutoff);
                let Some(post) = Posterior::of(&past, cutoff) else {
                    return share(&BTreeMap::new(), 0.0);
                };
                let mut hits: BTreeMap<&str, u64> = BTreeMap::new();
                for r in 0..replays {
                    let (engagement, size) = post.draw(r, replays);
                    let like = Customer {
                        engagement,
                        size,
                        ..c.clone()
                    };
                    let future = simulate::future(cfg, &past, &like, cutoff, end, r);
                    for d in positives(&future, cutoff, end, map, threshold) {
                        *hits.entry(d).or_default() += 1;
                    }
                }
                share(&hits, post.alive)
            });
            Truth {
                customer_id: c.id,
                known_at_cutoff: known,
                p: share(&hits, 1.0),
                p_history,
            }
        })
        .collect())
}

/// The divisions in which `future` has a positive label: net gross profit of their lines in
/// (cutoff, end] above the threshold.
fn positives<'m>(
    future: &[simulate::Event],
    cutoff: NaiveDate,
    end: NaiveDate,
    map: &'m DivisionMap,
    threshold: f64,
) -> Vec<&'m str> {
    let mut net: BTreeMap<&str, f64> = BTreeMap::new();
    for e in future {
        if e.date <= cutoff || e.date > end {
            continue;
        }
        for l in &e.lines {
            if let Some(d) = map.division(l.sku, e.division) {
                *net.entry(d).or_default() += l.gp;
            }
        }
    }
    net.into_iter()
        .filter(|(_, g)| (g * 100.0).round() / 100.0 > threshold)
        .map(|(d, _)| d)
        .collect()
}

/// Writes `customer_id,division,known_at_cutoff,p_true`, one row per customer and division.
pub fn write(truth: &[Truth], path: &Path) -> Result<(), String> {
    let mut w = csv::Writer::from_path(path)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let history = truth.iter().any(|t| t.p_history.is_some());
    let mut header = vec!["customer_id", "division", "known_at_cutoff", "p_true"];
    if history {
        header.push("p_history");
    }
    w.write_record(&header).map_err(|e| e.to_string())?;
    for t in truth {
        for (d, p) in &t.p {
            let mut row = vec![
                t.customer_id.to_string(),
                d.clone(),
                u8::from(t.known_at_cutoff).to_string(),
                format!("{p:.6}"),
            ];
            if history {
                let h = t.p_history.as_ref().and_then(|h| h.get(d)).copied();
                row.push(format!("{:.6}", h.unwrap_or(0.0)));
            }
            w.write_record(&row).map_err(|e| e.to_string())?;
        }
    }
    w.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(customers: usize) -> GenConfig {
        GenConfig {
            customers,
            seed: 5,
            start: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            holdout_start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            dirty_rate: 0.0,
        }
    }

    #[test]
    fn a_replay_keeps_the_real_past_and_draws_a_new_future() {
        let cfg = cfg(40);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let mut futures_differ = false;
        for i in 0..40 {
            let c = Customer::draw(&cfg, i);
            let real = simulate_from(&cfg, &c, None);
            let past = |ev: &[crate::synth::Event]| -> Vec<crate::synth::Event> {
                ev.iter().filter(|e| e.date <= cutoff).cloned().collect()
            };
            let a = simulate_from(&cfg, &c, Some((cutoff, 0)));
            let b = simulate_from(&cfg, &c, Some((cutoff, 1)));
            // Returns of pre-cutoff orders may land after it; every order up to it is real.
            assert_eq!(past(&a), past(&real), "customer {i}");
            assert_eq!(past(&b), past(&real), "customer {i}");
            futures_differ |= a != b;
        }
        assert!(futures_differ, "independent replays drew the same futures");
    }

    #[test]
    fn replays_from_one_simulated_past_are_the_forked_simulations() {
        // The oracle continues copies of the life up to the cutoff instead of simulating the
        // whole history per replay: the futures must be exactly the forked simulations'.
        let cfg = cfg(120);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let until = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        for i in 0..120 {
            let c = Customer::draw(&cfg, i);
            let fast = simulate::replays(&cfg, &c, cutoff, until, 4);
            let real = simulate_from(&cfg, &c, None);
            let known = real.iter().any(|e| e.date <= cutoff);
            assert_eq!(fast.known, known, "customer {i}");
            for (r, future) in fast.futures.iter().enumerate() {
                let slow: Vec<_> = simulate_from(&cfg, &c, Some((cutoff, r as u64)))
                    .into_iter()
                    .filter(|e| e.date > cutoff && e.date <= until)
                    .collect();
                let fast: Vec<_> = future.iter().filter(|e| e.date <= until).cloned().collect();
                assert_eq!(fast, slow, "customer {i}, replay {r}");
            }
        }
    }

    #[test]
    fn a_replay_does_not_know_a_churn_that_comes_after_the_cutoff() {
        // The oracle conditions on what is known at the cutoff: a customer alive then may churn
        // in the window in reality, but its replays draw their own residual lifetimes, so some
        // of them still buy after the real churn day (and some churn earlier than it).
        let cfg = cfg(400);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let end = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        let mut churners = 0;
        let mut bought_after_churn = 0;
        for i in 0..400 {
            let c = Customer::draw(&cfg, i);
            let Some(churn) = c.churn.filter(|d| *d > cutoff && *d <= end) else {
                continue;
            };
            churners += 1;
            for r in 0..20 {
                if simulate_from(&cfg, &c, Some((cutoff, r)))
                    .iter()
                    .any(|e| e.date > churn && e.lines.iter().all(|l| l.gp > 0.0))
                {
                    bought_after_churn += 1;
                    break;
                }
            }
        }
        assert!(
            churners >= 5,
            "only {churners} customers churn in the window"
        );
        assert!(
            bought_after_churn > 0,
            "no replay of {churners} churners bought after the real churn day"
        );
    }

    #[test]
    fn probabilities_are_deterministic_and_zero_for_churned_customers() {
        let cfg = cfg(60);
        let dir = tempfile::tempdir().unwrap();
        let map_path = dir.path().join("sku_map.csv");
        std::fs::write(&map_path, include_str!("../../stages/sku_map.csv")).unwrap();
        let map = DivisionMap::load(&map_path, None).unwrap();
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let a = oracle(&cfg, cutoff, 6, 0.0, &map, 30, false).unwrap();
        let b = oracle(&cfg, cutoff, 6, 0.0, &map, 30, false).unwrap();
        assert!(a.iter().zip(&b).all(|(x, y)| x.p == y.p));
        assert!(a
            .iter()
            .flat_map(|t| t.p.values())
            .all(|p| (0.0..=1.0).contains(p)));
        assert!(a.iter().flat_map(|t| t.p.values()).any(|&p| p > 0.0));
        for (i, t) in a.iter().enumerate() {
            let c = Customer::draw(&cfg, i);
            if c.churn.is_some_and(|d| d <= cutoff) {
                assert!(
                    t.p.values().all(|&p| p == 0.0),
                    "churned customer {i}: {:?}",
                    t.p
                );
            }
        }
        let e = oracle(
            &cfg,
            NaiveDate::from_ymd_opt(2024, 6, 15).unwrap(),
            6,
            0.0,
            &map,
            1,
            false,
        );
        assert!(e.err().unwrap().contains("month-end cutoff"));
    }
}
