//! `labels`: who bought in a division after a cutoff. One definition, used by training,
//! validation and holdout alike:
//!
//! a customer is positive for (division, cutoff, window) when the net gross profit of its lines
//! in that division, denylisted SKUs removed, dated in (cutoff, cutoff + window months], is
//! above `gp_min_threshold` (or, with `purchase: quantity`, when their net quantity is above
//! 0: see [`Purchase`]).
//!
//! Month arithmetic is month-end aware (2024-06-30 + 6 months = 2024-12-31). A line dated on the
//! cutoff day belongs to the features, never to the label. Cohorts come from the history up to
//! the cutoff: `is_new_logo` (no line at all), `is_renewal_like` (a line in the division),
//! `is_expansion` (lines, none in the division). A window that runs past the data's last date is
//! censored, per row and in `cutoff.json`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::history::{self, add_months, History};
use super::{Role, Stage, StageContext, StageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Customers with at least one line on or before the cutoff.
    Expansion,
    /// Every customer in `dim_customer` known at the cutoff: those with a line on or before
    /// it, and those with none in the log at all (a customer master's prospects). A customer
    /// first seen after the cutoff is not: its empty past would mark it, its first purchase
    /// the label (on pure noise, out-of-time AUC 0.60 and lift@10 2.4 came from it).
    All,
}

/// What makes a customer's lines in a division's window a purchase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    /// Net gross profit above `gp_min_threshold`: a sale returned whole, a free item or a
    /// loss leader is none.
    #[default]
    Gp,
    /// Net quantity above 0 (units bought less units returned), whatever the margin: for a log
    /// whose sales often lose money (Superstore's discounted lines, 19% of them), where GP
    /// called 37% of a division's buyers none, and its whitespace recommended what they had
    /// just bought. Lines without a quantity (a service billed by value, a price adjustment)
    /// add one unit when their net GP is above 0: counted as none, a division of services never
    /// had a buyer; counted one by one, a rebate undid a sale the customer kept.
    Quantity,
}

/// Lines netted towards a purchase: their GP, their units, and the GP of those without a
/// quantity ([`Purchase::Quantity`] counts these as one unit when it is above 0).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Amount {
    gp: f64,
    units: f64,
    unquantified_gp: f64,
}

impl Amount {
    pub fn add(&mut self, t: &history::Txn) {
        self.gp += t.gp;
        self.units += t.qty;
        if t.qty == 0.0 {
            self.unquantified_gp += t.gp;
        }
    }

    pub fn of<'a>(lines: impl Iterator<Item = &'a history::Txn>) -> Amount {
        let mut a = Amount::default();
        lines.for_each(|t| a.add(t));
        a
    }

    /// The net GP, to the cent.
    pub fn gp(&self) -> f64 {
        cent(self.gp)
    }

    /// What nets to a purchase under `purchase`, to the cent.
    pub fn value(&self, purchase: Purchase) -> f64 {
        match purchase {
            Purchase::Gp => cent(self.gp),
            Purchase::Quantity => {
                cent(self.units)
                    + if cent(self.unquantified_gp) > 0.0 {
                        1.0
                    } else {
                        0.0
                    }
            }
        }
    }
}

/// `v` rounded to the cent (plus +0.0: an empty sum of floats is -0.0).
fn cent(v: f64) -> f64 {
    (v * 100.0).round() / 100.0 + 0.0
}

impl Purchase {
    /// The net amount a purchase must be above.
    pub fn threshold(self, gp_min_threshold: f64) -> f64 {
        match self {
            Purchase::Gp => gp_min_threshold,
            Purchase::Quantity => 0.0,
        }
    }

    /// "net GP" or "net quantity", as messages and explanations name it.
    pub fn net(self) -> &'static str {
        match self {
            Purchase::Gp => "net GP",
            Purchase::Quantity => "net quantity",
        }
    }
}

fn default_window() -> i64 {
    6
}
fn default_mode() -> Mode {
    Mode::Expansion
}

/// `stages/labels.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    // Signed, so that -3 gets the range below rather than serde's "a whole number from 0".
    #[serde(default = "default_window")]
    pub window_months: i64,
    #[serde(default = "default_mode")]
    pub mode: Mode,
    /// Net window GP must be strictly above this to be positive.
    #[serde(default)]
    pub gp_min_threshold: f64,
    /// `gp` (the default) or `quantity`: what nets to a purchase ([`Purchase`]).
    #[serde(default)]
    pub purchase: Purchase,
}

