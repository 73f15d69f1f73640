//! Which table of the parts is the lines' header: a unique key most invoices of the lines
//! fall in, a date column, fewer rows, and no customer or product master's name.

use std::collections::HashMap;

use super::*;

/// Rows a table's key is judged on: enough to tell, few enough to stay quick on a large log.
pub(super) const SAMPLE: usize = 5_000;

/// One table: the parts that share (most of) a header, their columns' union by key.
pub(super) struct Table {
    pub(super) parts: Vec<usize>,
    /// Column keys (see [`column_key`]) and names, in first-seen order.
    pub(super) keys: Vec<String>,
    pub(super) names: Vec<String>,
    /// Lines of text, for which table is the larger.
    pub(super) lines: usize,
}

/// How much a table looks like sales lines: a column named for a product (`product_id`, `Item
/// No`, `SKU`, Chinook's `track_id`) and one named for a sale's value (`price`, `Line Amount`,
/// `Net Amount`, `Sales`, `GP`), one point each. Olist's payments have neither (`payment_value`),
/// Chinook's playlist tracks only a product, a tester's shipments and stock ledger a product and
/// a `Freight Amount` or a `Value`, no sale's; invoice lines have both.
pub(super) fn line_likeness(t: &Table) -> u8 {
    const PRODUCT: [&str; 9] = [
        "product", "item", "sku", "article", "artikel", "producto", "produit", "material", "track",
    ];
    const SALE: [&str; 14] = [
        "price",
        "sales",
        "revenue",
        "profit",
        "margin",
        "lineamount",
        "linetotal",
        "linevalue",
        "netamount",
        "netvalue",
        "subtotal",
        "extended",
        "umsatz",
        "importe",
    ];
    let product = t.keys.iter().any(|k| PRODUCT.iter().any(|w| k.contains(w)));
    let sale = t.keys.iter().any(|k| {
        k == "amount" || k == "gp" || k.ends_with("gp") || SALE.iter().any(|w| k.contains(w))
    });
    u8::from(product) + u8::from(sale)
}

/// Each part's rows as cells under its table's columns.
pub(super) fn rows(parts: &[Part], table: &Table, limit: usize) -> Vec<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let per_part = limit.div_ceil(table.parts.len().max(1));
    for &i in &table.parts {
        let p = &parts[i];
        // An unnamed column (a trailing delimiter) is in no table.
        let place: Vec<Option<usize>> = p.header[..p.own_width()]
            .iter()
            .map(|h| {
                let k = column_key(h);
                table.keys.iter().position(|t| *t == k)
            })
            .collect();
        let mut rdr = reader(&p.bytes[p.data_start..], p.delimiter);
        let mut rec = csv::ByteRecord::new();
        let mut n = 0;
        while n < per_part && rdr.read_byte_record(&mut rec).unwrap_or(false) {
            if rec.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            let mut cells = vec![Vec::new(); table.keys.len()];
            for (f, at) in rec.iter().zip(&place) {
                if let Some(at) = *at {
                    cells[at] = f.to_vec();
                }
            }
            out.push(cells);
            n += 1;
        }
    }
    out
}

/// The parts as tables: a part is in the first table whose first part shares more than half
/// of both their named columns.
pub(super) fn tables(parts: &[Part]) -> Vec<Table> {
    let named = |p: &Part| -> Vec<String> {
        p.header[..p.own_width()]
            .iter()
            .filter(|h| !h.is_empty())
            .map(|h| column_key(h))
            .collect()
    };
    let mut out: Vec<Table> = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let mine = named(p);
        let lines = p.bytes[p.data_start..]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let home = out.iter().position(|t| {
            let first = named(&parts[t.parts[0]]);
            let shared = mine.iter().filter(|k| first.contains(k)).count();
            2 * shared > mine.len().max(first.len())
        });
        let t = match home {
            Some(t) => &mut out[t],
            None => {
                out.push(Table {
                    parts: Vec::new(),
                    keys: Vec::new(),
                    names: Vec::new(),
                    lines: 0,
                });
                out.last_mut().expect("pushed")
            }
        };
        t.parts.push(i);
        t.lines += lines;
        for h in &p.header[..p.own_width()] {
            let k = column_key(h);
            if !h.is_empty() && !t.keys.contains(&k) {
                t.keys.push(k);
                t.names.push(h.clone());
            }
        }
    }
    out
}

