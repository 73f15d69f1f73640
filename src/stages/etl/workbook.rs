//! Sales logs saved as workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`): every worksheet
//! that holds a table (a cover sheet of notes is passed over), read with calamine, is handed on
//! as CSV text, so everything after it (the aliases, the layout, the contracts, `init`'s
//! profile) reads a workbook exactly as it reads its CSV export. A log's workbook of several
//! such sheets (a sheet a year) is read as one log of parts by [`super::parts`]; an enrichment
//! workbook is its first.
//!
//! Cells become text as a CSV export would write them: numbers in full (`120.1234`; whole ones
//! without `.0`, so an id `101` stays `101`), dates as ISO days (`2019-03-14`, with the time when
//! it is not midnight), booleans `TRUE`/`FALSE`, error cells as their text (`#N/A`, which the
//! contracts then report). Rows above the header (a report title in A1) are skipped: the header
//! is the first row with at least two cells. Skipped and blank rows stay as empty lines, which
//! CSV readers pass over, so a violation's row number is the spreadsheet's row number.
//! A Parquet file is handed on the same way, by [`super::columnar`].

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

/// Whether `bytes` are a workbook rather than text: a zip (xlsx, xlsm, xlsb, ods) or an OLE
/// compound file (xls).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The file at `path` as CSV text: a workbook's first sheet converted, any other file as it is.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    as_csv(path, bytes)
}

/// `bytes` as CSV text when they are a workbook (its first sheet that holds a table), else with
/// any report lines above the header emptied ([`super::preamble`]). `path` names the file in
/// errors.
pub fn as_csv(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    Ok(sheets(path, bytes)?.swap_remove(0).bytes)
}

/// A table of a file as CSV text.
pub struct Sheet {
    /// The sheet's name (`None` for a file of one table).
    pub name: Option<String>,
    pub bytes: Vec<u8>,
    /// The file line of each line of `bytes`, when they are not the file's own (JSON records).
    pub origins: Option<Vec<u64>>,
}

impl Sheet {
    fn text(name: Option<String>, bytes: Vec<u8>) -> Sheet {
        Sheet {
            name,
            bytes,
            origins: None,
        }
    }
}

/// File endings read as JSON whatever their first byte; a file of another name is read as JSON
/// only when it parses as JSON (a CSV header may start with `[`).
const JSON_EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson"];

fn named_json(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    JSON_EXTENSIONS
        .iter()
        .any(|e| name.ends_with(&format!(".{e}")))
}

/// The file at `path` as CSV texts: every sheet of a workbook that holds a table, by name in
/// the workbook's order (the first sheet when none does), or the one text of any other file
/// (named `None`).
pub fn read_sheets(path: &Path) -> Result<Vec<Sheet>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    sheets(path, bytes)
}

fn sheets(path: &Path, bytes: Vec<u8>) -> Result<Vec<Sheet>, String> {
    let bytes = super::compressed::inflate(path, bytes)?;
    if super::columnar::is_parquet(&bytes) {
        return Ok(vec![Sheet::text(
            None,
            super::columnar::to_csv(path, bytes)?,
        )]);
    }
    // UTF-16 first: PowerShell 5's `ConvertTo-Json > orders.json` writes it.
    let bytes = super::encoding::to_utf8(bytes);
    if named_json(path) || super::json::is_json(&bytes) {
        match super::json::to_csv(&path.display().to_string(), &bytes) {
            Ok((bytes, origins)) => {
                return Ok(vec![Sheet {
                    name: None,
                    bytes,
                    origins: Some(origins),
                }])
            }
            Err(e) if named_json(path) => return Err(e),
            // Not JSON after all: a CSV whose header starts with `[`.
            Err(_) => {}
        }
    }
    if !is_workbook(&bytes) {
        // A report's title lines above the header go, as a workbook's title rows do; a report
        // grouped by customer has each group's name written into its rows.
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
        let by = super::groups::grouped_by(&head);
        let text = super::preamble::blank(bytes);
        let text = super::groups::fill(text, by.as_deref());
        return Ok(vec![Sheet::text(None, super::orders::fill(text))]);
    }
    let shown = path.display();
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(&bytes[..]))
        .map_err(|e| format!("`{shown}` looks like a workbook but cannot be read: {e}"))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(format!("`{shown}`: the workbook has no worksheet"));
    }
    // The sheets that hold a table: a cover or notes sheet before the data is passed over.
    let mut first = None;
    let mut tables = Vec::new();
    for name in &names {
        let r = book
            .worksheet_range(name)
            .map_err(|e| format!("`{shown}`, sheet `{name}`: {e}"))?;
        if holds_table(&r) {
            unsaved_formulas(&mut book, name, &r, &shown.to_string())?;
            tables.push(Sheet::text(Some(name.clone()), to_csv(path, &r)?));
        } else if first.is_none() {
            first = Some((Some(name.clone()), r));
        }
    }
    if tables.is_empty() {
        let (name, r) = first.expect("a workbook with a sheet has a first sheet");
        tables.push(Sheet::text(name, to_csv(path, &r)?));
    }
    Ok(tables)
}

