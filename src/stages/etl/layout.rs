//! Where things are in the sales log: its encoding (UTF-8, else Windows-1252), its delimiter,
//! which header is each canonical column, and where the products are, by the aliases of
//! `stages/etl.yaml`. Two shapes load: *wide* (the original's: a GP and a Qty column per SKU,
//! several products on one row) and *long* (an ERP export: one row per product line, its SKU in a
//! product column, with one GP and one quantity column). A log is long when none of the SKU map's
//! GP columns is in its header and it has a product and a GP column; the map's `gp_column` then
//! names the product *values*. Structural problems (an empty file, a missing required column,
//! duplicate headers) become violations here, before any row is read.

use std::borrow::Cow;

use super::contracts::{Severity, Violations};
use super::skumap::Sku;

/// Canonical columns and the headers accepted for each, first match wins.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    #[serde(default = "a_customer_id")]
    pub customer_id: Vec<String>,
    #[serde(default = "a_order_date")]
    pub order_date: Vec<String>,
    #[serde(default = "a_division")]
    pub division: Vec<String>,
    #[serde(default = "a_customer_name")]
    pub customer_name: Vec<String>,
    #[serde(default = "a_invoice_id")]
    pub invoice_id: Vec<String>,
    /// An explicit invoice-line number. Only a log that has one can break the line key rule.
    #[serde(default = "a_line_id")]
    pub line_id: Vec<String>,
    /// Long logs: the column holding each line's SKU (a `gp_column` value of the SKU map).
    #[serde(default = "a_product")]
    pub product: Vec<String>,
    /// Long logs: each line's gross profit.
    #[serde(default = "a_gross_profit")]
    pub gross_profit: Vec<String>,
    /// Long logs: each line's quantity (optional: without it quantities read as zero).
    #[serde(default = "a_quantity")]
    pub quantity: Vec<String>,
    /// Long logs with revenue and cost but no GP: each line's cost, subtracted from the
    /// `gross_profit` column (then its revenue). None by default; a name given here that the
    /// log lacks blocks, since every GP figure would be revenue.
    #[serde(default)]
    pub cost: Vec<String>,
    /// Long logs whose value is a price per unit (`value_per_unit`): each line's discount, a
    /// percentage (Xero's and Odoo's `Discount`, Business Central's `Line Discount %`) taken off
    /// the price times the quantity. None by default; a name given here that the log lacks
    /// blocks, since every line would count at its full price.
    #[serde(default)]
    pub discount: Vec<String>,
    /// Long logs: each line's discount as an amount, taken off its value (Shopify's `Lineitem
    /// discount` off price times quantity; Magento's `discount_amount` off its `row_total`,
    /// written before it). None by default; a name given here that the log lacks blocks.
    #[serde(default)]
    pub discount_amount: Vec<String>,
    /// Long logs: each line's quantity refunded (Magento's `qty_refunded`): the line's value and
    /// quantity are taken that share off, and a line refunded whole is no sale. None by
    /// default; a name given here that the log lacks blocks.
    #[serde(default)]
    pub refunded_quantity: Vec<String>,
    /// Long logs: the line a line is part of (Magento's `parent_item_id`: a configurable
    /// product's chosen variant, a bundle's items), whose value and quantity the parent line
    /// holds. A row with it set is dropped, as `component_line`. None by default; a name given
    /// here that the log lacks blocks.
    #[serde(default)]
    pub parent_line: Vec<String>,
}

fn v(x: &[&str]) -> Vec<String> {
    x.iter().map(|s| s.to_string()).collect()
}
fn a_customer_id() -> Vec<String> {
    v(&["CustomerId", "CompanyId", "customer_id"])
}
fn a_order_date() -> Vec<String> {
    v(&["Rec Date", "Rec_Date", "order_date"])
}
fn a_division() -> Vec<String> {
    v(&["Division", "division"])
}
fn a_customer_name() -> Vec<String> {
    v(&["Customer", "New_Business", "customer_name"])
}
fn a_invoice_id() -> Vec<String> {
    v(&["InvoiceId", "Invoice_Id", "invoice_id"])
}
fn a_line_id() -> Vec<String> {
    v(&[
        "LineId",
        "Line_Id",
        "line_id",
        "InvoiceLineId",
        "Invoice Line",
    ])
}

