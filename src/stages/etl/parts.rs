//! A sales log in several parts: a folder of exports (`sales/2022.csv`, `sales/2023.xlsx`, ...),
//! as ERP and CRM systems write them a year or a quarter at a time, or a workbook with a sheet a
//! year, read as one log. Every part
//! goes through [`super::workbook`] (workbooks, UTF-16 text, report titles above the header),
//! then the parts are joined into one CSV text that the layout, the contracts and `init`'s
//! profile read as they read a single file. A [`LineMap`] takes each line of that text back to
//! its file and line, so a violation, a fact line's `source_row` and a message name the file
//! the user has to open.
//!
//! Parts with the same header (and delimiter) are joined byte for byte, each part's header
//! dropped: nothing about a row changes, not even its encoding. Parts whose headers differ (a
//! product column added in 2024, columns in another order, another delimiter) are written out
//! under the union of their columns, cells moved to their column's place and left empty where a
//! part has no such column; each such part gets a `part_columns_differ` warning naming what it
//! lacks, since a column renamed between exports would otherwise load as two half-empty ones.
//! A part most of whose columns the largest part lacks (a `notes.txt` among the exports, a pivot
//! sheet beside the data) is left out, with an `unrelated_part` warning.
//! Rows repeated across parts (overlapping exports) are the ETL's `exact_duplicate`s, as within
//! one file.

use std::path::Path;

use super::contracts::Severity;
use super::file_name;
use super::ingest::{file_line, repeats_header};
use super::layout::{decode, sniff_delimiter};

/// File endings read as parts of a folder; any other file there (a README, `.DS_Store`) is not.
pub const EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "tab", "psv", "dat", "xlsx", "xlsm", "xlsb", "xls", "ods", "parquet",
    // Compressed, as warehouses unload them (`data_0_0_0.csv.gz`, `0000_part_00.zst`).
    "gz", "zst", // JSON records (an API's dump, a warehouse's JSON unload).
    "json", "jsonl", "ndjson",
];

/// One sales log: one file, or every part of a folder joined.
#[derive(Debug)]
pub struct Log {
    /// The CSV text the ETL reads.
    pub bytes: Vec<u8>,
    /// The name of each part, in reading order: a file's, or `book.xlsx [2023]` for one of a
    /// workbook's sheets (one name for a single file of one table).
    pub files: Vec<String>,
    /// Whether the log was a folder.
    pub folder: bool,
    pub map: LineMap,
    /// Where each part's rows start in `bytes` (empty for a single table): a profile samples
    /// each part, not only the first.
    pub starts: Vec<usize>,
    /// The columns of the joined header each part lacks (as the header spells them).
    pub missing: Vec<Vec<String>>,
    /// What joining the parts found: a part with no rows, columns other parts do not have.
    pub notes: Vec<Note>,
    /// Each part's own delimiter: a `;` part's numbers default to a decimal comma even when it
    /// is joined with `,` parts (the ETL reads each part's numbers its own way).
    pub delimiters: Vec<u8>,
    /// The columns taken from partition folders' names (`region` of `region=West/`), as the
    /// parts' files do not hold them.
    pub partition_columns: Vec<String>,
}

/// A finding about one part, reported as a violation of `rule` in that file.
#[derive(Debug, Clone)]
pub struct Note {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

/// From a line of the joined text to (part, line of that part's file).
#[derive(Debug, Default)]
pub struct LineMap {
    /// (first joined line, part, its file line), ascending in the joined line.
    segments: Vec<(u64, usize, u64)>,
}

impl LineMap {
    /// The map of a text each of whose lines came from file line `origins[i]` of part `part`
    /// (a summary read as one line per row and month).
    pub fn of_lines(origins: &[u64], part: usize) -> LineMap {
        LineMap {
            segments: (1..).zip(origins).map(|(i, &o)| (i, part, o)).collect(),
        }
    }

