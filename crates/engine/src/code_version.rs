//! A code version for a front end's own stages ([`crate::StageCatalog::code_version`]) that
//! never misses an edit: the blake3 of every file under the directories and files given, each
//! file's path (relative to `base`, so moving code is a change) and bytes, in path order. For a
//! front end's `build.rs`, with the engine as a build-dependency:
//!
//! ```no_run
//! // In build.rs's `main`:
//! let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let version =
//!     gosales_engine::code_version::of_sources(base, &["src", "Cargo.lock", "Cargo.toml"])
//!         .expect("hash the sources");
//! println!("cargo:rustc-env=STAGE_CODE={version}");
//! println!("cargo:rerun-if-changed=src");
//! println!("cargo:rerun-if-changed=Cargo.lock");
//! println!("cargo:rerun-if-changed=Cargo.toml");
//! // Then in the catalog: `fn code_version(..) -> Option<String> { Some(env!("STAGE_CODE").into()) }`
//! ```
//!
//! It is conservative, as cargo's own fingerprints are: any edit under `src` makes every stage
//! that takes this version rerun, where gosales' own `build.rs` follows each stage's module
//! paths to rerun only the stages an edit can reach (its rule is written for gosales' tree).
//! Hashing `include_str!` of a stage's one file instead misses edits to the modules it calls.
//! Not covered: the compiler and the system libraries the binary loads (mix their versions in
//! where they can change outputs), and source outside the paths given (a path dependency).

use std::path::{Path, PathBuf};

/// The 16-hex-digit version of every file under `paths` (each a file or a directory, relative
/// to `base`), their paths relative to `base` included. A path that does not exist is an error:
/// a typo would otherwise give a version that never changes.
pub fn of_sources(base: &Path, paths: &[&str]) -> std::io::Result<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        let abs = base.join(p);
        let meta = std::fs::metadata(&abs)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", abs.display())))?;
        if meta.is_dir() {
            walk(&abs, &mut files)?;
        } else {
            files.push(abs);
        }
    }
    files.sort();
    files.dedup();
    let mut h = blake3::Hasher::new();
    for f in &files {
        let rel = f.strip_prefix(base).unwrap_or(f);
        h.update(rel.to_string_lossy().replace('\\', "/").as_bytes());
        h.update(&[0]);
        h.update(&std::fs::read(f)?);
        h.update(&[0]);
    }
    Ok(h.finalize().to_hex()[..16].to_string())
}

/// Every file under `dir`, following no symlink to a directory (a link out of the tree would
/// pull in what is no source of it).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), out)?;
        } else if kind.is_file() || kind.is_symlink() && entry.path().is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::of_sources;

    #[test]
    fn an_edit_a_new_file_or_a_move_anywhere_under_the_sources_is_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/stages")).unwrap();
        std::fs::write(root.join("src/main.rs"), "mod stages;\n").unwrap();
        std::fs::write(root.join("src/stages/helper.rs"), "pub fn f() {}\n").unwrap();
        std::fs::write(root.join("Cargo.lock"), "version = 3\n").unwrap();
        let v = || of_sources(root, &["src", "Cargo.lock"]).unwrap();
        let first = v();
        assert_eq!(first.len(), 16);
        assert_eq!(v(), first, "deterministic");
        // A helper module the stage calls, not the stage's own file: a new version.
        std::fs::write(root.join("src/stages/helper.rs"), "pub fn f() { g() }\n").unwrap();
        let edited = v();
        assert_ne!(edited, first);
        // A new file, and the same bytes moved elsewhere.
        std::fs::write(root.join("src/stages/new.rs"), "").unwrap();
        let added = v();
        assert_ne!(added, edited);
        std::fs::rename(root.join("src/stages/new.rs"), root.join("src/new.rs")).unwrap();
        assert_ne!(v(), added);
        // The lock file: a dependency upgraded.
        let before = v();
        std::fs::write(root.join("Cargo.lock"), "version = 4\n").unwrap();
        assert_ne!(v(), before);
        // A path that is not there is an error, not a version that never changes.
        let e = of_sources(root, &["scr"]).unwrap_err();
        assert!(e.to_string().contains("scr"), "{e}");
    }
}
