//! The one-line explanation of each whitespace pair: what the customer buys and since when (or,
//! when that is the division recommended, which it has stopped buying, when it last did), when
//! it last bought the division recommended if it ever did,
//! how many of its industry peers own the division (only when they do more than customers at
//! large, by the percentages printed), the market-basket lift when above 1, and the ICP probability and grade.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Datelike;

use super::purchases::{self, Rules};
use super::Pair;
use crate::stages::history::{self, History, Txn};
use crate::stages::labels::Amount;

/// Writes `explanation` for every pair. `lines` is each customer's history to the cutoff,
/// `owners` each division's owners in the ownership window, `rules` what counts as a purchase.
pub(super) fn explain(
    pairs: &mut [Pair],
    h: &History,
    lines: &[&[Txn]],
    cust_index: &HashMap<&str, usize>,
    owners: &HashMap<u16, BTreeSet<usize>>,
    (rules, owned_since): (&Rules, history::Day),
) {
    // Industry peers: customers per industry, and owners per (industry, division).
    // Customers known at the cutoff only (a line on or before it): with an earlier scoring
    // cutoff, customers who first bought later made a tester's printed rates, and 625 clauses.
    let mut industry_n: HashMap<&str, usize> = HashMap::new();
    let mut known = 0usize;
    for (c, l) in h.customers.iter().zip(lines) {
        if l.is_empty() {
            continue;
        }
        known += 1;
        if let Some(i) = c.industry.as_deref() {
            *industry_n.entry(i).or_default() += 1;
        }
    }
    let mut peer_owners: HashMap<(u16, &str), usize> = HashMap::new();
    for (&d, own) in owners {
        for &c in own {
            if let Some(i) = h.customers[c].industry.as_deref() {
                *peer_owners.entry((d, i)).or_default() += 1;
            }
        }
    }
    // One-line explanations.
    let mut windows: HashMap<usize, Vec<Txn>> = HashMap::new();
    for x in pairs.iter_mut() {
        let ci = cust_index.get(x.customer_id.as_str()).copied();
        // Bought in the ownership window, and returned as much: no owner, yet no lapsed buyer
        // (a tester's rank-1 row said "last bought" of a customer with four purchases there).
        let returned = ci.zip(h.division_index(&x.division)).and_then(|(ci, d)| {
            // Once per customer, not per pair (a customer has a pair per division it lacks).
            let window = windows
                .entry(ci)
                .or_insert_with(|| purchases::window(lines[ci], owned_since, rules));
            let window: Vec<&Txn> = window.iter().filter(|t| t.division == d).collect();
            let net = Amount::of(window.iter().copied());
            let last = window
                .iter()
                .filter(|t| is_sale(t))
                .map(|t| history::date(t.day).year())
                .max();
            last.filter(|_| net.value(rules.purchase(d)) <= 0.0)
                .map(|y| (y, rules.purchase(d).net(), why_no_purchase(&window)))
        });
        let (since, top_div, lapsed, industry) = match ci {
            Some(ci) => {
                let lines = lines[ci];
                let since = lines.first().map(|t| history::date(t.day).year());
                // Lifetime GP and the year of the last sale (a line of positive GP: a credit
                // dated later is no purchase), per division, denylisted SKUs left out as the
                // labels and ownership leave them out ("last bought Hardware in 2024" on a
                // Hardware row said a customer of supplies alone had bought it).
                // A sale is what nets to a purchase: GP, or quantity for a division whose
                // labels count units (a discounted sale at a loss is still a sale).
                let mut net: BTreeMap<u16, (Amount, Option<i32>)> = BTreeMap::new();
                for t in lines.iter().filter(|t| rules.counts(t)) {
                    let e = net.entry(t.division).or_default();
                    e.0.add(t);
                    if is_sale(t) {
                        e.1 = e.1.max(Some(history::date(t.day).year()));
                    }
                }
                let gp: BTreeMap<u16, (f64, Option<i32>)> = net
                    .into_iter()
                    .map(|(d, (a, last))| (d, (a.value(rules.purchase(d)), last)))
                    .collect();
                // The division it buys: the largest it owns now; else the largest it ever
                // bought, said as lapsed ("buys Scanning" was said of a customer whose one
                // Scanning sale was in 2021, beside "last bought Scanning in 2021").
                let largest = |owned_now: bool| {
                    gp.iter()
                        .filter(|(d, &(total, _))| {
                            total > 0.0
                                && owners.get(d).is_some_and(|o| o.contains(&ci)) == owned_now
                        })
                        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.0.cmp(a.0)))
                        .map(|(d, &(_, last))| (h.divisions[*d as usize].clone(), last, owned_now))
                };
                let top = largest(true).or_else(|| largest(false));
                // The recommended division bought before the ownership window: winning back a
                // lapsed buyer is another sale than a first one, and the rep should know.
                let lapsed = h
                    .division_index(&x.division)
                    .and_then(|d| gp.get(&d))
                    .filter(|&&(total, _)| total > 0.0)
                    .and_then(|&(_, last)| last);
                (since, top, lapsed, h.customers[ci].industry.clone())
            }
            None => (None, None, None, None),
        };
        let mut parts = Vec::new();
        if let (Some((d, last, owned_now)), Some(y)) = (top_div, since) {
            // What it buys now, or bought last.
            let buys = match (owned_now, last) {
                (false, Some(last)) => format!("last bought {d} in {last} (customer since {y})"),
                _ => format!("buys {d} (customer since {y})"),
            };
            // The division recommended is whitespace because the customer stopped buying it
            // (nothing in the ownership window): "buys" it would say the opposite.
            if let Some((year, net, but)) = returned {
                let bought = format!("bought {} in {year} but {but}", x.division);
                if d == x.division {
                    parts.push(format!("{bought} ({net} not above 0; customer since {y})"));
                } else {
                    parts.push(buys);
                    parts.push(format!("{bought} ({net} not above 0)"));
                }
            } else if d == x.division {
                parts.push(match last {
                    Some(last) => format!("last bought {d} in {last} (customer since {y})"),
                    None => format!("customer since {y}"),
                });
            } else {
                parts.push(buys);
                if let Some(last) = lapsed {
                    parts.push(format!("last bought {} in {last}", x.division));
                }
            }
        }
        // An industry claim only from industry data: the share of the customer's industry
        // peers who own the division, against the share of all customers.
        let d = h.division_index(&x.division);
        if let (Some(i), Some(d)) = (industry.as_deref(), d) {
            let peers = industry_n.get(i).copied().unwrap_or(0);
            let own = owners.get(&d);
            let peer_owners = peer_owners.get(&(d, i)).copied().unwrap_or(0);
            let rate = peer_owners as f64 / peers.max(1) as f64;
            let overall = own.map_or(0, BTreeSet::len) as f64 / known.max(1) as f64;
            // Compared as printed: "5% of peers (5% of all customers)" claims nothing.
            let (shown, all) = (percent(rate), percent(overall));
            if peers >= 10 && rate > overall && shown != all {
                parts.push(format!(
                    "{shown} of {i} peers own {} ({all} of all customers)",
                    x.division
                ));
            }
        }
        // Above 1 as printed: "lift 1.0" claims nothing.
        if let Some(a) = x
            .affinity
            .filter(|&a| format!("{a:.1}") != "1.0" && a > 1.0)
        {
            parts.push(format!(
                "buyers of its SKUs buy {} (lift {a:.1})",
                x.division
            ));
        }
        // `score` leaves the grade empty where the division's model ranks no better than
        // chance out of time: its p orders customers by noise, and a reader must know.
        parts.push(if x.icp_grade.is_empty() {
            format!(
                "p={} (no grade: the {} model is not shown to rank better than chance)",
                probability(x.p_icp),
                x.division
            )
        } else {
            format!("p={} (grade {})", probability(x.p_icp), x.icp_grade)
        });
        x.explanation = parts.join(", ");
    }
}

