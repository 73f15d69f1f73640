//! An order's fields written once, on its first line: Shopify's order export (and other
//! web shops') gives the order number on every line, but the customer, the date, the status
//! and the totals only on the first; the order's other lines leave them blank. Read as written,
//! every line after an order's first has no customer and no day, and is dropped.
//!
//! Odoo's export of invoices with their lines goes further: the invoice's number is blank on
//! its later lines too, so nothing repeats (a trial's log lost half its lines and half its GP
//! as rows of no customer).
//!
//! Here such a log is told by its rows: a column whose value repeats on consecutive rows (the
//! order's number), or, failing one, a column that is blank on an order's later lines only;
//! and columns that have a value on nearly every order's first line and on nearly none of its
//! later ones (the order's fields). Those are filled on the later lines from the first; every
//! other byte of the text stays as it was, and so does every line's number.

use super::groups::{record_start, text_len};
use super::layout::sniff_delimiter;

/// Rows judged before the whole text is read: a log of another shape costs no more than that.
const SAMPLE: usize = 4_000;

/// How an order's later lines are told from its first.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    /// The order's number, on each of its lines: a later line has its first line's.
    Repeats(usize),
    /// The order's number, on its first line only (Odoo): a later line has it blank.
    FirstOnly(usize),
    /// A report grouped by a customer: its id, on the group's first line only; and the column
    /// of each line's date, which runs forward within a group.
    Grouped(usize, usize),
}

impl Key {
    fn column(self) -> usize {
        match self {
            Key::Repeats(c) | Key::FirstOnly(c) | Key::Grouped(c, _) => c,
        }
    }

    /// Whether `rec` is a later line of the order whose first line is `first`.
    /// Whether `rec` is a later line of the order whose first line is `first`, `prev` the row
    /// before it. A group's lines run forward in time: a line dated before the one above it
    /// starts lines of no group (a report's cash sales after its last customer were that
    /// customer's, +350,232 GP).
    fn continues(
        self,
        first: &csv::ByteRecord,
        prev: &csv::ByteRecord,
        rec: &csv::ByteRecord,
    ) -> bool {
        match self {
            Key::Repeats(c) => first.get(c) == rec.get(c),
            Key::FirstOnly(c) => !filled(rec, c),
            Key::Grouped(c, d) => {
                !filled(rec, c)
                    && !matches!((day(prev, d), day(rec, d)), (Some(a), Some(b)) if b < a)
            }
        }
    }
}

fn day(r: &csv::ByteRecord, c: usize) -> Option<chrono::NaiveDate> {
    std::str::from_utf8(r.get(c)?)
        .ok()
        .and_then(super::parse::date)
}

fn filled(r: &csv::ByteRecord, c: usize) -> bool {
    r.get(c).is_some_and(|f| !f.trim_ascii().is_empty())
}

/// Which column numbers an order, and which columns hold its fields, in `rows` (header first).
fn order_columns(rows: &[csv::ByteRecord]) -> Option<(Key, Vec<usize>)> {
    repeated_key(rows)
        .map(|(k, f)| (Key::Repeats(k), f))
        .or_else(|| first_only_key(rows))
}

/// The columns filled on nearly every first line and nearly no later one, `later` telling them
/// apart (row by row, the header's first).
fn fields_of(rows: &[csv::ByteRecord], later: &[bool], skip: Option<usize>) -> Vec<usize> {
    let width = rows.first().map_or(0, |r| r.len());
    let firsts = later.iter().filter(|&&l| !l).count();
    let laters = later.len() - firsts;
    (0..width)
        .filter(|&c| Some(c) != skip)
        .filter(|&c| {
            let on = |want: bool| {
                rows[1..]
                    .iter()
                    .zip(later)
                    .filter(|(r, &l)| l == want && filled(r, c))
                    .count()
            };
            on(false) * 100 >= firsts * 95 && on(true) * 100 <= laters * 5
        })
        .collect()
}

