use chrono::NaiveDate;

use super::*;

#[test]
fn ids_keep_their_text_and_lose_a_float_tail_or_an_excel_text_formula() {
    for (raw, want) in [
        ("  C001 ", Some("C001")),
        ("102.0", Some("102")),
        ("=\"000057\"", Some("000057")),
        ("=\" 42 \"", Some("42")),
        ("=\"a\"b\"", Some("=\"a\"b\"")),
        ("=SUM(A1)", Some("=SUM(A1)")),
        // Excel's text prefix, kept by some exports: `'00196` is `00196`; a name's
        // apostrophe stays.
        ("'00196", Some("00196")),
        ("'t Hoen", Some("'t Hoen")),
        ("'12'", Some("'12'")),
        ("null", None),
        ("=\"\"", None),
    ] {
        assert_eq!(id(raw).as_deref(), want, "id({raw:?})");
    }
}

#[test]
fn a_quantity_may_carry_its_unit() {
    assert_eq!(quantity("4 Nos", false), Some(4.0));
    assert_eq!(quantity("1.5 kg", false), Some(1.5));
    assert_eq!(quantity("-2 pcs.", false), Some(-2.0));
    assert_eq!(quantity("12", false), Some(12.0));
    // Text after the number that is no unit word still makes no number.
    assert_eq!(quantity("4 Nos 5", false), None);
    assert_eq!(quantity("4 #3", false), None);
    assert_eq!(quantity("Nos", false), None);
    assert_eq!(quantity("2pcs", false), Some(2.0));
    assert_eq!(quantity("3 m", false), Some(3.0));
    // A letter typed for a zero is no unit.
    assert_eq!(quantity("12O", false), None);
}

#[test]
fn currency_table() {
    let cases: &[(&str, bool, Option<f64>)] = &[
        ("1234.5", false, Some(1234.5)),
        ("$1,234.50", false, Some(1234.5)),
        ("(1,234.50)", false, Some(-1234.5)),
        ("($2,000.00)", false, Some(-2000.0)),
        ("-12", false, Some(-12.0)),
        ("$-12.5", false, Some(-12.5)),
        ("", false, Some(0.0)),
        ("  ", false, Some(0.0)),
        ("1.234,50", false, Some(1234.5)),
        ("1234,50", true, Some(1234.5)),
        ("1,234,567.89", false, Some(1_234_567.89)),
        ("12O4.50", false, None),
        // A country's dollar, a rupee's lakhs, Nordic crowns, a lowercase code, Excel's text.
        ("US$1,234.50", false, Some(1234.5)),
        ("R$ 1.234,56", false, Some(1234.56)),
        ("1 234,50 kr", false, Some(1234.5)),
        ("1,23,456.78", false, Some(123_456.78)),
        ("Rs. 1,23,456", false, Some(123_456.0)),
        ("usd 12.50", false, Some(12.5)),
        ("'1234.50", false, Some(1234.5)),
        ("=\"1234.50\"", false, Some(1234.5)),
        ("₩15000", false, Some(15000.0)),
        // Japanese: full-width digits, the accountant's ▲ minus, a yen sign.
        ("１，２３４", false, Some(1234.0)),
        ("▲1,234", false, Some(-1234.0)),
        ("▲１２．５", false, Some(-12.5)),
        ("￥12,000", false, Some(12000.0)),
        ("12,000円", false, Some(12000.0)),
        // Korean and Chinese: EUC-KR's full-width won, `원` and `元` after the amount; Turkish
        // lira written `TL`.
        ("￦1,200,000", false, Some(1_200_000.0)),
        ("1,200,000원", false, Some(1_200_000.0)),
        ("1,200.50元", false, Some(1200.5)),
        // Arabic-Indic digits and separators.
        ("٦٧٬٩٧٦٫٣٤", false, Some(67_976.34)),
        ("(١٬٢٠٠)", false, Some(-1200.0)),
        ("1.200,50 TL", true, Some(1200.5)),
        ("Rp 3.600", true, Some(3600.0)),
        // Three capitals that name no currency are no code: an invoice number is no amount.
        ("INV101190", false, None),
        ("#N/A", false, None),
        ("12,3,456.78", false, None),
        ("1,23.4", false, None),
        ("N/A", false, None),
        ("1.2.3", false, None),
        ("€15", false, Some(15.0)),
        // SAP's credit notes carry their minus after the digits.
        ("1.869,07-", true, Some(-1869.07)),
        ("1,869.07-", false, Some(-1869.07)),
        ("(12-)", false, Some(12.0)),
        // In a `;` export a dot between groups of three digits groups thousands.
        ("3.614", true, Some(3614.0)),
        ("1.234.567", true, Some(1_234_567.0)),
        ("3.614", false, Some(3.614)),
        ("12.50", true, Some(12.5)),
        ("0.500", true, Some(0.5)),
        // Digits grouped by spaces or apostrophes; a currency sign after the number.
        ("3 613,97", false, Some(3613.97)),
        ("3\u{a0}613,97", true, Some(3613.97)),
        ("3.613,97 €", true, Some(3613.97)),
        ("1'234.50", false, Some(1234.5)),
        ("12 34,5", false, None),
        ("1 2", false, None),
        ("-5-", false, None),
        ("5--", false, None),
        // Excel's accounting negatives, a plus, ISO codes, the Unicode minus, exponents.
        ("$(33.13)", false, Some(-33.13)),
        ("€(1.234,50)", false, Some(-1234.5)),
        ("(33.13)$", false, Some(-33.13)),
        ("+33.13", false, Some(33.13)),
        ("USD 33.13", false, Some(33.13)),
        ("33.13 USD", false, Some(33.13)),
        ("EUR -33.13", false, Some(-33.13)),
        ("CHF1'234.50", false, Some(1234.5)),
        ("\u{2212}33.13", false, Some(-33.13)),
        ("1.2E+03", false, Some(1200.0)),
        ("-5e-2", false, Some(-0.05)),
        ("+-5", false, None),
        ("((5))", false, None),
        ("1,2E3", false, None),
        ("E5", false, None),
        ("NULL", false, None),
        ("USD", false, None),
        // A ledger's credits and debits (Sage 200, MYOB): a credit note is a credit.
        ("33.13CR", false, Some(-33.13)),
        ("£120.00 Cr", false, Some(-120.0)),
        ("1,234.50DR", false, Some(1234.5)),
        ("1.234,50 CR", false, Some(-1234.5)),
        ("-33.13CR", false, None),
        ("CR", false, None),
        ("ACR", false, None),
        // An Indian crore is no credit (and no amount gosales reads).
        ("₹ 1.25 Cr", false, None),
        ("CRC 1,500.00", false, Some(1500.0)),
        // Excel's accounting zero, saved "as displayed".
        (" $ -   ", false, Some(0.0)),
        ("- €", true, Some(0.0)),
        ("$", false, None),
        ("(-)", false, None),
    ];
    for (text, dc, want) in cases {
        assert_eq!(
            currency(text, *dc),
            *want,
            "currency({text:?}, decimal_comma={dc})"
        );
    }
}

