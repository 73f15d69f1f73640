//! One customer's life: traits, then month by month purchases until churn or the end date.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::catalog::{self, Motion, INDUSTRIES, MOTIONS};

mod record;
use super::{GenConfig, Rng};
pub(crate) use record::{future, past, MonthSeen, Past, Quantity};

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: u64,
    pub name: String,
    pub industry: usize,
    pub sub: &'static str,
    /// Typical seats per purchase (log-normal).
    pub size: f64,
    /// Propensity to buy anything, in (0, 1).
    pub engagement: f64,
    pub join: NaiveDate,
    pub churn: Option<NaiveDate>,
    pub branch: &'static str,
    pub rep: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Index into [`catalog::PRODUCT_COLUMNS`].
    pub sku: usize,
    pub gp: f64,
    pub qty: f64,
}

impl Line {
    /// The line that returns this one: the same SKU, its GP and quantity negated.
    fn returned(&self) -> Line {
        Line {
            sku: self.sku,
            gp: -self.gp,
            qty: -self.qty,
        }
    }
}

/// One sales-log row: a dated order of one customer, possibly with several product lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub seq: u32,
    pub division: &'static str,
    pub lines: Vec<Line>,
}

impl Customer {
    pub fn draw(cfg: &GenConfig, i: usize) -> Customer {
        let mut rng = Rng::new(cfg.seed, i as u64);
        let weights: Vec<f64> = INDUSTRIES.iter().map(|x| x.weight).collect();
        let industry = rng.weighted(&weights);
        let sub = *rng.pick(INDUSTRIES[industry].subs);
        let suffix = *rng.pick(catalog::NAME_SUFFIX);
        let base = format!(
            "{} {}",
            rng.pick(catalog::NAME_FIRST),
            rng.pick(catalog::NAME_SECOND)
        );
        // Disambiguate with a place so names are (nearly) unique, as real rosters are.
        let name = format!(
            "{base} of {}{}",
            rng.pick(catalog::BRANCHES),
            if suffix.is_empty() {
                String::new()
            } else {
                format!(" {suffix}")
            }
        );
        let span = (cfg.end - cfg.start).num_days().max(1);
        let join = if rng.chance(0.55) {
            cfg.start + Days::new(rng.int(0, 180.min(span - 1)) as u64)
        } else {
            cfg.start + Days::new(rng.int(0, span - 1) as u64)
        };
        let engagement = 1.0 / (1.0 + (-rng.normal() * 1.1).exp());
        let churn = lifetime_end(&mut rng, engagement, join, cfg.end);
        Customer {
            id: 100_000 + i as u64,
            name,
            industry,
            sub,
            size: rng.lognormal(0.6, 0.8).clamp(1.0, 60.0),
            engagement,
            join,
            churn,
            branch: pick_str(&mut rng, catalog::BRANCHES),
            rep: pick_str(&mut rng, catalog::REPS),
        }
    }
}

/// Yearly churn hazard falls with engagement.
pub(crate) fn churn_per_year(engagement: f64) -> f64 {
    0.14 * (1.6 - engagement)
}

/// The day a customer alive on `from` churns: an exponential lifetime (so the rest of a life
/// after any day has the same law as a fresh one), or `None` when it is on or after `end`.
fn lifetime_end(
    rng: &mut Rng,
    engagement: f64,
    from: NaiveDate,
    end: NaiveDate,
) -> Option<NaiveDate> {
    let years = -rng.f64().max(1e-12).ln() / churn_per_year(engagement);
    from.checked_add_days(Days::new((years * 365.25) as u64))
        .filter(|d| *d < end)
}

/// How engagement scales every purchase hazard.
pub(crate) fn engagement_factor(engagement: f64) -> f64 {
    0.25 + 1.5 * engagement
}

/// How size scales a motion's purchase hazard: seats with the log of the size, the rest less.
pub(crate) fn size_factor(seats: bool, size: f64) -> f64 {
    if seats {
        0.6 + 0.4 * size.ln().max(0.0)
    } else {
        0.7 + 0.3 * (1.0 + size).ln()
    }
}

