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
    // The build settings every stage version takes (`code_version::build_settings`). Only
    // files that exist: cargo reads a missing one as changed, and would rerun this script (and
    // rebuild the crate) on every build. A Cargo config created later changes RUSTFLAGS or the
    // manifest's settings, which rebuild the crate anyway; `touch build.rs` to be sure.
    for f in [
        "Cargo.toml",
        "crates/engine/Cargo.toml",
        ".cargo/config.toml",
        ".cargo/config",
    ] {
        if Path::new(f).exists() {
            println!("cargo:rerun-if-changed={f}");
        }
    }
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
    let found = cxx.iter().find(|w| version(w, "--version").is_some());
    // An upgrade in place (same command, new binary) rebuilds LightGBM once its build is
    // redone; this script must then run again to record the new version.
    if let Some(path) = found.and_then(|w| on_path(w.last()?)) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let cxx = found.and_then(|w| version(w, "--version"));
    if cxx.is_none() {
        println!(
            "cargo:warning=no C++ compiler answered `--version`: stage code versions leave it out"
        );
    }
    // The flags the compilers were given: `-march=native` in CXXFLAGS lets GCC fuse LightGBM's
    // multiplies and adds on a machine with FMA, a last bit of difference; RUSTFLAGS may set a
    // target CPU too. Each variable as the cc crate reads it, by name, when set.
    let mut flags = Vec::new();
    for base in ["CFLAGS", "CXXFLAGS"] {
        for k in [
            format!("{base}_{target}"),
            format!("{base}_{}", target.replace('-', "_")),
            format!("TARGET_{base}"),
            base.to_string(),
        ] {
            println!("cargo:rerun-if-env-changed={k}");
            if let Ok(v) = std::env::var(&k) {
                flags.push(format!("{k}={v}"));
            }
        }
    }
    // Cargo hands the build script its rustc flags encoded (0x1f between them).
    if let Ok(v) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        if !v.is_empty() {
            flags.push(format!("RUSTFLAGS={}", v.replace('\u{1f}', " ")));
        }
    }
    [
        rustc.map(|v| format!("rustc {v}")),
        cxx.map(|v| format!("c++ {v}")),
    ]
    .into_iter()
    .flatten()
    .chain(flags)
    .collect::<Vec<_>>()
    .join("\n")
}

/// The file a command name runs: itself when it has a `/`, else the first on `PATH`, with
/// its symlinks resolved (`c++` -> `/etc/alternatives/c++` -> `g++-12`).
fn on_path(cmd: &str) -> Option<PathBuf> {
    let direct = Path::new(cmd);
    let file = if cmd.contains('/') {
        Some(direct.to_path_buf())
    } else {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|d| d.join(cmd))
            .find(|p| p.is_file())
    }?;
    file.canonicalize().ok()
}
