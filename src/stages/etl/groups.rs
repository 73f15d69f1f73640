//! A grouped report: the export of an accounting package's "Sales by Customer Detail" (QuickBooks
//! Online and Desktop write it so), where a customer's name stands alone on a row above its
//! transactions, whose own first cell is empty, and a `Total for <customer>` row closes the
//! group:
//!
//! ```text
//! ,Date,Transaction Type,Num,Product/Service,Qty,Amount,Balance
//! Amy's Bird Sanctuary,,,,,,,
//! ,03/14/2023,Invoice,1021,Design,4,300.00,300.00
//! Total for Amy's Bird Sanctuary,,,,,,$300.00,
//! ```
//!
//! Read as it is, no row names its customer and the log cannot load. Here the group's name is
//! written into the empty first cell of each of its rows, and that column is named for what the
//! report's title says it groups by (`Sales by Customer Detail`: `Customer`; else `Group`); the
//! group and total rows become empty lines, so every other line keeps its number in the file.
//! Groups may nest (a customer's jobs, a product's sub-items, each with its own total): a row
//! takes their names joined as QuickBooks writes a sub-item's, `Landscaping:Gardening`.

use super::layout::{decode, sniff_delimiter};

/// What a report's title lines say it groups by: `X` of `... by X Detail` (`Sales by
/// Customer Detail`, `Sales by Product/Service Detail`), in the lines above its header.
pub fn grouped_by(title: &str) -> Option<String> {
    title.lines().take(12).find_map(|line| {
        let line = line.trim().trim_matches(|c| c == '"' || c == ',');
        // ASCII case only: byte offsets in `lower` are offsets in `line`.
        let lower = line.to_ascii_lowercase();
        let at = lower.find(" by ")?;
        let end = lower.rfind(" detail")?;
        (end > at + 4).then(|| line[at + 4..end].trim().to_string())
    })
}

/// How the rows of a grouped report are told.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Header,
    /// Only the first cell has a value: a group's name (or a footer line, which no row follows).
    Group,
    /// `Total for X`, `TOTAL`: a group ends.
    Total,
    /// The first cell empty, others not: a row of the innermost group.
    Row,
    Other,
}

/// `Total for X` (QuickBooks Online), `TOTAL`; or `Total X` (QuickBooks Desktop) on a row with
/// an amount, since a group's own row has none (`Total Fitness Inc.` is a customer's name).
fn is_total(first: &str, amounts: bool) -> bool {
    let lower = first.to_lowercase();
    lower == "total"
        || lower == "grand total"
        || lower.starts_with("total for ")
        || (amounts && lower.starts_with("total "))
}

/// Whether [`fill`] would name `bytes`' rows by their groups (the text as read, its title
/// lines in place), and the column's name: for init to say.
pub fn describe(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
    let text = super::preamble::blank(bytes.to_vec());
    rows(&text, sniff_delimiter(&text))?;
    Some(grouped_by(&head).unwrap_or_else(|| "Group".to_string()))
}

/// The start byte and kind of each record of a grouped report; `None` for any other text.
fn rows(bytes: &[u8], delimiter: u8) -> Option<Vec<(usize, Kind)>> {
    let mut rdr = super::parts::reader(bytes, delimiter);
    let mut rec = csv::ByteRecord::new();
    let mut rows: Vec<(usize, Kind)> = Vec::new();
    let mut header_width = 0;
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        let start = record_start(bytes, &rec);
        let cells: Vec<bool> = rec.iter().map(|f| !f.trim_ascii().is_empty()).collect();
        if cells.iter().all(|c| !c) {
            continue;
        }
        let first = decode(&rec[0]).0.trim().to_string();
        let kind = if rows.is_empty() {
            header_width = rec.len();
            // A grouped report's header leaves the group's column unnamed.
            if cells[0] || cells.iter().filter(|&&c| c).count() < 2 {
                return None;
            }
            Kind::Header
        } else if cells[0] && is_total(&first, cells[1..].iter().any(|&c| c)) {
            Kind::Total
        } else if cells[0] && cells[1..].iter().all(|c| !c) {
            Kind::Group
        } else if !cells[0] {
            Kind::Row
        } else {
            Kind::Other
        };
        rows.push((start, kind));
    }
    let count = |k: Kind| rows.iter().filter(|r| r.1 == k).count();
    let (groups, data, other) = (count(Kind::Group), count(Kind::Row), count(Kind::Other));
    // Two groups or more, and nearly every other row without a first cell.
    (header_width >= 3 && groups >= 2 && data > 0 && other * 20 <= data).then_some(rows)
}

