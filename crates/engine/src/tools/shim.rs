//! Version managers' shims. `python3` on `PATH` is often a pyenv (rbenv, nodenv, asdf, mise)
//! shim: a small script that runs whichever interpreter `.python-version`, `PYENV_VERSION` or
//! the global setting chooses. Its own bytes never change when that choice does, so hashing the
//! shim alone missed a switch from Python 3.11 to 3.13 (a tester's `.python-version`). The
//! manager is asked, as the shim will ask it, which program it runs, from the workspace root
//! where commands run; that program is then hashed as well.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Managers whose shims dispatch through `MANAGER which NAME`.
const MANAGERS: &[&str] = &[
    "pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv", "phpenv", "asdf", "mise", "rtx",
];

type Memo = Mutex<HashMap<(PathBuf, PathBuf, String), Option<PathBuf>>>;

/// Asked once a process per workspace, shim and name: a command runs `pyenv which` in 50 ms.
static MEMO: OnceLock<Memo> = OnceLock::new();

/// The program the shim `file` (found for the word `name`) runs when started in `root`, if
/// `file` is a shim of a known manager that answers.
pub(super) fn target(root: &Path, file: &Path, name: &str) -> Option<PathBuf> {
    if file.parent()?.file_name()? != "shims" {
        return None;
    }
    let key = (root.to_path_buf(), file.to_path_buf(), name.to_string());
    let memo = MEMO.get_or_init(Default::default);
    if let Some(t) = memo.lock().expect("shim memo").get(&key) {
        return t.clone();
    }
    let t = manager(file).and_then(|m| ask(&m, root, name));
    memo.lock().expect("shim memo").insert(key, t.clone());
    t
}

/// A shim's manager: a symlink's target (mise's shims link to `mise`), else the known manager
/// the script's text runs (`exec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"`).
fn manager(file: &Path) -> Option<PathBuf> {
    let known = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| MANAGERS.contains(&n))
    };
    if std::fs::symlink_metadata(file)
        .ok()?
        .file_type()
        .is_symlink()
    {
        let target = std::fs::canonicalize(file).ok()?;
        return known(&target).then_some(target);
    }
    let head = super::read::bounded(file, 16 << 10);
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace()
        .map(|w| Path::new(w.trim_matches(['"', '\''])))
        .find(|p| p.is_absolute() && known(p) && p.is_file())
        .map(Path::to_path_buf)
}

/// Files a manager reads to choose the version: its version files in the workspace root and
/// every directory above it, and its own global setting beside `shims/` (present or not: one
/// created later is a switch too). Watched by the no-op certificate.
pub(super) fn consulted(root: &Path, file: &Path) -> Vec<PathBuf> {
    const FILES: &[&str] = &[
        ".python-version",
        ".ruby-version",
        ".node-version",
        ".nvmrc",
        ".go-version",
        ".java-version",
        ".perl-version",
        ".php-version",
        ".tool-versions",
        ".mise.toml",
        "mise.toml",
    ];
    let mut out: Vec<PathBuf> = root
        .ancestors()
        .flat_map(|d| FILES.iter().map(move |f| d.join(f)))
        .collect();
    if let Some(home) = file.parent().and_then(Path::parent) {
        out.push(home.join("version"));
    }
    out
}

/// Whether an environment variable can change what a shim runs (`PYENV_VERSION`,
/// `ASDF_PYTHON_VERSION`, `MISE_ENV`): the certificate's key holds their values.
pub fn is_manager_variable(name: &str) -> bool {
    MANAGERS.iter().any(|m| {
        name.len() > m.len()
            && name[..m.len()].eq_ignore_ascii_case(m)
            && name.as_bytes()[m.len()] == b'_'
    })
}

fn ask(manager: &Path, root: &Path, name: &str) -> Option<PathBuf> {
    let out = std::process::Command::new(manager)
        .args(["which", name])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && path.is_absolute() && path.is_file()).then_some(path)
}
