//! What Cargo says about the build: the locked versions of the crates that shape outputs, and
//! the manifest settings they are compiled with.

use std::collections::BTreeSet;
use std::path::Path;

use super::OUTPUT_CRATES;

/// `name@version` of the [`OUTPUT_CRATES`] in a Cargo.lock text and of every crate they
/// depend on, sorted: an upgrade of a crate under them (the LZ4 that compresses the star's
/// Parquet under polars, the number formatting under csv) can change their bytes as well as
/// theirs. Every version of a name the lock holds counts (two `quick-xml`s: a bump of either).
pub fn locked_versions(lock: &str) -> BTreeSet<String> {
    // (name, version, dependencies as written: `name` or `name version [(source)]`).
    let mut pkgs: Vec<(String, String, Vec<String>)> = Vec::new();
    for pkg in lock.split("[[package]]").skip(1) {
        let field = |k: &str| {
            pkg.lines()
                .find_map(|l| l.strip_prefix(&format!("{k} = \"")))
                .map(|v| v.trim_end_matches('"').to_string())
        };
        let deps = pkg
            .split_once("dependencies = [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| {
                list.lines()
                    .map(|l| l.trim().trim_end_matches(',').trim_matches('"').to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if let (Some(name), Some(version)) = (field("name"), field("version")) {
            pkgs.push((name, version, deps));
        }
    }
    let mut out = BTreeSet::new();
    let mut todo: Vec<usize> = (0..pkgs.len())
        .filter(|&i| {
            let name = &pkgs[i].0;
            OUTPUT_CRATES
                .iter()
                .any(|c| name == c || name.starts_with(&format!("{c}-")))
        })
        .collect();
    while let Some(i) = todo.pop() {
        let (name, version, deps) = &pkgs[i];
        if !out.insert(format!("{name}@{version}")) {
            continue;
        }
        for d in deps {
            let mut words = d.split_whitespace();
            let dname = words.next().unwrap_or_default();
            let dversion = words.next();
            todo.extend(
                (0..pkgs.len())
                    .filter(|&j| pkgs[j].0 == dname && dversion.is_none_or(|v| pkgs[j].1 == v)),
            );
        }
    }
    out
}

/// The lines of the project's Cargo manifests and Cargo config that choose how what shapes
/// outputs is compiled: the dependency entries of the crates in `crates` (the closure of
/// [`locked_versions`], with their features: `serde_json`'s `preserve_order` keeps a report's
/// keys in order), `[features]`, `[profile.*]`, `[patch.*]`, `[target.*]` and `[build]` (codegen
/// flags). A feature switched off or a flag changes what the same source computes with no
/// locked version moving. Dev- and build-dependencies, the package's metadata and the entries
/// of other crates (a progress bar's) are left out: editing them reruns nothing.
pub fn build_settings(root: &Path, crates: &BTreeSet<String>) -> String {
    let names: BTreeSet<&str> = crates.iter().filter_map(|c| c.split('@').next()).collect();
    let mut out = String::new();
    for rel in [
        "Cargo.toml",
        "crates/engine/Cargo.toml",
        ".cargo/config.toml",
        ".cargo/config",
    ] {
        let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
            continue;
        };
        let mut section = Section::Skip;
        // Brackets open across lines (a dependency's features listed over several).
        let mut depth = 0i32;
        let mut entry = false;
        for line in text.lines() {
            let l = line.trim();
            if depth == 0 && l.starts_with('[') {
                section = Section::of(l.trim_matches(|c| c == '[' || c == ']').trim(), &names);
                entry = false;
            } else if depth == 0 && section == Section::Deps {
                let key = l
                    .split('=')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches('"');
                entry = names.contains(key);
            }
            let keep = match section {
                Section::Skip => false,
                Section::All => true,
                Section::Deps => entry,
                Section::One(k) => k,
            };
            depth += l.matches(['[', '{']).count() as i32 - l.matches([']', '}']).count() as i32;
            depth = depth.max(0);
            if keep && !l.is_empty() && !l.starts_with('#') {
                out.push_str(rel);
                out.push_str(": ");
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    out
}

/// What [`build_settings`] keeps of a manifest section.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Skip,
    /// Every line.
    All,
    /// A table of dependencies: the entries of the crates kept.
    Deps,
    /// One dependency's own table (`[dependencies.polars]`): kept or not.
    One(bool),
}

impl Section {
    fn of(name: &str, crates: &BTreeSet<&str>) -> Section {
        if name.contains("dev-dependencies") || name.contains("build-dependencies") {
            Section::Skip
        } else if name == "dependencies" || name.ends_with(".dependencies") {
            Section::Deps
        } else if let Some((_, dep)) = name.rsplit_once("dependencies.") {
            Section::One(crates.contains(dep.trim_matches('"')))
        } else if ["features", "profile", "patch", "target", "build"]
            .iter()
            .any(|s| name == *s || name.starts_with(&format!("{s}.")))
        {
            Section::All
        } else {
            Section::Skip
        }
    }
}
