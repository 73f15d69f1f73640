//! `gosales init`: a working workspace for a user's own sales log, in one step.
//!
//! [`profile`] reads the log (which column is which, the GP/Qty pairs, each product's likely
//! division, the dates); [`choose`] picks the label window and cutoffs from the dates; this
//! module turns both into `pipeline.yaml`, `stages/*.yaml`, a proposed `stages/sku_map.csv` and
//! an empty denylist. Nothing is written until every file is ready, and nothing that exists is
//! replaced without `force`.

pub mod choose;
pub mod profile;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::stages::etl::layout::Aliases;
use crate::stages::etl::parse::DateOrder;
use crate::stages::etl::skumap;

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub dir: PathBuf,
    pub sales_log: PathBuf,
    pub holdout: Option<PathBuf>,
    pub enrichment: Option<PathBuf>,
    pub sku_map: Option<PathBuf>,
    pub window_months: Option<u32>,
}

/// One proposed SKU map line.
#[derive(Debug, Clone, Serialize)]
pub struct SkuLine {
    pub gp_column: String,
    pub qty_column: String,
    pub division: String,
    pub rows: u64,
}

/// Everything `init` decided, and the files that say it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub log: profile::Profile,
    pub holdout: Option<profile::Profile>,
    pub choice: choose::Choice,
    /// `None` when the user gave the map.
    pub proposed_skus: Option<Vec<SkuLine>>,
    pub division_rule: String,
    pub divisions: Vec<String>,
    pub key_skus: Vec<String>,
    /// Notes for the user (holdout columns missing, a weak division guess, ...).
    pub notes: Vec<String>,
    /// (path relative to the workspace, contents).
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

