//! How far a log runs. A business that sells no weekends has no sale on a Saturday or Sunday
//! month-end: its log of 2020-2023 "ends" on Friday 2023-12-29, and a label window ending
//! 2023-12-31 would be two days short of the data, so the window is called censored, or a
//! shorter one chosen. With `closed_on_weekends` (which `init` sets for a log with no weekend
//! sales), such a log runs through its month-end: the star says so in `extent.json`, which
//! [`crate::stages::history::History::load`] reads.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::json;

/// The file beside the fact table, written only when the log runs past its last sale.
pub const FILE: &str = "extent.json";

/// The month-end a log whose last sale is `last` runs through, when the days after it to the
/// month's end are all a weekend's (at most two: Friday the 29th before Sunday the 31st).
pub fn through(last: NaiveDate) -> Option<NaiveDate> {
    let month_end = super::parse::month_end(last);
    let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    (month_end > last
        && last
            .iter_days()
            .skip(1)
            .take_while(|&d| d <= month_end)
            .all(weekend))
    .then_some(month_end)
}

/// Share of rows dated on a Saturday or Sunday: under [`CLOSED_SHARE`], the business is closed
/// on weekends (a handful of weekend rows are corrections and web orders).
pub fn weekend_share<'a>(per_day: impl IntoIterator<Item = (&'a NaiveDate, &'a u64)>) -> f64 {
    let (mut weekend, mut all) = (0u64, 0u64);
    for (d, &n) in per_day {
        all += n;
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            weekend += n;
        }
    }
    weekend as f64 / all.max(1) as f64
}

/// See [`weekend_share`].
pub const CLOSED_SHARE: f64 = 0.005;

/// Why a log runs past its last sale (`extent.json`'s `why`).
pub const WEEKEND: &str =
    "closed_on_weekends: the days after the last sale to its month's end are a weekend";
pub const GIVEN: &str =
    "data_through: the extract runs through this day (its last days were quiet)";

/// Writes `extent.json` into `star` when the log runs past `last` (its last sale): the date it
/// runs through, or nothing.
pub fn write(star: &Path, last: NaiveDate, through: NaiveDate, why: &str) -> Result<(), String> {
    let path = star.join(FILE);
    let text = serde_json::to_string_pretty(&json!({
        "last_sale": last.to_string(),
        "data_through": through.to_string(),
        "why": why,
    }))
    .map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// The date the star at `star` runs through, when its `extent.json` says it runs past its last
/// sale.
pub fn read(star: &Path) -> Result<Option<NaiveDate>, String> {
    let path = star.join(FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    v["data_through"]
        .as_str()
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|e| format!("`{}`: `data_through` {d}: {e}", path.display()))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_friday_before_a_weekend_month_end_runs_through_it() {
        // 2023-12-29 is a Friday, the 30th and 31st a weekend.
        assert_eq!(through(d("2023-12-29")), Some(d("2023-12-31")));
        // 2024-06-28, a Friday; the 29th and 30th are the weekend.
        assert_eq!(through(d("2024-06-28")), Some(d("2024-06-30")));
        // Saturday the 30th: Sunday the 31st is the weekend's.
        assert_eq!(through(d("2023-09-29")), Some(d("2023-09-30")));
        // A month-end is its own end; a weekday left in the month is not a weekend.
        assert_eq!(through(d("2023-12-31")), None);
        assert_eq!(through(d("2023-12-28")), None);
        // Mid-month Friday: the days to the month-end are not all a weekend.
        assert_eq!(through(d("2023-09-15")), None);
    }

    #[test]
    fn weekend_rows_are_counted_by_weekday() {
        let per_day: std::collections::BTreeMap<NaiveDate, u64> =
            [(d("2023-12-29"), 98), (d("2023-12-30"), 2)].into();
        assert!((weekend_share(&per_day) - 0.02).abs() < 1e-12);
    }
}
