//! `gosales etl build-star`: the ETL stage outside the pipeline, driven by a config file.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use super::print_json;
use crate::engine::diagnostic::SourceFile;
use crate::engine::yaml;
use crate::stages::etl::{self, Inputs, Outputs, Params};
use crate::stages::parse_params;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct EtlArgs {
    #[command(subcommand)]
    pub command: EtlCommand,
}

#[derive(Debug, Subcommand)]
pub enum EtlCommand {
    /// Build fact_transactions and dim_customer from the wide sales log
    ///
    /// The config is stages/etl.yaml's params plus `paths: {sales_log: FILE, sku_map: FILE}`,
    /// optionally with `enrichment`, `sku_overrides`, and where to write `star`, `qa` and
    /// `staging` (default outputs/star, outputs/qa, outputs/staging). QA also gets
    /// `build_key.txt`: the hash of inputs, config and code a rebuild is skipped on.
    ///
    /// Exit codes: 0 built (or already up to date), 10 blocking contract violations (the curated
    /// tables were not published; QA was), 1 the build failed on its inputs (a SKU map naming
    /// a SKU twice, a log of no readable table: the message names the file and line), 3 bad
    /// config, 6 unreadable files.
    BuildStar(BuildStarArgs),
}

#[derive(Debug, Args)]
pub struct BuildStarArgs {
    /// ETL params (as stages/etl.yaml) plus a `paths:` section naming the files
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Rebuild even if the inputs, config and code are unchanged since the last build
    #[arg(long)]
    pub rebuild: bool,
    /// Stop after the typed staging Parquet (and its QA)
    #[arg(long)]
    pub staging_only: bool,
    /// Publish the curated tables despite blocking violations
    #[arg(long)]
    pub fail_soft: bool,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

fn hash_opt(p: &Option<PathBuf>) -> Result<String, Error> {
    match p {
        // A folder of a log's parts: the hash of its files' names and hashes.
        Some(p) if p.is_dir() => {
            let mut h = blake3::Hasher::new();
            for f in crate::stages::etl::parts::files(p).map_err(Error::Failed)? {
                let x = crate::engine::hashcache::hash_file(&f)
                    .map_err(|e| Error::io("cannot read", &f, e))?;
                h.update(crate::stages::etl::parts::part_name(p, &f).as_bytes());
                h.update(x.as_bytes());
            }
            Ok(h.finalize().to_hex().to_string())
        }
        Some(p) => {
            crate::engine::hashcache::hash_file(p).map_err(|e| Error::io("cannot read", p, e))
        }
        None => Ok(String::new()),
    }
}

/// Replaces `dest` with `src` (a directory), keeping the old one until the new is in place.
fn publish_dir(src: &Path, dest: &Path) -> Result<(), Error> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    }
    let trash = dest.with_extension("old-gosales");
    let _ = std::fs::remove_dir_all(&trash);
    if dest.exists() {
        std::fs::rename(dest, &trash).map_err(|e| Error::io("cannot move aside", dest, e))?;
    }
    std::fs::rename(src, dest).map_err(|e| Error::io("cannot publish", dest, e))?;
    let _ = std::fs::remove_dir_all(&trash);
    Ok(())
}

