//! Computes each built-in stage's code version at build time: the blake3 of every source file
//! the stage can reach (followed through `crate::`/`super::`/`self::` paths, never declared by
//! hand) plus the Cargo.lock versions of the crates that shape outputs. The rule and its limits
//! are documented in `src/code_version/mod.rs`, which this script includes and the crate unit-tests.
//! The table is written to `$OUT_DIR/stage_code.rs` and included by `src/stages/mod.rs`.

#[path = "src/code_version/mod.rs"]
#[allow(dead_code)]
mod code_version;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=crates/engine/src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=vendor");
    println!("cargo:rerun-if-env-changed=CXX");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let toolchain = toolchain();
    let table: Vec<String> = code_version::stage_versions(Path::new("src"), &lock)
        .into_iter()
        .map(|(name, version, _)| {
            let version = code_version::with_toolchain(&version, &toolchain);
            format!("    (\"{name}\", \"{version}\"),")
        })
        .collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("stage_code.rs");
    let body = format!(
        "/// (stage module, version of every source file it can reach) computed by build.rs.\npub const STAGE_CODE: &[(&str, &str)] = &[\n{}\n];\n",
        table.join("\n")
    );
    std::fs::write(out, body).expect("write stage_code.rs");
}

/// The first line of `rustc -V` and of the C++ compiler's `--version` (the one CMake builds the
/// vendored LightGBM with: `$CXX`, else `c++`), each when it answers.
fn toolchain() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    [(rustc, "-V"), (cxx, "--version")]
        .iter()
        .filter_map(|(cmd, flag)| {
            let out = std::process::Command::new(cmd).arg(flag).output().ok()?;
            let text = String::from_utf8_lossy(&out.stdout);
            out.status
                .success()
                .then(|| text.lines().next().unwrap_or("").to_string())
        })
        .collect::<Vec<_>>()
        .join("\n")
}
