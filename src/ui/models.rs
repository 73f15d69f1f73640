//! The Models pages: every division's out-of-time and holdout metrics with its gains chart, and
//! one division's detail (`/models?division=PDM`): the model card, metrics per fold, gains and
//! calibration charts, holdout validation and gates, thresholds and top features. A division is
//! looked up among those the manifest's `train` instances build ([`Outputs`]), never joined from
//! the request; a model folder no node writes any more is named, never shown.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::charts::{bars, calibration};
use super::files::{num, read_csv_said, read_json, val};
use super::format::{count, distinct};
use super::html::{cell, esc, page, q, table};
use super::outputs::{Division, Outputs};
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

/// The divisions a current node trains whose model is built, in the manifest's order.
fn built<'a>(ws: &Workspace, o: &'a Outputs) -> Vec<&'a Division> {
    o.divisions
        .iter()
        .filter(|d| ws.root.join(&d.train).join("model_card.json").is_file())
        .collect()
}

/// A division's holdout report and the folder it is in, when a node validates the division.
fn holdout(ws: &Workspace, d: &Division) -> Option<(Value, PathBuf)> {
    let dir = ws.root.join(d.validate.as_ref()?);
    let report = read_json(&dir.join(format!("validation_metrics_{}.json", d.name)))?;
    Some((report, dir))
}

/// Why a holdout's labels are censored (the report's `censored`), or `None` when they are not:
/// gates passed on a holdout that ends before the label window does count fewer buyers than the
/// window defines, so a pass is no clean pass.
fn censoring(h: &Value) -> Option<String> {
    if h["censored"] != true {
        return None;
    }
    let s = |k: &str| h[k].as_str().unwrap_or("?").to_string();
    let mut why = Vec::new();
    if h["censored_end"] == true {
        why.push(format!(
            "the holdout log ends {} but the label window ends {}",
            s("holdout_data_max_date"),
            s("window_end")
        ));
    }
    if h["censored_start"] == true {
        why.push(format!(
            "the holdout log starts {} but the label window starts the day after {}",
            s("holdout_data_min_date"),
            s("scoring_cutoff")
        ));
    }
    if why.is_empty() {
        why.push("the holdout log does not cover the label window".into());
    }
    Some(format!(
        "Censored holdout: {}, so buyers outside the log are missing from the labels and these metrics and gates understate or misstate the model.",
        why.join("; ")
    ))
}

/// One gate's result as the report gives it: its value against its threshold when numbers,
/// else whatever it says.
fn gate(v: &Value) -> String {
    let verdict = if v["pass"] == true { "pass" } else { "FAIL" };
    if v["value"].is_number() || v["threshold"].is_number() {
        return format!(
            "{} against {}: {verdict}",
            num(&v["value"]),
            num(&v["threshold"])
        );
    }
    let said: Vec<String> = v
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "pass")
        .map(|(k, x)| format!("{}: {}", esc(k), val(x)))
        .collect();
    if said.is_empty() {
        verdict.to_string()
    } else {
        format!("{verdict} ({})", said.join(", "))
    }
}

fn gains_chart(path: &Path, id: &str, title: &str) -> Option<String> {
    let (h, g, banner) = read_csv_said(path)?;
    let li = h.iter().position(|x| x == "lift")?;
    let labels: Vec<String> = g.iter().map(|r| r[0].clone()).collect();
    let values: Vec<f64> = g.iter().map(|r| r[li].parse().unwrap_or(0.0)).collect();
    Some(banner + &bars(id, title, &labels, &values))
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
    let o = Outputs::find(ws);
    let divs = built(ws, &o);
    // Models no node writes any more (a removed division, a renamed node) are named, not shown.
    let orphans = o.unwritten(ws, &o.stray_models(ws));
    if divs.is_empty() {
        let paths = o.train_paths();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        return Reply::html(page(
            "/models",
            "Models",
            &format!(
                "{}{orphans}",
                super::status::missing(&o, "the models", &paths)
            ),
        ));
    }
    match query.get("division") {
        None | Some("") => index(ws, &o, &divs, &orphans),
        Some(d) => match divs.iter().find(|x| x.name == d) {
            Some(x) => detail(ws, &o, x),
            None => Reply {
                status: 404,
                content_type: "text/plain; charset=utf-8",
                body: format!(
                    "no model for division `{d}` (trained: {})\n",
                    divs.iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into_bytes(),
                filename: None,
            },
        },
    }
}

/// The folders behind the Models pages, for the out-of-date banner.
fn folders<'a>(divs: &[&'a Division]) -> Vec<&'a str> {
    divs.iter()
        .flat_map(|d| std::iter::once(d.train.as_str()).chain(d.validate.as_deref()))
        .collect()
}

