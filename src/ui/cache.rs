//! The tables the pages show, parsed once per version of their file and shared by every
//! request thread: paging, sorting and filtering a 300,000-row listing no longer re-reads it.
//!
//! A file's version is its length, modification time and (on Unix) inode and change time, taken
//! from the handle that is then parsed, so the table is of exactly that file: `gosales run`
//! publishes by rename, which gives a new inode, and an edit in place changes the length or the
//! times. Timestamps are coarse (a clock tick on Linux, 2 s on FAT), so a table read less than
//! [`RACY`] after its file's modification time is not trusted: a same-length rewrite within the
//! same tick would look unchanged. Such a file is read again until it has settled.
//!
//! One parse per file at a time: requests for a file being parsed wait for that parse rather
//! than start their own, and the map's lock is never held while parsing, so other files' pages
//! answer meanwhile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::files::{parse, Table};

/// How long after its modification time a file's table is trusted to be of that version.
const RACY: Duration = Duration::from_secs(2);

#[derive(Clone, Copy, PartialEq, Debug)]
struct Version {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64, i64, i64),
}

impl Version {
    fn of(m: &std::fs::Metadata) -> Version {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Version {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            inode: (m.dev(), m.ino(), m.ctime(), m.ctime_nsec()),
        }
    }
}

