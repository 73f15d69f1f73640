//! `validate`: each division's model on the holdout period, with the training label definition.
//!
//! Features are taken at the scoring cutoff from the training log; labels come from the holdout
//! log (through the same ETL) with exactly `labels::window_gp` and the label definition the model
//! was trained with (window, threshold, denylist), read from the `train` output
//! (`label_definition.json`, copied there from the labels partitions): there is no second copy
//! of the definition to keep in step by hand. Configurable gates say pass or fail.
//!
//! The population is the labels' population at the scoring cutoff: the customers the features
//! were built for (customers known then; the features' `population` must equal the label
//! `mode`). Customers absent from the holdout are non-buyers. Holdout buyers unknown at the
//! scoring cutoff (new logos) have no history to score: they are counted and reported beside
//! the metrics, never given invented features (zero-filled rows read as "bought yesterday" on
//! recency columns and inflated every figure).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::history::{add_months, History};
use super::train::score::Scorer;
use super::{Role, Stage, StageContext, StageError};
use crate::ml::metrics;

mod coverage;
pub(crate) use coverage::{in_sample, quiet_days, reaches, starts_in_time};
pub use coverage::{Coverage, Overlap};

fn d_min_auc() -> f64 {
    0.6
}
fn d_min_lift() -> f64 {
    1.5
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gates {
    #[serde(default = "d_min_auc")]
    pub min_auc: f64,
    #[serde(default = "d_min_lift")]
    pub min_lift_at_10: f64,
}
impl Default for Gates {
    fn default() -> Self {
        Gates {
            min_auc: d_min_auc(),
            min_lift_at_10: d_min_lift(),
        }
    }
}

/// `stages/validate.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// No longer read: the window comes from the model's label definition (an error if set).
    #[serde(default, skip_serializing)]
    pub window_months: Option<Value>,
    /// No longer read, as `window_months`.
    #[serde(default, skip_serializing)]
    pub gp_min_threshold: Option<Value>,
    #[serde(default)]
    pub gates: Gates,
    /// Fail the pipeline node (not only report) when a gate fails.
    #[serde(default)]
    pub fail_on_gate: bool,
}

impl Params {
    pub fn check(&self) -> Result<(), String> {
        for (key, v) in [
            ("window_months", &self.window_months),
            ("gp_min_threshold", &self.gp_min_threshold),
        ] {
            if v.is_some() {
                return Err(format!("`{key}` is not a validation setting: validation uses the label definition the model was trained with (set it once, in the `labels` params, e.g. stages/labels.yaml)"));
            }
        }
        Ok(())
    }
}

pub struct Outcome {
    pub report: Value,
    pub gains: Vec<metrics::Gain>,
    /// Per scored customer: (id, holdout label, calibrated probability), for `bench/quality.sh`
    /// and anyone who wants to recompute a figure.
    pub rows: Vec<(String, u8, f64, String)>,
    pub passed: bool,
    /// Scored at the training log's last sale (`latest`): a late holdout, not the cutoff, is
    /// what would have to move.
    pub at_log_end: bool,
}

impl Outcome {
    /// No figures: the holdout window is one the model was fitted on.
    fn refused(division: &str, cutoff: NaiveDate, end: NaiveDate, o: Overlap) -> Outcome {
        let reason = format!(
            "not validated: the holdout label window ({cutoff}, {end}] overlaps the label window of training cutoff {} (to {}): the model was fitted on who bought in ({cutoff}, {}], so figures on it would be in-sample. Score as of {} or later (`score_cutoff` in pipeline.yaml), or train on cutoffs whose label windows close by {cutoff}",
            o.cutoff,
            o.window_end,
            o.window_end.min(end),
            o.window_end,
        );
        Outcome {
            report: json!({
                "division": division,
                "status": "not_validated",
                "reason": reason,
                "scoring_cutoff": cutoff.to_string(),
                "window_end": end.to_string(),
                "last_training_cutoff": o.cutoff.to_string(),
                "last_training_window_end": o.window_end.to_string(),
                "passed": false,
            }),
            gains: Vec::new(),
            rows: Vec::new(),
            passed: false,
            at_log_end: false,
        }
    }

    /// Whether figures were measured (not refused as in-sample).
    pub fn validated(&self) -> bool {
        self.report["status"] != "not_validated"
    }
}

