//! An order's fields written once, on its first line: Shopify's order export (and other
//! web shops') gives the order number on every line, but the customer, the date, the status
//! and the totals only on the first; the order's other lines leave them blank. Read as written,
//! every line after an order's first has no customer and no day, and is dropped.
//!
//! Here such a log is told by its rows: a column whose value repeats on consecutive rows (the
//! order's number), and columns that have a value on nearly every order's first line and on
//! nearly none of its later ones (the order's fields). Those are filled on the later lines from
//! the first; every other byte of the text stays as it was, and so does every line's number.

use super::groups::{record_start, text_len};
use super::layout::sniff_delimiter;

/// Rows judged before the whole text is read: a log of another shape costs no more than that.
const SAMPLE: usize = 4_000;

/// Which column numbers an order, and which columns hold its fields, in `rows` (header first).
fn order_columns(rows: &[csv::ByteRecord]) -> Option<(usize, Vec<usize>)> {
    let width = rows.first()?.len();
    let filled =
        |r: &csv::ByteRecord, c: usize| r.get(c).is_some_and(|f| !f.trim_ascii().is_empty());
    // The key: the column most often the same as on the row above, never blank, and of many
    // values (one an order: a shop's name or a `true` on every line is no key).
    let many = |c: usize| {
        let values: std::collections::HashSet<&[u8]> =
            rows[1..].iter().filter_map(|r| r.get(c)).collect();
        values.len() * 10 >= rows.len()
    };
    let key = (0..width)
        .filter(|&c| rows[1..].iter().all(|r| filled(r, c)) && many(c))
        .max_by_key(|&c| {
            rows[1..]
                .windows(2)
                .filter(|w| w[0].get(c) == w[1].get(c))
                .count()
        })?;
    let later: Vec<bool> = std::iter::once(false)
        .chain(rows[1..].windows(2).map(|w| w[0].get(key) == w[1].get(key)))
        .collect();
    let (firsts, laters) = (
        later.iter().filter(|&&l| !l).count(),
        later.iter().filter(|&&l| l).count(),
    );
    // One order in ten has two lines or more.
    if laters * 10 < firsts || firsts < 10 {
        return None;
    }
    let fields: Vec<usize> = (0..width)
        .filter(|&c| c != key)
        .filter(|&c| {
            let on = |want: bool| {
                rows[1..]
                    .iter()
                    .zip(&later)
                    .filter(|(r, &l)| l == want && filled(r, c))
                    .count()
            };
            on(false) * 100 >= firsts * 95 && on(true) * 100 <= laters * 5
        })
        .collect();
    // The customer and the date at least, and more: a sparse column alone is no order field.
    (fields.len() >= 2).then_some((key, fields))
}

/// The first `limit` non-blank records of CSV text.
fn records(bytes: &[u8], delimiter: u8, limit: usize) -> Vec<csv::ByteRecord> {
    let mut rdr = super::parts::reader(bytes, delimiter);
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while out.len() < limit && rdr.read_byte_record(&mut rec).unwrap_or(false) {
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        out.push(rec.clone());
    }
    out
}

/// What [`fill`] would do to `bytes`, for init to say: the order's column and the fields
/// filled down its lines, by their headers.
pub fn describe(bytes: &[u8]) -> Option<(String, Vec<String>)> {
    let sample = records(bytes, sniff_delimiter(bytes), SAMPLE);
    let (key, fields) = order_columns(&sample)?;
    let name = |c: usize| super::layout::decode(&sample[0][c]).0.trim().to_string();
    Some((name(key), fields.into_iter().map(name).collect()))
}