thread_local! {
    /// The files this request has read, each with the version it read: a page's banner is
    /// planned after its data is read, so a run that published in between (a new
    /// `whitespace.csv` after the old one was read) would have the banner vouch for a state
    /// the page does not show ([`changed_since_read`]).
    static READ: std::cell::RefCell<Vec<(PathBuf, Version)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Forgets the files read: called as each request starts (threads serve many requests).
pub fn new_request() {
    READ.with(|r| r.borrow_mut().clear());
}

/// Notes that this request read `path` as it was when `meta` was taken.
fn note_read(path: &Path, meta: &std::fs::Metadata) {
    READ.with(|r| r.borrow_mut().push((path.to_path_buf(), Version::of(meta))));
}

/// Opens `path` for this request, noting the version read ([`changed_since_read`]), with its
/// metadata: how every page's reader opens an output.
pub fn open_noted(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    note_read(path, &meta);
    Ok((file, meta))
}

/// The files this request read that have changed (or gone) since: what the page shows of them
/// is not what is on disk now.
pub fn changed_since_read() -> Vec<PathBuf> {
    READ.with(|r| {
        let mut changed: Vec<PathBuf> = r
            .borrow()
            .iter()
            .filter(|(p, v)| std::fs::metadata(p).map_or(true, |m| Version::of(&m) != *v))
            .map(|(p, _)| p.clone())
            .collect();
        changed.sort();
        changed.dedup();
        changed
    })
}

/// A table being parsed or parsed (`None`: the file has no readable header).
type Slot = Arc<OnceLock<Option<Arc<Table>>>>;

struct Entry {
    version: Version,
    settled: bool,
    slot: Slot,
}

#[derive(Default)]
pub(super) struct Cache {
    entries: Mutex<HashMap<PathBuf, Entry>>,
}

impl Cache {
    /// The whole table at `path`, parsed at most once per version of the file. `None` when the
    /// file is missing or unreadable (and whatever was held for it is dropped).
    pub fn table(&self, path: &Path) -> Option<Arc<Table>> {
        let Ok((file, meta)) = open_noted(path) else {
            self.lock().remove(path);
            return None;
        };
        let version = Version::of(&meta);
        let settled = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age >= RACY);
        let slot = {
            let mut entries = self.lock();
            match entries.get(path) {
                Some(e) if e.version == version && e.settled => Arc::clone(&e.slot),
                _ => {
                    // The old version is dropped now, not after the new one is parsed: one
                    // parsed copy of a file at a time (requests still showing it keep theirs).
                    let slot = Slot::default();
                    entries.insert(
                        path.to_path_buf(),
                        Entry {
                            version,
                            settled,
                            slot: Arc::clone(&slot),
                        },
                    );
                    slot
                }
            }
        };
        slot.get_or_init(|| parse(file, meta.len(), None).map(Arc::new))
            .clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Entry>> {
        // A request that panicked mid-insert leaves a map that is still whole.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The tables of this process's UI.
pub(super) fn table(path: &Path) -> Option<Arc<Table>> {
    static TABLES: OnceLock<Cache> = OnceLock::new();
    TABLES.get_or_init(Cache::default).table(path)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use super::Cache;

    /// Writes `text` in place and dates it `age` ago, as a file built a while before a visit.
    fn write(path: &Path, text: &str, age: u64) {
        std::fs::write(path, text).unwrap();
        date(path, age);
    }

    fn date(path: &Path, age: u64) {
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(age))
            .unwrap();
    }

    fn ids(c: &Cache, path: &Path) -> Vec<String> {
        let t = c.table(path).unwrap();
        t.rows().map(|r| r.get(0).to_string()).collect()
    }

    #[test]
    fn a_file_published_again_after_a_request_read_it_is_named_changed() {
        // What lets a page's banner say it may mix old and new results: the plan is made
        // after the data is read, from the files as they are then.
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        write(&a, "customer_id,p\n1,0.5\n", 60);
        write(&b, "customer_id,p\n1,0.5\n", 60);
        let c = Cache::default();
        super::new_request();
        c.table(&a).unwrap();
        c.table(&b).unwrap();
        assert!(super::changed_since_read().is_empty());
        // A run publishes a new `b` by rename, as the engine does.
        let staged = dir.path().join(".b.csv.new");
        write(&staged, "customer_id,p\n1,0.9\n", 0);
        std::fs::rename(&staged, &b).unwrap();
        assert_eq!(super::changed_since_read(), [b]);
        // The next request starts afresh.
        super::new_request();
        assert!(super::changed_since_read().is_empty());
    }

    #[test]
    fn a_table_is_parsed_once_and_read_again_when_its_file_is_rebuilt_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("icp_scores.csv");
        let c = Cache::default();
        write(&path, "customer_id,p\n1,0.5\n2,0.4\n", 60);
        let first = c.table(&path).unwrap();
        assert!(
            Arc::ptr_eq(&first, &c.table(&path).unwrap()),
            "parsed again"
        );
        // Rewritten in place, the same length, dated as before to the second: still read again.
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "customer_id,p\n3,0.5\n4,0.4\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(before)
            .unwrap();
        assert_eq!(ids(&c, &path), ["3", "4"]);
        // Published as `gosales run` does, by rename: the same length and date, another file.
        let staged = dir.path().join("staged.csv");
        write(&staged, "customer_id,p\n5,0.5\n6,0.4\n", 60);
        let when = std::fs::metadata(&staged).unwrap().modified().unwrap();
        std::fs::rename(&staged, &path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), when);
        assert_eq!(ids(&c, &path), ["5", "6"]);
        // A longer file.
        write(&path, "customer_id,p\n5,0.5\n6,0.4\n7,0.3\n", 30);
        assert_eq!(ids(&c, &path), ["5", "6", "7"]);
        let held = c.table(&path).unwrap();
        assert!(Arc::ptr_eq(&held, &c.table(&path).unwrap()));
        // Removed: nothing is served, and nothing is held for it.
        std::fs::remove_file(&path).unwrap();
        assert!(c.table(&path).is_none());
        assert!(c.lock().is_empty());
        write(&path, "customer_id,p\n8,0.1\n", 60);
        assert_eq!(ids(&c, &path), ["8"]);
    }

    #[test]
    fn a_file_written_just_now_is_read_on_every_request_until_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("whitespace.csv");
        let c = Cache::default();
        std::fs::write(&path, "customer_id\n1\n").unwrap();
        let a = c.table(&path).unwrap();
        assert!(!Arc::ptr_eq(&a, &c.table(&path).unwrap()));
        // The same length, within the same clock tick as like as not: never the old rows.
        std::fs::write(&path, "customer_id\n2\n").unwrap();
        assert_eq!(ids(&c, &path), ["2"]);
        date(&path, 5);
        let b = c.table(&path).unwrap();
        assert!(Arc::ptr_eq(&b, &c.table(&path).unwrap()));
    }

    #[test]
    fn requests_at_once_share_one_parse_and_a_file_without_a_header_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.csv");
        let mut text = String::from("customer_id,p\n");
        for i in 0..50_000 {
            text.push_str(&format!("{i},0.{i}\n"));
        }
        write(&path, &text, 60);
        let c = Cache::default();
        let tables: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| c.table(&path).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(tables[0].len(), 50_000);
        assert!(tables.iter().all(|t| Arc::ptr_eq(t, &tables[0])));
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, b"\xff\xfe,x\n1,2\n").unwrap();
        assert!(c.table(&bad).is_none());
        assert!(c.table(&dir.path().join("absent.csv")).is_none());
    }

    #[test]
    fn the_scores_page_never_shows_a_rebuilt_or_removed_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::engine::workspace::Workspace::new(dir.path());
        std::fs::write(
            dir.path().join("pipeline.yaml"),
            "version: 1\nnodes:\n  score:\n    cmd: \"true\"\n    outputs: [outputs/scores]\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("outputs/scores")).unwrap();
        let path = dir.path().join("outputs/scores/icp_scores.csv");
        let header = "customer_id,customer_name,division,p_icp,icp_grade\n";
        let v1 = format!("{header}7,Acme,PDM,0.9,A\n8,Bolt,PDM,0.8,B\n");
        write(&path, &v1, 60);
        let download = || {
            let r = crate::ui::handle(&ws, "/scores?format=csv");
            (r.status, String::from_utf8(r.body).unwrap())
        };
        assert_eq!(download(), (200, v1.clone()));
        assert_eq!(download(), (200, v1));
        // Rebuilt as `gosales run` publishes (a rename), the same length and date as before.
        let v2 = format!("{header}9,Cogs,CPE,0.7,A\n8,Bolt,PDM,0.8,B\n");
        let staged = dir.path().join("outputs/staged.csv");
        std::fs::write(&staged, &v2).unwrap();
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&staged)
            .unwrap()
            .set_modified(before)
            .unwrap();
        std::fs::rename(&staged, &path).unwrap();
        assert_eq!(download(), (200, v2));
        let page = String::from_utf8(crate::ui::handle(&ws, "/customer?id=9").body).unwrap();
        assert!(page.contains("Cogs"), "{page}");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(download().0, 404);
    }
}
