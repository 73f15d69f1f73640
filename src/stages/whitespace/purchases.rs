//! What counts as a purchase in a division, for ownership and for `expected_value`'s base: the
//! labels' definition (net GP of the division's lines, denylisted SKUs removed, rounded to the
//! cent, above `gp_min_threshold`), read from the label definition each division's model was
//! trained with. Counted any other way, the ranking disagreed with the models: 66 customers
//! "owned" Hardware through Consumables alone, which the labels leave out, and the Consumables
//! lines of new Hardware buyers pulled the division's base to a fifth of their first purchases.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::stages::history::{Day, History, Txn};
use crate::stages::labels::{Amount, Definition, Purchase};
use crate::stages::StageContext;

/// One division's purchase rule.
#[derive(Debug, Clone, Default)]
struct Rule {
    denied: HashSet<u16>,
    threshold: f64,
    purchase: Purchase,
}

/// The purchase rule of every division with a label definition; other divisions count every
/// line and a net GP above 0.
#[derive(Debug, Default)]
pub(super) struct Rules {
    by_division: HashMap<u16, Rule>,
    fallback: Rule,
}

impl Rules {
    pub(super) fn new(h: &History, defs: &BTreeMap<String, Definition>) -> Rules {
        let by_division = defs
            .iter()
            .filter_map(|(div, def)| {
                let d = h.division_index(div)?;
                let denied = def
                    .denylisted_skus
                    .iter()
                    .filter_map(|s| h.sku_index(s))
                    .collect();
                Some((
                    d,
                    Rule {
                        denied,
                        threshold: def.purchase.threshold(def.gp_min_threshold),
                        purchase: def.purchase,
                    },
                ))
            })
            .collect();
        Rules {
            by_division,
            fallback: Rule::default(),
        }
    }

    fn rule(&self, division: u16) -> &Rule {
        self.by_division.get(&division).unwrap_or(&self.fallback)
    }

    /// Whether the line counts towards its division's purchases.
    pub(super) fn counts(&self, t: &Txn) -> bool {
        !self.rule(t.division).denied.contains(&t.sku)
    }

    /// What a division's purchases net (GP, or quantity).
    pub(super) fn purchase(&self, division: u16) -> Purchase {
        self.rule(division).purchase
    }

    /// Whether lines netted in the division are a purchase, as the labels count one.
    pub(super) fn is_purchase(&self, division: u16, net: &Amount) -> bool {
        let r = self.rule(division);
        net.value(r.purchase) > r.threshold
    }
}

/// The divisions a customer's lines own: those whose net GP over the lines after `since` is a
/// purchase. A sale returned whole, a credit alone, a free item, a loss leader or a denylisted
/// SKU owns nothing, and the division stays an opportunity.
pub(super) fn owned(lines: &[Txn], since: Day, rules: &Rules) -> Vec<u16> {
    let mut net: BTreeMap<u16, Amount> = BTreeMap::new();
    for t in &window(lines, since, rules) {
        net.entry(t.division).or_default().add(t);
    }
    net.into_iter()
        .filter(|(d, a)| rules.is_purchase(*d, a))
        .map(|(d, _)| d)
        .collect()
}

/// A customer's counted lines dated after `since`, less the part of each return among them
/// that takes back a sale made on or before `since`: a return is matched to the latest sales
/// of its SKU before it, by GP. Netted with the window's own lines, the return of a 2022 sale
/// in 2023 undid a 2024 purchase kept: a tester's rank-1 whitespace row was a customer who had
/// kept 2,896 of Solidworks, said to have "returned as much".
pub(super) fn window(lines: &[Txn], since: Day, rules: &Rules) -> Vec<Txn> {
    // Each SKU's sales not yet taken back, latest last: (day, GP left).
    let mut kept: HashMap<(u16, u16), Vec<(Day, f64)>> = HashMap::new();
    let mut out = Vec::new();
    for t in lines.iter().filter(|t| rules.counts(t)) {
        let sales = kept.entry((t.division, t.sku)).or_default();
        let is_return = t.qty < 0.0 || (t.qty == 0.0 && t.gp < 0.0);
        if !is_return || t.gp >= 0.0 {
            if t.gp > 0.0 {
                sales.push((t.day, t.gp));
            }
            if t.day > since {
                out.push(*t);
            }
            continue;
        }
        let (mut left, mut of_before) = (-t.gp, 0.0);
        while left > 0.0 {
            let Some(last) = sales.last_mut() else { break };
            let take = left.min(last.1);
            left -= take;
            last.1 -= take;
            if last.0 <= since {
                of_before += take;
            }
            if last.1 <= 0.0 {
                sales.pop();
            }
        }
        let share = 1.0 - of_before / -t.gp;
        if t.day > since && share > 1e-9 {
            out.push(Txn {
                gp: t.gp * share,
                qty: t.qty * share,
                ..*t
            });
        }
    }
    out
}

