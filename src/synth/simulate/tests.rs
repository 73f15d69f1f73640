use super::*;

#[test]
fn calendar_shortcuts_agree_with_chrono() {
    // The generator's draws depend on these: a day off would change every synthetic log.
    let mut d = NaiveDate::from_ymd_opt(1999, 1, 1).unwrap();
    let base = NaiveDate::from_ymd_opt(1998, 3, 17).unwrap();
    while d.year() < 2031 {
        let next = month_start(d) + Months::new(1);
        assert_eq!(
            days_in_month(d),
            (next - month_start(d)).num_days() as u32,
            "{d}"
        );
        assert_eq!(
            months_since(Some(base), d),
            Some((d - base).num_days() / 30)
        );
        assert_eq!(
            months_since(Some(d), base),
            Some((base - d).num_days() / 30)
        );
        d = d + Days::new(13);
    }
}