/// Validates one division. `model_dir` holds the train artifacts, `features_dir` the features at
/// the scoring cutoff, `holdout_star` the star schema built from the holdout log.
pub fn validate(
    division: &str,
    model_dir: &Path,
    features_dir: &Path,
    holdout_star: &Path,
    p: &Params,
) -> Result<Outcome, String> {
    p.check()?;
    let def = super::labels::Definition::load(model_dir)?;
    let denylist = &def.denylisted_skus;
    let stats: Value = serde_json::from_slice(
        &std::fs::read(features_dir.join("feature_stats.json")).map_err(|e| {
            format!(
                "cannot read `{}`: {e}",
                features_dir.join("feature_stats.json").display()
            )
        })?,
    )
    .map_err(|e| e.to_string())?;
    let cutoff = stats["cutoff"]
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or("feature_stats.json has no cutoff")?;
    let end = add_months(cutoff, def.window_months as i32);
    if let Some(overlap) = in_sample(model_dir, cutoff, def.window_months)? {
        return Ok(Outcome::refused(division, cutoff, end, overlap));
    }
    let scorer = Scorer::load(model_dir)?;
    let super::train::score::FeatureMatrix { ids, names, cols } =
        super::train::score::read_features(features_dir)?;
    let population = stats["population"].as_str().unwrap_or("expansion");
    let mode = serde_json::to_value(def.mode).map_err(|e| e.to_string())?;
    if mode.as_str() != Some(population) {
        return Err(format!(
            "the scoring features cover population `{population}`, but the model's labels use mode `{}`: the holdout population must be the labels' (set `population` in stages/features.yaml to match `mode` in stages/labels.yaml)",
            mode.as_str().unwrap_or("?")
        ));
    }
    let h = History::load(holdout_star)?;
    let Coverage {
        data_min,
        data_max,
        late_start,
        censored_end,
    } = Coverage::of(&h, cutoff, end);
    let nets = super::labels::window_net(&h, division, cutoff, end, denylist);
    let net: HashMap<&str, super::labels::Amount> = h
        .customers
        .iter()
        .zip(&nets)
        .map(|(c, &n)| (c.id.as_str(), n))
        .collect();
    // New logos: holdout buyers with no row at the scoring cutoff. Counted, not scored.
    let index: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let new_logos = net
        .iter()
        .filter(|(id, n)| def.bought(n) && !index.contains(**id))
        .count();
    let of = |id: &String| net.get(id.as_str()).copied().unwrap_or_default();
    let revenue: Vec<f64> = ids.iter().map(|id| of(id).gp()).collect();
    let y: Vec<u8> = ids.iter().map(|id| u8::from(def.bought(&of(id)))).collect();
    let prob = scorer.score_all(&names, &cols, ids.len(), None)?.0;
    // The fixed baseline train fits when asked (`baseline: true`), scored on the same rows.
    let baseline_dir = model_dir.join("baseline");
    let baseline = if baseline_dir.is_dir() {
        let b = Scorer::load(&baseline_dir)?;
        Some(b.score_all(&names, &cols, ids.len(), None)?.0)
    } else {
        None
    };
    let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
    let auc = metrics::roc_auc(&y, &prob);
    let ranking = metrics::Ranking::of(&prob, &keys);
    let lift10 = ranking.lift(&y, 10.0);
    let censored = censored_end || late_start.is_some();
    let mut checks = json!({
        "min_auc": {"threshold": p.gates.min_auc, "value": auc, "pass": auc.is_some_and(|a| a >= p.gates.min_auc)},
        "min_lift_at_10": {"threshold": p.gates.min_lift_at_10, "value": lift10, "pass": lift10.is_some_and(|l| l >= p.gates.min_lift_at_10)},
    });
    // Figures on a censored window are of a shorter label than the model's: whatever they
    // say, the gates cannot be said to pass on it.
    checks["label_window_covered"] = json!({
        "threshold": format!("({cutoff}, {end}]"),
        "value": format!(
            "{} to {}",
            data_min.map_or("-".into(), |d| d.to_string()),
            data_max.map_or("-".into(), |d| d.to_string())
        ),
        "pass": !censored,
    });
    let passed = checks
        .as_object()
        .is_some_and(|o| o.values().all(|c| c["pass"] == true));
    let positives = y.iter().filter(|&&v| v == 1).count();
    let mut report = json!({
        "division": division,
        "model": scorer.family,
        "scoring_cutoff": cutoff.to_string(),
        "window_end": end.to_string(),
        "holdout_data_max_date": data_max.map(|d| d.to_string()),
        "holdout_data_min_date": data_min.map(|d| d.to_string()),
        "censored": censored,
        "censored_start": late_start.is_some(),
        "censored_end": censored_end,
        "label_definition": def.describe(division, cutoff, end),
        "label_params": {"window_months": def.window_months, "mode": def.mode, "gp_min_threshold": def.gp_min_threshold, "purchase": def.purchase, "denylisted_skus": denylist},
        "rows": ids.len(),
        "population": population,
        "new_logo_buyers_not_scorable": new_logos,
        "new_logo_note": format!(
            "{new_logos} new-logo buyer{}, not scorable from history (unknown at the scoring cutoff; not in the metrics)",
            if new_logos == 1 { "" } else { "s" }
        ),
        "positives": positives,
        "prevalence": positives as f64 / ids.len().max(1) as f64,
        "metrics": {
            "auc": auc,
            "pr_auc": metrics::average_precision(&y, &prob),
            "brier": metrics::brier(&y, &prob),
            "log_loss": metrics::log_loss(&y, &prob),
            "calibration_mae": metrics::calibration_mae(&y, &prob, 10),
            "level": level(&y, &prob),
            "lift@5": ranking.lift(&y, 5.0),
            "lift@10": lift10,
            "lift@20": ranking.lift(&y, 20.0),
            "revenue_lift@10": ranking.revenue_lift(&y, &revenue, 10.0),
        },
        "gates": checks,
        "passed": passed,
    });
    if let Some(b) = &baseline {
        report["baseline"] = json!({
            "model": "LightGBM with library defaults on all training rows, uncalibrated (baseline: true in models.yaml)",
            "auc": metrics::roc_auc(&y, b),
            "lift@10": metrics::lift_at(&y, b, &keys, 10.0),
            "brier": metrics::brier(&y, b),
        });
    }
    Ok(Outcome {
        at_log_end: stats["cutoff_is_log_end"] == true,
        report,
        gains: metrics::gains(&y, &prob, &keys),
        rows: ids
            .iter()
            .zip(&y)
            .zip(&prob)
            .enumerate()
            .map(|(r, ((id, &y), &p))| {
                let b = baseline
                    .as_ref()
                    .map(|b| b[r].to_string())
                    .unwrap_or_default();
                (id.clone(), y, p, b)
            })
            .collect(),
        passed,
    })
}

