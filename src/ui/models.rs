//! The Models pages: every division's out-of-time and holdout metrics with its gains chart, and
//! one division's detail (`/models?division=PDM`): the model card, metrics per fold, gains and
//! calibration charts, holdout validation and gates, thresholds and top features. A division is
//! looked up among the directories under `outputs/train`, never joined from the request.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::charts::{bars, calibration};
use super::files::{num, read_csv, read_csv_where, read_json, val};
use super::format::{count, distinct};
use super::html::{cell, esc, page, q, table};
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

fn divisions(ws: &Workspace) -> Option<Vec<(String, PathBuf)>> {
    let dir = ws.root.join("outputs/train");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("model_card.json").is_file())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    out.sort();
    Some(out)
}

fn holdout(ws: &Workspace, division: &str) -> Option<Value> {
    let dir = ws.root.join("outputs/validate").join(division);
    read_json(&dir.join(format!("validation_metrics_{division}.json")))
}

/// The truth oracle beside the holdout metrics, when the data is synthetic and its source wrote
/// `truth.csv`: AUC, lift@10 and Brier of each customer's true purchase probability on exactly
/// the holdout rows gosales was scored on. It is the ceiling: a model well above it leaks.
fn oracle(ws: &Workspace, division: &str) -> Option<String> {
    use crate::ml::metrics;
    // The default pipeline's `truth` node, or a source that writes the log and the truth.
    let truth = ["outputs/truth", "outputs/sales_log"]
        .iter()
        .find_map(|d| {
            crate::stages::source::find_role(
                &[ws.root.join(d)],
                "truth",
                crate::stages::source::TRUTH_FILE,
            )
        })?;
    let (th, tr) = read_csv_where(&truth, "division", division)?;
    let (tc, tp) = (
        th.iter().position(|x| x == "customer_id")?,
        th.iter().position(|x| x == "p_true")?,
    );
    let p_true: std::collections::HashMap<&str, f64> = tr
        .iter()
        .map(|r| (r[tc].as_str(), r[tp].parse().unwrap_or(0.0)))
        .collect();
    let p_history: Option<std::collections::HashMap<&str, f64>> =
        th.iter().position(|x| x == "p_history").map(|hc| {
            tr.iter()
                .map(|r| (r[tc].as_str(), r[hc].parse().unwrap_or(0.0)))
                .collect()
        });
    let dir = ws.root.join("outputs/validate").join(division);
    let (hh, hr) = read_csv(&dir.join(format!("holdout_scores_{division}.csv")))?;
    let col = |n: &str| hh.iter().position(|x| x == n);
    let (ci, li, pi) = (col("customer_id")?, col("label")?, col("p")?);
    let ids: Vec<&str> = hr.iter().map(|r| r[ci].as_str()).collect();
    let y: Vec<u8> = hr.iter().map(|r| u8::from(r[li] == "1")).collect();
    let p: Vec<f64> = hr.iter().map(|r| r[pi].parse().unwrap_or(0.0)).collect();
    // A holdout customer the generator never drew cannot happen; one missing reads as 0.
    let t: Vec<f64> = ids
        .iter()
        .map(|i| p_true.get(i).copied().unwrap_or(0.0))
        .collect();
    let (oa, ga) = (metrics::roc_auc(&y, &t)?, metrics::roc_auc(&y, &p)?);
    let (ol, gl) = (
        metrics::lift_at(&y, &t, &ids, 10.0)?,
        metrics::lift_at(&y, &p, &ids, 10.0)?,
    );
    // The history ceiling, when the source wrote it (`truth: {history: true}`).
    let ceiling = p_history.and_then(|ph| {
        let h: Vec<f64> = ids
            .iter()
            .map(|i| ph.get(i).copied().unwrap_or(0.0))
            .collect();
        let (ha, hl) = (
            metrics::roc_auc(&y, &h)?,
            metrics::lift_at(&y, &h, &ids, 10.0)?,
        );
        Some(format!(
            " History ceiling (the oracle averaged over what the sales history cannot tell: the best any model of the log could do): AUC {ha:.3}, lift@10 {hl:.2}, Brier {:.4}; this model is {:+.3} AUC from it, at {} of its lift@10.",
            metrics::brier(&y, &h),
            ga - ha,
            percent(gl, hl),
        ))
    });
    Some(format!(
        "<p class=\"oracle\">Truth oracle (synthetic data: each customer's true probability of a purchase in the window, from the generator) on these {} rows: AUC {oa:.3}, lift@10 {ol:.2}, Brier {:.4}. This model: AUC {ga:.3} ({:+.3} against the oracle), lift@10 {gl:.2} ({} of the oracle's). The oracle is the ceiling: a model clearly above it is leaking.{}</p>",
        y.len(),
        metrics::brier(&y, &t),
        ga - oa,
        percent(gl, ol),
        ceiling.unwrap_or_default(),
    ))
}

