//! `whitespace`: rank the (customer, division) pairs a customer does not own yet.
//!
//! Components, each normalised to [0, 1] by percentile rank (within the division, or pooled over
//! all pairs, per `normalize`): the ICP score `p_icp`; market-basket `affinity` (the highest lift
//! of a purchase of the division over the customer's SKUs, counted as the labels count one:
//! `lift`); `als` similarity (cosine between the customer's ALS factors and the
//! mean factors of the division's current owners); and `expected_value` = p_icp x the median
//! first-day gross profit of the division's new buyers within the ownership window (purchases
//! counted as the labels count them: `purchases`) x the customer's size (its
//! last 12 months' gross profit over the median customer's, clamped to [0.25, 4]). Without the
//! size term `expected_value` was p_icp times a per-division constant: within a division its
//! percentile was p_icp's, and its weight silently went to p_icp. A signal present for fewer
//! than `coverage_threshold` of the pairs has its weight shrunk by coverage / threshold; the
//! weights are then renormalised to sum to 1. Ties are broken by customer id and division, so the
//! order is deterministic.

mod blend;
mod explain;
mod lift;
mod purchases;
mod ranks;
mod summary;

pub use blend::effective_weights;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::history::{self, add_months, f64_column, read_parquet, str_column, History};
use super::labels::{Definition, STAR};
use super::{Role, Stage, StageContext, StageError};

fn d_owned() -> u32 {
    24
}
fn d_coverage() -> f64 {
    0.3
}
fn d_weights() -> Weights {
    Weights {
        p_icp: 0.5,
        affinity: 0.2,
        als: 0.15,
        expected_value: 0.15,
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub p_icp: f64,
    pub affinity: f64,
    pub als: f64,
    pub expected_value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalize {
    PerDivision,
    Pooled,
}

/// `stages/whitespace.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// A customer who bought in the division within this many months before the scoring cutoff
    /// owns it: the pair is not whitespace.
    #[serde(default = "d_owned")]
    pub owned_within_months: u32,
    #[serde(default = "d_weights")]
    pub weights: Weights,
    #[serde(default = "d_norm")]
    pub normalize: Normalize,
    #[serde(default = "d_coverage")]
    pub coverage_threshold: f64,
}
fn d_norm() -> Normalize {
    Normalize::PerDivision
}

impl Params {
    pub fn check(&self) -> Result<(), String> {
        let w = self.weights;
        let all = [w.p_icp, w.affinity, w.als, w.expected_value];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
            return Err("`weights` must be non-negative with a positive sum".into());
        }
        if !(0.0..=1.0).contains(&self.coverage_threshold) {
            return Err("`coverage_threshold` must be in [0, 1]".into());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub customer_id: String,
    pub customer_name: String,
    pub division: String,
    pub score: f64,
    pub p_icp: f64,
    pub affinity: Option<f64>,
    pub als_similarity: Option<f64>,
    pub expected_value: f64,
    pub rank_in_customer: usize,
    pub rank_in_division: usize,
    pub explanation: String,
    /// The ICP grade, for the explanation only (it is in `icp_scores.csv`).
    #[serde(skip)]
    pub icp_grade: String,
}

struct Scored {
    id: String,
    name: String,
    division: String,
    p: f64,
    grade: String,
}

fn read_scores(path: &Path) -> Result<Vec<Scored>, String> {
    let df = read_parquet(path)?;
    let s = |c: &str| str_column(&df, c);
    let (ids, names, divs) = (s("customer_id")?, s("customer_name")?, s("division")?);
    let grades = s("icp_grade")?;
    let p = f64_column(&df, "p_icp", 0.0)?;
    Ok((0..ids.len())
        .map(|i| Scored {
            id: ids[i].clone(),
            name: names[i].clone(),
            division: divs[i].clone(),
            p: p[i],
            grade: grades[i].clone(),
        })
        .collect())
}

/// Per customer: the ALS factors, from one division's features at the scoring cutoff.
type Signals = HashMap<String, Vec<f64>>;

/// A component of the blend, read off a pair.
fn read_signals(dir: &Path) -> Result<Signals, String> {
    let df = read_parquet(&dir.join("features.parquet"))?;
    let ids = str_column(&df, "customer_id")?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let num = |c: &str| f64_column(&df, c, 0.0).ok();
    let als: Vec<Vec<f64>> = names
        .iter()
        .filter(|n| n.starts_with("als__f"))
        .filter_map(|n| num(n))
        .collect();
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, als.iter().map(|c| c[i]).collect()))
        .collect())
}

