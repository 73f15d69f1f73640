//! Staging: the names `cmd` outputs are staged under, and what an attempt leaves there (reset
//! for a rerun attempt, kept after a failure, or discarded).

use std::fs;
use std::path::Path;

use super::Prepared;
use crate::graph::Instance;
use crate::manifest::Manifest;
use crate::Error;

/// The longest file name (one path component) Linux file systems take, in bytes.
pub const NAME_MAX: usize = 255;

/// A `cmd` output's staged name: `<safe id>+<k>+<file name>`, keeping as much of the end of the
/// file name (its extension, which some tools read) as fits in [`NAME_MAX`] bytes. The
/// `<safe id>+<k>+` prefix alone makes it unique: [`file_safe`](crate::workspace::file_safe)
/// never writes a `+`. With `.` (which ids hold) node `a`'s output `0.y` and node `a.1`'s `y`
/// were both `a.1.0.y`, and one published the other's bytes.
pub(super) fn staged_name(safe: &str, k: usize, name: &str) -> String {
    let prefix = format!("{safe}+{k}+");
    let room = NAME_MAX.saturating_sub(prefix.len());
    let mut start = name.len().saturating_sub(room);
    while !name.is_char_boundary(start) {
        start += 1;
    }
    format!("{prefix}{}", &name[start..])
}

/// A declared output whose file name (or a directory's) is longer than [`NAME_MAX`] bytes
/// cannot be written anywhere: said so up front, instead of a child's `File name too long`
/// or a "did not create declared output".
pub(super) fn check_name_lengths(m: &Manifest, inst: &Instance) -> Result<(), Error> {
    let def = &m.nodes[inst.node_idx];
    for (k, o) in inst.outputs.iter().enumerate() {
        if let Some(long) = Path::new(&o.path)
            .components()
            .map(|c| c.as_os_str().len())
            .find(|&n| n > NAME_MAX)
        {
            // The output as declared (instances keep the declared order), else the action.
            let pos = def
                .outputs
                .get(k)
                .map(|(_, l)| l.pos)
                .unwrap_or(match &def.action {
                    crate::manifest::Action::Cmd { pos, .. } => *pos,
                    crate::manifest::Action::Stage { pos, .. } => *pos,
                });
            return Err(m
                .file
                .error(
                    pos,
                    crate::diagnostic::ErrorKind::InvalidValue {
                        value: o.path.clone(),
                        context: format!("an output of `{}`", inst.id),
                        reason: format!(
                            "a name in this path is {long} bytes long; file systems take at most {NAME_MAX} bytes per file or directory name (shorten the partition value or the output's name)"
                        ),
                    },
                )
                .into());
        }
    }
    Ok(())
}

/// Puts the instance's staging back as [`prepare`](super::prepare) left it: every staged
/// output, the stage report and `outcome_file` removed, the initial directories recreated
/// empty. A Slurm job runs this before its child, so an attempt Slurm requeued (`scontrol
/// requeue`, a node that went DOWN) starts from empty outputs instead of appending to the
/// first attempt's files.
pub fn reset_staging(p: &Prepared, outcome_file: &Path) -> std::io::Result<()> {
    let _ = fs::remove_file(outcome_file);
    if let Some(r) = &p.report {
        let _ = fs::remove_file(r);
    }
    for (_, staged) in &p.outputs {
        match fs::symlink_metadata(staged) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(staged)?,
            Ok(_) => fs::remove_file(staged)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    for d in &p.fresh_dirs {
        fs::create_dir_all(d)?;
    }
    Ok(())
}

/// Total bytes of the staged outputs that exist (what a failed attempt left).
pub fn staged_size(p: &Prepared) -> u64 {
    p.outputs
        .iter()
        .map(|(_, staged)| crate::space::dir_size(staged))
        .sum()
}

/// True when the attempt left a file behind in any staged output. Output directories are
/// created empty before the attempt, so a directory holding no file says nothing worth keeping.
pub fn has_staged(p: &Prepared) -> bool {
    p.outputs.iter().any(|(_, staged)| {
        walkdir::WalkDir::new(staged)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| !e.file_type().is_dir())
    })
}

/// Moves what a failed attempt wrote to `kept`, each output under its declared path.
pub fn keep_staged(p: &Prepared, kept: &Path) -> std::io::Result<()> {
    for (rel, staged) in &p.outputs {
        if staged.exists() {
            let dest = kept.join(rel);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(staged, dest)?;
        }
    }
    Ok(())
}

/// Removes everything the instance staged, and the cores file the scheduler may have written
/// beside it (it lies in the run's directory, not the instance's staging, which a `cmd` has
/// none of).
pub fn discard(p: &Prepared) {
    for (_, staged) in &p.outputs {
        if staged.exists() {
            remove_any(staged);
        }
    }
    if p.staging.exists() {
        let _ = fs::remove_dir_all(&p.staging);
    }
    let _ = fs::remove_file(&p.cores_file);
    let _ = fs::remove_file(p.cores_file.with_extension("cores.tmp"));
}

pub(super) fn remove_any(p: &Path) {
    let _ = fs::remove_dir_all(p).or_else(|_| fs::remove_file(p));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_names_fit_in_a_file_name() {
        assert_eq!(staged_name("gen@a", 0, "a.txt"), "gen@a+0+a.txt");
        // Node `a`'s second output `0.y` and node `a.1`'s first, `y`: two names.
        assert_ne!(staged_name("a", 1, "0.y"), staged_name("a.1", 0, "y"));
        let long = format!("{}.parquet", "v".repeat(250));
        let name = staged_name(&"s".repeat(110), 3, &long);
        assert_eq!(name.len(), NAME_MAX);
        assert!(name.ends_with("v.parquet"));
        // Not cut inside a character.
        let name = staged_name(&"s".repeat(110), 0, &"é".repeat(200));
        assert!(name.len() <= NAME_MAX);
    }

    #[test]
    fn a_rerun_attempt_starts_from_empty_staging() {
        let dir = std::env::temp_dir().join(format!("gosales-reset-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let staging = dir.join("inst");
        let out_dir = staging.join("out/outputs");
        fs::create_dir_all(&out_dir).unwrap();
        let file = dir.join("inst.0.x.txt");
        let tree = out_dir.join("tree");
        fs::create_dir_all(tree.join("sub")).unwrap();
        fs::write(tree.join("sub/part"), "first attempt").unwrap();
        fs::write(&file, "start\n").unwrap();
        let outcome = staging.join("outcome.json");
        fs::write(&outcome, "{}").unwrap();
        fs::write(staging.join("prepared.json"), "{}").unwrap();
        let p = Prepared {
            id: "inst".into(),
            program: vec!["true".into()],
            staging: staging.clone(),
            log: dir.join("inst.log"),
            root: dir.clone(),
            outputs: vec![
                ("x.txt".into(), file.clone()),
                ("outputs/tree".into(), tree.clone()),
            ],
            report: Some(staging.join("report.json")),
            cores_file: dir.join("inst.cores"),
            fresh_dirs: vec![out_dir.clone(), tree.clone()],
        };
        reset_staging(&p, &outcome).unwrap();
        assert!(!file.exists() && !outcome.exists());
        assert!(tree.is_dir() && fs::read_dir(&tree).unwrap().next().is_none());
        // What the job needs to run again stays.
        assert!(staging.join("prepared.json").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