#[test]
fn the_decimal_mark_is_read_from_values_that_can_only_mean_one() {
    assert_eq!(decimal_comma_evidence(["3.614", "12,5"]), Some(true));
    assert_eq!(decimal_comma_evidence(["1.234,50-"]), Some(true));
    assert_eq!(decimal_comma_evidence(["3.614", "12.5"]), Some(false));
    assert_eq!(decimal_comma_evidence(["1,234.50"]), Some(false));
    assert_eq!(decimal_comma_evidence(["3.614", "1,250", "7", ""]), None);
    // Several dotted groups of three can only be thousands; a dotted code cannot tell.
    assert_eq!(decimal_comma_evidence(["869.764", "8.697.636"]), Some(true));
    assert_eq!(decimal_comma_evidence(["1.02.007", "120.01.151"]), None);
}

#[test]
fn date_table() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    let cases: &[(&str, Option<NaiveDate>)] = &[
        ("2024-06-30", d(2024, 6, 30)),
        ("2024-06-30 13:45:00", d(2024, 6, 30)),
        ("2024-06-30T13:45:00", d(2024, 6, 30)),
        ("2024/06/30", d(2024, 6, 30)),
        ("6/30/2024", d(2024, 6, 30)),
        ("06/30/2024 1:45 PM", d(2024, 6, 30)),
        ("12/31/2024 13:45", d(2024, 12, 31)),
        ("6/30/24", d(2024, 6, 30)),
        // Two-digit years as Excel reads them: 30 to 99 are the 1900s.
        ("12/31/99", d(1999, 12, 31)),
        ("1/15/29", d(2029, 1, 15)),
        ("2024.06.30", d(2024, 6, 30)),
        ("2023-02-30", None),
        ("13/45/2023", None),
        ("01-Jan-2021", d(2021, 1, 1)),
        ("Mar-05-23", d(2023, 3, 5)),
        // Spreadsheet serial days written out: 44197 is 2021-01-01.
        ("44197", d(2021, 1, 1)),
        ("20240131", d(2024, 1, 31)),
        ("20241331", None),
        ("12345678", None),
        ("45657.75", d(2024, 12, 31)),
        ("1234", None),
        ("123456", None),
        ("20000", None),
        ("01-OCT-2021", d(2021, 10, 1)),
        ("15-SEPT-21 10:00", d(2021, 9, 15)),
        ("2021-10-01T08:00:00Z", d(2021, 10, 1)),
        ("7-SEP-21", d(2021, 9, 7)),
        ("30/June/2024 08:00", d(2024, 6, 30)),
        ("31-Feb-2021", None),
        ("01-Ja-2021", None),
        ("01-Jan-202", None),
        // Month names written with spaces: the first space is inside the date.
        ("January 1, 2024", d(2024, 1, 1)),
        ("Jan 01 2024", d(2024, 1, 1)),
        ("Jan. 5, 2024 10:22 AM", d(2024, 1, 5)),
        ("1 January 2024", d(2024, 1, 1)),
        ("Mon, Jan 1st, 2024", d(2024, 1, 1)),
        ("Sept 15 21", d(2021, 9, 15)),
        ("February 30, 2024", None),
        // Other languages' month names, accents and case aside.
        ("31. Januar 2020", d(2020, 1, 31)),
        ("5. März 2021", d(2021, 3, 5)),
        ("5 mars 2021", d(2021, 3, 5)),
        ("3 févr. 2022", d(2022, 2, 3)),
        ("1 août 2023", d(2023, 8, 1)),
        ("12-dic-2022", d(2022, 12, 12)),
        ("7 juil. 2021", d(2021, 7, 7)),
        ("7 jui 2021", None),
        // A month without a day (monthly summaries): its last day.
        ("June 2024", d(2024, 6, 30)),
        ("2023-05", d(2023, 5, 31)),
        ("2024/02", d(2024, 2, 29)),
        ("05/2023", d(2023, 5, 31)),
        ("12.2023", d(2023, 12, 31)),
        ("Jan-20", d(2020, 1, 31)),
        ("January 2020", d(2020, 1, 31)),
        ("2023 May", d(2023, 5, 31)),
        ("13/2023", None),
        ("1-20", None),
        ("May be soon", None),
        ("N/A", None),
        ("tbd", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(date(text), *want, "date({text:?})");
    }
}

