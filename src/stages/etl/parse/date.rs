//! Dates: numeric in either order, in words, in other calendars, Excel serials and epochs.

use chrono::{Datelike, NaiveDate};

use super::number::other_digit;

/// Which part of a numeric date with slashes or dashes comes first: the month (`6/30/2024`, the
/// original's and the US convention) or the day (`30/06/2024`, as most of the world writes it).
/// A dotted date (`30.06.2024`) is day-first whatever this says: no convention writes it otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    #[default]
    Mdy,
    Dmy,
}

impl DateOrder {
    /// The other way round.
    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::Mdy => DateOrder::Dmy,
            DateOrder::Dmy => DateOrder::Mdy,
        }
    }

    /// As the ETL params spell it.
    pub fn key(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }

    /// In words, with its slash pattern.
    pub fn words(self) -> &'static str {
        match self {
            DateOrder::Mdy => "month first (M/D/YYYY)",
            DateOrder::Dmy => "day first (D/M/YYYY)",
        }
    }
}

/// A two-digit year's century as Excel reads one: `00` to `29` are 2000 to 2029, `30` to `99`
/// 1930 to 1999 (`12/31/99` is 1999, not 2099).
fn century(yy: i32) -> i32 {
    if yy < 30 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// Parses a date, ignoring any time of day: `2024-06-30`, `2024-06-30 13:45[:00]`,
/// `2024-06-30T13:45:00`, `2024/06/30`, `6/30/2024`, `06/30/2024 1:45 PM`, `6/30/24`,
/// `30.06.2024`. Month-first; see [`date_in`].
pub fn date(s: &str) -> Option<NaiveDate> {
    date_in(s, DateOrder::Mdy)
}

/// [`date`] with the order of a numeric date's day and month given: `30/06/2024` and
/// `30-06-2024` parse under [`DateOrder::Dmy`], and under `Mdy` are no dates (never swapped).
/// A Japanese era date as Japanese ERPs and Excel's era setting write it: `R01.05.07`,
/// `H31.04.26`, `R1/5/7` (Reiwa from 2019, Heisei from 1989, Showa from 1926), or in kanji,
/// `令和元年5月7日`, `平成31年4月26日`. A tester's Yayoi export in era dates was refused.
fn japanese_era(t: &str) -> Option<NaiveDate> {
    const ERAS: &[(&str, char, i32)] = &[
        ("令和", 'R', 2018),
        ("平成", 'H', 1988),
        ("昭和", 'S', 1925),
    ];
    let (base, rest) = ERAS
        .iter()
        .find_map(|&(kanji, letter, base)| {
            t.strip_prefix(kanji)
                .or_else(|| t.strip_prefix(letter))
                .or_else(|| t.strip_prefix(letter.to_ascii_lowercase()))
                .map(|rest| (base, rest))
        })
        // A digit or `元` next: `Sep 5, 2024` and `Sat` are no era.
        .filter(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit() || c == '元'))?;
    let rest = rest.replacen("元", "1", 1);
    let parts: Vec<&str> = rest
        .split(['.', '/', '-', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts[..] else { return None };
    let digits = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        base + y.parse::<i32>().ok()?,
        m.parse().ok()?,
        d.parse().ok()?,
    )
}

pub fn date_in(s: &str, order: DateOrder) -> Option<NaiveDate> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let local = local_day(t);
    let t = local.as_deref().unwrap_or(t);
    let d = date_of(t, order)?;
    // Hijri years (1442 is 2021): gosales converts no lunar calendar, and read as Gregorian
    // every sale was six centuries early (a tester's Saudi log, exit 0).
    (!(1300..1600).contains(&d.year())).then_some(d)
}

/// A day written with other digits or calendars, as [`date_of`] reads it, if it is one:
/// Arabic-Indic, Persian and Thai digits made ASCII, a Chinese, Japanese or Korean
/// `2021年3月5日` / `2021년 3월 5일` / `2021. 3. 5.` made `2021-3-5`, and a Thai Buddhist-era
/// year (2564, from 2400 to 2700) made Gregorian (2021): read as written, a Thai log's sales
/// were dated 543 years late, and its 29 February 2567 (2024) was no day.
fn local_day(t: &str) -> Option<String> {
    let digit = |c: char| {
        other_digit(c).or_else(|| {
            ('\u{FF10}'..='\u{FF19}')
                .contains(&c)
                .then(|| char::from_u32(c as u32 - 0xFF10 + 0x30))
                .flatten()
        })
    };
    let cjk = ['年', '月', '년', '월'];
    let other = t.chars().any(|c| digit(c).is_some() || cjk.contains(&c));
    let korean_dots = t.contains(". ") && t.ends_with('.');
    let mut out: String = if other || korean_dots {
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            match c {
                '年' | '月' | '년' | '월' => out.push('-'),
                '日' | '일' => {}
                c => out.push(digit(c).unwrap_or(c)),
            }
        }
        let out = out.trim().trim_end_matches('.').to_string();
        // `2021. 3. 5` and `2021- 3- 5`: the spaces after the marks go.
        let out = out.replace("- ", "-").replace(". ", "-");
        if out.starts_with(|c: char| c.is_ascii_digit()) {
            out
        } else {
            return None;
        }
    } else {
        t.to_string()
    };
    // Thai digits with a two-digit year (`๐๑/๐๑/๖๔`): the Buddhist era's 2564.
    let thai = t.chars().any(|c| ('\u{E50}'..='\u{E59}').contains(&c));
    if thai {
        if let Some(at) = out.rfind(['/', '-', '.']) {
            let yy = &out[at + 1..];
            if yy.len() == 2 && yy.bytes().all(|b| b.is_ascii_digit()) {
                let year = 2500 + yy.parse::<i32>().ok()?;
                out.replace_range(at + 1.., &year.to_string());
            }
        }
    }
    // A Buddhist-era year: four digits from 2400 to 2700 standing alone.
    let b = out.as_bytes();
    let at = (0..b.len().saturating_sub(3)).find(|&i| {
        b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
            && (2400..=2700).contains(&out[i..i + 4].parse::<i32>().unwrap_or(0))
    });
    if let Some(i) = at {
        let year: i32 = out[i..i + 4].parse().ok()?;
        out.replace_range(i..i + 4, &(year - 543).to_string());
    } else if !(other || korean_dots) {
        return None;
    }
    Some(out)
}

