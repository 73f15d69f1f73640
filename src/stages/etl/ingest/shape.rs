//! Rows whose field count is not the header's for a reason of the export's, not of the data:
//! a delimiter written at the end of every data row, the cells of a header's unnamed last
//! columns, and empty trailing fields left out. Each
//! are read back to the header's width, as init's profile and the ETL read them alike; any
//! other row of another field count stays ragged (its fields may have moved).

/// Rows of the file's head looked at to tell its form.
const HEAD_ROWS: usize = 2_000;

/// What a cell holds, as far as telling a row's cells moved goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Whole,
    Decimal,
    Date,
    Text,
    /// A column of several kinds: any cell fits it.
    Any,
}

fn kind(cell: &[u8]) -> Option<Kind> {
    let text = String::from_utf8_lossy(cell);
    let t = text
        .trim()
        .trim_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥' | '(' | ')' | ' '));
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    if t.is_empty() {
        return (!text.trim().is_empty()).then_some(Kind::Text);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Kind::Whole);
    }
    let date = || crate::stages::etl::parse::date(t).is_some();
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b",.' ".contains(&b))
    {
        // `1978.3` and `1.234.567` are numbers, though the first reads as a month too; a
        // date of digits alone is written in three parts (`05.01.2024`).
        let parts = t.split([',', '.', '\'', ' ']).count();
        return Some(if parts == 3 && date() {
            Kind::Date
        } else {
            Kind::Decimal
        });
    }
    Some(if date() { Kind::Date } else { Kind::Text })
}

fn fits(column: Kind, cell: Kind) -> bool {
    match column {
        Kind::Any => true,
        Kind::Decimal => matches!(cell, Kind::Whole | Kind::Decimal),
        k => k == cell,
    }
}

/// Whether two neighbouring cells are one value split by an unquoted delimiter: a thousands
/// separator (`2`, `694.10`), a decimal comma (`1234`, `50`), or a name's comma (`Smith`, ` John`).
fn split_pair(a: &[u8], b: &[u8]) -> bool {
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let a = a.strip_prefix(b"-").unwrap_or(a);
    let thousands = (1..=3).contains(&a.len()) && digits(a) && {
        let (whole, cents) = match b.iter().position(|&c| c == b'.') {
            Some(i) => (&b[..i], &b[i + 1..]),
            None => (b, &b""[..]),
        };
        whole.len() == 3 && digits(whole) && (cents.is_empty() || digits(cents))
    };
    let decimal_comma = digits(a) && b.len() == 2 && digits(b);
    let name = a.last().is_some_and(u8::is_ascii_alphabetic)
        && b.len() > 1
        && b[0] == b' '
        && b[1].is_ascii_alphabetic();
    thousands || decimal_comma || name
}

/// How a file writes its rows, from its first [`HEAD_ROWS`]: the empty fields it writes after
/// the header's last, and what each column holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    /// Fields written after the header's last on every data row (a delimiter at the end of
    /// each data row but not of the header): 95% of the rows are that much longer than the
    /// header, nine in ten of them by empty fields, and no two neighbouring cells on half of
    /// them are one value split by an unquoted delimiter. One row longer than its header only by
    /// empty fields cannot say whether they are padding or a split value (`2,694.10`) before
    /// an empty last column; a file nearly every row of which is so can, by its cells: a
    /// tester's export of trailing delimiters was refused as having no dated row, and a hunter's
    /// log of every amount split so was read 0.1% of its GP before the split was looked for.
    pub padding: usize,
    /// Per column, the kind of its values on rows of the header's width (nine in ten alike), of
    /// 20 such rows at least; none with fewer.
    kinds: Vec<Kind>,
    /// The header's width, and how many of its fields it names before the unnamed ones it may
    /// end with (`...,Invoice No,,`).
    header: (usize, usize),
}

