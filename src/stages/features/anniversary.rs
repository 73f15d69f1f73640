//! `anniversary`: what the customer bought in each division in the calendar window that the
//! label window repeats, one and two years earlier. Yearly renewals, support contracts and
//! seasonal re-orders fall due again in the window; a trailing 6- or 12-month sum cannot say
//! *when* in the year they fall. Every line read is on or before the cutoff (the lagged window
//! `(cutoff - lag, cutoff - lag + window]` ends by the cutoff when `window <= lag`).

use super::matrix::{key, Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months};

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let w = ctx.params.anniversary_window_months;
    if w == 0 {
        return;
    }
    let h = ctx.asof.history;
    for lag in [12u32, 24] {
        if w > lag {
            continue;
        }
        let lo = history::day(add_months(ctx.cutoff, -(lag as i32)));
        let hi = history::day(add_months(ctx.cutoff, w as i32 - lag as i32));
        for name in &ctx.divisions {
            // A division with no line yet still gets its (zero) column: later lines must not
            // change which columns exist.
            let d = h.division_index(name);
            let gp: Vec<Option<f64>> = ctx
                .rows
                .iter()
                .map(|&i| {
                    Some(
                        ctx.asof.lines[i]
                            .iter()
                            .filter(|t| Some(t.division) == d && t.day > lo && t.day <= hi)
                            .map(|t| t.gp)
                            .sum::<f64>(),
                    )
                })
                .collect();
            m.push(
                format!("anniv__{}__gp_lag{lag}m", key(name)),
                "anniversary",
                format!("GP in {name} in the {w} months that the label window repeats, {lag} months earlier"),
                gp,
                Fill::Zero,
                true,
            );
        }
    }
}