/// The first purchases of a customer new to a division after `since`: per division whose first
/// counted line is dated after `since`, the net GP of that first day, when it is a purchase.
/// A customer with an earlier line in the division is no new buyer (as the labels' cohorts
/// have it), and one whose first day nets nothing bought nothing that day.
fn first_purchases(lines: &[Txn], since: Day, rules: &Rules) -> Vec<(u16, f64)> {
    // Lines are sorted by date: the first day seen is the first day.
    // Each division's first day, and its lines netted.
    let mut first: BTreeMap<u16, (Day, Amount)> = BTreeMap::new();
    for t in lines.iter().filter(|t| rules.counts(t)) {
        let e = first
            .entry(t.division)
            .or_insert((t.day, Amount::default()));
        if e.0 == t.day {
            e.1.add(t);
        }
    }
    first
        .into_iter()
        .filter(|(d, (day, a))| *day > since && rules.is_purchase(*d, a))
        .map(|(d, (_, a))| (d, a.gp()))
        .collect()
}

/// `expected_value`'s base in one division: the median first purchase of its new buyers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Base {
    pub median: f64,
    pub buyers: usize,
}

/// Every division's [`Base`] over customers' lines (each to the scoring cutoff), new buyers
/// being those whose first counted line in the division is dated after `since`.
pub(super) fn bases(lines: &[&[Txn]], since: Day, rules: &Rules) -> HashMap<u16, Base> {
    let mut firsts: HashMap<u16, Vec<f64>> = HashMap::new();
    for l in lines {
        for (d, gp) in first_purchases(l, since, rules) {
            firsts.entry(d).or_default().push(gp);
        }
    }
    firsts
        .into_iter()
        .map(|(d, v)| {
            let base = Base {
                median: median(v.clone()),
                buyers: v.len(),
            };
            (d, base)
        })
        .collect()
}

/// The median (the mean of the middle two of an even count), to the cent; 0 for none.
fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (m * 100.0).round() / 100.0
}

