//! `whitespace_summary.json`: what an auditor asks about the ranking. The weights actually used
//! and their coverage, eligibility, what counted as a purchase, `expected_value`'s base per
//! division with the buyers behind it, and the pooled score at the top 5, 10 and 20 %.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::purchases::Base;
use super::{Pair, Params};
use crate::ml::metrics::top_k;
use crate::stages::labels::Definition;

/// What [`summary`] reports on.
pub(super) struct Facts<'a> {
    pub p: &'a Params,
    pub cutoff: NaiveDate,
    pub owned_since: NaiveDate,
    /// Sorted best first.
    pub pairs: &'a [Pair],
    /// Each signal's coverage, shrunk weight and final weight.
    pub blend: ([f64; 4], [f64; 4], [f64; 4]),
    /// Per division: (pairs scored, excluded as owned).
    pub eligibility: &'a BTreeMap<&'a str, (usize, usize)>,
    pub defs: &'a BTreeMap<String, Definition>,
    /// Per scored division, its base (`None`: no new buyer).
    pub bases: &'a BTreeMap<&'a str, Option<Base>>,
}

pub(super) fn summary(f: Facts) -> Value {
    let p = f.p;
    json!({
        "scoring_cutoff": f.cutoff.to_string(),
        "owned_within_months": p.owned_within_months,
        "owned_since": f.owned_since.to_string(),
        "normalize": p.normalize,
        "coverage_threshold": p.coverage_threshold,
        "rows": f.pairs.len(),
        "signals": signals(p, f.blend),
        "eligibility": f.eligibility.iter().map(|(d, (n, owned))| json!({
            "division": d, "scored": n, "owned_excluded": owned, "kept": n - owned,
        })).collect::<Vec<_>>(),
        "purchase": purchase(f.eligibility, f.defs),
        "expected_value_base": expected_value_base(&f),
        "thresholds": thresholds(f.pairs),
        "division_shares_top10pct": shares(f.pairs),
    })
}

fn signals(p: &Params, (covered, raw, weights): ([f64; 4], [f64; 4], [f64; 4])) -> Vec<Value> {
    let names = ["p_icp", "affinity", "als", "expected_value"];
    let w = p.weights;
    let base = [w.p_icp, w.affinity, w.als, w.expected_value];
    (0..4)
        .map(|k| {
            json!({
                "signal": names[k],
                "coverage": covered[k],
                "base_weight": base[k],
                "shrunk_weight": raw[k],
                "weight": weights[k],
            })
        })
        .collect()
}

/// The purchase rule each division was counted by, and where it came from: a division without
/// its model's label definition counts every line and a net GP above 0.
fn purchase(
    eligibility: &BTreeMap<&str, (usize, usize)>,
    defs: &BTreeMap<String, Definition>,
) -> Value {
    let divisions: Vec<Value> = eligibility
        .keys()
        .map(|d| match defs.get(*d) {
            Some(def) => json!({
                "division": d,
                "denylisted_skus": def.denylisted_skus,
                "gp_min_threshold": def.gp_min_threshold,
                "purchase": def.purchase,
                "from_label_definition": true,
            }),
            None => json!({
                "division": d,
                "denylisted_skus": [],
                "gp_min_threshold": 0.0,
                "purchase": crate::stages::labels::Purchase::Gp,
                "from_label_definition": false,
            }),
        })
        .collect();
    json!({
        "rule": "a division's net gross profit (denylisted SKUs removed, rounded to the cent) above gp_min_threshold, or its net quantity above 0 where `purchase` is `quantity`, as its model's labels count a purchase",
        "divisions": divisions,
    })
}

fn expected_value_base(f: &Facts) -> Value {
    let divisions: Vec<Value> = f
        .bases
        .iter()
        .map(|(d, b)| {
            let b = b.unwrap_or(Base {
                median: 0.0,
                buyers: 0,
            });
            json!({"division": d, "base": b.median, "new_buyers": b.buyers})
        })
        .collect();
    json!({
        "rule": "the median, over the division's new buyers, of the net gross profit of their first day in the division (denylisted SKUs removed); a new buyer's first line in the division (denylisted SKUs removed) is dated after new_buyers_after and on or before new_buyers_through, and that day's net is a purchase",
        "new_buyers_after": f.owned_since.to_string(),
        "new_buyers_through": f.cutoff.to_string(),
        "divisions": divisions,
    })
}

/// The pooled score at the top 5, 10 and 20 %: the top ceil(K% x n) rows, as lift@K counts them.
fn thresholds(pairs: &[Pair]) -> Vec<Value> {
    [5.0, 10.0, 20.0]
        .iter()
        .filter(|_| !pairs.is_empty())
        .map(|&k| {
            let rows = top_k(pairs.len(), k);
            json!({"top_percent": k, "rows": rows, "score": pairs[rows - 1].score})
        })
        .collect()
}

/// Each division's share of the top 10 % (ceil(10% x n) rows).
fn shares(pairs: &[Pair]) -> BTreeMap<&str, f64> {
    let top10 = top_k(pairs.len(), 10.0);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for x in &pairs[..top10] {
        *counts.entry(x.division.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(d, n)| (d, n as f64 / top10 as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(score: f64, division: &str) -> Pair {
        Pair {
            customer_id: format!("{score}"),
            customer_name: String::new(),
            division: division.into(),
            score,
            p_icp: 0.5,
            affinity: None,
            als_similarity: None,
            expected_value: 0.0,
            rank_in_customer: 1,
            rank_in_division: 1,
            explanation: String::new(),
            icp_grade: String::new(),
        }
    }

    #[test]
    fn the_top_k_cut_offs_take_ceil_k_percent_of_the_rows_as_lift_at_k_does() {
        // 25 pairs: the top 5% is ceil(1.25) = 2 rows, the top 10% 3, the top 20% 5 (floor
        // took 1, 2 and 5).
        let pairs: Vec<Pair> = (0..25)
            .map(|i| pair(1.0 - i as f64 / 100.0, if i < 2 { "A" } else { "B" }))
            .collect();
        let t = thresholds(&pairs);
        let rows: Vec<u64> = t.iter().map(|v| v["rows"].as_u64().unwrap()).collect();
        assert_eq!(rows, [2, 3, 5]);
        assert_eq!(t[0]["score"], 0.99);
        assert_eq!(t[1]["score"], 0.98);
        let s = shares(&pairs);
        assert!((s["A"] - 2.0 / 3.0).abs() < 1e-12, "{s:?}");
        assert!((s["B"] - 1.0 / 3.0).abs() < 1e-12, "{s:?}");
        // One pair: every cut is that row.
        let one = thresholds(&pairs[..1]);
        assert!(one.iter().all(|v| v["rows"] == 1));
        assert!(thresholds(&[]).is_empty() && shares(&[]).is_empty());
    }
}
