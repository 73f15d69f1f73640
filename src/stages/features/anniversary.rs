//! `anniversary`: what the customer bought in each division in the calendar window that the
//! label window repeats, one and two years earlier, and how many orders fell in it in every
//! earlier year of the history. Yearly renewals, support contracts and seasonal re-orders fall
//! due again in the window (a seat bought three Marches ago renews this March, too); a trailing
//! 6- or 12-month sum cannot say *when* in the year they fall. Every line read is on or before the cutoff (the lagged window
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
    // Every earlier year: the windows (cutoff - 12k months, cutoff - 12k months + w] that end by
    // the cutoff and start after the history's first line.
    let Some(first) = ctx.asof.min_day else {
        return;
    };
    let windows: Vec<(i32, i32)> = (1..=50)
        .filter(|k| w <= 12 * k)
        .map(|k| {
            (
                history::day(add_months(ctx.cutoff, -12 * k as i32)),
                history::day(add_months(ctx.cutoff, w as i32 - 12 * k as i32)),
            )
        })
        .take_while(|&(_, hi)| hi >= first)
        .collect();
    for name in &ctx.divisions {
        let d = h.division_index(name);
        let n: Vec<Option<f64>> = ctx
            .rows
            .iter()
            .map(|&i| {
                let lines = ctx.asof.lines[i].iter().filter(|t| {
                    Some(t.division) == d
                        && t.gp > 0.0
                        && windows.iter().any(|&(lo, hi)| t.day > lo && t.day <= hi)
                });
                Some(lines.count() as f64)
            })
            .collect();
        m.push(
            format!("anniv__{}__n_all_years", key(name)),
            "anniversary",
            format!("{name} lines (positive GP) in the {w} months that the label window repeats, summed over every earlier year"),
            n,
            Fill::Zero,
            false,
        );
    }
}