    /// The part and file line of joined line `line` (1-based).
    pub fn locate(&self, line: u64) -> (usize, u64) {
        let i = self.segments.partition_point(|s| s.0 <= line);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some((start, part, first)) => (part, first + (line - start)),
            None => (0, line),
        }
    }
}

impl Log {
    /// Whether the log has parts (a folder, or a workbook's sheets): messages then name them.
    pub fn has_parts(&self) -> bool {
        self.folder || self.files.len() > 1
    }

    /// "line 12", or "`2023.csv` line 12" for a log of parts: where to look, for a message.
    pub fn place(&self, line: u64) -> String {
        let (file, line) = self.file_line(line);
        if self.has_parts() {
            format!("`{file}` line {line}")
        } else {
            format!("line {line}")
        }
    }

    /// A breach for each part that lacks one of `columns` (the log's key columns: its rows would
    /// all be dropped, or none would have a product): (part, message).
    pub fn missing_keys(&self, columns: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (file, missing) in self.files.iter().zip(&self.missing) {
            let lacks: Vec<String> = columns
                .iter()
                .filter(|(_, c)| missing.iter().any(|m| m == c))
                .map(|(role, c)| format!("`{c}` (the log's {role})"))
                .collect();
            if !lacks.is_empty() {
                out.push((
                    file.clone(),
                    format!(
                        "`{file}` has no {}: none of its rows could load; if the column is named otherwise there, give it one name in every part",
                        lacks.join(", ")
                    ),
                ));
            }
        }
        out
    }

    /// Whether the parts split one table by value or at random, as a partitioned or Spark-
    /// written folder does (`year=2021/`, `part-00000...`, Snowflake's `data_0_0_0...`), not
    /// by time as yearly exports do: an invoice's lines in two of them are one invoice, not an
    /// overlap.
    pub fn split_by_writer(&self) -> bool {
        !self.partition_columns.is_empty()
            || self.files.iter().all(|f| {
                let name = f.rsplit('/').next().unwrap_or(f);
                name.starts_with("part-") || name.starts_with("data_") || name.contains("_part_")
            })
    }

    /// The file name and file line of joined line `line`.
    pub fn file_line(&self, line: u64) -> (&str, u64) {
        let (part, line) = self.map.locate(line);
        (&self.files[part], line)
    }
}

/// What to say of the subfolders of log folder `path` that are not read, if any.
pub fn subfolders_not_read(path: &Path) -> Option<String> {
    let unread = unread_subfolders(path);
    let one = unread.len() == 1;
    (!unread.is_empty()).then(|| {
        format!(
            "subfolder{} {} of `{}` not read: only partition folders (`year=2021/`) are; if {} the log, move {} files up",
            if one { "" } else { "s" },
            unread.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", "),
            path.display(),
            if one { "it is part of" } else { "they are part of" },
            if one { "its" } else { "their" },
        )
    })
}

/// The log at `path`: a file as [`super::workbook::read`] reads it, or a folder's parts joined.
pub fn read(path: &Path) -> Result<Log, String> {
    read_except(path, None)
}

