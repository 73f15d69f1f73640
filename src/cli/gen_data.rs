//! `gosales gen-data`: write the synthetic sales log, holdout and enrichment files.

use std::path::PathBuf;

use clap::Args;

use super::print_json;
use crate::stages::source::date;
use crate::synth::{self, GenConfig};
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct GenDataArgs {
    /// Number of customers
    #[arg(long, default_value_t = 5_000)]
    pub customers: usize,
    /// Random seed: the same seed and settings give byte-identical files
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// First date of the log (YYYY-MM-DD)
    #[arg(long, default_value = "2021-01-01")]
    pub start: String,
    /// Last date of the log (YYYY-MM-DD)
    #[arg(long, default_value = "2025-06-30")]
    pub end: String,
    /// Rows from this date on go to `Sales Log 2025 YTD.csv`
    #[arg(long, default_value = "2025-01-01")]
    pub holdout_start: String,
    /// Messiness: x10 of rows get alternative date/currency/id formats; x1/4 each get an
    /// unparseable date, a blank id, bad currency text, or an exact duplicate line
    #[arg(long, default_value_t = 0.01)]
    pub dirty_rate: f64,
    /// Output directory
    #[arg(long, default_value = "data/raw")]
    pub out: PathBuf,
    /// Also write the truth oracle to FILE: per customer and division, the probability of a
    /// purchase in the label window after `--cutoff`, given everything up to it (the mean over
    /// `--replays` replays of the generator after the cutoff), as `labels` defines a purchase
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
    /// The oracle's cutoff (a month end; the default pipeline's scoring cutoff)
    #[arg(long, default_value = "2024-12-31", requires = "truth")]
    pub cutoff: String,
    /// The oracle's label window, in months after the cutoff
    #[arg(long, default_value_t = 6, requires = "truth")]
    pub window_months: u32,
    /// A purchase is net window gross profit above this
    #[arg(long, default_value_t = 0.0, requires = "truth")]
    pub gp_min_threshold: f64,
    /// Independent replays of the future per customer. Monte Carlo noise lowers the AUC the
    /// probabilities score: 200 reads it up to 0.03 low in divisions of 1-3% prevalence;
    /// bench/quality.sh uses 2000
    #[arg(long, default_value_t = 200, requires = "truth")]
    pub replays: u64,
    /// Also write the history ceiling (column `p_history`): the probability of a purchase
    /// given only what each customer's sales history shows (its hidden engagement, size and
    /// churn inferred under the generator's law), the best any model of the log could score
    #[arg(long, requires = "truth")]
    pub history: bool,
    /// SKU -> division map (with `division_routes`), as the ETL uses it
    #[arg(long, default_value = "stages/sku_map.csv", requires = "truth")]
    pub sku_map: PathBuf,
    /// SKUs the labels leave out
    #[arg(
        long,
        default_value = "stages/label_denylist_skus.csv",
        requires = "truth"
    )]
    pub denylist: PathBuf,
    /// Print the summary as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &GenDataArgs) -> Result<ExitCode, Error> {
    let bad = |m: String| Error::usage(m, None);
    let cfg = GenConfig {
        customers: a.customers,
        seed: a.seed,
        start: date(&a.start, "--start").map_err(bad)?,
        end: date(&a.end, "--end").map_err(bad)?,
        holdout_start: date(&a.holdout_start, "--holdout-start").map_err(bad)?,
        dirty_rate: a.dirty_rate,
    };
    synth::check(&cfg).map_err(bad)?;
    let started = std::time::Instant::now();
    let s = synth::generate(&cfg, &a.out).map_err(Error::Failed)?;
    if let Some(path) = &a.truth {
        let cutoff = date(&a.cutoff, "--cutoff").map_err(bad)?;
        let denylist = a.denylist.is_file().then_some(a.denylist.as_path());
        let map = synth::truth::DivisionMap::load(&a.sku_map, denylist).map_err(bad)?;
        let t = std::time::Instant::now();
        let truth = synth::truth::oracle(
            &cfg,
            cutoff,
            a.window_months,
            a.gp_min_threshold,
            &map,
            a.replays.max(1),
            a.history,
        )
        .map_err(bad)?;
        synth::truth::write(&truth, path).map_err(Error::Failed)?;
        if !a.json {
            eprintln!(
                "wrote the truth oracle to `{}` in {:.1} s: {} customers, {} replays each, cutoff {cutoff}, {}-month window",
                path.display(),
                t.elapsed().as_secs_f64(),
                truth.len(),
                a.replays,
                a.window_months
            );
        }
    }
    if a.json {
        print_json(&s);
    } else {
        eprintln!(
            "wrote {} customers to `{}` in {:.1} s: {} sales-log rows ({}), {} holdout rows ({}), {} enrichment rows ({}); injected {} duplicate lines, {} bad dates, {} blank ids, {} bad currency values",
            s.customers,
            a.out.display(),
            started.elapsed().as_secs_f64(),
            s.sales_log_rows,
            synth::SALES_LOG,
            s.holdout_rows,
            synth::HOLDOUT,
            s.enrichment_rows,
            synth::ENRICHMENT,
            s.duplicate_lines,
            s.bad_dates,
            s.blank_ids,
            s.bad_currency
        );
    }
    Ok(ExitCode::Ok)
}