/// [`date_in`] of a day written in ASCII digits and the Gregorian calendar.
fn date_of(t: &str, order: DateOrder) -> Option<NaiveDate> {
    if let Some(d) = excel_serial(t) {
        return Some(d);
    }
    if let Some(d) = japanese_era(t) {
        return Some(d);
    }
    // SAP's and many ERPs' compact ISO day, `20240131`.
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d")
            .ok()
            .filter(|d| (1900..=2100).contains(&d.year()));
    }
    if t.contains(' ') && t.bytes().any(|b| b.is_ascii_alphabetic()) {
        if let Some(d) = date_in_words(t) {
            return Some(d);
        }
    }
    // Cut a time part off: after the first space, or ISO's `T` between a digit and a digit
    // (not the `T` of `OCT` or `SEPT`).
    let b = t.as_bytes();
    let cut = (0..b.len()).find(|&i| {
        b[i] == b' '
            || (b[i] == b'T'
                && i > 0
                && b[i - 1].is_ascii_digit()
                && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    let day = &t[..cut.unwrap_or(t.len())];
    // Year first only with four digits: chrono's `%Y` would read `30/06/24` as the year 30.
    let year_first = day.find(['-', '/', '.']) == Some(4);
    if year_first {
        for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
            if let Ok(d) = NaiveDate::parse_from_str(day, format) {
                return Some(d);
            }
        }
    }
    let (sep, order) = if day.contains('/') {
        ('/', order)
    } else if day.contains('.') {
        ('.', DateOrder::Dmy)
    } else {
        ('-', order)
    };
    let parts: Vec<&str> = day.split(sep).collect();
    // `01-Jan-2021`, `1-JAN-21` (Oracle's and Excel's d-mmm-yy), `Mar-05-23` (eBay's
    // mmm-dd-yy): a month name has one order.
    if let [a, b, y] = parts[..] {
        let (d, mon) = if month_named(a).is_some() {
            (b, a)
        } else {
            (a, b)
        };
        if let Some(m) = month_named(mon) {
            let d: u32 = d.parse().ok()?;
            let y: i32 = match y.len() {
                2 => century(y.parse::<i32>().ok()?),
                4 => y.parse().ok()?,
                _ => return None,
            };
            return NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
    {
        let (a, b): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
        let (m, d) = match order {
            DateOrder::Mdy => (a, b),
            DateOrder::Dmy => (b, a),
        };
        let mut y: i32 = parts[2].parse().ok()?;
        if parts[2].len() == 2 {
            y = century(y);
        } else if parts[2].len() != 4 {
            return None;
        }
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // A month without a day, tried last: a full date never gets here.
    month_only(t)
}

/// A month without a day, as monthly summaries date their rows (`2023-05`, `2023/05`, `05/2023`,
/// `May 2023`, `January 2020`, `Jan-20`): the month's last day, the first day by which all of
/// its sales are made, so that no month-end cutoff sees a month it does not hold whole.
pub fn month_only(t: &str) -> Option<NaiveDate> {
    // Two parts exactly, without a collection: every unparsed date comes here.
    let mut parts = t.split(['-', '/', ' ', '.']).filter(|p| !p.is_empty());
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let digits =
        |s: &str, n: &[usize]| n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    let (y, m): (i32, u32) = if digits(a, &[4]) && digits(b, &[1, 2]) {
        (a.parse().ok()?, b.parse().ok()?)
    } else if digits(a, &[1, 2]) && digits(b, &[4]) {
        (b.parse().ok()?, a.parse().ok()?)
    } else if let (Some(m), true) = (month_named(a), digits(b, &[2, 4])) {
        let y: i32 = b.parse().ok()?;
        (if b.len() == 2 { 2000 + y } else { y }, m)
    } else if let (true, Some(m)) = (digits(a, &[4]), month_named(b)) {
        (a.parse().ok()?, m)
    } else {
        return None;
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Some(month_end(NaiveDate::from_ymd_opt(y, m, 1)?))
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    d.with_day(1)
        .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
        .and_then(|f| f.pred_opt())
        .unwrap_or(d)
}

/// A spreadsheet's serial day number written out as a number (`44197`, `44197.5` with a time of
/// day): days since 1899-12-30, as Excel and LibreOffice count them. Only five-digit days from
/// 1970 to 2099, so that no year, id or amount of another width passes for one.
/// A time written as seconds since 1970 (a database's or a billing system's `invoice_date`:
/// `1609468980`), or milliseconds (JavaScript's), as its day in UTC, for a time from 2000 to
/// 2100. Only an order-date column is read so ([`order_day`]): a bare ten-digit number
/// elsewhere is more likely an id or a phone number.
pub fn epoch_day(t: &str) -> Option<NaiveDate> {
    let t = t.trim();
    let whole = t.split_once('.').map_or(t, |(w, f)| {
        if f.bytes().all(|b| b.is_ascii_digit()) {
            w
        } else {
            ""
        }
    });
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = whole.parse().ok()?;
    let secs = match n {
        946_684_800..=4_102_444_799 => n,
        946_684_800_000..=4_102_444_799_999 => n / 1000,
        _ => return None,
    };
    Some(chrono::DateTime::from_timestamp(secs, 0)?.date_naive())
}

/// An order date: [`date_in`], else [`epoch_day`].
pub fn order_day(s: &str, order: DateOrder) -> Option<NaiveDate> {
    date_in(s, order).or_else(|| epoch_day(s))
}

pub fn excel_serial(t: &str) -> Option<NaiveDate> {
    let (days, frac) = t.split_once('.').unwrap_or((t, "0"));
    if days.len() != 5
        || !days.bytes().all(|b| b.is_ascii_digit())
        || frac.is_empty()
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n: i64 = days.parse().ok()?;
    if !(25_569..=73_050).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

/// A date whose month is a name and whose parts are words: `January 1, 2024`, `Jan. 01 2024`,
/// `1 January 2024`, `Mon, Jan 1st, 2024 10:22 AM` (what follows the year is the time). Here
/// the first space is inside the date, so it cannot be where a time part starts.
fn date_in_words(t: &str) -> Option<NaiveDate> {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let weekday = |w: &str| {
        let w = w.to_ascii_lowercase();
        w.len() >= 3 && WEEKDAYS.iter().any(|d| d.starts_with(&w))
    };
    let words: Vec<&str> = t
        .split([' ', ','])
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .skip_while(|w| weekday(w))
        .collect();
    let day = |d: &str| -> Option<u32> {
        let d = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| d.to_ascii_lowercase().strip_suffix(s).map(str::to_string))
            .unwrap_or_else(|| d.to_string());
        (d.len() <= 2).then(|| d.parse().ok()).flatten()
    };
    let year = |y: &str| -> Option<i32> {
        match y.len() {
            4 => y.parse().ok(),
            2 => y.parse::<i32>().ok().map(|v| 2000 + v),
            _ => None,
        }
    };
    let (m, d, y) = match words[..] {
        [m, d, y, ..] if month_named(m).is_some() => (month_named(m)?, day(d)?, year(y)?),
        [d, m, y, ..] if month_named(m).is_some() => (month_named(m)?, day(d)?, year(y)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The month a month name or its abbreviation names, in English, German, French, Spanish,
/// Italian, Dutch or Portuguese (`Jan`, `SEPT`, `march`, `März`, `févr.`, `dic`), accents and
/// case aside; `None` when the name is shorter than three letters or could be two months
/// (`jui`: juin or juillet).
fn month_named(s: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "januar", "janvier", "enero", "gennaio", "januari", "janeiro",
        ],
        &[
            "february",
            "februar",
            "fevrier",
            "febrero",
            "febbraio",
            "februari",
            "fevereiro",
        ],
        &["march", "marz", "maerz", "mars", "marzo", "maart", "marco"],
        &["april", "avril", "abril", "aprile"],
        &["may", "mai", "mayo", "maggio", "mei", "maio"],
        &["june", "juni", "juin", "junio", "giugno", "junho"],
        &["july", "juli", "juillet", "julio", "luglio", "julho"],
        &["august", "aout", "agosto", "augustus"],
        &[
            "september",
            "septembre",
            "septiembre",
            "setiembre",
            "settembre",
            "setembro",
        ],
        &[
            "october", "oktober", "octobre", "octubre", "ottobre", "outubro",
        ],
        &["november", "novembre", "noviembre", "novembro"],
        &[
            "december",
            "dezember",
            "decembre",
            "diciembre",
            "dicembre",
            "dezembro",
        ],
    ];
    let s: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect();
    if s.chars().count() < 3 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut found = MONTHS
        .iter()
        .enumerate()
        .filter(|(_, names)| names.iter().any(|m| m.starts_with(&s)))
        .map(|(i, _)| i as u32 + 1);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}
