//! The holdout file, profiled as the log's continuation: read with the log's products, and
//! checked against the log (its cost convention, its products' columns, its date order, where
//! it starts), each difference a note.

use super::profile::{self, Profile};
use super::{date_order_rule, holdout_date_order, Request};
use crate::stages::etl::parse::DateOrder;
use crate::stages::etl::skumap;

/// The holdout's profile, if `req` names one; `log` takes the holdout's date order when its own
/// dates cannot tell.
pub(super) fn profile_holdout(
    req: &Request,
    log: &mut Profile,
    notes: &mut Vec<String>,
) -> Result<Option<Profile>, String> {
    // The holdout is read with the log's products, so its pairs are the same SKUs.
    Ok(match &req.holdout {
        Some(h) => {
            let as_map: Vec<skumap::Sku> = log
                .products
                .iter()
                .map(|p| skumap::Sku {
                    gp_column: p.gp_column.clone(),
                    qty_column: p.qty_column.clone(),
                    division: String::new(),
                    family: String::new(),
                    sale_type: String::new(),
                    routes: Default::default(),
                })
                .collect();
            // A log read with each division as its product: the ETL reads the holdout's so too
            // (the `product` aliases start with the division's column), though the holdout may
            // have a column init would take for products.
            let as_log = match (&log.columns.product, &log.columns.division) {
                (Some(p), Some(d))
                    if p == d && !req.columns.iter().any(|(k, _)| k == "product") =>
                {
                    let mut given = req.columns.clone();
                    given.push(("product".into(), p.clone()));
                    profile::profile(h, Some(&as_map), &given).ok()
                }
                _ => None,
            };
            let mut hp = match as_log {
                Some(hp) => hp,
                None => profile::profile(h, Some(&as_map), &req.columns)?,
            };
            // Named as the holdout's: its parts may share names with the log's (`part-00001`).
            notes.extend(
                std::mem::take(&mut hp.part_notes)
                    .into_iter()
                    .map(|n| format!("holdout `{}`: {n}", h.display())),
            );
            // One stages/etl.yaml reads both: a holdout whose cost column the data show to be
            // the other kind (per unit / a line's total) would load wrong, in silence (a
            // tester's holdout GP came out -743,628 for +145,645).
            if let (Some(c), Some(hc)) = (&log.columns.cost, &hp.columns.cost) {
                if c == hc && log.cost_per_unit != hp.cost_per_unit {
                    let kind = |per_unit: bool| {
                        if per_unit {
                            "a cost per unit"
                        } else {
                            "each line's total cost"
                        }
                    };
                    notes.push(format!(
                        "WARNING: the log's `{c}` reads as {}, the holdout's as {}: one stages/etl.yaml (`cost_per_unit: {}`) reads both as the log's, so the holdout's GP, and the validation labels, are wrong if the holdout is written the other way; export both alike",
                        kind(log.cost_per_unit),
                        kind(hp.cost_per_unit),
                        log.cost_per_unit
                    ));
                }
            }
            // A long log's products are values, not columns: the holdout need not name them all.
            let wide = log.shape == profile::Shape::Wide;
            let missing: Vec<&str> = log
                .products
                .iter()
                .filter(|p| wide && !hp.header.contains(&p.gp_column))
                .map(|p| p.gp_column.as_str())
                .collect();
            if !missing.is_empty() {
                notes.push(format!(
                    "the holdout has no column for {} of the log's products ({}): they read as zero there",
                    missing.len(),
                    missing.iter().take(5).map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            // The log's dates may not tell (ISO): one stage params file reads both, so the
            // holdout's day-first dates decide.
            if log.date_order_evidence.0 == 0
                && hp.date_order == DateOrder::Dmy
                && hp.date_order_evidence.0 > 0
            {
                log.date_order = DateOrder::Dmy;
                log.date_order_evidence = hp.date_order_evidence;
                notes.push(
                    "the log's dates do not say which comes first, day or month; the holdout's read day first, so both are read day first (stages/etl.yaml `date_order`)".to_string(),
                );
            }
            // A holdout folder's parts are judged one by one, as the log's are.
            for (k, n) in &hp.other_order_parts {
                notes.push(format!(
                    "the holdout's `{}` writes its dates {}: {n} of them read only that way, none the other; the run reads it as written",
                    hp.parts.get(*k).map_or("", String::as_str),
                    hp.date_order.other().words()
                ));
            }
            if holdout_date_order(log, &hp).is_some() {
                notes.push(format!(
                    "the holdout's dates read {} but the log's {}: each file is read its own way (pipeline.yaml `holdout_star` params `date_order`)",
                    date_order_rule(&hp),
                    date_order_rule(log)
                ));
            }
            if hp.first_date <= log.last_date {
                // Counted: a tester's 20 stray rows of the log on the holdout's first day
                // left that day's 620 holdout rows out of validation, and the note said no more
                // than the dates.
                let log_rows: u64 = log.per_day.range(hp.first_date..).map(|(_, n)| n).sum();
                let lost: u64 = hp.per_day.range(..=log.last_date).map(|(_, n)| n).sum();
                // Not "score earlier": the last training cutoff's label window runs to the
                // log's end, so an earlier `score_cutoff` overlaps it and nothing is validated
                // (a tester followed that advice).
                let before = hp.first_date.pred_opt().unwrap_or(hp.first_date);
                // A holdout exported from an earlier day repeats the log's rows of those days:
                // as many rows each day. Then nothing is to be moved: validation counts only
                // rows after the log's end, and the log keeps its own (a tester told to cut
                // the log would have thrown away a month of training).
                let copies = hp
                    .per_day
                    .range(..=log.last_date)
                    .all(|(d, n)| log.per_day.get(d) == Some(n))
                    && log
                        .per_day
                        .range(hp.first_date..)
                        .all(|(d, n)| hp.per_day.get(d) == Some(n));
                if copies {
                    notes.push(format!(
                        "the holdout starts {} but the sales log runs to {}: its {lost} rows dated up to {} are as many, day by day, as the log's own (an export from an earlier day, repeating them): validation counts holdout rows after {} only, so nothing is counted twice, and nothing needs moving",
                        hp.first_date, log.last_date, log.last_date, log.last_date
                    ));
                } else {
                    notes.push(format!(
                    "the holdout starts {} but the sales log runs to {} ({log_rows} of its rows are dated from {} on): validation labels count holdout rows after {} only, so {lost} holdout rows dated up to {} are not counted; if the log's last rows belong to the holdout, move them there (or cut the log after {before}) and run init again",
                    hp.first_date, log.last_date, hp.first_date, log.last_date, log.last_date
                ));
                }
            }
            Some(hp)
        }
        None => None,
    })
}
