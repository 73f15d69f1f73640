//! Reading the sales log's rows (its layout comes from `layout.rs`): per-row parsing and
//! unpivoting into product lines (a wide row's products, or a long row's one line), in parallel
//! chunks.
//!
//! Rows are read in order, in chunks; each chunk is parsed on all cores; results are then merged
//! in file order, so output never depends on thread scheduling. Exact duplicate lines (byte for
//! byte) are dropped after the first and counted; several orders of one customer on one day are
//! all kept (the original dropped every one but the first).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::contracts::{Severity, Violations};
pub use super::ids::{id_twins, without_zeros};
use super::layout::{decode, Layout};
use super::parse;
use super::parts::Log;
use super::skumap::Sku;
pub(crate) use super::totals::total_label;

/// Limits that turn bad data into violations.
#[derive(Debug, Clone)]
pub struct Rules {
    pub date_min: Option<NaiveDate>,
    pub date_max: Option<NaiveDate>,
    /// Fields longer than this are treated as empty (and reported).
    pub max_field_bytes: usize,
    pub date_order: parse::DateOrder,
    /// Load a line that repeats an earlier one byte for byte instead of dropping it.
    pub keep_exact_duplicates: bool,
    /// Read an id of digits without its leading zeros (`00123` as `123`).
    pub strip_id_zeros: bool,
    /// Read an id by its words (`Acme Corp.` as `acme corp`).
    pub id_words: bool,
    /// Read an id of this prefix and digits without the prefix (`C-0001` as `0001`).
    pub id_prefix: Option<String>,
    /// A long log's cost column writes costs as negative numbers: GP is revenue plus it.
    pub cost_negative: bool,
    /// A long log's value column is a price per unit: a line's value is it times the quantity.
    pub value_per_unit: bool,
    /// A long log's cost column is a cost per unit: a line's cost is it times the quantity.
    pub cost_per_unit: bool,
    /// A long log's discount column writes fractions (`0.2` for 20%).
    pub discount_fraction: bool,
    /// A line of negative quantity has its GP read as negative (returns written unsigned).
    pub returns_by_quantity: bool,
    /// Every line's value has its sign turned (sales written negative, as credits).
    pub values_negative: bool,
    /// A long log's values (and costs) are in cents: read divided by 100.
    pub amounts_in_cents: bool,
    /// Beside values in cents, costs written in the currency: not divided.
    pub cost_in_currency: bool,
    /// Each date stands for its month: read as the month's last day.
    pub dates_are_months: bool,
}

/// One product line of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub sku: u16,
    pub division: String,
    pub gross_profit: f64,
    pub quantity: f64,
}

/// A raw row that survived, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line of the row in its file (the header is line 1), and which file of a folder.
    pub raw_row: u64,
    pub part: u32,
    pub customer_id: String,
    pub order_date: NaiveDate,
    pub source_division: String,
    pub customer_name: String,
    /// `None` when the file had no invoice id for the row.
    pub invoice_id: Option<String>,
    /// The explicit invoice-line id, when the log has such a column.
    pub line_id: Option<String>,
    pub lines: Vec<Line>,
    /// The id as written, when `customer_id_spelling: words` read it otherwise (`Acme Corp.`
    /// for `acme corp`): the spellings each customer was merged from, for QA.
    pub written_id: Option<String>,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Counts {
    pub raw_rows: u64,
    pub dropped: BTreeMap<String, u64>,
    pub staged_rows: u64,
    pub encoding_fallback_rows: u64,
    /// Long logs: lines of a product the SKU map does not name (their rows are kept, the lines
    /// not loaded).
    #[serde(skip_serializing_if = "is_zero")]
    pub unmapped_product_lines: u64,
    /// Lines of products the SKU map does not list, loaded in the division their row names.
    #[serde(skip_serializing_if = "is_zero")]
    pub unlisted_product_lines: u64,
    /// Rows kept that carry no line of value (no GP and no quantity: a quote, a comment line,
    /// an empty order): staged, no fact. Counted so that staged and fact rows add up.
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_without_a_line: u64,
    /// Unparseable dates that would parse with the other `date_order`: the hint for a log whose
    /// dates are day-first (or month-first) where the params say otherwise.
    #[serde(skip)]
    pub other_order_dates: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Counts {
    fn drop(&mut self, reason: &str) {
        *self.dropped.entry(reason.to_string()).or_insert(0) += 1;
    }
}

/// Whether `rec` is the header written again (a report repeats it at the top of every page):
/// the same fields, spaces and a byte order mark aside.
pub(crate) fn repeats_header(rec: &csv::ByteRecord, header: &csv::ByteRecord) -> bool {
    fn bare(b: &[u8]) -> &[u8] {
        b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b).trim_ascii()
    }
    // Field by field first: a data row differs at its first field, and the per-row cost is that.
    rec.len() == header.len()
        && rec
            .iter()
            .zip(header.iter())
            .all(|(a, h)| bare(a) == bare(h))
        && header.iter().any(|h| !h.trim_ascii().is_empty())
}

