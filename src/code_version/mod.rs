//! The code version of each built-in stage: which source files it can reach, derived from the
//! code, never declared by hand. Used by `build.rs` (which includes this file) to write the
//! table `src/stages/mod.rs` serves, and unit-tested against edits in a copy of the tree.
//!
//! # The rule
//!
//! A stage's module is `src/stages/<name>.rs`, the directory `src/stages/<name>/`, or both (a
//! file module with a folder of its children: one stage, rooted in the file). Its code version
//! is the blake3 of every file in the closure of:
//!
//! - the stage's own files (its whole directory, when it has one), test files left out;
//! - a module's children (`mod x;` in `a/b.rs` or `a/b/mod.rs`), through the bare paths
//!   (`x::f`) that name them, except the stage catalog's (`stages/mod.rs`) paths to the stages
//!   it lists;
//! - every path a reached file names with `crate::`, `super::` or `self::` (in `use` items and
//!   inline paths, brace groups expanded), resolved to the longest prefix that is a file
//!   (`a/b.rs` or `a/b/mod.rs`); when that file is a module root (`mod.rs`, `lib.rs`) and the path
//!   goes on, its `pub use` re-exports of the next name are followed too; a path that names a
//!   directory module itself, or a glob (`super::*`), takes the whole directory, and one that
//!   names a file module with a folder of children (`tools.rs` beside `tools/`) takes both;
//! - files named by `include_str!`/`include_bytes!`;
//! - each file's path (so moving code is a change);
//! - the engine crate as gosales names it (`crate::engine::` in gosales, `crate::` inside
//!   `crates/engine/src`): its files are followed like gosales' own, so a stage that uses the
//!   worker protocol (`engine::job`) or the file hashing covers exactly those files, and an edit
//!   to the scheduler or the run log (which decide when a stage runs, never what it writes)
//!   reruns nothing;
//!
//! plus, for every stage, the versions Cargo.lock resolves for the crates that shape outputs
//! ([`OUTPUT_CRATES`]) and for every crate they depend on ([`locked_versions`]): an upgrade of
//! polars, of the LZ4 under its Parquet writer, or of LightGBM reruns what it could change; the
//! digest of the vendored, patched crates under `vendor/` ([`vendored_digest`]), whose lock entry
//! does not change when their source does; the build settings of the Cargo manifests and config
//! ([`build_settings`]: dependencies with their features, `[features]`, profiles, patches); and,
//! from `build.rs`, the compilers' versions and flags ([`with_toolchain`]). At run time the C
//! library's version and the bytes of the C++ runtime, OpenMP and maths libraries are mixed in
//! (`src/stages/mod.rs`): they are loaded, not linked in.
//!
//! # Known limits
//!
//! Like cargo's own fingerprints this is conservative rather than exact, with these holes: a
//! name brought in by a glob re-export chain deeper than one `pub use` is not followed;
//! `macro_rules!` macros used through `#[macro_use]` and `#[path]` attributes are not followed
//! (the crate uses neither); an `impl` block for a stage's type in a file the stage never names
//! is not reached (none exists: each type's impls sit beside it); crates reached only from
//! outside [`OUTPUT_CRATES`] (e.g. `indicatif`, `clap`) are assumed not to change outputs. A
//! cluster node's C library is not checked against the coordinator's, which computes the
//! version: run the nodes on one image.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod cargo;
mod lexer;
pub use self::cargo::{build_settings, locked_versions};
use self::lexer::code_only;

/// Crates whose upgrade can change what a stage writes (by name prefix, from Cargo.lock).
pub const OUTPUT_CRATES: &[&str] = &[
    "polars",
    "lightgbm3",
    "csv",
    "chrono",
    "serde_json",
    "encoding_rs",
    "blake3",
    "strsim",
    // Workbooks: the reader, and the unzip and XML parsing under it.
    "calamine",
    "zip",
    "quick-xml",
    // Every cell in composed form (new Unicode tables recompose other text); a Parquet
    // timestamp's day in its zone is `chrono-tz`, under `chrono`'s prefix; the key that tells
    // exact duplicates apart.
    "unicode-normalization",
    "xxhash-rust",
    // erfc, in the history ceiling's prior (src/synth/posterior.rs), which the truth reports.
    "libm",
];

/// Modules under `src/stages/` that are not stages.
const NOT_STAGES: &[&str] = &[
    "mod",
    "context",
    "history",
    "fixture",
    "leakage",
    "shipped",
    "holdout_log",
];

/// The engine crate, mounted where gosales names it (`pub use gosales_engine as engine`): its
/// files are modules `engine::...`, and `crate::` inside them means `engine::`.
const ENGINE: &str = "engine";

