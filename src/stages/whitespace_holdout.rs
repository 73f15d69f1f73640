//! `whitespace_holdout`: the whitespace list itself, judged on the holdout window.
//!
//! `validate` measures each model over the labels' population, every customer known at the
//! scoring cutoff, and those are mostly owners who buy again. The whitespace list holds only
//! non-owners, the cross-sell case, where a model can rank the whole population well and its
//! non-owners no better than chance (a tester's division passed validation at lift@10 8.0 while
//! its whitespace rows' top decile bought below the base rate). So this stage takes the rows of
//! `whitespace.csv` as they are, labels each (customer, division) pair as the division's model
//! was trained to (its `label_definition.json`: window, denylist, threshold) over the holdout,
//! and says how the list's order does: within each division (`rank_in_division`) and for the
//! file as a whole (its row order), each beside the same rows ordered by `p_icp` alone.
//!
//! Nothing here is fitted or tuned: the list was ranked at the scoring cutoff, from the
//! training log only; the holdout is read for the labels alone. A division whose holdout window
//! overlaps a training label window is not measured (its figures would be in-sample), as in
//! `validate`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::history::{add_months, History};
use super::labels::Definition;
use super::validate::{in_sample, Coverage};
use super::{Role, Stage, StageContext, StageError};
use crate::ml::metrics;

/// The cuts reported, as lift@K counts them (the top ceil(K% x n) rows).
const TOP_PERCENTS: [f64; 3] = [5.0, 10.0, 20.0];

fn d_min_buyers() -> usize {
    20
}

/// `stages/whitespace_holdout.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// A division with fewer holdout buyers among its whitespace rows is reported, not warned
    /// about: a lift on a handful of buyers is mostly noise.
    #[serde(default = "d_min_buyers")]
    pub min_buyers: usize,
}

/// One row of `whitespace.csv`, in file order.
#[derive(Debug, Clone)]
pub struct Row {
    pub customer_id: String,
    pub division: String,
    pub p_icp: f64,
    pub rank_in_division: u64,
}

/// How one ordering of some rows did against their holdout labels and the GP their buyers
/// brought (`gp`: each row's net GP in its division over the window).
fn figures(y: &[u8], gp: &[f64], order: &[f64], keys: &[&str]) -> Value {
    let ranking = metrics::Ranking::of(order, keys);
    let mut top = Vec::new();
    for pct in TOP_PERCENTS {
        let k = metrics::top_k(y.len(), pct);
        top.push(json!({
            "k_percent": pct,
            "rows": k,
            "buyers": ranking.hits(y, pct),
            "hit_rate": (k > 0).then(|| ranking.hits(y, pct) as f64 / k as f64),
            "lift": ranking.lift(y, pct),
            "gp_lift": ranking.revenue_lift(y, gp, pct),
        }));
    }
    json!({"auc": metrics::roc_auc(y, order), "top": top})
}

/// The figures of rows in the list's order (`list_order`, higher first) and by `p_icp`.
fn both(rows: &[&Row], y: &[u8], gp: &[f64], list_order: &[f64]) -> Value {
    let keys: Vec<String> = rows
        .iter()
        .map(|r| format!("{}\u{1f}{}", r.customer_id, r.division))
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let p: Vec<f64> = rows.iter().map(|r| r.p_icp).collect();
    let buyers = y.iter().filter(|&&v| v == 1).count();
    let buyers_gp: f64 = y
        .iter()
        .zip(gp)
        .filter(|(&v, _)| v == 1)
        .map(|(_, g)| g.max(0.0))
        .sum();
    json!({
        "rows": rows.len(),
        "buyers": buyers,
        "base_rate": buyers as f64 / rows.len().max(1) as f64,
        "buyers_gp": (buyers_gp * 100.0).round() / 100.0,
        "list": figures(y, gp, list_order, &keys),
        "p_icp": figures(y, gp, &p, &keys),
    })
}

/// A division's holdout labels, or why it has none.
pub enum Labels {
    Measured {
        /// The customers who bought in the division in (cutoff, window end], with their net GP
        /// there; every other customer is a non-buyer.
        buyers: HashMap<String, f64>,
        window_end: NaiveDate,
        coverage: Coverage,
        definition: String,
    },
    NotMeasured(String),
}