/// [`read`], leaving out file `holdout` if it is among a folder's parts (with a note).
pub fn read_except(path: &Path, holdout: Option<&Path>) -> Result<Log, String> {
    let folder = path.is_dir();
    let mut notes = Vec::new();
    let paths = if folder {
        let (paths, left_out) = files_except(path, holdout)?;
        if let Some(h) = holdout.filter(|_| left_out) {
            notes.push(Note {
                rule: "holdout_in_log_folder",
                severity: Severity::Warning,
                file: file_name(h),
                line: None,
                message: holdout_left_out(h, path),
            });
        }
        let unread = unread_subfolders(path);
        if let Some(message) = subfolders_not_read(path).filter(|_| !paths.is_empty()) {
            notes.push(Note {
                rule: "subfolder_not_read",
                severity: Severity::Warning,
                file: unread[0].clone(),
                line: None,
                message,
            });
        }
        paths
    } else {
        vec![path.to_path_buf()]
    };
    if paths.is_empty() {
        return Err(no_log_file(path));
    }
    // Every table of the log's files, read as text, with its name and partition values.
    let mut tables: Vec<summaries::Table> = Vec::new();
    for p in &paths {
        let name = if folder {
            part_name(path, p)
        } else {
            file_name(p)
        };
        let partition = partition_values(path, p);
        let mut sheets = match super::workbook::read_sheets(p) {
            Ok(sheets) => sheets,
            // A JSON file of no records among the exports (a list of names, a setting): no part
            // of the log, as a `notes.txt` is none.
            Err(_) if folder && holds_no_records(p) => {
                notes.push(Note {
                    rule: "unrelated_part",
                    severity: Severity::Warning,
                    message: format!("`{name}` is JSON holding no records (no object): not a part of this log, left out"),
                    file: name,
                    line: None,
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        if !folder && sheets.len() == 1 {
            // One file of one table: read as it is, whatever it holds (the contracts say); a
            // summary with a column per month as one line per row and month.
            let sheet = sheets.swap_remove(0);
            let (bytes, origins) = match summaries::summary(&name, &sheet, 3) {
                Some(s) => {
                    notes.push(s.note);
                    (s.bytes, Some(s.origins))
                }
                None => (sheet.bytes, sheet.origins),
            };
            let map = origins.map_or_else(LineMap::default, |o| LineMap::of_lines(&o, 0));
            return Ok(Log {
                bytes,
                files: vec![name],
                folder: false,
                map,
                starts: Vec::new(),
                missing: vec![Vec::new()],
                notes,
                delimiters: Vec::new(),
                partition_columns: Vec::new(),
            });
        }
        let several = sheets.len() > 1;
        for sheet in sheets {
            let name = match sheet.name.clone().filter(|_| several) {
                Some(sheet) => format!("{name} [{sheet}]"),
                None => name.clone(),
            };
            tables.push((name, sheet, partition.clone()));
        }
    }
    let reshaped = summaries::reshape(&tables);
    let mut parts = Vec::new();
    // Each part's note when it is a summary with a column per month, and its size as read.
    let mut summaries: Vec<(Option<Note>, usize)> = Vec::new();
    for ((name, sheet, partition), r) in tables.into_iter().zip(reshaped) {
        let size = sheet.bytes.len();
        let (bytes, origins, note) = match r {
            Some(s) => (s.bytes, Some(s.origins), Some(s.note)),
            None => (sheet.bytes, sheet.origins, None),
        };
        match Part::read(name, bytes) {
            Ok(part) => {
                parts.push(Part { origins, ..part }.with_partition(&partition));
                summaries.push((note, size));
            }
            Err((name, what)) => notes.push(Note {
                rule: "empty_part",
                severity: Severity::Warning,
                message: format!("`{name}` holds {what}: left out"),
                file: name,
                line: None,
            }),
        }
    }
    if parts.is_empty() {
        return Err(format!("every file in `{}` is empty", path.display()));
    }
    summaries::leave_out(&mut parts, summaries, &mut notes);
    // Invoices exported as a header table and a lines table are one log: the lines get the
    // header's columns, and the header is no part of its own.
    headers::join(&mut parts, &mut notes);
    // A `notes.txt` beside the exports, or a workbook's pivot sheet beside its data, is no part
    // of the log: a part most of whose columns the largest part (the most bytes: the data) does
    // not have is left out, and said so.
    let keys = |p: &Part| -> Vec<String> { p.header.iter().map(|h| column_key(h)).collect() };
    // The largest by the bytes of the parts that share most of its columns, then by its own: a
    // subsidiary's export under other headers, larger than any one year of the log, was taken
    // for the reference, and each year of the log was blamed for differing from it.
    let group_bytes = |i: usize| -> usize {
        let theirs = keys(&parts[i]);
        parts
            .iter()
            .filter(|p| {
                let (shared, named) = shared_columns(p, &theirs);
                2 * shared > named
            })
            .map(|p| p.bytes.len())
            .sum()
    };
    // Once per distinct header: an unload of thousands of parts has a handful of headers, and
    // weighing each part against every other was quadratic in the parts.
    let mut by_header: std::collections::HashMap<&[String], usize> = Default::default();
    let weight: Vec<usize> = (0..parts.len())
        .map(|i| {
            *by_header
                .entry(&parts[i].header)
                .or_insert_with(|| group_bytes(i))
        })
        .collect();
    // Lines joined to their invoices' header are the log, whatever is larger (Olist's payments,
    // a row an instalment, outweighed its items and were taken for the log).
    let largest = (0..parts.len())
        .max_by_key(|&i| {
            (
                parts[i].join.is_some(),
                weight[i],
                parts[i].bytes.len(),
                std::cmp::Reverse(i),
            )
        })
        .expect("parts");
    // A customer master larger than the log (a CRM's list of accounts, prospects and all) is
    // no reference: the log whose customers it lists is.
    let reference = {
        let theirs = keys(&parts[largest]);
        let unrelated = |p: &Part| {
            let (shared, named) = shared_columns(p, &theirs);
            2 * shared <= named
        };
        (0..parts.len())
            .filter(|&i| i != largest && unrelated(&parts[i]))
            .filter(|&i| masters::master_of(&parts[largest], &parts[i]).is_some())
            .max_by_key(|&i| (parts[i].bytes.len(), std::cmp::Reverse(i)))
            .unwrap_or(largest)
    };
    let columns: Vec<String> = keys(&parts[reference]);
    let reference_name = parts[reference].name.clone();
    let reference_width = parts[reference].header.len();
    // The widths of the log's own parts: a year may add a column (`Region` from 2022 on), so
    // an export under other headers as wide as any of them is the same log, not only one as
    // wide as the reference (a 7-column German export beside years of 7 to 9 columns was left
    // out as unrelated, a third of the sales with it, and the run exited 0).
    let log_widths = {
        let mut w = parts
            .iter()
            .filter(|p| {
                let (shared, named) = shared_columns(p, &columns);
                2 * shared > named
            })
            .map(|p| p.header.len());
        let first = w.next().unwrap_or(reference_width);
        w.fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x)))
    };
    let total: usize = parts.iter().map(|p| p.bytes.len()).sum();
    // Each part that is no part of the log, with the note that says why: a part most of whose
    // columns the reference lacks.
    let verdicts: Vec<Option<(&'static str, Severity, String)>> = (0..parts.len())
        .map(|i| {
            let p = &parts[i];
            let (shared, named) = shared_columns(p, &columns);
            // A narrow file sharing two columns or fewer (`Year,Division,GP` beside the log) is
            // a summary, however few columns it has: no sale line has fewer than three (a
            // customer, a day, a value).
            let summary = shared < 3 && 2 * p.header.len() < reference_width;
            // The reference itself stays, whatever its header (the contracts judge that).
            if i == reference || (2 * shared > named && !summary) {
                return None;
            }
            // As wide as the data and a tenth of the folder or more: the same log under other
            // headers (a subsidiary's export in its language, another export tool), not a notes
            // file; left out without a word, that is years of sales: it blocks instead. Unless
            // it is a master keyed by the customers (or products) the log repeats.
            let same_log = (log_widths.0..=log_widths.1).contains(&p.header.len())
                && 10 * p.bytes.len() >= total;
            let master = same_log
                .then(|| masters::master_of(p, &parts[reference]))
                .flatten();
            Some(match master {
                Some((key, theirs)) => (
                    "unrelated_part",
                    Severity::Warning,
                    format!(
                        "`{}` has one row per `{key}`, and holds the `{theirs}` values of `{reference_name}`: a master table, not a part of this log, left out",
                        p.name
                    ),
                ),
                None if same_log => (
                    "part_header_differs",
                    Severity::Blocking,
                    format!(
                        "`{}` shares {shared} of its {named} columns with `{reference_name}` but is as wide and holds {:.0}% of the folder: the same log under other headers (another language or export tool?); give every file the same header names",
                        p.name,
                        100.0 * p.bytes.len() as f64 / total.max(1) as f64
                    ),
                ),
                None => (
                    "unrelated_part",
                    Severity::Warning,
                    format!(
                        "`{}` shares {shared} of its {named} columns with `{reference_name}`: not a part of this log, left out",
                        p.name
                    ),
                ),
            })
        })
        .collect();
    let mut verdicts = verdicts.into_iter();
    parts.retain(|p| match verdicts.next().flatten() {
        None => true,
        Some((rule, severity, message)) => {
            notes.push(Note {
                rule,
                severity,
                file: p.name.clone(),
                line: None,
                message,
            });
            false
        }
    });
    copies::leave_out_copies(&mut parts, &mut notes);
    let delimiters = parts.iter().map(|p| p.delimiter).collect();
    let mut partition_columns: Vec<String> = Vec::new();
    for p in &parts {
        for c in &p.header[p.own_width()..p.own_width() + p.partition.len()] {
            if !partition_columns.contains(c) {
                partition_columns.push(c.clone());
            }
        }
    }
    // Partition values are cells the files lack: written in by the union.
    let same = parts.iter().all(|p| {
        p.delimiter == parts[0].delimiter
            && p.header == parts[0].header
            && p.header_ok
            && p.partition.is_empty()
            && p.join.is_none()
            && p.origins.is_none()
    });
    let joined = if same {
        concatenate(&mut parts)
    } else {
        union(&mut parts, &mut notes)?
    };
    Ok(Log {
        bytes: joined.bytes,
        files: parts.into_iter().map(|p| p.name).collect(),
        folder,
        map: joined.map,
        starts: joined.starts,
        missing: joined.missing,
        notes,
        delimiters,
        partition_columns,
    })
}

/// How many of a part's named columns are among `keys` (by [`column_key`]), and how many it has.
fn shared_columns(p: &Part, keys: &[String]) -> (usize, usize) {
    let named: Vec<&String> = p.header.iter().filter(|h| !h.is_empty()).collect();
    let shared = named
        .iter()
        .filter(|h| keys.contains(&column_key(h)))
        .count();
    (shared, named.len())
}

/// One file of a folder, as CSV text.
struct Part {
    name: String,
    bytes: Vec<u8>,
    delimiter: u8,
    /// The header's cells, decoded and trimmed, and as read.
    header: Vec<String>,
    raw_header: csv::ByteRecord,
    /// Whether the header is a plain line of its own (no quoted line break): only then can the
    /// part be joined byte for byte.
    header_ok: bool,
    /// Where the first line after the header starts, and its file line.
    data_start: usize,
    data_line: u64,
    /// The values of the partition columns after the file's own in `header`, which the file
    /// lacks.
    partition: Vec<Vec<u8>>,
    /// The invoices' header table each row looks its columns up in (after the partition
    /// columns in `header`), when the log was exported as two tables.
    join: Option<headers::Join>,
    /// The file line of each line of `bytes`, when they are not the file's own (a summary read
    /// as one line per row and month).
    origins: Option<Vec<u64>>,
}

impl Part {
    /// `Err((name, what it holds))` when the file has no header line or no line after it.
    fn read(name: String, bytes: Vec<u8>) -> Result<Part, (String, &'static str)> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err((name, "no header and no rows"));
        }
        let delimiter = sniff_delimiter(&bytes);
        let mut rdr = reader(&bytes, delimiter);
        let mut rec = csv::ByteRecord::new();
        let (header, raw_header) = loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) if blank(&rec) => continue,
                Ok(true) => break (header_cells(&rec), rec.clone()),
                // A header the reader cannot read: the ETL reports it once the text is joined.
                Ok(false) | Err(_) => return Err((name, "no header and no rows")),
            }
        };
        // The reader stops just after the header's terminator (before the `\n` of a CRLF).
        let mut data_start = (rdr.position().byte() as usize).min(bytes.len());
        if bytes.get(data_start) == Some(&b'\n') {
            data_start += 1;
        }
        let start_line = rec.position().map(|p| file_line(&bytes, p)).unwrap_or(1);
        let data_line = 1 + bytes[..data_start].iter().filter(|&&b| b == b'\n').count() as u64;
        let header_ok = data_line == start_line + 1 || bytes.len() == data_start;
        if bytes[data_start..].iter().all(u8::is_ascii_whitespace) {
            return Err((name, "a header and no rows"));
        }
        Ok(Part {
            name,
            bytes,
            delimiter,
            header,
            raw_header,
            header_ok,
            data_start,
            data_line,
            partition: Vec::new(),
            join: None,
            origins: None,
        })
    }

    /// The part with the columns of its partition folders (`region=West/`) after its own, as
    /// Spark reads them back; a column the file holds itself keeps the file's values.
    fn with_partition(mut self, values: &[(String, String)]) -> Part {
        for (column, value) in values {
            if !self
                .header
                .iter()
                .any(|h| column_key(h) == column_key(column))
            {
                self.header.push(column.clone());
                self.partition.push(value.clone().into_bytes());
            }
        }
        self
    }

    /// The file line of line `line` of the part's text.
    fn file_line(&self, line: u64) -> u64 {
        origin(self.origins.as_deref(), line)
    }

    /// How many columns the file itself has.
    fn own_width(&self) -> usize {
        let joined = self.join.as_ref().map_or(0, |j| j.lookup.columns.len());
        self.header.len() - self.partition.len() - joined
    }
}

