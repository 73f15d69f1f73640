//! `lapse`: the yearly anniversaries of what a customer bought (when seats renew, support
//! contracts fall due, licences are reviewed) that have passed, and what the customer did at
//! each. An anniversary that passed after the customer's last order is a renewal missed: a
//! customer that let two of them pass in silence has most likely gone, however many seats it
//! once bought (the every-year anniversary counts alone still rank it high). The share of
//! anniversaries met by an order within a month measures how reliably the customer comes back.
//! Every anniversary counted is on or before the cutoff.

use super::matrix::{key, Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months, Day};

/// An anniversary is met by an order this many days either side of it.
const MET_WITHIN_DAYS: Day = 31;

/// Per row: anniversaries missed since the last order, anniversaries that could be judged,
/// and how many of those an order met.
#[derive(Clone, Copy, Default)]
struct Count {
    missed: f64,
    judged: f64,
    met: f64,
}

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let h = ctx.asof.history;
    let cutoff = ctx.asof.cutoff;
    let divisions: Vec<Option<u16>> = ctx.divisions.iter().map(|n| h.division_index(n)).collect();
    // Per row, per division (and the total last).
    let counts: Vec<Vec<Count>> = ctx
        .rows
        .iter()
        .map(|&i| {
            let lines = ctx.asof.lines[i];
            let mut out = vec![Count::default(); divisions.len() + 1];
            let Some(last) = lines.last().map(|t| t.day) else {
                return out;
            };
            let days: Vec<Day> = super::behaviour::order_days(lines);
            for t in lines.iter().filter(|t| t.gp > 0.0) {
                let Some(di) = divisions.iter().position(|d| *d == Some(t.division)) else {
                    continue;
                };
                let bought = history::date(t.day);
                for k in 1.. {
                    let a = history::day(add_months(bought, 12 * k));
                    if a > cutoff {
                        break;
                    }
                    let mut c = Count::default();
                    if a > last {
                        c.missed = 1.0;
                    }
                    // Judged only once the whole month around it is on or before the cutoff.
                    let from = days.partition_point(|&o| o < a - MET_WITHIN_DAYS);
                    let met = days.get(from).is_some_and(|&o| o <= a + MET_WITHIN_DAYS);
                    if met || a + MET_WITHIN_DAYS <= cutoff {
                        c.judged = 1.0;
                        c.met = f64::from(u8::from(met));
                    }
                    for slot in [di, divisions.len()] {
                        out[slot].missed += c.missed;
                        out[slot].judged += c.judged;
                        out[slot].met += c.met;
                    }
                }
            }
            out
        })
        .collect();
    let names = ctx
        .divisions
        .iter()
        .map(|n| (key(n), n.as_str()))
        .chain([("all".to_string(), "any division")]);
    for (slot, (dk, name)) in names.enumerate() {
        m.push(
            format!("lapse__{dk}__missed"),
            "lapse",
            format!("yearly anniversaries of {name} lines that passed after the customer's last order (renewals let lapse)"),
            counts.iter().map(|c| Some(c[slot].missed)).collect(),
            Fill::Zero,
            false,
        );
        m.push(
            format!("lapse__{dk}__met_share"),
            "lapse",
            format!("share of the yearly anniversaries of {name} lines met by an order within {MET_WITHIN_DAYS} days (missing: none passed yet)"),
            counts
                .iter()
                .map(|c| (c[slot].judged > 0.0).then(|| c[slot].met / c[slot].judged))
                .collect(),
            Fill::Zero,
            false,
        );
    }
}
