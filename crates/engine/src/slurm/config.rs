//! The manifest's `executor:` section: which executor runs instances, and what each Slurm job
//! asks for.
//!
//! ```yaml
//! executor:
//!   kind: slurm                 # or local (the default); `gosales run --executor` overrides
//!   slurm:                      # every job's request
//!     partition: debug
//!     cpus: 1
//!     mem: 2G
//!     time: "00:30:00"
//!     args: ["--qos=normal"]    # passed to sbatch as written
//!   nodes:                      # per-node overrides of `slurm:`
//!     train: {cpus: 2, mem: 6G}
//! ```
//!
//! None of this is part of any fingerprint: where an instance runs never changes what it makes.

use std::collections::BTreeMap;

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::diagnostic::{suggest, ErrorKind, ManifestError, Pos, SourceFile};
use crate::yaml::{
    check_keys, expect_mapping, expect_scalar, expect_scalar_list, node_pos, scalar_pos,
};

const EXECUTOR_KEYS: &[&str] = &["kind", "slurm", "nodes"];
const REQUEST_KEYS: &[&str] = &["partition", "cpus", "mem", "time", "args"];
/// sbatch options the executor sets itself; a user value would break the job's contract.
/// Long options match any abbreviation sbatch accepts (`--outp=x` is `--output=x`); short
/// ones also glued to their value (`-o/tmp/x.log`).
const RESERVED_ARGS: &[&str] = &[
    "--output",
    "--error",
    "--chdir",
    "--job-name",
    "--parsable",
    "--wrap",
    "--wait",
    "--test-only",
    "--export",
    "-o",
    "-e",
    "-D",
    "-J",
    "-W",
];

/// Whether an sbatch argument sets an option of [`RESERVED_ARGS`].
fn reserved(arg: &str) -> bool {
    let flag = arg.split('=').next().unwrap_or(arg);
    RESERVED_ARGS.iter().any(|r| {
        if r.starts_with("--") {
            // getopt takes an unambiguous prefix; three letters past `--` tell these apart from
            // sbatch's other options (`--exclusive` and `--export` share `--ex`).
            flag.len() >= 5 && r.starts_with(flag)
        } else {
            flag.starts_with(r) && !flag.starts_with("--")
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExecutorKind {
    /// Child processes on this machine
    #[default]
    Local,
    /// One Slurm batch job per instance (the workspace must be on a filesystem the nodes share)
    Slurm,
}

impl ExecutorKind {
    pub fn name(self) -> &'static str {
        match self {
            ExecutorKind::Local => "local",
            ExecutorKind::Slurm => "slurm",
        }
    }
}

/// What one Slurm job asks for. `None` leaves the cluster's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SlurmRequest {
    pub partition: Option<String>,
    pub cpus: Option<u32>,
    pub mem: Option<String>,
    pub time: Option<String>,
    pub args: Vec<String>,
}

impl SlurmRequest {
    /// `self` with every field `over` sets replaced (`args` are appended).
    pub fn overlaid(&self, over: &SlurmRequest) -> SlurmRequest {
        SlurmRequest {
            partition: over.partition.clone().or_else(|| self.partition.clone()),
            cpus: over.cpus.or(self.cpus),
            mem: over.mem.clone().or_else(|| self.mem.clone()),
            time: over.time.clone().or_else(|| self.time.clone()),
            args: self.args.iter().chain(&over.args).cloned().collect(),
        }
    }

    /// (key as the manifest writes it, sbatch option, value) for every field set.
    fn fields(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut f = Vec::new();
        if let Some(p) = &self.partition {
            f.push(("partition", "--partition", p.clone()));
        }
        if let Some(c) = self.cpus {
            f.push(("cpus", "--cpus-per-task", c.to_string()));
        }
        if let Some(m) = &self.mem {
            f.push(("mem", "--mem", m.clone()));
        }
        if let Some(t) = &self.time {
            f.push(("time", "--time", t.clone()));
        }
        f
    }

    /// The sbatch options for this request.
    pub fn sbatch_args(&self) -> Vec<String> {
        let mut a: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(_, opt, v)| format!("{opt}={v}"))
            .collect();
        a.extend(self.args.iter().cloned());
        a
    }

    /// `partition=debug cpus=2 mem=6G`, or `the cluster's defaults`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(key, _, v)| format!("{key}={v}"))
            .collect();
        parts.extend(self.args.iter().cloned());
        if parts.is_empty() {
            "the cluster's defaults".into()
        } else {
            parts.join(" ")
        }
    }
}

