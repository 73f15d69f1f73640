//! Value parsers for raw sales-log cells: currency, dates and identifiers. Each parses one value
//! on its own (a column may mix formats), and says `None` rather than guessing.

use chrono::{Datelike, NaiveDate};

/// A quantity: a number as [`currency`] reads one, or one followed by its unit (Tally's
/// `4 Nos`, `2 pcs`, `1.5 kg`), which is no part of the count.
pub fn quantity(s: &str, decimal_comma: bool) -> Option<f64> {
    currency(s, decimal_comma).or_else(|| {
        let t = s.trim();
        let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
        let (number, unit) = t.split_at(end);
        // A unit of one letter needs its space: `12O` is a typed 120, no 12 of `O`.
        let spaced = unit.starts_with(char::is_whitespace);
        let unit = unit.trim();
        let is_unit = (spaced || unit.chars().count() >= 2)
            && unit.chars().count() <= 8
            && unit.chars().all(|c| c.is_alphabetic() || c == '.');
        is_unit.then(|| currency(number, decimal_comma)).flatten()
    })
}

/// How a cell's text is read as a number.
pub type Parse = fn(&str, bool) -> Option<f64>;

/// Japanese money text as ASCII: full-width digits, signs and separators (`１，２３４`, which
/// a Japanese export writes as often as `1,234`), and Arabic-Indic, Persian and Thai digits and
/// the Arabic separators (`٦٧٬٩٧٦٫٣٤`) as their plain forms, `▲` or `△`, the
/// accountant's minus there (`▲1,234` is a credit), as `-`, and the yen's `円` after the amount
/// as nothing. `None` when there is none of them.
fn halfwidth(t: &str) -> Option<String> {
    let wide = |c: char| {
        ('\u{FF01}'..='\u{FF5E}').contains(&c)
            || matches!(c, '▲' | '△' | '\u{3000}' | '￥' | '￦' | '円')
            || other_digit(c).is_some()
            || matches!(c, '\u{66B}' | '\u{66C}')
    };
    t.chars().any(wide).then(|| {
        t.chars()
            .filter(|&c| c != '円')
            .map(|c| match c {
                '▲' | '△' => '-',
                '\u{3000}' => ' ',
                '￥' => '¥',
                // EUC-KR has no `₩`: Korean exports write the full-width sign.
                '￦' => '₩',
                // The Arabic decimal and thousands separators (`٦٧٬٩٧٦٫٣٤`).
                '\u{66B}' => '.',
                '\u{66C}' => ',',
                c => other_digit(c)
                    .or_else(|| {
                        ('\u{FF01}'..='\u{FF5E}')
                            .contains(&c)
                            .then(|| char::from_u32(c as u32 - 0xFEE0))
                            .flatten()
                    })
                    .unwrap_or(c),
            })
            .collect()
    })
}

/// An Arabic-Indic, Persian or Thai digit as its ASCII digit.
fn other_digit(c: char) -> Option<char> {
    let zero = match c {
        '\u{660}'..='\u{669}' => 0x660,
        '\u{6F0}'..='\u{6F9}' => 0x6F0,
        '\u{E50}'..='\u{E59}' => 0xE50,
        _ => return None,
    };
    char::from_u32(c as u32 - zero + 0x30)
}

