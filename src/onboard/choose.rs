//! Choosing the label window and the training cutoffs from a log's dates.
//!
//! The rule, stated once (and printed by `init`): the window is the longest of 6, 3 and 1
//! months for which three back-to-back windows end on or before the log's last date with at
//! least 12 months of history before the first cutoff (else 6 months of history, else 3; else
//! two windows, never one: out-of-time validation trains on one cutoff and validates on the
//! next, and `train` refuses a single cutoff), and, when there is a holdout log, one window after the scoring cutoff fits inside
//! it, to within validate's few quiet days at its end. Cutoffs are month-ends, the last one the latest whose window ends by the last date, so no
//! training label is censored. Under a year's window, the cutoff a year before the scoring cutoff
//! is added where the history allows, so that one training window holds the months the scored
//! window holds (a season's buyer rate is otherwise learnt from none). A window holding under a
//! quarter of the log's average rows for its length is reported as sparse.

use chrono::NaiveDate;
use serde::Serialize;

use super::profile::Profile;
use crate::stages::history::add_months;

pub const WINDOWS: [u32; 3] = [6, 3, 1];
pub const CUTOFFS: usize = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Window {
    pub cutoff: NaiveDate,
    pub end: NaiveDate,
    pub rows: u64,
    pub sparse: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub window_months: u32,
    pub windows: Vec<Window>,
    /// Months of history before the first cutoff the rule asked for.
    pub history_months: u32,
    /// Why the window is this one.
    pub rule: String,
    /// The scoring cutoff `latest` resolves to (the last date of the log).
    pub score_cutoff: NaiveDate,
    /// With a holdout: the validation label window (score cutoff, end].
    pub holdout_window_end: Option<NaiveDate>,
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let first_next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
    .expect("date in range");
    first_next.pred_opt().expect("date in range")
}

/// The latest month-end `c` with `c + months <= last`.
fn last_cutoff(last: NaiveDate, months: u32) -> NaiveDate {
    let mut c = last_day_of_month(add_months(last, -(months as i32)));
    while add_months(c, months as i32) > last {
        c = last_day_of_month(add_months(c, -1));
    }
    c
}

/// The cutoff whose label window holds the months the scored window holds, a year earlier: on
/// the back-to-back chain ending at `last`, whose next window is the scored one. A tester's
/// quarterly windows trained on Jan-Mar, Apr-Jun and Jul-Sep and scored Oct-Dec, whose buyer
/// rate ran 20% above all three, and every probability was about that low. None for a window
/// of a year or more, which holds every season.
fn same_season(last: NaiveDate, months: u32) -> Option<NaiveDate> {
    (months < 12).then(|| last_day_of_month(add_months(last, months as i32 - 12)))
}

/// Whether holdout `h` starts after the validation window (cutoff, end] has begun by more than
/// validate's quiet days (a monthly summary's first month, dated its last day, is whole).
pub fn starts_late(h: &Profile, cutoff: NaiveDate, end: NaiveDate) -> bool {
    use crate::stages::etl::parse::month_end;
    let monthly_first = month_end(h.first_date) == h.first_date
        && h.first_date <= month_end(cutoff + chrono::Duration::days(1));
    !crate::stages::validate::starts_in_time(h.first_date, cutoff, end, false) && !monthly_first
}