/// Calibration in the large: the buyers the probabilities expect against those who bought, and
/// how far apart in standard deviations of that count (each customer a Bernoulli of its own
/// `p`). Binned calibration hides it: a tester's quarterly models expected 288 buyers where
/// 359 bought, 20% low in every bin, with a calibration MAE of 0.019.
fn level(y: &[u8], p: &[f64]) -> Value {
    let expected: f64 = p.iter().sum();
    let variance: f64 = p.iter().map(|p| p * (1.0 - p)).sum();
    let buyers = y.iter().filter(|&&v| v == 1).count() as f64;
    json!({
        "expected_buyers": expected,
        "buyers": buyers as u64,
        "buyers_over_expected": (expected > 0.0).then(|| buyers / expected),
        "z": (variance > 0.0).then(|| (buyers - expected) / variance.sqrt()),
        "about": "sum of p over the holdout's customers against its buyers; z in standard deviations of that count if p were right (|z| >= 3 with p off by 10% or more is warned of)",
    })
}

/// The warning a validation report's level calls for, if any: none on a censored window, whose
/// level is low by construction (warned of on its own). The run and the UI both say this one.
pub(crate) fn report_level_warning(division: &str, report: &Value) -> Option<String> {
    (report["censored"] == false)
        .then(|| level_warning(division, &report["metrics"]["level"]))
        .flatten()
}

/// The warning for a level off beyond chance, if it is.
fn level_warning(division: &str, level: &Value) -> Option<String> {
    let z = level["z"].as_f64().filter(|z| z.abs() >= 3.0)?;
    // Beyond chance and by a tenth or more: a large division's 5% is significant and of no
    // consequence to a campaign's numbers.
    let ratio = level["buyers_over_expected"]
        .as_f64()
        .filter(|r| (1.0 / r - 1.0).abs() >= 0.10)?;
    Some(format!(
        "{division}: the model's probabilities expect {:.0} buyers in the holdout window, and {} bought ({ratio:.2}x as many, z = {z:.1}, beyond chance): every p_icp of this division, and expected_value with it, runs about {:.0}% {} here: the model predicts the buyer rate of its training windows, of every season alike, and this window's differs (its season, a trend since)",
        level["expected_buyers"].as_f64().unwrap_or_default(),
        level["buyers"],
        ((1.0 / ratio - 1.0) * 100.0).abs(),
        if ratio >= 1.0 { "low" } else { "high" },
    ))
}

