//! The SKU map `init` writes: the user's own, with canonical headers, or one proposed from the
//! log's products, each in a division a partition can be named after.

use super::*;
use std::collections::BTreeMap;

/// One proposed SKU map line.
#[derive(Debug, Clone, Serialize)]
pub struct SkuLine {
    pub gp_column: String,
    pub qty_column: String,
    pub division: String,
    pub rows: u64,
    /// (a row's division value, the division its lines go to) for a long log's product booked
    /// to several divisions: each line stays in the division its row names.
    pub routes: Vec<(String, String)>,
    /// The rows those routes move out of `division`.
    pub routed_rows: u64,
}

/// A product's name as a division's: its GP column without the GP suffix (`Paper GP` is
/// `Paper`), as the division of a product alone.
fn product_name(gp_column: &str) -> String {
    profile::GP_SUFFIXES
        .iter()
        .find_map(|s| gp_column.strip_suffix(s))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(gp_column)
        .trim()
        .to_string()
}

/// Products grouped by their code's prefix (`HAR` of `HAR-000 GP`, `SOF` of `SOF_12`), for a
/// log with no division column and many products (over twelve): a division apiece would be a
/// model apiece, most with too few buyers, and product codes are most often prefixed by their
/// line. Only when every product has a prefix and the groups average two products or more.
fn code_prefixes(products: &[profile::Product]) -> Option<Vec<(String, Vec<String>)>> {
    if products.len() <= 12 {
        return None;
    }
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for p in products {
        let name = product_name(&p.gp_column);
        let at = name.find(['-', '_', ' ', '.', '/'])?;
        let prefix = &name[..at];
        if prefix.is_empty() || at + 1 >= name.len() || !prefix.chars().any(char::is_alphabetic) {
            return None;
        }
        match groups.iter_mut().find(|g| g.0 == prefix) {
            Some(g) => g.1.push(p.gp_column.clone()),
            None => groups.push((prefix.to_string(), vec![p.gp_column.clone()])),
        }
    }
    (groups.len() >= 2 && groups.len() * 2 <= products.len()).then_some(groups)
}

/// Products grouped by the category they are written under (`Landscaping` of
/// `Landscaping:Gardening`), as QuickBooks names a sub-item after its parent, for a log with no
/// division column: half the products or more so written, and a category holding two or more.
/// The others stay divisions of their own.
fn categories(products: &[profile::Product]) -> Option<Vec<(String, Vec<String>)>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut under = 0;
    for p in products {
        let name = product_name(&p.gp_column);
        let Some((category, item)) = name.split_once(':') else {
            continue;
        };
        let category = category.trim();
        if category.is_empty() || item.trim().is_empty() {
            continue;
        }
        under += 1;
        match groups.iter_mut().find(|g| g.0 == category) {
            Some(g) => g.1.push(p.gp_column.clone()),
            None => groups.push((category.to_string(), vec![p.gp_column.clone()])),
        }
    }
    (under >= 2 && under * 2 >= products.len() && groups.len() < under).then_some(groups)
}

/// The division init proposes for every product the log never sold.
pub const UNSOLD: &str = "No sales in the log";

/// The division of products no sale (or no product master's row) gives one: one division for
/// them all, not one each (Olist's 111 products without a category were 111 divisions).
pub const UNCATEGORISED: &str = crate::stages::etl::skumap::UNCATEGORISED;

/// The map's CSV text, the lines proposed (none for a given map), and the rule that placed
/// them.
pub(super) type Proposal = (Vec<u8>, Option<Vec<SkuLine>>, String);

