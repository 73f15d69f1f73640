//! Reading the outputs the pages show. Paths are fixed by the pages, never taken from a request.
//!
//! A CSV is held as one text buffer with offsets ([`Table`]), not a `String` per cell: a 50 MB
//! output held as `Vec<Vec<String>>` took about ten times its size, and the allocator kept most
//! of it after the request. Whole tables are read through [`super::cache`], so paging, sorting
//! and filtering a listing parse its file once.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

/// A whole CSV output, its true values (the spreadsheet guard the writers put on text cells taken
/// off, as [`read_table`] does). For the small files a page reads whole (gains, calibration,
/// thresholds); a listing's file goes through the cache as a [`Table`].
#[cfg(test)]
pub(super) fn read_csv(path: &Path) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    read_table(path, None).map(Table::into_vecs)
}

/// [`read_csv`] and the error banner for the records it could not read (empty when none), for a
/// page that shows the file: a cut one lost its last row unseen.
pub(super) fn read_csv_said(path: &Path) -> Option<(Vec<String>, Vec<Vec<String>>, String)> {
    let t = read_table(path, None)?;
    let shown = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let banner = t.warning(&shown);
    let (h, rows) = t.into_vecs();
    Some((h, rows, banner))
}

/// The header and only the rows whose `col` is `value` (true values both), streamed: a
/// division's rows out of a 100,000-row file without holding the file.
pub(super) fn read_csv_where(
    path: &Path,
    col: &str,
    value: &str,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    read_table(path, Some((col, value))).map(Table::into_vecs)
}

/// A CSV output as the UI shows it: the true values (the spreadsheet guard the writers put on
/// text cells taken off), and the rows it could not read, counted rather than dropped unseen.
pub(super) struct Table {
    pub header: Vec<String>,
    /// Every cell's true value, row after row, with nothing between them.
    text: String,
    /// Where each row starts in `text`.
    starts: Vec<usize>,
    /// Where each cell ends, from its row's start: `header.len()` a row. `u32` rather than
    /// `usize` halves the largest part of the overhead; a record is far below 4 GB.
    ends: Vec<u32>,
    /// How many records could not be read, and the first one's error.
    pub bad: usize,
    pub first_bad: String,
}

/// One row of a [`Table`]; cheap to copy, so a filtered or sorted view is a `Vec` of these.
#[derive(Clone, Copy)]
pub(super) struct Row<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> Row<'a> {
    /// The true value of column `c` (panics past the header's width, as `row[c]` did).
    pub fn get(self, c: usize) -> &'a str {
        let t = self.table;
        let w = t.header.len();
        assert!(c < w, "column {c} of a {w}-column table");
        let at = self.index * w;
        let start = if c == 0 {
            0
        } else {
            t.ends[at + c - 1] as usize
        };
        let base = t.starts[self.index];
        &t.text[base + start..base + t.ends[at + c] as usize]
    }
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.table.header.len()).map(move |c| self.get(c))
    }
}

/// Cells by column number, for code that sorts either a table's rows or plain vectors.
pub(super) trait Cells {
    fn cell(&self, c: usize) -> &str;
}

impl Cells for Row<'_> {
    fn cell(&self, c: usize) -> &str {
        self.get(c)
    }
}

impl Cells for &Vec<String> {
    fn cell(&self, c: usize) -> &str {
        &self[c]
    }
}

impl Table {
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.len()).map(move |index| Row { table: self, index })
    }
    /// The column named `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
    /// The rows whose `col` is `value` (true values both); `None` without that column.
    pub fn rows_where(&self, col: &str, value: &str) -> Option<Vec<Row<'_>>> {
        let i = self.col(col)?;
        Some(self.rows().filter(|r| r.get(i) == value).collect())
    }
    fn into_vecs(self) -> (Vec<String>, Vec<Vec<String>>) {
        let rows = self
            .rows()
            .map(|r| r.iter().map(str::to_string).collect())
            .collect();
        (self.header, rows)
    }
    /// Bytes held, for the tests that bound it.
    #[cfg(test)]
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + 8 * self.starts.capacity() + 4 * self.ends.capacity()
    }
    /// An error banner naming the rows that could not be read; empty when there are none.
    pub fn warning(&self, path: &str) -> String {
        if self.bad == 0 {
            return String::new();
        }
        format!(
            "<p class=\"note failed\" id=\"malformed\">{} of <code>{}</code> cannot be read and {} not shown ({}): the file is truncated or was edited by hand. Rebuild it (<code>gosales run --force NODE</code> for the node that writes it) or see Audit.</p>",
            super::format::count(self.bad as u64, "record", "records"),
            super::html::esc(path),
            if self.bad == 1 { "is" } else { "are" },
            super::html::esc(&self.first_bad)
        )
    }
}

