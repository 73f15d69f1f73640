//! A log's header and first rows, and the user's own names for its columns
//! (`--column customer_id="Cust #"`).

use super::*;

/// The first rows of a log, decoded: enough to tell columns apart.
pub(super) const SAMPLE_ROWS: usize = 5_000;

/// ... and of each further part of a log of parts (fewer each beyond 20 parts).
pub(super) const PART_SAMPLE_ROWS: usize = 1_000;

pub(super) fn csv_error(path: &Path, e: &csv::Error) -> String {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    format!(
        "`{}` line {line}: not readable as CSV ({e})",
        path.display()
    )
}

/// A log's delimiter, header and first rows.
pub(super) struct Sample {
    pub(super) delimiter: u8,
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

/// The header and the first [`SAMPLE_ROWS`] rows, decoded.
pub(super) fn sample(path: &Path, bytes: &[u8], starts: &[usize]) -> Result<Sample, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("`{}` is empty", path.display()));
    }
    // No text holds NUL bytes (UTF-16 is decoded by now): an image, a database or an archive
    // gosales cannot open was read as a header of garbage, and "no customer id column" said.
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(format!(
            "`{}` is not a text file (its first bytes are binary data: an archive, a database or an image?): give the sales log as CSV, a spreadsheet workbook, Parquet or JSON",
            path.display()
        ));
    }
    let delimiter = sniff_delimiter(bytes);
    let mut rdr = reader(bytes, delimiter);
    let mut rec = csv::ByteRecord::new();
    let mut rows = Vec::new();
    let mut header: Option<Vec<String>> = None;
    while rows.len() < SAMPLE_ROWS {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) if header.is_none() => header = Some(header_cells(&rec)),
            Ok(true) => rows.push(rec.iter().map(|f| decode(f).0.into_owned()).collect()),
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
    }
    let header = header.ok_or_else(|| format!("`{}` has no header line", path.display()))?;
    // A log of parts: the first rows of each part too, so that a part written otherwise (a
    // year of day-first dates after years of ISO ones) has its say in the choices; one file,
    // rows from three places through the rest, for the same reason. A start before where the
    // first rows ended holds rows already sampled.
    let covered = rdr.position().byte() as usize;
    let through: Vec<usize>;
    let starts = if starts.len() > 1 {
        starts
    } else {
        through = (0..5)
            .filter_map(|k| {
                let at = covered + k * bytes.len().saturating_sub(covered) / 4;
                let line = bytes.get(at..)?.iter().position(|&b| b == b'\n')?;
                Some(at + line + 1)
            })
            .collect();
        &through
    };
    let each = PART_SAMPLE_ROWS.min(4 * SAMPLE_ROWS / starts.len().max(1));
    for &start in starts.iter().skip(1).filter(|&&s| s >= covered) {
        let mut rdr = reader(bytes.get(start..).unwrap_or_default(), delimiter);
        let mut n = 0;
        while n < each && rdr.read_byte_record(&mut rec).unwrap_or(false) {
            rows.push(rec.iter().map(|f| decode(f).0.into_owned()).collect());
            n += 1;
        }
    }
    Ok(Sample {
        delimiter,
        header,
        rows,
    })
}

/// No column plays role `key` (`customer_id`): what was looked for, what there is, and how to
/// name it (a `Customer` column of numbers is an id in one export and a name in the next).
pub(super) fn refuse(
    path: &Path,
    what: &str,
    key: &str,
    looked_for: String,
    header: &[String],
) -> String {
    // Excel's PivotTable in its compact form writes every row field (customer, then product
    // under it) in one `Row Labels` column, telling them apart by indent alone.
    let compact = if header.iter().any(|h| h.eq_ignore_ascii_case("row labels")) {
        "; `Row Labels` is an Excel PivotTable in compact form, its row fields in one column told apart by indent only: in Excel choose PivotTable Design > Report Layout > Show in Tabular Form and Repeat All Item Labels, then save it again"
    } else {
        ""
    };
    format!(
        "`{}`: no {what} column (looked for {looked_for}); its columns are: {}; if one of them is it, name it: `--column {key}=HEADER`{compact}",
        path.display(),
        listed(header)
    )
}

/// A header's columns, each in backticks, for a message.
pub(super) fn listed(header: &[String]) -> String {
    header
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ETL's aliases with the user's own headers (`--column customer_id="Cust #"`) first, so
/// that they win over any guess; a header the file does not have, or a name no column is
/// known by, is an error that lists what there is.
/// `--column unit_price=HEADER`: each line's value is that column times its quantity.
pub(super) const UNIT_PRICE_KEY: &str = "unit_price";

pub(super) fn with_given(
    path: &Path,
    header: &[String],
    given: &[(String, String)],
) -> Result<Aliases, String> {
    let mut a = Aliases::default();
    for (canon, h) in given {
        if !header.contains(h) {
            return Err(format!(
                "`--column {canon}={h}`: `{}` has no column `{h}`; its columns are: {}",
                path.display(),
                listed(header)
            ));
        }
        // A unit price is no ETL alias: it is the value column, read per unit (`long_columns`).
        if canon == UNIT_PRICE_KEY {
            continue;
        }
        let Some(list) = a.names_mut(canon) else {
            return Err(format!(
                "`--column {canon}=...`: no column is called `{canon}`; name one of {}, {UNIT_PRICE_KEY}",
                Aliases::COLUMNS.join(", ")
            ));
        };
        list.insert(0, h.clone());
    }
    Ok(a)
}