#[test]
fn day_first_dates_parse_only_when_the_log_says_so() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    let cases: &[(&str, Option<NaiveDate>, Option<NaiveDate>)] = &[
        // (text, month-first, day-first)
        ("30/06/2024", None, d(2024, 6, 30)),
        ("05/06/2024", d(2024, 5, 6), d(2024, 6, 5)),
        ("6/30/2024", d(2024, 6, 30), None),
        ("30-06-2024", None, d(2024, 6, 30)),
        ("30/06/24 14:05", None, d(2024, 6, 30)),
        // Dotted dates are day-first under either order; ISO dates are ISO.
        ("30.06.2024", d(2024, 6, 30), d(2024, 6, 30)),
        ("05.06.2024", d(2024, 6, 5), d(2024, 6, 5)),
        ("2024-06-05", d(2024, 6, 5), d(2024, 6, 5)),
        ("2024/06/05", d(2024, 6, 5), d(2024, 6, 5)),
        ("31.02.2024", None, None),
        ("1.2.3.4", None, None),
    ];
    for (text, mdy, dmy) in cases {
        assert_eq!(date_in(text, DateOrder::Mdy), *mdy, "mdy {text:?}");
        assert_eq!(date_in(text, DateOrder::Dmy), *dmy, "dmy {text:?}");
    }
}

#[test]
fn id_table() {
    let cases: &[(&str, Option<&str>)] = &[
        ("102", Some("102")),
        ("102.0", Some("102")),
        (" 102.00 ", Some("102")),
        ("102.5", Some("102.5")),
        ("A-17", Some("A-17")),
        ("", None),
        ("nan", None),
        ("NULL", None),
    ];
    for (text, want) in cases {
        assert_eq!(id(text).as_deref(), *want, "id({text:?})");
    }
}

