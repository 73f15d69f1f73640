//! Industry and sub-industry one-hots (the most common values in `dim_customer`, which does not
//! change with the cutoff, so every cutoff gets the same columns) and selected interactions:
//! industry x log 12-month gross profit, industry x the target division's smoothed share.

use std::collections::BTreeMap;

use super::matrix::{key, Fill, Matrix};
use super::Ctx;

fn top(values: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    // Most common first; ties by name, so the column set is deterministic.
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().take(n).map(|(k, _)| k).collect()
}

pub fn add(ctx: &Ctx, m: &mut Matrix, gp_12m: &[f64], div_share: &[f64]) {
    let customers = &ctx.asof.history.customers;
    // Counted over customers with history at the cutoff: customers who only appear later must not
    // shape the columns.
    let known = || {
        (0..customers.len())
            .filter(|&i| !ctx.asof.lines[i].is_empty())
            .map(|i| &customers[i])
    };
    let industries = top(
        known().filter_map(|c| c.industry.clone()),
        ctx.params.industries_top_n,
    );
    let subs = top(
        known().filter_map(|c| c.industry_sub.clone()),
        ctx.params.sub_industries_top_n,
    );
    let of = |r: usize| &customers[ctx.rows[r]];
    let n = ctx.rows.len();
    // Each row's position in the top lists, found once (not one string compare per column).
    let ind_of: Vec<Option<usize>> = (0..n)
        .map(|r| {
            of(r)
                .industry
                .as_ref()
                .and_then(|x| industries.iter().position(|i| i == x))
        })
        .collect();
    let sub_of: Vec<Option<usize>> = (0..n)
        .map(|r| {
            of(r)
                .industry_sub
                .as_ref()
                .and_then(|x| subs.iter().position(|i| i == x))
        })
        .collect();
    m.push(
        "industry__unknown",
        "industry",
        "1 when the customer has no industry in dim_customer",
        (0..n)
            .map(|r| Some(f64::from(u8::from(of(r).industry.is_none()))))
            .collect(),
        Fill::Zero,
        false,
    );
    for (ii, ind) in industries.iter().enumerate() {
        let k = key(ind);
        let is: Vec<f64> = ind_of
            .iter()
            .map(|x| f64::from(u8::from(*x == Some(ii))))
            .collect();
        m.push(
            format!("industry__is_{k}"),
            "industry",
            format!("1 when the industry is {ind}"),
            is.iter().map(|&x| Some(x)).collect(),
            Fill::Zero,
            false,
        );
        if ctx.params.interactions {
            m.push(
                format!("interact__{k}__x_log_gp__12m"),
                "industry",
                format!("is {ind} x ln(1 + max(0, 12-month gross profit))"),
                (0..n)
                    .map(|r| Some(is[r] * (1.0 + gp_12m[r].max(0.0)).ln()))
                    .collect(),
                Fill::Zero,
                false,
            );
            m.push(
                format!("interact__{k}__x_div_share__12m"),
                "industry",
                format!("is {ind} x the target division's smoothed 12-month share"),
                (0..n).map(|r| Some(is[r] * div_share[r])).collect(),
                Fill::Zero,
                false,
            );
        }
    }
    for (si, sub) in subs.iter().enumerate() {
        let k = key(sub);
        m.push(
            format!("industry__sub_is_{k}"),
            "industry",
            format!("1 when the sub-industry is {sub}"),
            sub_of
                .iter()
                .map(|x| Some(f64::from(u8::from(*x == Some(si)))))
                .collect(),
            Fill::Zero,
            false,
        );
    }
}
