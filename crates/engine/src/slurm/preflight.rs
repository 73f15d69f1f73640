//! The pre-run check: Slurm's commands are there and it accepts every distinct request.

use std::collections::BTreeSet;
use std::time::Duration;

use super::{commands, ExecutorConfig, SlurmRequest};
use crate::diagnostic::SourceFile;
use crate::Error;

/// Pauses between tries of the pre-run check when Slurm's controller does not answer or its
/// nodes are not ready yet (15 s in all, besides what each try itself takes).
const PREFLIGHT_BACKOFF: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
];

/// Checks, before anything runs, that Slurm can take every job of `nodes`: its commands are on
/// PATH, and `sbatch --test-only` accepts each distinct request (partition, size, limits).
pub fn preflight(
    cfg: &ExecutorConfig,
    file: &SourceFile,
    nodes: &BTreeSet<&str>,
) -> Result<(), Error> {
    for program in ["sbatch", "squeue", "scontrol", "scancel"] {
        if commands::on_path(program).is_none() {
            return Err(Error::Executor {
                message: format!(
                    "the Slurm executor needs `{program}` on PATH, and it is not there"
                ),
                fix: "install Slurm's client commands (Debian: slurm-client) on this machine"
                    .into(),
            });
        }
    }
    let mut tried: BTreeSet<SlurmRequest> = BTreeSet::new();
    for node in nodes {
        let req = cfg.request(node);
        if !tried.insert(req.clone()) {
            continue;
        }
        let mut args = vec![
            "--test-only".to_string(),
            "--job-name=gosales-preflight".into(),
        ];
        args.extend(req.sbatch_args());
        args.extend(["--wrap".into(), "true".into()]);
        let mut tries = 0;
        // What the check took: Slurm's clients retry an absent controller for about 20 s of
        // their own per call, so the pauses alone understated it sevenfold (a reviewer).
        let started = std::time::Instant::now();
        let err = loop {
            let e = match commands::slurm("sbatch", &args) {
                Ok(_) => break None,
                Err(e) => e,
            };
            // A refusal right after slurmctld or slurmd restarted (nodes still `unknown`),
            // or no answer at all, may pass a few seconds later.
            let not_ready = if commands::is_transient(&e) {
                Vec::new()
            } else {
                commands::nodes_not_ready(req.partition.as_deref())
            };
            let transient = commands::is_transient(&e) || !not_ready.is_empty();
            if transient && tries < PREFLIGHT_BACKOFF.len() {
                std::thread::sleep(PREFLIGHT_BACKOFF[tries]);
                tries += 1;
                continue;
            }
            break Some((e, not_ready));
        };
        let Some((e, not_ready)) = err else {
            continue;
        };
        if commands::is_transient(&e) {
            return Err(Error::Unavailable {
                message: format!(
                    "Slurm's controller did not answer the pre-run check (`sbatch --test-only`, {} tries over {} s): {e}",
                    tries + 1,
                    started.elapsed().as_secs()
                ),
                fix: "check that slurmctld is up (`scontrol ping`, `sinfo`) and run again".into(),
            });
        }
        if !not_ready.is_empty() {
            return Err(Error::Unavailable {
                message: format!(
                    "Slurm refuses {} ({}): {e}; but its nodes are not ready ({}), so the request may be fine",
                    cfg.whose(node),
                    req.describe(),
                    not_ready.join(", ")
                ),
                fix: format!(
                    "wait until `sinfo` shows the nodes idle and run again; if it is still refused, change the request: {}",
                    cfg.origin(file, node)
                ),
            });
        }
        return Err(Error::Executor {
            message: format!(
                "Slurm refuses {} ({}): {e}",
                cfg.whose(node),
                req.describe()
            ),
            fix: format!("change the request: {}", cfg.origin(file, node)),
        });
    }
    Ok(())
}
