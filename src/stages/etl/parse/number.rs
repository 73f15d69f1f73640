//! Numbers: amounts, quantities and percentages as exports write them.

use super::date::{date_in, DateOrder};
use super::text::excel_text;

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
pub(super) fn other_digit(c: char) -> Option<char> {
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
pub(super) fn scientific(t: &str) -> Option<f64> {
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