/// The currency an amount is written in, as its sign, symbol or ISO code shows it (`$`, `€`,
/// `CHF`, `R$`), set apart from its signs and parentheses as [`currency`] does; `None` for a
/// bare number. Codes in upper case, so `eur` and `EUR` are one.
pub fn currency_mark(s: &str) -> Option<String> {
    let wide = halfwidth(s.trim());
    let t = wide.as_deref().unwrap_or(s.trim());
    let t = excel_text(t);
    let mut t = t.strip_prefix('\'').unwrap_or(t).trim();
    loop {
        let u = t.trim();
        if let Some(r) = u
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .or_else(|| u.strip_prefix(['-', '\u{2212}', '+']))
            .or_else(|| u.strip_suffix(['-', '\u{2212}']))
        {
            t = r;
            continue;
        }
        if let Some(c) = u
            .chars()
            .next()
            .filter(|c| CURRENCY_SIGNS.contains(c))
            .or_else(|| u.chars().next_back().filter(|c| CURRENCY_SIGNS.contains(c)))
        {
            return Some(c.to_string());
        }
        if let Some(sym) = CURRENCY_SYMBOLS
            .iter()
            .find(|s| u.starts_with(**s) || u.ends_with(**s))
        {
            return Some(sym.to_string());
        }
        // What `strip_code` left is the amount: the code is the rest, before or after it.
        let r = strip_code(u)?;
        let code = u.strip_prefix(r).unwrap_or_else(|| &u[..u.len() - r.len()]);
        return Some(code.to_ascii_uppercase());
    }
}

/// Parses money text: `1234.5`, `$1,234.50`, `-12`, `(1,234.50)` (negative), `1,869.07-` (a
/// trailing minus: SAP's credit notes), `1.234,50` (European, when the last `,` follows the last
/// `.`), `3 613,97` or `1'234.50` (digits grouped by spaces or apostrophes), a currency sign
/// before or after (`$`, `€`, `£`), and, when `decimal_comma` is set (`;`-delimited exports),
/// `1234,50` and `3.614` (a dot between groups of three digits groups thousands there). Blank is
/// zero. Anything else is `None`.
pub fn currency(s: &str, decimal_comma: bool) -> Option<f64> {
    let wide;
    let t = match halfwidth(s.trim()) {
        Some(w) => {
            wide = w;
            wide.as_str()
        }
        None => s.trim(),
    };
    if t.is_empty() || t == "-" {
        return Some(0.0);
    }
    // Excel's forms of a number kept as text: `'1234.50`, `="1234.50"`.
    let t = excel_text(t);
    let t = t.strip_prefix('\'').unwrap_or(t).trim();
    // Signs, parentheses, currency signs and ISO codes, before or after the digits, in any
    // order (`$(1,234.50)` is Excel's accounting negative, `EUR -33.13` a ledger's); one sign
    // and one pair of parentheses at most.
    let (mut neg_paren, mut neg_sign, mut plus) = (false, false, false);
    let mut side: Option<bool> = None;
    // Indian money's `Cr` is a crore (`₹ 1.25 Cr`), no credit: asked only of a value that ends
    // in a ledger's side, off the path of every other value.
    let whole = t;
    let rupees = || whole.contains('₹') || whole.starts_with("Rs") || whole.contains("INR");
    let mut t = t;
    loop {
        let u = t.trim_matches(|c: char| c.is_whitespace());
        if let Some((r, credit)) = ledger_side(u).filter(|_| !rupees()) {
            if side.is_some() {
                return None;
            }
            side = Some(credit);
            t = r;
        } else if let Some(r) = u.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            if neg_paren {
                return None;
            }
            neg_paren = true;
            t = r;
        } else if let Some(r) = u
            .strip_prefix(['-', '\u{2212}'])
            .or_else(|| u.strip_suffix(['-', '\u{2212}']))
        {
            if neg_sign || plus {
                return None; // `-5-`, `5--`: not a number anyone wrote on purpose
            }
            neg_sign = true;
            t = r;
        } else if let Some(r) = u.strip_prefix('+') {
            if neg_sign || plus {
                return None;
            }
            plus = true;
            t = r;
        } else if let Some(r) = u
            .strip_prefix(CURRENCY_SIGNS)
            .or_else(|| u.strip_suffix(CURRENCY_SIGNS))
            .or_else(|| strip_symbol(u))
            .or_else(|| strip_code(u))
        {
            t = r;
        } else {
            t = u;
            break;
        }
    }
    if side.is_some() && (neg_sign || neg_paren) {
        return None; // `-5 CR`, `(5)CR`: signed twice
    }
    // Excel's accounting format shows zero as a lone dash beside the currency: ` $ -   `.
    if t.is_empty() && neg_sign && !neg_paren && !plus {
        return Some(0.0);
    }
    if let Some(v) = scientific(t) {
        return Some(if neg_paren ^ neg_sign { -v } else { v });
    }
    let grouped = ungroup(t)?;
    let t = grouped.as_deref().unwrap_or(t);
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let european = match (last_dot, last_comma) {
        (Some(d), Some(c)) => c > d,
        // Grouped by spaces: the one separator left is the decimal one.
        (None, Some(_)) => decimal_comma || grouped.is_some(),
        (Some(_), None) => decimal_comma && thousands(t, '.') && !t.starts_with('0'),
        (None, None) => false,
    };
    let normalised: String = if european {
        t.replace('.', "").replace(',', ".")
    } else {
        // Thousands separators must sit between groups of three digits.
        if let Some(c) = last_comma {
            let int_part = &t[..last_dot.unwrap_or(t.len())];
            if !(thousands(int_part, ',') || lakhs(int_part)) || c > last_dot.unwrap_or(usize::MAX)
            {
                return None;
            }
        }
        t.replace(',', "")
    };
    if normalised.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = normalised.parse().ok()?;
    let negative = neg_paren ^ neg_sign ^ (side == Some(true));
    Some(if negative { -v } else { v })
}