/// `crates/engine/src`, beside the gosales `src`.
fn engine_src(src: &Path) -> PathBuf {
    src.parent()
        .unwrap_or(src)
        .join("crates")
        .join(ENGINE)
        .join("src")
}

/// The module path (`["stages", "train", "fit"]`) of a file under `src` or the engine's source.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let engine = engine_src(src);
    if let Ok(rel) = file.strip_prefix(&engine) {
        let mut m = vec![ENGINE.to_string()];
        m.extend(module_of(&engine, &engine.join(rel)));
        return m;
    }
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().to_string())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" && stem != "lib" {
            parts.push(stem);
        }
    }
    parts
}

/// True for `mod.rs` and `lib.rs`: files whose module is their directory.
fn is_root(file: &Path) -> bool {
    file.file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
}

/// The file of module `path`, if there is one.
fn module_file(src: &Path, path: &[String]) -> Option<PathBuf> {
    if path.first().is_some_and(|p| p == ENGINE) {
        return module_file(&engine_src(src), &path[1..]);
    }
    if path.is_empty() {
        return Some(src.join("lib.rs")).filter(|p| p.is_file());
    }
    let base: PathBuf = path.iter().collect();
    let flat = src.join(&base).with_extension("rs");
    let nested = src.join(&base).join("mod.rs");
    [flat, nested].into_iter().find(|p| p.is_file())
}

fn rs_files(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            rs_files(&e, out);
        } else if e.extension().is_some_and(|x| x == "rs") {
            out.insert(e);
        }
    }
}

/// Every `crate::`/`super::`/`self::` path in `text`, brace groups expanded, as absolute
/// module paths (`*` marks a glob).
fn paths_in(text: &str, module: &[String]) -> Vec<Vec<String>> {
    // `module_of` already maps a module root to its directory, so `super` is always the parent.
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let in_engine = module.first().is_some_and(|m| m == ENGINE);
    for (kw, base) in [
        (
            "crate::",
            if in_engine {
                vec![ENGINE.to_string()]
            } else {
                Vec::new()
            },
        ),
        ("gosales_engine::", vec![ENGINE.to_string()]),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
        ("self::", module.to_vec()),
    ] {
        let mut from = 0;
        while let Some(at) = text[from..].find(kw) {
            let start = from + at;
            from = start + kw.len();
            // A keyword inside a longer identifier (`my_crate::`) is not one.
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                continue;
            }
            expand(&text[from..], &base, &mut out);
        }
    }
    out
}

