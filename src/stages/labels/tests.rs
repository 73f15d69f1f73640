use super::*;
use crate::stages::fixture::{d, history, history_with};

fn get(l: &Labels, col: &str) -> Vec<String> {
    let c = l.frame.column(col).unwrap();
    (0..l.frame.height())
        .map(|i| c.get(i).unwrap().to_string().trim_matches('"').to_string())
        .collect()
}

fn params(mode: Mode) -> Params {
    Params {
        window_months: 6,
        mode,
        gp_min_threshold: 0.0,
        purchase: Purchase::Gp,
    }
}

#[test]
fn expansion_mode_labels_and_cohorts() {
    let l = build(
        &history(),
        "PDM",
        d("2024-06-30"),
        &params(Mode::Expansion),
        &BTreeSet::new(),
        None,
    )
    .unwrap();
    // C bought nothing before the cutoff: not a candidate in expansion mode.
    assert_eq!(get(&l, "customer_id"), ["A", "B", "D"]);
    // A: +800 in the window; B: only Simulation; D: net -60 (a return) is not a purchase.
    assert_eq!(get(&l, "label"), ["1", "0", "0"]);
    assert_eq!(get(&l, "net_gp_window"), ["800.0", "0.0", "-60.0"]);
    assert_eq!(get(&l, "is_renewal_like"), ["1", "0", "1"]);
    assert_eq!(get(&l, "is_expansion"), ["0", "1", "0"]);
    assert_eq!(get(&l, "is_new_logo"), ["0", "0", "0"]);
    assert_eq!(l.report["window_end"], "2024-12-31");
    // The data ends 2024-10-01, before the window does.
    assert_eq!(l.report["censored"], true);
    assert_eq!(get(&l, "censored"), ["1", "1", "1"]);
    assert_eq!(l.report["observed_window_days"], 93);
    // Only window lines were read.
    let (a, b) = l.events.unwrap();
    assert!(a > d("2024-06-30") && b <= d("2024-12-31"));
}

#[test]
fn all_mode_never_adds_a_customer_first_seen_after_the_cutoff() {
    // C's first line is in the window: known at the cutoff only by what came after it, its
    // empty past would mark it and its first purchase be the label (a leak that gave pure noise
    // an out-of-time AUC of 0.60). Expansion's population, then; a customer with no line at
    // all (a prospect of a customer master) would be added.
    let l = build(
        &history(),
        "PDM",
        d("2024-06-30"),
        &params(Mode::All),
        &BTreeSet::new(),
        None,
    )
    .unwrap();
    assert_eq!(get(&l, "customer_id"), ["A", "B", "D"]);
    assert_eq!(get(&l, "is_new_logo"), ["0", "0", "0"]);
}

#[test]
fn cutoff_day_lines_are_features_not_labels_and_windows_are_month_end_aware() {
    // A line on the cutoff day is not in the window that starts after it.
    let h = history_with(|l| l[5].day = crate::stages::history::day(d("2024-06-30")));
    let l = build(
        &h,
        "PDM",
        d("2024-06-30"),
        &params(Mode::Expansion),
        &BTreeSet::new(),
        None,
    )
    .unwrap();
    assert_eq!(get(&l, "label")[0], "0");
    // A line on the window's last day (month-end arithmetic: 2024-03-31 + 3 = 2024-06-30) is in it.
    let p = Params {
        window_months: 3,
        ..params(Mode::Expansion)
    };
    let l = build(
        &history(),
        "Services",
        d("2024-03-31"),
        &p,
        &BTreeSet::new(),
        None,
    )
    .unwrap();
    assert_eq!(l.report["window_end"], "2024-06-30");
    assert_eq!(l.report["censored"], false);
    assert_eq!(get(&l, "label")[0], "1");
}

#[test]
fn partitions_that_disagree_on_the_definition_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for (i, window) in [6, 6, 3].iter().enumerate() {
        let d = dir.path().join(i.to_string());
        std::fs::create_dir_all(&d).unwrap();
        let report = json!({"window_months": window, "mode": "expansion", "gp_min_threshold": 0.0, "denylisted_skus": ["X"], "cutoff": format!("2024-0{}-30", i + 4)});
        std::fs::write(d.join("cutoff.json"), report.to_string()).unwrap();
        dirs.push(d);
    }
    let def = definition_of(dirs[..2].iter().map(|d| d.as_path())).unwrap();
    assert_eq!(
        def,
        json!({"window_months": 6, "mode": "expansion", "gp_min_threshold": 0.0, "purchase": "gp", "denylisted_skus": ["X"]})
    );
    let e = definition_of(dirs.iter().map(|d| d.as_path())).unwrap_err();
    assert!(e.contains("disagree"), "{e}");
}

#[test]
fn denylist_and_threshold() {
    let deny = BTreeSet::from(["PDM".to_string()]);
    let l = build(
        &history(),
        "PDM",
        d("2024-06-30"),
        &params(Mode::Expansion),
        &deny,
        None,
    )
    .unwrap();
    assert_eq!(get(&l, "label"), ["0", "0", "0"]);
    // Denylisted lines do not make a customer renewal-like either.
    assert_eq!(get(&l, "is_renewal_like"), ["0", "0", "0"]);
    let p = Params {
        gp_min_threshold: 800.0,
        ..params(Mode::Expansion)
    };
    let l = build(
        &history(),
        "PDM",
        d("2024-06-30"),
        &p,
        &BTreeSet::new(),
        None,
    )
    .unwrap();
    assert_eq!(get(&l, "label")[0], "0", "the threshold is strict");
}