/// The parsed `executor:` section.
#[derive(Debug, Clone, Default)]
pub struct ExecutorConfig {
    pub kind: ExecutorKind,
    pub slurm: SlurmRequest,
    /// Per-node overrides, with where each was written.
    pub nodes: BTreeMap<String, (SlurmRequest, Pos)>,
    /// Where the section starts, for errors about it.
    pub pos: Option<Pos>,
    /// Where the `slurm` defaults are written: a refusal of a request no node overrides is
    /// pointed there, not at `kind:`.
    pub slurm_pos: Option<Pos>,
}

impl ExecutorConfig {
    /// The request for one node's jobs: the defaults with the node's overrides over them.
    pub fn request(&self, node: &str) -> SlurmRequest {
        match self.nodes.get(node) {
            Some((over, _)) => self.slurm.overlaid(over),
            None => self.slurm.clone(),
        }
    }

    /// Where a node's request was written, for preflight errors: `executor.nodes.train` at
    /// `pipeline.yaml:12`, or the defaults every other node's jobs get.
    pub fn origin(&self, file: &SourceFile, node: &str) -> String {
        let at = |p: Option<Pos>| match p {
            Some(p) => format!("{}:{}", file.name, p.line),
            None => file.name.clone(),
        };
        match self.nodes.get(node) {
            Some((_, p)) => format!("`executor.nodes.{node}` at {}", at(Some(*p))),
            None => format!("`executor.slurm` at {}", at(self.slurm_pos.or(self.pos))),
        }
    }

    /// Whose jobs a request is, for preflight errors: the node's, or every node's that has no
    /// request of its own (naming one node there blamed it alone for the defaults).
    pub fn whose(&self, node: &str) -> String {
        if self.nodes.contains_key(node) {
            format!("the jobs of node `{node}`")
        } else {
            "the jobs of every node without a request of its own".to_string()
        }
    }

    /// Parses the section. `node_names` are the manifest's nodes (overrides must name one).
    pub fn parse(
        file: &SourceFile,
        node: &Node,
        node_names: &[&str],
    ) -> Result<ExecutorConfig, ManifestError> {
        let map = expect_mapping(file, node, "`executor`")?;
        check_keys(file, map, EXECUTOR_KEYS, "`executor`")?;
        let mut cfg = ExecutorConfig {
            pos: Some(node_pos(file, node)),
            ..Default::default()
        };
        if let Some(k) = map.get_node("kind") {
            let s = expect_scalar(file, k, "`executor.kind`")?;
            cfg.kind = match s.as_str() {
                "local" => ExecutorKind::Local,
                "slurm" => ExecutorKind::Slurm,
                other => {
                    return Err(file.error(
                        scalar_pos(file, s),
                        ErrorKind::InvalidValue {
                            value: other.into(),
                            context: "`executor.kind`".into(),
                            reason: "expected `local` or `slurm`".into(),
                        },
                    ))
                }
            };
        }
        if let Some(s) = map.get_node("slurm") {
            cfg.slurm = parse_request(file, s, "`executor.slurm`")?;
            cfg.slurm_pos = Some(node_pos(file, s));
        }
        if let Some(n) = map.get_node("nodes") {
            let nodes = expect_mapping(file, n, "`executor.nodes`")?;
            for (k, v) in nodes.iter() {
                let name = k.as_str();
                if !node_names.contains(&name) {
                    return Err(file.error(
                        scalar_pos(file, k),
                        ErrorKind::UnknownNeed {
                            node: "executor.nodes".into(),
                            need: name.into(),
                            suggestion: suggest(name, node_names.iter().copied()),
                        },
                    ));
                }
                let req = parse_request(file, v, &format!("`executor.nodes.{name}`"))?;
                cfg.nodes
                    .insert(name.to_string(), (req, scalar_pos(file, k)));
            }
        }
        Ok(cfg)
    }
}

