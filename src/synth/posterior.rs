//! The history ceiling: the probability of a purchase in the label window given only what a
//! customer's sales history shows, under the generator's own law.
//!
//! The truth oracle (`truth.rs`) knows each customer's hidden traits (engagement, size) and
//! whether it has already churned; no model of the sales log can, so its AUC is above the best
//! a model of the history can reach. This is that best: the posterior over the hidden traits
//! and the churn given the history (exact likelihood of the generator's monthly draws, on a
//! grid over the traits' prior), and the future replayed from posterior draws. Returns dated
//! after the cutoff are not in the log yet: futures redraw them. Approximations, all small: a
//! churn is placed at month granularity (a silent churn month counts half of its silence; the
//! month of the last order counts in full); the join day is taken as the 15th of the join
//! month; the history is the clean one (no injected defects) with the true industry; and in the
//! join month the trace knows which order was the forced entry purchase, which a reader of a
//! log with two entry-type orders that month could not tell.

#[cfg(test)]
use chrono::Datelike;
use chrono::{Days, Months, NaiveDate};

use super::simulate::{
    churn_per_year, engagement_factor, renewal_chance, size_factor, MonthSeen, Past, Quantity,
};

/// Grid points over engagement and size: a likelihood whose size factor is sharp (several seat
/// orders pin the size to a few per cent) needs the size grid finer than the engagement one.
const ENGAGEMENT_POINTS: usize = 64;
const SIZE_POINTS: usize = 96;
/// Largest size the generator draws (sizes are clamped to [1, 60]).
const MAX_SIZE: f64 = 60.0;
/// A floor on a quantity's probability: a grid point between two feasible sizes must not be
/// ruled out by rounding alone.
const QUANTITY_FLOOR: f64 = 1e-6;

fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The traits' prior on a grid: engagement and size values with their prior masses.
struct Prior {
    engagement: Vec<(f64, f64)>,
    size: Vec<(f64, f64)>,
}

/// The prior grid, built once: it does not depend on the customer.
fn prior() -> &'static Prior {
    static PRIOR: std::sync::OnceLock<Prior> = std::sync::OnceLock::new();
    PRIOR.get_or_init(|| {
        // engagement = 1 / (1 + exp(-1.1 z)), z standard normal: cells of z over [-4, 4].
        let dz = 8.0 / ENGAGEMENT_POINTS as f64;
        let engagement = (0..ENGAGEMENT_POINTS)
            .map(|i| {
                let z = -4.0 + (i as f64 + 0.5) * dz;
                let w = normal_cdf(z + dz / 2.0) - normal_cdf(z - dz / 2.0);
                (1.0 / (1.0 + (-z * 1.1).exp()), w)
            })
            .collect();
        // size = exp(0.6 + 0.8 z) clamped to [1, 60]: a point at 1 holding the mass below it,
        // and cells even in log size above it (the last one takes the mass above 60).
        let d = MAX_SIZE.ln() / (SIZE_POINTS - 1) as f64;
        let cdf = |ln_s: f64| normal_cdf((ln_s - 0.6) / 0.8);
        let mut size = vec![(1.0, cdf(0.0))];
        for k in 0..SIZE_POINTS - 1 {
            let (a, b) = (k as f64 * d, (k + 1) as f64 * d);
            let upper = if k == SIZE_POINTS - 2 { 1.0 } else { cdf(b) };
            size.push((((a + b) / 2.0).exp(), upper - cdf(a)));
        }
        Prior { engagement, size }
    })
}

/// P(an order's quantity is `q` | size `s`), as the generator rounds it.
fn quantity_probability(kind: Quantity, q: f64, s: f64) -> f64 {
    let (a, b) = match kind {
        Quantity::Seats => (0.3 * s, s),
        Quantity::AddOn => (0.0, 0.3 * s),
    };
    let lo = if q <= 1.0 { f64::NEG_INFINITY } else { q - 0.5 };
    let hi = q + 0.5;
    ((hi.min(b) - lo.max(a)).max(0.0) / (b - a)).max(QUANTITY_FLOOR)
}

/// One month's draws, summed for the likelihood: the trait-free hazards of every motion by size
/// kind (seats, other), and the rest.
#[derive(Default)]
struct MonthSums {
    seats: f64,
    other_motions: f64,
    other: f64,
    due: f64,
    made: f64,
}

