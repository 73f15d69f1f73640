use super::*;

fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn text(log: &Log) -> &str {
    std::str::from_utf8(&log.bytes).unwrap()
}

#[test]
fn one_file_is_read_as_it_is() {
    let dir = folder(&[("log.csv", b"a,b,c\n1,2,3\n")]);
    let log = read(&dir.path().join("log.csv")).unwrap();
    assert_eq!(text(&log), "a,b,c\n1,2,3\n");
    assert!(!log.folder);
    assert_eq!(log.files, ["log.csv"]);
    assert_eq!(log.map.locate(2), (0, 2));
    assert_eq!(log.place(2), "line 2");
}

#[test]
fn parts_with_one_header_join_byte_for_byte_and_lines_map_back() {
    // The second part has a report title above its header and CRLF line ends.
    let dir = folder(&[
        ("2023.csv", b"id,date,gp\n1,2023-01-02,5\n2,2023-03-04,6\n"),
        (
            "2024.csv",
            b"Sales report\r\n\r\nid,date,gp\r\n3,2024-01-02,7\r\n\r\n4,2024-05-06,8",
        ),
        ("README.md", b"not a part"),
        (".hidden.csv", b"id,date,gp\n9,2020-01-01,1\n"),
        ("~$2024.xlsx", b"lock"),
    ]);
    let log = read(dir.path()).unwrap();
    assert!(log.folder);
    assert_eq!(log.files, ["2023.csv", "2024.csv"]);
    assert!(log.notes.is_empty(), "{:?}", log.notes);
    assert_eq!(
        text(&log),
        "id,date,gp\n1,2023-01-02,5\n2,2023-03-04,6\n3,2024-01-02,7\r\n\r\n4,2024-05-06,8\n"
    );
    // Joined line 4 is `3,2024-...`: line 4 of 2024.csv; joined 6 is its line 6.
    assert_eq!(log.map.locate(3), (0, 3));
    assert_eq!(log.map.locate(4), (1, 4));
    assert_eq!(log.map.locate(6), (1, 6));
    assert_eq!(log.place(6), "`2024.csv` line 6");
}

#[test]
fn parts_with_other_columns_are_written_under_their_union() {
    let dir = folder(&[
        // Semicolons, a column the other lacks, the header repeated, a ragged row.
        (
            "a.csv",
            b"id;date;gp_A\n1;2023-01-02;5\nid;date;gp_A\n2;2023-02-02\n",
        ),
        ("b.csv", b"date,id,gp_A,gp_B\n2024-01-02,3,7,\"1,5\"\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(
        text(&log),
        "id,date,gp_A,gp_B\n1,2023-01-02,5,\nid,date,gp_A,gp_B\n2,2023-02-02\n3,2024-01-02,7,\"1,5\"\n"
    );
    assert_eq!(log.map.locate(2), (0, 2));
    assert_eq!(log.map.locate(4), (0, 4));
    assert_eq!(log.map.locate(5), (1, 2));
    let rules: Vec<_> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .collect();
    assert_eq!(rules, [("part_columns_differ", "a.csv")]);
    assert!(
        log.notes[0].message.contains("`gp_B`"),
        "{}",
        log.notes[0].message
    );
}

#[test]
fn an_empty_part_is_left_out_with_a_note_and_an_empty_folder_is_an_error() {
    let dir = folder(&[
        (
            "a.csv",
            b"id,date\n1,2023-01-02\n2,2023-01-03\n3,2023-01-04\n4,2023-01-05\n",
        ),
        ("b.csv", b"  \n"),
        (
            "notes.txt",
            b"Exported from the ERP by Ann.\nAsk her for 2021.\n",
        ),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["a.csv"]);
    let notes: Vec<_> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .collect();
    assert_eq!(
        notes,
        [("empty_part", "b.csv"), ("unrelated_part", "notes.txt")]
    );

    let empty = folder(&[("notes.md", b"x")]);
    let e = read(empty.path()).unwrap_err();
    assert!(e.contains("holds no sales-log file"), "{e}");
    assert!(e.contains(&empty.path().display().to_string()), "{e}");
    // Files a level down in folders that are not partitions (`2020/`, `archive/`): not read,
    // and the message says so.
    for y in ["2020", "2021"] {
        std::fs::create_dir(empty.path().join(y)).unwrap();
        std::fs::write(
            empty.path().join(y).join("part-0.csv"),
            "id,date\n1,2020-01-01\n",
        )
        .unwrap();
    }
    let e = read(empty.path()).unwrap_err();
    assert!(
        e.contains("its 2 subfolders `2020` to `2021` hold some, but only partition folders (`year=2021/`) are read"),
        "{e}"
    );
}

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

#[test]
fn partition_folders_are_read_and_their_names_are_columns() {
    // Spark's `partitionBy("region", "year")`: the columns are in the folders' names, not the
    // files; the same rows in two partitions are two partitions' rows, not a copy.
    let rows: &[u8] = b"id,date,gp\n1,2021-01-02,5\n";
    let dir = tree(&[
        ("region=East/year=2021/part-00000.csv", rows),
        ("region=North%20West/year=2021/part-00000.csv", rows),
        (
            "region=__HIVE_DEFAULT_PARTITION__/year=2021/part-00000.csv",
            rows,
        ),
        ("_SUCCESS", b""),
        // Unfinished output and old copies are not parts.
        ("_temporary/0/part-00000.csv", rows),
        ("archive/part-00000.csv", rows),
    ]);
    let log = read(dir.path()).unwrap();
    let notes: Vec<(&str, &str)> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.message.as_str()))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].1.starts_with("subfolder `archive` of"),
        "{notes:?}"
    );
    assert_eq!(
        log.files,
        [
            "region=__HIVE_DEFAULT_PARTITION__/year=2021/part-00000.csv",
            "region=East/year=2021/part-00000.csv",
            "region=North%20West/year=2021/part-00000.csv",
        ]
    );
    assert_eq!(log.partition_columns, ["region", "year"]);
    assert_eq!(
        text(&log),
        "id,date,gp,region,year\n1,2021-01-02,5,,2021\n1,2021-01-02,5,East,2021\n1,2021-01-02,5,North West,2021\n"
    );
    assert_eq!(
        log.place(4),
        "`region=North%20West/year=2021/part-00000.csv` line 2"
    );
}

