//! Each pair's rank within its division and within its customer, ties broken deterministically.

use std::cmp::Ordering;

use super::Pair;

/// Sets `rank_in_division` and `rank_in_customer`: by score, then p_icp, then the other key.
/// `keys` holds each pair's customer and division as indexes into the history's id-sorted
/// customers and name-sorted divisions (the same order as the strings, cheaper to compare); a
/// pair without one (not in the history) is compared by its string.
pub(super) fn assign(pairs: &mut [Pair], keys: &[(Option<usize>, Option<u16>)]) {
    let (in_division, in_customer) = {
        let pairs = &*pairs;
        let cust = |a: usize, b: usize| match (keys[a].0, keys[b].0) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => pairs[a].customer_id.cmp(&pairs[b].customer_id),
        };
        let div = |a: usize, b: usize| match (keys[a].1, keys[b].1) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => pairs[a].division.cmp(&pairs[b].division),
        };
        let by_score = |a: usize, b: usize| {
            pairs[b]
                .score
                .total_cmp(&pairs[a].score)
                .then(pairs[b].p_icp.total_cmp(&pairs[a].p_icp))
        };
        (
            within(pairs.len(), &div, &|a, b| by_score(a, b).then(cust(a, b))),
            within(pairs.len(), &cust, &|a, b| by_score(a, b).then(div(a, b))),
        )
    };
    for ((x, d), c) in pairs.iter_mut().zip(in_division).zip(in_customer) {
        x.rank_in_division = d;
        x.rank_in_customer = c;
    }
}

/// 1-based ranks of `n` items within the groups `group` orders them into, by `order` inside.
fn within(
    n: usize,
    group: &dyn Fn(usize, usize) -> Ordering,
    order: &dyn Fn(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by(|&a, &b| group(a, b).then(order(a, b)));
    let mut rank = vec![0; n];
    let mut k = 0;
    for i in 0..n {
        k = if i > 0 && group(sorted[i], sorted[i - 1]).is_eq() {
            k + 1
        } else {
            1
        };
        rank[sorted[i]] = k;
    }
    rank
}