/// Refuses a sheet whose formulas have no saved value: a workbook written by a program (openpyxl,
/// a report generator) and never opened in a spreadsheet holds the formula `=F5-G5` and no
/// number, which would read as an empty cell, each line's GP a silent 0.
fn unsaved_formulas<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<R>,
    name: &str,
    values: &calamine::Range<Data>,
    shown: &str,
) -> Result<(), String> {
    // A format without formulas (`.ods` read as values, `.xls`) has none to miss.
    let Ok(formulas) = book.worksheet_formula(name) else {
        return Ok(());
    };
    let (r0, c0) = formulas.start().unwrap_or((0, 0));
    let mut missing = formulas.used_cells().filter(|(r, c, f)| {
        let at = (r0 + *r as u32, c0 + *c as u32);
        !f.is_empty()
            && values
                .get_value(at)
                .is_none_or(|v| matches!(v, Data::Empty))
    });
    let Some((r, c, f)) = missing.next() else {
        return Ok(());
    };
    let n = 1 + missing.count();
    Err(format!(
        "`{shown}`, sheet `{name}`: {n} cells hold a formula with no saved value (first: {}{} `={f}`), which would read as empty: the workbook was written by a program and never opened in a spreadsheet; open it in Excel or LibreOffice and save it, so that each formula's value is stored",
        column_letters(c0 + c as u32),
        r0 + r as u32 + 1
    ))
}

/// `A`, `Z`, `AA`: a 0-based column's letters.
fn column_letters(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One sheet as CSV text, an empty line for each row above the table so that line numbers are
/// the sheet's row numbers.
fn to_csv(path: &Path, range: &calamine::Range<Data>) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let mut out: Vec<u8> = Vec::new();
    // An empty line per sheet row above the used range, so line numbers are row numbers.
    let above = range.start().map_or(0, |(row, _)| row as usize);
    out.extend(std::iter::repeat_n(b'\n', above));
    let mut started = false;
    let mut title = String::new();
    for row in range.rows() {
        let cells = row.iter().filter(|c| !matches!(c, Data::Empty)).count();
        started |= cells >= 2;
        // A title above the header, or a blank row: an empty line, no record.
        if !started || cells == 0 {
            if !started {
                title.extend(row.iter().map(text));
                title.push('\n');
            }
            out.push(b'\n');
            continue;
        }
        let mut line = csv::Writer::from_writer(Vec::new());
        line.write_record(row.iter().map(text))
            .map_err(|e| format!("`{shown}`: {e}"))?;
        out.extend(line.into_inner().map_err(|e| format!("`{shown}`: {e}"))?);
    }
    let out = super::groups::fill(out, super::groups::grouped_by(&title).as_deref());
    Ok(super::orders::fill(out))
}

/// A header (a row of two or more cells) with at least one such row under it.
fn holds_table(range: &calamine::Range<Data>) -> bool {
    range
        .rows()
        .filter(|row| row.iter().filter(|c| !matches!(c, Data::Empty)).count() >= 2)
        .nth(1)
        .is_some()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number(d.as_f64()),
        },
        Data::DateTime(d) => number(d.as_f64()),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as a CSV export writes it: whole numbers without a decimal point, others in the
/// shortest form that reads back to the same value.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_an_export_writes_them() {
        assert_eq!(number(101.0), "101");
        assert_eq!(number(-40.5), "-40.5");
        assert_eq!(number(120.1234), "120.1234");
        assert_eq!(number(0.0001), "0.0001");
    }

    #[test]
    fn text_is_not_a_workbook() {
        assert!(!is_workbook(b"CustomerId,Rec Date\n1,2024-01-01\n"));
        let csv = b"a,b\n1,2\n".to_vec();
        assert_eq!(as_csv(Path::new("x.csv"), csv.clone()).unwrap(), csv);
        // A zip that is no workbook is a clear error naming the file.
        let e = as_csv(Path::new("x.xlsx"), b"PK\x03\x04garbage".to_vec()).unwrap_err();
        assert!(
            e.contains("`x.xlsx`") && e.contains("cannot be read"),
            "{e}"
        );
    }
}
