//! Free space and sizes, so a full disk is named as such and failed attempts never keep it full.

use std::path::Path;

/// Below this many free bytes a filesystem counts as full: a failed child there most likely
/// died of it (and could not say so: its log lives on the same disk).
const SHORT_BYTES: u64 = 1 << 20;

/// Bytes available to this user on the filesystem holding `path` (or its nearest existing
/// ancestor); `None` when it cannot be told.
pub fn available(path: &Path) -> Option<u64> {
    let mut p = Some(path);
    while let Some(dir) = p {
        if dir.exists() {
            let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
            let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
            // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statvfs.
            let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
            return (rc == 0).then(|| st.f_bavail as u64 * st.f_frsize as u64);
        }
        p = dir.parent();
    }
    None
}

/// True when the filesystem holding `path` has (almost) no space left.
pub fn short_of_space(path: &Path) -> bool {
    available(path).is_some_and(|b| b < SHORT_BYTES)
}

/// Total size of the files under `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// True when an error's text says the filesystem refused: full, read-only or not permitted.
pub fn is_fs_refusal(text: &str) -> bool {
    [
        "No space left on device",
        "os error 28",
        "Read-only file system",
        "os error 30",
        "Permission denied",
        "os error 13",
        "Disk quota exceeded",
        "File too large",
        "os error 27",
    ]
    .iter()
    .any(|m| text.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_and_sizes() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), [0u8; 100]).unwrap();
        std::fs::create_dir(d.path().join("b")).unwrap();
        std::fs::write(d.path().join("b/c"), [0u8; 23]).unwrap();
        assert_eq!(dir_size(d.path()), 123);
        assert!(available(&d.path().join("not/yet")).is_some_and(|b| b > 0));
        assert!(is_fs_refusal(
            "cannot write `x`: No space left on device (os error 28)"
        ));
        assert!(!is_fs_refusal("exited with code 3"));
    }
}