#[test]
fn bad_requests_are_clear_errors_and_empty_partitions_are_flagged() {
    let known = ["PDM".to_string(), "CAMWorks".to_string()];
    let p = params(Mode::Expansion);
    let e = build(
        &history(),
        "Nope",
        d("2024-06-30"),
        &p,
        &BTreeSet::new(),
        Some(&known),
    )
    .err()
    .unwrap();
    assert!(e.contains("unknown division `Nope`"), "{e}");
    let e = build(
        &history(),
        "PDM",
        d("2020-01-01"),
        &p,
        &BTreeSet::new(),
        None,
    )
    .err()
    .unwrap();
    assert!(e.contains("is before the log's first sale"), "{e}");
    let e = build(
        &history(),
        "PDM",
        d("2024-10-01"),
        &p,
        &BTreeSet::new(),
        None,
    )
    .err()
    .unwrap();
    assert!(e.contains("is on or after the log's last sale"), "{e}");
    let e = build(
        &history(),
        "PDM",
        d("2024-06-30"),
        &Params {
            window_months: 0,
            ..p.clone()
        },
        &BTreeSet::new(),
        None,
    )
    .err()
    .unwrap();
    assert!(e.contains("window_months"), "{e}");
    let l = build(
        &history(),
        "CAMWorks",
        d("2024-06-30"),
        &p,
        &BTreeSet::new(),
        Some(&known),
    )
    .unwrap();
    assert_eq!(l.report["empty"], true);
    assert_eq!(l.report["division_has_sales"], false);
    assert_eq!(get(&l, "label"), ["0", "0", "0"]);
}

#[test]
fn a_sale_at_a_loss_is_a_purchase_when_purchases_are_counted_in_units() {
    // B buys PDM at a loss in the window (a discounted sale: units out, GP below 0).
    let h = history_with(|l| {
        l.push(crate::stages::history::RawLine {
            customer_id: "B".into(),
            day: crate::stages::history::day(d("2024-08-15")),
            sku: "PDM".into(),
            division: "PDM".into(),
            gp: -25.0,
            qty: 3.0,
        })
    });
    let cutoff = d("2024-06-30");
    let none = BTreeSet::new();
    let by_gp = build(&h, "PDM", cutoff, &params(Mode::Expansion), &none, None).unwrap();
    assert_eq!(get(&by_gp, "label"), ["1", "0", "0"]);
    let p = Params {
        purchase: Purchase::Quantity,
        ..params(Mode::Expansion)
    };
    let by_units = build(&h, "PDM", cutoff, &p, &none, None).unwrap();
    // B's three units are a purchase; D's return nets -1 unit, none; GP is reported as before.
    assert_eq!(get(&by_units, "label"), ["1", "1", "0"]);
    assert_eq!(get(&by_units, "net_gp_window"), ["800.0", "-25.0", "-60.0"]);
    assert_eq!(by_units.report["purchase"], "quantity");
    // The definition carries it, and a partition written before it reads as GP.
    assert_eq!(definition(&by_units.report)["purchase"], "quantity");
    assert_eq!(definition(&json!({}))["purchase"], "gp");
    // A threshold below 0 would make every customer with no line a buyer; a GP threshold
    // means nothing to units.
    let below = Params {
        gp_min_threshold: -1000.0,
        ..params(Mode::Expansion)
    };
    let e = build(&h, "PDM", cutoff, &below, &none, None).err().unwrap();
    assert!(
        e.contains("gp_min_threshold") && e.contains("purchase: quantity"),
        "{e}"
    );
    let mixed = Params {
        gp_min_threshold: 10.0,
        ..p
    };
    let e = build(&h, "PDM", cutoff, &mixed, &none, None).err().unwrap();
    assert!(e.contains("counts units"), "{e}");
}

#[test]
fn counted_in_units_lines_without_a_quantity_add_a_unit_when_their_gp_nets_above_0() {
    // Services billed by value: quantity 0. Counted as 0 units, the division never had a buyer;
    // counted one by one, A's rebate (no units back) undid the unit it kept.
    let h = history_with(|l| {
        for (c, date, gp, qty) in [
            ("B", "2024-08-15", 120.0, 0.0),
            ("D", "2024-08-15", -40.0, 0.0),
            ("A", "2024-09-01", 100.0, 1.0),
            ("A", "2024-10-01", -10.0, 0.0),
        ] {
            l.push(crate::stages::history::RawLine {
                customer_id: c.into(),
                day: crate::stages::history::day(d(date)),
                sku: "Services".into(),
                division: "Services".into(),
                gp,
                qty,
            })
        }
    });
    let p = Params {
        purchase: Purchase::Quantity,
        ..params(Mode::Expansion)
    };
    let l = build(&h, "Services", d("2024-06-30"), &p, &BTreeSet::new(), None).unwrap();
    // A: a unit kept, a rebate; B: a service billed; D: a credit alone.
    assert_eq!(get(&l, "customer_id"), ["A", "B", "D"]);
    assert_eq!(get(&l, "label"), ["1", "1", "0"]);
}
