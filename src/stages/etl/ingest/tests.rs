#[test]
fn rows_are_the_same_key_only_when_every_field_is() {
    let key = |fields: &[&str]| super::row_key(&csv::ByteRecord::from(fields.to_vec()));
    assert_eq!(
        key(&["101", "2024-01-02", "5"]),
        key(&["101", "2024-01-02", "5"])
    );
    for (a, b) in [
        (&["ab", "c"][..], &["a", "bc"][..]),
        (&["a", ""][..], &["a"][..]),
        (&["", ""][..], &[""][..]),
        (&["1", "2"][..], &["2", "1"][..]),
    ] {
        assert_ne!(key(a), key(b), "{a:?} {b:?}");
    }
    // One line in a Windows-1252 export and in a UTF-8 one is one line.
    let latin = csv::ByteRecord::from(vec![&b"101"[..], &b"Cr\xe8me Br\xfbl\xe9e"[..]]);
    assert_eq!(super::row_key(&latin), key(&["101", "Crème Brûlée"]));
}

#[test]
fn a_discount_is_a_percentage_from_0_to_100() {
    use crate::stages::etl::parse::percent;
    assert_eq!(percent("10", false), Some(10.0));
    assert_eq!(percent(" 12.5% ", false), Some(12.5));
    assert_eq!(percent("12,5 %", true), Some(12.5));
    // Blank: no discount.
    assert_eq!(percent("", false), Some(0.0));
    for bad in ["150", "-5", "abc", "10 percent", "$5.00", "EUR 5"] {
        assert_eq!(percent(bad, false), None, "{bad}");
    }
}