fn cosine(a: &[f64], b: &[f64]) -> Option<f64> {
    let (na, nb) = (
        a.iter().map(|x| x * x).sum::<f64>().sqrt(),
        b.iter().map(|x| x * x).sum::<f64>().sqrt(),
    );
    (na > 0.0 && nb > 0.0).then(|| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / (na * nb))
}

/// Ranks the whitespace. `features` maps each division to its features directory at the cutoff.
pub fn rank(
    scores: &Path,
    features: &BTreeMap<String, PathBuf>,
    star: &Path,
    defs: &BTreeMap<String, Definition>,
    p: &Params,
) -> Result<(Vec<Pair>, Value), String> {
    p.check()?;
    let scored = read_scores(scores)?;
    let h = History::load(star)?;
    let cutoff = features
        .values()
        .next()
        .and_then(|d| std::fs::read(d.join("feature_stats.json")).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| {
            v["cutoff"]
                .as_str()
                .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        })
        .ok_or("no features at the scoring cutoff")?;
    let asof = h.as_of(cutoff);
    let owned_since = history::day(add_months(cutoff, -(p.owned_within_months as i32)));
    let cust_index: HashMap<&str, usize> = h
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // Ownership, and each division's new buyers' first purchases, counted as the labels count.
    // Ordered sets: the owner centroids sum floats, and the order must not vary between runs.
    let rules = purchases::Rules::new(&h, defs);
    let mut owners: HashMap<u16, BTreeSet<usize>> = HashMap::new();
    for (i, lines) in asof.lines.iter().enumerate() {
        for d in purchases::owned(lines, owned_since, &rules) {
            owners.entry(d).or_default().insert(i);
        }
    }
    let bases = purchases::bases(&asof.lines, owned_since, &rules);
    // Customer size: trailing 12 months' gross profit relative to the median customer's.
    let year_ago = history::day(add_months(cutoff, -12));
    let t12: Vec<f64> = asof
        .lines
        .iter()
        .map(|lines| {
            lines
                .iter()
                .filter(|t| t.day > year_ago)
                .map(|t| t.gp)
                .sum::<f64>()
        })
        .collect();
    // The median of the customers with a positive year (the mean of the middle two of an even
    // count, as the expected value's base; it took the upper middle one).
    let median_t12 = {
        let mut v: Vec<f64> = t12.iter().copied().filter(|&g| g > 0.0).collect();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => 1.0,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    };
    let size =
        |ci: Option<usize>| -> f64 { ci.map_or(0.25, |i| (t12[i] / median_t12).clamp(0.25, 4.0)) };
    let mut signals: HashMap<&str, Signals> = HashMap::new();
    for (div, dir) in features {
        signals.insert(div.as_str(), read_signals(dir)?);
    }
    // Owner centroids of ALS factors, per division.
    let centroid = |div: &str| -> Option<Vec<f64>> {
        let d = h.division_index(div)?;
        let sig = signals.get(div)?;
        let own = owners.get(&d)?;
        let vecs: Vec<&Vec<f64>> = own
            .iter()
            .filter_map(|&i| sig.get(&h.customers[i].id))
            .filter(|v| !v.is_empty())
            .collect();
        let f = vecs.first()?.len();
        Some(
            (0..f)
                .map(|k| vecs.iter().map(|v| v[k]).sum::<f64>() / vecs.len() as f64)
                .collect(),
        )
    };
    let centroids: HashMap<String, Option<Vec<f64>>> =
        features.keys().map(|d| (d.clone(), centroid(d))).collect();

    // Market-basket affinity, counted as the labels count a purchase ([`lift`]).
    let wanted = scored
        .iter()
        .filter_map(|s| {
            let ci = cust_index.get(s.id.as_str())?;
            Some((*ci, h.division_index(&s.division)?))
        })
        .collect();
    let lifts = lift::lifts(&asof.lines, year_ago, &rules, &wanted);
    let mut pairs: Vec<Pair> = Vec::new();
    // Each pair's customer and division as indexes into the history's id-sorted customers and
    // name-sorted divisions: the rank sorts below compare them instead of the strings (the same
    // order; at 115,000 customers the string compares were a third of this stage).
    let mut keys: Vec<(Option<usize>, Option<u16>)> = Vec::new();
    // Per division: (pairs scored, excluded as owned).
    let mut eligibility: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in &scored {
        let ci = cust_index.get(s.id.as_str()).copied();
        let d = h.division_index(&s.division);
        let owns = match (ci, d) {
            (Some(ci), Some(d)) => owners.get(&d).is_some_and(|o| o.contains(&ci)),
            _ => false,
        };
        let e = eligibility.entry(s.division.as_str()).or_default();
        e.0 += 1;
        if owns {
            e.1 += 1;
            continue;
        }
        let sig = signals.get(s.division.as_str()).and_then(|m| m.get(&s.id));
        let aff = ci.zip(d).and_then(|k| lifts.get(&k).copied());
        let als = match (sig, centroids.get(&s.division).and_then(|c| c.as_ref())) {
            (Some(x), Some(c)) if !x.is_empty() => cosine(x, c),
            _ => None,
        };
        let base = d.and_then(|d| bases.get(&d)).map_or(0.0, |b| b.median);
        let ev = s.p * base * size(ci);
        keys.push((ci, d));
        pairs.push(Pair {
            customer_id: s.id.clone(),
            customer_name: s.name.clone(),
            division: s.division.clone(),
            score: 0.0,
            p_icp: s.p,
            // Six decimals: enough to rank, readable in the CSV.
            affinity: aff.map(|a| (a * 1e6).round() / 1e6),
            als_similarity: als.map(|a| (a * 1e6).round() / 1e6),
            expected_value: (ev * 100.0).round() / 100.0,
            rank_in_customer: 0,
            rank_in_division: 0,
            explanation: String::new(),
            icp_grade: s.grade.clone(),
        });
    }
    let (covered, raw, weights) = blend::score(&mut pairs, p);
    ranks::assign(&mut pairs, &keys);
    explain::explain(
        &mut pairs,
        &h,
        &asof.lines,
        &cust_index,
        &owners,
        (&rules, owned_since),
    );
    pairs.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.p_icp.total_cmp(&a.p_icp))
            .then(a.customer_id.cmp(&b.customer_id))
            .then(a.division.cmp(&b.division))
    });
    let base_of = |div: &str| h.division_index(div).and_then(|d| bases.get(&d)).copied();
    let summary = summary::summary(summary::Facts {
        p,
        cutoff,
        owned_since: history::date(owned_since),
        pairs: &pairs,
        blend: (covered, raw, weights),
        eligibility: &eligibility,
        defs,
        bases: &features.keys().map(|d| (d.as_str(), base_of(d))).collect(),
    });
    Ok((pairs, summary))
}