fn parse_request(file: &SourceFile, node: &Node, ctx: &str) -> Result<SlurmRequest, ManifestError> {
    let map: &MarkedMappingNode = expect_mapping(file, node, ctx)?;
    check_keys(file, map, REQUEST_KEYS, ctx)?;
    let invalid = |s: &marked_yaml::types::MarkedScalarNode, key: &str, reason: &str| {
        file.error(
            scalar_pos(file, s),
            ErrorKind::InvalidValue {
                value: s.as_str().into(),
                context: format!("{ctx}.{key}").replace("`.", "."),
                reason: reason.into(),
            },
        )
    };
    let mut r = SlurmRequest::default();
    if let Some(n) = map.get_node("partition") {
        let s = expect_scalar(file, n, ctx)?;
        if s.as_str().is_empty() || s.as_str().contains(char::is_whitespace) {
            return Err(invalid(s, "partition", "a partition name has no spaces"));
        }
        r.partition = Some(s.as_str().into());
    }
    if let Some(n) = map.get_node("cpus") {
        let s = expect_scalar(file, n, ctx)?;
        match s.as_str().parse::<u32>() {
            Ok(c) if c > 0 => r.cpus = Some(c),
            _ => {
                return Err(invalid(
                    s,
                    "cpus",
                    "expected a whole number of CPUs, at least 1",
                ))
            }
        }
    }
    if let Some(n) = map.get_node("mem") {
        let s = expect_scalar(file, n, ctx)?;
        if !valid_mem(s.as_str()) {
            return Err(invalid(
                s,
                "mem",
                "expected a size as sbatch --mem takes it: a number with an optional K, M, G or T (e.g. 4G)",
            ));
        }
        r.mem = Some(s.as_str().into());
    }
    if let Some(n) = map.get_node("time") {
        let s = expect_scalar(file, n, ctx)?;
        if !valid_time(s.as_str()) {
            return Err(invalid(
                s,
                "time",
                "expected a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
            ));
        }
        r.time = Some(s.as_str().into());
    }
    if let Some(n) = map.get_node("args") {
        for s in expect_scalar_list(file, n, ctx)? {
            let a = s.as_str();
            if reserved(a) {
                return Err(invalid(
                    s,
                    "args",
                    &format!("{} sets this sbatch option itself (job name, log, directory, the coordinator's environment)", crate::program()),
                ));
            }
            if !a.starts_with('-') {
                return Err(invalid(
                    s,
                    "args",
                    "expected an sbatch option such as `--qos=low`",
                ));
            }
            r.args.push(a.into());
        }
    }
    Ok(r)
}

