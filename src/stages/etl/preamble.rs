//! Report lines above a CSV log's header: `Sales Report`, `Generated 2025-01-03`, a blank line,
//! as report exports write them. They become empty lines, as a workbook's title rows do
//! ([`super::workbook`]): CSV readers pass over empty lines, so the header is found and a
//! violation's line number is still the file's.

/// The lines looked at to find the header.
const LOOK: usize = 60;

/// `bytes` with the lines above the header emptied. The header is the first line with about
/// the width most of the first lines have (within one field: data rows with a trailing
/// delimiter are one wider), under a delimiter that gives rows at least three fields; the
/// lines above it are emptied only when each is a title of one or two cells under every
/// delimiter, or a report's parameters (cells labelled with `:` or `=`, half the width at most),
/// so a log whose header is its first line is never touched.
pub fn blank(bytes: Vec<u8>) -> Vec<u8> {
    let lines = first_lines(&bytes);
    let Some((delim, width)) = [b',', b';', b'\t', b'|']
        .into_iter()
        .filter_map(|d| modal_width(&bytes, &lines, d).map(|w| (d, w)))
        .filter(|&(_, w)| w >= 3)
        .max_by_key(|&(d, w)| (w, d == b','))
    else {
        return bytes;
    };
    let widths: Vec<usize> = lines
        .iter()
        .map(|&(a, b)| fields(&bytes[a..b], delim))
        .collect();
    let Some(header) = widths.iter().position(|&w| w + 1 >= width) else {
        return bytes;
    };
    // A title has at most two cells under every delimiter: a real header never passes for one.
    // Nor for a report's parameters (`Filters:,Division = All,Region = All`): labelled with `:`
    // or `=`, and half the table's width at most.
    let narrow = lines[..header].iter().all(|&(a, b)| {
        let line = &bytes[a..b];
        [b',', b';', b'\t', b'|']
            .iter()
            .all(|&d| fields(line, d) <= 2)
            || (2 * fields(line, delim) <= width && line.iter().any(|&c| c == b':' || c == b'='))
    });
    if header == 0 || !narrow {
        return bytes;
    }
    let end = lines[header].0;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend(bytes[..end].iter().filter(|&&b| b == b'\n'));
    out.extend_from_slice(&bytes[end..]);
    out
}

/// (start, end) of the first [`LOOK`] lines, without their line ends.
fn first_lines(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            let end = if i > start && bytes[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
            if out.len() == LOOK {
                return out;
            }
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Fields on one line under `delim` up to its last that is not empty, quotes respected (a
/// blank line has none): a spreadsheet saved as CSV pads its title row with delimiters to the
/// table's width (`Sales Log 2024,,,,,,`), and that title is one cell wide.
fn fields(line: &[u8], delim: u8) -> usize {
    let mut quoted = false;
    let (mut n, mut last, mut filled) = (1, 0, false);
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        }
        if b == delim && !quoted {
            if filled {
                last = n;
            }
            n += 1;
            filled = false;
        } else if !b.is_ascii_whitespace() {
            filled = true;
        }
    }
    if filled {
        last = n;
    }
    last
}

/// The commonest width of the lines under `delim` that are no title (three cells or more: a
/// report's group names, `Amy's Bird Sanctuary,,,,`, are one cell wide).
fn modal_width(bytes: &[u8], lines: &[(usize, usize)], delim: u8) -> Option<usize> {
    let mut counts = std::collections::BTreeMap::new();
    for &(a, b) in lines {
        let w = fields(&bytes[a..b], delim);
        if w >= 3 {
            *counts.entry(w).or_insert(0usize) += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(w, n)| (n, w))
        .map(|(w, _)| w)
}

#[cfg(test)]
mod tests {
    use super::blank;

    #[test]
    fn a_report_title_above_the_header_becomes_empty_lines() {
        let log = "Sales Report\r\nGenerated 2025-01-03\r\n\r\nId,Date,GP,GP_Qty\r\n1,2024-01-01,5,1\r\n2,2024-01-02,6,1\r\nGrand Total,,11,2\r\n";
        let out = String::from_utf8(blank(log.as_bytes().to_vec())).unwrap();
        assert!(out.starts_with("\n\n\nId,Date"), "{out:?}");
        assert_eq!(out.lines().count(), log.lines().count());
        // A spreadsheet pads its title and the blank row under it to the table's width.
        let log = "Sales Log 2024,,,,\n,,,,\nId,Date,GP,GP_Qty,Notes\n1,2024-01-01,5,1,\n2,2024-01-02,6,1,late\n";
        let out = String::from_utf8(blank(log.as_bytes().to_vec())).unwrap();
        assert!(out.starts_with("\n\nId,Date"), "{out:?}");
        // A report's filters under its title, labelled, of more cells than a title has.
        let log = "Sales Detail Report\nFilters:,Division = All,Region = All,Rep = All\nId,Date,Division,Region,Rep,Product,GP,Qty,Notes\n1,2024-01-01,A,East,Kim,P1,5,1,\n2,2024-01-02,B,West,Lee,P2,6,1,\n";
        let out = String::from_utf8(blank(log.as_bytes().to_vec())).unwrap();
        assert!(out.starts_with("\n\nId,Date"), "{out:?}");
    }

    #[test]
    fn a_log_whose_header_comes_first_is_untouched() {
        for log in [
            "Id,Date,GP,GP_Qty\n1,2024-01-01,5,1\n2,2024-01-02,6,1\n",
            // Data rows one wider than the header (a trailing comma on each).
            "Id,Date,GP,GP_Qty\n1,2024-01-01,5,1,\n2,2024-01-02,6,1,\n",
            // Semicolons, and a title that itself has a separator.
            "Id;Date;GP;GP_Qty\n1;2024-01-01;5;1\n",
            "",
            "just one line",
        ] {
            assert_eq!(blank(log.as_bytes().to_vec()), log.as_bytes(), "{log:?}");
        }
        let titled = "Report: Q4;2024\nId;Date;GP;GP_Qty\n1;2024-01-01;5;1\n2;2024-01-01;5;1\n";
        assert!(String::from_utf8(blank(titled.as_bytes().to_vec()))
            .unwrap()
            .starts_with("\nId;Date"));
    }
}