/// `a` as a share of `b`, or "n/a" when `b` is not positive (an oracle with no buyer in its
/// top 10% printed "inf%").
fn percent(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.0}%", 100.0 * a / b)
    } else {
        "n/a".into()
    }
}

fn gains_chart(path: &Path, id: &str, title: &str) -> Option<String> {
    let (h, g) = read_csv(path)?;
    let li = h.iter().position(|x| x == "lift")?;
    let labels: Vec<String> = g.iter().map(|r| r[0].clone()).collect();
    let values: Vec<f64> = g.iter().map(|r| r[li].parse().unwrap_or(0.0)).collect();
    Some(bars(id, title, &labels, &values))
}

/// The out-of-time lift-by-decile chart of a division's model, if it has one.
fn oot_gains(dir: &Path, division: &str) -> String {
    gains_chart(
        &dir.join("gains.csv"),
        &format!("gains-{}", q(division)),
        &format!("{division}: out-of-time lift by decile"),
    )
    .unwrap_or_default()
}

pub fn page_for(ws: &Workspace, query: &Query) -> Reply {
    let Some(divs) = divisions(ws) else {
        return Reply::html(page(
            "/models",
            "Models",
            &super::status::missing(ws, "the models", &["outputs/train"]),
        ));
    };
    match query.get("division") {
        None | Some("") => index(ws, &divs),
        Some(d) => match divs.iter().find(|(name, _)| name == d) {
            Some((name, dir)) => detail(ws, name, dir),
            None => Reply {
                status: 404,
                content_type: "text/plain; charset=utf-8",
                body: format!(
                    "no model for division `{d}` (trained: {})\n",
                    divs.iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into_bytes(),
                filename: None,
            },
        },
    }
}

fn index(ws: &Workspace, divs: &[(String, PathBuf)]) -> Reply {
    let mut rows = Vec::new();
    let mut charts = String::new();
    for (d, dir) in divs {
        let Some(card) = read_json(&dir.join("model_card.json")) else {
            continue;
        };
        let link = format!("<a href=\"/models?division={}\">{}</a>", q(d), cell(d));
        if card["status"] != "trained" {
            let mut r = vec![
                link,
                "skipped".into(),
                esc(card["reason"].as_str().unwrap_or("")),
            ];
            r.resize(10, String::new());
            rows.push(r);
            continue;
        }
        let m = &card["metrics_out_of_time"];
        let h = holdout(ws, d);
        let hm = h.as_ref().map(|h| &h["metrics"]);
        rows.push(vec![
            link,
            esc(card["selected"]["winner"]["family"].as_str().unwrap_or("")),
            esc(card["calibration"]["chosen"].as_str().unwrap_or("none")),
            num(&m["auc"]),
            num(&m["lift@10"]),
            num(&m["brier"]),
            num(&m["calibration_mae"]),
            hm.map_or("not run".into(), |m| num(&m["auc"])),
            hm.map_or("not run".into(), |m| num(&m["lift@10"])),
            match h.as_ref().map(|h| h["passed"].as_bool()) {
                Some(Some(true)) => "<span class=\"pass\">pass</span>".into(),
                Some(Some(false)) => "<span class=\"fail\">FAIL</span>".into(),
                _ => String::new(),
            },
        ]);
        charts.push_str(&oot_gains(dir, d));
    }
    let body = format!(
        "{}<p>Out-of-time metrics (rolling origin) are measured on cutoffs a model was not fitted on; holdout metrics on the later log, with the training label definition. A division's name opens its model card, folds and calibration.</p>{}{}",
        super::status::banner(ws, &["outputs/train", "outputs/validate"]),
        table(
            "models",
            &[
                "division",
                "model",
                "calibration",
                "OOT AUC",
                "OOT lift@10",
                "OOT Brier",
                "OOT calibration MAE",
                "holdout AUC",
                "holdout lift@10",
                "gates",
            ],
            &rows
        ),
        charts
    );
    Reply::html(page("/models", "Models", &body))
}

/// A JSON array of strings as "a, b, c".
fn joined(v: &Value) -> String {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn kv(rows: &[(&str, String)]) -> Vec<Vec<String>> {
    rows.iter().map(|(k, v)| vec![esc(k), v.clone()]).collect()
}

fn detail(ws: &Workspace, division: &str, dir: &Path) -> Reply {
    let title = format!("Model: {division}");
    let card = read_json(&dir.join("model_card.json")).unwrap_or(Value::Null);
    let vdir = format!("outputs/validate/{division}");
    let tdir = format!("outputs/train/{division}");
    let mut body = super::status::banner(ws, &[tdir.as_str(), vdir.as_str()]);
    body.push_str("<p><a href=\"/models\">all divisions</a></p>");
    if card["status"] != "trained" {
        body.push_str(&format!(
            "<p class=\"note\">Not trained: {}</p>",
            esc(card["reason"].as_str().unwrap_or("see the model card"))
        ));
        body.push_str(&card_json(&card));
        return Reply::html(page("/models", &title, &body));
    }
    let data = &card["data"];
    let cal = &card["calibration"];
    let compared = calibrations(cal);
    body.push_str("<h2>Model card</h2>");
    body.push_str(&table(
        "card",
        &["property", "value"],
        &kv(&[
            (
                "model",
                esc(card["selected"]["winner"]["family"].as_str().unwrap_or("")),
            ),
            (
                "parameters",
                card["selected"]["winner"]["params"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("{} <code>{}</code>", esc(k), esc(&v.to_string())))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("trees in the final model", trees(&card["selected"])),
            (
                "selection",
                esc(card["selected"]["rule"].as_str().unwrap_or("")),
            ),
            (
                "calibration",
                format!(
                    "{}: {}",
                    esc(cal["chosen"].as_str().unwrap_or("none")),
                    esc(&compared.join(", "))
                ),
            ),
            ("training cutoffs", esc(&joined(&data["cutoffs"]))),
            (
                "rows / positives / prevalence",
                format!(
                    "{} / {} / {}",
                    val(&data["rows"]),
                    val(&data["positives"]),
                    num(&data["prevalence"])
                ),
            ),
            ("features", val(&data["features"])),
            (
                "grid searched",
                card["grid_searched"]
                    .as_array()
                    .map_or(0, Vec::len)
                    .to_string(),
            ),
        ]),
    ));

    let metrics = [
        ("auc", "AUC"),
        ("pr_auc", "PR AUC"),
        ("brier", "Brier"),
        ("log_loss", "log loss"),
        ("calibration_mae", "calibration MAE"),
        ("lift@5", "lift@5"),
        ("lift@10", "lift@10"),
        ("lift@20", "lift@20"),
        ("revenue_lift@10", "revenue lift@10"),
    ];
    let mut head = vec!["validated on", "trained on", "rows", "positives"];
    head.extend(metrics.iter().map(|(_, h)| *h));
    let m = read_json(&dir.join("metrics.json")).unwrap_or(Value::Null);
    let mut rows: Vec<Vec<String>> = m["folds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let mut r = vec![
                esc(f["cutoff"].as_str().unwrap_or("")),
                esc(&joined(&f["trained_on"])),
                val(&f["rows"]),
                val(&f["positives"]),
            ];
            r.extend(metrics.iter().map(|(k, _)| num(&f[*k])));
            r
        })
        .collect();
    let mut mean = vec![
        "<b>mean</b>".to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    mean.extend(metrics.iter().map(|(k, _)| num(&m["mean"][*k])));
    rows.push(mean);
    body.push_str("<h2>Out-of-time metrics by fold</h2><p>Rolling origin: each fold is fitted on the earlier cutoffs whose label window has closed by its own (later ones are purged) and measured on it.");
    let unvalidated = joined(&card["unvalidated_cutoffs"]);
    if !unvalidated.is_empty() {
        body.push_str(&format!(
            " Trained on, never validated on (nothing before them to learn from: no earlier label window closed by them, or only one class): {}.",
            esc(&unvalidated)
        ));
    }
    body.push_str("</p>");
    body.push_str(&table("folds", &head, &rows));

    body.push_str("<h2>Charts</h2>");
    body.push_str(&oot_gains(dir, division));
    if let Some((h, r)) = read_csv(&dir.join(format!("calibration_{division}.csv"))) {
        let col = |n: &str| h.iter().position(|x| x == n);
        if let (Some(p), Some(o), Some(c)) =
            (col("mean_predicted"), col("observed_rate"), col("count"))
        {
            let points: Vec<(f64, f64, usize)> = r
                .iter()
                .map(|x| {
                    (
                        x[p].parse().unwrap_or(0.0),
                        x[o].parse().unwrap_or(0.0),
                        x[c].parse().unwrap_or(0),
                    )
                })
                .collect();
            body.push_str(&calibration(
                &format!("calibration-{}", q(division)),
                &format!(
                    "{division}: calibrated out-of-time probability against the observed rate"
                ),
                &points,
            ));
        }
    }
    body.push_str("<h2>Holdout validation</h2>");
    match holdout(ws, division) {
        Some(h) => {
            body.push_str(&format!(
                "<p>{}: {} customers known at the scoring cutoff, {} buyers among them; {}, not scorable from history, {} not in the metrics. {}</p>",
                esc(h["label_definition"].as_str().unwrap_or("")),
                val(&h["rows"]),
                val(&h["positives"]),
                new_logos(&h["new_logo_buyers_not_scorable"]),
                if h["new_logo_buyers_not_scorable"] == 1 { "is" } else { "are" },
                if h["passed"] == true {
                    "<span class=\"pass\">Gates pass.</span>"
                } else {
                    "<span class=\"fail\">A gate fails.</span>"
                }
            ));
            if let Some(line) = oracle(ws, division) {
                body.push_str(&line);
            }
            let mut r: Vec<(&str, String)> = metrics
                .iter()
                .map(|(k, label)| (*label, num(&h["metrics"][*k])))
                .collect();
            for (g, v) in h["gates"].as_object().into_iter().flatten() {
                r.push((
                    g.as_str(),
                    format!(
                        "{} against {}: {}",
                        num(&v["value"]),
                        num(&v["threshold"]),
                        if v["pass"] == true { "pass" } else { "FAIL" }
                    ),
                ));
            }
            body.push_str(&table("holdout", &["metric", "value"], &kv(&r)));
            let vdir = ws.root.join("outputs/validate").join(division);
            body.push_str(
                &gains_chart(
                    &vdir.join(format!("holdout_gains_{division}.csv")),
                    &format!("holdout-gains-{}", q(division)),
                    &format!("{division}: holdout lift by decile"),
                )
                .unwrap_or_default(),
            );
        }
        None => body.push_str(&super::status::missing(
            ws,
            "the holdout validation",
            &[vdir.as_str()],
        )),
    }
    if let Some((h, r)) = read_csv(&dir.join("thresholds.csv")) {
        let head: Vec<&str> = h.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = r
            .iter()
            .map(|x| x.iter().map(|c| esc(c)).collect())
            .collect();
        body.push_str("<h2>Thresholds</h2><p>The calibrated probability at which the top k% of out-of-time rows starts.</p>");
        body.push_str(&table("thresholds", &head, &rows));
    }
    let top: Vec<Vec<String>> = card["feature_importance_top20"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            vec![
                esc(f["feature"].as_str().unwrap_or("")),
                num(&f["importance"]),
            ]
        })
        .collect();
    if !top.is_empty() {
        body.push_str("<h2>Top features</h2>");
        body.push_str(&table("features", &["feature", "importance"], &top));
    }
    body.push_str(&card_json(&card));
    Reply::html(page("/models", &title, &body))
}

/// The calibrations compared, each with the mean Brier that ranked it, to the digits that tell
/// them apart.
fn calibrations(cal: &Value) -> Vec<String> {
    let compared: Vec<&Value> = cal["compared"].as_array().into_iter().flatten().collect();
    let briers: Vec<f64> = compared
        .iter()
        .filter_map(|c| c["mean_brier"].as_f64())
        .collect();
    let mut shown = distinct(&briers).into_iter();
    compared
        .iter()
        .map(|c| {
            let brier = match c["mean_brier"].as_f64() {
                Some(_) => shown.next().unwrap_or_default(),
                None => "n/a".into(),
            };
            format!(
                "{} (mean Brier {brier})",
                c["method"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// The final model's tree count; a logistic regression has none (its card has no count).
fn trees(selected: &Value) -> String {
    match (
        &selected["final_iterations"],
        selected["winner"]["family"].as_str(),
    ) {
        (Value::Null, Some("logreg")) => "none (logistic regression)".into(),
        (Value::Null, _) => "n/a".into(),
        (n, _) => val(n),
    }
}

fn new_logos(n: &Value) -> String {
    match n.as_u64() {
        Some(n) => count(n, "new-logo buyer", "new-logo buyers"),
        None => format!("{} new-logo buyers", val(n)),
    }
}

fn card_json(card: &Value) -> String {
    format!(
        "<details><summary>model_card.json</summary><pre>{}</pre></details>",
        esc(&serde_json::to_string_pretty(card).unwrap_or_default())
    )
}
