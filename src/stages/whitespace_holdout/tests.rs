use super::*;
use crate::stages::fixture::d;

fn row(id: &str, division: &str, p_icp: f64, rank: u64) -> Row {
    Row {
        customer_id: id.into(),
        division: division.into(),
        p_icp,
        rank_in_division: rank,
    }
}

fn measured(buyers: &[&str]) -> Labels {
    Labels::Measured {
        buyers: buyers.iter().map(|b| (b.to_string(), 100.0)).collect(),
        window_end: d("2025-06-30"),
        coverage: Coverage {
            data_min: Some(d("2025-01-02")),
            data_max: Some(d("2025-06-29")),
            late_start: None,
            censored_end: false,
        },
        definition: "net GP".into(),
    }
}

#[test]
fn a_list_that_ranks_its_buyers_last_reads_below_chance_while_p_icp_finds_them() {
    // Ten non-owners of B; the two buyers are the list's last two rows but p_icp's first two:
    // the blend of percentiles buried what the model saw.
    let rows: Vec<Row> = (0..10)
        .map(|i| row(&format!("c{i}"), "B", if i >= 8 { 0.5 } else { 0.1 }, i + 1))
        .collect();
    let labels = BTreeMap::from([("B".to_string(), measured(&["c8", "c9"]))]);
    let r = judge(&rows, &labels, d("2024-12-31"));
    let b = &r["divisions"][0];
    assert_eq!(b["status"], "measured");
    assert_eq!(b["rows"], 10);
    assert_eq!(b["buyers"], 2);
    assert_eq!(b["base_rate"], 0.2);
    // Top 10% = 1 row: the list's is a non-buyer, p_icp's a buyer (lift 1 / 0.2 = 5).
    assert_eq!(b["list"]["top"][1]["rows"], 1);
    assert_eq!(b["list"]["top"][1]["lift"], 0.0);
    assert_eq!(b["p_icp"]["top"][1]["lift"], 5.0);
    assert_eq!(b["p_icp"]["top"][1]["hit_rate"], 1.0);
    assert_eq!(b["list"]["auc"], 0.0);
    assert_eq!(b["p_icp"]["auc"], 1.0);
    // Warned about once it has enough buyers, never below `min_buyers`.
    let w = warnings(&r, 2);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("B: the whitespace list's top 10% (1 rows) bought at 0.0% in the holdout, against 20.0% of all its 10 rows (lift 0.00)"),
        "{}",
        w[0]
    );
    assert!(warnings(&r, 3).is_empty());
}

#[test]
fn the_whole_file_is_judged_in_its_row_order_across_divisions() {
    // The file interleaves A and B (per-division percentiles); A's rows buy, B's do not. In
    // file order the top 25% (1 of 4) is B's rank-1 row; by p_icp it is A's.
    let rows = vec![
        row("b1", "B", 0.05, 1),
        row("a1", "A", 0.60, 1),
        row("b2", "B", 0.04, 2),
        row("a2", "A", 0.50, 2),
    ];
    let labels = BTreeMap::from([
        ("A".to_string(), measured(&["a1", "a2"])),
        ("B".to_string(), measured(&[])),
    ]);
    let r = judge(&rows, &labels, d("2024-12-31"));
    let w = &r["whole_file"];
    assert_eq!(w["rows"], 4);
    assert_eq!(w["buyers"], 2);
    // 5% and 10% of 4 rows are 1 row; 20% is 1 row too.
    assert_eq!(w["list"]["top"][1]["hit_rate"], 0.0);
    assert_eq!(w["p_icp"]["top"][1]["hit_rate"], 1.0);
    // Divisions come sorted by name, each with its own base rate.
    assert_eq!(r["divisions"][0]["division"], "A");
    assert_eq!(r["divisions"][0]["base_rate"], 1.0);
    assert_eq!(r["divisions"][1]["buyers"], 0);
    assert!(r["divisions"][1]["list"]["auc"].is_null());
}

#[test]
fn a_division_not_measured_is_said_so_and_left_out_of_the_whole_file() {
    let rows = vec![row("a1", "A", 0.6, 1), row("b1", "B", 0.5, 1)];
    let labels = BTreeMap::from([
        ("A".to_string(), measured(&["a1"])),
        (
            "B".to_string(),
            Labels::NotMeasured("not measured: in-sample".into()),
        ),
    ]);
    let r = judge(&rows, &labels, d("2024-12-31"));
    assert_eq!(r["divisions"][1]["status"], "not_measured");
    assert_eq!(r["divisions"][1]["rows"], 1);
    assert_eq!(r["whole_file"]["rows"], 1);
    let w = warnings(&r, 20);
    assert_eq!(
        w,
        ["B: whitespace not judged on the holdout: not measured: in-sample"]
    );
}

#[test]
fn rows_are_read_in_file_order_with_the_spreadsheet_guard_taken_off() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("whitespace.csv");
    std::fs::write(
        &p,
        "customer_id,customer_name,division,score,p_icp,affinity,als_similarity,expected_value,rank_in_customer,rank_in_division,explanation\n\
         '=1,x,Scan & Print,0.9,0.25,,,,1,1,e\n\
         7,y,A,0.8,0.5,,,,1,1,e\n",
    )
    .unwrap();
    let rows = read_rows(&p).unwrap();
    assert_eq!(rows[0].customer_id, "=1");
    assert_eq!(rows[0].division, "Scan & Print");
    assert_eq!(rows[1].p_icp, 0.5);
    std::fs::write(
        &p,
        "customer_id,division,p_icp,rank_in_division\n7,A,high,1\n",
    )
    .unwrap();
    let err = read_rows(&p).unwrap_err();
    assert!(
        err.ends_with("line 2: `high` is not a number (p_icp)"),
        "{err}"
    );
    for (p, rank, says) in [
        ("NaN", "1", "`NaN` is not a number (p_icp)"),
        (
            "0.5",
            "1.5",
            "`1.5` is not a whole number (rank_in_division)",
        ),
    ] {
        std::fs::write(
            dir.path().join("whitespace.csv"),
            format!("customer_id,division,p_icp,rank_in_division\n7,A,{p},{rank}\n"),
        )
        .unwrap();
        let err = read_rows(&dir.path().join("whitespace.csv")).unwrap_err();
        assert!(err.ends_with(says), "{err}");
    }
}