fn a_product() -> Vec<String> {
    v(&["Product", "SKU", "product", "sku"])
}
fn a_gross_profit() -> Vec<String> {
    v(&["GP", "Gross Profit", "gross_profit"])
}
fn a_quantity() -> Vec<String> {
    v(&["Qty", "Quantity", "quantity"])
}

impl Aliases {
    /// The canonical columns, as `stages/etl.yaml` `aliases` keys them.
    pub const COLUMNS: [&'static str; 14] = [
        "customer_id",
        "order_date",
        "division",
        "customer_name",
        "invoice_id",
        "line_id",
        "product",
        "gross_profit",
        "quantity",
        "cost",
        "discount",
        "discount_amount",
        "refunded_quantity",
        "parent_line",
    ];

    /// The header names of the canonical column `name`; `None` for a name no column has.
    pub fn names_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "customer_id" => &mut self.customer_id,
            "order_date" => &mut self.order_date,
            "division" => &mut self.division,
            "customer_name" => &mut self.customer_name,
            "invoice_id" => &mut self.invoice_id,
            "line_id" => &mut self.line_id,
            "product" => &mut self.product,
            "gross_profit" => &mut self.gross_profit,
            "quantity" => &mut self.quantity,
            "cost" => &mut self.cost,
            "discount" => &mut self.discount,
            "discount_amount" => &mut self.discount_amount,
            "refunded_quantity" => &mut self.refunded_quantity,
            "parent_line" => &mut self.parent_line,
            _ => return None,
        })
    }
}

impl Default for Aliases {
    fn default() -> Self {
        Aliases {
            customer_id: a_customer_id(),
            order_date: a_order_date(),
            division: a_division(),
            customer_name: a_customer_name(),
            invoice_id: a_invoice_id(),
            line_id: a_line_id(),
            product: a_product(),
            gross_profit: a_gross_profit(),
            quantity: a_quantity(),
            cost: Vec::new(),
            discount: Vec::new(),
            discount_amount: Vec::new(),
            refunded_quantity: Vec::new(),
            parent_line: Vec::new(),
        }
    }
}

/// Which shape a log is read as: `auto` decides from the header (long when no SKU-map GP column
/// is in it and a product and a GP column are); `init` writes the shape it found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    #[default]
    Auto,
    Wide,
    Long,
}

/// Where the canonical and product columns are in the file.
#[derive(Debug, Clone)]
pub struct Layout {
    pub delimiter: u8,
    /// The document-type column and its credit values (`credit_documents`), set by the ETL.
    pub credit: Option<(usize, Vec<String>)>,
    /// The status column and its values of no sale (`excluded_statuses`), set by the ETL.
    pub excluded: Option<(usize, Vec<String>)>,
    /// `excluded_documents`' column and its values of no sale (as marks compare them).
    pub excluded_documents: Option<(usize, Vec<String>)>,
    /// Whether numbers write the decimal mark as a comma: a `;` file's convention, unless its
    /// values show otherwise ([`crate::stages::etl::ingest::ingest`] reads them).
    pub decimal_comma: bool,
    pub header: Vec<String>,
    pub customer_id: usize,
    pub order_date: usize,
    pub division: Option<usize>,
    pub customer_name: Option<usize>,
    pub invoice_id: Option<usize>,
    pub line_id: Option<usize>,
    /// Wide logs: per SKU map entry, (GP column index, Qty column index), if present in the file.
    pub products: Vec<(Option<usize>, Option<usize>)>,
    /// For each SKU entry, the index of the first entry sharing its Qty column.
    pub qty_owner: Vec<usize>,
    /// Set for a long log (one row per product line).
    pub long: Option<Long>,
}

