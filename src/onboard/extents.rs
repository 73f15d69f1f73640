//! What `init` finds in a log's dates beyond their order and range, and says in its notes: a
//! business closed on weekends, a log cut at a month-end after quiet days, a long gap, undated
//! rows.

use super::*;

/// Whether the log's business sells no weekends (almost no weekend rows in a log large enough
/// to tell); if so, a log or holdout whose last sale is the Friday before a weekend month-end
/// runs through that month-end, which its label windows may then end on, and init says so.
pub(super) fn weekend_ends(
    log: &mut profile::Profile,
    holdout: Option<&mut profile::Profile>,
    notes: &mut Vec<String>,
) -> bool {
    use crate::stages::etl::extent;
    let rows: u64 = log.per_day.values().sum();
    let share = extent::weekend_share(&log.per_day);
    if rows < 500 || share >= extent::CLOSED_SHARE {
        return false;
    }
    let holdout_first = holdout.as_deref().map(|h| h.first_date);
    for (i, p) in std::iter::once(log).chain(holdout).enumerate() {
        p.through = extent::through(p.last_date);
        // The log never runs into its holdout: a holdout with sales on the weekend after the
        // log's last Friday shows those days were open, and a log stretched over them left the
        // holdout's rows of those days out of validation, in silence (a tester's 40).
        if i == 0
            && p.through
                .zip(holdout_first)
                .is_some_and(|(t, first)| first <= t)
        {
            p.through = None;
        }
        if let Some(t) = p.through {
            notes.push(format!(
                "`{}` ends on {} ({}), and the business sells no weekends ({:.2}% of its rows are on a Saturday or Sunday): it runs through {t}, which a label window may end on (stages/etl.yaml `closed_on_weekends: true`)",
                crate::stages::etl::file_name(&p.file),
                p.last_date,
                p.last_date.format("%A"),
                100.0 * extent::weekend_share(&p.per_day)
            ));
        }
    }
    true
}

/// A log whose last sale is in a month's last weeks, beside a holdout that starts in the next
/// month's first week: the extract was cut at that month-end, and the log runs through it (its
/// last days were quiet, a holiday). Without it, `latest` was the last sale (2004-12-17 in a
/// tester's split of the classic-models sample), the holdout window started two weeks before the
/// holdout did, and every division failed `label_window_covered`.
pub(super) fn cut_at_month_end(
    log: &mut profile::Profile,
    holdout: Option<&profile::Profile>,
    notes: &mut Vec<String>,
) -> Option<chrono::NaiveDate> {
    use crate::stages::etl::parse::month_end;
    let hp = holdout?;
    let boundary = month_end(log.last_date);
    let after = (hp.first_date - boundary).num_days();
    if log.through.is_some() || log.dated_month_ends() || boundary == log.last_date {
        return None;
    }
    if !(1..=7).contains(&after) {
        return None;
    }
    // Quiet for half a month at most (a holiday), or no longer than the log has been quiet
    // before: a log that sold every day, cut with 29 days to go, ran through the month-end,
    // and 102 of the last cutoff's labels missed their sales with no word (a tester's).
    let quiet = (boundary - log.last_date).num_days();
    let longest = longest_gap(log);
    if quiet > longest.max(15) {
        notes.push(format!(
            "the sales log's last sale is on {}, {quiet} days before the month-end {boundary} the holdout starts after; the log was never that long without a sale before (at most {longest} days): it may be cut short, so it is read to its last sale, and a label window ending after it is censored; if those days truly had no sales, set stages/etl.yaml `data_through: {boundary}`",
            log.last_date
        ));
        return None;
    }
    log.through = Some(boundary);
    notes.push(format!(
        "the sales log's last sale is on {} and the holdout's first on {}: the log was cut at {boundary}, its last {} without a sale, and runs through it (`latest` scores as of it, and a label window ending then is whole) -> stages/etl.yaml `data_through`",
        log.last_date,
        hp.first_date,
        match (boundary - log.last_date).num_days() {
            1 => "day".to_string(),
            n => format!("{n} days"),
        }
    ));
    Some(boundary)
}