/// A header table's key column: every row has a value, and no two rows the same one (a row
/// repeated whole, as overlapping exports repeat it, is one row), but for a few numbers
/// reused on rows that differ (one in a hundred at most): those are `conflicted`, and their
/// lines get no header, since which row is theirs cannot be told.
pub(super) struct Key {
    pub(super) column: usize,
    pub(super) rows: HashMap<Vec<u8>, usize>,
    pub(super) conflicted: HashSet<Vec<u8>>,
}

pub(super) fn unique_columns(rows: &[Vec<Vec<u8>>]) -> Vec<Key> {
    let width = rows.first().map_or(0, Vec::len);
    let most = rows.len() / 100;
    (0..width)
        .filter_map(|c| {
            let mut seen: HashMap<Vec<u8>, usize> = HashMap::with_capacity(rows.len());
            let mut conflicted = HashSet::new();
            for (i, r) in rows.iter().enumerate() {
                let k = key_of(&r[c]);
                if k.is_empty() {
                    return None;
                }
                match seen.get(&k) {
                    Some(&j) if rows[j] != *r => {
                        conflicted.insert(k);
                        if conflicted.len() > most.max(1) {
                            return None;
                        }
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(k, i);
                    }
                }
            }
            Some(Key {
                column: c,
                rows: seen,
                conflicted,
            })
        })
        .collect()
}

/// Whether a lines column's name (by [`column_key`]) says it holds a customer or a product: a
/// table keyed by it is a customer or product master, not the invoices' header, however dated
/// (a customer master's `Created`), and its columns (a customer's `Segment`) are no line's.
pub(in crate::stages::etl::parts) fn names_a_master(key: &str) -> bool {
    [
        "cust", "client", "account", "partner", "debtor", "kunde", "kunnr", "kunag", "buyer",
        "soldto", "billto", "shipto", "item", "product", "sku", "material", "matnr", "article",
        "artikel",
    ]
    .iter()
    .any(|w| key.contains(w))
}