fn index(ws: &Workspace, o: &Outputs, divs: &[&Division], orphans: &str) -> Reply {
    let mut rows = Vec::new();
    let mut charts = String::new();
    // The scoring's verdicts, every division judged with the others (`skill.json` beside the
    // scores): a model better than chance alone may not be among many.
    let together = o
        .scores
        .as_ref()
        .and_then(|s| ws.root.join(s).parent().map(|d| d.join("skill.json")))
        .and_then(|p| read_json(&p));
    for d in divs {
        let dir = ws.root.join(&d.train);
        let Some(card) = read_json(&dir.join("model_card.json")) else {
            continue;
        };
        let link = format!(
            "<a href=\"/models?division={}\">{}</a>",
            q(&d.name),
            cell(&d.name)
        );
        if card["status"] != "trained" {
            let mut r = vec![
                link,
                "skipped".into(),
                esc(card["reason"].as_str().unwrap_or("")),
            ];
            r.resize(11, String::new());
            rows.push(r);
            continue;
        }
        let m = &card["metrics_out_of_time"];
        let h = holdout(ws, d).map(|(h, _)| h);
        let hm = h.as_ref().map(|h| &h["metrics"]);
        let mut gates = match h.as_ref().map(|h| h["passed"].as_bool()) {
            Some(Some(true)) => "<span class=\"pass\">pass</span>".to_string(),
            Some(Some(false)) => "<span class=\"fail\">FAIL</span>".into(),
            _ => String::new(),
        };
        let refused = h.as_ref().filter(|h| h["status"] == "not_validated");
        if let Some(h) = refused {
            gates = format!(
                "<span class=\"fail\" title=\"{}\">not validated: in-sample window</span>",
                esc(h["reason"].as_str().unwrap_or_default())
            );
        }
        let hm = hm.filter(|_| refused.is_none());
        let absent = if refused.is_some() {
            "in-sample"
        } else {
            "not run"
        };
        if h.as_ref().and_then(censoring).is_some() {
            gates.push_str(" <span class=\"fail\" title=\"the holdout log ends before the label window does (or starts after it): see the division's page\">censored holdout</span>");
        }
        rows.push(vec![
            link,
            esc(card["selected"]["winner"]["family"].as_str().unwrap_or("")),
            esc(card["calibration"]["chosen"].as_str().unwrap_or("none")),
            num(&m["auc"]),
            num(&m["lift@10"]),
            num(&m["brier"]),
            num(&m["calibration_mae"]),
            skill(&card["skill"], together.as_ref(), &d.name),
            hm.map_or(absent.into(), |m| num(&m["auc"])),
            hm.map_or(absent.into(), |m| num(&m["lift@10"])),
            gates,
        ]);
        charts.push_str(&oot_gains(&dir, &d.name));
    }
    let body = format!(
        "{}{orphans}<p>Out-of-time metrics (rolling origin) are measured on cutoffs a model was not fitted on; holdout metrics on the later log, with the training label definition. A division's name opens its model card, folds and calibration.</p>{}{}",
        super::status::banner(ws, o, &folders(divs)),
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
                "OOT skill",
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

/// The model card's skill verdict: its AUC's lower bound, and whether it ranks better than
/// chance (a card from before the verdict shows nothing).
fn skill(s: &Value, together: Option<&Value>, division: &str) -> String {
    // The scoring's verdict, when it took the grades away from a model better than chance alone.
    let not_together =
        together.filter(|t| t["divisions"][division]["graded"].as_bool() == Some(false));
    match (s["better_than_chance"].as_bool(), s["auc_lower_95"].as_f64(), not_together) {
        (Some(true), Some(lb), Some(t)) => format!(
            "<span class=\"fail\" title=\"{}\">AUC &ge; {lb:.3} (95%) alone, not among {} divisions: no grades</span>",
            esc(t["rule"].as_str().unwrap_or_default()),
            t["divisions_tested"]
        ),
        (Some(true), Some(lb), None) => format!("AUC &ge; {lb:.3} (95%)"),
        (Some(false), Some(lb), _) => format!(
            "<span class=\"fail\" title=\"{}\">no better than chance (AUC &ge; {lb:.3}): no grades</span>",
            esc(s["rule"].as_str().unwrap_or_default())
        ),
        _ => String::new(),
    }
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

fn detail(ws: &Workspace, o: &Outputs, d: &Division) -> Reply {
    let (division, dir) = (d.name.as_str(), ws.root.join(&d.train));
    let dir = dir.as_path();
    let title = format!("Model: {division}");
    let card = read_json(&dir.join("model_card.json")).unwrap_or(Value::Null);
    // The banner goes first on the page but is made last, once every file shown is read: it
    // checks that none changed since (`status::banner`).
    let mut body = String::from("<p><a href=\"/models\">all divisions</a></p>");
    if card["status"] != "trained" {
        body.push_str(&format!(
            "<p class=\"note\">Not trained: {}</p>",
            esc(card["reason"].as_str().unwrap_or("see the model card"))
        ));
        body.push_str(&card_json(&card));
        let body = super::status::banner(ws, o, &folders(&[d])) + &body;
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
    if let Some((h, r, banner)) = read_csv_said(&dir.join(format!("calibration_{division}.csv"))) {
        body.push_str(&banner);
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
    match holdout(ws, d) {
        Some((h, _)) if h["status"] == "not_validated" => {
            // No figure: the holdout window is one the model was fitted on.
            body.push_str(&format!(
                "<p class=\"note failed\" id=\"not-validated\">{}</p>",
                esc(h["reason"].as_str().unwrap_or_default())
            ));
        }
        Some((h, vdir)) => {
            let censored = censoring(&h);
            body.push_str(&format!(
                "<p>{}: {} customers known at the scoring cutoff, {} buyers among them; {}, not scorable from history, {} not in the metrics. {}</p>",
                esc(h["label_definition"].as_str().unwrap_or("")),
                val(&h["rows"]),
                val(&h["positives"]),
                new_logos(&h["new_logo_buyers_not_scorable"]),
                if h["new_logo_buyers_not_scorable"] == 1 { "is" } else { "are" },
                match (h["passed"] == true, censored.is_some()) {
                    (true, false) => "<span class=\"pass\">Gates pass.</span>",
                    (true, true) => "<span class=\"fail\">Gates pass, on censored labels.</span>",
                    _ => "<span class=\"fail\">A gate fails.</span>",
                }
            ));
            if let Some(c) = &censored {
                body.push_str(&format!(
                    "<p class=\"note failed\" id=\"censored\">{}</p>",
                    esc(c)
                ));
            }
            // What the holdout's ETL left out shapes these labels: said beside them.
            if let Some(note) = h["holdout_log"]["note"].as_str() {
                body.push_str(&format!(
                    "<p class=\"note\" id=\"holdout-log\">{}</p>",
                    esc(note)
                ));
            }
            // The level the probabilities give against the buyers: a forecast summed from
            // `p_icp` is off by as much, which no binned figure below shows.
            let level = &h["metrics"]["level"];
            if let (Some(e), Some(z)) = (level["expected_buyers"].as_f64(), level["z"].as_f64()) {
                body.push_str(&match crate::stages::validate::report_level_warning(division, &h) {
                    Some(w) => format!(
                        "<p class=\"note failed\" id=\"level\">{}</p>",
                        esc(&w)
                    ),
                    None => format!(
                        "<p id=\"level\">The probabilities expect {e:.0} buyers; {} bought (z = {z:.1}).</p>",
                        val(&level["buyers"])
                    ),
                });
            }
            if let Some(line) = super::oracle::line(ws, o, division, &h, &vdir) {
                body.push_str(&line);
            }
            let mut r: Vec<(&str, String)> = metrics
                .iter()
                .map(|(k, label)| (*label, num(&h["metrics"][*k])))
                .collect();
            for (g, v) in h["gates"].as_object().into_iter().flatten() {
                r.push((g.as_str(), gate(v)));
            }
            r.push((
                "censored",
                if censored.is_some() {
                    "<span class=\"fail\">yes</span>".into()
                } else if h["censored"] == false {
                    "no".into()
                } else {
                    "not recorded".into()
                },
            ));
            body.push_str(&table("holdout", &["metric", "value"], &kv(&r)));
            body.push_str(
                &gains_chart(
                    &vdir.join(format!("holdout_gains_{division}.csv")),
                    &format!("holdout-gains-{}", q(division)),
                    &format!("{division}: holdout lift by decile"),
                )
                .unwrap_or_default(),
            );
        }
        None => match &d.validate {
            Some(v) => body.push_str(&super::status::missing(
                o,
                "the holdout validation",
                &[v.as_str()],
            )),
            None if !o.validates => body.push_str(&super::status::note(super::status::NO_HOLDOUT)),
            None => body.push_str(&super::status::note(&format!(
                "No node validates the `{division}` model on the holdout: give its `validate` node this division (`foreach: {{division: $divisions}}`)."
            ))),
        },
    }
    if let Some((h, r, banner)) = read_csv_said(&dir.join("thresholds.csv")) {
        body.push_str(&banner);
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
    let body = super::status::banner(ws, o, &folders(&[d])) + &body;
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