impl Params {
    pub fn check(&self) -> Result<(), String> {
        if !(1..=60).contains(&self.window_months) {
            return Err(format!(
                "`window_months` must be between 1 and 60, got {}",
                self.window_months
            ));
        }
        if !self.gp_min_threshold.is_finite() {
            return Err("`gp_min_threshold` must be a finite number".into());
        }
        // A customer with no line in the window nets 0: below 0, every customer would be a buyer.
        if self.gp_min_threshold < 0.0 {
            return Err(format!(
                "`gp_min_threshold` must be 0 or more, got {}: a customer with no line in the window nets 0, and would count as a buyer (to count sales that lose money as purchases, set `purchase: quantity`)",
                self.gp_min_threshold
            ));
        }
        if self.purchase == Purchase::Quantity && self.gp_min_threshold != 0.0 {
            return Err(format!(
                "`gp_min_threshold` is {} but `purchase: quantity` counts units, not GP: set it to 0, or `purchase: gp`",
                self.gp_min_threshold
            ));
        }
        Ok(())
    }
}

/// Reads a denylist CSV: the first column named `sku`, `product_sku` or `gp_column`.
pub fn read_denylist(path: &Path) -> Result<BTreeSet<String>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = headers
        .iter()
        .position(|h| ["sku", "product_sku", "gp_column"].contains(&h.to_lowercase().as_str()))
        .ok_or_else(|| format!("`{}` needs a `sku` column", path.display()))?;
    let mut out = BTreeSet::new();
    for r in rdr.records() {
        let r = r.map_err(|e| format!("`{}`: {e}", path.display()))?;
        if let Some(s) = r.get(col).filter(|s| !s.is_empty()) {
            out.insert(s.to_string());
        }
    }
    Ok(out)
}

/// Each customer's lines of the division (denylist removed) in (cutoff, end], netted: the
/// label definition, reusable on any history (the holdout log included).
pub fn window_net(
    h: &History,
    division: &str,
    cutoff: NaiveDate,
    end: NaiveDate,
    denylist: &BTreeSet<String>,
) -> Vec<Amount> {
    let div = h.division_index(division);
    let denied: HashSet<u16> = denylist.iter().filter_map(|s| h.sku_index(s)).collect();
    let window = h.window(cutoff, end);
    window
        .lines
        .iter()
        .map(|l| {
            Amount::of(
                l.iter()
                    .filter(|t| Some(t.division) == div && !denied.contains(&t.sku)),
            )
        })
        .collect()
}

/// The labels of one (division, cutoff), ready to write.
pub struct Labels {
    pub frame: DataFrame,
    pub prevalence: Vec<(String, u64, u64)>,
    pub report: Value,
    /// Dates of the label-window lines read (for the engine's leakage check).
    pub events: Option<(NaiveDate, NaiveDate)>,
}

