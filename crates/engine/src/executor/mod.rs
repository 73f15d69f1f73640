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

mod child;
mod publication;
mod staging;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::graph::{Graph, Instance, InstanceAction, NamedPath};
use super::job::StageJob;
use super::manifest::Manifest;
use super::template::{render_shell, shell_quote};
use super::workspace::file_safe;
use crate::Error;

pub use child::{execute, LogTarget};
pub use publication::{hash_staged, publish, read_report};
use staging::{check_name_lengths, staged_name};
pub use staging::{discard, has_staged, keep_staged, reset_staging, staged_size, NAME_MAX};

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
    // A number or boolean reaches the command as the manifest spells it: `1e3` and
    // `99999999999999999999`, not JSON's `1000.0` and `1e+20` (a tool reading an integer
    // refused `1000.0`). Through `$name`, as the variable or partition value is spelled.
    let def = &m.nodes[inst.node_idx];
    let raw = super::fingerprint::flatten_params(&def.params.value);
    let as_written = |k: &str| -> Option<String> {
        match raw.get(k)? {
            Value::String(s) => super::graph::lookup(m, &inst.partition, s.strip_prefix('$')?),
            _ => {
                let (file, pos) = def.params.find_value(k)?;
                let text = file.text.get(pos.offset..pos.offset + pos.len)?;
                // Only a one-line plain scalar is its own spelling.
                (!text.contains(['\n', '"', '\''])).then(|| text.to_string())
            }
        }
    };
    render_shell(template, |name| {
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
                other => shell_quote(&as_written(k).unwrap_or_else(|| other.to_string())),
            });
        }
        super::graph::lookup(m, &inst.partition, name).map(|v| shell_quote(&v))
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

/// Sets up staging and the command line for one instance.
pub fn prepare(
    e: &crate::scheduler::Engine,
    i: usize,
    run_id: &str,
    cores: usize,
) -> Result<Prepared, Error> {
    let (ws, m, graph, exe, catalog) = (e.ws, e.manifest, e.graph, e.exe.as_path(), e.catalog);
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
    // `+`, which no safe id holds: `a.cores` is no other instance's staging.
    let cores_file = run_dir.join(format!("{}+cores", file_safe(&inst.id)));
    let (program, report) = match &inst.action {
        InstanceAction::Cmd { template } => {
            let cmd = render_cmd(m, graph, inst, template, &staged)?;
            (vec!["sh".into(), "-c".into(), cmd], None)
        }
        InstanceAction::Stage {
            stage,
            code_version,
            ..
        } => {
            // Create the outputs the stage writes files into ([`StageCatalog::output_is_dir`]).
            for (name, p) in inst
                .outputs
                .iter()
                .map(|o| &o.name)
                .zip(outputs.iter().map(|(_, p)| p))
            {
                if catalog.output_is_dir(stage, name) {
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
                code_version: Some(code_version.clone()),
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