impl Form {
    pub(crate) fn of(bytes: &[u8], delimiter: u8) -> Form {
        let mut rdr = crate::stages::etl::parts::reader(bytes, delimiter);
        let mut rec = csv::ByteRecord::new();
        let mut width = None;
        let mut rows: Vec<csv::ByteRecord> = Vec::new();
        while rows.len() < HEAD_ROWS && rdr.read_byte_record(&mut rec).unwrap_or(false) {
            if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            match width {
                None => {
                    let named = rec.iter().rposition(|h| !h.trim_ascii().is_empty());
                    width = Some((rec.len(), named.map_or(0, |i| i + 1)));
                }
                Some(_) => rows.push(rec.clone()),
            }
        }
        let Some((width, named)) = width else {
            return Form::default();
        };
        let header = (width, named);
        let padding = padding(&rows, width);
        let full: Vec<&csv::ByteRecord> =
            rows.iter().filter(|r| r.len() == width + padding).collect();
        // Too few rows of full width to know a column's kind: no short row is read.
        if full.len() < 20 {
            return Form {
                padding,
                kinds: Vec::new(),
                header,
            };
        }
        let kinds = (0..width)
            .map(|c| {
                let mut n = [0usize; 4];
                for r in &full {
                    match r.get(c).and_then(kind) {
                        Some(Kind::Whole) => n[0] += 1,
                        Some(Kind::Decimal) => n[1] += 1,
                        Some(Kind::Date) => n[2] += 1,
                        Some(_) => n[3] += 1,
                        None => {}
                    }
                }
                let all: usize = n.iter().sum();
                let most = |k: usize| all > 0 && k * 10 >= all * 9;
                // Whole numbers count as decimals: a price column of `12` and `12.50`.
                if most(n[0]) {
                    Kind::Whole
                } else if most(n[0] + n[1]) {
                    Kind::Decimal
                } else if most(n[2]) {
                    Kind::Date
                } else if most(n[3]) {
                    Kind::Text
                } else {
                    Kind::Any
                }
            })
            .collect();
        Form {
            padding,
            kinds,
            header,
        }
    }

    /// Reads `rec` to the header's `width` where the file's form explains its other width: its
    /// padding taken off, or the cells it left out given back when they are those of columns
    /// the header leaves unnamed, or empty trailing cells.
    pub(crate) fn read(&self, rec: &mut csv::ByteRecord, width: usize) {
        if self.padding > 0 && rec.len() == width + self.padding {
            rec.truncate(width);
        } else if self.short_of_unnamed(rec, width) || self.short_of_empty_cells(rec, width) {
            while rec.len() < width {
                rec.push_field(b"");
            }
        }
    }

    /// Whether `rec` lacks only cells of the columns the header leaves unnamed (a spreadsheet's
    /// header `...,Invoice No,,` over rows of the named columns): nothing of the row is missing,
    /// and no cell can have moved. A tester's such log was refused by init as having no dated
    /// product line, and a half-padded one lost half its rows as ragged.
    fn short_of_unnamed(&self, rec: &csv::ByteRecord, width: usize) -> bool {
        let (header, named) = self.header;
        header == width && rec.len() < width && rec.len() > 1 && rec.len() >= named
    }

    /// Whether `rec`, shorter than the header, left out only empty trailing cells: as Excel
    /// saves a CSV past its first rows, a row ends at its last non-empty cell, and each cell
    /// it has is of its column's kind. A row that left out a cell in its middle has its later
    /// cells moved (a revenue read as GP, a SKU as a division): one of them is of another kind,
    /// or it ends with an empty cell, and it stays ragged.
    fn short_of_empty_cells(&self, rec: &csv::ByteRecord, width: usize) -> bool {
        rec.len() < width
            && rec.len() > 1
            && self.kinds.len() == width
            && rec
                .get(rec.len() - 1)
                .is_some_and(|f| !f.trim_ascii().is_empty())
            && rec
                .iter()
                .zip(&self.kinds)
                .all(|(f, &k)| kind(f).is_none_or(|v| fits(k, v)))
    }
}