fn q(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).expect("string")
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// `file` as the manifest should name it: relative when it lies inside `dir`, else absolute.
fn manifest_path(dir: &Path, file: &Path) -> Result<String, String> {
    let abs = std::fs::canonicalize(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let p = abs
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(abs);
    Ok(p.to_string_lossy().replace('\\', "/"))
}

/// Profiles the files and decides; writes nothing.
pub fn plan(req: &Request) -> Result<Plan, String> {
    let given_map = match &req.sku_map {
        Some(p) => Some(skumap::load(p, None)?),
        None => None,
    };
    let mut log = profile::profile(&req.sales_log, given_map.as_deref())?;
    let mut notes = Vec::new();
    // The holdout is read with the log's products, so its pairs are the same SKUs.
    let holdout = match &req.holdout {
        Some(h) => {
            let as_map: Vec<skumap::Sku> = log
                .products
                .iter()
                .map(|p| skumap::Sku {
                    gp_column: p.gp_column.clone(),
                    qty_column: p.qty_column.clone(),
                    division: String::new(),
                    family: String::new(),
                    sale_type: String::new(),
                    routes: Default::default(),
                })
                .collect();
            let hp = profile::profile(h, Some(&as_map))?;
            // A long log's products are values, not columns: the holdout need not name them all.
            let wide = log.shape == profile::Shape::Wide;
            let missing: Vec<&str> = log
                .products
                .iter()
                .filter(|p| wide && !hp.header.contains(&p.gp_column))
                .map(|p| p.gp_column.as_str())
                .collect();
            if !missing.is_empty() {
                notes.push(format!(
                    "the holdout has no column for {} of the log's products ({}): they read as zero there",
                    missing.len(),
                    missing.iter().take(5).map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            // The log's dates may not tell (ISO): one stage params file reads both, so the
            // holdout's day-first dates decide.
            if log.date_order_evidence.0 == 0
                && hp.date_order == DateOrder::Dmy
                && hp.date_order_evidence.0 > 0
            {
                log.date_order = DateOrder::Dmy;
                log.date_order_evidence = hp.date_order_evidence;
                notes.push(
                    "the log's dates do not say which comes first, day or month; the holdout's read day first, so both are read day first (stages/etl.yaml `date_order`)".to_string(),
                );
            }
            if hp.date_order != log.date_order && hp.date_order_evidence.0 > 0 {
                notes.push(format!(
                    "the holdout's dates read {} but the log's {}: both are loaded as the log's (stages/etl.yaml `date_order`)",
                    date_order_rule(&hp),
                    date_order_rule(&log)
                ));
            }
            if hp.first_date <= log.last_date {
                notes.push(format!(
                    "the holdout starts {} but the sales log runs to {}: validation labels count holdout rows after {} only",
                    hp.first_date, log.last_date, log.last_date
                ));
            }
            Some(hp)
        }
        None => None,
    };
    if log.exact_duplicates > 0 {
        notes.push(if log.columns.line_id.is_some() {
            format!(
                "{} rows repeat an earlier row byte for byte, line id included: they are dropped as export duplicates",
                log.exact_duplicates
            )
        } else {
            format!(
                "{} rows repeat an earlier row byte for byte: they are dropped as export duplicates; if your invoices list one item on several identical lines, set `exact_duplicates: keep` in stages/etl.yaml",
                log.exact_duplicates
            )
        });
    }
    let choice = choose::choose(&log, holdout.as_ref(), req.window_months)?;
    for w in choice.windows.iter().filter(|w| w.sparse) {
        notes.push(format!(
            "the label window ({}, {}] holds only {} rows, well under the log's average: check for a gap in the data",
            w.cutoff, w.end, w.rows
        ));
    }

    let (sku_csv, proposed, division_rule) = match (&req.sku_map, &given_map) {
        (Some(path), Some(_)) => (
            std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
            None,
            format!("as given in `{}`", path.display()),
        ),
        _ => {
            let rule = match &log.columns.division {
                Some(col) => format!("the `{col}` value on most of the product's rows"),
                None => "no division column: each product is its own division (group them by editing the `division` column)".to_string(),
            };
            let lines: Vec<SkuLine> = log
                .products
                .iter()
                .map(|p| {
                    let division = match &p.majority_division {
                        Some((d, share)) => {
                            if *share < 0.5 {
                                notes.push(format!(
                                    "`{}`: only {:.0}% of its rows are in `{d}`: check its division in stages/sku_map.csv",
                                    p.gp_column,
                                    share * 100.0
                                ));
                            }
                            d.clone()
                        }
                        None => {
                            if p.rows == 0 {
                                notes.push(format!(
                                    "`{}` has no sales in the log: it is its own division, whose model is skipped until it has buyers; give it its real division in stages/sku_map.csv",
                                    p.gp_column
                                ));
                            } else if log.columns.division.is_some() {
                                notes.push(format!(
                                    "`{}` has no sales with a division value: it is its own division",
                                    p.gp_column
                                ));
                            }
                            p.gp_column.clone()
                        }
                    };
                    SkuLine {
                        gp_column: p.gp_column.clone(),
                        qty_column: p.qty_column.clone(),
                        division,
                        rows: p.rows,
                    }
                })
                .collect();
            let mut w = csv::Writer::from_writer(Vec::new());
            let io = |e: csv::Error| e.to_string();
            w.write_record([
                "gp_column",
                "qty_column",
                "division",
                "family",
                "sale_type",
                "division_routes",
            ])
            .map_err(io)?;
            for l in &lines {
                w.write_record([
                    &l.gp_column,
                    &l.qty_column,
                    &l.division,
                    &l.division,
                    "",
                    "",
                ])
                .map_err(io)?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            (bytes, Some(lines), rule)
        }
    };
    let divisions = match (&given_map, &proposed) {
        (Some(skus), _) => skumap::divisions(skus),
        (None, Some(lines)) => {
            let mut d: Vec<String> = lines.iter().map(|l| l.division.clone()).collect();
            d.sort();
            d.dedup();
            d
        }
        (None, None) => Vec::new(),
    };
    let mut by_rows: Vec<&profile::Product> = log.products.iter().filter(|p| p.rows > 0).collect();
    by_rows.sort_by(|a, b| {
        b.rows
            .cmp(&a.rows)
            .then_with(|| a.gp_column.cmp(&b.gp_column))
    });
    // Fifteen whose feature columns differ: `Cable 1m` and `Cable-1m` would name the same ones.
    let mut keys = std::collections::BTreeSet::new();
    let key_skus: Vec<String> = by_rows
        .iter()
        .filter(|p| keys.insert(crate::stages::features::matrix::key(&p.gp_column)))
        .take(15)
        .map(|p| p.gp_column.clone())
        .collect();

    if proposed.is_some() && divisions.len() > 50 {
        notes.push(format!(
            "{} divisions: each trains its own models and scores every customer; group products into fewer divisions in stages/sku_map.csv (`division`)",
            divisions.len()
        ));
    }
    let mut plan = Plan {
        log,
        holdout,
        choice,
        proposed_skus: proposed,
        division_rule,
        divisions,
        key_skus,
        notes,
        files: Vec::new(),
    };
    plan.files = render(req, &plan, sku_csv)?;
    Ok(plan)
}

/// Why the log's dates are read day- or month-first, in words.
pub fn date_order_rule(log: &profile::Profile) -> String {
    let (only, ambiguous) = log.date_order_evidence;
    match log.date_order {
        DateOrder::Dmy => format!(
            "day first (D/M/YYYY): {only} sampled dates read only that way, none only month first"
        ),
        DateOrder::Mdy if only > 0 => format!(
            "month first (M/D/YYYY): {only} sampled dates read only that way"
        ),
        DateOrder::Mdy if ambiguous > 0 => format!(
            "month first (M/D/YYYY), the default: no sampled date tells ({ambiguous} read as two different days, such as 05/06/2024)"
        ),
        DateOrder::Mdy => "year first (ISO) or dotted: nothing to choose".to_string(),
    }
}

fn aliases_yaml(plan: &Plan) -> String {
    let d = Aliases::default();
    let mut out = String::new();
    let entry = |name: &str, found: Vec<Option<&String>>, defaults: &[String]| {
        let mut v: Vec<String> = Vec::new();
        for s in found.into_iter().flatten().chain(defaults) {
            if !v.contains(s) {
                v.push(s.clone());
            }
        }
        format!("  {name}: {}\n", list(&v))
    };
    let cols = |f: fn(&profile::Columns) -> Option<&String>| -> Vec<Option<&String>> {
        std::iter::once(f(&plan.log.columns))
            .chain(plan.holdout.iter().map(|h| f(&h.columns)))
            .collect()
    };
    out += &entry(
        "customer_id",
        cols(|c| Some(&c.customer_id)),
        &d.customer_id,
    );
    out += &entry("order_date", cols(|c| Some(&c.order_date)), &d.order_date);
    out += &entry("division", cols(|c| c.division.as_ref()), &d.division);
    out += &entry(
        "customer_name",
        cols(|c| c.customer_name.as_ref()),
        &d.customer_name,
    );
    out += &entry("invoice_id", cols(|c| c.invoice_id.as_ref()), &d.invoice_id);
    out += &entry("line_id", cols(|c| c.line_id.as_ref()), &d.line_id);
    if plan.log.shape == profile::Shape::Long {
        out += &entry("product", cols(|c| c.product.as_ref()), &d.product);
        out += &entry(
            "gross_profit",
            cols(|c| c.gross_profit.as_ref()),
            &d.gross_profit,
        );
        out += &entry("quantity", cols(|c| c.quantity.as_ref()), &d.quantity);
    }
    out
}

fn render(req: &Request, plan: &Plan, sku_csv: Vec<u8>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let c = &plan.choice;
    let log_name = plan
        .log
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut inputs = vec![format!(
        "sales_log: {}",
        q(&manifest_path(&req.dir, &req.sales_log)?)
    )];
    if let Some(h) = &req.holdout {
        inputs.push(format!("holdout: {}", q(&manifest_path(&req.dir, h)?)));
    }
    if let Some(e) = &req.enrichment {
        inputs.push(format!("enrichment: {}", q(&manifest_path(&req.dir, e)?)));
    }
    let cutoffs: Vec<String> = c.windows.iter().map(|w| w.cutoff.to_string()).collect();
    let has_holdout = req.holdout.is_some();
    let mut pipeline = format!(
        r#"# Written by `gosales init` for {log}. `gosales dag` draws this graph; README.md,
# "The manifest", documents every key. Paths are relative to this file.
version: 1

vars:
  # One partition per division of the SKU map: adding a division is a one-line CSV edit.
  divisions: {{from_csv: stages/sku_map.csv, column: division}}
  # Training cutoffs (month-ends): {rule}.
  cutoffs: {cutoffs}
  # Features at this cutoff are scored. `latest` is the last date of the sales log
  # ({latest} when init ran); a date (YYYY-MM-DD) scores as of another day.
  score_cutoff: latest

nodes:
  sales_log:
    desc: your sales log{and_more}
    stage: source
    params: stages/source.yaml
    inputs: {{{inputs}}}

  star:
    desc: phase 0, the star schema (fact_transactions, dim_customer) with contracts and QA
    stage: etl
    needs: [sales_log]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: stages/etl.yaml
    outputs: {{star: outputs/star, qa: outputs/qa, staging: outputs/staging}}
"#,
        log = q(&log_name),
        rule = c.rule,
        cutoffs = list(&cutoffs),
        latest = c.score_cutoff,
        and_more = match (has_holdout, req.enrichment.is_some()) {
            (true, true) => ", holdout and industry enrichment",
            (true, false) => " and holdout",
            (false, true) => " and industry enrichment",
            (false, false) => "",
        },
        inputs = inputs.join(", "),
    );
    if has_holdout {
        pipeline += r#"
  holdout_star:
    desc: the holdout log through the same ETL, for validation labels
    stage: etl
    needs: [sales_log]
    inputs: {sku_map: stages/sku_map.csv}
    # The training ETL's settings; only the file to load differs.
    params: {extends: stages/etl.yaml, log: holdout}
    outputs: {star: outputs/holdout/star, qa: outputs/holdout/qa, staging: outputs/holdout/staging}
"#;
    }
    pipeline += r#"
  labels:
    desc: phase 1, who bought in the division in the window after each cutoff
    stage: labels
    needs: [star]
    foreach: {division: $divisions, cutoff: $cutoffs}
    inputs: {sku_map: stages/sku_map.csv, denylist: stages/label_denylist_skus.csv}
    params: stages/labels.yaml

  features:
    desc: phase 2, customer features as of each cutoff
    stage: features
    needs: [star]
    foreach: {division: $divisions, cutoff: $cutoffs}
    inputs: {sku_map: stages/sku_map.csv}
    params: stages/features.yaml

  train:
    desc: phase 3, one model per division across the cutoffs, validated and calibrated out of time
    stage: train
    needs: ["features@{division}", "labels@{division}"]
    foreach: {division: $divisions}
    params: stages/models.yaml

  features_score:
    desc: features at the scoring cutoff, winsorised at the caps the division's model was trained with
    stage: features
    needs: [star, "train@{division}"]
    foreach: {division: $divisions, cutoff: $score_cutoff}
    inputs: {sku_map: stages/sku_map.csv}
    params: stages/features.yaml
"#;
    if has_holdout {
        pipeline += r#"
  validate:
    desc: holdout validation of each division's model, with the label definition it was trained on
    stage: validate
    needs: ["train@{division}", "features_score@{division}", holdout_star]
    foreach: {division: $divisions}
    params: stages/validate.yaml
"#;
    }
    pipeline += r#"
  score:
    desc: ICP scores per customer and division at the scoring cutoff
    stage: score
    needs: [train, features_score, star]
    params: stages/score.yaml
    outputs: {dir: outputs/scores}

  whitespace:
    desc: ranked cross-sell opportunities, the pipeline's end product
    stage: whitespace
    needs: [score, features_score, star]
    params: stages/whitespace.yaml
    outputs: {csv: outputs/whitespace.csv, summary: outputs/whitespace_summary.json}
"#;
    let source = "# Your files, named in pipeline.yaml (node `sales_log`, `inputs`). They are copied into\n\
                  # outputs/sales_log under their own names; an edit to one reruns what depends on it.\n\
                  kind: csv\n";
    let etl = format!(
        "# Phase 0 (ETL) params, written by `gosales init` for {log}.\n\
         # Headers accepted for each canonical column, first match wins (yours first).\n\
         aliases:\n{aliases}\
         # Rows dated outside [date_min, date_max] are dropped and reported (null: no bound).\n\
         # Set bounds to catch mistyped years.\n\
         date_min: null\n\
         date_max: null\n\
         # Numeric dates: `mdy` (6/30/2024) or `dmy` (30/06/2024); init read {order}.\n\
         date_order: {order_key}\n\
         # The log's layout: wide (a GP and a Qty column per product) or long (one row per line).\n\
         shape: {shape}\n\
         # Above this share of unparseable dates the build is blocked.\n\
         max_bad_date_share: 0.05\n\
         # Fuzzy industry match: minimum normalised Levenshtein similarity (null turns it off).\n\
         fuzzy_threshold: 0.9\n\
         # Fields longer than this are read as empty and reported.\n\
         max_field_bytes: 1048576\n\
         # A line repeating an earlier one byte for byte: drop (an export duplicate, counted)\n\
         # or keep (invoices that list one item on several identical lines, no line-id column).\n\
         exact_duplicates: drop\n\
         # Publish curated tables despite blocking violations.\n\
         fail_soft: false\n",
        log = q(&log_name),
        aliases = aliases_yaml(plan),
        order = date_order_rule(&plan.log),
        shape = match plan.log.shape {
            profile::Shape::Long => "long",
            _ => "wide",
        },
        order_key = plan.log.date_order.key(),
    );
    let labels = format!(
        "# Phase 1: labels. One definition for training, validation and holdout (validation reads it\n\
         # from the trained model): positive when the net gross profit in the division (denylisted\n\
         # SKUs removed) in (cutoff, cutoff + window_months] is above gp_min_threshold.\n\
         # window_months: {rule}.\n\
         window_months: {w}\n\
         # expansion: customers with a line on or before the cutoff; all: every customer.\n\
         mode: expansion\n\
         gp_min_threshold: 0.0\n",
        rule = c.rule,
        w = c.window_months,
    );
    let features = format!(
        "# Phase 2: time-cutoff features. Every window ends at the cutoff (no calendar years).\n\
         population: expansion          # must match labels.yaml `mode`\n\
         windows_months: [3, 6, 12, 24]\n\
         recency_half_lives_days: [30, 90, 180]\n\
         eb_prior_strength: 5.0         # prior, in lines, of the smoothed division shares\n\
         winsor_upper_quantile: 0.99    # gross-profit columns are capped here; caps go to feature_stats.json\n\
         # Per-SKU features for these (init: the {n} products with the most rows).\n\
         key_skus: {skus}\n\
         industries_top_n: 10\n\
         sub_industries_top_n: 15\n\
         interactions: true\n\
         anniversary_window_months: {w}   # = labels.yaml window_months\n\
         market_basket: {{enabled: true, lag_days: 0, min_support: 10}}\n\
         als: {{enabled: true, factors: 8, iterations: 10, regularization: 0.1, alpha: 10.0,\n      lookback_months: 24, seed: 42}}\n",
        n = plan.key_skus.len(),
        skus = list(&plan.key_skus),
        w = c.window_months,
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("pipeline.yaml".into(), pipeline.into_bytes()),
        ("stages/source.yaml".into(), source.as_bytes().to_vec()),
        ("stages/etl.yaml".into(), etl.into_bytes()),
        ("stages/labels.yaml".into(), labels.into_bytes()),
        ("stages/features.yaml".into(), features.into_bytes()),
        (
            "stages/models.yaml".into(),
            include_bytes!("../../stages/models.yaml").to_vec(),
        ),
        (
            "stages/score.yaml".into(),
            include_bytes!("../../stages/score.yaml").to_vec(),
        ),
        (
            "stages/whitespace.yaml".into(),
            include_bytes!("../../stages/whitespace.yaml").to_vec(),
        ),
        ("stages/sku_map.csv".into(), sku_csv),
        (
            "stages/label_denylist_skus.csv".into(),
            b"sku,reason\n".to_vec(),
        ),
    ];
    if has_holdout {
        files.push((
            "stages/validate.yaml".into(),
            include_bytes!("../../stages/validate.yaml").to_vec(),
        ));
    }
    Ok(files)
}

/// Writes the plan's files under `dir`. Without `force`, refuses (writing nothing) when any of
/// them exists. Each file is written to a temporary name and renamed into place.
pub fn write(plan: &Plan, dir: &Path, force: bool) -> Result<Vec<String>, WriteError> {
    let existing: Vec<String> = plan
        .files
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| rel.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(WriteError::Exists(existing));
    }
    for (rel, bytes) in &plan.files {
        let path = dir.join(rel);
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        let tmp = parent.join(format!(
            ".{}.init-tmp",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        std::fs::write(&tmp, bytes).map_err(|e| WriteError::Io(tmp.clone(), e))?;
        std::fs::rename(&tmp, &path).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    Ok(existing)
}

#[derive(Debug)]
pub enum WriteError {
    /// These files exist and `force` was not given.
    Exists(Vec<String>),
    Io(PathBuf, std::io::Error),
}