/// An amount marked as a ledger's credit or debit after its digits (`120.00CR`, `£45.10 Cr`,
/// `7.50DR`), as UK and Australian ledgers and statements write them: the amount, and whether
/// it is a credit. A credit is read negative: in a customer's ledger or a sales report it is a
/// credit note. An income account's ledger, whose sales are its credits, writes nearly every
/// line so, and init then reads the log with its signs turned (`values_negative`).
fn ledger_side(u: &str) -> Option<(&str, bool)> {
    let at = u.len().checked_sub(2)?;
    let credit = match u.get(at..)? {
        "CR" | "Cr" | "cr" => true,
        "DR" | "Dr" | "dr" => false,
        _ => return None,
    };
    let r = &u[..at];
    r.ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == ')')
        .then_some((r, credit))
}

/// A discount in percent: `10`, `12.5`, `10%`, `10,5 %`; blank is none. `None` outside 0 to
/// 100, or not a number.
pub fn percent(text: &str, decimal_comma: bool) -> Option<f64> {
    let t = text.trim().trim_end_matches('%');
    // An amount (`$5.00`, `EUR 5`) is no percentage.
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || ".,+- ".contains(c)))
    {
        return None;
    }
    currency(t, decimal_comma).filter(|x| (0.0..=100.0).contains(x))
}

const CURRENCY_SIGNS: [char; 18] = [
    '$', '€', '£', '¥', '₹', '₺', '₽', '₩', '₱', '₫', '₪', '₦', '฿', '₴', '₸', '₡', '₲', '¢',
];

/// Currency symbols of more than one character, before or after the amount: the dollars told
/// apart by their country (`US$`, `R$`), the rupee's `Rs.`, the Nordic `kr`, the zloty's `zł`.
/// Longest first, so that `US$` is not read as `$` after `US`.
const CURRENCY_SYMBOLS: &[&str] = &[
    "US$", "AU$", "CA$", "HK$", "NZ$", "SG$", "MX$", "NT$", "RD$", "JP¥", "CN¥", "руб.", "A$",
    "C$", "S$", "R$", "Rs.", "Rs", "S/", "kr.", "kr", "Kr", "zł", "Kč", "Ft", "lei", "Fr.", "руб",
    "元", "円", "원", "TL", "Rp.", "Rp",
];

fn strip_symbol(u: &str) -> Option<&str> {
    CURRENCY_SYMBOLS
        .iter()
        .find_map(|s| u.strip_prefix(s).or_else(|| u.strip_suffix(s)))
}

