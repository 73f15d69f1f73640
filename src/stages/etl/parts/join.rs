//! The parts' text joined into one: byte for byte when they share a header, else under the union
//! of their columns (see the module above).

use super::headers;
use super::{blank, column_key, file_line, lines, reader, repeats_header, LineMap, Note, Part};
use crate::stages::etl::contracts::Severity;

/// Parts with one header: the first whole, each next one from the line after its header.
pub(super) fn concatenate(parts: &mut [Part]) -> Joined {
    // Each part's text is let go once copied: the peak is the log and one part, not twice it.
    let rest: usize = parts.iter().skip(1).map(|p| p.bytes.len()).sum();
    let mut out = std::mem::take(&mut parts[0].bytes);
    out.reserve(rest + parts.len());
    let mut map = LineMap::default();
    map.segments.push((1, 0, 1));
    let mut starts = vec![parts[0].data_start];
    // Lines so far, counted as each part is appended (not the whole text again each time).
    let mut joined = 0;
    for (i, p) in parts.iter_mut().enumerate() {
        // Part 0 is in `out` already, whole.
        let from = if i == 0 { 0 } else { out.len() };
        if i > 0 {
            map.segments.push((joined + 1, i, p.data_line));
            starts.push(out.len());
            out.extend_from_slice(&p.bytes[p.data_start..]);
            p.bytes = Vec::new();
        }
        if out.last().is_some_and(|&b| b != b'\n') {
            out.push(b'\n');
        }
        joined += lines(&out[from..]);
    }
    Joined {
        bytes: out,
        map,
        starts,
        missing: vec![Vec::new(); parts.len()],
    }
}

/// The joined text of the parts, where each part's rows start in it, and the columns each
/// part lacks.
pub(super) struct Joined {
    pub bytes: Vec<u8>,
    pub map: LineMap,
    pub starts: Vec<usize>,
    pub missing: Vec<Vec<String>>,
}

pub(super) fn union(parts: &mut [Part], notes: &mut Vec<Note>) -> Result<Joined, String> {
    // A column is its key and which of that key it is (a header may repeat one); it is written
    // as the first part that has it spells it.
    let mut columns: Vec<(String, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut places: Vec<Vec<usize>> = Vec::new();
    for p in parts.iter() {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        let mut place = Vec::new();
        for h in &p.header {
            let k = column_key(h);
            let nth = seen.entry(k.clone()).or_default();
            let key = (k, *nth);
            *nth += 1;
            let at = match columns.iter().position(|c| *c == key) {
                Some(at) => at,
                None => {
                    columns.push(key);
                    names.push(h.clone());
                    columns.len() - 1
                }
            };
            place.push(at);
        }
        places.push(place);
    }
    let width = columns.len();
    let missing: Vec<Vec<String>> = places
        .iter()
        .map(|place| {
            (0..width)
                .filter(|c| !place.contains(c))
                .map(|c| names[c].clone())
                .collect()
        })
        .collect();
    // One note for the parts that lack the same columns (24 monthly files before a product
    // existed are one finding, not 24).
    let mut groups: Vec<(&Vec<String>, Vec<&str>, u64)> = Vec::new();
    for (p, m) in parts.iter().zip(&missing).filter(|(_, m)| !m.is_empty()) {
        match groups.iter_mut().find(|g| g.0 == m) {
            Some(g) => g.1.push(&p.name),
            None => groups.push((
                m,
                vec![&p.name],
                p.file_line(p.data_line.saturating_sub(1).max(1)),
            )),
        }
    }
    for (m, files, line) in groups {
        let which = match files.as_slice() {
            [one] => format!("`{one}` has"),
            [first, rest @ ..] => format!(
                "`{first}` and {} more part{} have",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
            [] => unreachable!("a group has a part"),
        };
        notes.push(Note {
            rule: "part_columns_differ",
            severity: Severity::Warning,
            file: files[0].to_string(),
            line: Some(line),
            message: format!(
                "{which} no {} (another part of the log has): those cells of their rows are empty; if a column was renamed between exports, give it one name in every part",
                m.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let io = |e: csv::Error| format!("cannot join the folder's files: {e}");
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let header = csv::ByteRecord::from(names.iter().map(String::as_str).collect::<Vec<_>>());
    w.write_byte_record(&header).map_err(io)?;
    let mut map = LineMap::default();
    let mut joined_lines = 1u64;
    let mut counted = 0usize;
    let mut row = csv::ByteRecord::new();
    let mut starts = Vec::new();
    let mut misses = headers::Misses::default();
    for (i, (p, place)) in parts.iter_mut().zip(&places).enumerate() {
        w.flush().map_err(|e| e.to_string())?;
        starts.push(w.get_ref().len());
        let bytes = std::mem::take(&mut p.bytes);
        let mut rdr = reader(&bytes[p.data_start..], p.delimiter);
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) if blank(&rec) => continue,
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let at = e.position().map(|pos| {
                        p.file_line(p.data_line - 1 + file_line(&bytes[p.data_start..], pos))
                    });
                    notes.push(Note {
                        rule: "unreadable_row",
                        severity: Severity::Blocking,
                        file: p.name.clone(),
                        line: at,
                        message: format!("CSV error in `{}`: {e}", p.name),
                    });
                    break;
                }
            }
            let line = rec
                .position()
                .map(|pos| p.data_line - 1 + file_line(&bytes[p.data_start..], pos))
                .map_or(p.data_line, |line| p.file_line(line));
            w.flush().map_err(|e| e.to_string())?;
            joined_lines += lines(&w.get_ref()[counted..]);
            counted = w.get_ref().len();
            map.segments.push((joined_lines, i, line));
            let n = p.own_width();
            let fits = rec.len() == n
                || (rec.len() == n + 1 && rec[n].iter().all(u8::is_ascii_whitespace));
            if repeats_header(&rec, &p.raw_header) {
                // The header again mid-file: written as the joined header, which the
                // contracts recognise and drop.
                w.write_byte_record(&header).map_err(io)?;
            } else if fits {
                row.clear();
                let mut cells: Vec<&[u8]> = vec![b""; width];
                for (f, &at) in rec.iter().zip(&place[..n]) {
                    cells[at] = f;
                }
                let pl = p.partition.len();
                for (v, &at) in p.partition.iter().zip(&place[n..n + pl]) {
                    cells[at] = v;
                }
                if let Some(join) = &p.join {
                    match join.cells(&rec[join.key]) {
                        Some(found) => {
                            for (v, &at) in found.iter().zip(&place[n + pl..]) {
                                cells[at] = v;
                            }
                        }
                        None => misses.add(p, line, &rec[join.key]),
                    }
                }
                for c in cells {
                    row.push_field(c);
                }
                w.write_byte_record(&row).map_err(io)?;
            } else {
                row.clone_from(&rec);
                if row.len() == width {
                    row.push_field(b"");
                }
                w.write_byte_record(&row).map_err(io)?;
            }
        }
        // The part's text is let go here (`bytes`), once its rows are written.
    }
    misses.notes(notes);
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(Joined {
        bytes,
        map,
        starts,
        missing,
    })
}