pub fn write(o: &Outcome, division: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut text = serde_json::to_string_pretty(&o.report).expect("json");
    text.push('\n');
    std::fs::write(
        dir.join(format!("validation_metrics_{division}.json")),
        text,
    )
    .map_err(|e| e.to_string())?;
    if !o.validated() {
        // `validate-holdout` may write over an earlier validation: its figures would otherwise
        // sit beside a report that says there are none.
        for f in [
            format!("holdout_gains_{division}.csv"),
            format!("holdout_scores_{division}.csv"),
        ] {
            let _ = std::fs::remove_file(dir.join(f));
        }
        return Ok(());
    }
    super::write_csv(
        &dir.join(format!("holdout_gains_{division}.csv")),
        super::train::GAINS_HEADER,
        &o.gains,
    )?;
    super::write_csv(
        &dir.join(format!("holdout_scores_{division}.csv")),
        &["customer_id", "label", "p", "p_baseline"],
        // Ids come from the user's log: guarded as in every other CSV output.
        o.rows
            .iter()
            .map(|(id, y, p, b)| (super::spreadsheet_safe(id), y, p, b)),
    )
}

/// The role of the holdout log's star schema, read by `validate` and `whitespace_holdout`.
pub const HOLDOUT: Role = Role {
    name: "holdout",
    default_node: "holdout_star",
    required: true,
    about: "the star schema of the holdout log",
    stages: &["etl"],
};

pub struct ValidateStage;