/// The columns of a long log, and each SKU map entry by the product value that names it.
#[derive(Debug, Clone)]
pub struct Long {
    pub product: usize,
    pub gross_profit: usize,
    pub quantity: Option<usize>,
    /// Each line's cost, when GP is revenue less cost.
    pub cost: Option<usize>,
    /// Each line's discount in percent, off a price per unit times the quantity.
    pub discount: Option<usize>,
    /// Each line's discount as an amount, off its value.
    pub discount_amount: Option<usize>,
    /// Each line's quantity refunded.
    pub refunded_quantity: Option<usize>,
    /// The line a line is part of: a row with it set is dropped.
    pub parent_line: Option<usize>,
    pub sku_of: super::skumap::ProductIndex,
    /// The SKU map's divisions by [`division_key`]: a product it does not list goes to the
    /// division its row names, when the log has a division column and the name is one of these
    /// in any case or spacing, or as init made it a partition value (`R&B/Soul` for `R&B-Soul`).
    pub divisions: std::collections::HashMap<String, String>,
}

/// A division name as a row may write it: lower case, no white space, and the characters a
/// partition value cannot hold as init replaces them (`-`): `R&B / Soul`, `r&b/soul` and init's
/// `R&B-Soul` are one.
pub fn division_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '@' | '/' | '\\' | '{' | '}' | '*') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A cell's text, and whether it was not UTF-8 (read as Windows-1252). The text is in Unicode's
/// composed form (NFC): `Fabricación` written with a combining accent (as macOS and some ERPs
/// export it) is the same division, product and customer as the precomposed one, not a second
/// one that looks identical.
pub(crate) fn decode(b: &[u8]) -> (Cow<'_, str>, bool) {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match std::str::from_utf8(b) {
        Ok(s) if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes => {
            (Cow::Borrowed(s), false)
        }
        Ok(s) => (Cow::Owned(s.nfc().collect()), false),
        Err(_) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(b);
            (s, true)
        }
    }
}

/// A cell as written: UTF-8, else Windows-1252, never composed (unlike [`decode`]): for files
/// whose spelling other readers must see unchanged (the SKU map, whose divisions the manifest's
/// partitions read too; the enrichment's names).
pub(crate) fn as_written(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(b).0,
    }
}

/// The delimiter with the most occurrences in the header line (outside quotes).
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    // The header: the first line with anything on it (title rows above it were emptied).
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| {
            bytes[..i]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |n| n + 1)
        });
    let bytes = &bytes[start..];
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    // `|` is the flat-file separator of SAP and many ERP exports.
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for &b in &bytes[..line_end] {
        if b == b'"' {
            quoted = !quoted;
        } else if let Some(i) = CANDIDATES.iter().position(|&c| c == b).filter(|_| !quoted) {
            counts[i] += 1;
        }
    }
    let best = (0..CANDIDATES.len())
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    CANDIDATES[best]
}

fn find(header: &[String], names: &[String]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h == n))
}