/// Reads `a::b::{c, d::e}` / `a::*` at the start of `rest`, appending each full path to `out`.
fn expand(rest: &str, base: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = base.to_vec();
    let mut s = rest;
    loop {
        if let Some(inner) = s.strip_prefix('{') {
            // Up to the matching brace.
            let mut depth = 1;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let group = &inner[..end];
            let mut depth = 0;
            let mut item_start = 0;
            for (i, c) in group
                .char_indices()
                .chain(std::iter::once((group.len(), ',')))
            {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let item = group[item_start..i].trim();
                        if item == "self" {
                            out.push(path.clone());
                        } else if !item.is_empty() {
                            expand(item, &path, out);
                        }
                        item_start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        if s.starts_with('*') {
            path.push("*".into());
            out.push(path);
            return;
        }
        let ident: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            out.push(path);
            return;
        }
        path.push(ident.clone());
        s = &s[ident.len()..];
        match s.strip_prefix("::") {
            Some(r) => s = r,
            None => {
                out.push(path);
                return;
            }
        }
    }
}

/// `pub use` targets of `name` in a module root (`pub use context::{StageContext, ...}`).
fn reexports(text: &str, module: &[String], name: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for stmt in text.split(';') {
        let t = stmt.trim();
        let Some(body) = t.strip_prefix("pub use ") else {
            continue;
        };
        if !body.contains(name) {
            continue;
        }
        let mut paths = Vec::new();
        // Relative to the module itself unless it starts with crate/super/self.
        if body.starts_with("crate::") || body.starts_with("super::") || body.starts_with("self::")
        {
            paths = paths_in(body, module);
        } else {
            expand(body, module, &mut paths);
        }
        out.extend(
            paths
                .into_iter()
                .filter(|p| p.last().is_some_and(|l| l == name || l == "*")),
        );
    }
    out
}

/// Whether `file` is test code: it is, or lies under, a module `tests` that its parent declares
/// as `#[cfg(test)] mod tests;` (a file of tests split out of its module, or a directory of
/// them). Test code shapes no output, like the inline test modules [`code_only`] cuts off, and
/// its `use super::*` would otherwise name the whole parent module.
fn is_test_file(file: &Path) -> bool {
    file.ancestors().any(|m| {
        if m.file_stem().is_none_or(|s| s != "tests") {
            return false;
        }
        let Some(dir) = m.parent() else {
            return false;
        };
        let declaring = [
            dir.join("mod.rs"),
            dir.join("lib.rs"),
            dir.with_extension("rs"),
        ];
        declaring.iter().any(|d| {
            let text = std::fs::read_to_string(d).unwrap_or_default();
            text.match_indices("#[cfg(test)]").any(|(i, cfg)| {
                let rest = text[i + cfg.len()..].trim_start();
                let rest = rest
                    .strip_prefix("pub(crate) ")
                    .or_else(|| rest.strip_prefix("pub "))
                    .unwrap_or(rest);
                rest.starts_with("mod tests;")
            })
        })
    })
}

/// `text` with every bare path into a child module it declares (`mod record;` then
/// `use record::Past` or `record::future(..)`) spelled `self::record::...`, so that
/// [`paths_in`] follows it: in a module root or a file module alike, the child is reached only
/// through the paths that name it (following the declaration itself would take every child).
/// Children named in `skip` are left bare (the stage catalog's stages). A root's `pub use`
/// re-exports are followed too: the root's own code may use what it re-exports, and taking a
/// child too many costs a rerun where missing one would leave stale outputs fresh.
fn with_child_paths(text: &str, skip: &[String]) -> String {
    let mut children: Vec<&str> = Vec::new();
    for line in text.lines() {
        let l = line.trim_start();
        let l = l
            .strip_prefix("pub(crate) ")
            .or_else(|| l.strip_prefix("pub(super) "))
            .or_else(|| l.strip_prefix("pub "))
            .unwrap_or(l);
        if let Some(name) = l
            .strip_prefix("mod ")
            .and_then(|r| r.trim_end().strip_suffix(';'))
        {
            let name = name.trim();
            if !name.is_empty()
                && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !skip.iter().any(|s| s == name)
            {
                children.push(name);
            }
        }
    }
    let mut out = text.to_string();
    for name in children {
        let needle = format!("{name}::");
        let mut rewritten = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(&needle) {
            let before = rest[..i].chars().next_back();
            let bare = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            rewritten.push_str(&rest[..i]);
            if bare {
                rewritten.push_str("self::");
            }
            rewritten.push_str(&needle);
            rest = &rest[i + needle.len()..];
        }
        rewritten.push_str(rest);
        out = rewritten;
    }
    out
}

/// Every file a stage rooted at `entry` can reach.
pub fn closure(src: &Path, entry: &Path) -> BTreeSet<PathBuf> {
    let mut own = BTreeSet::new();
    if entry.is_dir() {
        rs_files(entry, &mut own);
    } else {
        own.insert(entry.to_path_buf());
        // A file module with a folder of children (`x.rs` beside `x/`): the folder is the
        // stage's own too, as a directory module's is.
        let children = entry.with_extension("");
        if children.is_dir() {
            rs_files(&children, &mut own);
        }
    }
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut todo: Vec<PathBuf> = own.iter().cloned().collect();
    let mut extra: BTreeSet<PathBuf> = BTreeSet::new();
    let catalog = src.join("stages").join("mod.rs");
    let stages = stage_names(src);
    while let Some(f) = todo.pop() {
        if is_test_file(&f) {
            continue;
        }
        if !seen.insert(f.clone()) {
            continue;
        }
        let text = code_only(&std::fs::read_to_string(&f).unwrap_or_default());
        // Bare paths into children are followed in every module, roots included (a root's
        // function that calls `simulate::run` needs `simulate`), except the stage catalog's
        // paths to the stages it lists: every stage reaches the catalog, and no stage's output
        // depends on another stage's code.
        let skip = if f == catalog { &stages[..] } else { &[] };
        let text = with_child_paths(&text, skip);
        let module = module_of(src, &f);
        let mut found: Vec<PathBuf> = Vec::new();
        // include_str!/include_bytes! of files next to this one.
        for kw in ["include_str!(\"", "include_bytes!(\""] {
            for piece in text.split(kw).skip(1) {
                if let Some(rel) = piece.split('"').next() {
                    let p = f.parent().unwrap_or(src).join(rel);
                    if p.is_file() {
                        extra.insert(p);
                    }
                }
            }
        }
        for path in paths_in(&text, &module) {
            resolve(src, &path, &mut found, 0);
        }
        for p in found {
            if !seen.contains(&p) {
                todo.push(p);
            }
        }
    }
    seen.extend(extra);
    seen
}

fn resolve(src: &Path, path: &[String], found: &mut Vec<PathBuf>, depth: usize) {
    let glob = path.last().is_some_and(|l| l == "*");
    let path = if glob { &path[..path.len() - 1] } else { path };
    // The longest prefix that is a module file.
    for k in (0..=path.len()).rev() {
        let Some(file) = module_file(src, &path[..k]) else {
            continue;
        };
        let names_module = k > 0 && (k == path.len() || glob);
        if is_root(&file) && names_module {
            let mut all = BTreeSet::new();
            rs_files(file.parent().unwrap_or(src), &mut all);
            found.extend(all);
        } else {
            found.push(file.clone());
            // A file module with a folder of children (`tools.rs` beside `tools/`), named
            // whole (`use crate::engine::tools;`): its bare paths `tools::extra::f` reach the
            // children, which the file alone does not name.
            let children = file.with_extension("");
            if names_module && children.is_dir() {
                let mut all = BTreeSet::new();
                rs_files(&children, &mut all);
                found.extend(all);
            }
        }
        if is_root(&file) && k < path.len() && depth < 4 {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for r in reexports(&text, &path[..k], &path[k]) {
                resolve(src, &r, found, depth + 1);
            }
        }
        return;
    }
}

/// Each stage's module under `src/stages/` (a file or a directory), with its name, sorted.
fn stage_modules(src: &Path) -> Vec<(String, PathBuf)> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(src.join("stages"))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
        .into_iter()
        .filter(|e| e.is_dir() || e.extension().is_some_and(|x| x == "rs"))
        // `x.rs` beside a folder `x/` of its children is one module, rooted in the file: the
        // folder alone (tests, say) was taken as a second stage `x`, which won, so an edit to
        // `x.rs` left the version as it was (found 2026-12-07 adding `whitespace_holdout`).
        .filter(|e| !(e.is_dir() && e.with_extension("rs").is_file()))
        .filter_map(|e| {
            let name = e.file_stem()?.to_string_lossy().to_string();
            (!NOT_STAGES.contains(&name.as_str())).then_some((name, e))
        })
        .collect()
}