pub struct Ingested {
    pub layout: Layout,
    pub rows: Vec<Row>,
    pub counts: Counts,
    /// Whether each part of the log (one for a single file) writes a decimal comma.
    pub decimal_comma: Vec<bool>,
    /// The rows of each currency, when the log has a currency column.
    pub currencies: super::currency::Tally,
    /// How each part's dates were read (one entry for a single file).
    pub date_orders: Vec<parse::DateOrder>,
    /// Products the SKU map does not list, loaded in the division their rows name: SKUs
    /// `skus.len()` onwards, in the order of their first line.
    pub unlisted: Vec<Sku>,
}

/// What tells two raw rows apart: a hash of the fields' text and their lengths (the ETL's
/// `exact_duplicate`, and `init`'s count of them). The text as decoded, so that a line repeated
/// in a Windows-1252 export and a UTF-8 one (a folder's overlapping files) is one line. Only
/// compared in memory, within one run: a fast 128-bit hash (xxh3) in one call.
pub(crate) fn row_key(r: &csv::ByteRecord) -> [u8; 16] {
    let data = r.as_slice();
    let mut buf = Vec::with_capacity(data.len() + 4 * r.len() + 4);
    let mut lengths = Vec::with_capacity(r.len());
    if std::str::from_utf8(data).is_ok() {
        buf.extend_from_slice(data);
        lengths.extend(r.iter().map(<[u8]>::len));
    } else {
        for f in r.iter() {
            let text = decode(f).0;
            buf.extend_from_slice(text.as_bytes());
            lengths.push(text.len());
        }
    }
    // Read from its end (the count, then each length), the text names one record only.
    for n in &lengths {
        buf.extend_from_slice(&(*n as u32).to_le_bytes());
    }
    buf.extend_from_slice(&(r.len() as u32).to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&buf).to_le_bytes()
}

const CHUNK: usize = 32_768;

/// Rows of the file inside one field of `rec` (lines with a row's delimiters): a quote opened
/// and never closed on its line, so that the lines after it were read as one field, whatever
/// width the record then has. Rows are lost where nothing shows it (a scoring cutoff moves
/// back): the ETL blocks the build, and init refuses the log. A quoted address over two lines
/// holds no such line. One scan of the record's bytes first: almost no record holds a line
/// break.
pub(crate) fn swallowed_rows(rec: &csv::ByteRecord, delimiter: u8, width: usize) -> usize {
    if !rec.as_slice().contains(&b'\n') {
        return 0;
    }
    rec.iter()
        .filter(|f| f.contains(&b'\n'))
        .map(|f| {
            f.split(|&b| b == b'\n')
                .skip(1)
                .filter(|l| l.iter().filter(|&&b| b == delimiter).count() + 1 >= width.max(2))
                .count()
        })
        .sum()
}

/// Whether `rec` is longer than a header of `width` fields only by empty ones: padding a
/// spreadsheet added, or a value split by an unquoted delimiter (`2,694.10`) before an empty
/// last column, which no rule on the row alone tells apart. Read as padding, a tester's log of
/// such split amounts lost 29% of its GP with no word: such rows are dropped as ragged, and
/// the message says both readings.
pub(crate) fn padded(rec: &csv::ByteRecord, width: usize) -> bool {
    rec.len() > width && rec.iter().skip(width).all(|f| f.trim_ascii().is_empty())
}

