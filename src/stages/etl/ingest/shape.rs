//! Rows whose field count is not the header's for a reason of the export's, not of the data:
//! a delimiter written at the end of every data row, and empty trailing fields left out. Both
//! are read back to the header's width, as init's profile and the ETL read them alike; any
//! other row of another field count stays ragged (its fields may have moved).

/// Rows of the file's head looked at to tell its form.
const HEAD_ROWS: usize = 2_000;

/// The number of empty fields the file writes after the header's last on every data row (a
/// delimiter at the end of each data row but not of the header): at least 95% of its first
/// [`HEAD_ROWS`] rows are longer than the header by that many empty fields. Else 0.
///
/// One row longer than its header only by empty fields cannot say whether they are padding or
/// a value split by an unquoted delimiter (`2,694.10`) before an empty last column; a file
/// nearly every row of which is so can: a split needs a value over a thousand on nearly every
/// line, and a tester's export of trailing delimiters was refused as having no dated row.
pub(crate) fn trailing_padding(bytes: &[u8], delimiter: u8) -> usize {
    let mut rdr = crate::stages::etl::parts::reader(bytes, delimiter);
    let mut rec = csv::ByteRecord::new();
    let mut width = None;
    let (mut rows, mut by_extra) = (0usize, std::collections::BTreeMap::<usize, usize>::new());
    while rows < HEAD_ROWS && rdr.read_byte_record(&mut rec).unwrap_or(false) {
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let Some(width) = width else {
            width = Some(rec.len());
            continue;
        };
        rows += 1;
        if super::padded(&rec, width) {
            *by_extra.entry(rec.len() - width).or_default() += 1;
        }
    }
    by_extra
        .into_iter()
        .max_by_key(|&(extra, n)| (n, std::cmp::Reverse(extra)))
        .filter(|&(_, n)| rows >= 20 && n * 100 >= rows * 95)
        .map_or(0, |(extra, _)| extra)
}

/// Takes off the `padding` empty fields the file writes after the header's last
/// ([`trailing_padding`]), when `rec` has them.
pub(crate) fn trim_padding(rec: &mut csv::ByteRecord, width: usize, padding: usize) {
    if padding > 0 && rec.len() == width + padding && super::padded(rec, width) {
        rec.truncate(width);
    }
}

/// Gives `rec` empty cells for the trailing columns it leaves out, when no column it leaves out
/// is one the pipeline reads (`read`): Excel writes a CSV's rows without their empty last
/// cells past its first rows, so a log whose last column (notes, a PO number) is mostly empty
/// had most rows shorter than its header, and blocked as ragged. A row short of a column that
/// is read stays ragged: its cells may have moved, as when one in the middle was left out.
pub(crate) fn fill_short(rec: &mut csv::ByteRecord, width: usize, read: &[usize]) {
    if rec.len() < width && rec.len() > 1 && read.iter().all(|&c| c < rec.len()) {
        while rec.len() < width {
            rec.push_field(b"");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn a_delimiter_after_every_data_row_is_the_files_padding() {
        let mut text = String::from("Date,Customer,GP\n");
        for i in 0..100 {
            text.push_str(&format!("2024-01-{:02},C{i},{i}.50,\n", i % 28 + 1));
        }
        assert_eq!(trailing_padding(text.as_bytes(), b','), 1);
        let mut r = rec(&["2024-01-01", "C1", "1.50", ""]);
        trim_padding(&mut r, 3, 1);
        assert_eq!(r.len(), 3);
        // A row of a value over a thousand split by its comma is no padding of the file's.
        let mut r = rec(&["2024-01-01", "C1", "2", "694.10", ""]);
        trim_padding(&mut r, 3, 1);
        assert_eq!(r.len(), 5);
    }

    #[test]
    fn some_padded_rows_are_no_form_of_the_file() {
        // One row in ten split before an empty last column: each such row is ambiguous.
        let mut text = String::from("Date,Customer,GP,Notes\n");
        for i in 0..100 {
            if i % 10 == 0 {
                text.push_str(&format!("2024-01-01,C{i},2,694.10,\n"));
            } else {
                text.push_str(&format!("2024-01-01,C{i},{i}.50,\n"));
            }
        }
        assert_eq!(trailing_padding(text.as_bytes(), b','), 0);
        // Too few rows to tell.
        assert_eq!(trailing_padding(b"a,b\n1,2,\n3,4,\n", b','), 0);
    }

    #[test]
    fn only_unread_trailing_cells_are_filled() {
        let mut r = rec(&["2024-01-01", "C1", "1.50"]);
        fill_short(&mut r, 5, &[0, 1, 2]);
        assert_eq!(r.len(), 5);
        assert_eq!(&r[4], b"");
        // The GP column left out: the cells may have moved, so the row stays as it is.
        let mut r = rec(&["2024-01-01", "C1"]);
        fill_short(&mut r, 5, &[0, 1, 2]);
        assert_eq!(r.len(), 2);
    }
}
