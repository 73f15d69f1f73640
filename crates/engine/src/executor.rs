//! Running one instance: staging paths, the child process, and atomic publication.
//!
//! Every instance runs in a child process: `sh -c <cmd>` for a `cmd` node, `gosales worker
//! <job.json>` for a built-in stage. That gives exact per-instance peak RSS (from `wait4`),
//! isolation of global state (thread pools, OpenMP), and one code path for `run` and `exec`.
//! Children get `PR_SET_PDEATHSIG`, and in a run their process groups are known to a watchdog
//! that kills them when the coordinator dies ([`crate::interrupt`]), so a killed run leaves no
//! orphan writing into staging: not the child, nor what a `cmd` started itself.
//!
//! Outputs are written under `cache/tmp/<run>/<instance>/` and renamed into place only after the
//! child succeeded and every declared output exists: a failure never touches published outputs.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::graph::{Graph, Instance, InstanceAction, NamedPath};
use super::hashcache::{hash_file, list_files, HashCache};
use super::interrupt::Children;
use super::job::{StageJob, StageReport};
use super::manifest::{Manifest, VarValue};
use super::template::{render, shell_quote};
use super::workspace::{file_safe, Workspace};
use crate::Error;

/// How a child ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub ok: bool,
    pub error: Option<String>,
    pub exit_code: Option<i32>,
    pub duration_ms: u64,
    /// The child's peak resident set; `None` when it cannot be told from the coordinator's
    /// (a `cmd` started with posix_spawn whose peak stayed below the coordinator's own).
    pub peak_rss_kb: Option<u64>,
    /// User + system CPU time of the child and the descendants it waited for.
    pub cpu_ms: u64,
}

/// A prepared instance run: everything a worker thread (or a Slurm job) needs to start the child.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prepared {
    pub id: String,
    pub program: Vec<String>,
    pub staging: PathBuf,
    pub log: PathBuf,
    pub root: PathBuf,
    /// (declared relative path, staging path)
    pub outputs: Vec<(String, PathBuf)>,
    pub report: Option<PathBuf>,
    /// Where the scheduler writes a larger grant of cores when cores fall idle while this
    /// instance runs (absent until then); a `cmd` finds it in `$GOSALES_CORES_FILE`, a stage
    /// in its job ([`crate::job::StageJob::cores_file`]).
    pub cores_file: PathBuf,
    /// The directories staging starts with (a stage's output parents and its `dir` output),
    /// so that [`reset_staging`] can give a rerun attempt (a requeued Slurm job) the same
    /// empty staging the first attempt had.
    #[serde(default)]
    pub fresh_dirs: Vec<PathBuf>,
}