/// `whitespace.csv`'s columns, as [`Pair`] serialises them.
const COLUMNS: [&str; 11] = [
    "customer_id",
    "customer_name",
    "division",
    "score",
    "p_icp",
    "affinity",
    "als_similarity",
    "expected_value",
    "rank_in_customer",
    "rank_in_division",
    "explanation",
];

pub fn write(pairs: &[Pair], csv_path: &Path) -> Result<(), String> {
    if let Some(d) = csv_path.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("cannot create `{}`: {e}", d.display()))?;
    }
    let mut w = csv::Writer::from_path(csv_path).map_err(|e| e.to_string())?;
    // No pairs: the header alone, so that a reader sees an empty table, not an empty file.
    if pairs.is_empty() {
        w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    }
    for x in pairs {
        let safe = |s: &str| super::spreadsheet_safe(s).into_owned();
        let x = Pair {
            customer_id: safe(&x.customer_id),
            customer_name: safe(&x.customer_name),
            division: safe(&x.division),
            explanation: safe(&x.explanation),
            ..x.clone()
        };
        w.serialize(x).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

pub struct WhitespaceStage;

impl Stage for WhitespaceStage {
    // The ranking and its summary by name, else `whitespace.csv` inside `dir`.
    fn outputs(&self) -> Option<&'static [&'static str]> {
        Some(&["csv", "summary", "dir"])
    }
    fn roles(&self) -> &'static [Role] {
        &[
            STAR,
            Role {
                name: "score",
                default_node: "score",
                required: true,
                about: "the ICP scores",
                stages: &["score"],
            },
            Role {
                name: "features",
                default_node: "features_score",
                required: false,
                about: "the feature matrix at the scoring cutoff",
                stages: &["features"],
            },
            Role {
                name: "train",
                default_node: "train",
                required: false,
                about: "the trained models, whose label definitions say what a purchase is",
                stages: &["train"],
            },
        ]
    }
    fn name(&self) -> &'static str {
        "whitespace"
    }
    fn summary(&self) -> &'static str {
        "ranked cross-sell opportunities: (customer, division) pairs not owned yet"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        p.check()
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let star = super::labels::find_star(ctx)?;
        let scores = ctx
            .upstream("score")
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .map(|d| d.join("icp_scores.parquet"))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                StageError::Data(
                    "no icp_scores.parquet upstream (does the node need `score`?)".into(),
                )
            })?;
        let features = super::score::scoring_features(ctx);
        let defs = match purchases::definitions(ctx).map_err(StageError::Data)? {
            Some(defs) => defs,
            None => {
                ctx.warn(
                    "whitespace counts every line as a purchase (no denylist, net GP above 0): it does not read the models' label definitions; list `train` in its `needs` so that ownership counts purchases as the labels do"
                        .to_string(),
                );
                BTreeMap::new()
            }
        };
        let (pairs, summary) =
            rank(&scores, &features, &star, &defs, &p).map_err(StageError::Data)?;
        let out = ctx
            .output("csv")
            .map(Path::to_path_buf)
            .or_else(|_| ctx.output_dir().map(|d| d.join("whitespace.csv")))?;
        write(&pairs, &out).map_err(StageError::Data)?;
        // A ranking made of noise reads as confident as any (a trial's every row came from
        // models no better than chance, scores up to 0.887): said, with how many.
        let ungraded = pairs.iter().filter(|r| r.icp_grade.is_empty()).count();
        if ungraded > 0 {
            ctx.warn(format!(
                "{ungraded} of {} opportunities come from models that rank customers no better than chance (their `icp_grade` is empty, their explanation says so): their order within those divisions is noise; keep the graded rows to act on the models' evidence",
                pairs.len()
            ));
        }
        if pairs.is_empty() {
            ctx.warn(
                "whitespace.csv has no opportunity: no division was scored (no division had buyers in its label windows to train on? see the train and score nodes' warnings)"
                    .to_string(),
            );
        }
        // The weights actually used, coverage and eligibility: what an auditor asks for.
        if let Ok(path) = ctx.output("summary") {
            let mut text = serde_json::to_string_pretty(&summary).expect("json");
            text.push('\n');
            std::fs::write(path, text)
                .map_err(|e| StageError::Data(format!("cannot write `{}`: {e}", path.display())))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
