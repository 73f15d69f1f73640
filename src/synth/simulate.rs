//! One customer's life: traits, then month by month purchases until churn or the end date.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::catalog::{self, Motion, INDUSTRIES, MOTIONS};
use super::{GenConfig, Rng};

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
        // Yearly churn hazard falls with engagement.
        let yearly = 0.14 * (1.6 - engagement);
        let years = -rng.f64().max(1e-12).ln() / yearly;
        let churn = join
            .checked_add_days(Days::new((years * 365.25) as u64))
            .filter(|d| *d < cfg.end);
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
    let next = month_start(d) + Months::new(1);
    (next - month_start(d)).num_days() as u32
}

struct State {
    owned: Vec<Option<NaiveDate>>,
    seats: f64,
    /// (purchase date, SKU, seats) for yearly maintenance renewals.
    seat_buys: Vec<(NaiveDate, usize, f64)>,
    last_licence: Option<NaiveDate>,
    printer_since: Option<NaiveDate>,
    scanner_since: Option<NaiveDate>,
}

fn months_since(a: Option<NaiveDate>, now: NaiveDate) -> Option<i64> {
    a.map(|a| (now - a).num_days() / 30)
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
/// history up to the cutoff (a month end) is kept, and its future is drawn afresh. The truth
/// oracle averages over such replays.
pub fn simulate_from(cfg: &GenConfig, c: &Customer, fork: Option<(NaiveDate, u64)>) -> Vec<Event> {
    let mut rng = Rng::new(cfg.seed, (1u64 << 32) | c.id);
    let ind = &INDUSTRIES[c.industry];
    let mut st = State {
        owned: vec![None; MOTIONS.len()],
        seats: 0.0,
        seat_buys: Vec::new(),
        last_licence: None,
        printer_since: None,
        scanner_since: None,
    };
    let stop = c.churn.unwrap_or(cfg.end).min(cfg.end);
    let mut events: Vec<Event> = Vec::new();
    let mut seq = 0u32;
    let mut push =
        |events: &mut Vec<Event>, date: NaiveDate, division: &'static str, lines: Vec<Line>| {
            seq += 1;
            events.push(Event {
                date,
                seq,
                division,
                lines,
            });
        };
    let mut month = month_start(c.join);
    let entry = match rng.weighted(&[0.8, 0.12, 0.08]) {
        0 => Motion::Seats,
        1 => Motion::Printer,
        _ => Motion::Scanning,
    };
    let mut first = true;
    let mut forked = false;
    while month <= stop {
        if let Some((cutoff, replay)) = fork {
            if !forked && month > cutoff {
                rng = Rng::new(cfg.seed, (2u64 << 56) | (c.id << 16) | (replay & 0xFFFF));
                forked = true;
            }
        }
        let dim = days_in_month(month);
        let day_in = |rng: &mut Rng| month + Days::new(rng.int(0, dim as i64 - 1) as u64);
        let mut buys: Vec<Motion> = Vec::new();
        if first {
            buys.push(entry);
            first = false;
        }
        for (mi, &m) in MOTIONS.iter().enumerate() {
            let owned_for = months_since(st.owned[mi], month);
            let seats_for = months_since(st.owned[0], month);
            let mut h = m.base_hazard()
                * (ind.affinity)(m)
                * (0.25 + 1.5 * c.engagement)
                * season(month.month());
            h *= match m {
                Motion::Seats => 0.6 + 0.4 * c.size.ln().max(0.0),
                _ => 0.7 + 0.3 * (1.0 + c.size).ln(),
            };
            h *= match m {
                Motion::Simulation => match seats_for {
                    Some(n) if n >= 6 => 3.0,
                    Some(_) => 1.2,
                    None => 0.2,
                },
                Motion::Pdm => {
                    if st.seats >= 3.0 {
                        3.0
                    } else if st.seats > 0.0 {
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
                Motion::Training => match months_since(st.last_licence, month) {
                    Some(n) if n <= 3 => 5.0,
                    _ => 1.0,
                },
                Motion::Services => match months_since(st.last_licence, month) {
                    Some(n) if n <= 2 => 3.0,
                    _ => 1.0,
                },
                Motion::PostProcessing => {
                    if st.printer_since.is_some() {
                        6.0
                    } else {
                        0.1
                    }
                }
                _ => 1.0,
            };
            if owned_for.is_some()
                && !matches!(m, Motion::Seats | Motion::Training | Motion::Services)
            {
                h *= 0.35;
            }
            if rng.chance(1.0 - (-h).exp()) {
                buys.push(m);
            }
        }
        for m in buys {
            let date = day_in(&mut rng);
            if date > stop {
                continue;
            }
            let sku = pick_sku(&mut rng, m);
            let q = match m {
                Motion::Seats => (c.size * (0.3 + 0.7 * rng.f64())).round().max(1.0),
                Motion::Pdm | Motion::CamWorks | Motion::Simulation => {
                    (c.size * 0.3 * rng.f64()).round().max(1.0)
                }
                Motion::Training | Motion::Services => rng.int(1, 4) as f64,
                _ => 1.0,
            };
            let mut lines = vec![line(&mut rng, sku, q)];
            if m == Motion::Seats && rng.chance(0.35) {
                let n = rng.int(1, 3) as f64;
                lines.push(line(&mut rng, "Training", n));
            }
            if m == Motion::Printer && rng.chance(0.5) {
                let sw = if rng.chance(0.2) {
                    "_3DP_Software"
                } else {
                    "AM_Software"
                };
                lines.push(line(&mut rng, sw, 1.0));
            }
            let (_, division) = m.skus();
            let mi = MOTIONS.iter().position(|x| *x == m).expect("motion listed");
            st.owned[mi].get_or_insert(date);
            match m {
                Motion::Seats => {
                    st.seats += q;
                    st.seat_buys.push((date, catalog::sku(sku), q));
                    st.last_licence = Some(date);
                }
                Motion::Simulation
                | Motion::Pdm
                | Motion::CamWorks
                | Motion::Cpe
                | Motion::Electrical => st.last_licence = Some(date),
                Motion::Printer => {
                    st.printer_since.get_or_insert(date);
                    st.last_licence = Some(date);
                }
                Motion::Scanning => {
                    st.scanner_since.get_or_insert(date);
                }
                _ => {}
            }
            let returnable = !matches!(m, Motion::Services | Motion::Training);
            let ret = returnable && rng.chance(0.025);
            let lines_for_return = lines[0].clone();
            push(&mut events, date, division, lines);
            // Occasionally a second, separate order on the same day.
            if rng.chance(0.06) {
                push(
                    &mut events,
                    date,
                    "Services",
                    vec![line(&mut rng, "Services", 1.0)],
                );
            }
            if ret {
                let back = date + Days::new(rng.int(7, 45) as u64);
                if back <= cfg.end {
                    let l = Line {
                        sku: lines_for_return.sku,
                        gp: -lines_for_return.gp,
                        qty: -lines_for_return.qty,
                    };
                    push(&mut events, back, division, vec![l]);
                }
            }
        }
        // Yearly maintenance renewals of seat purchases.
        let renew: Vec<(usize, f64)> = st
            .seat_buys
            .iter()
            .filter(|(d, _, _)| d.month() == month.month() && d.year() < month.year())
            .map(|(_, sku, q)| (*sku, *q))
            .collect();
        for (sku, q) in renew {
            if rng.chance(0.5 + 0.45 * c.engagement) {
                let uap = if sku == catalog::sku("SWX_Core") {
                    "Core_New_UAP"
                } else {
                    "Pro_Prem_New_UAP"
                };
                let date = day_in(&mut rng);
                if date <= stop {
                    push(
                        &mut events,
                        date,
                        "Solidworks",
                        vec![line(&mut rng, uap, q)],
                    );
                }
            }
        }
        // Printer and scanner owners: consumables, spare parts, yearly support.
        if let Some(since) = st.printer_since {
            if rng.chance(0.3) {
                let date = day_in(&mut rng);
                if date <= stop {
                    let n = rng.int(1, 6) as f64;
                    push(
                        &mut events,
                        date,
                        "Stratasys",
                        vec![line(&mut rng, "Consumables", n)],
                    );
                }
            }
            if rng.chance(0.03) {
                let date = day_in(&mut rng);
                if date <= stop {
                    push(
                        &mut events,
                        date,
                        "Stratasys",
                        vec![line(
                            &mut rng,
                            "SpareParts_RepairParts_TimeAndMaterials",
                            1.0,
                        )],
                    );
                }
            }
            if since.month() == month.month() && since.year() < month.year() && rng.chance(0.6) {
                let date = day_in(&mut rng);
                if date <= stop {
                    push(
                        &mut events,
                        date,
                        "Stratasys",
                        vec![line(&mut rng, "AM_Support", 1.0)],
                    );
                }
            }
        }
        if let Some(since) = st.scanner_since {
            if since.month() == month.month() && since.year() < month.year() && rng.chance(0.5) {
                let date = day_in(&mut rng);
                if date <= stop {
                    push(
                        &mut events,
                        date,
                        "Scanning",
                        vec![line(&mut rng, "AM_Support", 1.0)],
                    );
                }
            }
        }
        month = month + Months::new(1);
    }
    events.retain(|e| e.date >= cfg.start && e.date <= cfg.end);
    events.sort_by_key(|e| (e.date, e.seq));
    events
}
