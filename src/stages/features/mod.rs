//! `features`: the customer feature matrix for one (division, cutoff).
//!
//! Every family sees transactions only through the as-of view (`History::as_of`), which holds
//! the lines dated on or before the cutoff; the stage records the latest date it was handed and
//! the engine fails the instance if it passes the cutoff. A line dated on the cutoff day counts
//! here and never in the label window.
//!
//! Families (one file each): `behaviour` (RFM windows, recency and decay, trajectory, lifecycle,
//! seasonality, diversity, returns, SKU micro-signals), `crossdiv` (per-division 12-month GP,
//! lines, raw and empirical-Bayes shares, days since), `industry` (one-hots and interactions),
//! `anniversary` (what
//! the label window repeats from earlier years), `lifetime` (installed base, order rate and
//! lapse over the whole history), `lapse` (yearly anniversaries passed in silence, and the share
//! met by an order), `basket` (market-basket lift, optional), `als` (implicit-ALS embeddings, optional). Then, in
//! this order: winsorisation of gross-profit columns at an upper quantile (caps recorded),
//! missingness flags for every column that had an undefined value, and filling.

mod als;
mod anniversary;
mod basket;
mod behaviour;
mod crossdiv;
mod industry;
mod lapse;
mod lifetime;
pub mod matrix;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::history::{self, AsOf, History};
use super::labels::{find_star, map_divisions, partition_cutoff, partition_division, Mode, STAR};
use super::{Role, Stage, StageContext, StageError};