/// Why lines bought in the ownership window made no purchase, in words: "returned as much" only
/// where every unit came back (a tester's customer of eight orders, some at a loss, was told it
/// had returned them), else what happened: units returned, a credit without units, a sale at a
/// loss; with none of these, a free item or a sale at cost (the default log's GP-0 printers).
fn why_no_purchase(window: &[&Txn]) -> String {
    let units: f64 = window.iter().map(|t| t.qty).sum();
    let units_back = window.iter().any(|t| t.qty < 0.0);
    if units_back && units <= 0.0 {
        return "returned as much".into();
    }
    let mut why = Vec::new();
    if units_back {
        why.push("returned some");
    }
    if window.iter().any(|t| t.qty == 0.0 && t.gp < 0.0) {
        why.push("was credited");
    }
    if window.iter().any(|t| is_sale(t) && t.gp < 0.0) {
        why.push("sold at a loss");
    }
    if why.is_empty() {
        return "at no gross profit".into();
    }
    why.join(" and ")
}

/// Whether a line sold something: units out, or, without a quantity, GP in. A sale at a loss is
/// a sale ("last bought Hardware in 2021" was said of a customer whose 2021 sale came back and
/// who bought again at a loss in 2023).
fn is_sale(t: &Txn) -> bool {
    t.qty > 0.0 || (t.qty == 0.0 && t.gp > 0.0)
}