/// Each division's labels over the holdout, as its model's label definition counts a purchase.
pub fn labels(
    divisions: &[String],
    models: &BTreeMap<String, PathBuf>,
    holdout: &History,
    cutoff: NaiveDate,
) -> Result<BTreeMap<String, Labels>, String> {
    let mut out = BTreeMap::new();
    for division in divisions {
        let Some(dir) = models.get(division) else {
            out.insert(
                division.clone(),
                Labels::NotMeasured(format!("no `train` output of {division} says what a purchase is (does the node need `train`?)")),
            );
            continue;
        };
        let def = Definition::load(dir)?;
        let end = add_months(cutoff, def.window_months as i32);
        if let Some(o) = in_sample(dir, cutoff, def.window_months)? {
            out.insert(division.clone(), Labels::NotMeasured(format!(
                "the holdout label window ({cutoff}, {end}] overlaps the label window of training cutoff {} (to {}), so figures on it would be in-sample",
                o.cutoff, o.window_end
            )));
            continue;
        }
        let nets = super::labels::window_net(holdout, division, cutoff, end, &def.denylisted_skus);
        let buyers = holdout
            .customers
            .iter()
            .zip(&nets)
            .filter(|(_, n)| def.bought(n))
            .map(|(c, n)| (c.id.clone(), n.gp()))
            .collect();
        out.insert(
            division.clone(),
            Labels::Measured {
                buyers,
                window_end: end,
                coverage: Coverage::of(holdout, cutoff, end),
                definition: def.describe(division, cutoff, end),
            },
        );
    }
    Ok(out)
}

/// The report: each division's rows in the list's order and by `p_icp`, then the whole file
/// (the divisions measured) in its row order and by `p_icp`.
pub fn judge(rows: &[Row], labels: &BTreeMap<String, Labels>, cutoff: NaiveDate) -> Value {
    // A row's label and GP, or `None` for a division not measured.
    let label = |r: &Row| match labels.get(&r.division) {
        Some(Labels::Measured { buyers, .. }) => Some(
            buyers
                .get(&r.customer_id)
                .map_or((0u8, 0.0), |&gp| (1u8, gp)),
        ),
        _ => None,
    };
    let mut by_division: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_division.entry(&r.division).or_default().push(r);
    }
    let mut divisions = Vec::new();
    for (division, drows) in &by_division {
        match labels.get(*division) {
            Some(Labels::Measured {
                window_end,
                coverage,
                definition,
                ..
            }) => {
                let (y, gp): (Vec<u8>, Vec<f64>) =
                    drows.iter().map(|r| label(r).unwrap_or_default()).unzip();
                // Rank 1 first; the rank is the list's order, score ties already broken.
                let order: Vec<f64> = drows.iter().map(|r| -(r.rank_in_division as f64)).collect();
                let mut d = both(drows, &y, &gp, &order);
                d["division"] = json!(division);
                d["status"] = json!("measured");
                d["label_definition"] = json!(definition);
                d["window_end"] = json!(window_end.to_string());
                d["censored"] = json!(coverage.censored());
                divisions.push(d);
            }
            Some(Labels::NotMeasured(why)) => divisions.push(json!({
                "division": division, "status": "not_measured", "reason": why, "rows": drows.len(),
            })),
            None => divisions.push(json!({
                "division": division, "status": "not_measured", "reason": "no label definition was read for it", "rows": drows.len(),
            })),
        }
    }
    // The file's order across divisions: its row order (rows are written best first).
    let mut prow = Vec::new();
    let (mut py, mut pgp) = (Vec::new(), Vec::new());
    for r in rows {
        if let Some((y, gp)) = label(r) {
            prow.push(r);
            py.push(y);
            pgp.push(gp);
        }
    }
    let order: Vec<f64> = (0..prow.len()).map(|i| -(i as f64)).collect();
    let whole = both(&prow, &py, &pgp, &order);
    json!({
        "scoring_cutoff": cutoff.to_string(),
        "population": "the rows of whitespace.csv: (customer, division) pairs with no purchase in the division in the ownership window, customers known at the scoring cutoff",
        "label": "each division's training label definition over the holdout window after the scoring cutoff",
        "orders": {
            "list": "within a division its `rank_in_division`; for the whole file its row order",
            "p_icp": "the same rows by `p_icp` alone, ties by customer id and division",
        },
        "divisions": divisions,
        "whole_file": whole,
    })
}

/// Reads `whitespace.csv` in file order.
pub fn read_rows(path: &Path) -> Result<Vec<Row>, String> {
    let mut rdr = csv::Reader::from_path(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("`{}`: {e}", path.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("`{}` has no column `{name}`", path.display()))
    };
    let (c, d, p, r) = (
        col("customer_id")?,
        col("division")?,
        col("p_icp")?,
        col("rank_in_division")?,
    );
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("`{}`: {e}", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let bad = |i: usize, what: &str| {
            format!(
                "`{}` line {line}: `{}` is not {what} ({})",
                path.display(),
                &rec[i],
                &headers[i]
            )
        };
        let p_icp = rec[p]
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| bad(p, "a number"))?;
        let rank = rec[r]
            .parse::<u64>()
            .map_err(|_| bad(r, "a whole number"))?;
        rows.push(Row {
            customer_id: super::spreadsheet_true(&rec[c]).to_string(),
            division: super::spreadsheet_true(&rec[d]).to_string(),
            p_icp,
            rank_in_division: rank,
        });
    }
    Ok(rows)
}

pub struct WhitespaceHoldoutStage;