/// ISO 4217 codes of currencies in use, the ones an export writes beside an amount.
const CURRENCY_CODES: &[&str] = &[
    "AED", "ARS", "AUD", "BDT", "BGN", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK",
    "DKK", "EGP", "EUR", "GBP", "GHS", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JOD", "JPY",
    "KES", "KRW", "KWD", "KZT", "LKR", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "OMR", "PEN",
    "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SEK", "SGD", "THB", "TND", "TRY",
    "TWD", "UAH", "USD", "UYU", "VND", "XAF", "XOF", "ZAR", "CRC", "DOP",
];

/// An ISO 4217 code before or after the amount (`USD 33.13`, `33.13 eur`), apart from the
/// digits by a space or not. Only a code of a currency: `INV101190` is no amount.
fn strip_code(u: &str) -> Option<&str> {
    let code = |c: &str| CURRENCY_CODES.iter().any(|k| k.eq_ignore_ascii_case(c));
    if u.len() > 3 && u.is_char_boundary(3) && code(&u[..3]) {
        return Some(&u[3..]);
    }
    let at = u.len().checked_sub(3)?;
    (at > 0 && u.is_char_boundary(at) && code(&u[at..])).then(|| &u[..at])
}

/// Digits grouped the Indian way, in lakhs and crores: `1,23,456` (the last group of three,
/// those before it of two).
fn lakhs(int: &str) -> bool {
    let groups: Vec<&str> = int.split(',').collect();
    let n = groups.len();
    n >= 3
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[n - 1].len() == 3
        && groups[1..n - 1].iter().all(|g| g.len() == 2)
        && (1..=2).contains(&groups[0].len())
}

/// `1.2E+03`, `5e-2`: digits, at most one decimal dot, an exponent. Spreadsheets write large
/// and tiny amounts this way in CSV exports.
fn scientific(t: &str) -> Option<f64> {
    let (mantissa, exponent) = t.split_once(['e', 'E'])?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let exp = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let mant_ok = match mantissa.split_once('.') {
        Some((a, b)) => (digits(a) || a.is_empty()) && digits(b),
        None => digits(mantissa),
    };
    if !mant_ok || !digits(exp) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether a file's numbers write the decimal mark as a comma, from some of its values: `Some(true)`
/// when one can only be read that way (`12,5`, `1.234,50`), `Some(false)` when one can only be
/// read with a decimal dot (`12.5`, `1,234.50`) and none with a comma, `None` when none tells
/// (`3.614` and `1,250` read either way).
pub fn decimal_comma_evidence<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<bool> {
    let mut dot = false;
    for v in values {
        let t = v.trim().trim_end_matches(['-', ')', '€', '$', '£', ' ']);
        let (d, c) = (t.rfind('.'), t.rfind(','));
        let decimals = |at: usize| {
            let tail = &t[at + 1..];
            !tail.is_empty() && tail.len() != 3 && tail.chars().all(|x| x.is_ascii_digit())
        };
        match (d, c) {
            (Some(d), Some(c)) if c > d => return Some(true),
            (Some(_), Some(_)) => dot = true,
            (None, Some(c)) if decimals(c) => return Some(true),
            // Dots between several groups of three (`8.697.636`, a Vietnamese comma file's
            // whole amounts): thousands, written where the decimal mark is the comma.
            (Some(_), None) if t.matches('.').count() > 1 && thousands(t, '.') => {
                return Some(true)
            }
            (Some(d), None) if decimals(d) => dot = true,
            _ => {}
        }
    }
    dot.then_some(false)
}

/// [`decimal_comma_evidence`] of any cells of a log, dates aside (`30.06.2024` is no decimal):
/// what init reads of a whole file, and the ETL of its columns other than GP and quantity.
pub fn decimal_comma_evidence_of_cells<'a>(
    cells: impl IntoIterator<Item = &'a str>,
) -> Option<bool> {
    decimal_comma_evidence(
        cells
            .into_iter()
            .map(str::trim)
            // Only a value with a mark can tell; parse it as a date only then.
            .filter(|c| c.contains(['.', ',']) && date_in(c, DateOrder::Dmy).is_none()),
    )
}

