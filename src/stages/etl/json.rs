//! Sales logs saved as JSON: an API's or a warehouse's dump (BigQuery's and Snowflake's JSON
//! unloads, a shop's orders fetched page by page), as JSON Lines (`.jsonl`, `.ndjson`: a record
//! a line) or one array of records (`.json`). Each record is a row, handed on as CSV text as
//! [`super::workbook`] hands on a sheet, so the layout, the contracts and `init`'s profile read it
//! as they read a CSV export:
//!
//! - a record's fields are columns, in the order they first appear (a field some records lack is
//!   an empty cell there); a nested object's fields are columns named by their path
//!   (`customer.id`);
//! - one list of objects in a record (an order's `line_items`) makes a row of each of its
//!   objects, the record's other fields on every one of them, the list's fields named by their
//!   path (`line_items.sku`): an order of three lines is three rows;
//! - values as an export writes them: strings as they are, numbers as JSON writes them, `true`
//!   and `false`, `null` empty; any other list as its JSON text; a record's own time written
//!   as seconds since 1970 (Stripe's `created`) as its UTC day and time;
//! - Stripe's list object (`{"object": "list", "data": [...]}`) is a list.
//!
//! Each row keeps the file line its record starts on, so a violation names the line to open.

use serde_json::{Map, Value};

/// More fields than this across a file's records are no table's columns.
const MAX_COLUMNS: usize = 2_000;

