//! Market-basket affinity, the whitespace signal its explanation prints ("buyers of its SKUs buy
//! X (lift a)"), counted as the labels count a purchase. Until 2026-12-07 whitespace took the
//! features' `affinity__lift_max` column, which counts any line in the division as buying it (a
//! fine model input): a customer of Consumables alone "bought" Hardware, and a credit alone
//! bought its division. Printed as a claim about buyers, that lift was false on some rows (an
//! auditor's "lift 1.1" was 0.96 counted as the labels count), and it ranked.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::purchases::{self, Rules};
use crate::stages::history::{Day, Txn};

/// A customer with a line in the window: its index, its (SKU, division) pairs there, and the
/// divisions it bought there.
type Held = (usize, BTreeSet<(u16, u16)>, Vec<u16>);

/// A SKU is rated once this many customers hold it in the window (the features' default).
const MIN_SUPPORT: usize = 10;

/// Per (customer, division) of `wanted`: the highest lift, over the SKUs the customer had a line
/// of in (`start`, cutoff] outside the division, of a purchase in the division in that window.
/// A lift is P(purchase | holds the SKU) / P(purchase) among customers with a line in the
/// window; a SKU of the division itself, or held by fewer than [`MIN_SUPPORT`], rates nothing.
pub(super) fn lifts(
    lines: &[&[Txn]],
    start: Day,
    rules: &Rules,
    wanted: &BTreeSet<(usize, u16)>,
) -> HashMap<(usize, u16), f64> {
    let divisions: BTreeSet<u16> = wanted.iter().map(|&(_, d)| d).collect();
    let held: Vec<Held> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let skus: BTreeSet<(u16, u16)> = l
                .iter()
                .filter(|t| t.day > start)
                .map(|t| (t.sku, t.division))
                .collect();
            (!skus.is_empty()).then(|| (i, skus, purchases::owned(l, start, rules)))
        })
        .collect();
    let active = held.len();
    let mut out = HashMap::new();
    for d in divisions {
        let buyers = held.iter().filter(|(_, _, p)| p.contains(&d)).count();
        if buyers == 0 || active == 0 {
            continue;
        }
        let base = buyers as f64 / active as f64;
        let own: BTreeSet<u16> = held
            .iter()
            .flat_map(|(_, s, _)| s.iter().filter(|(_, sd)| *sd == d).map(|(k, _)| *k))
            .collect();
        // Per SKU: customers holding it, and those of them who bought the division.
        let mut support: BTreeMap<u16, (usize, usize)> = BTreeMap::new();
        for (_, skus, bought) in &held {
            let skus: BTreeSet<u16> = skus
                .iter()
                .map(|(k, _)| *k)
                .filter(|k| !own.contains(k))
                .collect();
            for k in skus {
                let e = support.entry(k).or_default();
                e.0 += 1;
                e.1 += usize::from(bought.contains(&d));
            }
        }
        let lift: BTreeMap<u16, f64> = support
            .into_iter()
            .filter(|(_, (sup, _))| *sup >= MIN_SUPPORT)
            .map(|(k, (sup, both))| (k, both as f64 / sup as f64 / base))
            .collect();
        for (i, skus, _) in &held {
            if !wanted.contains(&(*i, d)) {
                continue;
            }
            let best = skus
                .iter()
                .filter_map(|(k, _)| lift.get(k).copied())
                .reduce(f64::max);
            if let Some(best) = best {
                out.insert((*i, d), best);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::history::{CustomerInfo, History};

    #[test]
    fn a_buyer_is_counted_as_the_labels_count_one() {
        // SKUs: 0 printer (Hardware), 1 consumables (Hardware, denylisted), 2 CAD seat (CAD).
        let txn = |sku: u16, division: u16, gp: f64| Txn {
            day: 10,
            sku,
            division,
            gp,
            qty: if gp < 0.0 { -1.0 } else { 1.0 },
        };
        // 40 customers hold the CAD seat. 10 of them bought a printer, 10 more consumables
        // alone, 10 more a printer they returned whole; the last 10 nothing else. And 40
        // customers with consumables alone.
        let mut lines: Vec<Vec<Txn>> = Vec::new();
        for i in 0..40 {
            let mut l = vec![txn(2, 1, 500.0)];
            match i / 10 {
                0 => l.push(txn(0, 0, 900.0)),
                1 => l.push(txn(1, 0, 80.0)),
                2 => l.extend([txn(0, 0, 900.0), txn(0, 0, -900.0)]),
                _ => {}
            }
            lines.push(l);
        }
        lines.extend((0..40).map(|_| vec![txn(1, 0, 80.0)]));
        let h = History {
            customers: (0..80)
                .map(|i| CustomerInfo {
                    id: i.to_string(),
                    ..Default::default()
                })
                .collect(),
            lines: lines.clone(),
            skus: vec!["FDM".into(), "Consumables".into(), "SWX".into()],
            divisions: vec!["Hardware".into(), "CAD".into()],
            first_day: None,
            last_day: None,
        };
        let def = crate::stages::labels::Definition {
            window_months: 6,
            mode: crate::stages::labels::Mode::Expansion,
            gp_min_threshold: 0.0,
            purchase: crate::stages::labels::Purchase::Gp,
            denylisted_skus: ["Consumables".to_string()].into(),
        };
        let defs = [("Hardware".to_string(), def)].into_iter().collect();
        let rules = Rules::new(&h, &defs);
        let refs: Vec<&[Txn]> = lines.iter().map(Vec::as_slice).collect();
        let wanted: BTreeSet<(usize, u16)> = (30..40).map(|i| (i, 0)).collect();
        let got = lifts(&refs, 0, &rules, &wanted);
        // 10 buyers of 80 customers; 10 of the 40 CAD holders: lift (10/40) / (10/80) = 2.
        // Any line counted as buying, 70 of 80 "bought", 30 of 40 holders: lift 0.86.
        assert_eq!(got.len(), 10);
        for v in got.values() {
            assert!((v - 2.0).abs() < 1e-12, "{v}");
        }
    }
}