fn d_windows() -> Vec<u32> {
    vec![3, 6, 12, 24]
}
fn d_half_lives() -> Vec<u32> {
    vec![30, 90, 180]
}
fn d_prior() -> f64 {
    5.0
}
fn d_winsor() -> f64 {
    0.99
}
fn d_key_skus() -> Vec<String> {
    [
        "SWX_Core",
        "SWX_Pro_Prem",
        "Core_New_UAP",
        "Pro_Prem_New_UAP",
        "PDM",
        "Simulation",
        "Services",
        "Training",
        "Success_Plan",
        "SW_Plastics",
        "AM_Software",
        "Fortus",
        "HV_Simulation",
        "CATIA",
        "Delmia_Apriso",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
fn d_top_ind() -> usize {
    10
}
fn d_top_sub() -> usize {
    15
}
fn d_true() -> bool {
    true
}
fn d_mode() -> Mode {
    Mode::Expansion
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BasketParams {
    #[serde(default = "d_true")]
    pub enabled: bool,
    /// Rules are learned from lines up to this many days before the cutoff.
    #[serde(default)]
    pub lag_days: u32,
    /// A SKU needs this many buyers in the window to get a lift.
    #[serde(default = "d_support")]
    pub min_support: usize,
}
fn d_support() -> usize {
    10
}
impl Default for BasketParams {
    fn default() -> Self {
        BasketParams {
            enabled: true,
            lag_days: 0,
            min_support: d_support(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlsParams {
    #[serde(default = "d_true")]
    pub enabled: bool,
    #[serde(default = "d_factors")]
    pub factors: usize,
    #[serde(default = "d_iterations")]
    pub iterations: usize,
    #[serde(default = "d_reg")]
    pub regularization: f64,
    #[serde(default = "d_alpha")]
    pub alpha: f64,
    #[serde(default = "d_lookback")]
    pub lookback_months: u32,
    #[serde(default = "d_seed")]
    pub seed: u64,
}
fn d_factors() -> usize {
    8
}
fn d_iterations() -> usize {
    10
}
fn d_reg() -> f64 {
    0.1
}
fn d_alpha() -> f64 {
    10.0
}
fn d_lookback() -> u32 {
    24
}
fn d_seed() -> u64 {
    42
}
impl Default for AlsParams {
    fn default() -> Self {
        AlsParams {
            enabled: true,
            factors: d_factors(),
            iterations: d_iterations(),
            regularization: d_reg(),
            alpha: d_alpha(),
            lookback_months: d_lookback(),
            seed: d_seed(),
        }
    }
}

/// `stages/features.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Rows: `expansion` (customers with a line on or before the cutoff) or `all` (every customer).
    #[serde(default = "d_mode")]
    pub population: Mode,
    #[serde(default = "d_windows")]
    pub windows_months: Vec<u32>,
    #[serde(default = "d_half_lives")]
    pub recency_half_lives_days: Vec<u32>,
    /// Prior strength, in lines, of the empirical-Bayes division shares.
    #[serde(default = "d_prior")]
    pub eb_prior_strength: f64,
    /// Gross-profit columns are capped at this quantile of the matrix.
    #[serde(default = "d_winsor")]
    pub winsor_upper_quantile: f64,
    #[serde(default = "d_key_skus")]
    pub key_skus: Vec<String>,
    #[serde(default = "d_top_ind")]
    pub industries_top_n: usize,
    #[serde(default = "d_top_sub")]
    pub sub_industries_top_n: usize,
    #[serde(default = "d_true")]
    pub interactions: bool,
    #[serde(default)]
    pub market_basket: BasketParams,
    #[serde(default)]
    pub als: AlsParams,
    /// The label window the `anniversary` family mirrors, one and two years back (0: off).
    /// Keep it equal to labels.yaml `window_months`.
    #[serde(default = "d_anniversary")]
    pub anniversary_window_months: u32,
}

fn d_anniversary() -> u32 {
    6
}

impl Params {
    pub fn check(&self) -> Result<(), String> {
        if self.windows_months.is_empty() || self.windows_months.iter().any(|&w| w == 0 || w > 120)
        {
            return Err("`windows_months` must list months between 1 and 120".into());
        }
        if self.recency_half_lives_days.contains(&0) {
            return Err("`recency_half_lives_days` must be positive".into());
        }
        if !(0.5..=1.0).contains(&self.winsor_upper_quantile) {
            return Err(format!(
                "`winsor_upper_quantile` must be in [0.5, 1], got {}",
                self.winsor_upper_quantile
            ));
        }
        // Each key SKU names its columns by `matrix::key`: two that normalise alike would collide.
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for name in &self.key_skus {
            if let Some(other) = seen.insert(matrix::key(name), name) {
                return Err(format!(
                    "`key_skus`: `{other}` and `{name}` would name the same feature columns (`sku__{}__*`); keep one",
                    matrix::key(name)
                ));
            }
        }
        if self.anniversary_window_months > 24 {
            return Err(format!(
                "`anniversary_window_months` must be 0 (off) to 24, got {}",
                self.anniversary_window_months
            ));
        }
        if self.eb_prior_strength < 0.0 {
            return Err("`eb_prior_strength` must be >= 0".into());
        }
        if self.als.enabled
            && (self.als.factors == 0 || self.als.factors > 64 || self.als.iterations == 0)
        {
            return Err("`als.factors` must be 1..=64 and `als.iterations` at least 1".into());
        }
        Ok(())
    }
}

/// What the families share.
pub struct Ctx<'a> {
    pub asof: &'a AsOf<'a>,
    /// Customer indices of the matrix rows, in id order.
    pub rows: Vec<usize>,
    pub cutoff: NaiveDate,
    /// The target division's index in the history (`None`: it has no sales at all).
    pub division: Option<u16>,
    /// Divisions that get cross-division columns: the SKU map's (static), else those with a line
    /// on or before the cutoff. Never derived from later data, so later lines cannot add columns.
    pub divisions: Vec<String>,
    pub params: &'a Params,
}

pub struct Features {
    pub frame: DataFrame,
    pub catalog: Vec<matrix::CatalogRow>,
    pub stats: Value,
    /// Earliest and latest event dates the families were handed.
    pub events: Option<(NaiveDate, NaiveDate)>,
}

pub fn build(
    h: &History,
    division: &str,
    cutoff: NaiveDate,
    p: &Params,
    divisions: Option<&[String]>,
) -> Result<Features, String> {
    build_with_caps(h, division, cutoff, p, divisions, None)
}

/// Training caps recorded by `train` (`winsor_caps.json`): the cap per column, and where from.
pub struct GivenCaps {
    pub caps: BTreeMap<String, f64>,
    pub source: String,
}

/// [`build`], with winsorisation caps `given` (a scoring matrix takes the training caps) instead
/// of this matrix's own quantiles.
pub fn build_with_caps(
    h: &History,
    division: &str,
    cutoff: NaiveDate,
    p: &Params,
    divisions: Option<&[String]>,
    given: Option<&GivenCaps>,
) -> Result<Features, String> {
    p.check()?;
    if let Some(known) = divisions {
        if !known.iter().any(|d| d == division) {
            return Err(format!(
                "unknown division `{division}`: the SKU map has {}",
                known.join(", ")
            ));
        }
    }
    let Some(first) = h.first_day else {
        return Err("the fact table is empty".into());
    };
    if history::day(cutoff) < first {
        return Err(format!("cutoff {cutoff} is before the first transaction ({}): no history to build features from", history::date(first)));
    }
    let asof = h.as_of(cutoff);
    let rows: Vec<usize> = (0..h.customers.len())
        // `all` adds the customers with no sale at all (a customer master's prospects), never
        // those whose first sale comes after the cutoff: their empty past would mark them, and
        // their first purchase is the label.
        .filter(|&i| {
            !asof.lines[i].is_empty() || (p.population == Mode::All && h.lines[i].is_empty())
        })
        .collect();
    let divisions: Vec<String> = match divisions {
        Some(d) => d.to_vec(),
        None => {
            let seen: std::collections::BTreeSet<u16> = asof
                .lines
                .iter()
                .flat_map(|l| l.iter().map(|t| t.division))
                .collect();
            seen.into_iter()
                .map(|i| h.divisions[i as usize].clone())
                .collect()
        }
    };
    let ctx = Ctx {
        asof: &asof,
        rows,
        cutoff,
        division: h.division_index(division),
        divisions,
        params: p,
    };
    let mut m = matrix::Matrix::new(ctx.rows.len());
    behaviour::add(&ctx, &mut m);
    let shares = crossdiv::add(&ctx, &mut m);
    anniversary::add(&ctx, &mut m);
    lifetime::add(&ctx, &mut m);
    lapse::add(&ctx, &mut m);
    let gp12: Vec<f64> = m
        .cols
        .iter()
        .find(|c| c.name == "rfm__all__gp_sum__12m")
        .map(|c| c.values.iter().map(|v| v.unwrap_or(0.0)).collect())
        .unwrap_or_else(|| vec![0.0; ctx.rows.len()]);
    let target = ctx.divisions.iter().position(|d| d == division);
    let div_share: Vec<f64> = shares
        .iter()
        .map(|s| target.map_or(0.0, |d| s[d]))
        .collect();
    industry::add(&ctx, &mut m, &gp12, &div_share);
    if p.market_basket.enabled {
        basket::add(&ctx, &mut m);
    }
    if p.als.enabled {
        als::add(&ctx, &mut m);
    }
    let caps = m.winsorise(p.winsor_upper_quantile, given.map(|g| &g.caps));
    let ids: Vec<&str> = ctx
        .rows
        .iter()
        .map(|&i| h.customers[i].id.as_str())
        .collect();
    let rows = ids.len();
    let (frame, catalog) = m.finish(&ids).map_err(|e| e.to_string())?;
    let events = match (asof.min_day, asof.max_day) {
        (Some(a), Some(b)) => Some((history::date(a), history::date(b))),
        _ => None,
    };
    let stats = json!({
        "division": division,
        "cutoff": cutoff.to_string(),
        "population": p.population,
        "rows": rows,
        "columns": frame.width(),
        "empty": rows == 0,
        "division_has_sales": ctx.division.is_some(),
        "max_event_date": events.map(|e| e.1.to_string()),
        // Whether a scoring cutoff is the log's end (validate's advice). Not the log's last
        // date itself: a month appended to the log moved it in every partition, so every
        // model retrained on byte-identical matrices.
        "cutoff_is_log_end": h.last_day.map(history::date) == Some(cutoff),
        "winsor_upper_quantile": p.winsor_upper_quantile,
        "anniversary_window_months": p.anniversary_window_months,
        "winsor_caps": caps,
        "winsor_caps_from": given.map_or("this matrix".to_string(), |g| g.source.clone()),
        "coverage": matrix::coverage_json(&catalog),
    });
    Ok(Features {
        frame,
        catalog,
        stats,
        events,
    })
}

/// Writes `features.parquet`, `feature_catalog.csv` and `feature_stats.json` (with the blake3 of
/// the Parquet file) into `dir`.
pub fn write(f: &mut Features, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let parquet = dir.join("features.parquet");
    super::etl::write::write_parquet(&mut f.frame, &parquet)?;
    let mut w =
        csv::Writer::from_path(dir.join("feature_catalog.csv")).map_err(|e| e.to_string())?;
    w.write_record(["name", "family", "dtype", "coverage", "description"])
        .map_err(|e| e.to_string())?;
    for c in &f.catalog {
        w.write_record([
            c.name.as_str(),
            c.family,
            c.dtype,
            &format!("{:.6}", c.coverage),
            &c.description,
        ])
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    let hash = crate::engine::hashcache::hash_file(&parquet).map_err(|e| e.to_string())?;
    f.stats["checksum"] = json!(format!("blake3:{hash}"));
    let mut text = serde_json::to_string_pretty(&f.stats).expect("json");
    text.push('\n');
    std::fs::write(dir.join("feature_stats.json"), text).map_err(|e| e.to_string())
}

/// With a `train` instance upstream (a scoring partition), the winsorisation caps its model was
/// fitted with, from its `winsor_caps.json`.
fn training_caps(ctx: &StageContext) -> Result<Option<GivenCaps>, StageError> {
    for (id, dirs) in ctx.upstream("train") {
        for dir in dirs {
            let path = dir.join("winsor_caps.json");
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let v: Value = serde_json::from_slice(&bytes)
                .map_err(|e| StageError::Data(format!("`{}`: {e}", path.display())))?;
            let caps: BTreeMap<String, f64> = serde_json::from_value(v["caps"].clone())
                .map_err(|e| StageError::Data(format!("`{}` caps: {e}", path.display())))?;
            return Ok(Some(GivenCaps {
                caps,
                source: format!("training ({id})"),
            }));
        }
    }
    Ok(None)
}

/// A `cutoff` partition value that means the last transaction date of the log (the scoring
/// default); `feature_stats.json` records the date it resolved to.
pub const LATEST: &str = "latest";

pub struct FeaturesStage;

impl Stage for FeaturesStage {
    // The SKU map's divisions (`map_divisions`), as the labels read them.
    fn inputs(&self) -> Option<&'static [&'static str]> {
        Some(&["sku_map", "sku_overrides"])
    }
    fn roles(&self) -> &'static [Role] {
        &[
            STAR,
            Role {
                name: "train",
                default_node: "train",
                required: false,
                about: "the division's model, whose winsorisation caps a scoring partition reuses",
                stages: &["train"],
            },
        ]
    }
    fn name(&self) -> &'static str {
        "features"
    }
    fn summary(&self) -> &'static str {
        "time-cutoff customer features per division and cutoff"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        p.check()
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let latest = ctx.partition("cutoff") == Some(LATEST);
        let h = History::load(&find_star(ctx)?).map_err(StageError::Data)?;
        let (division, cutoff) = if latest {
            // The scoring default: the last transaction date of the log.
            let division = partition_division(ctx)?;
            let last = h
                .last_day
                .map(history::date)
                .ok_or_else(|| StageError::Data("the fact table is empty".into()))?;
            ctx.record_resolved("cutoff", last.to_string());
            (division, last)
        } else {
            partition_cutoff(ctx)?
        };
        // A scoring date past the log's end reads the days between as days without a sale
        // (recency, lapse and window counts), and whatever was sold since is not there: a
        // tester's `score_cutoff` 75 days late ran with no word.
        if let Some(last) = h.last_day.map(history::date).filter(|&l| l < cutoff) {
            ctx.warn(format!(
                "{division} at {cutoff}: the cutoff is {} days after the log's last sale ({last}): features count those days as days without a purchase, and any sale since {last} is not in the log (`score_cutoff: latest` scores as of {last})",
                (cutoff - last).num_days()
            ));
        }
        let divisions = map_divisions(ctx)?;
        let given = training_caps(ctx)?;
        let mut f = build_with_caps(
            &h,
            &division,
            cutoff,
            &p,
            divisions.as_deref(),
            given.as_ref(),
        )
        .map_err(StageError::Data)?;
        if let Some((a, b)) = f.events {
            ctx.record_feature_events(&a.to_string(), &b.to_string());
        }
        if f.stats["empty"] == true {
            ctx.warn(format!("{division} at {cutoff}: no customer has history (flagged `empty` in feature_stats.json)"));
        }
        // A key SKU the log never sold (a typo, a retired product) is a column of zeros.
        let unknown: Vec<&str> = p
            .key_skus
            .iter()
            .filter(|s| h.sku_index(s).is_none())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            ctx.warn(format!(
                "`key_skus` names {} the log never sold ({}): their `sku__*` columns are all zero; check the names against stages/sku_map.csv",
                if unknown.len() == 1 { "a SKU" } else { "SKUs" },
                unknown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        write(&mut f, ctx.output_dir()?).map_err(StageError::Data)?;
        Ok(())
    }
}