/// Whether `int` is digits in groups of three after a first group of one to three, split by
/// `sep` (`1,234,567`; `12` too, one group).
fn thousands(int: &str, sep: char) -> bool {
    int.split(sep).enumerate().all(|(i, g)| {
        g.chars().all(|c| c.is_ascii_digit())
            && if i == 0 {
                !g.is_empty() && g.len() <= 3
            } else {
                g.len() == 3
            }
    })
}

/// `3 613,97` or `1'234.50` without its group separators (a space, a no-break space, a narrow
/// no-break space or an apostrophe): `Ok(None)` when there are none, `None` when they do not
/// sit between groups of three digits.
fn ungroup(t: &str) -> Option<Option<String>> {
    let is_sep = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'');
    if !t.contains(is_sep) {
        return Some(None);
    }
    let int_end = t.find(['.', ',']).unwrap_or(t.len());
    let (int, rest) = t.split_at(int_end);
    thousands(&int.replace(is_sep, "'"), '\'')
        .then(|| Some(format!("{}{rest}", int.replace(is_sep, ""))))
}

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

/// A cell as Excel users write text that must keep its leading zeros in a CSV (`="000057"`, a
/// formula returning the text, or `'000057`, Excel's text prefix, which some exports keep):
/// the text, trimmed. Any other cell trimmed.
pub fn excel_text(s: &str) -> &str {
    // Zero-width spaces and joiners, and a byte-order mark mid-file, are no part of a value: a
    // pasted id with one is the same customer.
    let t = s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
    });
    if let Some(x) = t.strip_prefix('\'').filter(|x| {
        !x.is_empty() && !x.contains('\'') && x.starts_with(|c: char| c.is_ascii_digit())
    }) {
        return x.trim();
    }
    t.strip_prefix("=\"")
        .and_then(|x| x.strip_suffix('"'))
        .filter(|x| !x.contains('"'))
        .map_or(t, str::trim)
}

/// Whether an id is a long number as Excel displays it, `4.00012E+11`: its last digits are
/// gone, and customers whose ids differ only in them read as one.
pub fn scientific_id(s: &str) -> bool {
    // A number with an exponent (`scientific`), as Excel displays one: a single digit before
    // the point and a positive exponent.
    let t = s.trim();
    scientific(t).is_some()
        && t.split_once(['E', 'e']).is_some_and(|(mantissa, exp)| {
            !exp.starts_with('-') && mantissa.split('.').next().is_some_and(|i| i.len() == 1)
        })
}

/// Normalises an identifier: trimmed, out of an Excel text formula (`="000057"`); `102.0` / `102.00` become `102`; blank, `nan`, `null`
/// and `none` are `None`. Other text (GUIDs, codes) is kept as is.
pub fn id(s: &str) -> Option<String> {
    let t = excel_text(s);
    if t.is_empty()
        || ["nan", "null", "none", "n/a"]
            .iter()
            .any(|x| t.eq_ignore_ascii_case(x))
    {
        return None;
    }
    if let Some((int, frac)) = t.split_once('.') {
        if !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && !frac.is_empty()
            && frac.chars().all(|c| c == '0')
        {
            return Some(int.to_string());
        }
    }
    Some(t.to_string())
}

/// Lower case, letters and digits only, single spaces: the key for name matching.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// A customer's display name without the leading numeric id the sales log prefixes it with
/// (`497588 Crayola` -> `Crayola`), whitespace collapsed.
pub fn clean_name(s: &str) -> String {
    let t = s.trim();
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let t = if rest.len() < t.len() && rest.starts_with(' ') {
        rest
    } else {
        t
    };
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
