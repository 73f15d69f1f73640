//! Computes each built-in stage's code version at build time.
//!
//! A stage's code version is the blake3 of its own source (`src/stages/<name>.rs`, or every file
//! under `src/stages/<name>/`), plus the sources it names in a `//! code-deps: src/ml, ...` line.
//! Editing one stage therefore reruns that stage's nodes and what is downstream, and nothing else.
//! The table is written to `$OUT_DIR/stage_code.rs` and included by `src/stages/mod.rs`.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap_or_else(|e| panic!("read_dir {}: {e}", path.display()))
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if path.extension().is_some_and(|x| x == "rs") {
        out.push(path.to_path_buf());
    }
}

fn code_deps(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut deps = Vec::new();
    for f in files {
        let text = fs::read_to_string(f).unwrap_or_default();
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("//! code-deps:") {
                for d in rest.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                    deps.push(PathBuf::from(d));
                }
            }
        }
    }
    deps
}

fn main() {
    let stages = Path::new("src/stages");
    println!("cargo:rerun-if-changed=src/stages");
    let mut table = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(stages)
        .expect("src/stages exists")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_stem().unwrap().to_string_lossy().to_string();
        if ["mod", "context", "history", "fixture"].contains(&name.as_str()) {
            continue;
        }
        let mut files = Vec::new();
        collect(&entry, &mut files);
        if files.is_empty() {
            continue;
        }
        let mut all = files.clone();
        for dep in code_deps(&files) {
            println!("cargo:rerun-if-changed={}", dep.display());
            collect(&dep, &mut all);
        }
        let mut hasher = blake3::Hasher::new();
        for f in &all {
            // Hash the path too (relative, with forward slashes) so moving code is a change.
            hasher.update(f.to_string_lossy().replace('\\', "/").as_bytes());
            hasher.update(&[0]);
            hasher.update(&fs::read(f).unwrap_or_else(|e| panic!("read {}: {e}", f.display())));
            hasher.update(&[0]);
        }
        let hex = hasher.finalize().to_hex();
        table.push(format!("    (\"{name}\", \"{}\"),", &hex[..16]));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("stage_code.rs");
    let body = format!(
        "/// (stage module, blake3 of its sources) computed by build.rs.\npub const STAGE_CODE: &[(&str, &str)] = &[\n{}\n];\n",
        table.join("\n")
    );
    fs::write(out, body).expect("write stage_code.rs");
}
