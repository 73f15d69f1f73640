//! The truth oracle of synthetic data beside a division's holdout metrics: each customer's true
//! purchase probability, from the generator, scored on exactly the holdout rows. It is the
//! ceiling only of the label it is of: the oracle's window and GP threshold are set in the
//! source's params, the holdout's in labels.yaml, and an edit to one alone is easy. So the
//! oracle is shown only when the definition it records (`truth.json`) is the holdout's; else a
//! note names both and the fix, and a truth that records none is said to be of an unknown label.

use std::path::Path;

use serde_json::Value;

use super::files::{read_csv_where, read_json};
use super::html::esc;
use super::outputs::Outputs;
use crate::engine::workspace::Workspace;
use crate::stages::source::{find_role, TRUTH_DEFINITION_FILE, TRUTH_FILE};

/// What a label is: the cutoff, the months of the window after it, and the net GP a purchase
/// must be above.
#[derive(Debug, PartialEq)]
struct Label {
    cutoff: String,
    window_months: u64,
    gp_min_threshold: f64,
}

impl Label {
    /// As the truth node records it (`truth.json`).
    fn of_truth(v: &Value) -> Option<Label> {
        Some(Label {
            cutoff: v["cutoff"].as_str()?.to_string(),
            window_months: v["window_months"].as_u64()?,
            gp_min_threshold: v["gp_min_threshold"].as_f64()?,
        })
    }
    /// As a holdout validation report records it (`validation_metrics_<division>.json`).
    fn of_holdout(r: &Value) -> Option<Label> {
        Some(Label {
            cutoff: r["scoring_cutoff"].as_str()?.to_string(),
            window_months: r["label_params"]["window_months"].as_u64()?,
            gp_min_threshold: r["label_params"]["gp_min_threshold"].as_f64()?,
        })
    }
    fn describe(&self) -> String {
        format!(
            "cutoff {}, {}-month window, net GP above {}",
            self.cutoff, self.window_months, self.gp_min_threshold
        )
    }
}

/// How to make the oracle's label the holdout's, per field that differs.
fn fixes(truth: &Label, holdout: &Label) -> Vec<&'static str> {
    let mut fix = Vec::new();
    if truth.window_months != holdout.window_months
        || truth.gp_min_threshold != holdout.gp_min_threshold
    {
        fix.push("set <code>truth.window_months</code> and <code>truth.gp_min_threshold</code> in the source's params (<code>stages/source.yaml</code>) equal to <code>window_months</code> and <code>gp_min_threshold</code> in <code>stages/labels.yaml</code>");
    }
    if truth.cutoff != holdout.cutoff {
        fix.push("score at the oracle's cutoff, the day before the source's <code>holdout_start</code> (<code>score_cutoff</code> in <code>pipeline.yaml</code>)");
    }
    fix
}

fn note(text: &str) -> String {
    format!("<p class=\"note\" id=\"oracle-unknown\">{text}</p>")
}

/// The oracle line for `division`, whose holdout report is `report` and holdout scores are in
/// `vdir`; or the note saying why it is not shown. `None` without a truth oracle.
pub fn line(
    ws: &Workspace,
    o: &Outputs,
    division: &str,
    report: &Value,
    vdir: &Path,
) -> Option<String> {
    let dirs: Vec<std::path::PathBuf> = o.truth.iter().map(|d| ws.root.join(d)).collect();
    let truth = find_role(&dirs, "truth", TRUTH_FILE)?;
    let rel = truth
        .strip_prefix(&ws.root)
        .unwrap_or(&truth)
        .display()
        .to_string();
    let node = |path: &str, default: &str| esc(o.writer(path).unwrap_or(default));
    let holdout = Label::of_holdout(report);
    let Some(label) = truth
        .parent()
        .and_then(|d| read_json(&d.join(TRUTH_DEFINITION_FILE)))
        .and_then(|v| Label::of_truth(&v))
    else {
        return Some(note(&format!(
            "The truth oracle <code>{}</code> records no label definition (no <code>{TRUTH_DEFINITION_FILE}</code> beside it: written by an older gosales), so whether it is the ceiling of this holdout's labels ({}) is unknown; it is not shown. Rebuild it (<code>gosales run --force {}</code>) to record one.",
            esc(&rel),
            holdout.as_ref().map_or("not recorded".into(), |h| esc(&h.describe())),
            node(&rel, "NODE"),
        )));
    };
    let vrel = vdir
        .strip_prefix(&ws.root)
        .unwrap_or(vdir)
        .display()
        .to_string();
    let Some(holdout) = holdout else {
        return Some(note(&format!(
            "This holdout report records no label definition (written by an older gosales), so whether the truth oracle ({}) is its ceiling is unknown; it is not shown. Rebuild the validation (<code>gosales run --force {}</code>) to record it.",
            esc(&label.describe()),
            node(&vrel, "validate")
        )));
    };
    if label != holdout {
        return Some(note(&format!(
            "The truth oracle is not shown: it is of another label ({}) than this holdout's ({}), so it is no ceiling for these metrics. To compare them, {}, and run again.",
            esc(&label.describe()),
            esc(&holdout.describe()),
            fixes(&label, &holdout).join("; and "),
        )));
    }
    oracle(&truth, division, vdir)
}

/// The truth oracle beside the holdout metrics, when the data is synthetic and its source wrote
/// `truth.csv`: AUC, lift@10 and Brier of each customer's true purchase probability on exactly
/// the holdout rows gosales was scored on. It is the ceiling: a model well above it leaks.
fn oracle(truth: &Path, division: &str, dir: &Path) -> Option<String> {
    use crate::ml::metrics;
    let (th, tr) = read_csv_where(truth, "division", division)?;
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
    let hr = super::cache::table(&dir.join(format!("holdout_scores_{division}.csv")))?;
    let (ci, li, pi) = (hr.col("customer_id")?, hr.col("label")?, hr.col("p")?);
    let ids: Vec<&str> = hr.rows().map(|r| r.get(ci)).collect();
    let y: Vec<u8> = hr.rows().map(|r| u8::from(r.get(li) == "1")).collect();
    let p: Vec<f64> = hr
        .rows()
        .map(|r| r.get(pi).parse().unwrap_or(0.0))
        .collect();
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
        "<p class=\"oracle\">Truth oracle (synthetic data: each customer's true probability of a purchase in the window, from the generator) on these {} rows: AUC {oa:.3}, lift@10 {ol:.2}, Brier {:.4}. This model: AUC {ga:.3} ({:+.3} against the oracle), lift@10 {gl:.2} ({} of the oracle's). The oracle is the ceiling: a model clearly above it is leaking, unless the division is rare (the oracle is a mean of simulations, and reads low on few buyers).{}</p>",
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