/// Reads the header and maps columns; records the structural violations.
pub fn layout(
    bytes: &[u8],
    aliases: &Aliases,
    skus: &[Sku],
    shape: Shape,
    vio: &mut Violations,
) -> Option<Layout> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        vio.push(
            "empty_file",
            Severity::Blocking,
            None,
            "",
            "",
            "the sales log is empty",
        );
        return None;
    }
    let delimiter = sniff_delimiter(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).unwrap_or(false) {
        vio.push(
            "empty_file",
            Severity::Blocking,
            None,
            "",
            "",
            "the sales log has no header line",
        );
        return None;
    }
    let header: Vec<String> = rec
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (s, _) = decode(f);
            let s = if i == 0 {
                s.trim_start_matches('\u{feff}').to_string()
            } else {
                s.to_string()
            };
            s.trim().to_string()
        })
        .collect();
    let wide_found = skus.iter().any(|s| header.contains(&s.gp_column));
    let (product, gross_profit) = (
        find(&header, &aliases.product),
        find(&header, &aliases.gross_profit),
    );
    let is_long = match shape {
        Shape::Long => true,
        Shape::Wide => false,
        Shape::Auto => !wide_found && product.is_some() && gross_profit.is_some(),
    };
    // A header written twice: the reader would take the first and silently drop the other.
    // Blocking when the column feeds the star (which one holds the GP is unknowable),
    // a warning otherwise.
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() || header[..i].contains(h) {
            continue;
        }
        let at: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, x)| *x == h)
            .map(|(j, _)| j + 1)
            .collect();
        if at.len() < 2 {
            continue;
        }
        let used = skus.iter().any(|s| s.gp_column == *h || s.qty_column == *h)
            || [
                &aliases.customer_id,
                &aliases.order_date,
                &aliases.division,
                &aliases.customer_name,
                &aliases.invoice_id,
                &aliases.line_id,
            ]
            .iter()
            .any(|names| names.contains(h))
            || is_long
                && [&aliases.product, &aliases.gross_profit, &aliases.quantity]
                    .iter()
                    .any(|names| names.contains(h));
        vio.push(
            "duplicate_column",
            if used {
                Severity::Blocking
            } else {
                Severity::Warning
            },
            Some(1),
            h,
            "",
            format!(
                "header `{h}` appears {} times (columns {}){}",
                at.len(),
                at.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if used {
                    ": which one holds the data is ambiguous; rename or remove the extra column"
                } else {
                    ": the column is not loaded, so only reported"
                }
            ),
        );
    }
    let mut ok = true;
    let mut required = |names: &[String], canonical: &str| {
        let found = find(&header, names);
        if found.is_none() {
            ok = false;
            vio.push(
                "missing_required_column",
                Severity::Blocking,
                Some(1),
                canonical,
                "",
                format!(
                    "no column for `{canonical}` (accepted headers: {}){}",
                    names.join(", "),
                    if header.len() == 1 && delimiter == b',' { "; the file has a single column: is it delimited by something other than `,`, `;` or a tab?" } else { "" }
                ),
            );
        }
        found.unwrap_or(0)
    };
    let customer_id = required(&aliases.customer_id, "customer_id");
    let order_date = required(&aliases.order_date, "order_date");
    // A long log needs its product and GP columns; so does a log with a product column and none
    // of the map's columns, which would otherwise load no sales at all.
    let needs_long = is_long || (shape == Shape::Auto && !wide_found && product.is_some());
    for (canonical, names, found) in [
        ("product", &aliases.product, product),
        ("gross_profit", &aliases.gross_profit, gross_profit),
    ] {
        if needs_long && found.is_none() {
            ok = false;
            vio.push(
                "missing_required_column",
                Severity::Blocking,
                Some(1),
                canonical,
                "",
                format!(
                    "a log of one row per product line needs a `{canonical}` column (accepted headers: {}){}",
                    names.join(", "),
                    match shape {
                        Shape::Auto => "; name yours in `aliases`, or set `shape: wide` if the log has a GP column per product",
                        _ => "; name yours in `aliases`",
                    }
                ),
            );
        }
    }
    // A column the user named for a long log that the log lacks blocks: the figure it corrects
    // would load uncorrected.
    for (canonical, names, without) in [
        ("cost", &aliases.cost, "GP is the `gross_profit` column less it, and without it every GP figure would be revenue; name the cost column in `aliases.cost`, or empty that list if the `gross_profit` column is GP"),
        ("discount", &aliases.discount, "each line's price times its quantity is taken this percentage off, and without it every line would count at its full price; name the discount column in `aliases.discount`, or empty that list if the log has none"),
        ("discount_amount", &aliases.discount_amount, "each line's value is taken this amount off, and without it every line would count at its full price; name the column in `aliases.discount_amount`, or empty that list if the log has none"),
        ("refunded_quantity", &aliases.refunded_quantity, "each line's value is taken the refunded share off, and without it refunded lines would count as sales; name the column in `aliases.refunded_quantity`, or empty that list if the log has none"),
        ("parent_line", &aliases.parent_line, "a line with it set is part of another line, and without it its quantity would count twice; name the column in `aliases.parent_line`, or empty that list if the log has none"),
    ] {
        if is_long && !names.is_empty() && find(&header, names).is_none() {
            ok = false;
            vio.push(
                "missing_required_column",
                Severity::Blocking,
                Some(1),
                canonical,
                "",
                format!(
                    "no column for `{canonical}` (accepted headers: {}): {without}",
                    names.join(", ")
                ),
            );
        }
    }
    let long = match (is_long, product, gross_profit) {
        (true, Some(product), Some(gross_profit)) => Some(Long {
            product,
            gross_profit,
            quantity: find(&header, &aliases.quantity),
            cost: find(&header, &aliases.cost),
            discount: find(&header, &aliases.discount),
            discount_amount: find(&header, &aliases.discount_amount),
            refunded_quantity: find(&header, &aliases.refunded_quantity),
            parent_line: find(&header, &aliases.parent_line),
            // `skumap::load` refuses a gp_column named twice, so each value has one SKU.
            sku_of: super::skumap::ProductIndex::new(skus.iter().map(|s| s.gp_column.as_str())),
            divisions: skus
                .iter()
                .map(|s| (division_key(&s.division), s.division.clone()))
                .collect(),
        }),
        _ => None,
    };
    let mut products = Vec::with_capacity(skus.len());
    let mut qty_owner = Vec::with_capacity(skus.len());
    for (i, s) in skus.iter().enumerate() {
        let gp = header.iter().position(|h| *h == s.gp_column);
        // A blank `qty_column`: the product has no quantity column (quantities read as zero).
        let qty = header
            .iter()
            .position(|h| !s.qty_column.is_empty() && *h == s.qty_column);
        if gp.is_none() && !is_long {
            vio.push(
                "missing_product_column",
                Severity::Warning,
                Some(1),
                &s.gp_column,
                "",
                format!(
                    "GP column `{}` is absent: SKU `{}` reads as zero",
                    s.gp_column, s.gp_column
                ),
            );
        }
        if qty.is_none()
            && !is_long
            && !s.qty_column.is_empty()
            && skus[..i].iter().all(|x| x.qty_column != s.qty_column)
        {
            vio.push(
                "missing_product_column",
                Severity::Warning,
                Some(1),
                &s.qty_column,
                "",
                format!(
                    "Qty column `{}` is absent: quantities read as zero",
                    s.qty_column
                ),
            );
        }
        products.push((gp, qty));
        // Products without a quantity column share none.
        qty_owner.push(if s.qty_column.is_empty() {
            i
        } else {
            skus.iter()
                .position(|x| x.qty_column == s.qty_column)
                .unwrap_or(i)
        });
    }
    // A column `X` with a sibling `X_Qty` looks like a product the SKU map does not know.
    for h in &header {
        let qty = format!("{h}_Qty");
        if header.contains(&qty) && !skus.iter().any(|s| s.gp_column == *h) {
            vio.push(
                "unmapped_product_column",
                Severity::Warning,
                Some(1),
                h,
                "",
                format!("`{h}` (with `{qty}`) looks like a product column but is not in the SKU map: its sales are not loaded"),
            );
        }
    }
    if !ok {
        return None;
    }
    Some(Layout {
        delimiter,
        credit: None,
        excluded: None,
        excluded_documents: None,
        decimal_comma: delimiter == b';',
        customer_id,
        order_date,
        division: find(&header, &aliases.division),
        customer_name: find(&header, &aliases.customer_name),
        invoice_id: find(&header, &aliases.invoice_id),
        line_id: find(&header, &aliases.line_id),
        header,
        products,
        qty_owner,
        long,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_division_is_known_in_any_case_spacing_or_as_init_renamed_it() {
        use super::division_key as k;
        // init wrote `R&B/Soul` as `R&B-Soul`; the next export writes it as before.
        for written in [
            "R&B/Soul",
            "r&b/soul",
            "R&B / Soul",
            "R&B/Soul ",
            "R&B-Soul",
        ] {
            assert_eq!(k(written), k("R&B-Soul"), "{written}");
        }
        assert_eq!(k("Musique  Classique"), k("Musique Classique"));
        assert_ne!(k("Software"), k("Hardware"));
    }
}