pub fn run(a: &EtlArgs) -> Result<ExitCode, Error> {
    let EtlCommand::BuildStar(a) = &a.command;
    let text = std::fs::read_to_string(&a.config)
        .map_err(|e| Error::io("cannot read config", &a.config, e))?;
    let file = SourceFile::new(a.config.display().to_string(), text);
    let doc = yaml::parse(&file)?;
    let mut params: Params = parse_params(&yaml::to_json(&doc)).map_err(|reason| {
        Error::from(file.error(
            file.pos(1, 1, 1),
            crate::engine::diagnostic::ErrorKind::InvalidParams {
                stage: "etl".into(),
                reason,
            },
        ))
    })?;
    params.fail_soft |= a.fail_soft;
    let Some(paths) = params.paths.clone() else {
        return Err(Error::usage(
            format!("`{}` has no `paths:` section", a.config.display()),
            Some("add `paths: {sales_log: ..., sku_map: ..., enrichment: ...}`".into()),
        ));
    };
    let started = std::time::Instant::now();
    // Up to date: same code, config and input bytes as the last build, outputs untouched.
    let key = blake3::hash(
        json!({
            "code": crate::stages::code_version("etl"),
            "params": serde_json::to_value(&params).unwrap_or_default(),
            "staging_only": a.staging_only,
            "sales_log": hash_opt(&Some(paths.sales_log.clone()))?,
            "enrichment": hash_opt(&paths.enrichment)?,
            "sku_map": hash_opt(&Some(paths.sku_map.clone()))?,
            "sku_overrides": hash_opt(&paths.sku_overrides)?,
        })
        .to_string()
        .as_bytes(),
    )
    .to_hex()
    .to_string();
    let key_file = paths.qa.join("build_key.txt");
    if !a.rebuild
        && std::fs::read_to_string(&key_file).is_ok_and(|k| k.trim() == key)
        && outputs_intact(&paths.qa)
    {
        if a.json {
            print_json(&json!({"status": "up_to_date", "qa": paths.qa}));
        }
        eprintln!("up to date: inputs, config and code unchanged since the last build (use --rebuild to force)");
        return Ok(ExitCode::Ok);
    }
    let tmp = |p: &Path| p.with_extension(format!("tmp-gosales-{}", std::process::id()));
    let out = Outputs {
        star: tmp(&paths.star),
        qa: tmp(&paths.qa),
        staging: tmp(&paths.staging),
    };
    let inputs = Inputs {
        sales_log: paths.sales_log.clone(),
        enrichment: paths.enrichment.clone(),
        sku_map: paths.sku_map.clone(),
        sku_overrides: paths.sku_overrides.clone(),
    };
    let result = etl::build(&params, &inputs, &out, a.staging_only);
    let report = match result {
        Ok(r) => r,
        Err(m) => {
            for d in [&out.star, &out.qa, &out.staging] {
                let _ = std::fs::remove_dir_all(d);
            }
            return Err(Error::Failed(format!("etl failed: {m}")));
        }
    };
    // QA and staging are always published; curated tables only when the build published them.
    // A blocked build records no key: run again, it blocks again (exit 10), never "up to date".
    if !report.blocked || params.fail_soft {
        std::fs::write(out.qa.join("build_key.txt"), format!("{key}\n"))
            .map_err(|e| Error::io("cannot write", &out.qa, e))?;
    }
    publish_dir(&out.qa, &paths.qa)?;
    publish_dir(&out.staging, &paths.staging)?;
    if report.published {
        publish_dir(&out.star, &paths.star)?;
    } else {
        let _ = std::fs::remove_dir_all(&out.star);
    }
    if a.json {
        print_json(&report);
    } else {
        let dropped: u64 = report.counts.dropped.values().sum();
        eprintln!(
            "{} in {:.2} s: {} raw rows, {} dropped ({}), {} fact lines, {} customers; {} violation rows in `{}`",
            if report.blocked && !params.fail_soft { "BLOCKED" } else { "built" },
            started.elapsed().as_secs_f64(),
            report.counts.raw_rows,
            dropped,
            report.counts.dropped.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
            report.fact_lines,
            report.customers,
            report.violations.values().sum::<u64>(),
            paths.qa.join("violations.csv").display()
        );
        // What a pipeline run prints as the instance's warnings (dropped sales, parts).
        for w in &report.part_warnings {
            eprintln!("warning: {w}");
        }
        if report.blocked {
            eprintln!(
                "blocking rules: {}{}; {}",
                report.blocking_rules.join(", "),
                report.first_blocking_note(),
                if params.fail_soft {
                    "published anyway (--fail-soft)"
                } else {
                    "curated tables NOT published; earlier ones are untouched"
                }
            );
        }
    }
    Ok(if report.blocked && !params.fail_soft {
        ExitCode::Contract
    } else {
        ExitCode::Ok
    })
}

/// Every file listed in the last build's `checksums.json` still has its recorded hash.
fn outputs_intact(qa: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(qa.join("checksums.json")) else {
        return false;
    };
    let Ok(sums) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text) else {
        return false;
    };
    let dirs = [
        qa.to_path_buf(),
        qa.with_file_name("star"),
        qa.with_file_name("staging"),
    ];
    sums.iter().all(|(name, h)| {
        dirs.iter()
            .map(|d| d.join(name))
            .find(|p| p.is_file())
            .is_some_and(|p| {
                crate::engine::hashcache::hash_file(&p)
                    .is_ok_and(|x| Some(format!("blake3:{x}").as_str()) == h.as_str())
            })
    })
}