/// Builds labels. `divisions` is the SKU map's division list (to reject unknown divisions).
pub fn build(
    h: &History,
    division: &str,
    cutoff: NaiveDate,
    p: &Params,
    denylist: &BTreeSet<String>,
    divisions: Option<&[String]>,
) -> Result<Labels, String> {
    p.check()?;
    if let Some(known) = divisions {
        if !known.iter().any(|d| d == division) {
            return Err(format!(
                "unknown division `{division}`: the SKU map has {}",
                known.join(", ")
            ));
        }
    }
    let (Some(first), Some(last)) = (h.first_day, h.last_day) else {
        return Err("the fact table is empty".into());
    };
    let c = history::day(cutoff);
    // A cutoff on the last day is inside the data's range but has no window after it: say
    // which side failed rather than "outside".
    if c < first {
        return Err(format!(
            "cutoff {cutoff} is before the log's first sale ({}, the log runs to {}): labels need history before it",
            history::date(first),
            history::date(last)
        ));
    }
    if c >= last {
        return Err(format!(
            "cutoff {cutoff} is on or after the log's last sale ({}, the log starts {}): labels need a window of sales after it",
            history::date(last),
            history::date(first)
        ));
    }
    let end = add_months(cutoff, p.window_months as i32);
    let data_max = history::date(last);
    let censored = end > data_max;
    let div = h.division_index(division);
    let denied: HashSet<u16> = denylist.iter().filter_map(|s| h.sku_index(s)).collect();
    let is_target = |t: &history::Txn| Some(t.division) == div && !denied.contains(&t.sku);
    let before = h.as_of(cutoff);
    let window = h.window(cutoff, end);
    let mut ids = Vec::new();
    let (mut label, mut net, mut new_logo, mut expansion, mut renewal) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (i, cust) in h.customers.iter().enumerate() {
        let had_any = !before.lines[i].is_empty();
        let prospect = h.lines[i].is_empty();
        if !had_any && (p.mode == Mode::Expansion || !prospect) {
            continue;
        }
        let had_div = before.lines[i].iter().any(is_target);
        let n = Amount::of(window.lines[i].iter().filter(|t| is_target(t)));
        ids.push(cust.id.as_str());
        label.push(i8::from(
            n.value(p.purchase) > p.purchase.threshold(p.gp_min_threshold),
        ));
        net.push(n.gp());
        new_logo.push(i8::from(!had_any));
        renewal.push(i8::from(had_any && had_div));
        expansion.push(i8::from(had_any && !had_div));
    }
    let n = ids.len();
    let frame = DataFrame::new_infer_height(vec![
        Column::new("customer_id".into(), ids),
        Column::new("division".into(), vec![division; n]),
        Series::new("cutoff".into(), vec![history::day(cutoff); n])
            .cast(&DataType::Date)
            .map_err(|e| e.to_string())?
            .into(),
        Column::new("label".into(), label.clone()),
        Column::new("net_gp_window".into(), net),
        Column::new("is_new_logo".into(), new_logo.clone()),
        Column::new("is_expansion".into(), expansion.clone()),
        Column::new("is_renewal_like".into(), renewal.clone()),
        Column::new("censored".into(), vec![i8::from(censored); n]),
    ])
    .map_err(|e| e.to_string())?;
    let count = |mask: &[i8]| -> (u64, u64) {
        let rows = mask.iter().filter(|&&m| m == 1).count() as u64;
        let pos = mask
            .iter()
            .zip(&label)
            .filter(|(&m, &l)| m == 1 && l == 1)
            .count() as u64;
        (rows, pos)
    };
    let all = vec![1i8; n];
    let prevalence: Vec<(String, u64, u64)> = [
        ("all", &all),
        ("new_logo", &new_logo),
        ("expansion", &expansion),
        ("renewal_like", &renewal),
    ]
    .into_iter()
    .map(|(name, m)| {
        let (r, pos) = count(m);
        (name.to_string(), r, pos)
    })
    .collect();
    let positives = prevalence[0].2;
    let report = json!({
        "division": division,
        "cutoff": cutoff.to_string(),
        "window_months": p.window_months,
        "window_start": (cutoff + chrono::Days::new(1)).to_string(),
        "window_end": end.to_string(),
        // Only when it cuts the window short: a later date would move with every sale
        // appended to the log, and with it every model trained on this partition.
        "data_max_date": censored.then(|| data_max.to_string()),
        "censored": censored,
        "observed_window_days": (end.min(data_max) - cutoff).num_days().max(0),
        "mode": p.mode,
        "gp_min_threshold": p.gp_min_threshold,
        "purchase": p.purchase,
        "denylisted_skus": denylist,
        "division_has_sales": div.is_some(),
        "empty": n == 0 || positives == 0,
        "counts": {
            "rows": n,
            "positives": positives,
            "new_logo": prevalence[1].1,
            "expansion": prevalence[2].1,
            "renewal_like": prevalence[3].1,
        },
    });
    let events = match (window.min_day, window.max_day) {
        (Some(a), Some(b)) => Some((history::date(a), history::date(b))),
        _ => None,
    };
    Ok(Labels {
        frame,
        prevalence,
        report,
        events,
    })
}