/// Chooses for `log` (and its `holdout`, if any). `window` forces the window length.
pub fn choose(
    log: &Profile,
    holdout: Option<&Profile>,
    window: Option<u32>,
) -> Result<Choice, String> {
    let score_cutoff = log.end();
    let candidates: Vec<u32> = match window {
        Some(w) => vec![w],
        None => WINDOWS.to_vec(),
    };
    let months_of_rows = {
        let days = (log.last_date - log.first_date).num_days().max(1) as f64;
        log.per_day.values().sum::<u64>() as f64 / (days / 30.4375)
    };
    // As validate judges it: a holdout whose last sale is a few quiet days before the window's
    // end covers it (a 6-month window refused for 3 days halved the holdout validated on).
    let holdout_fits = |w: u32| match holdout {
        Some(h) => crate::stages::validate::reaches(
            h.end(),
            score_cutoff,
            add_months(score_cutoff, w as i32),
            h.dated_month_ends(),
        ),
        None => true,
    };
    // Windows of a quarter or more first, relaxing history and cutoffs for them, before one
    // month: a 14-month log validated on 1-month windows used 1 of its holdout's 6 months.
    let tiers: [Vec<u32>; 2] = [
        candidates.iter().copied().filter(|&w| w >= 3).collect(),
        candidates.iter().copied().filter(|&w| w < 3).collect(),
    ];
    let plans = tiers.iter().flat_map(|ws| {
        [(12, CUTOFFS), (6, CUTOFFS), (6, 2), (3, CUTOFFS), (3, 2)]
            .into_iter()
            .flat_map(move |hc| ws.iter().map(move |&w| (hc, w)))
    });
    for ((history, count), w) in plans {
        {
            if !holdout_fits(w) {
                continue;
            }
            let last = last_cutoff(log.end(), w);
            let mut cutoffs: Vec<NaiveDate> = (0..count)
                .rev()
                .map(|k| last_day_of_month(add_months(last, -((k as u32 * w) as i32))))
                .collect();
            // A log from 2021-01-01 holds 12 full months by the cutoff 2021-12-31.
            let has_history =
                |c: NaiveDate| add_months(log.first_date, history) <= c + chrono::Days::new(1);
            if !has_history(cutoffs[0]) {
                continue;
            }
            // Only before the first window, never overlapping it.
            let season = same_season(last, w).filter(|&c| {
                !cutoffs.contains(&c) && add_months(c, w as i32) <= cutoffs[0] && has_history(c)
            });
            if let Some(c) = season {
                cutoffs.insert(0, c);
            }
            let windows = cutoffs
                .iter()
                .map(|&c| {
                    let end = add_months(c, w as i32);
                    let rows = log.rows_in(c, end);
                    Window {
                        cutoff: c,
                        end,
                        rows,
                        sparse: (rows as f64) < 0.25 * months_of_rows * w as f64,
                    }
                })
                .collect();
            let rule = format!(
                "{}{count} back-to-back {w}-month window{} ending by the log's last date ({}), after {history} months of history{}{}",
                if window.is_some() { "as asked: " } else { "the longest of 6/3/1 months giving " },
                if count == 1 { "" } else { "s" },
                log.end(),
                match season {
                    Some(c) => format!(
                        ", and the window after {c}, the scored window's months a year earlier (else no training window holds the season scored)"
                    ),
                    None => String::new(),
                },
                match holdout {
                    // A holdout that starts weeks late holds the window's end, not the window:
                    // its buyers before it are unseen (init's note says so).
                    Some(h) if starts_late(h, score_cutoff, add_months(score_cutoff, w as i32)) =>
                        ", with the holdout reaching one window past the scoring cutoff (it starts late: see the note below)",
                    Some(_) => ", with one window after the scoring cutoff inside the holdout",
                    None => "",
                }
            );
            return Ok(Choice {
                window_months: w,
                windows,
                history_months: history as u32,
                rule,
                score_cutoff,
                holdout_window_end: holdout.map(|_| add_months(score_cutoff, w as i32)),
            });
        }
    }
    let days = (log.last_date - log.first_date).num_days();
    // Under a month, "about 0 months" says less than the days.
    // From the first day to the last, both in.
    let span = match days + 1 {
        1 => "one day".to_string(),
        n @ 2..30 => format!("{n} days"),
        30..60 => "about 1 month".to_string(),
        n => format!("about {} months", n / 30),
    };
    Err(match holdout {
        Some(h) if candidates.iter().all(|&w| !holdout_fits(w)) => format!(
            "the holdout `{}` ends {}, less than {} month{} after the sales log's last date {}: no label window fits in it ({})",
            h.file.display(),
            h.end(),
            candidates.iter().min().copied().unwrap_or(1),
            if candidates.iter().min() == Some(&1) { "" } else { "s" },
            log.end(),
            // A month is the shortest window: no shorter one to suggest.
            if candidates.iter().min() == Some(&1) {
                format!(
                    "give a holdout reaching at least a month past {}, or leave out `--holdout` to score without holdout validation",
                    log.end()
                )
            } else {
                "a shorter `--window-months`, or a longer holdout".to_string()
            }
        ),
        _ => format!(
            "the sales log `{}` spans {} to {} ({span}): too short for two back-to-back label windows of {} after at least 3 months of history (out-of-time validation trains on one cutoff and validates on the next)",
            log.file.display(),
            log.first_date,
            log.last_date,
            candidates.iter().map(|w| format!("{w}")).collect::<Vec<_>>().join("/")
                + if candidates == [1] { " month" } else { " months" }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A profile with one row a day from `a` to `b`.
    fn log(a: &str, b: &str) -> Profile {
        let mut per_day = BTreeMap::new();
        let mut x = d(a);
        while x <= d(b) {
            per_day.insert(x, 1);
            x = x.succ_opt().unwrap();
        }
        Profile {
            file: "log.csv".into(),
            delimiter: ',',
            shape: super::super::profile::Shape::Wide,
            value_is_revenue: false,
            cost_beside: None,
            value_per_unit: false,
            discount_fraction: false,
            cost_negative: false,
            cost_per_unit: false,
            unsigned_returns: None,
            sales_at_a_loss: None,
            repeat_buyers: (0, 0),
            customer_key: None,
            values_negative: false,
            amounts_in_cents: false,
            cost_in_currency: false,
            header: vec![],
            columns: super::super::profile::Columns {
                customer_id: "c".into(),
                order_date: "d".into(),
                division: None,
                customer_name: None,
                invoice_id: None,
                line_id: None,
                product: None,
                gross_profit: None,
                quantity: None,
                cost: None,
                discount: None,
                discount_amount: None,
                refunded_quantity: None,
                parent_line: None,
            },
            exact_duplicates: 0,
            duplicate_gp: (0.0, 0.0),
            duplicates_are_lines: false,
            product_hint: None,
            id_hint: None,
            header_repeats: 0,
            ragged: (0, None),
            padded_rows: 0,
            unclosed_quote: None,
            id_twins: (0, None),
            ids: Default::default(),
            currencies: None,
            parts: vec![],
            part_notes: vec![],
            total_lines: 0,
            total_example: None,
            undated_example: None,
            month_dates: (0, None),
            part_signs: Vec::new(),
            credit_parts: Vec::new(),
            rows: per_day.len() as u64,
            dated_rows: per_day.len() as u64,
            first_date: d(a),
            last_date: d(b),
            through: None,
            other_dates: Vec::new(),
            id_is_name: false,
            credits: None,
            statuses: None,
            documents: None,
            date_order: Default::default(),
            date_order_evidence: (0, 0),
            date_order_contrary: 0,
            date_order_by_sequence: false,
            date_order_by_decimal_comma: false,
            other_order_parts: Vec::new(),
            per_day,
            strays_before: vec![],
            strays_after: vec![],
            products: vec![],
            unmapped_products: vec![],
            unmapped_lines: 0,
            unplaced: vec![],
        }
    }

    fn cutoffs(c: &Choice) -> Vec<String> {
        c.windows.iter().map(|w| w.cutoff.to_string()).collect()
    }

    #[test]
    fn the_longest_window_that_fits_three_times_after_a_year_of_history() {
        // The default data: 2021-2024, holdout to 2025-06-30.
        let c = choose(
            &log("2021-01-01", "2024-12-31"),
            Some(&log("2025-01-01", "2025-06-30")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 6);
        assert_eq!(cutoffs(&c), ["2023-06-30", "2023-12-31", "2024-06-30"]);
        assert_eq!(c.holdout_window_end, Some(d("2025-06-30")));
        // Two years: 6-month windows would need 30 months; 3-month windows fit.
        let c = choose(&log("2016-01-01", "2017-12-31"), None, None).unwrap();
        assert_eq!(c.window_months, 3);
        // With the same quarter a year before the scored one (Jan-Mar 2017 for Jan-Mar 2018).
        assert_eq!(
            cutoffs(&c),
            ["2016-12-31", "2017-03-31", "2017-06-30", "2017-09-30"]
        );
        // A log ending mid-month: the last window must end by that day, never censored.
        let c = choose(&log("2014-01-02", "2017-12-29"), None, None).unwrap();
        assert_eq!(c.window_months, 6);
        assert_eq!(cutoffs(&c), ["2016-05-31", "2016-11-30", "2017-05-31"]);
        assert!(c
            .windows
            .iter()
            .all(|w| w.end <= d("2017-12-29") && !w.sparse));
    }

    #[test]
    fn a_window_under_a_year_trains_on_the_scored_season_a_year_before() {
        // A tester's log to 2017-09-30 with an Oct-Dec holdout: the three quarters before the
        // scoring cutoff held no Q4, whose buyer rate ran 20% above them.
        let c = choose(
            &log("2013-04-01", "2017-09-30"),
            Some(&log("2017-10-01", "2017-12-31")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 3);
        assert_eq!(
            cutoffs(&c),
            ["2016-09-30", "2016-12-31", "2017-03-31", "2017-06-30"]
        );
        assert!(
            c.rule.contains(
                "and the window after 2016-09-30, the scored window's months a year earlier"
            ),
            "{}",
            c.rule
        );
        // Monthly windows: December a year before a December scored, apart from the chain.
        let c = choose(&log("2020-01-01", "2023-11-30"), None, Some(1)).unwrap();
        assert_eq!(
            cutoffs(&c),
            ["2022-11-30", "2023-08-31", "2023-09-30", "2023-10-31"]
        );
        // A log ending mid-month: the chain's own next window is the one a year later.
        let c = choose(&log("2014-01-01", "2017-12-29"), None, Some(3)).unwrap();
        assert_eq!(
            cutoffs(&c),
            ["2016-11-30", "2017-02-28", "2017-05-31", "2017-08-31"]
        );
        // Too little history for it: left out, and the rule does not claim it.
        let c = choose(&log("2016-10-01", "2017-12-31"), None, Some(3)).unwrap();
        assert_eq!(cutoffs(&c)[0], "2017-03-31");
        assert!(!c.rule.contains("a year earlier"), "{}", c.rule);
        // Half-year windows already hold the season (the default data's cutoffs).
        let c = choose(&log("2021-01-01", "2024-12-31"), None, None).unwrap();
        assert_eq!(cutoffs(&c), ["2023-06-30", "2023-12-31", "2024-06-30"]);
        assert!(!c.rule.contains("a year earlier"), "{}", c.rule);
    }

    #[test]
    fn a_log_of_days_is_refused_in_days_not_as_about_0_months() {
        let e = choose(&log("2024-03-01", "2024-03-10"), None, None).unwrap_err();
        assert!(
            e.contains("spans 2024-03-01 to 2024-03-10 (10 days): too short"),
            "{e}"
        );
        let e = choose(&log("2024-01-01", "2024-03-15"), None, None).unwrap_err();
        assert!(e.contains("(about 2 months): too short"), "{e}");
        let e = choose(&log("2024-01-01", "2024-02-10"), None, None).unwrap_err();
        assert!(e.contains("(about 1 month): too short"), "{e}");
        let e = choose(&log("2024-01-01", "2024-01-01"), None, None).unwrap_err();
        assert!(e.contains("(one day): too short"), "{e}");
    }

    #[test]
    fn a_short_log_takes_quarters_on_less_history_before_single_months() {
        // 14 months with a half-year holdout: three 1-month windows after a year of history
        // would validate on one of the holdout's six months; two quarters after six months do
        // better.
        let c = choose(
            &log("2022-11-01", "2023-12-31"),
            Some(&log("2024-01-01", "2024-06-30")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 3);
        assert_eq!(cutoffs(&c), ["2023-06-30", "2023-09-30"]);
        assert_eq!(c.holdout_window_end, Some(d("2024-03-31")));
    }

    #[test]
    fn a_log_from_new_year_holds_a_full_year_by_its_first_december_cutoff() {
        let c = choose(&log("2021-01-01", "2023-06-30"), None, None).unwrap();
        assert_eq!(c.window_months, 6);
        assert_eq!(cutoffs(&c), ["2021-12-31", "2022-06-30", "2022-12-31"]);
        assert!(c.rule.contains("after 12 months of history"), "{}", c.rule);
    }

    #[test]
    fn a_short_holdout_shortens_the_window_and_short_logs_are_refused() {
        let c = choose(
            &log("2014-01-01", "2017-12-31"),
            Some(&log("2018-01-01", "2018-04-30")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 3);
        assert_eq!(c.holdout_window_end, Some(d("2018-03-31")));
        let e = choose(
            &log("2014-01-01", "2017-12-31"),
            Some(&log("2018-01-01", "2018-01-20")),
            None,
        )
        .unwrap_err();
        assert!(e.contains("no label window fits"), "{e}");
        // A month is the shortest window: a shorter one was advice that could not be taken.
        assert!(
            e.contains("(give a holdout reaching at least a month past 2017-12-31, or leave out `--holdout`"),
            "{e}"
        );
        let e = choose(
            &log("2014-01-01", "2017-12-31"),
            Some(&log("2018-01-01", "2018-04-30")),
            Some(6),
        )
        .unwrap_err();
        assert!(e.contains("(a shorter `--window-months`, or"), "{e}");
        let e = choose(&log("2017-10-01", "2017-12-31"), None, None).unwrap_err();
        assert!(e.contains("too short"), "{e}");
        // Never one cutoff, which `train` refuses: seven months give three 1-month windows
        // (a 3-month one fitted once), twenty months refuse a year's window.
        let c = choose(&log("2023-06-01", "2023-12-31"), None, None).unwrap();
        assert_eq!(c.window_months, 1);
        assert_eq!(cutoffs(&c), ["2023-09-30", "2023-10-31", "2023-11-30"]);
        let e = choose(&log("2022-05-01", "2023-12-31"), None, Some(12)).unwrap_err();
        assert!(
            e.contains("two back-to-back label windows of 12 months"),
            "{e}"
        );
        // Forced: the user's window, even where a longer one fits.
        let c = choose(&log("2014-01-01", "2017-12-31"), None, Some(3)).unwrap();
        assert_eq!(
            (c.window_months, cutoffs(&c).last().unwrap().as_str()),
            (3, "2017-09-30")
        );
    }

    #[test]
    fn a_holdout_a_few_quiet_days_short_of_the_window_takes_it_as_validate_does() {
        // An ERP export ending on a Tuesday, its holdout on a Saturday 3 days before the
        // 6-month window's end: init chose 3-month windows, validating on half the holdout,
        // though validate takes those 3 days as covered.
        let c = choose(
            &log("2019-01-01", "2021-12-28"),
            Some(&log("2022-01-01", "2022-06-25")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 6);
        assert_eq!(c.holdout_window_end, Some(d("2022-06-28")));
        assert_eq!(cutoffs(&c), ["2020-05-31", "2020-11-30", "2021-05-31"]);
        // 18 days short is a gap, not quiet days: a quarter it is.
        let c = choose(
            &log("2019-01-01", "2021-12-28"),
            Some(&log("2022-01-01", "2022-06-10")),
            None,
        )
        .unwrap();
        assert_eq!(c.window_months, 3);
    }

    #[test]
    fn a_gap_in_the_data_is_reported_sparse() {
        let mut p = log("2014-01-01", "2017-12-31");
        let (a, b) = (d("2017-06-30"), d("2017-09-30"));
        p.per_day.retain(|x, _| !(*x > a && *x <= b));
        let c = choose(&p, None, Some(3)).unwrap();
        assert_eq!(
            c.windows.iter().map(|w| w.sparse).collect::<Vec<_>>(),
            [false, false, true, false]
        );
    }
}
