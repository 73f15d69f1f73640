//! `gosales status`: fresh or stale, per instance, with reasons.

use clap::Args;
use serde_json::json;

use super::{print_json, Cli};
use crate::engine::hashcache::HashCache;
use crate::engine::select::select;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only these targets and what they need (repeatable)
    #[arg(short, long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Exit with code 1 if anything is stale (for scripts and CI)
    #[arg(long)]
    pub check: bool,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: &Cli, a: &StatusArgs) -> Result<ExitCode, Error> {
    let s = super::session(cli)?;
    let selection = select(&s.graph, &a.targets, false)?;
    let lock = s.lock()?;
    // A log `run` would refuse (an edited record) is refused here too: a CI gate on
    // `status --check` passed a tampered log.
    crate::engine::runlog::RunLog::check(&s.ws)?;
    let mut cache = HashCache::load(&s.ws);
    let mut planner = s.planner(&lock, &mut cache);
    let plan = planner.plan(&selection, &Default::default())?;
    let _ = cache.save(&s.ws);
    let stale = plan.iter().filter(|(_, v)| !v.is_fresh()).count();
    // Why a stale instance is still stale, when its last attempt failed; and, for a fresh one
    // whose last attempt failed (a forced rebuild, a worker that refused), that the outputs on
    // record are an earlier build's. The next `run` that finds it fresh forgets the failure.
    let failures = crate::engine::failures::load(&s.ws);
    let failed = |id: &str| failures.get(id);
    let orphans = crate::engine::orphans::find(&s.ws, &s.graph)?;
    let known = |n: &str| s.graph.instances.iter().any(|i| i.node == n);
    if let Some(lost) = crate::engine::audit::lost_history(&s.ws, &lock, known) {
        eprintln!("warning   {}", lost.message());
    }
    if a.json {
        print_json(&json!({
            "fresh": plan.len() - stale,
            "stale": stale,
            "orphans": orphans,
            "instances": plan.iter().map(|(i, v)| {
                let inst = &s.graph.instances[*i];
                json!({
                    "instance": inst.id,
                    "node": inst.node,
                    "partition": inst.partition.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                    "state": if v.is_fresh() { "fresh" } else { "stale" },
                    "reasons": v.reasons,
                    "last_failure": failed(&inst.id),
                })
            }).collect::<Vec<_>>(),
        }));
    } else {
        let width = plan
            .iter()
            .map(|(i, _)| s.graph.instances[*i].id.len())
            .max()
            .unwrap_or(8)
            .max(8);
        let last_failed = |f: &crate::engine::failures::Failure| {
            let error = f.error.as_deref().unwrap_or("failed");
            let error = shorten(error, 160);
            format!(
                "its last run ({}) failed: {error}{}",
                f.run_id,
                f.log
                    .as_deref()
                    .map(|l| format!(" (log: {l})"))
                    .unwrap_or_default()
            )
        };
        for (i, v) in &plan {
            let id = &s.graph.instances[*i].id;
            if v.is_fresh() {
                match failed(id) {
                    Some(f) => println!(
                        "{id:<width$}  fresh  ({}; the outputs on record are from its last good build)",
                        last_failed(f)
                    ),
                    None => println!("{id:<width$}  fresh"),
                }
            } else {
                let mut reasons: Vec<String> = v.reasons.iter().map(ToString::to_string).collect();
                reasons.extend(failed(id).map(last_failed));
                println!("{id:<width$}  stale  {}", reasons.join("; "));
            }
        }
        // The counts close the report (`status 2>&1 | tail -1` reads them), after any orphans.
        if let Some(first) = orphans.first() {
            let more = match orphans.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            eprintln!(
                "{} orphaned output file(s), published for nodes, partitions or paths no longer in the manifest: {first}{more}; `gosales clean` removes them",
                orphans.len()
            );
        }
        eprintln!("{} fresh, {} stale", plan.len() - stale, stale);
    }
    Ok(if a.check && stale > 0 {
        ExitCode::Failed
    } else {
        ExitCode::Ok
    })
}

/// `error` cut to about `chars` characters for a status line (`--json` has it whole), never
/// inside a `path`: a tester's line ended "kept in `cache/fa...", the one thing it had to say.
fn shorten(error: &str, chars: usize) -> String {
    let Some((i, _)) = error.char_indices().nth(chars) else {
        return error.to_string();
    };
    let end = match error[..i].matches('`').count() % 2 {
        1 => error[i..].find('`').map_or(error.len(), |k| i + k + 1),
        _ => i,
    };
    if end == error.len() {
        error.to_string()
    } else {
        format!("{}...", &error[..end])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cut_failure_keeps_its_paths_whole() {
        let e = "exit 1: cannot write (what it wrote is kept in `cache/failed/x/y.csv`) and more";
        assert_eq!(
            super::shorten(e, 52),
            "exit 1: cannot write (what it wrote is kept in `cache/failed/x/y.csv`..."
        );
        assert_eq!(super::shorten(e, 20), "exit 1: cannot write...");
        assert_eq!(super::shorten(e, 500), e);
        // A path running to the end is kept whole, with nothing cut.
        assert_eq!(super::shorten("in `a/b/c`", 5), "in `a/b/c`");
    }
}
