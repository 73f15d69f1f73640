//! `probe`: the engine's test stage. It writes `probe.txt`, a digest of its message, partition,
//! inputs and upstream outputs, so its output changes exactly when what it reads changes. Params
//! let tests make it slow, fail, or declare event dates (to exercise cutoff enforcement).

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Stage, StageContext, StageError};

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Written into the output.
    #[serde(default)]
    message: String,
    /// Sleep this long before writing (to test parallelism and kills).
    #[serde(default)]
    sleep_ms: u64,
    /// Fail after writing part of the output (to test that failures publish nothing).
    #[serde(default)]
    fail: bool,
    /// Declare having read feature events up to this date.
    #[serde(default)]
    feature_event: Option<String>,
    /// Declare having read label events from this date.
    #[serde(default)]
    label_event: Option<String>,
}

pub struct Probe;

fn digest(path: &Path, out: &mut String) -> Result<(), StageError> {
    let files = crate::engine::hashcache::list_files(
        path,
        &path.file_name().unwrap_or_default().to_string_lossy(),
    )
    .map_err(|e| StageError::io("cannot read", path, e))?;
    for (name, p) in files {
        let h = crate::engine::hashcache::hash_file(&p)
            .map_err(|e| StageError::io("cannot read", &p, e))?;
        let _ = writeln!(out, "  {name} {}", &h[..16]);
    }
    Ok(())
}

impl Stage for Probe {
    fn name(&self) -> &'static str {
        "probe"
    }
    // It lists whatever it is given.
    fn inputs(&self) -> Option<&'static [&'static str]> {
        None
    }
    fn outputs(&self) -> Option<&'static [&'static str]> {
        None
    }
    fn summary(&self) -> &'static str {
        "test stage: digests its inputs and upstream outputs into probe.txt"
    }
    type Params = Params;
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let mut text = format!("probe {}\nmessage: {}\n", ctx.instance(), p.message);
        for (k, v) in ctx.partition_values() {
            let _ = writeln!(text, "{k}: {v}");
        }
        for (name, path) in ctx.inputs().to_vec() {
            let _ = writeln!(text, "input {name}:");
            digest(&path, &mut text)?;
        }
        let upstream: Vec<(String, std::path::PathBuf)> = ctx
            .upstream_all()
            .map(|(id, p)| (id.to_string(), p.to_path_buf()))
            .collect();
        for (id, path) in upstream {
            let _ = writeln!(text, "upstream {id}:");
            digest(&path, &mut text)?;
        }
        if let Some(d) = &p.feature_event {
            ctx.record_feature_events(d, d);
        }
        if let Some(d) = &p.label_event {
            ctx.record_label_events(d, d);
        }
        std::thread::sleep(std::time::Duration::from_millis(p.sleep_ms));
        let out = ctx.output_dir()?.join("probe.txt");
        std::fs::write(&out, &text).map_err(|e| StageError::io("cannot write", &out, e))?;
        if p.fail {
            return Err(StageError::Data("failing as asked (`fail: true`)".into()));
        }
        ctx.note(format!("wrote {}", out.display()));
        Ok(())
    }
}