/// `bytes` (CSV text, its title lines already empty) with a grouped report's groups written
/// into its first column; any other text as it is. `by` names that column.
pub fn fill(bytes: Vec<u8>, by: Option<&str>) -> Vec<u8> {
    let delimiter = sniff_delimiter(&bytes);
    let Some(rows) = rows(&bytes, delimiter) else {
        return bytes;
    };
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut copied = 0;
    for (i, &(start, kind)) in rows.iter().enumerate() {
        let end = rows.get(i + 1).map_or(bytes.len(), |r| r.0);
        let row = &bytes[start..end];
        let content = text_len(row);
        let first = first_field(&row[..content], delimiter);
        out.extend_from_slice(&bytes[copied..start]);
        match kind {
            Kind::Header => {
                out.extend(quoted(by.unwrap_or("Group").as_bytes(), delimiter));
                out.extend_from_slice(&row[first..]);
            }
            Kind::Row => {
                out.extend(quoted(&stack.join(&b':'), delimiter));
                out.extend_from_slice(&row[first..]);
            }
            Kind::Group | Kind::Total => {
                if kind == Kind::Group {
                    stack.push(unquoted(&row[..first]));
                } else {
                    stack.pop();
                }
                // An empty line in its place (as many as it spanned), and its line end.
                out.extend(row[..content].iter().filter(|&&b| b == b'\n'));
                out.extend_from_slice(&row[content..]);
            }
            Kind::Other => out.extend_from_slice(row),
        }
        copied = end;
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

/// Where a record read from `bytes` starts: the reader's position is before the blank lines
/// it passed over to reach it.
pub(super) fn record_start(bytes: &[u8], rec: &csv::ByteRecord) -> usize {
    let mut start = rec.position().map_or(0, |p| p.byte() as usize);
    while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
        start += 1;
    }
    start
}

/// How long a row's text is without its line end (and the blank lines after it).
pub(super) fn text_len(row: &[u8]) -> usize {
    row.len()
        - row
            .iter()
            .rev()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count()
}

/// A field's text as written (its quotes and spaces around it off, `""` read as `"`), in the
/// file's own encoding.
fn unquoted(field: &[u8]) -> Vec<u8> {
    let field = field.trim_ascii();
    match field {
        [b'"', inner @ .., b'"'] => {
            let mut out = Vec::with_capacity(inner.len());
            let mut i = 0;
            while i < inner.len() {
                out.push(inner[i]);
                i += if inner[i] == b'"' && inner.get(i + 1) == Some(&b'"') {
                    2
                } else {
                    1
                };
            }
            out.trim_ascii().to_vec()
        }
        _ => field.to_vec(),
    }
}

/// `text` as a field: quoted when it holds the delimiter, a quote or a line end.
fn quoted(text: &[u8], delimiter: u8) -> Vec<u8> {
    if !text
        .iter()
        .any(|&b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
    {
        return text.to_vec();
    }
    let mut out = vec![b'"'];
    for &b in text {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

/// Where a row's first field ends (its delimiter not included): after its closing quote, or at
/// the first delimiter.
fn first_field(row: &[u8], delimiter: u8) -> usize {
    if row.first() == Some(&b'"') {
        let mut i = 1;
        while i < row.len() {
            if row[i] == b'"' {
                if row.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        return row.len();
    }
    row.iter()
        .position(|&b| b == delimiter)
        .unwrap_or(row.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_grouped_by_customer_names_each_row_and_keeps_its_lines() {
        let report = "Sales by Customer Detail\n\
            \"January - December, 2023\"\n\
            \n\
            ,Date,Transaction Type,Num,Product/Service,Qty,Amount,Balance\n\
            Amy's Bird Sanctuary,,,,,,,\n\
            ,03/14/2023,Invoice,1021,Design,4,300.00,300.00\n\
            ,04/02/2023,Invoice,1030,Rocks,1,15.00,315.00\n\
            Total for Amy's Bird Sanctuary,,,,,,$315.00,\n\
            \"Bill's Windsurf Shop, Inc.\",,,,,,,\n\
            \"\",05/01/2023,Credit Memo,1031,Design,-1,-75.00,-75.00\n\
            Total for \"Bill's Windsurf Shop, Inc.\",,,,,,-$75.00,\n\
            TOTAL,,,,,,$240.00,\n\
            \n\
            \"Thursday, Jan 04, 2024 09:14 AM GMT-08:00\"\n";
        let by = grouped_by(report);
        assert_eq!(by.as_deref(), Some("Customer"));
        // Letters whose lower case is longer (`İ`) do not move the name's place.
        assert_eq!(
            grouped_by("İSTANBUL İİ Sales by Müşteri Detail").as_deref(),
            Some("Müşteri")
        );
        let blanked = crate::stages::etl::preamble::blank(report.as_bytes().to_vec());
        let filled = String::from_utf8(fill(blanked, by.as_deref())).unwrap();
        let lines: Vec<&str> = filled.lines().collect();
        assert_eq!(lines.len(), report.lines().count(), "{filled:?}");
        assert_eq!(
            lines[3],
            "Customer,Date,Transaction Type,Num,Product/Service,Qty,Amount,Balance"
        );
        assert_eq!(lines[4], "");
        assert_eq!(
            lines[5],
            "Amy's Bird Sanctuary,03/14/2023,Invoice,1021,Design,4,300.00,300.00"
        );
        assert_eq!(lines[7], "");
        assert_eq!(
            lines[9],
            "\"Bill's Windsurf Shop, Inc.\",05/01/2023,Credit Memo,1031,Design,-1,-75.00,-75.00"
        );
        assert!(lines[10..].iter().all(|l| l.is_empty()), "{lines:?}");
    }

    #[test]
    fn quickbooks_desktop_totals_without_for_close_their_group() {
        let report = "Sales by Customer Detail\n\
            ,Date,Num,Item,Amount\n\
            Total Fitness Inc.,,,,\n\
            ,01/03/2023,71,Rocks,15.00\n\
            Total Total Fitness Inc.,,,,15.00\n\
            Amy's Bird Sanctuary,,,,\n\
            ,01/04/2023,72,Design,75.00\n\
            Total Amy's Bird Sanctuary,,,,75.00\n";
        let blanked = crate::stages::etl::preamble::blank(report.as_bytes().to_vec());
        let filled = String::from_utf8(fill(blanked, grouped_by(report).as_deref())).unwrap();
        let rows: Vec<&str> = filled.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            rows,
            [
                "Customer,Date,Num,Item,Amount",
                "Total Fitness Inc.,01/03/2023,71,Rocks,15.00",
                "Amy's Bird Sanctuary,01/04/2023,72,Design,75.00",
            ]
        );
    }

    #[test]
    fn nested_groups_are_named_as_sub_items_are() {
        let report = "Sales by Product/Service Detail\n\
            ;Date;Customer;Amount\n\
            Landscaping;;;\n\
            \x20  Gardening;;;\n\
            ;2023-03-14;Amy;300,00\n\
            \x20  Total for Gardening;;;300,00\n\
            ;2023-03-15;Bill;15,00\n\
            Total for Landscaping;;;315,00\n\
            Rocks;;;\n\
            ;2023-04-01;Amy;9,00\n";
        let by = grouped_by(report);
        assert_eq!(by.as_deref(), Some("Product/Service"));
        let blanked = crate::stages::etl::preamble::blank(report.as_bytes().to_vec());
        let filled = String::from_utf8(fill(blanked, by.as_deref())).unwrap();
        let rows: Vec<&str> = filled.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            rows,
            [
                "Product/Service;Date;Customer;Amount",
                "Landscaping:Gardening;2023-03-14;Amy;300,00",
                "Landscaping;2023-03-15;Bill;15,00",
                "Rocks;2023-04-01;Amy;9,00",
            ]
        );
    }

    #[test]
    fn a_log_with_a_first_column_of_its_own_is_untouched() {
        for text in [
            "Customer,Date,GP\nA,2023-01-02,5\nB,2023-01-03,6\n",
            // An unnamed first column of row numbers, as pandas writes one.
            ",Customer,Date,GP\n0,A,2023-01-02,5\n1,B,2023-01-03,6\n",
        ] {
            assert_eq!(fill(text.as_bytes().to_vec(), None), text.as_bytes());
        }
    }
}