/// The rows of a CSV written with the spreadsheet guard, whose `col` is `value` (true values
/// both), or all of them when `only` is `None`. Streamed: a division's rows out of a
/// 100,000-row file without holding the file. Whole tables a page shows go through the cache.
pub(super) fn read_table(path: &Path, only: Option<(&str, &str)>) -> Option<Table> {
    let (file, _) = super::cache::open_noted(path).ok()?;
    parse(file, 0, only)
}

/// [`read_table`] of an open file; `size` (its length, or 0) sizes the buffer of a whole read.
pub(super) fn parse(input: impl Read, size: u64, only: Option<(&str, &str)>) -> Option<Table> {
    let mut r = csv::Reader::from_reader(Tail {
        inner: input,
        last: None,
    });
    let header: Vec<String> = r
        .headers()
        .ok()?
        .iter()
        .map(|h| crate::stages::spreadsheet_true(h).to_string())
        .collect();
    let only = match only {
        Some((col, value)) => Some((
            header.iter().position(|h| h == col)?,
            crate::stages::spreadsheet_safe(value).into_owned(),
        )),
        None => None,
    };
    let mut t = Table {
        header,
        // The true values are never longer than the file; a filtered read keeps few rows.
        text: String::with_capacity(if only.is_none() {
            usize::try_from(size).unwrap_or(0)
        } else {
            0
        }),
        starts: Vec::new(),
        ends: Vec::new(),
        bad: 0,
        first_bad: String::new(),
    };
    let width = t.header.len();
    let mut rec = csv::ByteRecord::new();
    // Whether the record read last is in `t` (a cut one is taken out again), or counted bad.
    let (mut kept_last, mut last_bad, mut last_line) = (false, false, 0);
    loop {
        let (err, stop) = match r.read_byte_record(&mut rec) {
            Ok(true) => match std::str::from_utf8(rec.as_slice()) {
                Ok(_) if rec.len() != width => (
                    Some(format!("{} fields, the header has {width}", rec.len())),
                    false,
                ),
                Ok(s) if u32::try_from(s.len()).is_err() => {
                    (Some("record too long".to_string()), false)
                }
                Ok(_) => (None, false),
                Err(_) => (Some("not UTF-8".to_string()), false),
            },
            Ok(false) => break,
            Err(e) => (Some(e.to_string()), e.is_io_error()),
        };
        (kept_last, last_bad) = (false, false);
        last_line = rec.position().map_or(0, |p| p.line());
        if let Some(e) = err {
            if t.bad == 0 {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                t.first_bad = if line > 0 && !e.contains("line") {
                    format!("line {line}: {e}")
                } else {
                    e
                };
            }
            t.bad += 1;
            last_bad = true;
            if stop || r.is_done() {
                break;
            }
            continue;
        }
        if let Some((i, v)) = &only {
            if rec.get(*i) != Some(v.as_bytes()) {
                continue;
            }
        }
        kept_last = true;
        let start = t.text.len();
        t.starts.push(start);
        for f in rec.iter() {
            // A field cut inside a character shows empty, as it always has.
            let f = std::str::from_utf8(f).unwrap_or_default();
            t.text.push_str(crate::stages::spreadsheet_true(f));
            t.ends.push((t.text.len() - start) as u32);
        }
    }
    // Every record the writers write ends in a newline: a file that does not was cut inside
    // its last one, which the CSV reader returns as if whole (a tester cut a whitespace list
    // inside a quoted explanation, and the page showed the row, the download closed its quote).
    let cut =
        r.get_ref().last.is_some_and(|b| b != b'\n') && r.position().record() > 1 && !last_bad;
    if cut {
        if kept_last {
            let start = t.starts.pop().unwrap_or(0);
            t.ends.truncate(t.starts.len() * width);
            t.text.truncate(start);
        }
        if t.bad == 0 {
            t.first_bad =
                format!("line {last_line}: the file ends inside this record, with no newline");
        }
        t.bad += 1;
    }
    t.text.shrink_to_fit();
    t.starts.shrink_to_fit();
    t.ends.shrink_to_fit();
    Some(t)
}

