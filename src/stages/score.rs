//! `score`: every division with a trained model, scored at the scoring cutoff.
//!
//! `icp_scores.csv` (and `.parquet`): customer id and name, division, calibrated `p_icp`,
//! `icp_percentile` within the division (average rank, 0-100), `icp_grade` (bands from
//! `stages/score.yaml`; empty for a division whose model ranks no better than chance out of
//! time, see `train::skill`), the three features that raised the score most (LightGBM's per-feature
//! contributions, or coefficient x standardised value for the LR), the model fingerprint (blake3
//! of the model, calibrator and feature list) and the scoring cutoff. Rows are ordered by
//! division, then `p_icp` descending, then customer id.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::history::{read_parquet, str_column, strings};
use super::labels::STAR;
use super::train::score::Scorer;
use super::{Role, Stage, StageContext, StageError};

fn d_bands() -> BTreeMap<String, f64> {
    [
        ("A", 90.0),
        ("B", 70.0),
        ("C", 50.0),
        ("D", 30.0),
        ("E", 10.0),
    ]
    .iter()
    .map(|(g, p)| (g.to_string(), *p))
    .collect()
}
fn d_reasons() -> usize {
    3
}

/// `stages/score.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Grade -> lowest percentile that earns it; below every band the grade is `F`.
    #[serde(default = "d_bands")]
    pub grade_bands: BTreeMap<String, f64>,
    /// Reason columns filled per row, the features that raised the score most: at most the
    /// three `reason_1..3` columns the file has; fewer leave the later ones empty.
    #[serde(default = "d_reasons")]
    pub reason_codes: usize,
}

/// `icp_scores.csv`'s columns, in order ([`ScoreRow`]'s fields).
const SCORE_COLUMNS: [&str; 11] = [
    "customer_id",
    "customer_name",
    "division",
    "p_icp",
    "icp_percentile",
    "icp_grade",
    "reason_1",
    "reason_2",
    "reason_3",
    "model_fingerprint",
    "scoring_cutoff",
];

/// The reason columns `icp_scores.csv` has.
const REASON_COLUMNS: usize = 3;

/// One scored (customer, division).
#[derive(Debug, Clone, PartialEq, Serialize)]
/// Text repeated across rows is shared (`Arc<str>`): at 115,000 customers a run holds 1.5
/// million rows, and a copy of each name, reason and fingerprint per row was about half a GB.
pub struct ScoreRow {
    pub customer_id: String,
    pub customer_name: Arc<str>,
    pub division: Arc<str>,
    pub p_icp: f64,
    pub icp_percentile: f64,
    pub icp_grade: Arc<str>,
    pub reason_1: Arc<str>,
    pub reason_2: Arc<str>,
    pub reason_3: Arc<str>,
    pub model_fingerprint: Arc<str>,
    pub scoring_cutoff: Arc<str>,
}

/// Percentile by average rank: 100 x (rank - 0.5) / n, ties sharing their mean rank.
pub fn percentiles(p: &[f64]) -> Vec<f64> {
    ranked(p, 0.0)
}

/// [`percentiles`] of calibrated probabilities, for `icp_percentile` and the grades: values
/// within an isotonic step's tie ramp ([`TIE_RAMP`](crate::ml::calibrate::TIE_RAMP)) of the
/// tie's lowest are ties. The ramp keeps the model's order for ranking (AUC, whitespace), but
/// the calibration found no evidence for that order inside a step, and two customers printed
/// with one probability were graded A and B (a trial's holdout: grade E bought more than D at
/// one probability).
pub fn percentiles_by_step(p: &[f64]) -> Vec<f64> {
    ranked(p, crate::ml::calibrate::TIE_RAMP)
}

fn ranked(p: &[f64], tie: f64) -> Vec<f64> {
    let n = p.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && p[idx[j + 1]] - p[idx[i]] <= tie {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = 100.0 * (rank - 0.5) / n as f64;
        }
        i = j + 1;
    }
    out
}

pub fn grade(bands: &BTreeMap<String, f64>, pct: f64) -> String {
    let mut b: Vec<(&String, &f64)> = bands.iter().collect();
    b.sort_by(|x, y| y.1.total_cmp(x.1).then(x.0.cmp(y.0)));
    b.into_iter()
        .find(|(_, min)| pct >= **min)
        .map(|(g, _)| g.clone())
        .unwrap_or_else(|| "F".into())
}

