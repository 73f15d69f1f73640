//! Identifiers and names: Excel's text forms undone, keys for matching.

use super::number::scientific;

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
