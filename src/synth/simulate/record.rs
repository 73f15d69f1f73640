//! A past recorded for the history ceiling (`crate::synth::posterior`): what each month of a
//! customer's life showed to a reader of the sales log, and futures continued from that past
//! with other traits.

use chrono::{Days, Months, NaiveDate};

use super::{fork_at, month_start, Customer, Event, Life, Rng};
use crate::synth::GenConfig;

/// How an order's quantity depends on size: seats `round(size x U(0.3, 1))`, add-on licences
/// `round(size x U(0, 0.3))`, both at least 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quantity {
    Seats,
    AddOn,
}

/// What one month of a history shows, for the history ceiling (`crate::synth::posterior`): nothing
/// here is hidden from someone reading the sales log.
#[derive(Debug, Clone)]
pub(crate) struct MonthSeen {
    /// Per motion: its hazard without the engagement and size factors, whether the size factor
    /// is the seats one, and whether an order of it was drawn and recorded.
    pub hazards: Vec<(f64, bool, bool)>,
    /// Size-dependent quantities of the month's orders.
    pub quantities: Vec<(Quantity, f64)>,
    /// Seat purchases whose anniversary fell in the month, and how many of them renewed.
    pub renewals_due: u32,
    pub renewals_made: u32,
    /// Log-probability of what the month showed of the draws no trait touches (consumables,
    /// spare parts, support renewals): they differ between a living and a churned customer.
    pub other: f64,
    /// Whether any order (not a return) was recorded in the month: the customer was alive.
    pub any_order: bool,
}

/// A customer's life up to a cutoff, with what each of its months showed.
#[derive(Clone)]
pub(crate) struct Past {
    life: Life,
    /// The join month's first day: `months[0]` is that month.
    pub first_month: NaiveDate,
    /// From the join month to the cutoff's month. Months after a real churn are there too, as
    /// the silence they showed (every draw of theirs is dated after the churn, so unrecorded).
    pub months: Vec<MonthSeen>,
}

/// The past of `c` up to `cutoff` (a month end), recorded for the history ceiling.
pub(crate) fn past(cfg: &GenConfig, c: &Customer, cutoff: NaiveDate) -> Past {
    let (mut life, mut rng) = Life::begin(cfg, c);
    life.seen = Some(Vec::new());
    let real_stop = c.churn.unwrap_or(cfg.end).min(cfg.end);
    let first_month = month_start(c.join);
    let mut month = first_month;
    while month <= cutoff {
        life.month(cfg, c, &mut rng, month, real_stop);
        month = month + Months::new(1);
    }
    let months = life.seen.take().unwrap_or_default();
    Past {
        life,
        first_month,
        months,
    }
}

/// One future after `cutoff`, up to `until`, of a customer with this past but the traits of
/// `c` (a draw from their posterior), alive at the cutoff: it draws a fresh residual lifetime
/// and the months after the cutoff from the stream of replay `replay`, as the oracle's replays.
pub(crate) fn future(
    cfg: &GenConfig,
    past: &Past,
    c: &Customer,
    cutoff: NaiveDate,
    until: NaiveDate,
    replay: u64,
) -> Vec<Event> {
    let alive = Customer {
        churn: None,
        ..c.clone()
    };
    let mut life = past.life.clone();
    let (mut rng, stop) = fork_at(cfg, &alive, cutoff, replay);
    // A return dated after the cutoff is not in the log yet: the reader knows only that each
    // recent order may still come back. Redraw those returns, given none was seen by then.
    life.events.retain(|e| e.date <= cutoff);
    // Their own stream, so the months after the cutoff draw what the oracle's replay draws.
    let mut returns = Rng::new(cfg.seed, (3u64 << 56) | (c.id << 16) | (replay & 0xFFFF));
    for (day, division, sold, returned_on) in std::mem::take(&mut life.returnable) {
        if returned_on.is_some_and(|d| d <= cutoff) {
            continue;
        }
        // Return days are uniform over 7..=45 days after the order.
        let late: Vec<i64> = (7..=45)
            .filter(|&k| day + Days::new(k as u64) > cutoff)
            .collect();
        if late.is_empty() {
            continue;
        }
        let seen_days = 39 - late.len();
        let p = 0.025 * late.len() as f64 / 39.0 / (1.0 - 0.025 * seen_days as f64 / 39.0);
        if returns.chance(p) {
            let back = day + Days::new(late[returns.int(0, late.len() as i64 - 1) as usize] as u64);
            if back <= cfg.end {
                life.push(back, division, vec![sold.returned()]);
            }
        }
    }
    let mut month = month_start(cutoff) + Months::new(1);
    while month <= stop && month <= until {
        life.month(cfg, &alive, &mut rng, month, stop);
        month = month + Months::new(1);
    }
    life.finish(cfg)
}