impl MonthSums {
    fn of(m: &MonthSeen) -> MonthSums {
        let (mut seats, mut other_motions) = (0.0, 0.0);
        for &(free, is_seats, _) in &m.hazards {
            if is_seats {
                seats += free;
            } else {
                other_motions += free;
            }
        }
        MonthSums {
            seats,
            other_motions,
            other: m.other,
            due: m.renewals_due as f64,
            made: m.renewals_made as f64,
        }
    }

    fn add(&mut self, o: &MonthSums) {
        self.seats += o.seats;
        self.other_motions += o.other_motions;
        self.other += o.other;
        self.due += o.due;
        self.made += o.made;
    }

    /// Log-likelihood of these months with every motion unbought, for traits (g, kS, kO, r):
    /// orders seen add their own terms on top ([`Posterior::of`]).
    fn loglik(&self, g: f64, k_seats: f64, k_other: f64, r: f64) -> f64 {
        let renewals = if self.due > 0.0 {
            self.made * r.ln() + (self.due - self.made) * (1.0 - r).ln()
        } else {
            0.0
        };
        self.other - g * (self.seats * k_seats + self.other_motions * k_other) + renewals
    }
}

/// The posterior of one customer at the cutoff.
pub(crate) struct Posterior {
    /// P(alive at the cutoff | history).
    pub alive: f64,
    /// (engagement, size) of the grid points, and their cumulative posterior weight given
    /// alive, for drawing.
    points: Vec<(f64, f64)>,
    cumulative: Vec<f64>,
}

impl Posterior {
    /// The posterior given `past` (recorded up to `cutoff`, a month end); `None` when the past
    /// shows no order (the customer is not known at the cutoff).
    pub fn of(past: &Past, cutoff: NaiveDate) -> Option<Posterior> {
        let months = &past.months;
        let last_seen = months.iter().rposition(|m| m.any_order)?;
        let sums: Vec<MonthSums> = months.iter().map(MonthSums::of).collect();
        let mut seen = MonthSums::default();
        for s in &sums[..=last_seen] {
            seen.add(s);
        }
        let bought: Vec<(f64, bool)> = months[..=last_seen]
            .iter()
            .flat_map(|m| m.hazards.iter().filter(|h| h.2).map(|h| (h.0, h.1)))
            .collect();
        let quantities: Vec<(Quantity, f64)> = months[..=last_seen]
            .iter()
            .flat_map(|m| m.quantities.iter().copied())
            .collect();
        // Years from the join (the 15th of its month) to the start of each month after it,
        // through the month after the cutoff.
        let join = past.first_month + Days::new(14);
        let years: Vec<f64> = (0..=months.len())
            .map(|j| {
                let start = past.first_month + Months::new(j as u32);
                ((start - join).num_days().max(0) as f64) / 365.25
            })
            .collect();
        debug_assert_eq!(
            past.first_month + Months::new(months.len() as u32),
            cutoff + Days::new(1)
        );
        let prior = prior();
        let n = prior.engagement.len() * prior.size.len();
        let mut alive_ll = Vec::with_capacity(n);
        let mut churned_ll = Vec::with_capacity(n);
        let mut points = Vec::with_capacity(n);
        // What depends on size alone: its hazard factors and the quantities' likelihood.
        let by_size: Vec<(f64, f64, f64)> = prior
            .size
            .iter()
            .map(|&(s, _)| {
                let q: f64 = quantities
                    .iter()
                    .map(|&(kind, q)| quantity_probability(kind, q, s).ln())
                    .sum();
                (size_factor(true, s), size_factor(false, s), q)
            })
            .collect();
        let mut churn_terms = Vec::with_capacity(months.len() + 1);
        for &(e, we) in &prior.engagement {
            let (g, r, lambda) = (engagement_factor(e), renewal_chance(e), churn_per_year(e));
            // ln P(the churn falls in month j), for the months it may fall in.
            let survival = |j: usize| (-lambda * years[j]).exp();
            let churn_month: Vec<f64> = (last_seen..months.len())
                .map(|j| (survival(j) - survival(j + 1)).max(1e-300).ln())
                .collect();
            for (&(s, ws), &(ks, ko, q_ll)) in prior.size.iter().zip(&by_size) {
                let mut ll = seen.loglik(g, ks, ko, r) + q_ll;
                for &(free, is_seats) in &bought {
                    let h = free * g * if is_seats { ks } else { ko };
                    // `loglik` counted -h for it as if unbought.
                    ll += (-(-h).exp_m1()).ln() + h;
                }
                // Churned in month j (>= the last month with an order): months up to j ran,
                // the churn month counting half of its silence.
                churn_terms.clear();
                churn_terms.push(ll + churn_month[0]);
                let mut silent = 0.0;
                for (j, month) in sums.iter().enumerate().skip(last_seen + 1) {
                    let l = month.loglik(g, ks, ko, r);
                    churn_terms.push(ll + silent + 0.5 * l + churn_month[j - last_seen]);
                    silent += l;
                }
                let ln_prior = (we * ws).ln();
                alive_ll.push(ln_prior + ll + silent - lambda * years[months.len()]);
                churned_ll.push(ln_prior + log_sum_exp(&churn_terms));
                points.push((e, s));
            }
        }
        let top = alive_ll
            .iter()
            .chain(&churned_ll)
            .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let alive_w: Vec<f64> = alive_ll.iter().map(|l| (l - top).exp()).collect();
        let a: f64 = alive_w.iter().sum();
        let c: f64 = churned_ll.iter().map(|l| (l - top).exp()).sum();
        let mut acc = 0.0;
        let cumulative = alive_w
            .iter()
            .map(|w| {
                acc += w / a;
                acc
            })
            .collect();
        Some(Posterior {
            alive: a / (a + c),
            points,
            cumulative,
        })
    }

