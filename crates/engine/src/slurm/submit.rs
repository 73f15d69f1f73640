//! Submitting an instance as a batch job: its prepared instance and script in staging, and
//! `sbatch`, retried while the controller does not answer.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use super::{commands, Slurm, NOT_VISIBLE_EXIT, PREPARED_FILE};
use crate::executor::Prepared;
use crate::template::shell_quote;
use crate::workspace::file_safe;

impl Slurm {
    pub(super) fn submit(&mut self, node: &str, p: &Prepared) -> Result<u64, String> {
        fs::create_dir_all(&p.staging)
            .map_err(|e| format!("cannot create `{}`: {e}", p.staging.display()))?;
        if let Some(dir) = p.log.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        let prepared = p.staging.join(PREPARED_FILE);
        let bytes = serde_json::to_vec_pretty(p).expect("a prepared instance serialises");
        fs::write(&prepared, bytes)
            .map_err(|e| format!("cannot write `{}`: {e}", prepared.display()))?;
        let script = p.staging.join("job.sh");
        fs::write(
            &script,
            batch_script(&p.id, &self.exe, &prepared, &p.staging),
        )
        .map_err(|e| format!("cannot write `{}`: {e}", script.display()))?;
        let name = format!("gosales:{}", file_safe(&p.id));
        // Slurm expands `%x`, `%j`, ... in log paths: a workspace named `pct%x` logged
        // elsewhere, into a directory that did not exist, and every job failed unexplained.
        let log = p.log.to_string_lossy().replace('%', "%%");
        let mut args = vec![
            "--parsable".to_string(),
            format!("--job-name={name}"),
            format!("--chdir={}", self.root.display()),
            format!("--output={log}"),
            format!("--error={log}"),
            // The coordinator's environment, as a local worker has it: the fingerprint records
            // the programs `PATH` finds and the variables a `cmd` reads there. A site's
            // `SBATCH_EXPORT=NONE` gave jobs another `PATH` and unset variables, silently.
            "--export=ALL".to_string(),
        ];
        args.extend(self.cfg.request(node).sbatch_args());
        args.push(script.to_string_lossy().into_owned());
        // Written first, so a coordinator killed while sbatch answers still leaves the word
        // that jobs may be out (the next run asks Slurm which).
        let _ = writeln!(self.journal, "submitting {}", p.id);
        let id = submit_with_retries(&args, &name, &script, &SUBMIT_BACKOFF)?;
        // The journal lets the next run cancel this job if the coordinator dies unannounced.
        let _ = writeln!(self.journal, "{id} {}", p.id);
        Ok(id)
    }
}

/// Pauses between tries of a submission that failed for a transient reason (the controller
/// did not answer): 3 tries over about 10 s.
const SUBMIT_BACKOFF: [Duration; 2] = [Duration::from_secs(3), Duration::from_secs(7)];

/// `sbatch`, retried after a transient error; a submission whose id cannot be read is looked
/// up (by its name and unique script) or cancelled, so no job runs untracked.
fn submit_with_retries(
    args: &[String],
    name: &str,
    script: &Path,
    backoff: &[Duration],
) -> Result<u64, String> {
    let mut tries = 0;
    loop {
        tries += 1;
        match commands::slurm("sbatch", args) {
            Ok(out) => {
                if let Some(id) = commands::parse_sbatch(&out) {
                    return Ok(id);
                }
                // sbatch exited 0, so the job was most likely submitted: find it, or cancel it.
                if let Ok(found) = commands::find_submitted(name, script) {
                    if let [id] = found[..] {
                        return Ok(id);
                    }
                    let _ = commands::cancel(&found);
                }
                let cancelled = match commands::cancel_by_name(name) {
                    Ok(()) => format!(
                        "cancelled any job named `{name}` of user {} (scancel --name) so that none runs untracked",
                        commands::user()
                    ),
                    Err(e) => format!(
                        "could not cancel jobs named `{name}` either ({e}): check `squeue -n {name}`"
                    ),
                };
                return Err(format!(
                    "sbatch exited 0 but printed no job id ({:?}); {cancelled}",
                    out.trim()
                ));
            }
            Err(e) if commands::is_transient(&e) && tries <= backoff.len() => {
                std::thread::sleep(backoff[tries - 1]);
                // A submission that timed out may have reached the controller all the same.
                if let Ok(found) = commands::find_submitted(name, script) {
                    if let Some(&id) = found.first() {
                        let _ = commands::cancel(&found[1..]);
                        return Ok(id);
                    }
                }
            }
            Err(e) if tries > 1 => return Err(format!("{e} (tried {tries} times)")),
            Err(e) => return Err(e),
        }
    }
}

fn batch_script(id: &str, exe: &Path, prepared: &Path, staging: &Path) -> String {
    let staging_q = shell_quote(&staging.to_string_lossy());
    format!(
        "#!/bin/sh\n\
         # {prog} instance {id}\n\
         if [ ! -r {prepared} ]; then\n  \
           echo \"{prog}: the staging directory \"{staging_q}\" is not visible on $(hostname): the workspace must be on a filesystem every node shares\" >&2\n  \
           exit {NOT_VISIBLE_EXIT}\n\
         fi\n\
         exec {exe} job {prepared}\n",
        prepared = shell_quote(&prepared.to_string_lossy()),
        exe = shell_quote(&exe.to_string_lossy()),
        // Inside the script's double quotes: only the characters a program name needs.
        prog = crate::program()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
            .collect::<String>(),
    )
}