/// Renders a `cmd` with `{in.X}`, `{out.X}`, `{params.k}`, partition values and scalar vars.
/// `out_path` maps each declared output to the path the command should write.
pub fn render_cmd(
    m: &Manifest,
    graph: &Graph,
    inst: &Instance,
    template: &str,
    out_path: &dyn Fn(&NamedPath) -> String,
) -> Result<String, Error> {
    let all_inputs: Vec<&NamedPath> = inst.inputs.iter().chain(&inst.produced_inputs).collect();
    let upstream_of = |node: &str| -> Option<String> {
        inst.needs.iter().find(|(n, _)| n == node).map(|(_, v)| {
            v.iter()
                .flat_map(|&j| {
                    graph.instances[j]
                        .outputs
                        .iter()
                        .map(|o| shell_quote(&o.path))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let flat = super::fingerprint::flatten_params(&inst.params);
    render(template, |name| {
        if name == "in" {
            return Some(
                all_inputs
                    .iter()
                    .map(|p| shell_quote(&p.path))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if name == "out" {
            return Some(
                inst.outputs
                    .iter()
                    .map(|o| shell_quote(&out_path(o)))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if let Some(k) = name.strip_prefix("in.") {
            return all_inputs
                .iter()
                .find(|p| p.name == k)
                .map(|p| shell_quote(&p.path))
                .or_else(|| upstream_of(k));
        }
        if let Some(k) = name.strip_prefix("out.") {
            return inst
                .outputs
                .iter()
                .find(|o| o.name == k)
                .map(|o| shell_quote(&out_path(o)));
        }
        if let Some(k) = name.strip_prefix("params.") {
            return flat.get(k).map(|v| match v {
                Value::String(s) => shell_quote(s),
                other => shell_quote(&other.to_string()),
            });
        }
        inst.partition
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| shell_quote(v))
            .or_else(|| match m.vars.get(name).map(|v| &v.value) {
                Some(VarValue::Scalar(s)) => Some(shell_quote(s)),
                _ => None,
            })
    })
    // Checked at load, but a param can still turn out a list for one instance (`$var`). The
    // unrendered text must never run: its `{out.o}` would be a file written in the workspace.
    .map_err(|name| {
        let pos = match &m.nodes[inst.node_idx].action {
            super::manifest::Action::Cmd { pos, .. } => *pos,
            super::manifest::Action::Stage { pos, .. } => *pos,
        };
        m.file
            .error(
                pos,
                super::diagnostic::ErrorKind::InvalidValue {
                    value: template.to_string(),
                    context: format!("the `cmd` of `{}`", inst.id),
                    reason: format!("`{{{name}}}` resolves to no scalar value for this instance"),
                },
            )
            .into()
    })
}

/// The longest file name (one path component) Linux file systems take, in bytes.
pub const NAME_MAX: usize = 255;

/// A `cmd` output's staged name: `<safe id>.<k>.<file name>`, keeping as much of the end of the
/// file name (its extension, which some tools read) as fits in [`NAME_MAX`] bytes. The
/// `<safe id>.<k>.` prefix alone makes it unique.
fn staged_name(safe: &str, k: usize, name: &str) -> String {
    let prefix = format!("{safe}.{k}.");
    let room = NAME_MAX.saturating_sub(prefix.len());
    let mut start = name.len().saturating_sub(room);
    while !name.is_char_boundary(start) {
        start += 1;
    }
    format!("{prefix}{}", &name[start..])
}

/// A declared output whose file name (or a directory's) is longer than [`NAME_MAX`] bytes
/// cannot be written anywhere: said so up front, instead of a child's `File name too long`
/// or a "did not create declared output".
fn check_name_lengths(m: &Manifest, inst: &Instance) -> Result<(), Error> {
    for o in &inst.outputs {
        if let Some(long) = Path::new(&o.path)
            .components()
            .map(|c| c.as_os_str().len())
            .find(|&n| n > NAME_MAX)
        {
            let pos = match &m.nodes[inst.node_idx].action {
                super::manifest::Action::Cmd { pos, .. } => *pos,
                super::manifest::Action::Stage { pos, .. } => *pos,
            };
            return Err(m
                .file
                .error(
                    pos,
                    super::diagnostic::ErrorKind::InvalidValue {
                        value: o.path.clone(),
                        context: format!("an output of `{}`", inst.id),
                        reason: format!(
                            "a name in this path is {long} bytes long; file systems take at most {NAME_MAX} bytes per file or directory name (shorten the partition value or the output's name)"
                        ),
                    },
                )
                .into());
        }
    }
    Ok(())
}

/// Sets up staging and the command line for one instance.
pub fn prepare(
    ws: &Workspace,
    m: &Manifest,
    graph: &Graph,
    i: usize,
    run_id: &str,
    exe: &Path,
    cores: usize,
) -> Result<Prepared, Error> {
    let inst = &graph.instances[i];
    check_name_lengths(m, inst)?;
    let run_dir = ws.tmp_dir().join(run_id);
    let staging = run_dir.join(file_safe(&inst.id));
    let out_dir = staging.join("out");
    let mut outputs = Vec::new();
    let mut fresh_dirs = Vec::new();
    if matches!(inst.action, InstanceAction::Stage { .. }) {
        let _ = fs::remove_dir_all(&staging);
        for o in &inst.outputs {
            let p = out_dir.join(&o.path);
            let parent = p.parent().unwrap_or(&out_dir);
            fs::create_dir_all(parent)
                .map_err(|e| Error::io("cannot create staging directory", parent, e))?;
            fresh_dirs.push(parent.to_path_buf());
            outputs.push((o.path.clone(), p));
        }
    } else {
        // A `cmd` writes files, or makes its own directories: each output is staged as one
        // entry of the run's directory (keeping its file name, which some tools read), with no
        // directory per instance. On ext4, making and removing a directory per instance cost
        // more than everything else a tiny instance does (the inode allocator scans for
        // recently deleted inodes).
        fs::create_dir_all(&run_dir)
            .map_err(|e| Error::io("cannot create staging directory", &run_dir, e))?;
        let safe = file_safe(&inst.id);
        for (k, o) in inst.outputs.iter().enumerate() {
            let name = Path::new(&o.path)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            outputs.push((o.path.clone(), run_dir.join(staged_name(&safe, k, &name))));
        }
    }
    let abs_root = fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone());
    let staged = |o: &NamedPath| -> String {
        outputs
            .iter()
            .find(|(rel, _)| *rel == o.path)
            .map(|(_, p)| p.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let log = ws.log_path(&inst.id);
    let cores_file = run_dir.join(format!("{}.cores", file_safe(&inst.id)));
    let (program, report) = match &inst.action {
        InstanceAction::Cmd { template } => {
            let cmd = render_cmd(m, graph, inst, template, &staged)?;
            (vec!["sh".into(), "-c".into(), cmd], None)
        }
        InstanceAction::Stage { stage, .. } => {
            // A stage writes directories: create its default output directory up front.
            for (name, p) in inst
                .outputs
                .iter()
                .map(|o| &o.name)
                .zip(outputs.iter().map(|(_, p)| p))
            {
                if name == "dir" {
                    fs::create_dir_all(p)
                        .map_err(|e| Error::io("cannot create staging directory", p, e))?;
                    fresh_dirs.push(p.clone());
                }
            }
            let report = staging.join("report.json");
            let job = StageJob {
                cores,
                cores_file: Some(cores_file.clone()),
                stage: stage.clone(),
                instance: inst.id.clone(),
                node: inst.node.clone(),
                root: abs_root.clone(),
                partition: inst.partition.clone(),
                params: inst.params.clone(),
                inputs: inst
                    .inputs
                    .iter()
                    .chain(&inst.produced_inputs)
                    .map(|p| (p.name.clone(), abs_root.join(&p.path)))
                    .collect(),
                upstream: inst
                    .needs
                    .iter()
                    .map(|(node, v)| {
                        (
                            node.clone(),
                            v.iter()
                                .map(|&j| {
                                    let u = &graph.instances[j];
                                    (
                                        u.id.clone(),
                                        u.outputs.iter().map(|o| abs_root.join(&o.path)).collect(),
                                    )
                                })
                                .collect(),
                        )
                    })
                    .collect(),
                outputs: inst
                    .outputs
                    .iter()
                    .zip(&outputs)
                    .map(|(o, (_, p))| (o.name.clone(), p.clone()))
                    .collect(),
                report: report.clone(),
            };
            let job_path = staging.join("job.json");
            fs::write(
                &job_path,
                serde_json::to_vec_pretty(&job).expect("job serialises"),
            )
            .map_err(|e| Error::io("cannot write", &job_path, e))?;
            (
                vec![
                    exe.to_string_lossy().to_string(),
                    "worker".into(),
                    job_path.to_string_lossy().to_string(),
                ],
                Some(report),
            )
        }
    };
    Ok(Prepared {
        id: inst.id.clone(),
        program,
        staging,
        log,
        root: abs_root,
        outputs,
        report,
        cores_file,
        fresh_dirs,
    })
}

/// Puts the instance's staging back as [`prepare`] left it: every staged output, the stage
/// report and `outcome_file` removed, the initial directories recreated empty. A Slurm job runs
/// this before its child, so an attempt Slurm requeued (`scontrol requeue`, a node that went
/// DOWN) starts from empty outputs instead of appending to the first attempt's files.
pub fn reset_staging(p: &Prepared, outcome_file: &Path) -> std::io::Result<()> {
    let _ = fs::remove_file(outcome_file);
    if let Some(r) = &p.report {
        let _ = fs::remove_file(r);
    }
    for (_, staged) in &p.outputs {
        match fs::symlink_metadata(staged) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(staged)?,
            Ok(_) => fs::remove_file(staged)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    for d in &p.fresh_dirs {
        fs::create_dir_all(d)?;
    }
    Ok(())
}

/// This process's peak resident set so far.
fn own_peak_rss_kb() -> u64 {
    // SAFETY: zeroed rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` points to a live stack value.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss.max(0) as u64
}

/// util-linux's `setpriv`, if this machine has it.
fn setpriv() -> Option<&'static Path> {
    static SETPRIV: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    SETPRIV
        .get_or_init(|| {
            ["/usr/bin/setpriv", "/bin/setpriv"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// Where a child's stdout and stderr go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTarget {
    /// Create (truncate) the instance's log file.
    File,
    /// Inherit this process's: a Slurm job whose `--output` already is the log.
    Inherit,
}

/// Runs the child to completion (called on a worker thread, or in a Slurm job). With
/// `children`, the child leads its own process group, listed there while it runs, so that an
/// interrupted run can stop it and whatever it started ([`crate::interrupt`]).
pub fn execute(p: &Prepared, target: LogTarget, children: Option<&Children>) -> Outcome {
    let started = Instant::now();
    let fail = |msg: String| Outcome {
        ok: false,
        error: Some(msg),
        exit_code: None,
        duration_ms: started.elapsed().as_millis() as u64,
        peak_rss_kb: None,
        cpu_ms: 0,
    };
    // The child must die with the thread that waits for it, so a `kill -9` of gosales leaves
    // no orphan writing into staging: PR_SET_PDEATHSIG. For a `cmd` it is set through
    // util-linux's `setpriv`, so the child starts with posix_spawn (vfork): set in a `pre_exec`
    // hook, std must fork the whole coordinator, whose page tables cost more than a tiny
    // instance does (10,000 `echo` instances: 23 s against 54 s on 2 cores). The price: the
    // kernel folds the coordinator's peak RSS into a vforked child's, so a `cmd` whose peak is
    // below the coordinator's records none. Stage workers, few and heavy, whose peak RSS is
    // reported per node, are forked and measured exactly.
    let own_peak = own_peak_rss_kb();
    let light = p.report.is_none();
    let mut cmd = match setpriv().filter(|_| light) {
        Some(sp) => {
            let mut c = Command::new(sp);
            c.args(["--pdeathsig", "KILL", "--"]).arg(&p.program[0]);
            c
        }
        None => {
            let mut c = Command::new(&p.program[0]);
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to SIGKILL the
            // child when the thread that spawned it dies.
            unsafe {
                c.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            c
        }
    };
    if target == LogTarget::File {
        if let Some(dir) = p.log.parent() {
            let _ = fs::create_dir_all(dir);
        }
        let log = match File::create(&p.log) {
            Ok(f) => f,
            Err(e) => return fail(format!("cannot create log `{}`: {e}", p.log.display())),
        };
        let log2 = match log.try_clone() {
            Ok(f) => f,
            Err(e) => return fail(format!("cannot open log: {e}")),
        };
        cmd.stdout(Stdio::from(log)).stderr(Stdio::from(log2));
    }
    if children.is_some() {
        // Its own group: a `sh -c` pipeline's processes stop with it, and a terminal's Ctrl-C
        // reaches only the coordinator, which stops each group itself (and records the run).
        cmd.process_group(0);
    }
    cmd.args(&p.program[1..])
        .current_dir(&p.root)
        .stdin(Stdio::null())
        .env("GOSALES_INSTANCE", &p.id)
        .env("GOSALES_STAGING", &p.staging)
        .env("GOSALES_CORES_FILE", &p.cores_file);
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot start `{}`: {e}", p.program[0])),
    };
    let pid = child.id() as libc::pid_t;
    if let Some(c) = children {
        c.add(pid);
        // Wait without reaping, then unlist, then reap: while listed, the pid (and so its
        // group id) cannot be reused, so signalling the group never reaches a stranger.
        loop {
            // SAFETY: pid is our child; info points to a live, zeroed siginfo_t.
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            let rc = unsafe {
                libc::waitid(
                    libc::P_PID,
                    pid as libc::id_t,
                    &mut info,
                    libc::WEXITED | libc::WNOWAIT,
                )
            };
            if rc == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
            {
                continue;
            }
            break;
        }
        c.remove(pid);
    }
    let mut status: libc::c_int = 0;
    // SAFETY: zeroed rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 instead of Child::wait: it also returns the child's own peak RSS.
    let rc = loop {
        // SAFETY: pid is our child; status and usage point to live stack values.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break rc;
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    if rc == -1 {
        return fail(format!(
            "cannot wait for child: {}",
            std::io::Error::last_os_error()
        ));
    }
    let exit = std::process::ExitStatus::from_raw(status);
    let measured = usage.ru_maxrss.max(0) as u64;
    let peak_rss_kb = if light && setpriv().is_some() && measured <= own_peak {
        None
    } else {
        Some(measured)
    };
    let ms = |t: libc::timeval| (t.tv_sec.max(0) as u64) * 1000 + (t.tv_usec.max(0) as u64) / 1000;
    let cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
    let (ok, error, exit_code) = match (exit.code(), exit.signal()) {
        (Some(0), _) => (true, None, Some(0)),
        (Some(c), _) => (false, Some(format!("exited with code {c}")), Some(c)),
        (None, Some(s)) => (false, Some(format!("killed by signal {s}")), None),
        _ => (false, Some("ended abnormally".into()), None),
    };
    Outcome {
        ok,
        error,
        exit_code,
        duration_ms,
        peak_rss_kb,
        cpu_ms,
    }
}

/// Reads the stage report, if the instance is a stage.
pub fn read_report(p: &Prepared) -> Result<Option<StageReport>, String> {
    let Some(path) = &p.report else {
        return Ok(None);
    };
    let bytes =
        fs::read(path).map_err(|e| format!("stage wrote no report `{}`: {e}", path.display()))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("unreadable stage report: {e}"))
}

/// Checks every declared output was produced and hashes the staged files.
/// Returns (declared path -> {final file path -> hash}).
pub fn hash_staged(p: &Prepared) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out = BTreeMap::new();
    for (rel, staged) in &p.outputs {
        if !staged.exists() {
            return Err(format!(
                "did not create declared output `{rel}` (write it through its `{{out...}}` placeholder, which points into staging)"
            ));
        }
        let files =
            list_files(staged, rel).map_err(|e| format!("cannot list output `{rel}`: {e}"))?;
        let mut hashes = BTreeMap::new();
        for (key, path) in files {
            let h =
                hash_file(&path).map_err(|e| format!("cannot hash `{}`: {e}", path.display()))?;
            hashes.insert(key, h);
        }
        out.insert(rel.clone(), hashes);
    }
    Ok(out)
}

/// Moves staged outputs into place. A directory output replaces the old directory whole.
pub fn publish(
    ws: &Workspace,
    p: &Prepared,
    hashes: &BTreeMap<String, BTreeMap<String, String>>,
    cache: &mut HashCache,
) -> Result<(), Error> {
    for (rel, staged) in &p.outputs {
        let dest = ws.abs(rel);
        let parent = dest.parent().unwrap_or(&ws.root).to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io("cannot create directory", &parent, e))?;
        // Renames are atomic only within one filesystem. With `outputs/` on its own mount,
        // first copy the staged output next to its destination, then rename there.
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let same_fs = same_device(staged, &parent);
        let (src, trash) = if same_fs {
            (staged.clone(), sibling(&p.staging, "trash"))
        } else {
            let tmp = parent.join(format!(".{name}.gosales-publish"));
            remove_any(&tmp);
            copy_tree(staged, &tmp).map_err(|e| {
                remove_any(&tmp);
                Error::io("cannot copy to the outputs filesystem", &tmp, e)
            })?;
            (tmp, parent.join(format!(".{name}.gosales-trash")))
        };
        let old_is_dir = dest.is_dir();
        if old_is_dir {
            remove_any(&trash);
            fs::rename(&dest, &trash).map_err(|e| Error::io("cannot move aside", &dest, e))?;
        }
        if let Err(e) = fs::rename(&src, &dest) {
            if old_is_dir {
                let _ = fs::rename(&trash, &dest);
            }
            if !same_fs {
                remove_any(&src);
            }
            return Err(Error::io("cannot publish", &dest, e));
        }
        if old_is_dir {
            remove_any(&trash);
        }
        if let Some(files) = hashes.get(rel) {
            for (key, hash) in files {
                cache.record(key, &ws.abs(key), hash);
            }
        }
    }
    discard(p);
    Ok(())
}

/// `<path>.<suffix>`, beside `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

/// Total bytes of the staged outputs that exist (what a failed attempt left).
pub fn staged_size(p: &Prepared) -> u64 {
    p.outputs
        .iter()
        .map(|(_, staged)| super::space::dir_size(staged))
        .sum()
}

/// True when the attempt left any staged output behind.
pub fn has_staged(p: &Prepared) -> bool {
    p.outputs.iter().any(|(_, staged)| staged.exists())
}

/// Moves what a failed attempt wrote to `kept`, each output under its declared path.
pub fn keep_staged(p: &Prepared, kept: &Path) -> std::io::Result<()> {
    for (rel, staged) in &p.outputs {
        if staged.exists() {
            let dest = kept.join(rel);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(staged, dest)?;
        }
    }
    Ok(())
}

/// Removes everything the instance staged, and the cores file the scheduler may have written
/// beside it (it lies in the run's directory, not the instance's staging, which a `cmd` has
/// none of).
pub fn discard(p: &Prepared) {
    for (_, staged) in &p.outputs {
        if staged.exists() {
            remove_any(staged);
        }
    }
    if p.staging.exists() {
        let _ = fs::remove_dir_all(&p.staging);
    }
    let _ = fs::remove_file(&p.cores_file);
    let _ = fs::remove_file(p.cores_file.with_extension("cores.tmp"));
}

/// True when `a` and `b` (or their nearest existing ancestors) are on one filesystem.
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &Path| {
        p.ancestors()
            .find_map(|x| fs::metadata(x).ok())
            .map(|m| m.dev())
    };
    dev(a) == dev(b)
}

fn remove_any(p: &Path) {
    let _ = fs::remove_dir_all(p).or_else(|_| fs::remove_file(p));
}

/// Copies a file or a directory tree, syncing each file.
fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    if src.is_dir() {
        fs::create_dir_all(dst)?;
        for e in fs::read_dir(src)? {
            let e = e?;
            copy_tree(&e.path(), &dst.join(e.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(src, dst)?;
        File::open(dst)?.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_names_fit_in_a_file_name() {
        assert_eq!(staged_name("gen@a", 0, "a.txt"), "gen@a.0.a.txt");
        let long = format!("{}.parquet", "v".repeat(250));
        let name = staged_name(&"s".repeat(110), 3, &long);
        assert_eq!(name.len(), NAME_MAX);
        assert!(name.ends_with("v.parquet"));
        // Not cut inside a character.
        let name = staged_name(&"s".repeat(110), 0, &"é".repeat(200));
        assert!(name.len() <= NAME_MAX);
    }

    #[test]
    fn a_rerun_attempt_starts_from_empty_staging() {
        let dir = std::env::temp_dir().join(format!("gosales-reset-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let staging = dir.join("inst");
        let out_dir = staging.join("out/outputs");
        fs::create_dir_all(&out_dir).unwrap();
        let file = dir.join("inst.0.x.txt");
        let tree = out_dir.join("tree");
        fs::create_dir_all(tree.join("sub")).unwrap();
        fs::write(tree.join("sub/part"), "first attempt").unwrap();
        fs::write(&file, "start\n").unwrap();
        let outcome = staging.join("outcome.json");
        fs::write(&outcome, "{}").unwrap();
        fs::write(staging.join("prepared.json"), "{}").unwrap();
        let p = Prepared {
            id: "inst".into(),
            program: vec!["true".into()],
            staging: staging.clone(),
            log: dir.join("inst.log"),
            root: dir.clone(),
            outputs: vec![
                ("x.txt".into(), file.clone()),
                ("outputs/tree".into(), tree.clone()),
            ],
            report: Some(staging.join("report.json")),
            cores_file: dir.join("inst.cores"),
            fresh_dirs: vec![out_dir.clone(), tree.clone()],
        };
        reset_staging(&p, &outcome).unwrap();
        assert!(!file.exists() && !outcome.exists());
        assert!(tree.is_dir() && fs::read_dir(&tree).unwrap().next().is_none());
        // What the job needs to run again stays.
        assert!(staging.join("prepared.json").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
