//! Hand-computed feature values on the fixture (`stages/fixture.rs`), the leakage gauntlet,
//! determinism and winsorisation. Cutoff 2024-06-30, target division PDM; expansion rows are
//! A, B and D (C's first line is after the cutoff).

use std::collections::BTreeSet;

use super::*;
use crate::stages::fixture::{d, history, history_with};
use crate::stages::history::day;

fn params() -> Params {
    let mut p: Params = crate::stages::parse_params(&serde_json::json!({})).unwrap();
    p.winsor_upper_quantile = 1.0;
    p.market_basket.enabled = false;
    p.als.enabled = false;
    p
}

fn divisions() -> Vec<String> {
    [
        "Solidworks",
        "PDM",
        "Simulation",
        "Services",
        "Training",
        "CAMWorks",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn value(f: &Features, col: &str, row: usize) -> f64 {
    let c = f
        .frame
        .column(col)
        .unwrap_or_else(|_| panic!("no column {col}"));
    c.cast(&DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .get(row)
        .unwrap()
}

/// The matrix rows' customer ids, in row order.
fn ids(f: &Features) -> Vec<String> {
    f.frame
        .column("customer_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect()
}

fn build_at(h: &History, p: &Params) -> Features {
    build(h, "PDM", d("2024-06-30"), p, Some(&divisions())).unwrap()
}

#[test]
fn hand_computed_values_for_every_family() {
    let f = build_at(&history(), &params());
    let ids: Vec<&str> = f
        .frame
        .column("customer_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|x| x.unwrap())
        .collect();
    assert_eq!(ids, ["A", "B", "D"]);
    let a = |col: &str| value(&f, col, 0);
    let b = |col: &str| value(&f, col, 1);
    // RFM: (2024-03-31, 2024-06-30] holds A's return (-400) and the cutoff-day Services line (300).
    assert_eq!(
        (
            a("rfm__all__tx_n__3m"),
            a("rfm__all__gp_sum__3m"),
            a("rfm__all__gp_mean__3m")
        ),
        (2.0, -100.0, -50.0)
    );
    assert_eq!(
        (
            a("rfm__all__tx_n__6m"),
            a("rfm__all__gp_sum__6m"),
            a("rfm__all__gp_mean__6m")
        ),
        (4.0, 600.0, 150.0)
    );
    assert_eq!(
        (a("rfm__all__tx_n__24m"), a("rfm__all__gp_sum__24m")),
        (5.0, 1600.0)
    );
    assert_eq!(
        (a("rfm__div__tx_n__6m"), a("rfm__div__gp_sum__6m")),
        (1.0, 500.0)
    );
    // No PDM line in 3 months: the mean is undefined, flagged, filled with 0.
    assert_eq!(
        (
            a("rfm__div__gp_mean__3m"),
            a("rfm__div__gp_mean__3m__missing")
        ),
        (0.0, 1.0)
    );
    // Recency and half-life decay: 2024-06-30 - 2024-03-10 = 112 days.
    assert_eq!(
        (a("recency__all__days"), a("recency__div__days")),
        (0.0, 112.0)
    );
    assert_eq!(a("recency__all__decay__hl30d"), 1.0);
    assert!((a("recency__div__decay__hl30d") - 2f64.powf(-112.0 / 30.0)).abs() < 1e-12);
    assert_eq!(
        (b("recency__div__days"), b("recency__div__days__missing")),
        (matrix::NEVER_DAYS, 1.0)
    );
    // Trajectory: monthly GP 700 (March), -400 (May), 300 (June) in the last of 12 buckets.
    assert!((a("trajectory__gp_slope__12m") - 1600.0 / 143.0).abs() < 1e-9);
    // Lifecycle over distinct order days 2023-01-15, 2024-03-10, 2024-05-01, 2024-06-30.
    assert_eq!(a("lifecycle__tenure_days"), 532.0);
    assert_eq!(
        (
            a("lifecycle__ipi_median_days"),
            a("lifecycle__last_gap_days")
        ),
        (60.0, 60.0)
    );
    assert!((a("lifecycle__ipi_mean_days") - 532.0 / 3.0).abs() < 1e-9);
    assert_eq!(a("lifecycle__active_months__24m"), 4.0);
    assert_eq!(b("lifecycle__ipi_mean_days__missing"), 1.0);
    // Seasonality over 24 months: 3 of 5 lines in Q1, 2 in Q2.
    assert_eq!(
        (
            a("seasonality__q1_share__24m"),
            a("seasonality__q2_share__24m"),
            a("seasonality__q3_share__24m")
        ),
        (0.6, 0.4, 0.0)
    );
    // Diversity, returns, SKU micro-signals.
    assert_eq!(
        (
            a("diversity__sku_n__life"),
            a("diversity__division_n__life"),
            a("diversity__sku_n__12m")
        ),
        (4.0, 4.0, 4.0)
    );
    assert_eq!(
        (
            a("returns__tx_n__12m"),
            a("returns__gp_sum__12m"),
            a("returns__tx_n__life")
        ),
        (1.0, -400.0, 1.0)
    );
    assert_eq!(
        (
            a("sku__swx_core__gp__12m"),
            a("sku__swx_core__qty__12m"),
            a("sku__swx_core__gp_per_unit__12m")
        ),
        (-400.0, -1.0, 0.0)
    );
    assert_eq!(
        (a("sku__pdm__gp__12m"), a("sku__pdm__gp_per_unit__12m")),
        (500.0, 500.0)
    );
    // Cross-division: 12-month lines A 4 (1 PDM), D 1 (PDM): population PDM share p = 2/5;
    // smoothed (1 + 5 * 0.4) / (4 + 5).
    assert_eq!(
        (
            a("xdiv__pdm__gp__12m"),
            a("xdiv__pdm__tx_n__12m"),
            a("xdiv__pdm__share__12m")
        ),
        (500.0, 1.0, 0.25)
    );
    assert!((a("xdiv__pdm__share_eb__12m") - 3.0 / 9.0).abs() < 1e-12);
    assert_eq!(a("xdiv__pdm__days_since"), 112.0);
    assert_eq!(
        (
            a("xdiv__camworks__tx_n__12m"),
            a("xdiv__camworks__days_since")
        ),
        (0.0, matrix::NEVER_DAYS)
    );
    // Industry one-hots and an interaction.
    assert_eq!(
        (
            a("industry__is_energy"),
            b("industry__is_energy"),
            b("industry__unknown")
        ),
        (1.0, 0.0, 1.0)
    );
    assert!((a("interact__energy__x_log_gp__12m") - 601f64.ln()).abs() < 1e-12);
    assert_eq!(f.events.unwrap().1, d("2024-06-30"));
    // No NaN or infinity anywhere.
    for c in f.frame.columns().iter().skip(1) {
        let c = c.cast(&DataType::Float64).unwrap();
        assert!(
            c.f64()
                .unwrap()
                .iter()
                .all(|v| v.is_some_and(f64::is_finite)),
            "{} has a non-finite value",
            c.name()
        );
    }
}

fn frame_bytes(f: &mut Features) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    write(f, dir.path()).unwrap();
    std::fs::read(dir.path().join("features.parquet")).unwrap()
}

#[test]
fn leakage_gauntlet_later_lines_change_nothing() {
    let mut p = params();
    p.market_basket.enabled = true;
    p.market_basket.min_support = 1;
    p.als.enabled = true;
    let base = frame_bytes(&mut build_at(&history(), &p));
    let late = |edit: &dyn Fn(&mut Vec<crate::stages::history::RawLine>)| {
        frame_bytes(&mut build_at(&history_with(edit), &p))
    };
    // Change, remove and add lines after the cutoff, including a new SKU and a new division.
    assert_eq!(
        base,
        late(&|l| l[5].gp = 99_999.0),
        "changed a post-cutoff amount"
    );
    assert_eq!(
        base,
        late(&|l| l.retain(|t| t.day <= day(d("2024-06-30")))),
        "removed every post-cutoff line"
    );
    assert_eq!(
        base,
        late(&|l| {
            let mut x = l[0].clone();
            x.day = day(d("2024-07-01"));
            x.sku = "Brand_New_SKU".into();
            x.division = "Brand New Division".into();
            l.push(x);
        }),
        "added a post-cutoff line in a new SKU and division"
    );
}

#[test]
fn moving_a_line_across_the_cutoff_changes_exactly_that_customer() {
    let p = params();
    let before = build_at(&history(), &p);
    // A's 2024-07-15 PDM line moves onto the cutoff day.
    let after = build_at(&history_with(|l| l[5].day = day(d("2024-06-30"))), &p);
    assert_eq!(
        (
            value(&before, "rfm__div__tx_n__3m", 0),
            value(&after, "rfm__div__tx_n__3m", 0)
        ),
        (0.0, 1.0)
    );
    assert_eq!(
        (
            value(&before, "recency__div__days", 0),
            value(&after, "recency__div__days", 0)
        ),
        (112.0, 0.0)
    );
    // B's own behaviour is untouched (population-level priors aside).
    for col in [
        "rfm__all__tx_n__24m",
        "recency__all__days",
        "lifecycle__tenure_days",
        "diversity__sku_n__life",
    ] {
        assert_eq!(value(&before, col, 1), value(&after, col, 1), "{col} of B");
    }
}

#[test]
fn reruns_are_byte_identical() {
    let mut p = params();
    p.als.enabled = true;
    p.market_basket.enabled = true;
    let a = frame_bytes(&mut build_at(&history(), &p));
    let b = frame_bytes(&mut build_at(&history(), &p));
    assert_eq!(a, b);
}

#[test]
fn winsorisation_caps_gp_columns_and_records_the_caps() {
    let mut p = params();
    p.winsor_upper_quantile = 0.5;
    let f = build_at(&history(), &p);
    // 6-month GP sums are A 600, B 0, D 50. The cap is the median of the non-zero sums (B's
    // zero, no purchase, is not part of the spread): 325, which caps A.
    assert_eq!(value(&f, "rfm__all__gp_sum__6m", 0), 325.0);
    assert_eq!(f.stats["winsor_caps"]["rfm__all__gp_sum__6m"], 325.0);
    // Counts are never capped.
    assert_eq!(value(&f, "rfm__all__tx_n__6m", 0), 4.0);
}

#[test]
fn bad_requests_and_empty_partitions() {
    let p = params();
    let e = build(&history(), "Nope", d("2024-06-30"), &p, Some(&divisions()))
        .err()
        .unwrap();
    assert!(e.contains("unknown division `Nope`"), "{e}");
    let e = build(&history(), "PDM", d("2021-01-01"), &p, None)
        .err()
        .unwrap();
    assert!(e.contains("before the first transaction"), "{e}");
    // A division with no sales at all: a valid matrix, flagged.
    let f = build(
        &history(),
        "CAMWorks",
        d("2024-06-30"),
        &p,
        Some(&divisions()),
    )
    .unwrap();
    assert_eq!(f.stats["division_has_sales"], false);
    assert_eq!(value(&f, "rfm__div__tx_n__12m", 0), 0.0);
    // An early cutoff, when one customer alone has a line on or before it: in expansion mode
    // that customer is the only row (customers known later are not rows), and the matrix is a
    // real one, not flagged empty. (An empty one cannot happen: a cutoff before the first
    // line is refused above.)
    let h = history_with(|l| l.retain(|t| t.customer_id != "B"));
    let f = build(&h, "PDM", d("2023-02-01"), &p, Some(&divisions())).unwrap();
    assert_eq!(f.stats["rows"], 1);
    assert_eq!(f.stats["empty"], false);
    let ids = ids(&f);
    assert_eq!(ids.len(), 1);
    assert!(!["B", "C"].contains(&ids[0].as_str()), "{ids:?}");
    let cols: BTreeSet<String> = f
        .frame
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(cols.contains("rfm__all__tx_n__12m"), "{cols:?}");
}

#[test]
fn als_gives_a_cosine_to_the_division_buyers_that_carries_across_cutoffs() {
    let mut p = params();
    p.als.enabled = true;
    let f = build_at(&history(), &p);
    let n = f.frame.height();
    let cos: Vec<f64> = (0..n).map(|r| value(&f, "als__owner_cosine", r)).collect();
    assert!(cos.iter().all(|c| (-1.0..=1.0).contains(c)), "{cos:?}");
    assert!(cos.iter().any(|&c| c != 0.0), "{cos:?}");
}

#[test]
fn anniversary_columns_read_the_window_a_year_and_two_before() {
    let p = params();
    // Cutoff 2024-06-30, 6-month window: lag 24 is (2022-06-30, 2022-12-31], where B bought
    // Solidworks for 2,000.
    let f = build_at(&history(), &p);
    assert_eq!(value(&f, "anniv__solidworks__gp_lag24m", 1), 2000.0);
    assert_eq!(value(&f, "anniv__solidworks__gp_lag24m", 0), 0.0);
    // Cutoff 2024-12-31: lag 12 is (2023-12-31, 2024-06-30]: A's PDM 500 (its 2024-07-15 PDM
    // line is outside it), D's 50 on 2024-01-01.
    let f = build(&history(), "PDM", d("2024-12-31"), &p, Some(&divisions())).unwrap();
    let ids = ids(&f);
    let row = |id: &str| ids.iter().position(|x| x == id).unwrap();
    assert_eq!(value(&f, "anniv__pdm__gp_lag12m", row("A")), 500.0);
    assert_eq!(value(&f, "anniv__pdm__gp_lag12m", row("D")), 50.0);
    // Off with a zero window.
    let mut off = params();
    off.anniversary_window_months = 0;
    let f = build_at(&history(), &off);
    assert!(f.frame.column("anniv__pdm__gp_lag12m").is_err());
}

#[test]
fn anniversary_counts_read_the_repeated_window_in_every_earlier_year() {
    let p = params();
    // Cutoff 2024-06-30, 6-month window: (2023-06-30, 2023-12-31] and (2022-06-30, 2022-12-31]
    // (the next one back ends before the first line, 2022-08-01). B's Solidworks line of
    // 2022-08-01 falls two years back; A's 2023-01-15 falls in no repeat of July-December.
    let f = build_at(&history(), &p);
    assert_eq!(value(&f, "anniv__solidworks__n_all_years", 0), 0.0);
    assert_eq!(value(&f, "anniv__solidworks__n_all_years", 1), 1.0);
    // Cutoff 2024-12-31: January-June of 2024, 2023 (and 2022, which ends before the first
    // line). A: Solidworks 2023-01-15 counts, its return of 2024-05-01 does not; PDM
    // 2024-03-10 counts, 2024-07-15 is outside. D: PDM 2024-01-01.
    let f = build(&history(), "PDM", d("2024-12-31"), &p, Some(&divisions())).unwrap();
    let ids = ids(&f);
    let row = |id: &str| ids.iter().position(|x| x == id).unwrap();
    assert_eq!(value(&f, "anniv__solidworks__n_all_years", row("A")), 1.0);
    assert_eq!(value(&f, "anniv__pdm__n_all_years", row("A")), 1.0);
    assert_eq!(value(&f, "anniv__pdm__n_all_years", row("D")), 1.0);
    assert_eq!(value(&f, "anniv__pdm__n_all_years", row("B")), 0.0);
}

#[test]
fn lifetime_columns_read_the_whole_history() {
    // Cutoff 2024-06-30; rows A, B, D.
    let f = build_at(&history(), &params());
    // A's Solidworks: 2 units on 2023-01-15, one returned on 2024-05-01.
    assert_eq!(value(&f, "life__solidworks__tx_n", 0), 2.0);
    assert_eq!(value(&f, "life__solidworks__qty_net", 0), 1.0);
    assert_eq!(value(&f, "life__solidworks__days_since_first", 0), 532.0);
    assert_eq!(value(&f, "life__solidworks__days_since_first", 1), 699.0);
    // D never bought Solidworks: the "never" sentinel and a missingness flag.
    assert_eq!(
        value(&f, "life__solidworks__days_since_first", 2),
        matrix::NEVER_DAYS
    );
    assert_eq!(value(&f, "life__solidworks__tx_n", 2), 0.0);
    // Lines per year of life: A's two Solidworks lines over 532 days, B's one over 699.
    let per_year = |row| value(&f, "life__solidworks__per_year", row);
    assert!((per_year(0) - 24.0 / (532.0 / 30.4375)).abs() < 1e-12);
    assert!((per_year(1) - 12.0 / (699.0 / 30.4375)).abs() < 1e-12);
    assert_eq!(per_year(2), 0.0);
    // A: 4 order days over 532 days of life; its last order is on the cutoff day.
    let rate = value(&f, "life__all__orders_per_month", 0);
    assert!((rate - 4.0 / (532.0 / 30.4375)).abs() < 1e-12, "{rate}");
    assert_eq!(value(&f, "life__all__orders_overdue", 0), 0.0);
    // B and D each ordered once: silent since, for exactly the one order their rate expects.
    assert!((value(&f, "life__all__orders_overdue", 1) - 1.0).abs() < 1e-12);
    assert!((value(&f, "life__all__orders_overdue", 2) - 1.0).abs() < 1e-12);
}

#[test]
fn lapse_counts_anniversaries_passed_in_silence_and_those_met() {
    // Cutoff 2024-06-30; rows A, B, D.
    let f = build_at(&history(), &params());
    // A's Solidworks seats of 2023-01-15 had their anniversary on 2024-01-15, before A's last
    // order (the cutoff day): not missed, but no order within a month of it.
    assert_eq!(value(&f, "lapse__solidworks__missed", 0), 0.0);
    assert_eq!(value(&f, "lapse__solidworks__met_share", 0), 0.0);
    assert_eq!(value(&f, "lapse__solidworks__met_share__missing", 0), 0.0);
    // B bought on 2022-08-01 and was silent until the cutoff: the 2023-08-01 anniversary lapsed
    // (its 2024-09-01 order is after the cutoff and counts nowhere).
    assert_eq!(value(&f, "lapse__solidworks__missed", 1), 1.0);
    assert_eq!(value(&f, "lapse__all__missed", 1), 1.0);
    assert_eq!(value(&f, "lapse__solidworks__met_share", 1), 0.0);
    // D's PDM of 2024-01-01 has no anniversary yet: nothing missed, the share undefined.
    assert_eq!(value(&f, "lapse__pdm__missed", 2), 0.0);
    assert_eq!(value(&f, "lapse__all__met_share__missing", 2), 1.0);
    // An order 19 days after B's anniversary meets it, and B is no longer silent since.
    let h = history_with(|l| {
        let mut extra = l[6].clone();
        extra.day = day(d("2023-08-20"));
        extra.sku = "Services".into();
        extra.division = "Services".into();
        l.push(extra);
    });
    let f = build_at(&h, &params());
    assert_eq!(value(&f, "lapse__solidworks__missed", 1), 0.0);
    assert_eq!(value(&f, "lapse__solidworks__met_share", 1), 1.0);
    // An anniversary within a month before the cutoff, not yet met, is not judged yet.
    let f = build(
        &history(),
        "PDM",
        d("2023-08-20"),
        &params(),
        Some(&divisions()),
    )
    .unwrap();
    let b = ids(&f).iter().position(|x| x == "B").unwrap();
    assert_eq!(value(&f, "lapse__solidworks__missed", b), 1.0);
    assert_eq!(value(&f, "lapse__solidworks__met_share__missing", b), 1.0);
}

#[test]
fn a_line_dated_before_1970_builds_like_any_other() {
    // `1900-01-01`, the placeholder many exports write for "no date", once panicked in `lapse`
    // (an unsigned day count) when the ETL was told to keep it (`date_min: null`).
    let h = history_with(|l| {
        let mut old = l[6].clone();
        old.day = day(d("1900-01-01"));
        l.push(old);
    });
    let f = build_at(&h, &params());
    assert_eq!(value(&f, "life__solidworks__tx_n", 1), 2.0);
    // After B's last order (2022-08-01): the old line's 2023-01-01 and 2024-01-01
    // anniversaries, and the 2022 line's 2023-08-01.
    assert_eq!(value(&f, "lapse__solidworks__missed", 1), 3.0);
}

#[test]
fn key_skus_whose_columns_would_collide_are_refused() {
    let mut p = params();
    p.key_skus = vec!["Cable 1m".into(), "Lids".into(), "cable-1M".into()];
    let e = p.check().unwrap_err();
    assert!(
        e.contains("`Cable 1m` and `cable-1M`") && e.contains("sku__cable_1m__"),
        "{e}"
    );
    p.key_skus.pop();
    assert!(p.check().is_ok());
}