/// `bytes` (CSV text, its title lines already empty) with an order's fields written on each of
/// its lines; any other text as it is.
pub fn fill(bytes: Vec<u8>) -> Vec<u8> {
    let delimiter = sniff_delimiter(&bytes);
    let read = |limit: usize| records(&bytes, delimiter, limit);
    let sample = read(SAMPLE);
    let Some((key, fields)) = order_columns(&sample) else {
        return bytes;
    };
    let rows = read(usize::MAX);
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut copied = 0;
    let mut first: Option<&csv::ByteRecord> = None;
    for (i, rec) in rows.iter().enumerate() {
        let continues = i > 0 && first.is_some_and(|f| f.get(key) == rec.get(key));
        if !continues {
            first = (i > 0).then_some(rec);
            continue;
        }
        let Some(head) = first else { continue };
        let start = record_start(&bytes, rec);
        let end = rows
            .get(i + 1)
            .and_then(|n| n.position())
            .map_or(bytes.len(), |p| p.byte() as usize);
        let mut cells: Vec<&[u8]> = rec.iter().collect();
        for &c in &fields {
            if c < cells.len() && cells[c].trim_ascii().is_empty() {
                cells[c] = head.get(c).unwrap_or_default();
            }
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        if w.write_record(&cells).is_err() {
            continue;
        }
        let Ok(mut line) = w.into_inner() else {
            continue;
        };
        line.pop();
        // The record's own text ends at its line end after as many line breaks as its cells
        // hold (the writer keeps them, so each is a line of the file, as it was); its line end,
        // and blank lines or blank records after it (`,,,,`), stay as they were.
        let row = &bytes[start..end];
        let breaks = line.iter().filter(|&&b| b == b'\n').count();
        let mut seen = 0;
        let ends = row.iter().position(|&b| {
            seen += usize::from(b == b'\n');
            seen > breaks
        });
        let content = match ends {
            Some(i) if i > 0 && row[i - 1] == b'\r' => i - 1,
            Some(i) => i,
            None => text_len(row),
        };
        out.extend_from_slice(&bytes[copied..start]);
        out.extend_from_slice(&line);
        out.extend_from_slice(&row[content..]);
        copied = end;
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(orders: usize) -> String {
        let mut text =
            String::from("Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem sku,Lineitem price\n");
        for o in 0..orders {
            for l in 0..1 + o % 3 {
                if l == 0 {
                    text += &format!(
                        "#{},c{}@x.example,paid,2023-01-{:02} 10:00:00 -0500,{},SKU{l},9.50\n",
                        1001 + o,
                        o % 7,
                        1 + o % 28,
                        1 + l
                    );
                } else {
                    text += &format!("#{},,,,{},SKU{l},9.50\n", 1001 + o, 1 + l);
                }
            }
        }
        text
    }

    #[test]
    fn an_orders_fields_are_written_on_each_of_its_lines() {
        let text = export(30);
        let filled = String::from_utf8(fill(text.clone().into_bytes())).unwrap();
        assert_eq!(filled.lines().count(), text.lines().count());
        let lines: Vec<&str> = filled.lines().collect();
        assert_eq!(
            lines[2],
            "#1002,c1@x.example,paid,2023-01-02 10:00:00 -0500,1,SKU0,9.50"
        );
        assert_eq!(
            lines[3],
            "#1002,c1@x.example,paid,2023-01-02 10:00:00 -0500,2,SKU1,9.50"
        );
        assert!(
            filled.lines().skip(1).all(|l| !l.contains(",,")),
            "{filled}"
        );
    }

    #[test]
    fn a_blank_record_among_an_orders_lines_leaves_them_filled_and_stays() {
        // After an order's later line: that line's text is what comes before the blank one.
        let text = export(30).replacen("\n#1003,c2", "\n,,,,,,\r\n#1003,c2", 1);
        let filled = String::from_utf8(fill(text.clone().into_bytes())).unwrap();
        assert_eq!(filled.lines().count(), text.lines().count());
        assert!(filled.contains(
            "#1002,c1@x.example,paid,2023-01-02 10:00:00 -0500,2,SKU1,9.50\n,,,,,,\r\n#1003,c2@x.example,paid,"
        ), "{filled}");
    }

    #[test]
    fn a_log_whose_lines_name_their_order_is_untouched() {
        // Every line names its customer and day: nothing is blank on later lines.
        let text = export(30).replace(",,,,", ",c9@x.example,paid,2023-02-01 09:00:00 -0500,");
        assert_eq!(fill(text.clone().into_bytes()), text.into_bytes());
        // A sparse column (a discount code now and then) alone is no order's field.
        let mut sparse = String::from("Invoice,Customer,Date,Item,Code\n");
        for o in 0..40 {
            for l in 0..2 {
                let code = if l == 0 && o % 2 == 0 { "SUMMER" } else { "" };
                sparse += &format!("I{o},C{o},2023-01-01,P{l},{code}\n");
            }
        }
        assert_eq!(fill(sparse.clone().into_bytes()), sparse.into_bytes());
    }
}