    /// The traits of draw `r` of `n` from the posterior given alive: stratified, so `n` draws
    /// spread over the posterior deterministically.
    pub fn draw(&self, r: u64, n: u64) -> (f64, f64) {
        let u = (r as f64 + 0.5) / n as f64;
        let i = self
            .cumulative
            .partition_point(|&c| c < u)
            .min(self.points.len() - 1);
        self.points[i]
    }

    /// Posterior mean of (engagement, size) given alive.
    #[cfg(test)]
    pub fn mean(&self) -> (f64, f64) {
        let mut prev = 0.0;
        let (mut e, mut s) = (0.0, 0.0);
        for (p, c) in self.points.iter().zip(&self.cumulative) {
            e += p.0 * (c - prev);
            s += p.1 * (c - prev);
            prev = *c;
        }
        (e, s)
    }
}

fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + x.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::simulate::{self, Customer};
    use crate::synth::GenConfig;

    fn cfg(customers: usize) -> GenConfig {
        GenConfig {
            customers,
            seed: 9,
            start: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            holdout_start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            dirty_rate: 0.0,
        }
    }

    fn correlation(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        sxy / (sxx * syy).sqrt()
    }

    #[test]
    fn recording_a_past_changes_nothing_in_it() {
        // The history ceiling must condition on the real history: recording what each month
        // showed may not move a single draw of the generator.
        let cfg = cfg(150);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        for i in 0..150 {
            let c = Customer::draw(&cfg, i);
            let real: Vec<_> = simulate::simulate_customer(&cfg, &c)
                .into_iter()
                .filter(|e| e.date <= cutoff)
                .collect();
            let past = simulate::past(&cfg, &c, cutoff);
            // A future that stops at the cutoff (`until` before its first month) is the past.
            let recorded: Vec<_> = simulate::future(&cfg, &past, &c, cutoff, cutoff, 0)
                .into_iter()
                .filter(|e| e.date <= cutoff)
                .collect();
            assert_eq!(recorded, real, "customer {i}");
            if c.join <= cutoff {
                let months = (cutoff.year() - c.join.year()) * 12 + cutoff.month() as i32
                    - c.join.month() as i32
                    + 1;
                assert_eq!(past.months.len(), months as usize, "customer {i}");
                let orders = past.months.iter().filter(|m| m.any_order).count();
                assert_eq!(orders > 0, !real.is_empty(), "customer {i}");
            }
        }
    }

    #[test]
    fn a_future_does_not_know_the_returns_still_to_come() {
        // A return drawn for an order just before the cutoff but dated after it is not in the
        // log at the cutoff: futures redraw it (at ~2.5%), they do not inherit it.
        let cfg = cfg(5000);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let until = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        let (mut pending, mut inherited) = (0, 0);
        for i in 0..5000 {
            let c = Customer::draw(&cfg, i);
            let real = simulate::simulate_customer(&cfg, &c);
            let late: Vec<_> = real
                .iter()
                .filter(|e| e.date > cutoff && e.lines.iter().all(|l| l.qty < 0.0))
                .filter(|e| {
                    // The return of an order on or before the cutoff.
                    real.iter().any(|o| {
                        o.date <= cutoff
                            && o.lines[0].sku == e.lines[0].sku
                            && o.lines[0].gp == -e.lines[0].gp
                    })
                })
                .collect();
            if late.is_empty() {
                continue;
            }
            let past = simulate::past(&cfg, &c, cutoff);
            for r in 0..10 {
                let future = simulate::future(&cfg, &past, &c, cutoff, until, r);
                for e in &late {
                    pending += 1;
                    inherited += usize::from(future.contains(e));
                }
            }
        }
        assert!(pending >= 20, "only {pending} pending returns to check");
        assert!(
            inherited * 5 < pending,
            "{inherited} of {pending} pending returns known to the futures"
        );
    }

    #[test]
    fn the_posterior_finds_what_the_history_shows_of_the_hidden_traits() {
        let cfg = cfg(400);
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let (mut e_true, mut e_post, mut s_true, mut s_post) = (vec![], vec![], vec![], vec![]);
        let (mut alive_p, mut churned_p) = (vec![], vec![]);
        for i in 0..400 {
            let c = Customer::draw(&cfg, i);
            let past = simulate::past(&cfg, &c, cutoff);
            let Some(post) = Posterior::of(&past, cutoff) else {
                continue;
            };
            assert!((0.0..=1.0).contains(&post.alive));
            if c.churn.is_some_and(|d| d <= cutoff) {
                churned_p.push(post.alive);
                continue;
            }
            alive_p.push(post.alive);
            let (e, s) = post.mean();
            e_true.push(c.engagement);
            e_post.push(e);
            s_true.push(c.size.ln());
            s_post.push(s.ln());
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(churned_p.len() >= 20 && alive_p.len() >= 200);
        // The living look alive, the churned (silent since) much less so.
        assert!(
            mean(&alive_p) > 0.8 && mean(&churned_p) < 0.6,
            "P(alive): living {:.3}, churned {:.3}",
            mean(&alive_p),
            mean(&churned_p)
        );
        let (ce, cs) = (correlation(&e_true, &e_post), correlation(&s_true, &s_post));
        // Seat quantities pin the size; a few years of orders tell engagement less well.
        assert!(cs > 0.7, "size: correlation {cs:.3}");
        assert!(ce > 0.4, "engagement: correlation {ce:.3}");
    }

    #[test]
    fn the_history_ceiling_is_the_oracle_averaged_over_what_the_history_hides() {
        // E[oracle | history] is the ceiling: over customers, its mean equals the oracle's, and
        // it ranks the oracle's probabilities well but not perfectly (the history hides traits).
        let cfg = cfg(500);
        let dir = tempfile::tempdir().unwrap();
        let map_path = dir.path().join("sku_map.csv");
        std::fs::write(&map_path, include_str!("../../stages/sku_map.csv")).unwrap();
        let map = crate::synth::truth::DivisionMap::load(&map_path, None).unwrap();
        let cutoff = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let truth = crate::synth::truth::oracle(&cfg, cutoff, 6, 0.0, &map, 60, true).unwrap();
        for division in ["Solidworks", "Maintenance", "Training"] {
            let (mut t, mut h) = (vec![], vec![]);
            for x in truth.iter().filter(|x| x.known_at_cutoff) {
                t.push(x.p[division]);
                h.push(x.p_history.as_ref().unwrap()[division]);
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let (mt, mh) = (mean(&t), mean(&h));
            assert!(
                (mh - mt).abs() < 0.1 * mt,
                "{division}: mean ceiling {mh:.4}, mean oracle {mt:.4}"
            );
            let r = correlation(&t, &h);
            assert!(r > 0.6 && r < 0.999, "{division}: correlation {r:.3}");
        }
        for x in truth.iter().filter(|x| !x.known_at_cutoff) {
            assert!(x.p_history.as_ref().unwrap().values().all(|&p| p == 0.0));
        }
    }
}