/// A division's grading verdict: its card's out-of-time AUC and bound, the p-value of its skill
/// (`None`: a card from before the verdict), and whether its rows get grades.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub auc: Option<f64>,
    pub lower: Option<f64>,
    pub p_value: Option<f64>,
    /// Better than chance alone (or a card from before the verdict).
    pub alone: bool,
    pub graded: bool,
}

fn card(model_dir: &Path) -> Value {
    super::train::score::read_json(&model_dir.join("model_card.json")).unwrap_or(Value::Null)
}

/// Which divisions' models earn their rows grades: not one whose card says it ranks no better
/// than chance out of time (it ranks by noise), nor one that passes alone but not when all the
/// divisions are judged at once ([`holm`](super::train::skill::holm)); a card from before the
/// verdict does.
pub fn graded(cards: &[(String, Value)]) -> BTreeMap<String, Verdict> {
    use super::train::skill::{holm, p_value_in, Skill};
    let p: Vec<Option<f64>> = cards.iter().map(|(_, c)| p_value_in(c)).collect();
    // Holm's verdicts in the order of the cards tested.
    let mut pass = holm(&p.iter().flatten().copied().collect::<Vec<_>>()).into_iter();
    cards
        .iter()
        .zip(p)
        .map(|((division, c), p_value)| {
            let alone = Skill::better_than_chance_in(c) != Some(false);
            let together = p_value.is_none() || pass.next() == Some(true);
            (
                division.clone(),
                Verdict {
                    auc: c["skill"]["auc_out_of_time"].as_f64(),
                    lower: c["skill"]["auc_lower_95"].as_f64(),
                    p_value,
                    alone,
                    graded: alone && together,
                },
            )
        })
        .collect()
}