/// The SKU map init writes: the user's given map with canonical headers, or one proposed from
/// the log's products (each in the division most of its rows name, a long log's lines routed to
/// the division their row names).
pub(super) fn propose(
    req: &Request,
    log: &profile::Profile,
    given_map: Option<&[skumap::Sku]>,
    notes: &mut Vec<String>,
) -> Result<Proposal, String> {
    Ok(match (&req.sku_map, &given_map) {
        (Some(path), Some(skus)) => (
            canonical_map(skus)?,
            None,
            match skumap::key_headers(path) {
                Some((g, d)) if g != "gp_column" || d != "division" => format!(
                    "as given in `{}`: products from its `{g}` column, divisions from its `{d}` column",
                    path.display()
                ),
                _ => format!("as given in `{}`", path.display()),
            },
        ),
        _ => {
            let by_category = match &log.columns.division {
                Some(_) => None,
                None => categories(&log.products),
            };
            let prefixes = match &log.columns.division {
                Some(_) => None,
                None => by_category.clone().or_else(|| code_prefixes(&log.products)),
            };
            let rule = match (&log.columns.division, &prefixes) {
                (Some(col), _) => format!("the `{col}` value on most of the product's rows"),
                (None, Some(groups)) if by_category.is_some() => format!(
                    "no division column: products written under a category (`Category:Item`) grouped by it ({} categories: {}), the others each its own; edit the `division` column to group them otherwise",
                    groups.len(),
                    few(groups.iter().map(|(p, _)| p), 6)
                ),
                (None, Some(groups)) => format!(
                    "no division column: products grouped by their code's prefix ({} divisions: {}); edit the `division` column to group them otherwise",
                    groups.len(),
                    few(groups.iter().map(|(p, _)| p), 6)
                ),
                (None, None) => "no division column: each product is its own division (group them by editing the `division` column)".to_string(),
            };
            let mut charges: Vec<String> = Vec::new();
            let mut unsold: Vec<String> = Vec::new();
            let mut split: Vec<String> = Vec::new();
            let mut undivided: Vec<String> = Vec::new();
            let lines: Vec<SkuLine> = log
                .products
                .iter()
                .map(|p| {
                    let division = match &p.majority_division {
                        Some((d, share)) => {
                            if *share < 0.5 {
                                split.push(format!(
                                    "`{}`: only {:.0}% of its rows are in `{d}`",
                                    p.gp_column,
                                    share * 100.0
                                ));
                            }
                            d.clone()
                        }
                        None => {
                            if p.rows == 0 {
                                // One division for them all: one each would be a division
                                // apiece to label, featurise and skip (159 of them in a log
                                // of 200 product columns, forty times the run).
                                unsold.push(p.gp_column.clone());
                                return SkuLine {
                                    gp_column: p.gp_column.clone(),
                                    qty_column: p.qty_column.clone(),
                                    division: UNSOLD.to_string(),
                                    rows: 0,
                                    routes: Vec::new(),
                                    routed_rows: 0,
                                };
                            } else if log.columns.division.is_some()
                                && (is_charge(&p.gp_column)
                                    || (log.columns.quantity.is_some() && p.quantity_rows == 0))
                            {
                                // A product no line gives a division or a quantity is a tax
                                // or a shipping method (NetSuite's `CA-SAN FRANCISCO` and `UPS
                                // Ground` lines: each its own division, scored, in a trial).
                                charges.push(p.gp_column.clone());
                            } else if log.columns.division.is_some() {
                                undivided.push(p.gp_column.clone());
                                return SkuLine {
                                    gp_column: p.gp_column.clone(),
                                    qty_column: p.qty_column.clone(),
                                    division: UNCATEGORISED.to_string(),
                                    rows: p.rows,
                                    routes: Vec::new(),
                                    routed_rows: 0,
                                };
                            }
                            match prefixes.as_ref().and_then(|g| {
                                g.iter().find(|(_, members)| members.contains(&p.gp_column))
                            }) {
                                Some((prefix, _)) => prefix.clone(),
                                None => product_name(&p.gp_column),
                            }
                        }
                    };
                    // A line of a long log is one sale, booked by the business to the
                    // division its row names (a service sold on a hardware deal): it goes there,
                    // not to the product's usual division, when that is a division too. A wide
                    // row's division is the row's, not each product column's: not routed.
                    let routes = if log.shape == profile::Shape::Long {
                        p.other_divisions.iter().map(|(d, _)| (d.clone(), d.clone())).collect()
                    } else {
                        Vec::new()
                    };
                    SkuLine {
                        gp_column: p.gp_column.clone(),
                        qty_column: p.qty_column.clone(),
                        division,
                        rows: p.rows,
                        routes,
                        routed_rows: 0,
                    }
                })
                .collect();
            // One note a product while they are few; a log whose division column is no
            // product's (a region's, a sales rep's) would print one for most products.
            if split.len() <= 5 {
                notes.extend(
                    split
                        .iter()
                        .map(|s| format!("{s}: check its division in stages/sku_map.csv")),
                );
            } else {
                notes.push(format!(
                    "{} products have under half their rows in their division ({}; ...): check their divisions in stages/sku_map.csv, and that `{}` groups products",
                    split.len(),
                    split[..3].join("; "),
                    log.columns.division.as_deref().unwrap_or("division")
                ));
            }
            if !undivided.is_empty() {
                notes.push(format!(
                    "{} product(s) have no sales with a division value ({}): they share the division `{UNCATEGORISED}`; give each its own in stages/sku_map.csv",
                    undivided.len(),
                    few(&undivided, 5)
                ));
            }
            if !unsold.is_empty() {
                notes.push(format!(
                    "{} product(s) have no sales in the log ({}): they share the division `{UNSOLD}` in stages/sku_map.csv, whose model is skipped until it has buyers; give each its real division there",
                    unsold.len(),
                    few(&unsold, 5)
                ));
            }
            let mut lines = lines;
            // A wide row's division is the row's, not each product column's: long logs only.
            if log.shape == profile::Shape::Long {
                promote_divisions(&mut lines, &log.products, notes);
            }
            let lines = one_spelling(lines, notes);
            let mut lines = partition_safe(lines, notes);
            route_lines(&mut lines, &log.products, notes);
            // Freight and discount lines no row gives a division are charges, not products a
            // customer buys: a division of their own had a model and topped whitespace lists.
            if !charges.is_empty() {
                lines.retain(|l| !charges.contains(&l.gp_column));
                notes.push(format!(
                    "{} look{} like charges (a tax, shipping or a fee: named so, or on no line with a quantity), not products, and no row gives {} a division: left out of stages/sku_map.csv (their lines are reported as `unmapped_product`); to load them, add them there with a division",
                    few(&charges, usize::MAX),
                    if charges.len() == 1 { "s" } else { "" },
                    if charges.len() == 1 { "it" } else { "them" },
                ));
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            let io = |e: csv::Error| e.to_string();
            w.write_record(skumap::HEADER).map_err(io)?;
            for l in &lines {
                let routes: Vec<String> =
                    l.routes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                w.write_record([
                    &l.gp_column,
                    &l.qty_column,
                    &l.division,
                    &l.division,
                    "",
                    &routes.join(";"),
                ])
                .map_err(io)?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            (bytes, Some(lines), rule)
        }
    })
}

/// Divisions written alike but for case and punctuation (`Networking`, `networking`; `R&D`,
/// `R and D`) are one, spelled as most of their rows spell it: two, they would split one
/// business line, and their feature columns, named by [`crate::stages::features::matrix::key`],
/// would collide. Each merge is a note.
fn one_spelling(mut lines: Vec<SkuLine>, notes: &mut Vec<String>) -> Vec<SkuLine> {
    use crate::stages::features::matrix::key;
    let mut rows: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for l in &lines {
        *rows
            .entry(key(&l.division))
            .or_default()
            .entry(l.division.clone())
            .or_default() += l.rows;
        for (_, to) in &l.routes {
            rows.entry(key(to))
                .or_default()
                .entry(to.clone())
                .or_default();
        }
    }
    let mut rename: BTreeMap<String, String> = BTreeMap::new();
    for spellings in rows.values().filter(|s| s.len() > 1) {
        let (best, _) = spellings
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .expect("spellings");
        let others: Vec<&String> = spellings.keys().filter(|d| *d != best).collect();
        notes.push(format!(
            "divisions {} and `{best}` differ only in case or punctuation: one division, `{best}` (as most of their rows write it); to keep them apart, name one otherwise in stages/sku_map.csv",
            others.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        ));
        for d in others {
            rename.insert(d.clone(), best.clone());
        }
    }
    if rename.is_empty() {
        return lines;
    }
    for l in &mut lines {
        if let Some(to) = rename.get(&l.division) {
            l.division = to.clone();
        }
        for (_, to) in &mut l.routes {
            if let Some(t) = rename.get(to) {
                *to = t.clone();
            }
        }
        // A route to the product's own division is none.
        let own = l.division.clone();
        l.routes.retain(|(_, to)| *to != own);
    }
    lines
}

/// The proposed lines with every division a partition value can be: the characters a directory
/// or an instance id cannot hold become `-` (`CAD/CAM` is `CAD-CAM`), a leading `.` goes, and a
/// name that would then collide with another division's gets a number. Each rename is a note.
pub(super) fn partition_safe(mut lines: Vec<SkuLine>, notes: &mut Vec<String>) -> Vec<SkuLine> {
    let originals: std::collections::BTreeSet<String> =
        lines.iter().map(|l| l.division.clone()).collect();
    let renamed = safe_names(&originals);
    for (d, name) in &renamed {
        notes.push(rename_note(d, name));
    }
    for l in &mut lines {
        if let Some(name) = renamed.get(&l.division) {
            l.division = name.clone();
        }
        for (_, to) in &mut l.routes {
            if let Some(name) = renamed.get(to) {
                *to = name.clone();
            }
        }
    }
    lines
}

/// The names of `originals` that no partition value can be, each with the name it takes: the
/// characters a directory or an instance id cannot hold become `-`, a leading `.` goes, and a
/// name that would then collide with another gets a number.
pub(super) fn safe_names(
    originals: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeMap<String, String> {
    let fits = |d: &String| is_partition_value(d) && d.len() <= LONGEST_DIVISION;
    let mut taken: std::collections::BTreeSet<String> =
        originals.iter().filter(|d| fits(d)).cloned().collect();
    let mut renamed = std::collections::BTreeMap::new();
    for d in originals.iter().filter(|d| !fits(d)) {
        let cleaned: String = d
            .chars()
            .map(|c| {
                if matches!(c, '@' | '/' | '\\' | '{' | '}' | '*') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let trimmed = cleaned.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
        // Cut at a character's edge: a directory name holds 255 bytes at most, and a
        // partition's path adds its node's (a tester's 300-character category was refused by
        // `run` after init proposed it).
        let mut end = trimmed.len().min(LONGEST_DIVISION);
        while !trimmed.is_char_boundary(end) {
            end -= 1;
        }
        let base = match trimmed[..end].trim_end() {
            "" => "division".to_string(),
            b => b.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base} {n}");
            n += 1;
        }
        renamed.insert(d.clone(), name);
    }
    renamed
}

/// The longest division name init proposes, in bytes.
const LONGEST_DIVISION: usize = 100;

pub(super) fn rename_note(from: &str, to: &str) -> String {
    format!(
        "division `{from}` is `{to}` in stages/sku_map.csv: a division names directories and instance ids, which cannot hold `@`, `/`, `\\`, braces or `*`, start with `.`, or run past {LONGEST_DIVISION} bytes"
    )
}

/// A product's rows per division value: its usual division's and the others'.
fn rows_by_division(p: &profile::Product) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = p
        .majority_division
        .iter()
        .map(|(d, share)| (d.clone(), (share * p.rows as f64).round() as u64))
        .collect();
    out.extend(p.other_divisions.iter().cloned());
    out
}

/// A division no product is mostly sold in (services booked 60% to hardware deals, 40% to
/// Services) would have no partition, and its lines would all go to their products' usual
/// divisions: a trial's Services vanished that way, its 458 lines counted as Hardware's. A
/// division value of a long log's rows with 1% of its lines or more (and 25 at least) is made a
/// division: the product that sells most there is placed in it, its other lines routed as every
/// product's are, when that leaves the product's usual division another product.
fn promote_divisions(
    lines: &mut [SkuLine],
    products: &[profile::Product],
    notes: &mut Vec<String>,
) {
    let total: u64 = products.iter().map(|p| p.rows).sum();
    let mut divisions: std::collections::BTreeMap<String, usize> = Default::default();
    for l in lines.iter() {
        *divisions.entry(l.division.clone()).or_default() += 1;
    }
    let mut rows: std::collections::BTreeMap<&str, u64> = Default::default();
    for p in products {
        for (d, n) in &p.other_divisions {
            *rows.entry(d.as_str()).or_default() += n;
        }
    }
    let mut by_rows: Vec<(&str, u64)> = rows.into_iter().collect();
    by_rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    for (value, n) in by_rows {
        if divisions.contains_key(value) || n < 25 || 100 * n < total {
            continue;
        }
        // The product that sells most under `value` and whose usual division stays another's.
        let best = lines
            .iter()
            .zip(products)
            .enumerate()
            .filter(|(_, (l, _))| divisions.get(&l.division).is_some_and(|&k| k > 1))
            .filter_map(|(i, (_, p))| {
                let here = p.other_divisions.iter().find(|(d, _)| d == value)?.1;
                Some((i, here))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        let Some((i, here)) = best else { continue };
        let l = &mut lines[i];
        let usual = std::mem::replace(&mut l.division, value.to_string());
        *divisions.get_mut(&usual).expect("a line's division") -= 1;
        divisions.insert(value.to_string(), 1);
        l.routes.retain(|(k, _)| k != value);
        l.routes.push((usual.clone(), usual.clone()));
        notes.push(format!(
            "`{value}` is no product's usual division, but {n} lines name it: `{}` ({here} of them) is placed there, and its `{usual}` lines stay in `{usual}` (`division_routes`)",
            l.gp_column
        ));
    }
}

/// Keeps the routes of a long log's products that lead to a division of the map (a row value
/// no product is mostly sold under, a typo or a one-off, leaves its lines in the product's
/// division), counts the rows they move, and says so.
pub(super) fn route_lines(
    lines: &mut [SkuLine],
    products: &[profile::Product],
    notes: &mut Vec<String>,
) {
    let divisions: std::collections::BTreeSet<String> =
        lines.iter().map(|l| l.division.clone()).collect();
    let (mut moved, mut of, mut routed) = (0u64, 0u64, Vec::new());
    // Row values that are no division: their lines stay in their products' divisions.
    let mut unplaced: std::collections::BTreeMap<String, u64> = Default::default();
    for (l, p) in lines.iter_mut().zip(products) {
        l.routes
            .retain(|(_, to)| divisions.contains(to) && *to != l.division);
        l.routed_rows = rows_by_division(p)
            .iter()
            .filter(|(d, _)| l.routes.iter().any(|(k, _)| k == d))
            .map(|(_, n)| n)
            .sum();
        for (d, n) in &p.other_divisions {
            // A value that is a division of the map is no rare one (a wide row's division is
            // the row's, its product columns each in their own: not routed, not said).
            if !l.routes.iter().any(|(k, _)| k == d) && *d != l.division && !divisions.contains(d) {
                *unplaced.entry(d.clone()).or_default() += n;
            }
        }
        if l.routed_rows > 0 {
            moved += l.routed_rows;
            of += l.rows;
            routed.push(&l.gp_column);
        }
    }
    if !routed.is_empty() {
        notes.push(format!(
            "{} product(s) are booked to more than one division ({}): a line booked to a division of the map stays there ({moved} of their {of} lines are not in the product's usual division); `division_routes` in stages/sku_map.csv says where, empty it to put every line of a product in its `division`",
            routed.len(),
            few(&routed, 3)
        ));
    }
    if !unplaced.is_empty() {
        let n: u64 = unplaced.values().sum();
        notes.push(format!(
            "{n} lines name a division value too rare to be a division ({}): they go to their product's usual division",
            few(unplaced.keys(), 3)
        ));
    }
}

/// The user's map written with the canonical headers (`gp_column,qty_column,division,...`),
/// whatever its own were (`SKU,Family,Division`): the manifest's partitions read the
/// `division` column by that name. In composed Unicode (NFC), as the ETL reads the log's
/// cells: a division written with a combining accent in the user's file is the log's, and its
/// directories and target names are the ones a keyboard types.
pub(super) fn canonical_map(skus: &[skumap::Sku]) -> Result<Vec<u8>, String> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.nfc().collect::<String>();
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| format!("cannot write the SKU map: {e}");
    w.write_record(skumap::HEADER).map_err(io)?;
    for s in skus {
        let routes: Vec<String> = s.routes.iter().map(|(k, v)| format!("{k}={v}")).collect();
        w.write_record([
            nfc(&s.gp_column),
            nfc(&s.qty_column),
            nfc(&s.division),
            nfc(&s.family),
            nfc(&s.sale_type),
            nfc(&routes.join(";")),
        ])
        .map_err(io)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// Whether a product's name is a charge on an invoice rather than something sold: freight,
/// shipping, a discount, a fee, a tax.
fn is_charge(name: &str) -> bool {
    let n = crate::stages::etl::parts::column_key(name);
    [
        "freight",
        "shipping",
        "postage",
        "carriage",
        "handling",
        "delivery",
        "discount",
        "rebate",
        "surcharge",
        "fee",
        "tax",
        "vat",
        "deposit",
        "adjustment",
        "rounding",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Products of a log of lines that a given SKU map does not name: said by init (the run warns
/// of them as `unmapped_product`, but a user who reads init's summary alone lost a division: a
/// tester's map without Scanning, 8% of the GP).
pub(super) fn unmapped_note(log: &profile::Profile, map: &std::path::Path) -> Option<String> {
    let (lines, products) = (log.unmapped_lines, &log.unmapped_products);
    if lines == 0 {
        return None;
    }
    let named: Vec<String> = products
        .iter()
        .take(5)
        .map(|(p, n, g)| format!("`{p}` ({n} lines, GP {g:.2})"))
        .collect();
    let more = products.len().saturating_sub(5);
    // Past the first 1,000 products the scan stops naming them: the GP is then a floor.
    let capped = products.len() >= profile::UNMAPPED_NAMED;
    let gp: f64 = products.iter().map(|u| u.2).sum();
    let mapped_gp: f64 = log.products.iter().map(|p| p.gross_profit).sum();
    Some(format!(
        "{}{} product(s) of the log are not in `{}`: {}{}; {lines} lines, GP {}{gp:.2}{}, that no division will load (the run reports them as `unmapped_product`): add them to stages/sku_map.csv with a division",
        if capped { "at least " } else { "" },
        products.len(),
        map.display(),
        named.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() },
        if capped { "at least " } else { "" },
        if mapped_gp + gp > 0.0 && gp > 0.0 && !capped {
            format!(" ({:.1}% of the log's)", 100.0 * gp / (mapped_gp + gp))
        } else {
            String::new()
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_division_no_directory_can_be_named_is_renamed() {
        let long = "é".repeat(150);
        let originals: std::collections::BTreeSet<String> =
            ["Meat/Poultry", "Meat-Poultry", ".hidden", long.as_str()]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let renamed = safe_names(&originals);
        assert_eq!(renamed["Meat/Poultry"], "Meat-Poultry 2");
        assert_eq!(renamed[".hidden"], "hidden");
        // 150 two-byte characters: cut to 50, at a character's edge.
        assert_eq!(renamed[&long], "é".repeat(50));
        assert!(!renamed.contains_key("Meat-Poultry"));
    }

    #[test]
    fn divisions_written_alike_but_for_case_and_punctuation_are_one() {
        let line = |p: &str, d: &str, rows: u64, routes: Vec<(&str, &str)>| SkuLine {
            gp_column: p.into(),
            qty_column: String::new(),
            division: d.into(),
            rows,
            routes: routes
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            routed_rows: 0,
        };
        let mut notes = Vec::new();
        let lines = one_spelling(
            vec![
                line("A", "Hardware", 90, vec![("networking", "networking")]),
                line("B", "HARDWARE", 10, vec![]),
                line("C", "R&D", 5, vec![]),
                line("D", "R and D", 7, vec![]),
                line("E", "Networking", 50, vec![]),
                line("F", "networking", 3, vec![]),
            ],
            &mut notes,
        );
        let got: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l.gp_column.as_str(), l.division.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("A", "Hardware"),
                ("B", "Hardware"),
                ("C", "R and D"),
                ("D", "R and D"),
                ("E", "Networking"),
                ("F", "Networking")
            ]
        );
        // The route now goes to the merged division's spelling.
        assert_eq!(
            lines[0].routes,
            [("networking".to_string(), "Networking".to_string())]
        );
        assert_eq!(notes.len(), 3, "{notes:?}");
    }
}