/// The label definition of each division's model, by division, from the nodes filling the role
/// `train`; `None` when nothing fills it (a manifest written before whitespace read it).
pub(super) fn definitions(
    ctx: &StageContext,
) -> Result<Option<BTreeMap<String, Definition>>, String> {
    if ctx.upstream("train").is_empty() {
        return Ok(None);
    }
    crate::stages::score::trained_models(ctx)
        .into_iter()
        .map(|(division, dir)| Ok((division, Definition::load(&dir)?)))
        .collect::<Result<_, String>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::fixture::d;
    use crate::stages::history::{day, CustomerInfo, RawLine};
    use crate::stages::labels::{window_net, Mode};

    fn def(deny: &[&str], threshold: f64) -> Definition {
        Definition {
            window_months: 6,
            mode: Mode::Expansion,
            gp_min_threshold: threshold,
            purchase: Purchase::Gp,
            denylisted_skus: deny.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Hardware buyers, one of them of Consumables alone (customer 100251 on the default data:
    /// one line of 1,426.87), and a CAD buyer.
    fn history() -> History {
        let l = |c: &str, date: &str, sku: &str, div: &str, gp: f64| RawLine {
            customer_id: c.into(),
            day: day(d(date)),
            sku: sku.into(),
            division: div.into(),
            gp,
            qty: 1.0,
        };
        let lines = vec![
            l(
                "consumables_only",
                "2023-02-08",
                "Consumables",
                "Hardware",
                1426.87,
            ),
            // First day: a printer and its supplies; then more supplies.
            l("printer", "2023-05-02", "FDM", "Hardware", 5200.0),
            l("printer", "2023-05-02", "Consumables", "Hardware", 300.0),
            l("printer", "2023-09-01", "Consumables", "Hardware", 250.0),
            // Supplies first (they do not count), the printer a month later: its first purchase.
            l("late", "2023-06-01", "Consumables", "Hardware", 90.0),
            l("late", "2023-07-03", "SLA", "Hardware", 4000.0),
            l("late", "2023-07-03", "SLA", "Hardware", -1000.0),
            // A Hardware buyer before the window: owns it, but is no new buyer.
            l("old", "2021-03-01", "FDM", "Hardware", 7000.0),
            l("old", "2024-01-10", "FDM", "Hardware", 800.0),
            // A first day netting nothing (a printer returned the same day) is no purchase.
            l("returned", "2024-02-01", "FDM", "Hardware", 3000.0),
            l("returned", "2024-02-01", "FDM", "Hardware", -3000.0),
            l("cad", "2023-03-01", "SWX", "CAD", 60.0),
        ];
        let customers = [
            "consumables_only",
            "printer",
            "late",
            "old",
            "returned",
            "cad",
        ]
        .map(|id| CustomerInfo {
            id: id.into(),
            ..Default::default()
        });
        History::from_lines(customers.to_vec(), lines)
    }

    fn defs() -> BTreeMap<String, Definition> {
        [
            ("Hardware".to_string(), def(&["Consumables"], 0.0)),
            ("CAD".to_string(), def(&[], 100.0)),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn ownership_is_the_labels_purchase_denylist_and_threshold_included() {
        let h = history();
        let (since, cutoff) = (d("2022-12-31"), d("2024-12-31"));
        let asof = h.as_of(cutoff);
        let rules = Rules::new(&h, &defs());
        // Owned exactly when the labels, over the ownership window, would call it a purchase.
        for (name, def) in defs() {
            let div = h.division_index(&name).unwrap();
            let gp: Vec<f64> = window_net(&h, &name, since, cutoff, &def.denylisted_skus)
                .iter()
                .map(|n| n.value(def.purchase))
                .collect();
            for (i, lines) in asof.lines.iter().enumerate() {
                let owns = owned(lines, day(since), &rules).contains(&div);
                assert_eq!(
                    owns,
                    gp[i] > def.gp_min_threshold,
                    "{name} {}",
                    h.customers[i].id
                );
            }
        }
        let owners = |rules: &Rules| -> Vec<&str> {
            (0..h.customers.len())
                .filter(|&i| !owned(asof.lines[i], day(since), rules).is_empty())
                .map(|i| h.customers[i].id.as_str())
                .collect()
        };
        // Consumables alone own nothing; 60 of CAD is under its threshold of 100.
        assert_eq!(owners(&rules), ["late", "old", "printer"]);
        // Every line counted, as before: both owned.
        assert_eq!(
            owners(&Rules::default()),
            ["cad", "consumables_only", "late", "old", "printer"]
        );
    }

    #[test]
    fn the_expected_value_base_is_the_median_first_day_of_new_buyers() {
        let h = history();
        let asof = h.as_of(d("2024-12-31"));
        let hardware = h.division_index("Hardware").unwrap();
        let since = day(d("2022-12-31"));
        let b = bases(&asof.lines, since, &Rules::new(&h, &defs()));
        // New Hardware buyers: `printer` (5,200 on its first day, supplies left out) and
        // `late` (3,000 net, its earlier supplies not a first purchase); `old` bought before
        // the window, `returned` netted nothing, `consumables_only` bought only supplies.
        assert_eq!(
            b[&hardware],
            Base {
                median: 4100.0,
                buyers: 2
            }
        );
        // CAD's one buyer is under the threshold: no base.
        assert!(!b.contains_key(&h.division_index("CAD").unwrap()));
        // Counting every line, the supplies were first purchases: 1,426.87, 5,500 and 90.
        let all = bases(&asof.lines, since, &Rules::default());
        assert_eq!(
            all[&hardware],
            Base {
                median: 1426.87,
                buyers: 3
            }
        );
        // A window that starts later leaves the 2023 buyers out.
        assert!(
            !bases(&asof.lines, day(d("2023-12-31")), &Rules::new(&h, &defs()))
                .contains_key(&hardware)
        );
    }

    #[test]
    fn a_return_of_a_sale_before_the_window_does_not_undo_a_purchase_in_it() {
        let t = |date: &str, sku: u16, gp: f64, qty: f64| Txn {
            day: day(d(date)),
            sku,
            division: 0,
            gp,
            qty,
        };
        let since = day(d("2022-12-31"));
        let rules = Rules::default();
        // A tester's rank-1 row: a 2022 seat returned in 2023, a 2024 purchase kept.
        let kept = [
            t("2022-12-20", 0, 3000.05, 1.0),
            t("2023-01-27", 0, -3000.05, -1.0),
            t("2024-02-11", 1, 461.18, 1.0),
        ];
        assert_eq!(owned(&kept, since, &rules), vec![0]);
        assert_eq!(window(&kept, since, &rules).len(), 1);
        // A purchase in the window returned in it is none, an old sale kept or not.
        let undone = [
            t("2019-05-01", 0, 5000.0, 1.0),
            t("2024-01-10", 0, 1000.0, 1.0),
            t("2024-02-10", 0, -1000.0, -1.0),
        ];
        assert!(owned(&undone, since, &rules).is_empty());
        // A return larger than the window's sale of its SKU: the rest takes back the older
        // sale, and only the window's own part counts there.
        let larger = [
            t("2022-06-01", 0, 800.0, 2.0),
            t("2023-03-01", 0, 500.0, 1.0),
            t("2023-04-01", 0, -900.0, -2.0),
        ];
        let w = window(&larger, since, &rules);
        assert_eq!(w.len(), 2);
        assert!((w[1].gp + 500.0).abs() < 1e-9 && (w[1].qty + 500.0 / 900.0 * 2.0).abs() < 1e-9);
        assert!(owned(&larger, since, &rules).is_empty());
    }
}
