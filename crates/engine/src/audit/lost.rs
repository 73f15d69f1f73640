//! Lost history: `pipeline.lock` records built instances while the run log holds no instance
//! run at all (`cache/` or the log was deleted). `run` and `status` warn of it; the audit
//! reports it as one problem rather than one per instance.

use crate::lockfile::LockFile;
use crate::workspace::Workspace;

/// The outputs are still fresh, so no run rebuilds them, and every lock entry lacks the
/// recorded run `audit` checks it against.
#[derive(Debug, Clone)]
pub struct LostHistory {
    /// `missing`, `empty`, or `holds no instance run`.
    pub log: &'static str,
    pub instances: usize,
    /// The nodes of the lock's entries, for the command that records them again.
    pub nodes: Vec<String>,
}

impl LostHistory {
    /// What happened, what `audit` says, and the command that rebuilds the record.
    pub fn message(&self) -> String {
        format!(
            "cache/runlog.jsonl {} while pipeline.lock records {} built instances (was cache/ deleted?): their outputs are still fresh, so no run rebuilds them, but the record of how they were made is gone and `{audit}` fails until each is rebuilt; `{}` rebuilds and records them all",
            match self.log {
                "holds no instance run" => self.log.to_string(),
                state => format!("is {state}"),
            },
            self.instances,
            self.rebuild_command(),
            audit = crate::advice::audit()
        )
    }

    /// Every node forced: forcing only the first nodes would leave the rest fresh (their
    /// inputs come out byte-identical) and still unrecorded.
    pub fn rebuild_command(&self) -> String {
        crate::advice::run_force(self.nodes.iter().map(String::as_str))
    }
}

/// [`LostHistory`] when the lock has entries and the run log no instance run; `keep` filters
/// the nodes named in the command (a front end with a manifest drops nodes it no longer has).
/// Reads the log only as far as its first instance run: a line or two in a kept history.
pub fn lost_history(
    ws: &Workspace,
    lock: &LockFile,
    keep: impl Fn(&str) -> bool,
) -> Option<LostHistory> {
    if lock.instances.is_empty() {
        return None;
    }
    let log = runlog_without_instances(ws)?;
    let mut nodes: Vec<String> = lock
        .instances
        .values()
        .map(|e| e.node.clone())
        .filter(|n| keep(n.as_str()))
        .collect();
    nodes.sort();
    nodes.dedup();
    Some(LostHistory {
        log,
        instances: lock.instances.len(),
        nodes,
    })
}

/// `missing`, `empty` or `holds no instance run` when the run log records no instance run;
/// `None` when it does (or cannot be read: the run and the audit report that, with its cause).
/// Cheap enough to ask before loading a large lock.
pub fn runlog_without_instances(ws: &Workspace) -> Option<&'static str> {
    use std::io::BufRead;
    Some(match std::fs::File::open(ws.runlog_path()) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing",
        // Unreadable is for the run and the audit to report, with its cause.
        Err(_) => return None,
        Ok(f) => {
            let mut blank = true;
            for line in std::io::BufReader::new(f).split(b'\n') {
                let Ok(line) = line else { return None };
                const NEEDLE: &[u8] = b"\"kind\":\"instance\"";
                if line.windows(NEEDLE.len()).any(|w| w == NEEDLE) {
                    return None;
                }
                blank &= line.iter().all(u8::is_ascii_whitespace);
            }
            if blank {
                "empty"
            } else {
                "holds no instance run"
            }
        }
    })
}