/// Writes `labels.parquet`, `prevalence.csv` and `cutoff.json` into `dir`.
/// The denylisted SKUs the map does not know (they remove nothing: most likely a typo or a
/// denylist written for another log), recorded in the report as `denylist_unknown_skus`.
/// `gosales labels build` records them too, so that its `cutoff.json` is the pipeline's.
pub fn unknown_denylisted(
    l: &mut Labels,
    denylist: &BTreeSet<String>,
    skus: &[super::etl::skumap::Sku],
) -> Vec<String> {
    let unknown: Vec<String> = denylist
        .iter()
        .filter(|d| !skus.iter().any(|s| &s.gp_column == *d))
        .cloned()
        .collect();
    l.report["denylist_unknown_skus"] = json!(unknown);
    unknown
}

pub fn write(l: &mut Labels, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    super::etl::write::write_parquet(&mut l.frame, &dir.join("labels.parquet"))?;
    let mut w = csv::Writer::from_path(dir.join("prevalence.csv")).map_err(|e| e.to_string())?;
    w.write_record(["cohort", "rows", "positives", "prevalence"])
        .map_err(|e| e.to_string())?;
    for (name, rows, pos) in &l.prevalence {
        let prev = if *rows > 0 {
            format!("{:.6}", *pos as f64 / *rows as f64)
        } else {
            String::new()
        };
        w.write_record([name.as_str(), &rows.to_string(), &pos.to_string(), &prev])
            .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    let mut text = serde_json::to_string_pretty(&l.report).expect("json");
    text.push('\n');
    std::fs::write(dir.join("cutoff.json"), text).map_err(|e| e.to_string())
}

/// The label definition a model was trained with, written by `train` next to the model.
pub const DEFINITION_FILE: &str = "label_definition.json";

/// The label definition in a labels partition's `cutoff.json`.
fn definition(report: &Value) -> Value {
    json!({
        "window_months": report["window_months"],
        "mode": report["mode"],
        "gp_min_threshold": report["gp_min_threshold"],
        // Absent from a partition written before `purchase` was: GP, as then.
        "purchase": if report["purchase"].is_null() { json!(Purchase::Gp) } else { report["purchase"].clone() },
        "denylisted_skus": report["denylisted_skus"],
    })
}

/// The one label definition shared by the labels partitions in `dirs` (an error if they differ).
pub fn definition_of<'a>(dirs: impl Iterator<Item = &'a Path>) -> Result<Value, String> {
    let mut found: Option<(Value, &Path)> = None;
    for dir in dirs {
        let path = dir.join("cutoff.json");
        let report: Value = serde_json::from_slice(
            &std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
        )
        .map_err(|e| format!("`{}`: {e}", path.display()))?;
        let d = definition(&report);
        match &found {
            Some((first, at)) if *first != d => {
                return Err(format!(
                    "the labels partitions disagree on the label definition: `{}` has {first}, `{}` has {d}",
                    at.display(),
                    path.display()
                ))
            }
            Some(_) => {}
            None => found = Some((d, dir)),
        }
    }
    found
        .map(|(d, _)| d)
        .ok_or_else(|| "no labels partition to take the label definition from".to_string())
}

/// A label definition as written by [`definition_of`], read back.
#[derive(Debug, Clone, Deserialize)]
pub struct Definition {
    pub window_months: u32,
    pub mode: Mode,
    pub gp_min_threshold: f64,
    /// Absent from a definition written before it was: GP, as then.
    #[serde(default)]
    pub purchase: Purchase,
    pub denylisted_skus: BTreeSet<String>,
}

impl Definition {
    /// The net amount a purchase must be above.
    pub fn threshold(&self) -> f64 {
        self.purchase.threshold(self.gp_min_threshold)
    }

    /// Whether a window's netted lines are a purchase under this definition.
    pub fn bought(&self, net: &Amount) -> bool {
        net.value(self.purchase) > self.threshold()
    }

    /// The label in words, as the holdout reports state it.
    pub fn describe(&self, division: &str, cutoff: NaiveDate, end: NaiveDate) -> String {
        format!(
            "{} in {division} (denylist removed) in ({cutoff}, {end}] above {}",
            self.purchase.net(),
            self.threshold()
        )
    }

    pub fn load(model_dir: &Path) -> Result<Definition, String> {
        let path = model_dir.join(DEFINITION_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read `{}` ({e}): the model predates label definitions; rebuild `train`",
                path.display()
            )
        })?;
        serde_json::from_slice(&bytes).map_err(|e| format!("`{}`: {e}", path.display()))
    }
}

