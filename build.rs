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

/// The version lines of rustc and of the C++ compiler CMake builds the vendored LightGBM with,
/// each without the program's name (`c++` and `g++` are one compiler). The C++ compiler is
/// looked for as the cc crate under CMake does (`CXX_<target>`, `TARGET_CXX`, `CXX`, which may
/// carry a wrapper such as `ccache g++`), then `c++`, `g++`, `clang++`.
fn toolchain() -> String {
    let version = |words: &[String], flag: &str| -> Option<String> {
        let (cmd, args) = words.split_first()?;
        let out = std::process::Command::new(cmd)
            .args(args)
            .arg(flag)
            .output()
            .ok()
            .filter(|o| o.status.success())?;
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().next()?;
        Some(line.split_once(' ').map_or(line, |(_, v)| v).to_string())
    };
    let words = |s: String| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    let rustc = version(
        &words(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())),
        "-V",
    );
    let target = std::env::var("TARGET").unwrap_or_default();
    let mut cxx: Vec<Vec<String>> = [
        format!("CXX_{target}"),
        format!("CXX_{}", target.replace('-', "_")),
        "TARGET_CXX".into(),
        "CXX".into(),
    ]
    .iter()
    .filter_map(|k| {
        println!("cargo:rerun-if-env-changed={k}");
        std::env::var(k).ok().filter(|v| !v.trim().is_empty())
    })
    .map(words)
    .collect();
    cxx.extend(["c++", "g++", "clang++"].map(|c| vec![c.to_string()]));
    let cxx = cxx.iter().find_map(|w| version(w, "--version"));
    if cxx.is_none() {
        println!(
            "cargo:warning=no C++ compiler answered `--version`: stage code versions leave it out"
        );
    }
    [
        rustc.map(|v| format!("rustc {v}")),
        cxx.map(|v| format!("c++ {v}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
}