#[test]
fn a_column_a_part_holds_itself_keeps_its_values_over_its_folders_name() {
    let dir = tree(&[
        ("year=2021/a.csv", b"id,date,Year\n1,2021-01-02,2021\n"),
        ("year=2022/b.csv", b"id,date\n2,2022-01-02\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(
        text(&log),
        "id,date,Year\n1,2021-01-02,2021\n2,2022-01-02,2022\n"
    );
    assert_eq!(log.partition_columns, ["year"]);
}

#[test]
fn compressed_exports_are_read_as_their_text() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"id,date,gp\n2,2022-01-02,6\n").unwrap();
    let zst = zstd::stream::encode_all(&b"id,date,gp\n3,2023-01-02,7\n"[..], 3).unwrap();
    let dir = folder(&[
        ("data_0_0_0.csv.gz", &gz.finish().unwrap()),
        ("data_0_1_0.csv.zst", &zst),
        ("data_0_0_1.csv", b"id,date,gp\n1,2021-01-02,5\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(
        log.files,
        ["data_0_0_0.csv.gz", "data_0_0_1.csv", "data_0_1_0.csv.zst"]
    );
    assert_eq!(
        text(&log),
        "id,date,gp\n2,2022-01-02,6\n1,2021-01-02,5\n3,2023-01-02,7\n"
    );
}

#[test]
fn headers_that_differ_in_case_or_punctuation_are_one_column() {
    let dir = folder(&[
        (
            "a.csv",
            b"Customer ID,Invoice Date,Widget\n1,2023-01-02,5\n",
        ),
        (
            "b.csv",
            b"customer_id,INVOICE DATE,Widget,Gadget\n2,2024-01-02,6,7\n",
        ),
        ("c.csv", b"Account No,Invoice Date,Widget\n3,2024-02-02,8\n"),
        (
            "d.csv",
            b"Customer ID,Invoice Date,Widget\n4,2024-03-02,9\n",
        ),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(
        text(&log).lines().next().unwrap(),
        "Customer ID,Invoice Date,Widget,Gadget,Account No"
    );
    // The renamed one is a column of its own: the key column `c.csv` lacks is named.
    let keys = log.missing_keys(&[
        ("customer id", "Customer ID"),
        ("order date", "Invoice Date"),
    ]);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0].0, "c.csv");
    assert!(
        keys[0].1.contains("`Customer ID` (the log's customer id)"),
        "{}",
        keys[0].1
    );
    // Every part lacks a column; a.csv and d.csv the same ones, in one note.
    let notes: Vec<&str> = log.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes[0].starts_with("`a.csv` and 1 more part have no `Gadget`, `Account No`"),
        "{notes:?}"
    );
}

#[test]
fn a_part_with_a_header_and_no_rows_is_left_out_with_a_note() {
    let dir = folder(&[
        ("2023.csv", b"id,date\n1,2023-01-02\n"),
        ("2024.csv", b"id,date\r\n\r\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["2023.csv"]);
    assert_eq!(log.notes.len(), 1, "{:?}", log.notes);
    assert_eq!(log.notes[0].rule, "empty_part");
    assert_eq!(
        log.notes[0].message,
        "`2024.csv` holds a header and no rows: left out"
    );
}

#[test]
fn a_copy_of_a_part_is_left_out_and_the_original_keeps_its_rows() {
    // `sales_2020 - Copy.csv` sorts before `sales_2020.csv`: the shorter name is the original.
    let rows: &[u8] = b"id,date,gp\n1,2020-01-02,5\n2,2020-03-04,6\n";
    let crlf: &[u8] = b"id,date,gp\r\n1,2020-01-02,5\r\n2,2020-03-04,6\r\n";
    // A CRLF export sent through a text-mode transfer once more.
    let crcrlf: &[u8] = b"id,date,gp\r\r\n1,2020-01-02,5\r\r\n2,2020-03-04,6\r\r\n";
    let dir = folder(&[
        ("sales_2020 (1).csv", crlf),
        ("sales_2020 (2).csv", crcrlf),
        ("sales_2020 - Copy.csv", rows),
        ("sales_2020.csv", rows),
        ("sales_2021.csv", b"id,date,gp\n3,2021-01-02,7\n"),
        // The same rows under another header are not a copy.
        (
            "other.csv",
            b"id,date,margin\n1,2020-01-02,5\n2,2020-03-04,6\n",
        ),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["other.csv", "sales_2020.csv", "sales_2021.csv"]);
    let copies: Vec<_> = log
        .notes
        .iter()
        .filter(|n| n.rule == "copied_part")
        .collect();
    // A re-download with CRLF line ends is a copy too.
    assert_eq!(copies.len(), 3, "{:?}", log.notes);
    assert_eq!(copies[0].file, "sales_2020 (1).csv");
    assert_eq!(copies[1].file, "sales_2020 (2).csv");
    assert_eq!(copies[2].file, "sales_2020 - Copy.csv");
    assert!(
        copies[2]
            .message
            .contains("repeats `sales_2020.csv` byte for byte"),
        "{}",
        copies[2].message
    );
    // Its rows are in the log once, and name the original.
    assert_eq!(
        text(&log).matches("2020-01-02").count(),
        2,
        "{}",
        text(&log)
    );
    let line = text(&log)
        .lines()
        .position(|l| l == "2,2020-03-04,,6")
        .unwrap() as u64
        + 1;
    assert_eq!(log.place(line), "`sales_2020.csv` line 3");
}

#[test]
fn a_holdout_saved_among_the_exports_is_not_read_as_the_log() {
    let dir = folder(&[
        ("2023.csv", b"id,date\n1,2023-01-02\n"),
        ("2024.csv", b"id,date\n2,2024-01-02\n"),
        ("holdout_2025.csv", b"id,date\n3,2025-01-02\n"),
    ]);
    let holdout = dir.path().join("holdout_2025.csv");
    let log = read_except(dir.path(), Some(&holdout)).unwrap();
    assert_eq!(log.files, ["2023.csv", "2024.csv"]);
    assert!(!text(&log).contains("2025"), "{}", text(&log));
    assert_eq!(log.notes.len(), 1, "{:?}", log.notes);
    assert_eq!(log.notes[0].rule, "holdout_in_log_folder");
    assert!(
        log.notes[0].message.starts_with(
            "the holdout `holdout_2025.csv` (or a copy of it) is in the sales-log folder"
        ),
        "{}",
        log.notes[0].message
    );
    // Named by another path to the same file (`dir/./holdout_2025.csv`), still left out.
    let other = dir.path().join(".").join("holdout_2025.csv");
    assert_eq!(
        read_except(dir.path(), Some(&other)).unwrap().files,
        ["2023.csv", "2024.csv"]
    );
    // Without a holdout it is a part like any other.
    assert_eq!(read(dir.path()).unwrap().files.len(), 3);
    // Copied out of the folder and the original left behind, under another name: still the
    // holdout's rows.
    let outside = tempfile::tempdir().unwrap();
    let copy = outside.path().join("holdout.csv");
    std::fs::copy(&holdout, &copy).unwrap();
    std::fs::rename(&holdout, dir.path().join("orders_2025H1.csv")).unwrap();
    let log = read_except(dir.path(), Some(&copy)).unwrap();
    assert_eq!(log.files, ["2023.csv", "2024.csv"]);
    assert_eq!(log.notes[0].rule, "holdout_in_log_folder");
}

#[test]
fn the_same_log_under_other_headers_blocks_instead_of_being_left_out() {
    // A German subsidiary's export of the same seven columns: left out as "unrelated", it took
    // three years of sales with it and the run exited 0.
    let mut en = String::from("Customer ID,Order Date,Invoice,Product,Division,Qty,GP\n");
    let mut de = String::from("Kundennummer;Belegdatum;Rechnung;Artikel;Sparte;Menge;Rohertrag\n");
    for i in 0..40 {
        en += &format!("{i},2021-01-02,INV{i},SWX,Solidworks,1,10.5\n");
        de += &format!("{i};02.01.2024;RE{i};SWX;Solidworks;1;10,5\n");
    }
    let dir = folder(&[
        ("sales_2020-2022.csv", en.as_bytes()),
        ("sales_2023-2024_DE.csv", de.as_bytes()),
        ("notes.txt", b"Exported by Ann.\nAsk her for 2019.\n"),
    ]);
    let log = read(dir.path()).unwrap();
    let notes: Vec<_> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.severity, n.file.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("unrelated_part", Severity::Warning, "notes.txt"),
            (
                "part_header_differs",
                Severity::Blocking,
                "sales_2023-2024_DE.csv"
            ),
        ]
    );
    assert!(
        log.notes[1]
            .message
            .contains("the same log under other headers"),
        "{}",
        log.notes[1].message
    );
}

#[test]
fn the_file_under_other_headers_is_named_even_when_it_is_the_largest() {
    // Three years of the log, each smaller than the German export: the largest single file
    // was the reference, and each English year was named as the odd one out.
    let year = |y: u32| {
        let mut en = String::from("Customer ID,Order Date,Invoice,Product,Division,Qty,GP\n");
        for i in 0..30 {
            en += &format!("{i},{y}-01-02,INV{i},SWX,Solidworks,1,10.5\n");
        }
        en
    };
    let mut de = String::from("Kundennummer;Belegdatum;Rechnung;Artikel;Sparte;Menge;Rohertrag\n");
    for i in 0..45 {
        de += &format!("{i};02.01.2024;RE{i};SWX;Solidworks;1;10,5\n");
    }
    let (a, b, c) = (year(2021), year(2022), year(2023));
    let dir = folder(&[
        ("sales_2021.csv", a.as_bytes()),
        ("sales_2022.csv", b.as_bytes()),
        ("sales_2023.csv", c.as_bytes()),
        ("sales_2024_de.csv", de.as_bytes()),
    ]);
    assert!(de.len() > a.len());
    let log = read(dir.path()).unwrap();
    let notes: Vec<_> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .collect();
    assert_eq!(notes, [("part_header_differs", "sales_2024_de.csv")]);
    assert!(
        log.notes[0].message.contains("with `sales_2021.csv`"),
        "{}",
        log.notes[0].message
    );
}

#[test]
fn the_file_under_other_headers_blocks_when_the_years_added_columns() {
    // The years have 7, 8 and 9 columns (a `Region`, then a `Rep` added); the German export
    // has the first 7: as wide as one of them, it is the same log, and must not be dropped.
    let cols = [
        "Customer ID,Order Date,Invoice,Product,Division,Qty,GP",
        ",Region",
        ",Rep",
    ];
    let year = |y: u32, n: usize| {
        let mut t = cols[..n].concat() + "\n";
        for i in 0..30 {
            t += &format!(
                "{i},{y}-01-02,INV{i},SWX,Solidworks,1,10.5{}\n",
                ",x".repeat(n - 1)
            );
        }
        t
    };
    let mut de = String::from("Kundennummer;Belegdatum;Rechnung;Artikel;Sparte;Menge;Rohertrag\n");
    for i in 0..40 {
        de += &format!("{i};02.01.2024;RE{i};SWX;Solidworks;1;10,5\n");
    }
    let (a, b, c) = (year(2021, 1), year(2022, 2), year(2023, 3));
    let dir = folder(&[
        ("export_de.csv", de.as_bytes()),
        ("sales_2021.csv", a.as_bytes()),
        ("sales_2022.csv", b.as_bytes()),
        ("sales_2023.csv", c.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    let notes: Vec<_> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .filter(|(r, _)| *r != "part_columns_differ")
        .collect();
    assert_eq!(
        notes,
        [("part_header_differs", "export_de.csv")],
        "{:?}",
        log.notes
    );
}

#[test]
fn a_holdout_folder_inside_the_log_folder_is_left_out() {
    let rows: &[u8] = b"id,date,gp\n1,2021-01-02,5\n";
    let dir = tree(&[
        ("year=2023/part-0.csv", rows),
        ("year=2024/part-0.csv", b"id,date,gp\n2,2024-01-02,6\n"),
    ]);
    let holdout = dir.path().join("year=2024");
    let log = read_except(dir.path(), Some(&holdout)).unwrap();
    assert_eq!(log.files, ["year=2023/part-0.csv"]);
    assert!(
        log.notes.iter().any(|n| n.rule == "holdout_in_log_folder"),
        "{:?}",
        log.notes
    );
}

#[test]
fn a_header_table_gives_each_line_its_invoice_columns() {
    // The header is the wider file (addresses), its key a pandas float and named otherwise;
    // an invoice number of the lines is padded, and one line's invoice has no header row.
    let mut headers = String::from(
        "No.,Sell-to Customer No.,Posting Date,Ship-to Address,Ship-to City,Salesperson\n",
    );
    let mut lines = String::from("Document No.,Line No.,Item,GP\n");
    let mut joined = String::from("Document No.,Line No.,Item,GP,Sell-to Customer No.,Posting Date,Ship-to Address,Ship-to City,Salesperson\n");
    for i in 1..=12 {
        let (inv, cust, day) = (1000 + i, format!("C{}", i % 4), format!("2023-{i:02}-05"));
        let rest = format!("{cust},{day},{i} Long Road,Springfield,ANN");
        headers += &format!("{inv}.0,{rest}\n");
        for l in 1..=1 + i % 3 {
            let key = if (i, l) == (1, 1) {
                format!(" {inv} ")
            } else {
                inv.to_string()
            };
            lines += &format!("{key},{l}0000,A,{i}\n");
            joined += &format!("{key},{l}0000,A,{i},{rest}\n");
        }
    }
    lines += "1099,10000,C,9\n";
    joined += "1099,10000,C,9,,,,,\n";
    let dir = folder(&[
        ("headers.csv", headers.as_bytes()),
        ("lines.csv", lines.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["lines.csv"]);
    assert_eq!(text(&log), joined);
    // Lines still map back to the lines' file.
    let last = lines.lines().count() as u64;
    assert_eq!(log.place(last), format!("`lines.csv` line {last}"));
    let rules: Vec<(&str, Option<u64>)> = log.notes.iter().map(|n| (n.rule, n.line)).collect();
    assert_eq!(
        rules,
        [("header_table", None), ("line_without_header", Some(last))]
    );
    assert!(
        log.notes[0]
            .message
            .contains("by `Document No.` (`No.` there)"),
        "{}",
        log.notes[0].message
    );
}

#[test]
fn a_master_without_days_or_a_key_of_line_numbers_is_no_header_table() {
    // A customer master keyed by the lines' customer: no day, so not a header.
    let dir = folder(&[
        (
            "lines.csv",
            b"Customer,Date,Item,GP\nC1,2023-01-05,A,5\nC2,2023-01-06,A,6\nC1,2023-02-05,B,7\n",
        ),
        (
            "customers.csv",
            b"Customer,Name,Industry\nC1,Acme,Retail\nC2,Bolt,Food\n",
        ),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["lines.csv"]);
    assert_eq!(log.notes[0].rule, "unrelated_part");
    // Line numbers fall in a dated table's key of small whole numbers: no invoice numbers,
    // since every invoice has a line 1.
    let mut lines = String::from("Doc,Line,Item,GP\n");
    for i in 0..700 {
        lines += &format!("X{},{},A,5\n", i / 12, 1 + i % 12);
    }
    let mut calendar = String::from("Id,Day\n");
    for d in 1..=30 {
        calendar += &format!("{d},2023-01-{d:02}\n");
    }
    let dir = folder(&[
        ("lines.csv", lines.as_bytes()),
        ("calendar.csv", calendar.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["lines.csv"]);
    assert_eq!(log.notes[0].rule, "unrelated_part", "{:?}", log.notes);
}

/// A header table of `n` invoices (`H{i}`, customer `C{i % 7}`, day), lines of 1-3 each, and
/// the tables' texts.
fn invoices(n: usize, header: &str, lines_header: &str) -> (String, String) {
    let mut h = format!("{header}\n");
    let mut l = format!("{lines_header}\n");
    for i in 0..n {
        h += &format!("H{i},C{},2023-{:02}-10\n", i % 7, 1 + i % 12);
        for k in 0..1 + i % 3 {
            l += &format!("H{i},{k},A,5,2023-{:02}-20\n", 1 + i % 12);
        }
    }
    (h, l)
}

#[test]
fn the_header_joins_the_lines_not_a_master_keyed_by_its_own_columns() {
    // A customer master with a `Created` day, keyed by the header's customer: it finds no
    // invoice of the lines, and stays out; the header is joined.
    let (h, l) = invoices(
        40,
        "Invoice,Customer,Invoice Date",
        "Invoice,Line,Item,GP,Ship Date",
    );
    let mut m = String::from("Customer,Name,Created\n");
    for c in 0..7 {
        m += &format!("C{c},Name {c},2020-01-0{}\n", c + 1);
    }
    let dir = folder(&[
        ("header.csv", h.as_bytes()),
        ("lines.csv", l.as_bytes()),
        ("customers.csv", m.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["lines.csv"]);
    let rules: Vec<&str> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["header_table", "unrelated_part"]);
    assert!(text(&log).starts_with(
        "Invoice,Line,Item,GP,Ship Date,Customer,Invoice Date\nH0,0,A,5,2023-01-20,C0,2023-01-10\n"
    ));
}

#[test]
fn a_column_both_tables_have_keeps_the_lines_and_the_headers_differing_values_beside() {
    let (h, l) = invoices(40, "Invoice,Customer,Date", "Invoice,Line,Item,GP,Date");
    let dir = folder(&[
        ("invoice_header.csv", h.as_bytes()),
        ("lines.csv", l.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert!(
        text(&log).starts_with("Invoice,Line,Item,GP,Date,Customer,Date (invoice_header)\nH0,0,A,5,2023-01-20,C0,2023-01-10\n"),
        "{}",
        &text(&log)[..120]
    );
    // The same values in both: nothing added.
    let same = l.replace("-20\n", "-10\n");
    let dir = folder(&[
        ("invoice_header.csv", h.as_bytes()),
        ("lines.csv", same.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert!(text(&log).starts_with("Invoice,Line,Item,GP,Date,Customer\n"));
}

#[test]
fn an_invoice_number_on_two_differing_header_rows_joins_none_of_its_lines() {
    let (mut h, l) = invoices(
        200,
        "Invoice,Customer,Invoice Date",
        "Invoice,Line,Item,GP,Ship Date",
    );
    // `H5` again, for another customer: which is right cannot be told.
    h += "H5,C9,2023-06-10\n";
    let dir = folder(&[("header.csv", h.as_bytes()), ("lines.csv", l.as_bytes())]);
    let log = read(dir.path()).unwrap();
    let rules: Vec<&str> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(
        rules,
        ["header_table", "header_key_repeated", "line_without_header"]
    );
    assert!(log.notes[1].message.contains(
        "1 invoice number(s) of `header.csv` are on header rows that differ (the first: `H5`)"
    ));
    assert!(
        text(&log).contains("\nH5,0,A,5,2023-06-20,,\n"),
        "{}",
        text(&log)
    );
}

#[test]
fn a_header_of_too_few_invoices_is_not_joined_and_says_why() {
    // Headers exported for the later 60 of 100 invoices only.
    let (h, l) = invoices(
        100,
        "Invoice,Customer,Invoice Date",
        "Invoice,Line,Item,GP,Ship Date",
    );
    let h: String = h
        .lines()
        .take(1)
        .chain(h.lines().skip(41))
        .map(|x| format!("{x}\n"))
        .collect();
    let dir = folder(&[("header.csv", h.as_bytes()), ("lines.csv", l.as_bytes())]);
    let log = read(dir.path()).unwrap();
    let note = log
        .notes
        .iter()
        .find(|n| n.rule == "header_not_joined")
        .unwrap();
    assert!(
        note.message.contains("`header.csv` looks like the invoices' header, but is not joined to the lines: only 60% of the lines' `Invoice` values are among its `Invoice`"),
        "{}",
        note.message
    );
}

#[test]
fn a_dated_customer_master_beside_a_flat_log_is_not_joined() {
    // The log names its customers and days itself; the master's `Segment` is no line's.
    let mut log = String::from("Customer ID,Invoice Date,Item,GP\n");
    for i in 0..300 {
        log += &format!("C{},2023-{:02}-10,A,5\n", i % 40, 1 + i % 12);
    }
    let mut master = String::from("Customer ID,Name,Created,Segment,Region\n");
    for c in 0..40 {
        master += &format!("C{c},Name {c},2020-01-{:02},SMB,West\n", 1 + c % 28);
    }
    let dir = folder(&[
        ("sales.csv", log.as_bytes()),
        ("customers.csv", master.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["sales.csv"]);
    let rules: Vec<&str> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["unrelated_part"]);
    assert!(text(&log).starts_with("Customer ID,Invoice Date,Item,GP\n"));
}

#[test]
fn a_customer_master_as_wide_as_the_log_is_left_out_not_taken_for_the_log() {
    // A CRM's account list saved in the sales folder with as many columns as the log: it blocked
    // as "the same log under other headers", and init could not set up the data at all.
    let mut log = String::from("Customer ID,Invoice Date,Invoice No,Product,Division,Qty,GP\n");
    for i in 0..300 {
        log += &format!(
            "C{:03},2023-01-{:02},INV{i},P1,Software,1,10.5\n",
            i % 40,
            1 + i % 28
        );
    }
    let mut master =
        String::from("Customer ID,Customer Name,Street,City,State,Industry,Account Manager\n");
    for c in 0..60 {
        master += &format!("C{c:03},Company {c} Inc,{c} Main Street,Springfield,IL,Retail,Ann\n");
    }
    let dir = folder(&[
        ("sales.csv", log.as_bytes()),
        ("customers.csv", master.as_bytes()),
    ]);
    let read_log = read(dir.path()).unwrap();
    assert_eq!(read_log.files, ["sales.csv"]);
    let notes: Vec<_> = read_log
        .notes
        .iter()
        .map(|n| (n.rule, n.severity))
        .collect();
    assert_eq!(notes, [("unrelated_part", Severity::Warning)]);
    assert!(
        read_log.notes[0]
            .message
            .contains("one row per `Customer ID`"),
        "{}",
        read_log.notes[0].message
    );
    // Larger than the log, with its prospects: the log is still the log.
    for c in 60..3000 {
        master += &format!("C{c:03},Company {c} Inc,{c} Main Street,Springfield,IL,Retail,Ann\n");
    }
    let dir = folder(&[
        ("sales.csv", log.as_bytes()),
        ("customers.csv", master.as_bytes()),
    ]);
    let read_log = read(dir.path()).unwrap();
    assert_eq!(read_log.files, ["sales.csv"]);
    assert_eq!(read_log.notes.len(), 1);
    assert!(text(&read_log).starts_with("Customer ID,Invoice Date"));
}

#[test]
fn credit_memos_numbered_as_invoices_join_their_own_header() {
    // Business Central numbers invoices and credit memos in two series that may both start at
    // 1000: joined as one header table, the numbers collided and nothing loaded.
    let mut ih = String::from("No.,Sell-to Customer No.,Posting Date,Order No.\n");
    let mut il = String::from("Document No.,Line No.,No.,Profit (LCY)\n");
    for i in 0..30 {
        ih += &format!(
            "{},C{},2023-02-{:02},S-ORD{i}\n",
            1000 + i,
            i % 7,
            1 + i % 28
        );
        for k in 0..1 + i % 3 {
            il += &format!("{},{},ITEM{k},5\n", 1000 + i, 10_000 * (k + 1));
        }
    }
    // Three credit memos, one line each: too few to be a header table of their own.
    let mut ch = String::from("No.,Sell-to Customer No.,Posting Date,Order No.\n");
    let mut cl = String::from("Document No.,Line No.,No.,Profit (LCY)\n");
    for i in 0..3 {
        ch += &format!("{},K{i},2024-06-1{i},\n", 1000 + i);
        cl += &format!("{},10000,ITEM0,2\n", 1000 + i);
    }
    let dir = folder(&[
        ("Sales Invoice Header.csv", ih.as_bytes()),
        ("Sales Invoice Line.csv", il.as_bytes()),
        ("Sales Cr.Memo Header.csv", ch.as_bytes()),
        ("Sales Cr.Memo Line.csv", cl.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(
        log.files,
        ["Sales Cr.Memo Line.csv", "Sales Invoice Line.csv"]
    );
    let rules: Vec<&str> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["header_table", "header_table"], "{:?}", log.notes);
    assert!(log.notes[1].message.contains("the credit memos' header"));
    let t = text(&log);
    assert!(t.contains("\n1000,10000,ITEM0,2,K0,2024-06-10,\n"), "{t}");
    assert!(
        t.contains("\n1000,10000,ITEM0,5,C0,2023-02-01,S-ORD0\n"),
        "{t}"
    );
}

#[test]
fn a_translated_log_whose_row_ids_hold_the_quantities_still_blocks() {
    // Its unique `Zeilen-ID` 1, 2, 3 holds every quantity of the log: no master of quantities.
    let mut en = String::from("Row ID,Order Date,Customer ID,Product,Quantity,Sales\n");
    let mut de = String::from("Zeilen-ID;Datum;Kundennummer;Artikel;Menge;Umsatz\n");
    for i in 0..200 {
        en += &format!(
            "{},2021-01-02,C{},SWX,{},10.5\n",
            5000 + i,
            i % 9,
            1 + i % 4
        );
        de += &format!("{};02.01.2024;C{};SWX;{};10,5\n", 1 + i, i % 9, 1 + i % 4);
    }
    let dir = folder(&[
        ("sales_en.csv", en.as_bytes()),
        ("sales_de.csv", de.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    let rules: Vec<_> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["part_header_differs"]);
}

#[test]
fn a_folder_of_json_lines_is_one_log_and_its_manifest_no_part() {
    let dir = tree(&[
        (
            "data_0_0_0.jsonl",
            b"{\"id\": \"C1\", \"date\": \"2021-01-02\", \"gp\": 5}\n{\"id\": \"C2\", \"date\": \"2021-01-03\", \"gp\": 6}\n",
        ),
        (
            "data_0_0_1.jsonl",
            b"\n{\"id\": \"C3\", \"date\": \"2021-01-04\", \"gp\": 7.5}\n",
        ),
        ("_manifest.json", b"{\"entries\": [\"data_0_0_0.jsonl\"]}"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["data_0_0_0.jsonl", "data_0_0_1.jsonl"]);
    assert!(log.notes.is_empty(), "{:?}", log.notes);
    assert_eq!(
        text(&log),
        "id,date,gp\nC1,2021-01-02,5\nC2,2021-01-03,6\nC3,2021-01-04,7.5\n"
    );
    // Each row names its record's file and line.
    assert_eq!(log.place(3), "`data_0_0_0.jsonl` line 2");
    assert_eq!(log.place(4), "`data_0_0_1.jsonl` line 2");
}

#[test]
fn summaries_beside_a_larger_customer_master_are_the_log() {
    // The master is larger but undated: no log of the summaries' sales.
    let mut master = String::from("Customer ID,Customer,Industry,Website\n");
    for c in 0..200 {
        master += &format!("C{c:03},Customer {c},Machinery,www.c{c}.com\n");
    }
    let mut summary = String::from("Customer ID,Product Line,Jan 2023,Feb 2023,Mar 2023\n");
    for c in 0..20 {
        summary += &format!("C{c:03},CAD,1,,2\n,CAM,,3,\n");
    }
    let dir = tree(&[
        ("by month.csv", summary.as_bytes()),
        ("customers.csv", master.as_bytes()),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["by month.csv"]);
    assert!(
        text(&log).starts_with(
            "Customer ID,Product Line,Month,Amount\nC000,CAD,2023-01,1\nC000,CAD,2023-03,2\nC000,CAM,2023-02,3\n"
        ),
        "{}",
        text(&log)
    );
    let rules: Vec<&str> = log.notes.iter().map(|n| n.rule).collect();
    assert_eq!(rules, ["summary_unpivoted", "unrelated_part"]);
}

#[test]
fn a_day_of_no_orders_is_an_empty_part_and_utf16_json_is_read() {
    // PowerShell 5's `ConvertTo-Json > day2.json` writes UTF-16 with a byte order mark.
    let json = "[{\"id\": \"C2\", \"date\": \"2021-01-03\", \"gp\": 6}]";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(json.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = tree(&[
        (
            "day1.json",
            b"[{\"id\": \"C1\", \"date\": \"2021-01-02\", \"gp\": 5}]",
        ),
        ("day2.json", &utf16),
        ("day3.json", b"[]\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["day1.json", "day2.json"]);
    assert_eq!(text(&log), "id,date,gp\nC1,2021-01-02,5\nC2,2021-01-03,6\n");
    let notes: Vec<(&str, &str)> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .collect();
    assert_eq!(notes, [("empty_part", "day3.json")]);
}

#[test]
fn json_of_no_records_among_the_exports_is_left_out_and_a_broken_file_still_refused() {
    let day = b"[{\"id\": \"C1\", \"date\": \"2021-01-02\", \"gp\": 5}]" as &[u8];
    let dir = tree(&[
        ("day1.json", day),
        ("regions.json", b"[\"East\", \"West\"]\n"),
    ]);
    let log = read(dir.path()).unwrap();
    assert_eq!(log.files, ["day1.json"]);
    let notes: Vec<(&str, &str)> = log
        .notes
        .iter()
        .map(|n| (n.rule, n.file.as_str()))
        .collect();
    assert_eq!(notes, [("unrelated_part", "regions.json")]);
    // Records mixed with other values, or cut off, are a broken export: refused, named.
    for bad in [b"[{\"id\": \"C2\"}, 7]" as &[u8], b"[{\"id\": \"C2\""] {
        let dir = tree(&[("day1.json", day), ("day2.json", bad)]);
        let e = read(dir.path()).unwrap_err();
        assert!(e.contains("day2.json"), "{e}");
    }
}