/// The star directory among a stage's upstream outputs.
/// The role of the star schema the ETL built, read by labels, features, score and whitespace.
pub const STAR: Role = Role {
    name: "star",
    default_node: "star",
    required: true,
    about: "the star schema the ETL built",
    stages: &["etl"],
};

/// The star schema directory among the outputs of the node filling the role `star`.
pub fn find_star(ctx: &StageContext) -> Result<std::path::PathBuf, StageError> {
    find_star_of(ctx, "star")
}

/// The star schema directory among the outputs of the node filling `role`.
pub fn find_star_of(ctx: &StageContext, role: &str) -> Result<std::path::PathBuf, StageError> {
    ctx.upstream(role)
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .find(|p| p.join("fact_transactions.parquet").is_file())
        .cloned()
        .ok_or_else(|| StageError::Data(format!("no `fact_transactions.parquet` among the outputs of the node filling the role `{role}` (is it an `etl` node?)")))
}

/// The SKU map (with overrides), if the node declares it as its `sku_map` input.
pub fn map_skus(ctx: &StageContext) -> Result<Option<Vec<super::etl::skumap::Sku>>, StageError> {
    match ctx.input("sku_map") {
        Ok(p) => super::etl::skumap::load(p, ctx.input("sku_overrides").ok())
            .map(Some)
            .map_err(StageError::Data),
        Err(_) => Ok(None),
    }
}

/// The SKU map's divisions, if the node declares the map as its `sku_map` input.
pub fn map_divisions(ctx: &StageContext) -> Result<Option<Vec<String>>, StageError> {
    Ok(map_skus(ctx)?.map(|skus| super::etl::skumap::divisions(&skus)))
}

/// The instance's `division` partition key.
pub fn partition_division(ctx: &StageContext) -> Result<String, StageError> {
    ctx.partition("division")
        .map(str::to_string)
        .ok_or_else(|| {
            StageError::Params("the node needs a `division` partition key (foreach)".into())
        })
}

pub fn partition_cutoff(ctx: &StageContext) -> Result<(String, NaiveDate), StageError> {
    let division = partition_division(ctx)?;
    let cutoff = ctx.partition("cutoff").ok_or_else(|| {
        StageError::Params("the node needs a `cutoff` partition key (foreach)".into())
    })?;
    let cutoff = super::source::date(cutoff, "cutoff").map_err(StageError::Params)?;
    Ok((division, cutoff))
}

pub struct LabelsStage;

impl Stage for LabelsStage {
    fn roles(&self) -> &'static [Role] {
        &[STAR]
    }
    fn inputs(&self) -> Option<&'static [&'static str]> {
        Some(&["sku_map", "sku_overrides", "denylist"])
    }
    fn name(&self) -> &'static str {
        "labels"
    }
    fn summary(&self) -> &'static str {
        "leakage-safe labels per division and cutoff"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        p.check()
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let (division, cutoff) = partition_cutoff(ctx)?;
        let h = History::load(&find_star(ctx)?).map_err(StageError::Data)?;
        let denylist = match ctx.input("denylist") {
            Ok(path) => read_denylist(path).map_err(StageError::Data)?,
            Err(_) => BTreeSet::new(),
        };
        let skus = map_skus(ctx)?;
        let divisions = skus.as_deref().map(super::etl::skumap::divisions);
        let mut l = build(&h, &division, cutoff, &p, &denylist, divisions.as_deref())
            .map_err(StageError::Data)?;
        if let Some((a, b)) = l.events {
            ctx.record_label_events(&a.to_string(), &b.to_string());
        }
        // A denylisted SKU the map does not know removes nothing: most likely a typo or a
        // denylist written for another log. Reported, not fatal (the label is still defined).
        if let Some(skus) = &skus {
            let unknown = unknown_denylisted(&mut l, &denylist, skus);
            if !unknown.is_empty() {
                ctx.warn(format!(
                    "denylist SKUs not in the SKU map (they remove nothing): {}",
                    unknown
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if l.report["empty"] == true {
            ctx.warn(format!(
                "{division} at {cutoff}: no positives (flagged `empty` in cutoff.json)"
            ));
        }
        write(&mut l, ctx.output_dir()?).map_err(StageError::Data)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