impl Stage for ValidateStage {
    fn roles(&self) -> &'static [Role] {
        &[
            Role {
                name: "train",
                default_node: "train",
                required: true,
                about: "the division's trained model",
                stages: &["train"],
            },
            Role {
                name: "features",
                default_node: "features_score",
                required: true,
                about: "the division's feature matrix at the scoring cutoff",
                stages: &["features"],
            },
            HOLDOUT,
        ]
    }
    fn name(&self) -> &'static str {
        "validate"
    }
    fn summary(&self) -> &'static str {
        "holdout validation of a division's model, with the training label definition"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        p.check()
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let division = super::labels::partition_division(ctx)?;
        let first = |node: &str| -> Result<std::path::PathBuf, StageError> {
            ctx.upstream(node)
                .first()
                .and_then(|(_, ps)| ps.first().cloned())
                .ok_or_else(|| StageError::Data(format!("no upstream fills the role `{node}`")))
        };
        let model = first("train")?;
        let features = first("features")?;
        let star = first("holdout")?;
        let out = ctx.output_dir()?.to_path_buf();
        if !model.join("model.json").is_file() && !model.join("model.txt").is_file() {
            let card = std::fs::read_to_string(model.join("model_card.json")).unwrap_or_default();
            let text = serde_json::to_string_pretty(&json!({"division": division, "status": "skipped", "reason": "no model: the division was skipped in training", "model_card": serde_json::from_str::<Value>(&card).unwrap_or_default()})).expect("json");
            std::fs::write(
                out.join(format!("validation_metrics_{division}.json")),
                text + "\n",
            )
            .map_err(|e| StageError::io("cannot write", &out, e))?;
            return Ok(());
        }
        let mut o = validate(&division, &model, &features, &star, &p).map_err(StageError::Data)?;
        let holdout_outputs = ctx.upstream("holdout").first().map(|(_, ps)| ps.as_slice());
        if let Some(log) = holdout_outputs.and_then(super::holdout_log::summary) {
            o.report["holdout_log"] = log;
        }
        write(&o, &division, &out).map_err(StageError::Data)?;
        if !o.validated() {
            let msg = format!(
                "{division}: {}",
                o.report["reason"].as_str().unwrap_or_default()
            );
            if p.fail_on_gate {
                return Err(StageError::Data(msg));
            }
            ctx.warn(msg);
            return Ok(());
        }
        if o.report["censored_start"] == true {
            let cutoff = o.report["scoring_cutoff"].as_str().unwrap_or("?");
            let advice = if o.at_log_end {
                format!("the scoring cutoff is the sales log's last sale: give a holdout that starts the day after {cutoff}")
            } else {
                "score at the training log's last date, `score_cutoff: latest`, or give a holdout that starts then".to_string()
            };
            ctx.warn(format!(
                "{division}: the holdout log starts {} but the label window starts the day after the scoring cutoff {cutoff}: buyers in between are not in it, so labels are censored ({advice})",
                o.report["holdout_data_min_date"].as_str().unwrap_or("?"),
            ));
        }
        if o.report["censored_end"] == true {
            // Buyers after the holdout's last date cannot be seen: the label is cut short.
            ctx.warn(format!(
                "{division}: the holdout label window ends {} but the holdout log ends {}: labels are censored (fewer buyers than the window defines)",
                o.report["window_end"].as_str().unwrap_or("?"),
                o.report["holdout_data_max_date"].as_str().unwrap_or("?"),
            ));
        }
        if let Some(msg) = report_level_warning(&division, &o.report) {
            ctx.warn(msg);
        }
        if o.report["positives"] == 0 && o.report["new_logo_buyers_not_scorable"].as_u64() > Some(0)
        {
            ctx.warn(format!(
                "{division}: none of the holdout's {} buyers is a customer the sales log knows at the scoring cutoff, so nothing can be measured: if the holdout writes customer ids another way (`123` for `000123`), write them alike",
                o.report["new_logo_buyers_not_scorable"]
            ));
        }
        if !o.passed {
            let failed: Vec<String> = o.report["gates"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, g)| g["pass"] == false)
                .map(|(name, g)| {
                    // Three decimals, unless they would print the value as its threshold.
                    let (v, t) = (g["value"].as_f64(), g["threshold"].as_f64());
                    let digits = if v.map(|x| format!("{x:.3}")) == t.map(|x| format!("{x:.3}")) {
                        6
                    } else {
                        3
                    };
                    let num = |v: &serde_json::Value| {
                        v.as_f64()
                            .map_or_else(|| v.to_string(), |x| format!("{x:.digits$}"))
                    };
                    if let (Some(v), Some(t)) = (g["value"].as_str(), g["threshold"].as_str()) {
                        format!("{name}: the holdout runs {v}, the label window is {t}")
                    } else if g["value"].is_null() {
                        format!("{name}: not measurable (no buyer or no non-buyer)")
                    } else {
                        format!("{name} {} < {}", num(&g["value"]), num(&g["threshold"]))
                    }
                })
                .collect();
            let msg = format!(
                "{division}: holdout gates failed: {} (validation_metrics_{division}.json)",
                failed.join(", ")
            );
            if p.fail_on_gate {
                return Err(StageError::Data(msg));
            }
            ctx.warn(msg);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::parse_params;

    #[test]
    fn the_label_definition_is_not_a_validation_setting() {
        for key in ["window_months", "gp_min_threshold"] {
            let p: Params = parse_params(&json!({key: 6})).unwrap();
            let e = p.check().unwrap_err();
            assert!(e.contains(key) && e.contains("labels"), "{e}");
        }
        let p: Params = parse_params(&json!({"gates": {"min_auc": 0.7}})).unwrap();
        assert!(p.check().is_ok());
    }

    #[test]
    fn a_level_off_beyond_chance_and_by_a_tenth_is_warned_of() {
        // 2,000 customers at p = 0.1 expect 200 buyers.
        let p = vec![0.1; 2000];
        let ys = |buyers: usize| -> Vec<u8> { (0..2000).map(|i| u8::from(i < buyers)).collect() };
        let l = level(&ys(140), &p);
        assert_eq!(l["buyers"], 140);
        assert!((l["expected_buyers"].as_f64().unwrap() - 200.0).abs() < 1e-9);
        assert!((l["z"].as_f64().unwrap() + 60.0 / 180f64.sqrt()).abs() < 1e-9);
        let w = level_warning("PDM", &l).expect("140 of 200 expected is off");
        assert!(
            w.contains(
                "expect 200 buyers in the holdout window, and 140 bought (0.70x as many, z = -4.5"
            ) && w.contains("runs about 43% high here"),
            "{w}"
        );
        let w = level_warning("PDM", &level(&ys(260), &p)).unwrap();
        assert!(w.contains("runs about 23% low here"), "{w}");
        // Within chance (z = -1.5), and beyond chance but by under a tenth (a large division).
        assert!(level_warning("PDM", &level(&ys(180), &p)).is_none());
        let p = vec![0.3; 20_000];
        let y: Vec<u8> = (0..20_000).map(|i| u8::from(i < 6300)).collect();
        let l = level(&y, &p);
        assert!(l["z"].as_f64().unwrap() > 3.0, "{l}");
        assert!(level_warning("Maintenance", &l).is_none());
    }

    #[test]
    fn holdout_scores_guard_formula_like_ids_for_spreadsheets() {
        let dir = tempfile::tempdir().unwrap();
        let o = Outcome {
            report: json!({}),
            gains: Vec::new(),
            rows: vec![("=HYPERLINK(1)".into(), 1, 0.5, String::new())],
            passed: true,
            at_log_end: true,
        };
        write(&o, "PDM", dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("holdout_scores_PDM.csv")).unwrap();
        assert!(text.contains("\n'=HYPERLINK(1),1,0.5,"), "{text}");
    }

    #[test]
    fn a_holdout_window_the_model_was_fitted_on_is_in_sample() {
        let dir = tempfile::tempdir().unwrap();
        let card = json!({"data": {"cutoffs": ["2023-12-31", "2024-06-30"]}});
        std::fs::write(dir.path().join("model_card.json"), card.to_string()).unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // The last cutoff's 6-month window ends 2024-12-31: scoring then is out of sample.
        assert!(in_sample(dir.path(), day("2024-12-31"), 6)
            .unwrap()
            .is_none());
        let o = in_sample(dir.path(), day("2024-09-30"), 6)
            .unwrap()
            .expect("overlap");
        assert_eq!(
            (o.cutoff, o.window_end),
            (day("2024-06-30"), day("2024-12-31"))
        );
        // A 12-month window reaches past a cutoff a 6-month one does not.
        assert!(in_sample(dir.path(), day("2025-03-31"), 12)
            .unwrap()
            .is_some());
        let r = Outcome::refused("PDM", day("2024-09-30"), day("2025-03-31"), o);
        // A card that does not say what it was trained on is not assumed out of sample.
        std::fs::write(dir.path().join("model_card.json"), "{\"data\": {}}").unwrap();
        let e = in_sample(dir.path(), day("2024-12-31"), 6).err().unwrap();
        assert!(e.contains("lists no training cutoffs"), "{e}");
        assert!(!r.validated() && !r.passed);
        let reason = r.report["reason"].as_str().unwrap();
        assert!(
            reason.contains("who bought in (2024-09-30, 2024-12-31]"),
            "{reason}"
        );
        assert!(
            reason.contains("Score as of 2024-12-31 or later"),
            "{reason}"
        );
    }

    #[test]
    fn a_holdout_ending_a_few_quiet_days_early_still_covers_the_window() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (start, end) = (day("2024-12-31"), day("2025-06-30"));
        assert!(reaches(day("2025-06-27"), start, end, false));
        assert!(reaches(day("2025-06-16"), start, end, false));
        assert!(!reaches(day("2025-06-15"), start, end, false));
        assert!(!reaches(day("2025-05-31"), start, end, false));
        // A monthly summary's June, dated June 30 or not, is whole; its May is not.
        assert!(reaches(day("2025-06-01"), start, end, true));
        assert!(!reaches(day("2025-05-31"), start, end, true));
        // The few quiet days shrink with the window: a week of a quarter, two days of a month.
        let (q, m) = (day("2025-03-31"), day("2025-05-31"));
        assert!(reaches(day("2025-06-23"), q, end, false));
        assert!(!reaches(day("2025-06-22"), q, end, false));
        assert!(reaches(day("2025-06-28"), m, end, false));
        assert!(!reaches(day("2025-06-27"), m, end, false));
        // As many quiet days at the start as at the end: two of a month, the first sale on
        // the third day.
        assert!(starts_in_time(day("2025-06-03"), m, end, false));
        assert!(!starts_in_time(day("2025-06-04"), m, end, false));
        assert!(starts_in_time(day("2025-04-08"), q, end, false));
        assert!(!starts_in_time(day("2025-04-09"), q, end, false));
        assert!(starts_in_time(day("2025-06-30"), m, end, true));
    }
}
