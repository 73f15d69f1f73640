//! `gosales explain <instance>`: what the fingerprint is made of, and why it is stale.

use crate::engine::runlog::LogLine;
use clap::Args;
use serde_json::json;

use super::{print_json, Cli};
use crate::engine::entry::Entry;
use crate::engine::fingerprint::{ActionRecord, StaleReason};
use crate::engine::hashcache::HashCache;
use crate::engine::scheduler::Status;
use crate::engine::select::select;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The instance, e.g. `features@Solidworks@2024-06-30`
    pub instance: String,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// The run log's record of the last successful build of `id`.
fn last_built<'r>(
    records: &'r [LogLine],
    id: &str,
) -> Option<&'r crate::engine::entry::InstanceEntry> {
    records.iter().rev().find_map(|(_, _, e)| match e {
        Entry::Instance(i) if i.instance == id && i.status == Status::Built => Some(&**i),
        _ => None,
    })
}

/// Which part of a stage's code version moved since the run that built `id`: the build of its
/// sources or the runtime libraries, from the program that run recorded (`None` when the
/// log holds no such record: a run killed before its record, or one older than the field).
fn code_change_cause(records: &[LogLine], id: &str, stage: &str) -> Option<String> {
    let built_in = records.iter().rev().find_map(|(_, _, e)| match e {
        Entry::Instance(i) if i.instance == id && i.status == Status::Built => {
            Some(i.stamp.run_id.clone())
        }
        _ => None,
    })?;
    let then = records.iter().find_map(|(_, _, e)| match e {
        Entry::Run(r) if r.stamp.run_id == built_in && !r.program.is_empty() => {
            Some(r.program.clone())
        }
        _ => None,
    })?;
    let now = crate::engine::StageCatalog::identity(&crate::stages::Catalog);
    let key = format!("code.{stage}");
    let mut parts = Vec::new();
    if then.get(&key) != now.get(&key) {
        parts.push(format!(
            "its sources' build changed ({} => {})",
            then.get(&key).map_or("?", String::as_str),
            now.get(&key).map_or("?", String::as_str)
        ));
    }
    if then.get("runtime") != now.get("runtime") {
        let libs = |m: &std::collections::BTreeMap<String, String>| -> Vec<String> {
            m.get("runtime")
                .map_or("", String::as_str)
                .split("; ")
                .map(str::to_string)
                .collect()
        };
        let (was, is) = (libs(&then), libs(&now));
        let gone: Vec<&str> = was
            .iter()
            .filter(|p| !is.contains(p))
            .map(String::as_str)
            .collect();
        let new: Vec<&str> = is
            .iter()
            .filter(|p| !was.contains(p))
            .map(String::as_str)
            .collect();
        parts.push(format!(
            "the runtime libraries changed ({} => {})",
            gone.join(", "),
            new.join(", ")
        ));
    }
    if then.get("gosales") != now.get("gosales") {
        parts.push(format!(
            "gosales {} => {}",
            then.get("gosales").map_or("?", String::as_str),
            now.get("gosales").map_or("?", String::as_str)
        ));
    }
    Some(if parts.is_empty() {
        "(the program recorded by the run that built it matches this one)".to_string()
    } else {
        format!("cause: {}", parts.join("; "))
    })
}

fn short(h: &str) -> &str {
    &h[..h.len().min(16)]
}

