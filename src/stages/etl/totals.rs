//! A report's totals lines (`Grand Total`, an invoice register's `INV1102 Total`): no sale, and
//! named as what they are rather than as bad dates or blank customers.

use super::layout::decode;

/// `Total`, `Grand Total`, `Subtotal`, `Totals:`, any case (SAP's `*` and `**`, `Summe`, `合計`):
/// a report's totals line; and an invoice register's or a customer report's `INV1102 Total`,
/// `Total Acme Corp`.
pub(crate) fn is_total_label(t: &str) -> bool {
    let t = t.trim().trim_end_matches(':').to_ascii_lowercase();
    matches!(
        t.as_str(),
        "total" | "totals" | "grand total" | "grandtotal" | "subtotal" | "sub total" | "sum"
            // SAP's ALV lists mark a subtotal `*`, a total `**`; German, Japanese reports.
            | "*" | "**" | "***" | "summe" | "gesamtsumme" | "zwischensumme" | "gesamtergebnis"
            | "合計" | "小計" | "総合計"
    ) || t.ends_with(" total")
        || t.ends_with(" totals")
        || t.starts_with("total ")
        || t.starts_with("subtotal ")
}

/// The cell of a dateless row that says it is a totals line, if one does (any cell: a report
/// writes the label under whichever column it groups by).
pub(crate) fn total_label(rec: &csv::ByteRecord) -> Option<(usize, String)> {
    rec.iter()
        .map(|b| decode(b).0)
        .enumerate()
        .find(|(_, t)| is_total_label(t))
        .map(|(i, t)| (i, t.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::is_total_label;

    #[test]
    fn totals_lines_in_other_reports_words() {
        for t in [
            "Total",
            "Grand Total:",
            "INV1102 Total",
            "**",
            "*",
            "Summe",
            "合計",
        ] {
            assert!(is_total_label(t), "{t}");
        }
        for t in ["Totalgraphics Ltd", "Summer", "4*", "Acme"] {
            assert!(!is_total_label(t), "{t}");
        }
    }
}