/// The chance that a seat purchase renews on one of its anniversaries.
pub(crate) fn renewal_chance(engagement: f64) -> f64 {
    0.5 + 0.45 * engagement
}

fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.int(0, items.len() as i64 - 1) as usize]
}

fn season(month: u32) -> f64 {
    match month {
        10 | 11 => 1.5,
        12 => 2.0,
        1 | 2 => 0.75,
        _ => 1.0,
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

fn days_in_month(d: NaiveDate) -> u32 {
    match d.month() {
        2 if d.leap_year() => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone)]
struct State {
    owned: Vec<Option<NaiveDate>>,
    seats: f64,
    /// (purchase date, SKU, seats) for yearly maintenance renewals.
    seat_buys: Vec<(NaiveDate, usize, f64)>,
    last_licence: Option<NaiveDate>,
    printer_since: Option<NaiveDate>,
    scanner_since: Option<NaiveDate>,
}

/// Whole 30-day periods from `a` to `now`. Days counted from the common era: the same
/// difference as subtracting the dates, without chrono's 400-year cycle arithmetic (a tenth of
/// the truth oracle's time, which asks this for every motion of every replayed month).
fn months_since(a: Option<NaiveDate>, now: NaiveDate) -> Option<i64> {
    a.map(|a| i64::from(now.num_days_from_ce() - a.num_days_from_ce()) / 30)
}

fn line(rng: &mut Rng, sku: &str, qty: f64) -> Line {
    let gp = catalog::unit_gp(sku) * qty * rng.lognormal(0.0, 0.25);
    Line {
        sku: catalog::sku(sku),
        gp: (gp * 100.0).round() / 100.0,
        qty,
    }
}

fn pick_sku(rng: &mut Rng, m: Motion) -> &'static str {
    let (skus, _) = m.skus();
    let w: Vec<f64> = skus.iter().map(|(_, w)| *w).collect();
    skus[rng.weighted(&w)].0
}

/// Every order of one customer, in date order.
pub fn simulate_customer(cfg: &GenConfig, c: &Customer) -> Vec<Event> {
    simulate_from(cfg, c, None)
}

/// As [`simulate_customer`], but with `fork = Some((cutoff, replay))` every month after the
/// cutoff's month draws from an independent stream numbered `replay`: the customer's real
/// history up to the cutoff (a month end) is kept, and its future is drawn afresh, including
/// when a customer still alive at the cutoff churns: its real churn day is a future event, not
/// something known at the cutoff. The truth oracle averages over such replays.
pub fn simulate_from(cfg: &GenConfig, c: &Customer, fork: Option<(NaiveDate, u64)>) -> Vec<Event> {
    let (mut life, mut rng) = Life::begin(cfg, c);
    let mut stop = c.churn.unwrap_or(cfg.end).min(cfg.end);
    let mut month = month_start(c.join);
    let mut forked = false;
    while month <= stop {
        if let Some((cutoff, replay)) = fork {
            if !forked && month > cutoff {
                (rng, stop) = fork_at(cfg, c, cutoff, replay);
                forked = true;
            }
        }
        life.month(cfg, c, &mut rng, month, stop);
        month = month + Months::new(1);
    }
    life.finish(cfg)
}

/// What the truth oracle draws for one customer: whether it had an order on or before the
/// cutoff, and `replays` independent futures.
pub struct Replays {
    pub known: bool,
    /// Each as [`simulate_from`] with `Some((cutoff, r))` would draw it, but only the orders
    /// dated after the cutoff and only up to `until` (returns of earlier orders that fall after
    /// the cutoff included).
    pub futures: Vec<Vec<Event>>,
}

/// `replays` independent futures of one customer after `cutoff` (a month end): the life up to
/// the cutoff is simulated once and every replay continues from a copy of it. What the truth
/// oracle needs, at the cost of the window instead of the whole history per replay; the copy
/// leaves out the orders dated on or before the cutoff (copying them was a third of the
/// oracle's time, and no replay can change them).
pub fn replays(
    cfg: &GenConfig,
    c: &Customer,
    cutoff: NaiveDate,
    until: NaiveDate,
    replays: u64,
) -> Replays {
    let (mut life, mut rng) = Life::begin(cfg, c);
    let real_stop = c.churn.unwrap_or(cfg.end).min(cfg.end);
    let mut month = month_start(c.join);
    while month <= real_stop && month <= cutoff {
        life.month(cfg, c, &mut rng, month, real_stop);
        month = month + Months::new(1);
    }
    let known = life
        .events
        .iter()
        .any(|e| e.date >= cfg.start && e.date <= cutoff);
    life.events.retain(|e| e.date > cutoff);
    let resume = month;
    let futures = (0..replays)
        .map(|r| {
            let mut life = life.clone();
            let mut month = resume;
            if month <= real_stop {
                let (mut rng, stop) = fork_at(cfg, c, cutoff, r);
                while month <= stop && month <= until {
                    life.month(cfg, c, &mut rng, month, stop);
                    month = month + Months::new(1);
                }
            }
            life.finish(cfg)
        })
        .collect();
    Replays { known, futures }
}

/// The replay stream of a fork, and the day the replayed life ends: a customer alive at the
/// cutoff draws a fresh residual lifetime (memoryless: it has the law of a new one).
fn fork_at(cfg: &GenConfig, c: &Customer, cutoff: NaiveDate, replay: u64) -> (Rng, NaiveDate) {
    let mut rng = Rng::new(cfg.seed, (2u64 << 56) | (c.id << 16) | (replay & 0xFFFF));
    let real = c.churn.unwrap_or(cfg.end).min(cfg.end);
    let stop = if c.churn.is_none_or(|d| d > cutoff) {
        lifetime_end(&mut rng, c.engagement, cutoff, cfg.end)
            .unwrap_or(cfg.end)
            .min(cfg.end)
    } else {
        real
    };
    (rng, stop)
}

/// One customer's life so far: its state and its orders.
#[derive(Clone)]
struct Life {
    st: State,
    events: Vec<Event>,
    seq: u32,
    first: bool,
    entry: Motion,
    /// What each month showed, when recording a past for the history ceiling.
    seen: Option<Vec<MonthSeen>>,
    /// When recording: every returnable order (day, division, line) and the day of its return
    /// if one was drawn, so a future can redraw the returns a reader of the log cannot see yet.
    returnable: Vec<(NaiveDate, &'static str, Line, Option<NaiveDate>)>,
}

impl Life {
    fn begin(cfg: &GenConfig, c: &Customer) -> (Life, Rng) {
        let mut rng = Rng::new(cfg.seed, (1u64 << 32) | c.id);
        let entry = match rng.weighted(&[0.8, 0.12, 0.08]) {
            0 => Motion::Seats,
            1 => Motion::Printer,
            _ => Motion::Scanning,
        };
        let life = Life {
            st: State {
                owned: vec![None; MOTIONS.len()],
                seats: 0.0,
                seat_buys: Vec::new(),
                last_licence: None,
                printer_since: None,
                scanner_since: None,
            },
            events: Vec::new(),
            seq: 0,
            first: true,
            entry,
            seen: None,
            returnable: Vec::new(),
        };
        (life, rng)
    }

    fn push(&mut self, date: NaiveDate, division: &'static str, lines: Vec<Line>) {
        self.seq += 1;
        self.events.push(Event {
            date,
            seq: self.seq,
            division,
            lines,
        });
    }

    fn finish(mut self, cfg: &GenConfig) -> Vec<Event> {
        self.events
            .retain(|e| e.date >= cfg.start && e.date <= cfg.end);
        self.events.sort_by_key(|e| (e.date, e.seq));
        self.events
    }

    /// One month of purchases, renewals and after-sales, none after `stop`.
    fn month(
        &mut self,
        cfg: &GenConfig,
        c: &Customer,
        rng: &mut Rng,
        month: NaiveDate,
        stop: NaiveDate,
    ) {
        let life = self;
        let rng = &mut *rng;
        let ind = &INDUSTRIES[c.industry];
        let dim = days_in_month(month);
        let day_in = |rng: &mut Rng| month + Days::new(rng.int(0, dim as i64 - 1) as u64);
        // (motion, forced): the entry motion is bought in the first month whatever the hazard.
        let mut buys: Vec<(Motion, bool)> = Vec::new();
        if life.first {
            buys.push((life.entry, true));
            life.first = false;
        }
        let mut seen = life.seen.is_some().then(|| MonthSeen {
            hazards: Vec::with_capacity(MOTIONS.len()),
            quantities: Vec::new(),
            renewals_due: 0,
            renewals_made: 0,
            other: 0.0,
            any_order: false,
        });
        let orders_before = life.events.len();
        let mut returns = 0;
        // Nothing below changes before the purchases are made, after this loop.
        let seats_for = months_since(life.st.owned[0], month);
        for (mi, &m) in MOTIONS.iter().enumerate() {
            let owned_for = months_since(life.st.owned[mi], month);
            let mut h = m.base_hazard()
                * (ind.affinity)(m)
                * engagement_factor(c.engagement)
                * season(month.month());
            h *= size_factor(m == Motion::Seats, c.size);
            let dependency = match m {
                Motion::Simulation => match seats_for {
                    Some(n) if n >= 6 => 3.0,
                    Some(_) => 1.2,
                    None => 0.2,
                },
                Motion::Pdm => {
                    if life.st.seats >= 3.0 {
                        3.0
                    } else if life.st.seats > 0.0 {
                        0.8
                    } else {
                        0.2
                    }
                }
                Motion::CamWorks | Motion::SuccessPlan => {
                    if seats_for.is_some() {
                        2.0
                    } else {
                        0.3
                    }
                }
                Motion::Electrical => {
                    if seats_for.is_some() {
                        2.0
                    } else {
                        0.1
                    }
                }
                Motion::Training => match months_since(life.st.last_licence, month) {
                    Some(n) if n <= 3 => 5.0,
                    _ => 1.0,
                },
                Motion::Services => match months_since(life.st.last_licence, month) {
                    Some(n) if n <= 2 => 3.0,
                    _ => 1.0,
                },
                Motion::PostProcessing => {
                    if life.st.printer_since.is_some() {
                        6.0
                    } else {
                        0.1
                    }
                }
                _ => 1.0,
            };
            h *= dependency;
            let owned = owned_for.is_some()
                && !matches!(m, Motion::Seats | Motion::Training | Motion::Services);
            if owned {
                h *= 0.35;
            }
            if let Some(seen) = &mut seen {
                let free = m.base_hazard()
                    * (ind.affinity)(m)
                    * season(month.month())
                    * dependency
                    * if owned { 0.35 } else { 1.0 };
                seen.hazards.push((free, m == Motion::Seats, false));
            }
            if rng.chance(1.0 - (-h).exp()) {
                buys.push((m, false));
            }
        }
        for (m, forced) in buys {
            let date = day_in(rng);
            if date > stop {
                continue;
            }
            let sku = pick_sku(rng, m);
            let q = match m {
                Motion::Seats => (c.size * (0.3 + 0.7 * rng.f64())).round().max(1.0),
                Motion::Pdm | Motion::CamWorks | Motion::Simulation => {
                    (c.size * 0.3 * rng.f64()).round().max(1.0)
                }
                Motion::Training | Motion::Services => rng.int(1, 4) as f64,
                _ => 1.0,
            };
            if let Some(seen) = &mut seen {
                let mi = MOTIONS.iter().position(|x| *x == m).expect("motion listed");
                seen.hazards[mi].2 |= !forced;
                match m {
                    Motion::Seats => seen.quantities.push((Quantity::Seats, q)),
                    Motion::Pdm | Motion::CamWorks | Motion::Simulation => {
                        seen.quantities.push((Quantity::AddOn, q))
                    }
                    _ => {}
                }
            }
            let mut lines = vec![line(rng, sku, q)];
            if m == Motion::Seats && rng.chance(0.35) {
                let n = rng.int(1, 3) as f64;
                lines.push(line(rng, "Training", n));
            }
            if m == Motion::Printer && rng.chance(0.5) {
                let sw = if rng.chance(0.2) {
                    "_3DP_Software"
                } else {
                    "AM_Software"
                };
                lines.push(line(rng, sw, 1.0));
            }
            let (_, division) = m.skus();
            let mi = MOTIONS.iter().position(|x| *x == m).expect("motion listed");
            life.st.owned[mi].get_or_insert(date);
            match m {
                Motion::Seats => {
                    life.st.seats += q;
                    life.st.seat_buys.push((date, catalog::sku(sku), q));
                    life.st.last_licence = Some(date);
                }
                Motion::Simulation
                | Motion::Pdm
                | Motion::CamWorks
                | Motion::Cpe
                | Motion::Electrical => life.st.last_licence = Some(date),
                Motion::Printer => {
                    life.st.printer_since.get_or_insert(date);
                    life.st.last_licence = Some(date);
                }
                Motion::Scanning => {
                    life.st.scanner_since.get_or_insert(date);
                }
                _ => {}
            }
            let returnable = !matches!(m, Motion::Services | Motion::Training);
            let ret = returnable && rng.chance(0.025);
            let lines_for_return = lines[0].clone();
            life.push(date, division, lines);
            // Occasionally a second, separate order on the same day.
            if rng.chance(0.06) {
                life.push(date, "Services", vec![line(rng, "Services", 1.0)]);
            }
            let mut returned_on = None;
            if ret {
                let back = date + Days::new(rng.int(7, 45) as u64);
                returned_on = Some(back);
                if back <= cfg.end {
                    life.push(back, division, vec![lines_for_return.returned()]);
                    returns += 1;
                }
            }
            if returnable && life.seen.is_some() {
                life.returnable
                    .push((date, division, lines_for_return, returned_on));
            }
        }
        // Yearly maintenance renewals of seat purchases.
        let renew: Vec<(usize, f64)> = life
            .st
            .seat_buys
            .iter()
            .filter(|(d, _, _)| d.month() == month.month() && d.year() < month.year())
            .map(|(_, sku, q)| (*sku, *q))
            .collect();
        for (sku, q) in renew {
            if rng.chance(renewal_chance(c.engagement)) {
                let uap = if sku == catalog::sku("SWX_Core") {
                    "Core_New_UAP"
                } else {
                    "Pro_Prem_New_UAP"
                };
                let date = day_in(rng);
                if date <= stop {
                    life.push(date, "Solidworks", vec![line(rng, uap, q)]);
                    if let Some(seen) = &mut seen {
                        seen.renewals_made += 1;
                    }
                }
            }
            if let Some(seen) = &mut seen {
                seen.renewals_due += 1;
            }
        }
        // Printer and scanner owners: consumables, spare parts, yearly support. Each is an order
        // drawn with its chance and dated in the month, seen unless after the churn; seen or not,
        // whatever the traits, it enters the month's trait-free likelihood.
        let mut after_sales = |life: &mut Life,
                               rng: &mut Rng,
                               p: f64,
                               division: &'static str,
                               make: &dyn Fn(&mut Rng) -> Line| {
            let mut shown = false;
            if rng.chance(p) {
                let date = day_in(rng);
                if date <= stop {
                    let l = make(rng);
                    life.push(date, division, vec![l]);
                    shown = true;
                }
            }
            if let Some(seen) = &mut seen {
                seen.other += if shown { p.ln() } else { (1.0 - p).ln() };
            }
        };
        let anniversary =
            |since: NaiveDate| since.month() == month.month() && since.year() < month.year();
        if let Some(since) = life.st.printer_since {
            after_sales(life, rng, 0.3, "Stratasys", &|rng| {
                let n = rng.int(1, 6) as f64;
                line(rng, "Consumables", n)
            });
            after_sales(life, rng, 0.03, "Stratasys", &|rng| {
                line(rng, "SpareParts_RepairParts_TimeAndMaterials", 1.0)
            });
            if anniversary(since) {
                after_sales(life, rng, 0.6, "Stratasys", &|rng| {
                    line(rng, "AM_Support", 1.0)
                });
            }
        }
        if let Some(since) = life.st.scanner_since {
            if anniversary(since) {
                after_sales(life, rng, 0.5, "Scanning", &|rng| {
                    line(rng, "AM_Support", 1.0)
                });
            }
        }
        if let (Some(all), Some(mut seen)) = (&mut life.seen, seen) {
            seen.any_order = life.events.len() - orders_before > returns;
            all.push(seen);
        }
    }
}

#[cfg(test)]
mod tests;