#[test]
fn names() {
    assert_eq!(clean_name("497588  Crayola   LLC"), "Crayola LLC");
    assert_eq!(clean_name("3M Company"), "3M Company");
    assert_eq!(name_key("Apex Dynamics, Inc."), "apex dynamics inc");
}

#[test]
fn a_zero_width_space_is_no_part_of_an_id_and_excels_scientific_display_is_told() {
    assert_eq!(id("C0042\u{200b}").as_deref(), Some("C0042"));
    assert_eq!(id("\u{feff}C0042").as_deref(), Some("C0042"));
    for lossy in ["4.00012E+11", "4.00012e+11", "4E+11", "4.1E11"] {
        assert!(scientific_id(lossy), "{lossy}");
    }
    for kept in [
        "400012340000",
        "E12",
        "12E+3",
        "4.0E+",
        "A4.1E+11",
        "1.2.3E+4",
    ] {
        assert!(!scientific_id(kept), "{kept}");
    }
}

#[test]
fn seconds_since_1970_are_an_order_day_only() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 2021-01-01 02:43:00 UTC, in seconds and in milliseconds.
    assert_eq!(
        order_day("1609468980", DateOrder::Mdy),
        Some(d("2021-01-01"))
    );
    assert_eq!(
        order_day("1609468980000", DateOrder::Dmy),
        Some(d("2021-01-01"))
    );
    assert_eq!(epoch_day("1609468980.5"), Some(d("2021-01-01")));
    // Out of 2000-2100, or not a whole number: no day.
    for v in ["123456789", "99999999999", "16094a8980", "", "-1609468980"] {
        assert_eq!(epoch_day(v), None, "{v}");
    }
    // Never a date elsewhere: an id or a phone number of ten digits.
    assert_eq!(date_in("1609468980", DateOrder::Mdy), None);
}

#[test]
fn thai_arabic_chinese_and_korean_days_are_read_as_gregorian_ones() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let cases: &[(&str, DateOrder, Option<NaiveDate>)] = &[
        // A Thai Buddhist-era year, its leap day too; Thai digits.
        ("05/03/2567", DateOrder::Dmy, d(2024, 3, 5)),
        ("29/02/2567", DateOrder::Dmy, d(2024, 2, 29)),
        ("2567-02-29", DateOrder::Mdy, d(2024, 2, 29)),
        ("๐๕/๐๓/๒๕๖๗", DateOrder::Dmy, d(2024, 3, 5)),
        ("๐๑/๐๑/๖๔", DateOrder::Dmy, d(2021, 1, 1)),
        // Arabic-Indic and Persian digits.
        ("٠٥/٠٣/٢٠٢٤", DateOrder::Dmy, d(2024, 3, 5)),
        ("۲۰۲۴/۰۳/۰۵", DateOrder::Mdy, d(2024, 3, 5)),
        // Chinese, Japanese and Korean year-month-day.
        ("2024年3月5日", DateOrder::Mdy, d(2024, 3, 5)),
        ("2024年03月05日 12:30", DateOrder::Mdy, d(2024, 3, 5)),
        ("2024년 3월 5일", DateOrder::Mdy, d(2024, 3, 5)),
        ("2024. 3. 5.", DateOrder::Mdy, d(2024, 3, 5)),
        // Hijri years are no Gregorian days; a Japanese era still reads.
        ("1445/08/23", DateOrder::Mdy, None),
        ("23/08/1445", DateOrder::Dmy, None),
        ("令和6年3月5日", DateOrder::Mdy, d(2024, 3, 5)),
        ("2024-03-05", DateOrder::Mdy, d(2024, 3, 5)),
    ];
    for &(text, order, want) in cases {
        assert_eq!(date_in(text, order), want, "{text}");
    }
}

#[test]
fn japanese_era_dates_are_read_as_their_years() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    for (text, want) in [
        ("R01.05.07", d(2019, 5, 7)),
        ("H31.04.26", d(2019, 4, 26)),
        ("H29.04.06", d(2017, 4, 6)),
        ("R2/1/15", d(2020, 1, 15)),
        ("令和元年5月7日", d(2019, 5, 7)),
        ("平成31年4月26日", d(2019, 4, 26)),
        ("S64.01.07", d(1989, 1, 7)),
        ("R01.13.07", None),
        ("RX.05.07", None),
    ] {
        assert_eq!(date_in(text, DateOrder::Mdy), want, "{text}");
    }
}