/// Whether column `c` holds dates in (nearly) every row that has a value.
pub(super) fn is_date_column(rows: &[Vec<Vec<u8>>], c: usize) -> bool {
    let values: Vec<String> = rows
        .iter()
        .take(500)
        .map(|r| decode(&r[c]).0.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    let dates = values
        .iter()
        .filter(|v| {
            // Any order: which one the log uses is the profile's to say, later.
            crate::stages::etl::parse::date(v).is_some()
                || crate::stages::etl::parse::date_in(v, crate::stages::etl::parse::DateOrder::Dmy)
                    .is_some()
        })
        .count();
    !values.is_empty() && dates * 10 >= values.len() * 8
}

/// A header table found for a lines table: the key column in each.
pub(super) struct Found {
    pub(super) header: usize,
    pub(super) lines: usize,
    /// Column indices in the header's and the lines' tables.
    pub(super) header_key: usize,
    pub(super) lines_key: usize,
    /// How many invoices of the lines' sample the key found.
    pub(super) matched: usize,
    /// Keys on header rows that differ: their lines are joined to none.
    pub(super) conflicted: HashSet<Vec<u8>>,
}

/// The lines' sample: its rows, and the columns that may hold invoice numbers, each with its
/// values (see [`Sample::of`]).
pub(super) struct Sample {
    pub(super) rows: Vec<Vec<Vec<u8>>>,
    pub(super) numbers: Vec<(usize, Vec<Vec<u8>>)>,
}

impl Sample {
    /// The first [`SAMPLE`] lines of `lt`, and its columns that may hold invoice numbers: not
    /// named for a customer or a product, a value on most lines, and few lines to a value (an
    /// invoice has a few lines, fifty at most on average; a value shared by more, line 1 of
    /// every invoice, a month, a warehouse, is no invoice number).
    pub(super) fn of(parts: &[Part], lt: &Table) -> Sample {
        let rows = rows(parts, lt, SAMPLE);
        let numbers = (0..lt.keys.len())
            .filter(|&c| !names_a_master(&lt.keys[c]))
            .filter_map(|c| {
                let values: Vec<Vec<u8>> = rows
                    .iter()
                    .map(|r| key_of(&r[c]))
                    .filter(|v| !v.is_empty())
                    .collect();
                let distinct = values.iter().collect::<HashSet<_>>().len();
                (values.len() * 2 >= rows.len() && values.len() <= 50 * distinct)
                    .then_some((c, values))
            })
            .collect();
        Sample { rows, numbers }
    }
}

/// How many of `values` a header key finds, and how many distinct invoices they are.
pub(super) fn found_in(values: &[Vec<u8>], key: &HashMap<Vec<u8>, usize>) -> (usize, usize) {
    let hits: Vec<&Vec<u8>> = values.iter().filter(|v| key.contains_key(*v)).collect();
    let n = hits.len();
    (n, hits.into_iter().collect::<HashSet<_>>().len())
}

/// Whether `h` is the header table of `l`, and by which columns.
pub(super) fn header_of(
    all: &[Table],
    h: usize,
    l: usize,
    h_rows: &[Vec<Vec<u8>>],
    sample: &Sample,
) -> Option<Found> {
    let (ht, lt) = (&all[h], &all[l]);
    // It must add something a line lacks, and a header has the invoice's day (which is no
    // key, though each invoice may have a day of its own).
    let dates: Vec<usize> = (0..ht.keys.len())
        .filter(|&c| is_date_column(h_rows, c))
        .collect();
    let adds = ht.keys.iter().any(|k| !lt.keys.contains(k));
    if !adds || dates.is_empty() {
        return None;
    }
    // A key of whole numbers may read as spreadsheet serial days (`27321` is 1974-10-19): an
    // id all the same, as a column of days is not all digits, nor unique to each invoice.
    let digits = |c: usize| {
        h_rows
            .iter()
            .all(|r| r[c].trim_ascii().iter().all(u8::is_ascii_digit))
    };
    let keys: Vec<_> = unique_columns(h_rows)
        .into_iter()
        .filter(|k| !dates.contains(&k.column) || digits(k.column))
        .collect();
    if keys.is_empty() {
        return None;
    }
    // ((same name, invoices found), which key, the lines' column).
    let mut best: Option<((bool, usize), usize, usize)> = None;
    for (c, values) in &sample.numbers {
        for (at, key) in keys.iter().enumerate() {
            let (found, distinct) = found_in(values, &key.rows);
            // Nine in ten lines; and line numbers 1, 2, 3 fall in any key of small integers:
            // a key must tell many invoices apart (and the most invoices wins, below).
            if found * 10 < values.len() * 9 || distinct < 10 {
                continue;
            }
            let rank = (lt.keys[*c] == ht.keys[key.column], distinct);
            if best.as_ref().is_none_or(|b| rank > b.0) {
                best = Some((rank, at, *c));
            }
        }
    }
    // The invoice's day is another column than its key.
    let ((_, matched), at, lines_key) = best?;
    let key = keys.into_iter().nth(at)?;
    if dates.iter().all(|&c| c == key.column) {
        return None;
    }
    Some(Found {
        header: h,
        lines: l,
        header_key: key.column,
        lines_key,
        matched,
        conflicted: key.conflicted,
    })
}
