//! Do the recorded outputs still follow from the files on disk? The chain and the re-hash
//! prove the outputs are the ones a recorded run wrote; they say nothing of whether that run
//! read the params, inputs and upstream outputs there now. An edited params file, or an
//! upstream instance rebuilt alone (`run -t`), leaves outputs that no run of today's files
//! made. The planner answers exactly that question for `run` and `status`, so it answers it
//! here too, from file bytes: `cache/hashcache.json` is as writable as what it vouches for.

use super::Problem;
use crate::fingerprint::StaleReason;
use crate::hashcache::HashCache;
use crate::lockfile::LockFile;
use crate::session::Session;
use crate::workspace::Workspace;

/// What the planner found: problems for instances whose own record no longer matches, and how
/// many more wait only on those (they rerun only if an upstream's outputs change).
pub(super) struct Staleness {
    pub planned: usize,
    pub waiting: usize,
}

/// Adds one problem per built instance the planner calls stale for a reason of its own, with
/// its first reason. Output files changed, missing or unexpected are left out: the audit's
/// re-hash reports those, by path.
pub(super) fn check(
    s: &Session,
    lock: &LockFile,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<String>,
) -> Staleness {
    // A cache loaded from where none can be (`/dev/null` is no directory), so every file is
    // hashed from its bytes. Not a constructor in `hashcache.rs`: every stage's code version
    // covers that file, and editing it would rebuild every workspace once.
    let mut cache = HashCache::load(&Workspace::new("/dev/null"));
    let mut planner = s.planner(lock, &mut cache);
    let plan = match planner.plan(&s.graph.order, &Default::default()) {
        Ok(p) => p,
        Err(e) => {
            problems.push(Problem {
                what: "pipeline.yaml".into(),
                detail: format!(
                    "cannot tell whether the recorded outputs follow from the files on disk: {e}"
                ),
            });
            return Staleness {
                planned: 0,
                waiting: 0,
            };
        }
    };
    let mut waiting = 0;
    let (mut other_program, mut other_count): (Option<String>, usize) = (None, 0);
    for (i, v) in &plan {
        let id = &s.graph.instances[*i].id;
        let Some(entry) = lock.instances.get(id) else {
            continue; // never built: nothing recorded to disagree with
        };
        let own: Vec<&StaleReason> = v
            .reasons
            .iter()
            .filter(|r| match r {
                StaleReason::NeverBuilt
                | StaleReason::Forced
                | StaleReason::UpstreamStale { .. }
                | StaleReason::OutputModified { .. }
                | StaleReason::OutputUnexpected { .. } => false,
                StaleReason::OutputMissing { path } => !entry.outputs.contains_key(path),
                _ => true,
            })
            .collect();
        let Some(first) = own.first() else {
            waiting += usize::from(
                v.reasons
                    .iter()
                    .any(|r| matches!(r, StaleReason::UpstreamStale { .. })),
            );
            continue;
        };
        // Another program or environment than the one that built it (an upgraded gosales, a
        // system library, a tool on another PATH): the recorded run still made these outputs
        // from these files, and its record names what made them. Said, not failed: every
        // upgrade would otherwise fail the audit of an untouched workspace.
        if own.iter().all(|r| program_only(r, &s.ws.root)) {
            other_program.get_or_insert_with(|| format!("{id}: {first}"));
            other_count += 1;
            continue;
        }
        let more = match own.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        problems.push(Problem {
            what: id.clone(),
            detail: format!(
                "its recorded outputs are not what the files on disk now make: {first}{more}; a run would rebuild it (`{}`; `{}` says why)",
                crate::advice::run(),
                crate::advice::explain(id)
            ),
        });
    }
    if let Some(first) = other_program {
        notes.push(format!(
            "{other_count} instance(s) were built by another program or environment than this one (first, {first}): each record names what made it; a run would rebuild them"
        ));
    }
    Staleness {
        planned: plan.len(),
        waiting,
    }
}

/// A reason that is the program's or its environment's, not the workspace's files'. A script
/// of the workspace's own that a `cmd` runs (`python3 scripts/fit.py`) is one of its files,
/// edited as a params file is: stale work, not another environment.
fn program_only(r: &StaleReason, root: &std::path::Path) -> bool {
    match r {
        StaleReason::ToolChanged { tool, .. }
        | StaleReason::ToolAdded { tool }
        | StaleReason::ToolRemoved { tool } => {
            !in_workspace(tool, root, std::env::var_os("PATH").as_deref())
        }
        _ => matches!(
            r,
            StaleReason::EngineChanged { .. }
                | StaleReason::CodeChanged { .. }
                | StaleReason::EnvChanged { .. }
                | StaleReason::EnvAdded { .. }
                | StaleReason::EnvRemoved { .. }
        ),
    }
}

/// Whether a command's word names a file of the workspace: a path relative to its root that
/// stays inside, or an absolute one under it. A bare name is a script of the root
/// (`python3 fit.py`, `sh x.sh`, a `Makefile`) when the root holds a file so named; else it
/// was found on `PATH`: a program.
fn in_workspace(word: &str, root: &std::path::Path, path_var: Option<&std::ffi::OsStr>) -> bool {
    use std::path::Component;
    let path = std::path::Path::new(word);
    if path.is_absolute() {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        return path.starts_with(&root);
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return false;
    }
    if word.contains('/') || root.join(word).is_file() {
        return true;
    }
    // A bare name `PATH` leads into the workspace (its `bin/` on `PATH`): a script of its own.
    let found = crate::tools::resolve(
        &crate::tools::Named::Program(word.to_string()),
        root,
        path_var,
    );
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    found
        .file
        .is_some_and(|f| canon(&f).starts_with(canon(root)))
}

#[cfg(test)]
mod tests {
    use super::in_workspace;

    #[test]
    fn a_script_of_the_workspace_is_its_file_and_a_program_on_path_is_not() {
        let root = std::path::Path::new("/srv/ws");
        assert!(in_workspace("scripts/fit.py", root, None));
        assert!(in_workspace("./run.sh", root, None));
        assert!(in_workspace("/srv/ws/bin/tool", root, None));
        assert!(!in_workspace("python3", root, None));
        assert!(!in_workspace("/usr/bin/python3", root, None));
        assert!(!in_workspace("../shared/tool.sh", root, None));
        // A bare name: a script of the root when the root holds it.
        let ws = std::env::temp_dir().join(format!("gosales-staleness-{}", std::process::id()));
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::write(ws.join("fit.py"), "print(1)\n").unwrap();
        assert!(in_workspace("fit.py", &ws, None));
        assert!(!in_workspace("python3", &ws, None));
        std::fs::remove_dir_all(&ws).unwrap();
    }

    #[test]
    fn a_bare_name_that_path_leads_into_the_workspace_is_its_file() {
        use std::os::unix::fs::PermissionsExt;
        let ws =
            std::env::temp_dir().join(format!("gosales-staleness-path-{}", std::process::id()));
        std::fs::create_dir_all(ws.join("bin")).unwrap();
        let tool = ws.join("bin/mytool-gosales-test");
        std::fs::write(&tool, "#!/bin/sh\necho 1\n").unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path =
            std::env::join_paths([ws.join("bin"), "/usr/bin".into(), "/bin".into()]).unwrap();
        let inside = in_workspace("mytool-gosales-test", &ws, Some(&path));
        let sh = in_workspace("sh", &ws, Some(&path));
        std::fs::remove_dir_all(&ws).unwrap();
        assert!(inside);
        assert!(!sh);
    }
}
