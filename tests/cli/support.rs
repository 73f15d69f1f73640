//! A throwaway workspace and a runner for the `gosales` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_gosales");

#[must_use]
pub struct Ws {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Ws {
    pub fn new(manifest: &str) -> Ws {
        let ws = Ws {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        ws.write("pipeline.yaml", manifest);
        ws
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG");
        c
    }
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("gosales runs"))
    }
    /// `run --json` and the ids of instances with the given status.
    pub fn run_json(&self, args: &[&str]) -> (serde_json::Value, Run) {
        let mut a = vec!["run", "--json"];
        a.extend_from_slice(args);
        let r = self.run(&a);
        (r.json(), r)
    }
}

/// Instance ids in a `run --json` report with this status, sorted.
pub fn with_status(report: &serde_json::Value, status: &str) -> Vec<String> {
    let mut v: Vec<String> = report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status)
        .map(|i| i["instance"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// Asserts that `text` (a command's output) holds every one of `expected`, naming the first
/// that is missing.
pub fn assert_mentions(text: &str, expected: &[&str]) {
    for expect in expected {
        assert!(text.contains(expect), "missing {expect:?} in:\n{text}");
    }
}

/// A rendered error as one line: miette wraps its message at 100 columns, continuing each
/// line after a `│`.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(|l| l.trim().trim_start_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Gives the child the default action for SIGINT, SIGTERM and SIGHUP, as an interactive shell
/// gives its foreground jobs: a test run under `nohup` or as a background job of a script
/// inherits them ignored, and gosales leaves an ignored signal ignored.
pub fn signals_as_from_a_terminal(cmd: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt as _;
    // SAFETY: signal() is async-signal-safe; this runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::signal(sig, libc::SIG_DFL);
            }
            Ok(())
        })
    }
}
