//! Following the jobs in flight: one `squeue` call a poll, what each instance shows, the
//! `waiting:` lines of a job that waits for more than queueing, how a job ended, and what is
//! done while Slurm's controller does not answer.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::commands::{self, JobEnd, JobState};
use super::{failed, Shared, Tracked, NOT_VISIBLE_EXIT, OUTCOME_FILE, POLL};
use crate::dispatch::{Done, Notice};
use crate::executor::Outcome;

/// How long a failing `squeue` is waited out before its warning, and between warnings.
const FIRST_WARNING: Duration = Duration::from_secs(30);
const EVERY: Duration = Duration::from_secs(60);
/// While squeue fails, how often each job's state is asked of scontrol and sacct instead.
const FALLBACK_EVERY: Duration = Duration::from_secs(10);

/// How long Slurm may stay unreachable before the jobs in flight are given up on:
/// `GOSALES_SLURM_UNREACHABLE_S` seconds, 30 minutes by default.
fn give_up_after() -> Duration {
    std::env::var("GOSALES_SLURM_UNREACHABLE_S")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .map_or(Duration::from_secs(30 * 60), Duration::from_secs)
}

/// Reasons a job pends for that are no mere queueing: told at once, not after a minute.
fn worth_telling_at_once(reason: &str) -> bool {
    !matches!(reason, "Resources" | "Priority" | "None")
}

pub(super) fn poll_loop(shared: &Shared, tx: &Sender<Done>) {
    let give_up = give_up_after();
    // Since when squeue fails, when that was last told, when the fallback last ran.
    let mut failing: Option<(Instant, Option<Instant>, Option<Instant>)> = None;
    while !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let ids = shared.ids();
        if ids.is_empty() {
            continue;
        }
        // Failing since the call that failed was made: against a controller that is down, one
        // squeue takes about 20 s to give up, and the warning came at 63 s, not 30.
        let asked = Instant::now();
        let states: HashMap<u64, (JobState, Option<String>)> = match commands::poll(&ids) {
            Ok(s) => {
                if let Some((since, Some(_), _)) = failing {
                    shared.say(Notice::Say(format!(
                        "squeue answers again after {} s",
                        since.elapsed().as_secs()
                    )));
                }
                failing = None;
                s.into_iter().map(|(id, st, r)| (id, (st, r))).collect()
            }
            Err(e) => {
                let (since, told, fell_back) = failing.get_or_insert((asked, None, None));
                let for_s = since.elapsed();
                let tell = match told {
                    None => for_s >= FIRST_WARNING,
                    Some(t) => t.elapsed() >= EVERY,
                };
                if tell {
                    *told = Some(Instant::now());
                    shared.say(Notice::Say(format!(
                        "warning: squeue failing for {} s: {e}; still waiting for {} Slurm job(s) (giving up after {} s)",
                        for_s.as_secs(),
                        ids.len(),
                        give_up.as_secs()
                    )));
                }
                // squeue is not all of Slurm: scontrol (the controller's other door) or sacct
                // (the accounting database) may still tell how a job ended.
                if fell_back.is_none_or(|t| t.elapsed() >= FALLBACK_EVERY) {
                    *fell_back = Some(Instant::now());
                    for &id in &ids {
                        if let Some(end) = commands::job_end(id).filter(|e| e.state.is_terminal()) {
                            report(shared, tx, id, |t| outcome(id, &end, t));
                        }
                    }
                }
                if for_s >= give_up {
                    let left = shared.ids();
                    let cancelled = commands::cancel(&left).is_ok();
                    for id in left {
                        report(shared, tx, id, |t| {
                            let recorded = read_outcome(&t.staging);
                            if let Some(o) = recorded {
                                // The job's own record of its child: it ran to its end.
                                return o;
                            }
                            if let Ok(mut lost) = shared.lost.lock() {
                                lost.insert(id, t.instance.clone());
                            }
                            failed(
                                format!(
                                    "lost track of Slurm job {id}: squeue has failed for {} s ({e}); {}; its id stays in cache/slurm.jobs so that the next run cancels it if it still runs",
                                    for_s.as_secs(),
                                    if cancelled { "scancel was sent" } else { "scancel failed too" }
                                ),
                                t.submitted.elapsed(),
                            )
                        });
                    }
                }
                continue;
            }
        };
        for id in ids {
            let end = match states.get(&id) {
                Some((s, reason)) if !s.is_terminal() => {
                    watch(shared, id, s, reason.as_deref());
                    continue;
                }
                Some((s, _)) if s.0 == "COMPLETED" => JobEnd {
                    state: s.clone(),
                    exit_code: Some(0),
                    signal: None,
                },
                Some((s, _)) => commands::job_end(id).unwrap_or(JobEnd {
                    state: s.clone(),
                    exit_code: None,
                    signal: None,
                }),
                // squeue no longer lists it: ask scontrol and sacct.
                None => match commands::job_end(id) {
                    Some(end) if end.state.is_terminal() => end,
                    Some(_) => continue,
                    None => JobEnd {
                        state: JobState("UNKNOWN".into()),
                        exit_code: None,
                        signal: None,
                    },
                },
            };
            report(shared, tx, id, |t| outcome(id, &end, t));
        }
    }
}