fn valid_mem(s: &str) -> bool {
    let digits = s.trim_end_matches(['K', 'M', 'G', 'T', 'k', 'm', 'g', 't']);
    !digits.is_empty() && digits.len() + 1 >= s.len() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn valid_time(s: &str) -> bool {
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (Some(d), r),
        None => (None, s),
    };
    let num = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if days.is_some_and(|d| !num(d)) {
        return false;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    parts.len() <= 3 && parts.iter().all(|p| num(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<ExecutorConfig, String> {
        let file = SourceFile::new("pipeline.yaml", yaml.to_string());
        let doc = crate::yaml::parse(&file).map_err(|e| e.to_string())?;
        let node = doc.as_mapping().unwrap().get_node("executor").unwrap();
        ExecutorConfig::parse(&file, node, &["etl", "train"]).map_err(|e| {
            format!(
                "{}: {} ({})",
                e.location,
                e,
                e.help.clone().unwrap_or_default()
            )
        })
    }

    #[test]
    fn node_overrides_replace_defaults_and_append_args() {
        let c = parse(
            "executor:\n  kind: slurm\n  slurm: {partition: debug, cpus: 1, mem: 2G, time: '00:30:00', args: [--qos=low]}\n  nodes:\n    train: {cpus: 2, mem: 6G, args: [--exclusive]}\n",
        )
        .unwrap();
        assert_eq!(c.kind, ExecutorKind::Slurm);
        assert_eq!(
            c.request("train").sbatch_args(),
            [
                "--partition=debug",
                "--cpus-per-task=2",
                "--mem=6G",
                "--time=00:30:00",
                "--qos=low",
                "--exclusive"
            ]
        );
        assert_eq!(c.request("etl").cpus, Some(1));
        let file = SourceFile::new("pipeline.yaml", String::new());
        assert_eq!(
            c.origin(&file, "train"),
            "`executor.nodes.train` at pipeline.yaml:5"
        );
        // A node with no request of its own: the defaults' line, not `kind:`'s.
        assert_eq!(
            c.origin(&file, "etl"),
            "`executor.slurm` at pipeline.yaml:3"
        );
        assert_eq!(
            c.whose("etl"),
            "the jobs of every node without a request of its own"
        );
        assert_eq!(c.whose("train"), "the jobs of node `train`");
    }

    #[test]
    fn bad_values_name_the_key_and_line() {
        let cases = [
            (
                "executor:\n  kind: pbs\n",
                "line 2",
                "expected `local` or `slurm`",
            ),
            ("executor:\n  slurm: {cpus: 0}\n", "line 2", "at least 1"),
            (
                "executor:\n  slurm: {mem: 4 GB}\n",
                "line 2",
                "K, M, G or T",
            ),
            ("executor:\n  slurm: {time: 1h}\n", "line 2", "HH:MM:SS"),
            (
                "executor:\n  slurm: {args: [--output=x]}\n",
                "line 2",
                "sets this sbatch option",
            ),
            // Glued, abbreviated, and the environment jobs run in.
            (
                "executor:\n  slurm: {args: [-o/tmp/x.log]}\n",
                "line 2",
                "sets this sbatch option",
            ),
            (
                "executor:\n  slurm: {args: [--outp=x]}\n",
                "line 2",
                "sets this sbatch option",
            ),
            (
                "executor:\n  slurm: {args: [--export=NONE]}\n",
                "line 2",
                "sets this sbatch option",
            ),
            (
                "executor:\n  slurm: {cpu: 2}\n",
                "line 2",
                "unknown key `cpu`",
            ),
            (
                "executor:\n  nodes:\n    trian: {cpus: 2}\n",
                "line 3",
                "did you mean `train`",
            ),
        ];
        for (yaml, line, text) in cases {
            let e = parse(yaml).unwrap_err();
            assert!(e.contains(text), "{yaml}: {e}");
            assert!(
                e.contains(&format!("pipeline.yaml:{}", &line[5..])),
                "{yaml}: {e}"
            );
        }
    }

    #[test]
    fn only_the_options_gosales_sets_are_reserved() {
        for a in [
            "-o/x",
            "-Dsub",
            "--outp=x",
            "--err",
            "--chd=/",
            "--expo=NONE",
            "--wait",
        ] {
            assert!(reserved(a), "{a}");
        }
        for a in [
            "--qos=low",
            "--exclusive",
            "--exclude=n1",
            "--partition=p",
            "--wait-all-nodes=1",
            "--ex",
            "-N2",
        ] {
            assert!(!reserved(a), "{a}");
        }
    }

    #[test]
    fn time_and_mem_grammar() {
        for ok in ["30", "30:00", "01:30:00", "2-12", "2-12:30", "2-12:30:00"] {
            assert!(valid_time(ok), "{ok}");
        }
        for bad in ["", "1h", "1:2:3:4", "-1", "a-1"] {
            assert!(!valid_time(bad), "{bad}");
        }
        for ok in ["512", "512M", "4G", "1T"] {
            assert!(valid_mem(ok), "{ok}");
        }
        for bad in ["", "G", "4GB", "4 G", "-1"] {
            assert!(!valid_mem(bad), "{bad}");
        }
    }
}