/// The 1-based file line a record starts on. The csv reader records a record's position before
/// it consumes the `\n` left over from a CRLF terminator (and blank lines), so its line number
/// is one too early in CRLF files: count the line breaks between that position and the data.
pub fn file_line(bytes: &[u8], pos: &csv::Position) -> u64 {
    let mut line = pos.line();
    for &b in bytes.get(pos.byte() as usize..).unwrap_or_default() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Reads every data row of the sales log (`log`: its parts, when it has them, whose rows
/// start at `log.starts` in `bytes`).
pub fn ingest(
    bytes: &[u8],
    mut lay: Layout,
    skus: &[Sku],
    rules: &Rules,
    vio: &mut Violations,
    log: Option<&Log>,
) -> Ingested {
    let marks = super::marks::decimal_marks(bytes, &lay, log);
    lay.decimal_comma = marks[0];
    let mark = |line: u64| match log {
        Some(l) if marks.len() > 1 => marks[l.map.locate(line).0.min(marks.len() - 1)],
        _ => marks[0],
    };
    // A part written under the other date order is read under it (`part_dates`).
    let orders = super::part_dates::date_orders(bytes, &lay, log, rules.date_order);
    let switched = |line: u64| -> Option<(usize, u64)> {
        let l = log.filter(|_| orders.len() > 1)?;
        let k = l.map.locate(line).0.min(orders.len() - 1);
        (orders[k].order != rules.date_order).then_some((k, orders[k].evidence))
    };
    let other_rules = Rules {
        date_order: rules.date_order.other(),
        ..rules.clone()
    };
    let mut told: HashSet<usize> = HashSet::new();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(lay.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header = csv::ByteRecord::new();
    let _ = rdr.read_byte_record(&mut header);
    let form = shape::Form::of(bytes, lay.delimiter);
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    // Long logs: per product value the map does not name, (first file line, rows, GP).
    let mut unmapped: BTreeMap<String, (u64, u64, f64)> = BTreeMap::new();
    // Long logs: per product value read without its leading zeros, (first line, rows, SKU).
    let mut respelled: BTreeMap<String, (u64, u64, u16)> = BTreeMap::new();
    // Long logs: products the map does not list, loaded in their rows' division: the SKUs
    // given them, and per product (first line, lines, GP, divisions).
    let mut unlisted_skus: Vec<Sku> = Vec::new();
    let mut unlisted_at: HashMap<String, u16> = HashMap::new();
    let mut unlisted: BTreeMap<String, (u64, u64, f64, BTreeSet<String>)> = BTreeMap::new();
    let mut fallback_first: Option<u64> = None;
    // (first line, lines) of the header written again.
    let mut header_repeats: Option<(u64, u64)> = None;
    let mut currencies = super::currency::Tally::new(&lay);
    loop {
        let mut chunk: Vec<(u64, csv::ByteRecord)> = Vec::with_capacity(CHUNK);
        let mut rec = csv::ByteRecord::new();
        let mut read_error = None;
        while chunk.len() < CHUNK {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {
                    let line = rec.position().map(|p| file_line(bytes, p)).unwrap_or(0);
                    // A line with nothing on it is not a row.
                    if rec.len() == 1 && rec[0].iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // A report's page headers: the header again, mid-file.
                    if repeats_header(&rec, &header) {
                        counts.raw_rows += 1;
                        counts.drop("repeated_header");
                        header_repeats.get_or_insert((line, 0)).1 += 1;
                        continue;
                    }
                    // Rows of another width by the file's form: a header ending in unnamed
                    // columns, a delimiter after each row, empty trailing cells left out.
                    form.read(&mut rec, header.len());
                    // A ragged row is dropped: its fields are shifted, and a shifted amount
                    // counted as a currency hid the drop behind a currency warning.
                    if rec.len() == header.len() {
                        currencies.add(&rec, line);
                    }
                    chunk.push((line, std::mem::take(&mut rec)));
                }
                Ok(false) => break,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            }
        }
        if chunk.is_empty() && read_error.is_none() {
            break;
        }
        let parsed: Vec<([u8; 16], Parsed)> = chunk
            .par_iter()
            .map(|(line, r)| {
                let dc = mark(*line);
                let rules = if switched(*line).is_some() {
                    &other_rules
                } else {
                    rules
                };
                (row_key(r), parse_row(r, *line, &lay, dc, skus, rules))
            })
            .collect();
        for ((key, p), (line, rec)) in parsed.into_iter().zip(&chunk) {
            counts.raw_rows += 1;
            if let Some((k, evidence)) = switched(*line).filter(|(k, _)| told.insert(*k)) {
                let file = log.map_or("", |l| l.files.get(k).map_or("", String::as_str));
                vio.push(
                    "part_date_order",
                    Severity::Warning,
                    Some(*line),
                    &lay.header[lay.order_date],
                    "",
                    format!(
                        "`{file}` writes its dates {}: {evidence} of them read only that way, none {}, as the folder's other files are read (`date_order: {}`); the file is read as it is written (each file its own way, never row by row)",
                        rules.date_order.other().words(),
                        rules.date_order.words(),
                        rules.date_order.key(),
                    ),
                );
            }
            // A row of empty fields (`,,,,,`, a spreadsheet's blank line) is no line and no
            // duplicate: a tester's 544 were counted as 543 export duplicates and a blank
            // customer id, and the run advised `exact_duplicates: keep`.
            if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                counts.drop("blank_row");
                continue;
            }
            if !seen.insert(key) {
                // An identical line with a line id repeats its id too: it names the same line,
                // so it is an export duplicate whatever `exact_duplicates` says.
                let has_id = lay
                    .line_id
                    .and_then(|i| rec.get(i))
                    .is_some_and(|b| parse::id(&decode(b).0).is_some());
                let keep = rules.keep_exact_duplicates && !has_id;
                vio.push(
                    "exact_duplicate",
                    Severity::Warning,
                    Some(*line),
                    "",
                    "",
                    match (keep, has_id) {
                        (true, _) => {
                            "repeats an earlier line exactly: kept (`exact_duplicates: keep`)"
                        }
                        (false, true) => {
                            "repeats an earlier line exactly, its line id too: dropped"
                        }
                        (false, false) => "repeats an earlier line exactly: dropped",
                    },
                );
                if !keep {
                    counts.drop("exact_duplicate");
                    continue;
                }
            }
            if p.fallback {
                counts.encoding_fallback_rows += 1;
                fallback_first.get_or_insert(*line);
            }
            vio.extend(p.vio);
            counts.other_order_dates += u64::from(p.other_order);
            if let Some((product, sku)) = p.respelled {
                respelled.entry(product).or_insert((*line, 0, sku)).1 += 1;
            }
            let mut outcome = p.outcome;
            let mut unmapped_line = p.unmapped.is_some();
            let mut p_unmapped = p.unmapped;
            if let Some((product, mut new_line)) = p.unlisted {
                let next = skus.len() + unlisted_skus.len();
                let sku = match unlisted_at.get(&product) {
                    Some(&i) => Some(i),
                    // `u16::MAX` marks a line whose SKU is not yet given.
                    None if next < usize::from(u16::MAX) => {
                        unlisted_skus.push(Sku {
                            gp_column: product.clone(),
                            qty_column: String::new(),
                            division: new_line.division.clone(),
                            family: String::new(),
                            sale_type: String::new(),
                            routes: BTreeMap::new(),
                        });
                        unlisted_at.insert(product.clone(), next as u16);
                        Some(next as u16)
                    }
                    None => None,
                };
                match (sku, &mut outcome) {
                    (Some(sku), Outcome::Kept(row)) => {
                        let u = unlisted
                            .entry(product)
                            .or_insert((*line, 0, 0.0, BTreeSet::new()));
                        u.1 += 1;
                        u.2 += new_line.gross_profit;
                        u.3.insert(new_line.division.clone());
                        new_line.sku = sku;
                        row.lines.push(new_line);
                    }
                    (None, _) => {
                        unmapped_line = true;
                        p_unmapped = Some((product, new_line.gross_profit));
                    }
                    _ => {}
                }
            }
            if let Some((product, gp)) = p_unmapped {
                let u = unmapped.entry(product).or_insert((*line, 0, 0.0));
                u.1 += 1;
                u.2 += gp;
            }
            match outcome {
                Outcome::Kept(row) => {
                    counts.rows_without_a_line += u64::from(row.lines.is_empty() && !unmapped_line);
                    rows.push(row)
                }
                Outcome::Dropped(reason) => counts.drop(reason),
            }
        }
        if let Some(e) = read_error {
            let line = e.position().map(|p| file_line(bytes, p)).unwrap_or(0);
            vio.push(
                "unreadable_row",
                Severity::Blocking,
                Some(line),
                "",
                "",
                format!("CSV error: {e}"),
            );
            break;
        }
    }
    if let Some((line, n)) = header_repeats {
        vio.push(
            "repeated_header",
            Severity::Warning,
            Some(line),
            "",
            "",
            format!("{n} line(s) repeat the header (a report's page headers; this is the first): dropped"),
        );
    }
    // One warning for the file: a Windows-1252 export has the accents of thousands of lines.
    if let Some(line) = fallback_first {
        vio.push(
            "encoding_fallback",
            Severity::Warning,
            Some(line),
            "",
            "",
            format!(
                "{} line(s) are not valid UTF-8 (this is the first): decoded as Windows-1252; save the file as UTF-8 if its accents read wrong",
                counts.encoding_fallback_rows
            ),
        );
    }
    // One warning per product rather than per row: a log of an unmapped product has thousands.
    if let Some(long) = &lay.long {
        for (product, (line, n, sku)) in respelled {
            let mapped = &skus[sku as usize].gp_column;
            vio.push(
                "product_leading_zeros",
                Severity::Warning,
                Some(line),
                &lay.header[long.product],
                &product,
                format!(
                    "product `{product}` is read as `{mapped}` of the SKU map, its leading zeros set aside (a spreadsheet drops them): {n} line(s), this is the first"
                ),
            );
        }
        for (product, (line, n, gp, divisions)) in unlisted {
            counts.unlisted_product_lines += n;
            let divisions: Vec<String> = divisions.into_iter().map(|d| format!("`{d}`")).collect();
            vio.push(
                "unlisted_product",
                Severity::Warning,
                Some(line),
                &lay.header[long.product],
                &product,
                format!(
                    "product `{product}` is not in the SKU map: its {n} line(s) (GP {gp:.2}; this is the first) are loaded in {}, as the `{}` column names; add it to stages/sku_map.csv to settle its division",
                    divisions.join(" and "),
                    lay.division.map_or("division", |i| lay.header[i].as_str()),
                ),
            );
        }
        for (product, (line, n, gp)) in unmapped {
            counts.unmapped_product_lines += n;
            let (rule, message) = if product.is_empty() {
                (
                    "blank_product",
                    format!(
                        "{n} line(s) with no product (GP {gp:.2}; this is the first) are not loaded: fill in the `{}` column",
                        lay.header[long.product]
                    ),
                )
            } else {
                (
                    "unmapped_product",
                    format!(
                        "product `{product}` is not in the SKU map: its {n} line(s) (GP {gp:.2}; this is the first) are not loaded; add it to stages/sku_map.csv as `gp_column`"
                    ),
                )
            };
            vio.push(
                rule,
                Severity::Warning,
                Some(line),
                &lay.header[long.product],
                &product,
                message,
            );
        }
    }
    counts.staged_rows = rows.len() as u64;
    Ingested {
        layout: lay,
        rows,
        counts,
        decimal_comma: marks,
        currencies,
        date_orders: orders.iter().map(|o| o.order).collect(),
        unlisted: unlisted_skus,
    }
}

mod row;
pub(crate) mod shape;
use row::{parse_row, Outcome, Parsed};

#[cfg(test)]
mod tests;
