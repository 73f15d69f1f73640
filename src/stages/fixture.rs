//! A hand-built transaction set shared by the label and feature tests. Expected values in those
//! tests are computed by hand from this table (see the comments there).
//!
//! | customer | industry | date | SKU | division | GP | qty |
//! |---|---|---|---|---|---|---|
//! | A | Energy / Renewables | 2023-01-15 | SWX_Core | Solidworks | 1000 | 2 |
//! | A | | 2024-03-10 | PDM | PDM | 500 | 1 |
//! | A | | 2024-03-10 | Training | Training | 200 | 1 |
//! | A | | 2024-05-01 | SWX_Core | Solidworks | -400 | -1 |
//! | A | | 2024-06-30 | Services | Services | 300 | 1 |  (the cutoff day)
//! | A | | 2024-07-15 | PDM | PDM | 800 | 1 |  (label window)
//! | B | (none) | 2022-08-01 | SWX_Pro_Prem | Solidworks | 2000 | 1 |
//! | B | | 2024-09-01 | Simulation | Simulation | 900 | 1 |
//! | C | Energy / Renewables | 2024-08-01 | PDM | PDM | 100 | 1 |  (new logo)
//! | D | Automotive / EV | 2024-01-01 | PDM | PDM | 50 | 1 |
//! | D | | 2024-10-01 | PDM | PDM | -60 | -1 |

#![cfg(test)]

use chrono::NaiveDate;

use super::history::{day, CustomerInfo, History, RawLine};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn lines() -> Vec<RawLine> {
    let l = |c: &str, date: &str, sku: &str, div: &str, gp: f64, qty: f64| RawLine {
        customer_id: c.into(),
        day: day(d(date)),
        sku: sku.into(),
        division: div.into(),
        gp,
        qty,
    };
    vec![
        l("A", "2023-01-15", "SWX_Core", "Solidworks", 1000.0, 2.0),
        l("A", "2024-03-10", "PDM", "PDM", 500.0, 1.0),
        l("A", "2024-03-10", "Training", "Training", 200.0, 1.0),
        l("A", "2024-05-01", "SWX_Core", "Solidworks", -400.0, -1.0),
        l("A", "2024-06-30", "Services", "Services", 300.0, 1.0),
        l("A", "2024-07-15", "PDM", "PDM", 800.0, 1.0),
        l("B", "2022-08-01", "SWX_Pro_Prem", "Solidworks", 2000.0, 1.0),
        l("B", "2024-09-01", "Simulation", "Simulation", 900.0, 1.0),
        l("C", "2024-08-01", "PDM", "PDM", 100.0, 1.0),
        l("D", "2024-01-01", "PDM", "PDM", 50.0, 1.0),
        l("D", "2024-10-01", "PDM", "PDM", -60.0, -1.0),
    ]
}

pub fn customers() -> Vec<CustomerInfo> {
    let c = |id: &str, ind: Option<(&str, &str)>| CustomerInfo {
        id: id.into(),
        industry: ind.map(|x| x.0.to_string()),
        industry_sub: ind.map(|x| x.1.to_string()),
    };
    vec![
        c("A", Some(("Energy", "Renewables"))),
        c("B", None),
        c("C", Some(("Energy", "Renewables"))),
        c("D", Some(("Automotive", "EV"))),
    ]
}

pub fn history() -> History {
    History::from_lines(customers(), lines())
}

pub fn history_with(edit: impl Fn(&mut Vec<RawLine>)) -> History {
    let mut l = lines();
    edit(&mut l);
    History::from_lines(customers(), l)
}