/// Odoo's shape: no column repeats, but one (the number) is blank on some rows, and the rows
/// where it is blank have the order's other fields blank too (the customer, and a date among
/// them) while their own line's columns are filled. A sparse column or two that happen to be
/// blank together (a discount code and its amount) hold no date and make no such key.
fn first_only_key(rows: &[csv::ByteRecord]) -> Option<(Key, Vec<usize>)> {
    let width = rows.first()?.len();
    let data = rows.get(1..).filter(|d| d.len() >= 20)?;
    let dated = |c: usize, later: &[bool]| {
        let firsts: Vec<&csv::ByteRecord> = data
            .iter()
            .zip(later)
            .filter(|(_, &l)| !l)
            .map(|(r, _)| r)
            .collect();
        let dates = firsts.iter().filter(|r| day(r, c).is_some()).count();
        dates * 10 >= firsts.len() * 9
    };
    // The number names one invoice: a value of its own on each first line, no date, and no
    // amount (an invoice register's total rows under its lines leave the date, the product and
    // the amount blank as well, and are no later lines to fill: the ETL drops them).
    let firsts_of = |c: usize, later: &[bool]| -> Vec<&str> {
        data.iter()
            .zip(later)
            .filter(|(_, &l)| !l)
            .filter_map(|(r, _)| std::str::from_utf8(r.get(c)?).ok())
            .map(str::trim)
            .collect()
    };
    let amount = |v: &str| {
        v.contains(['.', ','])
            && [false, true]
                .iter()
                .any(|&comma| super::parse::currency(v, comma).is_some())
    };
    let a_number = |c: usize, later: &[bool]| {
        let values = firsts_of(c, later);
        let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
        // Nine in ten: Odoo numbers its drafts `/`, all alike.
        distinct.len() * 10 >= values.len() * 9
            && !values
                .iter()
                .any(|v| super::parse::date(v).is_some() || amount(v))
    };
    (0..width)
        // Filled on one of the first rows (a stray later line may come first; it stays blank).
        .filter(|&c| data.iter().take(5).any(|r| filled(r, c)))
        .filter_map(|c| {
            let later: Vec<bool> = data.iter().map(|r| !filled(r, c)).collect();
            let (firsts, laters) = (
                later.iter().filter(|&&l| !l).count(),
                later.iter().filter(|&&l| l).count(),
            );
            if laters * 10 < firsts || firsts < 10 || laters == 0 {
                return None;
            }
            let fields = fields_of(rows, &later, None);
            // The line's own columns (its product, its amount) are there on its later lines.
            let lines = (0..width)
                .filter(|&c| {
                    let on = data
                        .iter()
                        .zip(&later)
                        .filter(|(r, &l)| l && filled(r, c))
                        .count();
                    on * 100 >= laters * 95
                })
                .count();
            let number = a_number(c, &later);
            let ok = fields.len() >= 3
                && lines >= 2
                && fields.iter().any(|&f| dated(f, &later))
                && number;
            // A report grouped by customer (a spreadsheet's "repeat item labels" off): its id
            // and name on the group's first line only, every line dated. Most lines are later
            // ones, each value begins one group, and no field holds amounts: a unique coupon
            // code and its discount, blank on most lines, are no group. A tester's such report
            // was refused, 93% of its lines of no customer.
            // And the lines' dates start again at each group (a customer's history after
            // another's) at one group's end in two: a till's log sorted by date, a member's
            // sale now and then among walk-ins of no customer, is no report of groups (a
            // hunter's such log gave every walk-in to the member above it).
            let grouped = (fields.len() >= 2
                && lines >= 3
                && laters >= firsts
                && number
                && fields
                    .iter()
                    .all(|&f| !firsts_of(f, &later).iter().any(|v| amount(v))))
            .then(|| {
                (0..width).find(|&d| {
                    data.iter().filter(|r| day(r, d).is_some()).count() * 10 >= data.len() * 9
                })
            })
            .flatten()
            .filter(|&d| restarts(data, &later, d));
            match (ok, grouped) {
                (true, _) => Some((Key::FirstOnly(c), fields)),
                (false, Some(d)) => Some((Key::Grouped(c, d), fields)),
                _ => None,
            }
        })
        .max_by_key(|(k, f)| (f.len(), std::cmp::Reverse(k.column())))
}