/// A reader that remembers the last byte it gave out.
struct Tail<R> {
    inner: R,
    last: Option<u8>,
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}

pub(super) fn read_json(path: &Path) -> Option<Value> {
    let (file, _) = super::cache::open_noted(path).ok()?;
    serde_json::from_reader(std::io::BufReader::new(file)).ok()
}

pub(super) fn num(v: &Value) -> String {
    v.as_f64()
        .map(|x| format!("{x:.3}"))
        .unwrap_or_else(|| "n/a".into())
}

/// A JSON value as escaped HTML text (strings without their quotes).
pub(super) fn val(v: &Value) -> String {
    super::html::esc(&match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::{read_csv, read_csv_where, read_table};

    #[test]
    fn whole_and_filtered_reads_give_true_values_and_match_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("holdout_scores_PDM.csv");
        // As the stages write them: formula-like text behind a `'`, a true `'=x` behind two.
        let text = "customer_id,label,p\n'=1+1,1,0.9\n''=x,0,0.1\n'-At Div,0,0.2\n-5,1,0.3\n";
        std::fs::write(&path, text).unwrap();
        let (h, rows) = read_csv(&path).unwrap();
        assert_eq!(h, ["customer_id", "label", "p"]);
        let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, ["=1+1", "'=x", "-At Div", "-5"]);
        let (_, only) = read_csv_where(&path, "customer_id", "=1+1").unwrap();
        assert_eq!(only, [["=1+1", "1", "0.9"]]);
        let (_, only) = read_csv_where(&path, "customer_id", "'=x").unwrap();
        assert_eq!(only, [["'=x", "0", "0.1"]]);
    }

    /// The reader as it was, a `String` per cell: the compact table must give exactly this.
    fn as_before(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>, usize, String) {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r
            .headers()
            .unwrap()
            .iter()
            .map(|h| crate::stages::spreadsheet_true(h).to_string())
            .collect();
        let (mut rows, mut bad, mut first_bad) = (Vec::new(), 0, String::new());
        let mut rec = csv::ByteRecord::new();
        loop {
            let (err, stop) = match r.read_byte_record(&mut rec) {
                Ok(true) => match std::str::from_utf8(rec.as_slice()) {
                    Ok(_) => (None, false),
                    Err(_) => (Some("not UTF-8".to_string()), false),
                },
                Ok(false) => break,
                Err(e) => (Some(e.to_string()), e.is_io_error()),
            };
            if let Some(e) = err {
                if bad == 0 {
                    let line = rec.position().map(|p| p.line()).unwrap_or(0);
                    first_bad = if line > 0 && !e.contains("line") {
                        format!("line {line}: {e}")
                    } else {
                        e
                    };
                }
                bad += 1;
                if stop || r.is_done() {
                    break;
                }
                continue;
            }
            rows.push(
                rec.iter()
                    .map(|f| {
                        crate::stages::spreadsheet_true(std::str::from_utf8(f).unwrap_or_default())
                            .to_string()
                    })
                    .collect(),
            );
        }
        (header, rows, bad, first_bad)
    }

    #[test]
    fn the_compact_table_holds_the_same_true_values_and_bad_records_as_a_cell_per_string() {
        let dir = tempfile::tempdir().unwrap();
        let cases: Vec<Vec<u8>> = vec![
            b"customer_id,customer_name,division,p\n'=1+1,''=x,'-At Div,0.5\n7,\"Acme, Inc\",PDM,\n8,\"two\nlines\",,-1e3\n\xd7\xa9,\xe2\x80\xaeevil,CPE,0.1\n".to_vec(),
            // Malformed: a short record, a long one, bytes that are not UTF-8, a torn last row.
            b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n\xff,x,y\n10,11,12\n13,\"14".to_vec(),
            // A character cut by a field boundary is valid UTF-8 as a whole: shown empty.
            b"a,b\n\xc3,\xa9\nx,y\n".to_vec(),
            b"a,b\n".to_vec(),
            b"".to_vec(),
        ];
        for (n, text) in cases.iter().enumerate() {
            let path = dir.path().join(format!("{n}.csv"));
            std::fs::write(&path, text).unwrap();
            let (header, rows, bad, first_bad) = as_before(&path);
            let t = read_table(&path, None).unwrap();
            assert_eq!(t.header, header, "case {n}");
            let got: Vec<Vec<&str>> = t.rows().map(|r| r.iter().collect()).collect();
            assert_eq!(got, rows, "case {n}");
            assert_eq!((t.bad, &t.first_bad), (bad, &first_bad), "case {n}");
            assert_eq!(t.len(), rows.len());
        }
    }

    #[test]
    fn malformed_records_are_counted_with_the_first_ones_line_and_the_rest_kept_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("whitespace.csv");
        std::fs::write(
            &path,
            "customer_id,division\n1,PDM\n2\n3,CPE\n4,CPE,x\n5,PDM\n",
        )
        .unwrap();
        let t = read_table(&path, None).unwrap();
        let ids: Vec<&str> = t.rows().map(|r| r.get(0)).collect();
        assert_eq!(ids, ["1", "3", "5"]);
        assert_eq!(t.bad, 2);
        assert!(t.first_bad.contains("line: 3"), "{}", t.first_bad);
        assert!(t.warning("outputs/whitespace.csv").contains("2 records of"));
        // A filtered read counts the bad records of the whole file too.
        let only = read_table(&path, Some(("division", "PDM"))).unwrap();
        assert_eq!(
            only.rows().map(|r| r.get(0)).collect::<Vec<_>>(),
            ["1", "5"]
        );
        assert_eq!(only.bad, 2);
        let rows = t.rows_where("division", "CPE").unwrap();
        assert_eq!(rows.iter().map(|r| r.get(0)).collect::<Vec<_>>(), ["3"]);
        assert!(t.rows_where("grade", "A").is_none());
    }

    #[test]
    fn a_file_cut_inside_its_last_record_shows_that_record_as_unreadable() {
        // A whitespace list cut inside its last quoted explanation kept every field: the page
        // showed the row as whole, no banner, and the download closed the quote.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("whitespace.csv");
        let whole =
            "customer_id,division,why\n1,PDM,\"buyers of its SKUs, often\"\n2,CPE,\"peers buy\"\n";
        std::fs::write(&path, &whole[..whole.len() - 6]).unwrap();
        for only in [None, Some(("division", "CPE"))] {
            let t = read_table(&path, only).unwrap();
            let ids: Vec<&str> = t.rows().map(|r| r.get(0)).collect();
            assert_eq!(ids, if only.is_none() { vec!["1"] } else { vec![] });
            assert_eq!(t.bad, 1);
            assert!(
                t.first_bad
                    .contains("line 3: the file ends inside this record"),
                "{}",
                t.first_bad
            );
        }
        // The pages that read a small file whole (the models' thresholds, gains, calibration)
        // say it too: they lost the row unseen.
        let (_, rows, banner) = super::read_csv_said(&path).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(
            banner.contains("1 record of <code>whitespace.csv</code> cannot be read"),
            "{banner}"
        );
        // Whole, nothing is unreadable; nor is a file of a header alone without its newline.
        std::fs::write(&path, whole).unwrap();
        assert_eq!(read_table(&path, None).unwrap().bad, 0);
        std::fs::write(&path, "customer_id,division").unwrap();
        assert_eq!(read_table(&path, None).unwrap().bad, 0);
    }

    #[test]
    fn a_table_holds_little_more_than_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("icp_scores.csv");
        let mut text = String::from("customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n");
        for i in 0..20_000 {
            text.push_str(&format!("{i},Customer {i},PDM,0.{i:05},50,C,recency,breadth,tenure,0123456789abcdef,2024-12-31\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let t = super::parse(std::fs::File::open(&path).unwrap(), text.len() as u64, None).unwrap();
        assert_eq!(t.len(), 20_000);
        // A `String` per cell took over three times the file; one buffer and offsets, under 1.5.
        assert!(
            t.heap_bytes() * 2 < text.len() * 3,
            "{} bytes for a {}-byte file",
            t.heap_bytes(),
            text.len()
        );
    }
}
