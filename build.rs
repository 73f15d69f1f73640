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
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let table: Vec<String> = code_version::stage_versions(Path::new("src"), &lock)
        .into_iter()
        .map(|(name, version, _)| format!("    (\"{name}\", \"{version}\"),"))
        .collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("stage_code.rs");
    let body = format!(
        "/// (stage module, version of every source file it can reach) computed by build.rs.\npub const STAGE_CODE: &[(&str, &str)] = &[\n{}\n];\n",
        table.join("\n")
    );
    std::fs::write(out, body).expect("write stage_code.rs");
}
