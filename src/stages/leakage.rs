//! The cutoff rule every partitioned stage is held to, checked by the engine (through
//! [`crate::engine::StageCatalog::check_report`]) before a finished instance is published: an
//! instance with a `cutoff` partition key may read feature events only on or before it, and
//! label events only after it. Stages report the dates they read through
//! `StageContext::record_feature_events` / `record_label_events`.

use crate::engine::job::StageReport;

use super::context::{FEATURE, LABEL};

pub fn check_cutoff(partition: &[(String, String)], report: &StageReport) -> Result<(), String> {
    let Some((_, cutoff)) = partition.iter().find(|(k, _)| k == "cutoff") else {
        return Ok(());
    };
    let date = |s: &str| chrono::NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d").ok();
    let Some(c) = date(cutoff) else { return Ok(()) };
    if let Some(max) = report.events.get(FEATURE).and_then(|b| b.max.as_deref()) {
        if date(max).is_none_or(|d| d > c) {
            return Err(format!(
                "leakage: read a feature event dated {max}, after the cutoff {cutoff}; features may only see events on or before the cutoff"
            ));
        }
    }
    if let Some(min) = report.events.get(LABEL).and_then(|b| b.min.as_deref()) {
        if date(min).is_none_or(|d| d <= c) {
            return Err(format!(
                "leakage: read a label event dated {min}, on or before the cutoff {cutoff}; labels may only see events after the cutoff"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::job::EventBounds;

    fn report(role: &str, min: &str, max: &str) -> StageReport {
        let mut r = StageReport::default();
        r.events.insert(
            role.into(),
            EventBounds {
                min: Some(min.into()),
                max: Some(max.into()),
            },
        );
        r
    }

    #[test]
    fn features_end_on_the_cutoff_and_labels_start_after_it() {
        let p = vec![("cutoff".to_string(), "2024-06-30".to_string())];
        let cases = [
            (FEATURE, "2020-01-01", "2024-06-30", true),
            (FEATURE, "2020-01-01", "2024-07-01", false),
            (LABEL, "2024-07-01", "2024-12-31", true),
            (LABEL, "2024-06-30", "2024-12-31", false),
            (FEATURE, "x", "not a date", false),
        ];
        for (role, min, max, ok) in cases {
            assert_eq!(
                check_cutoff(&p, &report(role, min, max)).is_ok(),
                ok,
                "{role} {min}..{max}"
            );
        }
        // No cutoff key, no rule.
        assert!(check_cutoff(&[], &report(FEATURE, "2030-01-01", "2030-01-01")).is_ok());
    }
}