fn stage_names(src: &Path) -> Vec<String> {
    stage_modules(src).into_iter().map(|(n, _)| n).collect()
}

/// `(stage module, 16-hex version, files)` for every stage under `src/stages`.
pub fn stage_versions(src: &Path, lock: &str) -> Vec<(String, String, BTreeSet<PathBuf>)> {
    let crates = locked_versions(lock);
    let vendored = vendored_digest(src);
    let settings = build_settings(src.parent().unwrap_or(src), &crates);
    let mut out = Vec::new();
    for (name, entry) in stage_modules(src) {
        let files = closure(src, &entry);
        let mut h = blake3::Hasher::new();
        hash_files(&mut h, src.parent().unwrap_or(src), &files);
        for c in &crates {
            h.update(format!("{c}\n").as_bytes());
        }
        h.update(vendored.as_bytes());
        h.update(settings.as_bytes());
        out.push((name, h.finalize().to_hex()[..16].to_string(), files));
    }
    out
}

/// The digest of every file under `vendor/` beside `src` (path and bytes, in path order), or ""
/// when there is none. A vendored crate is patched source (LightGBM, `vendor/lightgbm3-sys`):
/// Cargo.lock names it by a path and an unchanged version, so an edit there is seen only here.
/// Every stage takes it, as every stage takes the locked crate versions.
pub fn vendored_digest(src: &Path) -> String {
    let root = src.parent().unwrap_or(src).join("vendor");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    if files.is_empty() {
        return String::new();
    }
    files.sort();
    let mut h = blake3::Hasher::new();
    hash_files(&mut h, &root, &files);
    format!("vendor {}\n", h.finalize().to_hex())
}

/// A stage version with the compilers that turned the source into the binary mixed in: a new
/// rustc (or the C++ compiler that builds the vendored LightGBM) may change what the same
/// source computes, so, as in Bazel, the toolchain is an input. `toolchain` is their version
/// lines; empty (no compiler answered) leaves the version as it is.
pub fn with_toolchain(version: &str, toolchain: &str) -> String {
    if toolchain.is_empty() {
        return version.to_string();
    }
    let mut h = blake3::Hasher::new();
    h.update(version.as_bytes());
    h.update(&[0]);
    h.update(toolchain.as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

/// Each file's path relative to `base` (with `/` separators, so moving a file is a change) and
/// its bytes, in the order given.
fn hash_files<'a>(
    h: &mut blake3::Hasher,
    base: &Path,
    files: impl IntoIterator<Item = &'a PathBuf>,
) {
    for f in files {
        let rel = f.strip_prefix(base).unwrap_or(f);
        h.update(rel.to_string_lossy().replace('\\', "/").as_bytes());
        h.update(&[0]);
        h.update(&std::fs::read(f).unwrap_or_default());
        h.update(&[0]);
    }
}

#[cfg(test)]
mod tests;