pub fn run(cli: &Cli, a: &ExplainArgs) -> Result<ExitCode, Error> {
    let s = super::session(cli)?;
    let i = super::one_instance(&s, &a.instance, "explain")?;
    let selection = select(&s.graph, std::slice::from_ref(&a.instance), false)?;
    let lock = s.lock()?;
    let mut cache = HashCache::load(&s.ws);
    let mut planner = s.planner(&lock, &mut cache);
    let mut plan: std::collections::HashMap<usize, _> = planner
        .plan(&selection, &Default::default())?
        .into_iter()
        .collect();
    // Never built, but every upstream is built and fresh (or there is none): what its first
    // build's fingerprint would be made of is known, and an auditor asks it before the run (it
    // was `fingerprint: null` for the source, whose params and code are all known). A stale
    // upstream would be rebuilt first, its outputs unknown until then.
    let fresh_upstream = s.graph.instances[i]
        .deps
        .iter()
        .all(|d| plan.get(d).is_some_and(|v| v.is_fresh()));
    let mut verdict = plan.remove(&i).expect("instance in its own selection");
    if verdict.current.is_none() && fresh_upstream {
        let built = |d: usize| {
            lock.instances
                .get(&s.graph.instances[d].id)
                .map(|e| e.outputs.clone())
        };
        verdict.current = Some(planner.current(i, &built)?);
    }
    let _ = cache.save(&s.ws);
    let inst = &s.graph.instances[i];
    let entry = lock.instances.get(&inst.id);
    // The run log, read once: its records say why code changed and what a build warned of. A
    // log edited or unreadable is corrupt state, as for `status` and `run` (exit 4; it exited 0).
    crate::engine::runlog::RunLog::check(&s.ws)?;
    let (records, _) = crate::engine::runlog::verify(&s.ws)?;
    // Its last successful build's record: what it warned of, what it resolved.
    let last = entry.and_then(|_| last_built(&records, &inst.id));
    let warnings: &[String] = last.map_or(&[], |b| &b.warnings);
    if a.json {
        print_json(&json!({
            "instance": inst.id,
            "node": inst.node,
            "state": if verdict.is_fresh() { "fresh" } else { "stale" },
            "reasons": verdict.reasons,
            "fingerprint": verdict.current.as_ref().map(|c| c.fingerprint()),
            "recorded_fingerprint": entry.map(|e| &e.fingerprint),
            "current": verdict.current,
            "outputs": entry.map(|e| &e.outputs),
            "warnings": entry.map(|_| warnings),
            "resolved": last.map(|b| &b.resolved),
        }));
        return Ok(ExitCode::Ok);
    }
    if verdict.is_fresh() {
        println!("{}: fresh", inst.id);
    } else {
        println!("{}: stale", inst.id);
        for r in &verdict.reasons {
            println!("  - {r}");
            if let StaleReason::CodeChanged { stage, .. } = r {
                if let Some(why) = code_change_cause(&records, &inst.id, stage) {
                    println!("    {why}");
                }
            }
        }
    }
    if let Some(c) = &verdict.current {
        match entry {
            Some(e) => println!(
                "\nfingerprint {} (recorded {})",
                short(&c.fingerprint()),
                short(&e.fingerprint)
            ),
            None => println!(
                "\nnever built: its first build's fingerprint would be {}",
                short(&c.fingerprint())
            ),
        }
        match &c.action {
            ActionRecord::Stage { name, code } => println!("  stage     {name} (code {code})"),
            ActionRecord::Cmd { cmd, tools, env } => {
                println!("  cmd       {cmd}");
                for (tool, hash) in tools {
                    println!("  runs      {tool} ({})", short(hash));
                }
                // The value's hash only: a variable may hold a secret.
                for (var, hash) in env {
                    match hash.as_str() {
                        crate::engine::tools::env::UNSET => println!("  reads     ${var} (unset)"),
                        h => println!("  reads     ${var} (value {})", short(h)),
                    }
                }
            }
        }
        for (k, v) in &c.partition {
            // A value named by a rule (`latest`) is shown with what its last build took it to be.
            match last.and_then(|b| b.resolved.get(k)).filter(|r| *r != v) {
                Some(r) => println!("  partition {k} = {v} (resolved to {r} at its last build)"),
                None => println!("  partition {k} = {v}"),
            }
        }
        // `key_skus[2]` before `key_skus[10]`: indices in number order, as they were written.
        let mut params: Vec<_> = c.params.iter().collect();
        params.sort_by_cached_key(|(k, _)| natural(k));
        for (k, v) in params {
            println!("  param     {k} = {v}");
        }
        for (p, h) in &c.inputs {
            println!("  input     {p}  {}", short(h));
        }
        for (u, outs) in &c.upstream {
            println!("  upstream  {u} ({} output files)", outs.len());
        }
    } else {
        println!("\nnever built: it has no recorded fingerprint yet");
        println!("  node      {}", inst.node);
        for inp in &inst.inputs {
            println!("  input     {}", inp.path);
        }
        for &d in &inst.deps {
            println!("  upstream  {}", s.graph.instances[d].id);
        }
    }
    if let Some(e) = entry {
        for (p, h) in e.outputs.iter() {
            println!("  output    {p}  {}", short(h));
        }
        // What its last build warned of: kept in the record, so a run's capped console list
        // and a later reader both find it here.
        for w in warnings {
            println!("  warning   {w}");
        }
    }
    Ok(ExitCode::Ok)
}

/// A sort key reading each run of digits as a number: `a[2]` < `a[10]`.
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = u64::from(c as u8 - b'0');
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push((std::mem::take(&mut text), n));
        } else {
            text.push(c);
        }
    }
    out.push((text, 0));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_indices_sort_as_numbers() {
        let mut keys = vec!["key_skus[10]", "key_skus[2]", "als.k", "key_skus[1]", "b"];
        keys.sort_by_cached_key(|k| super::natural(k));
        assert_eq!(
            keys,
            ["als.k", "b", "key_skus[1]", "key_skus[2]", "key_skus[10]"]
        );
    }
}