/// Whether the dates in column `d` start again (go back) at one group's first line in two,
/// `later` telling a group's later lines from its first.
fn restarts(data: &[csv::ByteRecord], later: &[bool], d: usize) -> bool {
    let (mut starts, mut back) = (0usize, 0usize);
    for (k, r) in data.iter().enumerate().skip(1) {
        if !later[k] {
            starts += 1;
            back += usize::from(
                matches!((day(&data[k - 1], d), day(r, d)), (Some(a), Some(b)) if b < a),
            );
        }
    }
    starts > 0 && back * 2 >= starts
}

/// An order's number that repeats on its lines, and its fields, if the log has one.
fn repeated_key(rows: &[csv::ByteRecord]) -> Option<(usize, Vec<usize>)> {
    let width = rows.first()?.len();
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
    let fields = fields_of(rows, &later, Some(key));
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
/// filled down its lines, by their headers, and whether the lines are a report's groups (by a
/// customer) rather than orders.
pub fn describe(bytes: &[u8]) -> Option<(String, Vec<String>, bool)> {
    let sample = records(bytes, sniff_delimiter(bytes), SAMPLE);
    let (key, fields) = order_columns(&sample)?;
    let name = |c: usize| super::layout::decode(&sample[0][c]).0.trim().to_string();
    Some((
        name(key.column()),
        fields.into_iter().map(name).collect(),
        matches!(key, Key::Grouped(..)),
    ))
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
        let continues = i > 0 && first.is_some_and(|f| key.continues(f, &rows[i - 1], rec));
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

    /// Odoo's invoices with their lines: the number, date, partner and state on the first line
    /// only.
    fn odoo(invoices: usize) -> String {
        let mut text = String::from(
            "Number,Invoice/Bill Date,Partner,Status,Invoice lines/Product,Invoice lines/Subtotal\n",
        );
        for o in 0..invoices {
            for l in 0..1 + o % 3 {
                if l == 0 {
                    text += &format!(
                        "INV/2023/{:05},2023-02-{:02},Partner {},Posted,P{l},1{l}.5\n",
                        o + 1,
                        1 + o % 28,
                        o % 9
                    );
                } else {
                    text += &format!(",,,,P{l},1{l}.5\n");
                }
            }
        }
        text
    }

    #[test]
    fn an_invoices_number_blank_on_its_later_lines_still_fills_them() {
        let text = odoo(30);
        let (key, fields, _) = describe(text.as_bytes()).unwrap();
        assert_eq!(key, "Number");
        assert_eq!(fields, ["Number", "Invoice/Bill Date", "Partner", "Status"]);
        let filled = String::from_utf8(fill(text.clone().into_bytes())).unwrap();
        assert_eq!(filled.lines().count(), text.lines().count());
        let lines: Vec<&str> = filled.lines().collect();
        // Invoice 2 has two lines; its second now names its invoice, day and partner.
        assert_eq!(
            lines[3],
            "INV/2023/00002,2023-02-02,Partner 1,Posted,P1,11.5"
        );
        assert!(filled.lines().all(|l| !l.starts_with(',')), "{filled}");
    }

    #[test]
    fn a_report_grouped_by_customer_fills_its_id_and_name_down_its_lines() {
        let mut text = String::from("Customer ID,Customer Name,Invoice Date,SKU,Qty,GP\n");
        for c in 0..30 {
            for l in 0..1 + c % 4 {
                let (id, name) = if l == 0 {
                    (format!("{:05}", 700 + c), format!("Summit Mfg {c}"))
                } else {
                    Default::default()
                };
                text += &format!("{id},{name},2023-0{}-1{l},SW-STD,1,{c}{l}.50\n", 1 + l);
            }
        }
        let (key, fields, grouped) = describe(text.as_bytes()).unwrap();
        assert!(grouped);
        assert_eq!(key, "Customer ID");
        assert_eq!(fields, ["Customer ID", "Customer Name"]);
        let filled = String::from_utf8(fill(text.into_bytes())).unwrap();
        assert!(filled.lines().all(|l| !l.starts_with(',')), "{filled}");
    }

    #[test]
    fn lines_after_a_group_that_start_its_dates_again_are_no_lines_of_it() {
        // A last group of cash sales, of no customer: dated from the start again.
        let mut text = String::from("Customer ID,Customer Name,Invoice Date,SKU,Qty,GP\n");
        for c in 0..30 {
            for l in 0..2 + c % 3 {
                let id = if l == 0 {
                    format!("{:05},Firm {c}", 700 + c)
                } else {
                    ",".into()
                };
                text += &format!("{id},2023-0{}-1{l},SW,1,{c}.50\n", 1 + l);
            }
        }
        for l in 0..5 {
            text += &format!(",,2023-0{}-20,CASH,1,9.50\n", 1 + l);
        }
        let filled = String::from_utf8(fill(text.into_bytes())).unwrap();
        let cash: Vec<&str> = filled.lines().filter(|l| l.contains("CASH")).collect();
        assert!(cash.iter().all(|l| l.starts_with(",,")), "{cash:?}");
        // A till's log sorted by date, a member now and then among walk-ins: no groups.
        let mut till = String::from("Customer ID,Customer Name,Date,SKU,Qty,GP\n");
        for k in 0..200 {
            let who = if k % 3 == 0 {
                format!("{:05},Member {k}", k)
            } else {
                ",".into()
            };
            till += &format!(
                "{who},2023-{:02}-{:02},SW,1,{k}.50\n",
                1 + k / 20,
                1 + k % 20
            );
        }
        assert_eq!(describe(till.as_bytes()), None);
    }

    #[test]
    fn unique_coupons_on_a_few_lines_are_no_group() {
        // A code and its discount on one line in four, blank on the others: filling them down
        // would take the discount off lines that had none.
        let mut text = String::from("Customer,Date,SKU,Coupon,Discount,GP\n");
        for i in 0..80 {
            let (code, off) = if i % 4 == 0 {
                (format!("C{i:04}X"), "5.00".to_string())
            } else {
                Default::default()
            };
            text += &format!(
                "Cust {},2023-01-{:02},SW,{code},{off},{i}.50\n",
                i % 9,
                1 + i % 28
            );
        }
        assert_eq!(describe(text.as_bytes()), None);
    }

    #[test]
    fn a_stray_later_line_first_and_drafts_numbered_alike_still_fill() {
        let text = odoo(40);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // A later line before the first invoice, and one invoice in twenty a draft `/`.
        lines.insert(1, ",,,,P9,9.5".into());
        for l in lines.iter_mut().skip(2).step_by(20) {
            if l.starts_with("INV/") {
                *l = format!("/{}", &l[l.find(',').unwrap()..]);
            }
        }
        let text = lines.join("\n") + "\n";
        let (key, _, _) = describe(text.as_bytes()).unwrap();
        assert_eq!(key, "Number");
        let filled = String::from_utf8(fill(text.clone().into_bytes())).unwrap();
        let rows: Vec<&str> = filled.lines().collect();
        // The stray line stays as it was; every other later line has its invoice's fields.
        assert_eq!(rows[1], ",,,,P9,9.5");
        assert!(rows[2..].iter().all(|l| !l.starts_with(',')), "{filled}");
    }

    #[test]
    fn sparse_columns_blank_together_are_no_order() {
        // A discount code and its amount on one line in three: no date among them, no order.
        let mut text = String::from("Customer,Date,Product,GP,Code,Off\n");
        for o in 0..60 {
            let (code, off) = if o % 3 == 0 {
                ("SUMMER", "5")
            } else {
                ("", "")
            };
            text += &format!(
                "C{o},2023-01-{:02},P{},10,{code},{off}\n",
                1 + o % 28,
                o % 4
            );
        }
        assert_eq!(describe(text.as_bytes()), None);
        assert_eq!(fill(text.clone().into_bytes()), text.into_bytes());
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