/// Whether `bytes` (after a byte order mark and white space) start a JSON object or array.
pub fn is_json(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    matches!(
        b.iter().find(|c| !c.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

/// Whether `bytes` are JSON that holds no record: values, or lists of values, none of them an
/// object (`["a", "b"]`, `[[1, 2]]`, a number), as a stray file among a folder's exports may be.
/// A broken file, or one mixing records with other values, holds records (and is refused).
pub fn holds_no_records(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut values = 0;
    for v in serde_json::Deserializer::from_slice(bytes).into_iter::<Value>() {
        match v {
            Ok(Value::Object(_)) | Err(_) => return false,
            Ok(Value::Array(a)) if a.iter().any(Value::is_object) => return false,
            Ok(_) => values += 1,
        }
    }
    values > 0
}

/// A JSON log as CSV text, and the file line of each line of it (the header's is the first
/// record's). `file` names the file in errors. The records are read twice, once for the columns
/// and once to write them, so that no more than one is held at a time: a warehouse's unload of a
/// million records costs its text, not a million parsed objects.
pub fn to_csv(file: &str, bytes: &[u8]) -> Result<(Vec<u8>, Vec<u64>), String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut columns: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut first_line = None;
    records(file, body, |line, record| {
        first_line.get_or_insert(line);
        for row in rows_of(&record) {
            for (k, _) in row {
                if !index.contains_key(&k) {
                    index.insert(k.clone(), columns.len());
                    columns.push(k);
                }
            }
            // Fields named by ids (`{"-Nab1": {...}, "-Nab2": {...}}`, a map of records) are
            // no columns: thousands of them would make a table as wide as the file is long.
            if columns.len() > MAX_COLUMNS {
                return Err(format!(
                    "`{file}` line {line}: its records have more than {MAX_COLUMNS} different fields (the last: `{}`): fields named by ids (a map of records by key?) are no columns; write the records as a list",
                    columns[columns.len() - 1]
                ));
            }
        }
        Ok(())
    })?;
    // No records (a day's dump with no orders): no text, an empty part of a folder.
    let Some(first_line) = first_line else {
        return Ok((Vec::new(), Vec::new()));
    };
    let io = |e: csv::Error| format!("`{file}`: {e}");
    let mut w = csv::Writer::from_writer(Vec::with_capacity(body.len() / 2));
    w.write_record(&columns).map_err(io)?;
    // A header cell holding a line break is written quoted over more than one line.
    let header_lines = 1 + columns
        .iter()
        .map(|c| c.matches('\n').count())
        .sum::<usize>();
    let mut origins = vec![first_line; header_lines];
    let mut cells: Vec<String> = vec![String::new(); columns.len()];
    records(file, body, |line, record| {
        for row in rows_of(&record) {
            cells.iter_mut().for_each(String::clear);
            for (k, v) in row {
                cells[index[&k]] = v;
            }
            w.write_record(&cells).map_err(io)?;
            // A value holding a line break is written quoted over more than one line.
            let breaks = cells.iter().map(|c| c.matches('\n').count()).sum::<usize>();
            origins.extend(std::iter::repeat_n(line, 1 + breaks));
        }
        Ok(())
    })?;
    let bytes = w.into_inner().map_err(|e| format!("`{file}`: {e}"))?;
    Ok((bytes, origins))
}

/// Hands each record of `body` to `visit`, with the line it starts on: the objects of a
/// top-level array, the objects one after another (JSON Lines), or the records of an API's page.
fn records(
    file: &str,
    body: &[u8],
    mut visit: impl FnMut(u64, Map<String, Value>) -> Result<(), String>,
) -> Result<(), String> {
    // Records come in order: lines are counted on from the last one's.
    let counted = std::cell::Cell::new((0usize, 1u64));
    let line_at = |offset: usize| {
        let (from, line) = counted.get();
        let (from, line) = if offset >= from { (from, line) } else { (0, 1) };
        let line = line + body[from..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        counted.set((offset, line));
        line
    };
    // The file's line: where a record cut off starts, else where serde stopped (its position
    // counted from the record's start when it read the record alone, `within`).
    let bad = |start: usize, e: &serde_json::Error, within: bool| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what).to_string();
        let line = match (e.is_eof(), within) {
            (true, _) => line_at(start),
            (false, true) => line_at(start) + (e.line() as u64).saturating_sub(1),
            (false, false) => e.line() as u64,
        };
        format!("`{file}` line {line}: not JSON: {what}")
    };
    let not_object = |start: usize, v: &Value| {
        format!(
            "`{file}` line {}: a record is a JSON object, not {}",
            line_at(start),
            kind(v)
        )
    };
    let first = body
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    // The objects of the array opening at `open`, each with its line.
    let array =
        |open: usize, visit: &mut dyn FnMut(u64, Map<String, Value>) -> Result<(), String>| {
            for start in array_elements(body, open) {
                let mut de =
                    serde_json::Deserializer::from_slice(&body[start..]).into_iter::<Value>();
                match de.next() {
                    Some(Ok(Value::Object(m))) => visit(line_at(start), m)?,
                    Some(Ok(other)) => return Err(not_object(start, &other)),
                    Some(Err(e)) => return Err(bad(start, &e, true)),
                    None => {}
                }
            }
            Ok(())
        };
    if body.get(first) == Some(&b'[') {
        // The whole array must parse: a truncated file is said, not read in part.
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(|e| bad(first, &e, false))?;
        return array(first, &mut visit);
    }
    // The first record is held until a second shows it is no API page.
    let mut held: Option<(u64, Map<String, Value>)> = None;
    let mut many = false;
    let mut de = serde_json::Deserializer::from_slice(body).into_iter::<Value>();
    loop {
        let at = de.byte_offset();
        // The record starts after the white space the stream skips.
        let start = at
            + body[at..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
        match de.next() {
            None => break,
            Some(Ok(Value::Object(m))) => {
                let line = line_at(start);
                if let Some((l, h)) = held.take() {
                    visit(l, h)?;
                    many = true;
                }
                if many {
                    visit(line, m)?;
                } else {
                    held = Some((line, m));
                }
            }
            Some(Ok(other)) => return Err(not_object(start, &other)),
            Some(Err(e)) => return Err(bad(start, &e, false)),
        }
    }
    let Some((line, only)) = held else {
        return Ok(());
    };
    // An API's page: one object wrapping the records' list (`{"orders": [...]}`, Stripe's
    // `{"object": "list", "data": [...]}`, Xero's `{"Status": "OK", "Invoices": [...]}`), not
    // an order whose list is its lines.
    let lists: Vec<&String> = only
        .iter()
        .filter(|(_, v)| is_object_list(v))
        .map(|(k, _)| k)
        .collect();
    if let [key] = lists.as_slice() {
        if names_page(key) {
            if let Some(open) = field_value(body, first, key) {
                return array(open, &mut visit);
            }
        }
    }
    visit(line, only)
}

/// A list named for an API page's records: `data`, `results`, `value`, `orders`, `Invoices`
/// (one order's `order_line` is its lines, no page).
fn names_page(key: &str) -> bool {
    const PAGES: &[&str] = &[
        "data",
        "results",
        "result",
        "records",
        "value",
        "values",
        "rows",
        "objects",
        "elements",
        "nodes",
        "list",
        "orders",
        "salesorders",
        "saleorders",
        "invoices",
        "transactions",
        "sales",
        "documents",
        "receipts",
        "charges",
        "creditnotes",
        "bills",
    ];
    PAGES.contains(&crate::stages::etl::parts::column_key(key).as_str())
}

/// A list named for a record's lines: `line_items`, `lines`, `LineItems`, `items`,
/// `order_details` (not `shipping_lines` or `tax_lines`).
fn names_lines(key: &str) -> bool {
    const LINES: &[&str] = &[
        "lineitems",
        "lines",
        "line",
        "orderline",
        "invoiceline",
        "saleline",
        "salesline",
        "positions",
        "items",
        "item",
        "orderlines",
        "orderitems",
        "invoicelines",
        "invoiceitems",
        "saleslines",
        "salesorderlines",
        "details",
        "orderdetails",
        "invoicedetails",
        "products",
    ];
    LINES.contains(&crate::stages::etl::parts::column_key(key).as_str())
}

/// Where the value of field `key` of the object opening at `open` starts.
fn field_value(body: &[u8], open: usize, key: &str) -> Option<usize> {
    let (mut depth, mut i) = (0usize, open);
    while i < body.len() {
        match body[i] {
            b'"' => {
                let end = string_end(body, i)?;
                if depth == 1 {
                    let after = end
                        + 1
                        + body[end + 1..]
                            .iter()
                            .take_while(|c| c.is_ascii_whitespace())
                            .count();
                    let named = serde_json::from_slice::<String>(&body[i..=end]).ok();
                    if body.get(after) == Some(&b':') && named.as_deref() == Some(key) {
                        let value = after + 1;
                        return Some(
                            value
                                + body[value..]
                                    .iter()
                                    .take_while(|c| c.is_ascii_whitespace())
                                    .count(),
                        );
                    }
                }
                i = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The closing quote of the string opening at `open`.
fn string_end(body: &[u8], open: usize) -> Option<usize> {
    let mut escaped = false;
    for (i, &b) in body.iter().enumerate().skip(open + 1) {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b'"') => return Some(i),
            _ => {}
        }
    }
    None
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Where each element of the array opening at `open` starts: after `[` or a `,` at depth one,
/// white space skipped, strings' brackets and commas not counted.
fn array_elements(body: &[u8], open: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut depth, mut expect, mut i) = (0usize, false, open);
    while i < body.len() {
        let b = body[i];
        if expect && !b.is_ascii_whitespace() {
            expect = false;
            if b != b']' {
                starts.push(i);
            }
        }
        match b {
            b'"' => match string_end(body, i) {
                Some(end) => i = end,
                None => break,
            },
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expect = true;
                }
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => expect = true,
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The rows of one record: itself, or one per object of its one list of objects.
fn rows_of(record: &Map<String, Value>) -> Vec<Vec<(String, String)>> {
    let lists: Vec<&String> = record
        .iter()
        .filter(|(_, v)| object_list(v).is_some())
        .map(|(k, _)| k)
        .collect();
    let mut base = Vec::new();
    // Several lists (Shopify's `line_items` beside `shipping_lines` and `refunds`, Xero's
    // `LineItems` beside `Payments`): the one named for the lines, if only one is.
    let named: Vec<&String> = lists.iter().copied().filter(|k| names_lines(k)).collect();
    let explode = match (lists.as_slice(), named.as_slice()) {
        ([one], _) | (_, [one]) => Some(*one),
        _ => None,
    };
    for (k, v) in record {
        if Some(k) != explode {
            flatten(k, v, &mut base);
        }
    }
    let Some(key) = explode else {
        return vec![base];
    };
    let Some(items) = record.get(key).and_then(object_list) else {
        return vec![base];
    };
    items
        .iter()
        .map(|item| {
            let mut own = Vec::new();
            flatten(key, item, &mut own);
            let mut row = base.clone();
            // A line's fields by their own names (`sku`, `amount`, as a CSV export of lines
            // heads them), unless the record has a field of that name (an order's `id`).
            for (k, v) in own {
                let short = k[key.len() + 1..].to_string();
                let k = if base.iter().any(|(b, _)| *b == short) {
                    k
                } else {
                    short
                };
                row.push((k, v));
            }
            row
        })
        .collect()
}

fn is_object_list(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object))
}

/// The objects of a list: a list of objects, or Stripe's list object wrapping them (an
/// invoice's `lines`: `{"object": "list", "data": [...], "has_more": false}`).
fn object_list(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(a) if is_object_list(v) => Some(a),
        Value::Object(m) if m.get("object").and_then(Value::as_str) == Some("list") => {
            match m.get("data") {
                Some(d @ Value::Array(a)) if is_object_list(d) => Some(a),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A time an API writes as seconds since 1970 (Stripe's `created`: `1735672336`), as the day
/// and time it is in UTC (`2024-12-31 19:12:16`), when the field's own name (its path's last
/// part, nested or not) says it is a record's time (`created`, `created_at`, `date`,
/// `timestamp`, `time`, or ending so: `invoice_date`, `posted_at`, `postedAt`, `orderTime`)
/// and the number is a time from 2000 to 2100; milliseconds (JavaScript's) too. Any other
/// number (`period.start`) is as written.
fn epoch_time(path: &str, n: &serde_json::Number) -> Option<String> {
    let raw = path.rsplit('.').next().unwrap_or(path);
    let field = crate::stages::etl::parts::column_key(raw);
    let named = ["created", "createdat", "date", "timestamp", "time"].contains(&field.as_str())
        || ["date", "time", "timestamp", "datetime"]
            .iter()
            .any(|end| field.ends_with(end))
        || raw.ends_with("_at")
        || raw.ends_with("At");
    if !named {
        return None;
    }
    let n = n.as_i64()?;
    let secs = match n {
        946_684_800..=4_102_444_799 => n,
        946_684_800_000..=4_102_444_799_999 => n / 1000,
        _ => return None,
    };
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(t.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// `v`'s cells under the column `path`: a nested object's fields under `path.field`.
fn flatten(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                flatten(&format!("{path}.{k}"), v, out);
            }
        }
        Value::Null => out.push((path.to_string(), String::new())),
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Bool(b) => out.push((path.to_string(), b.to_string())),
        Value::Number(n) => out.push((
            path.to_string(),
            epoch_time(path, n).unwrap_or_else(|| n.to_string()),
        )),
        Value::Array(_) => out.push((path.to_string(), v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> (String, Vec<u64>) {
        let (b, o) = to_csv("log.json", json.as_bytes()).unwrap();
        (String::from_utf8(b).unwrap(), o)
    }

    #[test]
    fn json_lines_are_rows_with_their_file_lines() {
        let (t, o) = text(
            "{\"id\": 1, \"customer\": {\"id\": \"C1\", \"name\": \"Acme, Inc.\"}, \"amount\": 12.5}\n\n\
             {\"id\": 2, \"customer\": {\"id\": \"C2\"}, \"amount\": null, \"paid\": true}\n",
        );
        assert_eq!(
            t,
            "id,customer.id,customer.name,amount,paid\n\
             1,C1,\"Acme, Inc.\",12.5,\n\
             2,C2,,,true\n"
        );
        assert_eq!(o, vec![1, 1, 3]);
    }

    #[test]
    fn a_stripe_invoice_lists_its_lines_in_a_list_object_and_writes_its_time_in_seconds() {
        let (t, _) = text(
            "{\"object\": \"list\", \"data\": [{\"id\": \"in_1\", \"created\": 1735672336, \"customer\": \"cus_K0\",\n\
             \"lines\": {\"object\": \"list\", \"data\": [{\"amount\": 80343, \"quantity\": 3, \"period\": {\"start\": 1735672336}},\n\
             {\"amount\": -1200, \"quantity\": 1, \"period\": {\"start\": 1735672336}}], \"has_more\": false},\n\
             \"amount_due\": 79143}], \"has_more\": false}\n",
        );
        // `period.start` is a number as written: only a record's own time is read as one.
        assert_eq!(
            t,
            "id,created,customer,amount_due,amount,quantity,period.start\n\
             in_1,2024-12-31 19:12:16,cus_K0,79143,80343,3,1735672336\n\
             in_1,2024-12-31 19:12:16,cus_K0,79143,-1200,1,1735672336\n"
        );
    }

    #[test]
    fn an_orders_list_of_lines_makes_a_row_of_each() {
        let (t, o) = text(
            "[\n  {\"order\": \"#1001\", \"email\": \"a@x.com\",\n   \"line_items\": [{\"sku\": \"A\", \"email\": \"\", \"price\": \"9.50\"}, {\"sku\": \"B]\", \"price\": \"1.00\"}],\n   \"tags\": [\"vip\"]},\n  {\"order\": \"#1002\", \"email\": \"b@x.com\", \"line_items\": [{\"sku\": \"A\", \"price\": \"9.50\"}]}\n]\n",
        );
        assert_eq!(
            t,
            "order,email,tags,sku,line_items.email,price\n\
             #1001,a@x.com,\"[\"\"vip\"\"]\",A,,9.50\n\
             #1001,a@x.com,\"[\"\"vip\"\"]\",B],,1.00\n\
             #1002,b@x.com,,A,,9.50\n"
        );
        assert_eq!(o, vec![2, 2, 2, 5]);
    }

    #[test]
    fn an_api_page_wrapping_its_records_is_read_as_them() {
        // Xero's invoices: the page's fields, then the list; each invoice's lines beside its
        // payments.
        let (t, o) = text(
            "{\"Id\": \"x\", \"Status\": \"OK\", \"Note\": \"a \\\"quoted\\\" Invoices: [\",\n \"Invoices\": [\n  {\"InvoiceNumber\": \"INV-1\", \"LineItems\": [{\"ItemCode\": \"A\"}, {\"ItemCode\": \"B\"}], \"Payments\": [{\"Amount\": 1}]},\n  {\"InvoiceNumber\": \"INV-2\", \"LineItems\": [{\"ItemCode\": \"C\"}]}\n ]\n}\n",
        );
        assert_eq!(
            t,
            "InvoiceNumber,Payments,ItemCode\nINV-1,\"[{\"\"Amount\"\":1}]\",A\nINV-1,\"[{\"\"Amount\"\":1}]\",B\nINV-2,,C\n"
        );
        assert_eq!(o, vec![3, 3, 3, 4]);
        // One order and its lines is an order, not a page.
        let (t, _) = text("{\"order\": 7, \"line_items\": [{\"sku\": \"A\"}, {\"sku\": \"B\"}]}\n");
        assert_eq!(t, "order,sku\n7,A\n7,B\n");
        let (t, _) = text(
            "{\"name\": \"S7\", \"order_line\": [{\"product\": \"A\"}, {\"product\": \"B\"}]}\n",
        );
        assert_eq!(t, "name,product\nS7,A\nS7,B\n");
        // No records: no rows.
        assert_eq!(text("[]\n").0, "");
    }

    #[test]
    fn broken_json_is_named_by_its_line() {
        let e = to_csv("log.jsonl", b"{\"a\": 1}\n{\"a\": 2,\n").unwrap_err();
        assert_eq!(e, "`log.jsonl` line 2: not JSON: EOF while parsing a value");
        let e = to_csv("log.jsonl", b"{\"a\": 1}\n\n{\"a\": 2 \"b\": 3}\n").unwrap_err();
        assert_eq!(e, "`log.jsonl` line 3: not JSON: expected `,` or `}`");
        let e = to_csv("log.json", b"[{\"a\": 1},\n {\"a\": 2}").unwrap_err();
        assert_eq!(e, "`log.json` line 1: not JSON: EOF while parsing a list");
        let e = to_csv("log.jsonl", b"{\"a\": 1}\n[1, 2]\n").unwrap_err();
        assert!(
            e.contains("line 2: a record is a JSON object, not a list"),
            "{e}"
        );
        assert!(is_json(b"\xEF\xBB\xBF [{}]") && !is_json(b"a,b\n1,2\n"));
    }
}