/// Follows a job that has not ended: what its instance shows (running, or PENDING with the
/// reason), and a `waiting:` line when it waits for more than queueing (at once for a held
/// job, a down partition, a requeue's BeginTime; after a minute otherwise), then every minute.
fn watch(shared: &Shared, id: u64, state: &JobState, reason: Option<&str>) {
    let Ok(mut jobs) = shared.jobs.lock() else {
        return;
    };
    let Some(t) = jobs.get_mut(&id) else {
        return;
    };
    let now = (state.0.clone(), reason.map(str::to_string));
    let running = matches!(state.0.as_str(), "RUNNING" | "COMPLETING" | "CONFIGURING");
    if t.seen.as_ref() != Some(&now) {
        let was_waiting = t.told.is_some();
        t.seen = Some(now);
        t.since = Instant::now();
        t.told = None;
        let what = if running {
            "running".to_string()
        } else {
            match reason {
                Some(r) => format!("{} ({r})", state.0),
                None => state.0.clone(),
            }
        };
        shared.say(Notice::Shows {
            i: t.i,
            what: what.clone(),
        });
        if running && was_waiting {
            shared.say(Notice::Say(format!(
                "{} (Slurm job {id}) is {what} after {} s",
                t.instance,
                t.submitted.elapsed().as_secs()
            )));
        }
    }
    if running {
        return;
    }
    let at_once = reason.is_some_and(worth_telling_at_once) || state.0 != "PENDING";
    let due = match t.told {
        None => at_once || t.since.elapsed() >= EVERY,
        Some(at) => at.elapsed() >= EVERY,
    };
    if due {
        t.told = Some(Instant::now());
        shared.say(Notice::Say(format!(
            "waiting: {} (Slurm job {id}) {}{} for {} s",
            t.instance,
            state.0,
            reason.map(|r| format!(" ({r})")).unwrap_or_default(),
            t.since.elapsed().as_secs()
        )));
    }
}

fn read_outcome(staging: &Path) -> Option<Outcome> {
    fs::read(staging.join(OUTCOME_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
}

fn report(shared: &Shared, tx: &Sender<Done>, id: u64, make: impl FnOnce(&Tracked) -> Outcome) {
    let tracked = shared.jobs.lock().ok().and_then(|mut j| j.remove(&id));
    if let Some(t) = tracked {
        let _ = tx.send((t.i, make(&t)));
    }
}

/// How an instance ended, from its job's final state and the outcome its job recorded.
fn outcome(id: u64, end: &JobEnd, t: &Tracked) -> Outcome {
    let recorded = read_outcome(&t.staging);
    let elapsed = t.submitted.elapsed();
    let with_code = |mut o: Outcome| {
        o.exit_code = o.exit_code.or(end.exit_code);
        o
    };
    match end.state.0.as_str() {
        "COMPLETED" | "FAILED" | "UNKNOWN" if recorded.is_some() => {
            let mut o = recorded.expect("checked");
            // The job id, to take to `sacct` or `scontrol`, as every other failure gives it.
            if let Some(e) = o.error.as_mut() {
                e.push_str(&format!(" (Slurm job {id})"));
            }
            o
        }
        "COMPLETED" => failed(
            format!(
                "Slurm job {id} completed, but its staging directory `{}` is not visible from the coordinator: the workspace must be on a filesystem every node shares",
                t.staging.display()
            ),
            elapsed,
        ),
        "FAILED" => with_code(failed(
            match end.exit_code {
                Some(NOT_VISIBLE_EXIT) => format!(
                    "Slurm job {id} could not see its staging directory on its node: the workspace must be on a filesystem every node shares"
                ),
                Some(126 | 127) => format!(
                    "Slurm job {id} could not start {prog} on its node (exit code {}): every node needs the {prog} binary at the coordinator's path",
                    end.exit_code.unwrap_or_default(),
                    prog = crate::program()
                ),
                Some(c) if c != 0 => format!("Slurm job {id} failed with exit code {c}"),
                _ => match end.signal {
                    Some(s) if s != 0 => format!("Slurm job {id} was killed by signal {s}"),
                    _ => format!("Slurm job {id} failed"),
                },
            },
            elapsed,
        )),
        "CANCELLED" => failed(format!("cancelled (Slurm job {id} is CANCELLED)"), elapsed),
        "TIMEOUT" => failed(
            format!("Slurm job {id} reached its time limit (TIMEOUT): raise `time` under `executor:` in pipeline.yaml"),
            elapsed,
        ),
        "OUT_OF_MEMORY" => failed(
            format!("Slurm job {id} ran out of memory (OUT_OF_MEMORY): raise `mem` under `executor:` in pipeline.yaml"),
            elapsed,
        ),
        "UNKNOWN" => failed(
            format!("Slurm no longer knows job {id} and it left no outcome (was it purged before it was polled?)"),
            elapsed,
        ),
        other => failed(format!("Slurm job {id} ended in state {other}"), elapsed),
    }
}