/// The file line of line `line` (1-based) of a text whose lines came from file lines `origins`
/// (none: the file's own).
fn origin(origins: Option<&[u64]>, line: u64) -> u64 {
    origins
        .and_then(|o| o.get((line as usize).checked_sub(1)?))
        .copied()
        .unwrap_or(line)
}

/// A reader of a log's text as the parts and the profile read it: no header row of its own
/// (they take the first record), rows of any width (the contracts judge them).
pub(crate) fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

fn blank(rec: &csv::ByteRecord) -> bool {
    rec.len() == 1 && rec[0].iter().all(u8::is_ascii_whitespace)
}

/// A header's cells as names: decoded, a byte order mark and spaces around them taken off.
pub(crate) fn header_cells(rec: &csv::ByteRecord) -> Vec<String> {
    rec.iter()
        .enumerate()
        .map(|(i, f)| {
            let f = decode(f).0;
            let f = if i == 0 {
                f.trim_start_matches('\u{feff}').to_string()
            } else {
                f.into_owned()
            };
            f.trim().to_string()
        })
        .collect()
}

fn lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// A header as the union matches it: case, spaces and punctuation aside (`Customer ID`,
/// `Customer Id` and `customer_id` are one column), as an export tool's upgrade may rewrite it.
///
/// A letter's marks stay with it (Thai writes vowels as marks), but for the dot a Turkish `İ`
/// leaves on its small `i`.
pub(crate) fn column_key(h: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    h.chars()
        .filter(|&c| c.is_alphanumeric() || is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
        .collect()
}

mod copies;
mod headers;
mod join;
mod listing;
mod masters;
mod summaries;
use join::{concatenate, union};
pub use listing::{files, files_except, holdout_left_out, no_log_file, part_name};
use listing::{partition_values, unread_subfolders};

#[cfg(test)]
mod tests;

/// Whether the file at `path` is JSON holding no records ([`super::json::holds_no_records`]).
fn holds_no_records(path: &Path) -> bool {
    std::fs::read(path)
        .ok()
        .and_then(|b| super::compressed::inflate(path, b).ok())
        .is_some_and(|b| super::json::holds_no_records(&b))
}