/// The file's padding (see [`Form::padding`]) among its first rows.
fn padding(rows: &[csv::ByteRecord], width: usize) -> usize {
    if rows.len() < 20 {
        return 0;
    }
    let mut by_extra = std::collections::BTreeMap::<usize, usize>::new();
    for r in rows.iter().filter(|r| r.len() > width) {
        *by_extra.entry(r.len() - width).or_default() += 1;
    }
    let Some((extra, n)) = by_extra
        .into_iter()
        .max_by_key(|&(e, n)| (n, std::cmp::Reverse(e)))
    else {
        return 0;
    };
    let longer: Vec<&csv::ByteRecord> = rows.iter().filter(|r| r.len() == width + extra).collect();
    let empty = longer.iter().filter(|r| super::padded(r, width)).count();
    // A value split at the same place on half the rows: those rows are no padded ones.
    let split = (0..width + extra - 1).any(|i| {
        let n = longer
            .iter()
            .filter(|r| split_pair(&r[i], &r[i + 1]))
            .count();
        n * 2 >= longer.len()
    });
    if n * 100 >= rows.len() * 95 && empty * 10 >= n * 9 && !split {
        extra
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    fn file(header: &str, rows: impl Iterator<Item = String>) -> String {
        let mut text = format!("{header}\n");
        for r in rows {
            text += &r;
            text += "\n";
        }
        text
    }

    #[test]
    fn a_delimiter_after_every_data_row_is_the_files_padding() {
        let text = file(
            "Date,Customer,GP",
            (0..100).map(|i| format!("2024-01-{:02},C{i},{i}.50,", i % 28 + 1)),
        );
        let form = Form::of(text.as_bytes(), b',');
        assert_eq!(form.padding, 1);
        let mut r = rec(&["2024-01-01", "C1", "1.50", ""]);
        form.read(&mut r, 3);
        assert_eq!(r.len(), 3);
        // A row of a value over a thousand split by its comma is no padding of the file's.
        let mut r = rec(&["2024-01-01", "C1", "2", "694.10", ""]);
        form.read(&mut r, 3);
        assert_eq!(r.len(), 5);
    }

    #[test]
    fn values_split_by_an_unquoted_delimiter_on_every_row_are_no_padding() {
        // Every amount over a thousand, written `2,694.10`, before an empty `Notes`; cents after
        // a decimal comma; names of a comma.
        for row in [
            |i: usize| format!("2024-01-01,C{i},{},{:03}.10,", 1 + i % 9, i % 1000),
            |i: usize| format!("2024-01-01,C{i},{}{},{:02},", 1 + i % 9, i, i % 100),
            |i: usize| format!("2024-01-01,Smith {}, John,{i}.50,", ["A", "B", "C"][i % 3]),
        ] {
            let text = file("Date,Customer,GP,Notes", (0..100).map(row));
            assert_eq!(Form::of(text.as_bytes(), b',').padding, 0, "{text}");
        }
        // One row in ten split: each such row is ambiguous, and no form of the file's.
        let text = file(
            "Date,Customer,GP,Notes",
            (0..100).map(|i| match i % 10 {
                0 => format!("2024-01-01,C{i},2,694.10,"),
                _ => format!("2024-01-01,C{i},{i}.50,"),
            }),
        );
        assert_eq!(Form::of(text.as_bytes(), b',').padding, 0);
        // Too few rows to tell.
        assert_eq!(Form::of(b"a,b\n1,2,\n3,4,\n", b',').padding, 0);
    }

    #[test]
    fn a_number_that_also_reads_as_a_month_is_a_number() {
        assert_eq!(kind(b"1978.3"), Some(Kind::Decimal));
        assert_eq!(kind(b"1.234.567"), Some(Kind::Decimal));
        assert_eq!(kind(b"05.01.2024"), Some(Kind::Date));
        assert_eq!(kind(b"2024-01-05"), Some(Kind::Date));
        assert_eq!(kind(b"$ 1,234.50"), Some(Kind::Decimal));
        assert_eq!(kind(b"(12)"), Some(Kind::Whole));
        assert_eq!(kind(b"SW-1"), Some(Kind::Text));
        assert_eq!(kind(b" "), None);
    }

    #[test]
    fn a_row_that_left_out_only_empty_trailing_cells_is_given_them_back() {
        let text = file(
            "Date,Customer,SKU,Qty,GP,Notes",
            (0..100).map(|i| {
                format!(
                    "2024-01-{:02},C{i},SW-{},{},{i}.50,",
                    i % 28 + 1,
                    i % 7,
                    1 + i % 5
                )
            }),
        );
        let form = Form::of(text.as_bytes(), b',');
        assert_eq!(form.padding, 0);
        let mut r = rec(&["2024-01-01", "C1", "SW-1", "2", "10.50"]);
        form.read(&mut r, 6);
        assert_eq!(r.len(), 6);
        // The quantity left out in the middle: the GP moved under `Qty` is no whole number.
        let mut r = rec(&["2024-01-01", "C1", "SW-1", "10.50", "rush"]);
        form.read(&mut r, 6);
        assert_eq!(r.len(), 5);
        // A row ending with an empty cell wrote its empty cells: it left out another.
        let mut r = rec(&["2024-01-01", "C1", "SW-1", "10.50", ""]);
        form.read(&mut r, 6);
        assert_eq!(r.len(), 5);
    }
}