/// Scores one division: `model_dir` from `train`, `features_dir` at the scoring cutoff.
pub fn score_division(
    division: &str,
    model_dir: &Path,
    features_dir: &Path,
    names: &HashMap<String, Arc<str>>,
    p: &Params,
    graded: bool,
) -> Result<Vec<ScoreRow>, String> {
    let scorer = Scorer::load(model_dir)?;
    let stats: Value = serde_json::from_slice(
        &std::fs::read(features_dir.join("feature_stats.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let cutoff: Arc<str> = stats["cutoff"].as_str().unwrap_or_default().into();
    let super::train::score::FeatureMatrix {
        ids,
        names: cols_names,
        cols,
    } = super::train::score::read_features(features_dir)?;
    let (prob, reasons) = scorer.score_all(&cols_names, &cols, ids.len(), Some(p.reason_codes))?;
    let pct = percentiles_by_step(&prob);
    let fp: Arc<str> = super::train::artifacts::model_fingerprint(model_dir).into();
    let division: Arc<str> = division.into();
    let mut shared: HashMap<String, Arc<str>> = HashMap::new();
    let mut share = |s: &str| -> Arc<str> {
        match shared.get(s) {
            Some(a) => a.clone(),
            None => {
                let a: Arc<str> = s.into();
                shared.insert(s.to_string(), a.clone());
                a
            }
        }
    };
    let mut rows: Vec<ScoreRow> = ids
        .into_iter()
        .zip(reasons)
        .enumerate()
        .map(|(i, (id, why))| {
            let mut r = |k: usize| share(why.get(k).map_or("", String::as_str));
            ScoreRow {
                customer_name: names.get(&id).cloned().unwrap_or_else(|| "".into()),
                reason_1: r(0),
                reason_2: r(1),
                reason_3: r(2),
                customer_id: id,
                division: division.clone(),
                // Unrounded: an isotonic step's customers are told apart by a tie ramp of 1e-10
                // (the model's own order), which the holdout's metrics rank by; rounded, the
                // file could not reproduce them. Percentiles and grades take a step as a tie.
                p_icp: prob[i],
                icp_percentile: (pct[i] * 1e4).round() / 1e4,
                icp_grade: if graded {
                    share(&grade(&p.grade_bands, pct[i]))
                } else {
                    share("")
                },
                model_fingerprint: fp.clone(),
                scoring_cutoff: cutoff.clone(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.p_icp
            .total_cmp(&a.p_icp)
            .then(a.customer_id.cmp(&b.customer_id))
    });
    Ok(rows)
}

/// Customer names from `dim_customer`.
pub fn customer_names(star: &Path) -> Result<HashMap<String, Arc<str>>, String> {
    let dim = read_parquet(&star.join("dim_customer.parquet"))?;
    let ids = strings(&dim, "customer_id")?;
    let names = str_column(&dim, "cleaned_name")?;
    Ok(ids
        .into_iter()
        .zip(names)
        .filter_map(|(i, n)| Some((i?, n.into())))
        .collect())
}

pub fn write(rows: &[ScoreRow], dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut w = csv::Writer::from_path(dir.join("icp_scores.csv")).map_err(|e| e.to_string())?;
    // `serialize` writes the header with the first row: with none, a file of 0 bytes had no
    // columns for a reader to find.
    if rows.is_empty() {
        w.write_record(SCORE_COLUMNS).map_err(|e| e.to_string())?;
    }
    for r in rows {
        let safe = |s: &str| super::spreadsheet_safe(s).into_owned();
        let r = ScoreRow {
            customer_id: safe(&r.customer_id),
            customer_name: safe(&r.customer_name).into(),
            division: safe(&r.division).into(),
            ..r.clone()
        };
        w.serialize(r).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    let s = |f: fn(&ScoreRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("customer_id".into(), s(|r| &r.customer_id)),
        Column::new("customer_name".into(), s(|r| &*r.customer_name)),
        Column::new("division".into(), s(|r| &*r.division)),
        Column::new(
            "p_icp".into(),
            rows.iter().map(|r| r.p_icp).collect::<Vec<f64>>(),
        ),
        Column::new(
            "icp_percentile".into(),
            rows.iter().map(|r| r.icp_percentile).collect::<Vec<f64>>(),
        ),
        Column::new("icp_grade".into(), s(|r| &*r.icp_grade)),
        Column::new("reason_1".into(), s(|r| &*r.reason_1)),
        Column::new("reason_2".into(), s(|r| &*r.reason_2)),
        Column::new("reason_3".into(), s(|r| &*r.reason_3)),
        Column::new("model_fingerprint".into(), s(|r| &*r.model_fingerprint)),
        Column::new("scoring_cutoff".into(), s(|r| &*r.scoring_cutoff)),
    ])
    .map_err(|e| e.to_string())?;
    super::etl::write::write_parquet(&mut df, &dir.join("icp_scores.parquet"))
}

/// The division a partition directory belongs to, from one of its JSON artifacts.
pub(super) fn division_of(dir: &Path, file: &str) -> Option<String> {
    let v: Value = serde_json::from_slice(&std::fs::read(dir.join(file)).ok()?).ok()?;
    v["division"]
        .as_str()
        .or(v["data"]["division"].as_str())
        .map(str::to_string)
}

/// The upstream `train` outputs (each division's model card and label definition), by
/// division.
pub fn trained_models(ctx: &StageContext) -> BTreeMap<String, PathBuf> {
    ctx.upstream("train")
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .filter_map(|d| division_of(d, "model_card.json").map(|div| (div, d.clone())))
        .collect()
}

/// The upstream `features_score` partitions (features at the scoring cutoff), by division.
pub fn scoring_features(ctx: &StageContext) -> BTreeMap<String, PathBuf> {
    ctx.upstream("features")
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .filter_map(|d| division_of(d, "feature_stats.json").map(|div| (div, d.clone())))
        .collect()
}

pub struct ScoreStage;

impl Stage for ScoreStage {
    fn roles(&self) -> &'static [Role] {
        &[
            STAR,
            Role {
                name: "train",
                default_node: "train",
                required: true,
                about: "the trained model of each division",
                stages: &["train"],
            },
            Role {
                name: "features",
                default_node: "features_score",
                required: true,
                about: "the feature matrix at the scoring cutoff",
                stages: &["features"],
            },
        ]
    }
    fn name(&self) -> &'static str {
        "score"
    }
    fn summary(&self) -> &'static str {
        "ICP scores per customer and division at the scoring cutoff, with grades and reason codes"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        // A value the file cannot show was accepted and changed nothing but the fingerprint.
        if p.reason_codes > REASON_COLUMNS {
            return Err(format!(
                "`reason_codes` is {}, but icp_scores.csv has {REASON_COLUMNS} reason columns (reason_1..reason_{REASON_COLUMNS}): give 0 to {REASON_COLUMNS}",
                p.reason_codes
            ));
        }
        Ok(())
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let star = super::labels::find_star(ctx)?;
        let names = customer_names(&star).map_err(StageError::Data)?;
        // Feature partitions at the scoring cutoff, by division.
        let features = scoring_features(ctx);
        let mut jobs = Vec::new();
        let mut skipped = Vec::new();
        for (_, ps) in ctx.upstream("train") {
            for model in ps {
                let Some(division) = division_of(model, "model_card.json") else {
                    continue;
                };
                if !model.join("model.txt").is_file() && !model.join("model.json").is_file() {
                    skipped.push(division);
                    continue;
                }
                let f = features.get(&division).ok_or_else(|| StageError::Data(format!("no features at the scoring cutoff for {division} (does the node need `features_score`?)")))?;
                jobs.push((division, model, f));
            }
        }
        // Each division's grades, judged with the others'.
        let cards: Vec<(String, Value)> = jobs
            .iter()
            .map(|(division, model, _)| (division.clone(), card(model)))
            .collect();
        let verdicts = graded(&cards);
        let tested = verdicts.values().filter(|v| v.p_value.is_some()).count();
        let mut warnings = Vec::new();
        for (division, v) in verdicts.iter().filter(|(_, v)| v.alone && !v.graded) {
            warnings.push(format!(
                "{division}: alone, its model ranks customers better than chance out of time (AUC {:.3}, 95% lower bound {:.3}), but not when the {tested} divisions are judged together (Holm's step-down at 2.5%: judged alone, a division with no signal passes one time in forty): its scores get no grade",
                v.auc.unwrap_or(f64::NAN),
                v.lower.unwrap_or(f64::NAN),
            ));
        }
        // Divisions are independent: scored by `cores` plain threads, collected in order. Not
        // by rayon: polars reads Parquet on rayon's pool, and a rayon worker waiting on that
        // read steals the next division's job, so every division's matrix was in memory at
        // once (2.4 GB at 40,000 customers); a plain thread just waits. The grant is asked
        // again while divisions remain: cores the engine lends later (a `validate` started
        // beside this one has ended) get a thread of their own.
        use std::sync::atomic::{AtomicUsize, Ordering};
        let next = AtomicUsize::new(0);
        let grant: &StageContext = ctx;
        let mut scored: Vec<(usize, Result<Vec<ScoreRow>, String>)> = std::thread::scope(|scope| {
            let work = || {
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((division, model, f)) = jobs.get(i) else {
                        return out;
                    };
                    let graded = verdicts.get(division).is_none_or(|v| v.graded);
                    out.push((i, score_division(division, model, f, &names, &p, graded)));
                }
            };
            let mut workers = Vec::new();
            while next.load(Ordering::Relaxed) < jobs.len() {
                let wanted = grant.cores().min(jobs.len());
                while workers.len() < wanted {
                    workers.push(scope.spawn(work));
                }
                if workers.iter().all(|w| w.is_finished()) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("a scoring thread panicked"))
                .collect()
        });
        scored.sort_by_key(|(i, _)| *i);
        let mut rows: Vec<ScoreRow> = scored
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Result<Vec<_>, String>>()
            .map_err(StageError::Data)?
            .into_iter()
            .flatten()
            .collect();
        if !skipped.is_empty() {
            ctx.warn(format!("not scored (no model): {}", skipped.join(", ")));
        }
        for w in warnings {
            ctx.warn(w);
        }
        rows.sort_by(|a, b| {
            a.division
                .cmp(&b.division)
                .then(b.p_icp.total_cmp(&a.p_icp))
                .then(a.customer_id.cmp(&b.customer_id))
        });
        let out = ctx.output_dir()?;
        write(&rows, out).map_err(StageError::Data)?;
        write_skill(&verdicts, tested, out).map_err(StageError::Data)
    }
}

/// `skill.json`: per division, the card's out-of-time skill, its p-value and whether its rows
/// are graded, judged with the other divisions (the Models page reads it).
fn write_skill(
    verdicts: &BTreeMap<String, Verdict>,
    tested: usize,
    out: &Path,
) -> Result<(), String> {
    let divisions: serde_json::Map<String, Value> = verdicts
        .iter()
        .map(|(d, v)| {
            (
                d.clone(),
                serde_json::json!({
                    "auc_out_of_time": v.auc,
                    "auc_lower_95": v.lower,
                    "p_value": v.p_value,
                    "graded": v.graded,
                }),
            )
        })
        .collect();
    let v = serde_json::json!({
        "rule": format!("a division's rows are graded when its model ranks customers better than chance out of time alone (its AUC's 95% lower bound above 0.5) and with the {tested} divisions judged together (Holm's step-down on one-sided p-values, family-wise 2.5%)"),
        "divisions_tested": tested,
        "divisions": divisions,
    });
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n";
    std::fs::write(out.join("skill.json"), text)
        .map_err(|e| format!("cannot write skill.json: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_beyond_the_files_columns_are_refused() {
        let p = |n: usize| -> Params {
            crate::stages::parse_params(&serde_json::json!({"reason_codes": n})).unwrap()
        };
        assert!(ScoreStage.check(&p(3)).is_ok() && ScoreStage.check(&p(0)).is_ok());
        let e = ScoreStage.check(&p(5)).unwrap_err();
        assert!(
            e.contains("`reason_codes` is 5") && e.contains("give 0 to 3"),
            "{e}"
        );
    }

    #[test]
    fn a_division_better_than_chance_alone_is_graded_only_if_so_among_all() {
        let card = |auc: f64, lower: f64| serde_json::json!({"skill": {"better_than_chance": lower > 0.5, "auc_out_of_time": auc, "auc_lower_95": lower}});
        // A strong division, one just past the bound alone (z = 2.2: p = 0.014), and noise.
        let mut cards = vec![
            ("Strong".to_string(), card(0.80, 0.75)),
            ("Lucky".to_string(), card(0.61, 0.512)),
        ];
        let two = graded(&cards);
        // Among two, Lucky's p clears 0.025 / 1 after Strong's clears 0.025 / 2.
        assert!(two["Strong"].graded && two["Lucky"].graded, "{two:?}");
        for i in 0..45 {
            cards.push((format!("Noise {i}"), card(0.52, 0.43)));
        }
        let many = graded(&cards);
        assert!(many["Strong"].graded, "{many:?}");
        assert!(!many["Lucky"].graded, "{many:?}");
        assert!(!many["Noise 0"].graded);
        // A card from before the verdict keeps its grades and is no test.
        let old = graded(&[("Old".to_string(), serde_json::json!({"status": "trained"}))]);
        assert!(old["Old"].graded && old["Old"].p_value.is_none());
    }

    #[test]
    fn percentiles_and_grades() {
        let pct = percentiles(&[0.1, 0.4, 0.4, 0.9]);
        assert_eq!(pct, [12.5, 50.0, 50.0, 87.5]);
        // One isotonic step, its customers kept in the model's order by the tie ramp: one tie,
        // one percentile, one grade (they were graded A and B at one printed probability).
        use crate::ml::calibrate::TIE_RAMP;
        let step = |v: f64, r: f64| {
            v * (1.0 - TIE_RAMP) + TIE_RAMP * (0.5 + r.atan() / std::f64::consts::PI)
        };
        let ramped = [step(0.75, -3.0), 0.2, step(0.75, 0.0), step(0.75, 5.0)];
        assert_eq!(percentiles_by_step(&ramped), [62.5, 12.5, 62.5, 62.5]);
        // Ranking keeps the model's order inside the step.
        assert_eq!(percentiles(&ramped), [37.5, 12.5, 62.5, 87.5]);
        let bands = d_bands();
        assert_eq!(grade(&bands, 95.0), "A");
        assert_eq!(grade(&bands, 90.0), "A");
        assert_eq!(grade(&bands, 89.9), "B");
        assert_eq!(grade(&bands, 10.0), "E");
        assert_eq!(grade(&bands, 9.0), "F");
    }

    #[test]
    fn no_scored_row_still_writes_the_header() {
        let dir = tempfile::tempdir().unwrap();
        write(&[], dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("icp_scores.csv")).unwrap();
        assert_eq!(text, format!("{}\n", SCORE_COLUMNS.join(",")));
        // The header is the one rows get.
        let row = ScoreRow {
            customer_id: "1".into(),
            customer_name: "".into(),
            division: "D".into(),
            p_icp: 0.5,
            icp_percentile: 50.0,
            icp_grade: "C".into(),
            reason_1: "".into(),
            reason_2: "".into(),
            reason_3: "".into(),
            model_fingerprint: "f".into(),
            scoring_cutoff: "2024-01-01".into(),
        };
        write(&[row], dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("icp_scores.csv")).unwrap();
        assert!(
            text.starts_with(&format!("{}\n", SCORE_COLUMNS.join(","))),
            "{text}"
        );
    }

    #[test]
    fn a_model_no_better_than_chance_earns_no_grades() {
        let dir = tempfile::tempdir().unwrap();
        let graded_by = |v: serde_json::Value| {
            std::fs::write(dir.path().join("model_card.json"), v.to_string()).unwrap();
            graded(&[("D".to_string(), card(dir.path()))])["D"].graded
        };
        assert!(!graded_by(
            serde_json::json!({"skill": {"better_than_chance": false}})
        ));
        assert!(graded_by(
            serde_json::json!({"skill": {"better_than_chance": true}})
        ));
        // A card from before the verdict, or none: graded as before.
        assert!(graded_by(serde_json::json!({"status": "trained"})));
        std::fs::remove_file(dir.path().join("model_card.json")).unwrap();
        assert!(graded(&[("D".to_string(), card(dir.path()))])["D"].graded);
    }
}
