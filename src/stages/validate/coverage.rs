//! Whether a holdout can judge a model: how much of the label window it covers, and whether
//! the window is one the model was fitted on.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use crate::stages::history::{add_months, History};

/// Whether a holdout whose last line is dated `last` covers the label window (start, end]: to
/// within a few quiet days (a monthly summary's last month, whole, is dated its last day).
pub(crate) fn reaches(last: NaiveDate, start: NaiveDate, end: NaiveDate, monthly: bool) -> bool {
    use crate::stages::etl::parse::month_end;
    if monthly {
        month_end(last) >= month_end(end)
    } else {
        last + chrono::Duration::days(quiet_days(start, end)) >= end
    }
}

/// Whether a holdout whose first line is dated `first` covers the start of the label window
/// (start, end]: after as many quiet days as [`reaches`] allows at its end (it allowed one
/// fewer: a tester's 1-month window with two quiet days at its end was whole, at its start
/// censored); a monthly summary's first month after the cutoff's is whole however it is dated.
pub(crate) fn starts_in_time(
    first: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    monthly: bool,
) -> bool {
    use crate::stages::etl::parse::month_end;
    if monthly {
        first <= month_end(month_end(start) + chrono::Duration::days(1))
    } else {
        first <= start + chrono::Duration::days(quiet_days(start, end) + 1)
    }
}

/// Days at either end of the label window (start, end] with no sale in the holdout that still
/// count as covered: [`HOLDOUT_START_SLACK_DAYS`], and no more than a twelfth of the window (a
/// week of a quarter, two days of a month: 11 days missing from a 1-month window is a third of
/// its buyers unseen, which the fixed 14 days let pass).
pub(crate) fn quiet_days(start: NaiveDate, end: NaiveDate) -> i64 {
    HOLDOUT_START_SLACK_DAYS.min((end - start).num_days() / 12)
}

/// How much of the label window (cutoff, end] a holdout history covers.
pub struct Coverage {
    pub data_min: Option<NaiveDate>,
    pub data_max: Option<NaiveDate>,
    /// The holdout's first day, when it starts too late to show who bought early in the window.
    pub late_start: Option<NaiveDate>,
    /// The holdout ends before the window does.
    pub censored_end: bool,
}

impl Coverage {
    pub(crate) fn of(h: &History, cutoff: NaiveDate, end: NaiveDate) -> Coverage {
        let data_max = h.last_day.map(crate::stages::history::date);
        let data_min = h.first_day.map(crate::stages::history::date);
        // A holdout that starts well after the scoring cutoff (`score_cutoff` set earlier than the
        // training log's end) cannot show who bought in between: its labels are cut short at the
        // start. A few days of no sales after a cutoff are normal, weeks are not.
        // A monthly summary dates each month's sales on its last day: its first month after the
        // cutoff is whole, however many days on it is dated.
        use crate::stages::etl::parse::month_end;
        let monthly = h.lines.iter().flatten().count() > 0
            && h.lines.iter().flatten().all(|t| {
                let d = crate::stages::history::date(t.day);
                month_end(d) == d
            });
        let late_start = data_min.filter(|&d| !starts_in_time(d, cutoff, end, monthly));
        // The same slack at the end: an extract whose last invoice is a few quiet days before the
        // window's end is whole (a monthly summary's last month, whole, is dated its last day).
        let censored_end = data_max.is_none_or(|d| !reaches(d, cutoff, end, monthly));
        Coverage {
            data_min,
            data_max,
            late_start,
            censored_end,
        }
    }

    pub(crate) fn censored(&self) -> bool {
        self.censored_end || self.late_start.is_some()
    }
}

/// Why a holdout would be in-sample: the last training cutoff whose label window reaches past
/// the scoring cutoff, and the day that window ends.
pub struct Overlap {
    pub cutoff: NaiveDate,
    pub window_end: NaiveDate,
}

/// The training cutoff (of those the model was fitted on, `model_card.json`) whose label window
/// ends last, when that is after the scoring cutoff: the holdout window then holds outcomes the
/// model was fitted on.
pub(crate) fn in_sample(
    model_dir: &Path,
    cutoff: NaiveDate,
    window_months: u32,
) -> Result<Option<Overlap>, String> {
    let path = model_dir.join("model_card.json");
    let card: Value = serde_json::from_slice(
        &std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
    )
    .map_err(|e| format!("`{}`: {e}", path.display()))?;
    let last = card["data"]["cutoffs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| NaiveDate::parse_from_str(c.as_str()?, "%Y-%m-%d").ok())
        .max();
    // Without them nothing says the holdout is out of sample: refused, not assumed.
    let c = last.ok_or_else(|| {
        format!(
            "`{}` lists no training cutoffs (`data.cutoffs`): whether the holdout window is one the model was fitted on cannot be told; rebuild the model (`gosales run --force train@DIVISION`)",
            path.display()
        )
    })?;
    let o = Overlap {
        cutoff: c,
        window_end: add_months(c, window_months as i32),
    };
    Ok((o.window_end > cutoff).then_some(o))
}

/// Days between the scoring cutoff and the holdout's first line (or its last line and the label
/// window's end) that still count as no gap.
pub(crate) const HOLDOUT_START_SLACK_DAYS: i64 = 14;
