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
    /// Each taken id's value here; `conflicts`: ids seen with two values.
    of_id: HashMap<String, String>,
    conflicts: u64,
    /// Each value's first sale day, and whether it bought on another day too.
    days: HashMap<String, (NaiveDate, bool)>,
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
            let Some(v) = value(c.column).filter(|v| !v.is_empty()) else {
                continue;
            };
            match c.of_id.get(id) {
                Some(was) if *was != v => c.conflicts += 1,
                Some(_) => {}
                None => {
                    c.of_id.insert(id.to_string(), v.clone());
                }
            }
            let e = c.days.entry(v).or_insert((day, false));
            e.1 |= e.0 != day;
        }
    }

    /// The candidate that groups the taken ids (each id one value of it, on 99 rows in 100) into
    /// fewer customers, at least 50 and a tenth as many (no segment's code), of whom at least twice as many bought on two days
    /// or more as under the taken ids (`again` of `all`), and at least 20.
    pub(super) fn better(self, header: &[String], (again, all): (u64, u64)) -> Option<Better> {
        self.candidates
            .into_iter()
            .filter_map(|c| {
                let customers = c.days.len() as u64;
                let repeat = c.days.values().filter(|(_, a)| *a).count() as u64;
                let nested = c.conflicts * 100 <= c.of_id.len() as u64;
                (nested
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