impl Stage for WhitespaceHoldoutStage {
    fn roles(&self) -> &'static [Role] {
        &[
            Role {
                name: "whitespace",
                default_node: "whitespace",
                required: true,
                about: "the whitespace list to judge",
                stages: &["whitespace"],
            },
            super::validate::HOLDOUT,
            Role {
                name: "train",
                default_node: "train",
                required: true,
                about: "the trained models, whose label definitions say what a purchase is",
                stages: &["train"],
            },
        ]
    }
    fn name(&self) -> &'static str {
        "whitespace_holdout"
    }
    fn summary(&self) -> &'static str {
        "the whitespace list judged on the holdout: who of its non-owners bought, by rank"
    }
    fn outputs(&self) -> Option<&'static [&'static str]> {
        Some(&["report"])
    }
    type Params = Params;
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let files: Vec<PathBuf> = ctx
            .upstream("whitespace")
            .iter()
            .flat_map(|(_, ps)| ps.iter().cloned())
            .collect();
        let pick = |ext: &str| {
            files
                .iter()
                .find(|f| f.extension().is_some_and(|e| e == ext) && f.is_file())
                .cloned()
                .ok_or_else(|| {
                    StageError::Data(format!(
                        "no .{ext} file among the outputs of the node filling the role `whitespace`"
                    ))
                })
        };
        // `csv` and `summary` outputs, or a `dir` holding `whitespace.csv` (no summary then:
        // the scoring cutoff is the summary's, so it is asked for).
        let csv = pick("csv").or_else(|e| {
            files
                .iter()
                .map(|d| d.join("whitespace.csv"))
                .find(|f| f.is_file())
                .ok_or(e)
        })?;
        let summary = pick("json").map_err(|_| {
            StageError::Data("the node filling the role `whitespace` writes no summary: give it a `summary` output (`outputs: {csv: ..., summary: ...}`), whose scoring cutoff the holdout window starts at".into())
        })?;
        let summary: Value = serde_json::from_slice(
            &std::fs::read(&summary).map_err(|e| StageError::io("cannot read", &summary, e))?,
        )
        .map_err(|e| StageError::Data(format!("`{}`: {e}", summary.display())))?;
        let cutoff = summary["scoring_cutoff"]
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| {
                StageError::Data("the whitespace summary has no `scoring_cutoff`".into())
            })?;
        let rows = read_rows(&csv).map_err(StageError::Data)?;
        let holdout = super::labels::find_star_of(ctx, "holdout")?;
        let h = History::load(&holdout).map_err(StageError::Data)?;
        let models = super::score::trained_models(ctx);
        let mut divisions: Vec<String> = rows.iter().map(|r| r.division.clone()).collect();
        divisions.sort();
        divisions.dedup();
        let labels = labels(&divisions, &models, &h, cutoff).map_err(StageError::Data)?;
        let report = judge(&rows, &labels, cutoff);
        for w in warnings(&report, p.min_buyers) {
            ctx.warn(w);
        }
        let out = ctx.output("report")?.to_path_buf();
        let mut text = serde_json::to_string_pretty(&report).expect("json");
        text.push('\n');
        std::fs::write(&out, text).map_err(|e| StageError::io("cannot write", &out, e))
    }
}

/// What a user should hear: a division whose list does no better than chance among its
/// non-owners, divisions not measured, and a censored window (said once).
pub fn warnings(report: &Value, min_buyers: usize) -> Vec<String> {
    let mut out = Vec::new();
    let pct = |v: &Value| {
        v.as_f64()
            .map_or("-".into(), |x| format!("{:.1}%", 100.0 * x))
    };
    let mut censored = Vec::new();
    for d in report["divisions"].as_array().into_iter().flatten() {
        let name = d["division"].as_str().unwrap_or("?");
        if d["status"] != "measured" {
            out.push(format!(
                "{name}: whitespace not judged on the holdout: {}",
                d["reason"].as_str().unwrap_or("")
            ));
            continue;
        }
        if d["censored"] == true {
            censored.push((name, d["window_end"].as_str().unwrap_or("?")));
        }
        let top10 = &d["list"]["top"][1];
        if d["buyers"].as_u64().unwrap_or(0) as usize >= min_buyers
            && top10["lift"].as_f64().is_some_and(|l| l < 1.0)
        {
            out.push(format!(
                "{name}: the whitespace list's top 10% ({} rows) bought at {} in the holdout, against {} of all its {} rows (lift {:.2}): among non-owners the list ranks no better than chance (whitespace_holdout.json)",
                top10["rows"],
                pct(&top10["hit_rate"]),
                pct(&d["base_rate"]),
                d["rows"],
                top10["lift"].as_f64().unwrap_or(0.0),
            ));
        }
    }
    if let Some((_, end)) = censored.first() {
        let names: Vec<&str> = censored.iter().map(|(n, _)| *n).collect();
        out.push(format!(
            "the holdout does not cover the label window to {end}: the whitespace figures of {} count fewer buyers than the window defines",
            names.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
