//! A truer customer key beside the one taken: Olist's `customer_id` is a new id on each order,
//! and its `customer_unique_id`, in the same file, the customer. A log keyed by the first has
//! no customer who bought twice, so nothing to learn from; the second groups the ids into
//! customers who did.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::stages::etl::parts::column_key;

/// Whether a header names a customer's key (`customer_unique_id`, `Client ID`, `Buyer Email`),
/// not its city or zip code.
pub(crate) fn names_a_key(h: &str) -> bool {
    let k = column_key(h);
    ["customer", "client", "buyer", "shopper"]
        .iter()
        .any(|w| k.contains(w))
        && (k.ends_with("id") || k.contains("unique") || k.contains("email"))
}

/// One candidate column, tallied over the rows that become facts.
struct Candidate {
    column: usize,
    /// Fact rows with a taken id, and those of them blank here.
    rows: u64,
    blank: u64,
    /// Each taken id's value here; `conflicts`: ids seen with two values.
    of_id: HashMap<String, String>,
    conflicts: u64,
    /// Each value's first sale day, whether it bought on another day too, and its rows.
    days: HashMap<String, (NaiveDate, bool, u64)>,
}

/// The candidates of a header (at most three), beside the taken id column.
pub(super) struct Tally {
    candidates: Vec<Candidate>,
}

/// A better key found: its header, its customers, and how many bought on two days or more.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Better {
    pub header: String,
    pub customers: u64,
    pub again: u64,
}

impl Tally {
    pub(super) fn find(header: &[String], customer_id: usize, taken: &[usize]) -> Tally {
        let candidates = header
            .iter()
            .enumerate()
            .filter(|(i, h)| *i != customer_id && !taken.contains(i) && names_a_key(h))
            .take(3)
            .map(|(column, _)| Candidate {
                column,
                rows: 0,
                blank: 0,
                of_id: HashMap::new(),
                conflicts: 0,
                days: HashMap::new(),
            })
            .collect();
        Tally { candidates }
    }

    /// A fact row's taken `id`, dated `day`; `value(i)` reads its column `i`.
    pub(super) fn add(
        &mut self,
        id: &str,
        day: NaiveDate,
        value: impl Fn(usize) -> Option<String>,
    ) {
        for c in &mut self.candidates {
            c.rows += 1;
            let Some(v) = value(c.column).filter(|v| !v.is_empty()) else {
                c.blank += 1;
                continue;
            };
            match c.of_id.get(id) {
                Some(was) if *was != v => c.conflicts += 1,
                Some(_) => {}
                None => {
                    c.of_id.insert(id.to_string(), v.clone());
                }
            }
            let e = c.days.entry(v).or_insert((day, false, 0));
            e.1 |= e.0 != day;
            e.2 += 1;
        }
    }

    /// Only when the taken ids are an order's (at most one in a hundred bought on two days: a
    /// B2B log's `Customer ID` with 57 of 1,500 repeat buyers keeps it, though its `Parent
    /// Customer ID` groups them), the candidate that groups them (each id one value of it, on
    /// 99 rows in 100) into fewer customers, at least 50 and a tenth as many (no segment's
    /// code), of whom at least twice as many bought on two days or more as under the taken ids
    /// (`again` of `all`), and at least 20; filled on 99 rows in 100 (a guest checkout's blank
    /// email would drop the row) and no value on one row in twenty (a `guest` placeholder would
    /// be one customer).
    pub(super) fn better(self, header: &[String], (again, all): (u64, u64)) -> Option<Better> {
        if again * 100 > all {
            return None;
        }
        self.candidates
            .into_iter()
            .filter_map(|c| {
                let customers = c.days.len() as u64;
                let repeat = c.days.values().filter(|(_, a, _)| *a).count() as u64;
                let nested = c.conflicts * 100 <= c.of_id.len() as u64;
                let filled = c.blank * 100 <= c.rows;
                let spread = c.days.values().all(|&(_, _, n)| n * 20 <= c.rows);
                (nested
                    && filled
                    && spread
                    && customers < all
                    && customers >= 50
                    && customers * 10 >= all
                    && repeat >= 20
                    && repeat >= 2 * again.max(1))
                .then(|| Better {
                    header: header[c.column].clone(),
                    customers,
                    again: repeat,
                })
            })
            .max_by_key(|b| (b.again, std::cmp::Reverse(b.customers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
    }

    /// 600 orders of 150 people (each order its own `id` when `per_order`), the key column as
    /// `key(order, person)` gives it; the taken ids' (repeat buyers, customers).
    fn tally(per_order: bool, key: impl Fn(u32, u32) -> String) -> Option<Better> {
        let header: Vec<String> = ["customer_id", "customer_unique_id"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut t = Tally::find(&header, 0, &[]);
        let mut days: HashMap<String, (NaiveDate, bool)> = HashMap::new();
        for order in 0..600u32 {
            let person = order % 150;
            let id = if per_order {
                format!("o{order}")
            } else {
                format!("c{person}")
            };
            let d = day(order);
            t.add(&id, d, |_| Some(key(order, person)));
            let e = days.entry(id).or_insert((d, false));
            e.1 |= e.0 != d;
        }
        let again = days.values().filter(|(_, a)| *a).count() as u64;
        t.better(&header, (again, days.len() as u64))
    }

    #[test]
    fn a_per_order_id_gives_way_to_the_key_that_groups_it_and_a_customer_id_does_not() {
        let b = tally(true, |_, person| format!("u{person}")).unwrap();
        assert_eq!(
            (b.header.as_str(), b.customers, b.again),
            ("customer_unique_id", 150, 150)
        );
        // The ids are customers already (they buy again): a parent or group id is no better.
        assert_eq!(tally(false, |_, person| format!("g{}", person / 3)), None);
        // A guest checkout's blank key on one order in ten, or a `guest` on half the orders.
        assert_eq!(
            tally(true, |o, p| if o % 10 == 0 {
                String::new()
            } else {
                format!("u{p}")
            }),
            None
        );
        assert_eq!(
            tally(true, |o, p| if o % 2 == 0 {
                "guest".into()
            } else {
                format!("u{p}")
            }),
            None
        );
    }

    #[test]
    fn a_key_names_a_customer_and_an_id_not_a_city() {
        assert!(names_a_key("customer_unique_id"));
        assert!(names_a_key("Client ID"));
        assert!(names_a_key("Buyer Email"));
        assert!(!names_a_key("customer_city"));
        assert!(!names_a_key("customer_zip_code_prefix"));
        assert!(!names_a_key("order_id"));
    }
}