/// A share as the explanation prints it.
fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A probability as an explanation shows it: two decimals, a third below 0.01, and `<0.001`
/// below that (9,094 default rows said `p=0.00`, which reads as no chance at all).
fn probability(p: f64) -> String {
    if p >= 0.01 {
        format!("{p:.2}")
    } else if p >= 0.001 {
        format!("{p:.3}")
    } else {
        "<0.001".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::history::{day, CustomerInfo, Day};

    #[test]
    fn a_small_probability_is_shown_as_small_not_as_zero() {
        assert_eq!(probability(0.3351), "0.34");
        assert_eq!(probability(0.0042), "0.004");
        assert_eq!(probability(0.0002), "<0.001");
    }

    fn pair(division: &str) -> Pair {
        Pair {
            customer_id: "7".into(),
            customer_name: String::new(),
            division: division.into(),
            score: 0.5,
            p_icp: 0.25,
            affinity: None,
            als_similarity: None,
            expected_value: 0.0,
            rank_in_customer: 1,
            rank_in_division: 1,
            explanation: String::new(),
            icp_grade: "B".into(),
        }
    }

    /// The one customer's divisions owned since `since`, as `whitespace` finds them.
    fn owners_of(lines: &[Txn], since: Day, rules: &Rules) -> HashMap<u16, BTreeSet<usize>> {
        super::super::purchases::owned(lines, since, rules)
            .into_iter()
            .map(|d| (d, BTreeSet::from([0])))
            .collect()
    }

    #[test]
    fn a_lapsed_division_recommended_back_is_said_to_be_lapsed() {
        let d = |s: &str| day(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        // A credit gives units back.
        let txn = |s: &str, division: u16, gp: f64| Txn {
            day: d(s),
            sku: 0,
            division,
            gp,
            qty: gp.signum(),
        };
        // Printers bought big in 2019 and 2020, then only supplies; one scanner in 2021 (part
        // of it credited in 2022), and a service visit wholly credited.
        let lines = vec![
            txn("2019-03-01", 0, 900.0),
            txn("2020-05-01", 0, 800.0),
            txn("2021-07-01", 2, 40.0),
            txn("2022-03-01", 2, -5.0),
            txn("2022-01-01", 3, 30.0),
            txn("2022-02-01", 3, -30.0),
            txn("2023-02-01", 1, 50.0),
        ];
        let h = History {
            customers: vec![CustomerInfo {
                id: "7".into(),
                ..Default::default()
            }],
            lines: vec![lines.clone()],
            skus: vec!["P".into(), "S".into()],
            divisions: vec![
                "Printers".into(),
                "Supplies".into(),
                "Scanners".into(),
                "Service".into(),
            ],
            first_day: None,
            last_day: None,
        };
        let index: HashMap<&str, usize> = [("7", 0)].into_iter().collect();
        let mut pairs = vec![pair("Printers"), pair("Scanners"), pair("Service")];
        let window = |from: &str| d(from);
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &HashMap::new(),
            (&Rules::default(), window("2023-01-01")),
        );
        // Owning nothing in the window, its largest division is said as lapsed.
        assert_eq!(
            pairs[0].explanation,
            "last bought Printers in 2020 (customer since 2019), p=0.25 (grade B)"
        );
        // Not its main division, but bought before: a win-back, said as one, dated by the sale
        // and not by the later credit.
        assert_eq!(
            pairs[1].explanation,
            "last bought Printers in 2020 (customer since 2019), last bought Scanners in 2021, p=0.25 (grade B)"
        );
        // A purchase credited in full was no purchase.
        assert_eq!(
            pairs[2].explanation,
            "last bought Printers in 2020 (customer since 2019), p=0.25 (grade B)"
        );
        // Owning Supplies now, it buys Supplies: "buys Printers" of its 2019-2020 printers was
        // a tester's finding (present tense for a division it stopped buying).
        let owners: HashMap<u16, BTreeSet<usize>> = [(1, BTreeSet::from([0]))].into();
        let mut pairs = vec![pair("Printers"), pair("Scanners")];
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &owners,
            (&Rules::default(), window("2023-01-01")),
        );
        assert_eq!(
            pairs[0].explanation,
            "buys Supplies (customer since 2019), last bought Printers in 2020, p=0.25 (grade B)"
        );
        assert_eq!(
            pairs[1].explanation,
            "buys Supplies (customer since 2019), last bought Scanners in 2021, p=0.25 (grade B)"
        );
        // With that purchase and its credit in the ownership window, the customer is no owner
        // and no lapsed buyer either: said so (a tester's rank-1 row said "last bought" of a
        // customer with four purchases in the window, and a larger return).
        let mut pairs = vec![pair("Service")];
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &owners_of(&lines, window("2021-12-31"), &Rules::default()),
            (&Rules::default(), window("2021-12-31")),
        );
        assert_eq!(
            pairs[0].explanation,
            "buys Supplies (customer since 2019), bought Service in 2022 but returned as much (net GP not above 0), p=0.25 (grade B)"
        );
        // Sold at a loss, nothing returned: not called a return (Superstore's discounted
        // sales), and where the labels count units, a purchase (the division is owned, and a
        // sale's year is the last bought).
        let mut lines = lines;
        lines[5].qty = 2.0;
        let h = History {
            lines: vec![lines.clone()],
            ..h
        };
        let mut pairs = vec![pair("Service")];
        let rules = Rules::default();
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &owners_of(&lines, window("2021-12-31"), &rules),
            (&rules, window("2021-12-31")),
        );
        assert_eq!(
            pairs[0].explanation,
            "buys Supplies (customer since 2019), bought Service in 2022 but sold at a loss (net GP not above 0), p=0.25 (grade B)"
        );
        // Given away (the default log's printers at GP 0): no loss, no return.
        let mut free = lines.clone();
        for t in &mut free[4..6] {
            (t.gp, t.qty) = (0.0, 1.0);
        }
        let mut pairs = vec![pair("Service")];
        explain(
            &mut pairs,
            &h,
            &[&free],
            &index,
            &owners_of(&free, window("2021-12-31"), &rules),
            (&rules, window("2021-12-31")),
        );
        assert!(
            pairs[0]
                .explanation
                .contains("bought Service in 2022 but at no gross profit (net GP not above 0)"),
            "{}",
            pairs[0].explanation
        );
        let def = crate::stages::labels::Definition {
            window_months: 6,
            mode: crate::stages::labels::Mode::Expansion,
            gp_min_threshold: 0.0,
            purchase: crate::stages::labels::Purchase::Quantity,
            denylisted_skus: Default::default(),
        };
        let defs = [("Service".to_string(), def)].into_iter().collect();
        let rules = Rules::new(&h, &defs);
        // 3 units of Service, one credited at a loss: owned (Supplies, bought in 2023, too).
        assert_eq!(
            super::super::purchases::owned(&lines, window("2021-12-31"), &rules),
            vec![1, 3]
        );
        let by_gp = Rules::default();
        assert_eq!(
            super::super::purchases::owned(&lines, window("2021-12-31"), &by_gp),
            vec![1]
        );
        let mut pairs = vec![pair("Service")];
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &owners_of(&lines, window("2018-12-31"), &rules),
            (&rules, window("2018-12-31")),
        );
        assert_eq!(
            pairs[0].explanation,
            "buys Printers (customer since 2019), last bought Service in 2022, p=0.25 (grade B)"
        );
    }

    #[test]
    fn the_peer_clause_is_shown_only_when_its_printed_rates_differ() {
        // 37 customers in Energy, 3 elsewhere. Division 0 owned by 2 Energy customers: 5.4% of
        // peers against 5.0% of all, both printed "5%". Division 1 owned by 4: 10.8% and 10%.
        let customers: Vec<CustomerInfo> = (0..40)
            .map(|i| CustomerInfo {
                id: format!("{i:02}"),
                industry: (i < 37).then(|| "Energy".to_string()),
                ..Default::default()
            })
            .collect();
        let h = History {
            lines: vec![Vec::new(); 40],
            customers,
            skus: vec!["S".into()],
            divisions: vec!["Printers".into(), "Scanners".into()],
            first_day: None,
            last_day: None,
        };
        let owners: HashMap<u16, BTreeSet<usize>> = [
            (0, BTreeSet::from([0, 1])),
            (1, BTreeSet::from([0, 1, 2, 3])),
        ]
        .into_iter()
        .collect();
        let index: HashMap<&str, usize> = h
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        // Every customer known at the cutoff: one line of no value each.
        let one = [Txn {
            day: 0,
            sku: 0,
            division: 0,
            gp: 0.0,
            qty: 0.0,
        }];
        let empty: Vec<&[Txn]> = vec![&one; 40];
        let mut pairs = vec![pair("Printers"), pair("Scanners")];
        for x in &mut pairs {
            x.customer_id = "10".into();
        }
        explain(
            &mut pairs,
            &h,
            &empty,
            &index,
            &owners,
            (&Rules::default(), 0),
        );
        assert_eq!(pairs[0].explanation, "p=0.25 (grade B)");
        assert_eq!(
            pairs[1].explanation,
            "11% of Energy peers own Scanners (10% of all customers), p=0.25 (grade B)"
        );
    }

    #[test]
    fn supplies_a_label_leaves_out_are_no_purchase_of_the_division_in_the_explanation() {
        let d = |s: &str| day(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        let txn = |s: &str, sku: u16, division: u16, gp: f64| Txn {
            day: d(s),
            sku,
            division,
            gp,
            qty: 1.0,
        };
        // A printer in 2020, then only supplies (denylisted); some CAD. Its Hardware is lapsed
        // since 2020: the supplies of 2023 and 2024 (which said "last bought Hardware in
        // 2024") bought no Hardware, as the labels count it.
        let lines = vec![
            txn("2020-03-01", 0, 0, 900.0),
            txn("2021-03-01", 2, 1, 600.0),
            txn("2023-05-01", 1, 0, 800.0),
            txn("2024-05-01", 1, 0, 800.0),
        ];
        let h = History {
            customers: vec![CustomerInfo {
                id: "7".into(),
                ..Default::default()
            }],
            lines: vec![lines.clone()],
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
        let index: HashMap<&str, usize> = [("7", 0)].into_iter().collect();
        let mut pairs = vec![pair("Hardware")];
        explain(
            &mut pairs,
            &h,
            &[&lines],
            &index,
            &HashMap::new(),
            (&Rules::new(&h, &defs), 0),
        );
        assert_eq!(
            pairs[0].explanation,
            "last bought Hardware in 2020 (customer since 2020), p=0.25 (grade B)"
        );
    }

    #[test]
    fn a_purchase_undone_is_said_as_it_was_undone() {
        let t = |gp: f64, qty: f64| Txn {
            day: 0,
            sku: 0,
            division: 0,
            gp,
            qty,
        };
        let why = |lines: &[Txn]| why_no_purchase(&lines.iter().collect::<Vec<_>>());
        // Every unit back, whatever the GP did (sold at a loss, then returned).
        assert_eq!(why(&[t(50.0, 2.0), t(-50.0, -2.0)]), "returned as much");
        assert_eq!(why(&[t(-20.0, 2.0), t(20.0, -2.0)]), "returned as much");
        // Half back, a larger credit.
        assert_eq!(why(&[t(50.0, 2.0), t(-80.0, -1.0)]), "returned some");
        // A credit without units is no return.
        assert_eq!(why(&[t(100.0, 1.0), t(-100.0, 0.0)]), "was credited");
        assert_eq!(why(&[t(-30.0, 3.0)]), "sold at a loss");
        assert_eq!(
            why(&[t(-30.0, 3.0), t(-5.0, -1.0)]),
            "returned some and sold at a loss"
        );
        assert_eq!(why(&[t(0.0, 1.0)]), "at no gross profit");
    }

    #[test]
    fn a_row_without_a_grade_says_its_model_ranks_no_better_than_chance() {
        let h = History {
            customers: vec![CustomerInfo {
                id: "7".into(),
                ..Default::default()
            }],
            lines: vec![Vec::new()],
            skus: vec![],
            divisions: vec!["Furniture".into()],
            first_day: None,
            last_day: None,
        };
        let mut pairs = vec![pair("Furniture")];
        pairs[0].icp_grade = String::new();
        explain(
            &mut pairs,
            &h,
            &[&[]],
            &[("7", 0)].into_iter().collect(),
            &HashMap::new(),
            (&Rules::default(), 0),
        );
        assert_eq!(
            pairs[0].explanation,
            "p=0.25 (no grade: the Furniture model is not shown to rank better than chance)"
        );
    }
}
