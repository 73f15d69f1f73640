//! A front end in under sixty lines: `make` for shell commands, on gosales-engine.
//!
//! ```text
//! cargo run -p gosales-engine --example minimake -- DIR [TARGET ...]
//! ```
//!
//! reads `DIR/pipeline.yaml` (`cmd` nodes only: this front end offers no built-in stages),
//! builds what is stale among the targets (everything by default) and prints one line per
//! instance. A second run prints `fresh` for each; `DIR/cache/runlog.jsonl` records both.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use gosales_engine::report::Quiet;
use gosales_engine::scheduler::RunOptions;
use gosales_engine::session::Session;
use gosales_engine::slurm::ExecutorKind;
use gosales_engine::NoStages;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let targets: Vec<String> = args.collect();
    match build(&dir, &targets) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("minimake: {e}");
            ExitCode::from(2)
        }
    }
}

/// Builds the targets; `Ok(false)` when an instance failed.
fn build(dir: &std::path::Path, targets: &[String]) -> Result<bool, gosales_engine::Error> {
    let session = Session::load(&dir.join("pipeline.yaml"), &NoStages)?;
    let selection = gosales_engine::select::select(&session.graph, targets, false)?;
    let opts = RunOptions {
        jobs: 2,
        keep_going: false,
        forced: BTreeSet::new(),
        command: "minimake".into(),
        executor: ExecutorKind::Local,
        // Ctrl-C stops the run cleanly: what finished is kept and recorded.
        interrupt: gosales_engine::interrupt::Interrupt::on_signals().unwrap_or_default(),
    };
    // `cmd` nodes need no worker program; a front end with stages passes its own.
    let exe = PathBuf::from("/bin/false");
    let report = session.build(exe, &selection, &opts, &mut Quiet)?;
    for r in &report.results {
        println!(
            "{:<10} {}",
            format!("{:?}", r.status).to_lowercase(),
            r.instance
        );
    }
    Ok(report.ok())
}