/// The two sale days furthest apart with none between them.
fn widest_gap(p: &profile::Profile) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    p.per_day
        .keys()
        .zip(p.per_day.keys().skip(1))
        .map(|(a, b)| (*a, *b))
        .max_by_key(|(a, b)| (*b - *a).num_days())
}

/// The most days in a row a log had no sale, between two days it had.
fn longest_gap(p: &profile::Profile) -> i64 {
    widest_gap(p).map_or(0, |(a, b)| (b - a).num_days() - 1)
}

/// The longest stretch of a log of daily dates with no sale, when it is over 60 days: features
/// read it as months without a purchase, and a label window inside it is empty (a tester's log
/// missing five months loaded with no word, its cutoffs' history mostly the gap).
pub(super) fn gap_note(p: &profile::Profile) -> Option<String> {
    let days: Vec<&chrono::NaiveDate> = p.per_day.keys().collect();
    let (a, b) = widest_gap(p)?;
    let n = (b - a).num_days() - 1;
    // A log of sales most weeks; a quarterly summary's dates are months apart by design.
    let weekly = days
        .windows(2)
        .filter(|w| (*w[1] - *w[0]).num_days() <= 7)
        .count();
    (n > 60 && 2 * weekly > days.len()).then(|| {
        format!(
            "`{}` has no sale from {} to {} ({n} days): features read them as days without a purchase, and a label window inside them is empty; if sales of those months are missing, add them",
            crate::stages::etl::file_name(&p.file),
            a + chrono::Duration::days(1),
            b - chrono::Duration::days(1)
        )
    })
}

/// Notes on a file's dateless lines: a report's totals (dropped as `total_row`), and, past the
/// ETL's `max_bad_date_share` default, the others, which would block the first run.
pub(super) fn undated_notes(p: &profile::Profile, notes: &mut Vec<String>) {
    let file = p.file.display();
    if p.total_lines > 0 {
        notes.push(format!(
            "{} lines of `{file}` are a report's totals (no date; the first says `{}`): the ETL drops them as `total_row`",
            p.total_lines,
            p.total_example.as_deref().unwrap_or("")
        ));
    }
    if let (n @ 1.., Some(v)) = &p.month_dates {
        notes.push(format!(
            "{n} rows of `{file}` are dated by a month without a day (the first: `{v}`): a monthly summary, each row read as its month's last day, so that a month-end cutoff sees only whole months"
        ));
    }
    // Ragged rows are not read for a date (their own note says what stops the run).
    let bad = p
        .rows
        .saturating_sub(p.dated_rows + p.total_lines + p.ragged.0);
    let (only, _) = p.date_order_evidence;
    let contrary = p.date_order_contrary;
    if bad > 0 && bad as f64 > 0.05 * p.rows as f64 && contrary > 0 && only > 0 {
        // Raising the share would drop the other order's dates past the 12th and read the
        // rest of them swapped: that advice is for dates that are bad, not written otherwise.
        notes.push(format!(
            "{bad} of the {} rows of `{file}` have no date readable {}: the file mixes both orders ({contrary} sampled dates read only {}, {only} only {}), which no one `date_order` reads, and the first run will stop with `too_many_bad_dates`; write the dates one way, or save each origin's rows as a file of its own in a folder (each file is read its own way)",
            p.rows,
            p.date_order.words(),
            p.date_order.other().words(),
            p.date_order.words()
        ));
    } else if bad > 0 && bad as f64 > 0.05 * p.rows as f64 {
        notes.push(format!(
            "{bad} of the {} rows of `{file}` have no readable date (the first: `{}`), over 5%: the first run will stop with `too_many_bad_dates`; fix those dates, or raise `max_bad_date_share` in stages/etl.yaml",
            p.rows,
            p.undated_example.as_deref().unwrap_or("")
        ));
    }
}
