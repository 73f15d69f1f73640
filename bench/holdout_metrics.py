"""The holdout metrics the bench scripts compute from `holdout_scores_<division>.csv` and the
truth oracle, by the conventions of `src/ml/metrics.rs` (ties count as half)."""


def auc(y, p):
    """ROC AUC of scores `p` against 0/1 labels `y`, ties ranked by their mean rank."""
    pairs = sorted(zip(p, y))
    ranks, i = [0.0] * len(pairs), 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(y)
    neg = len(y) - pos
    s = sum(r for r, (_, t) in zip(ranks, pairs) if t == 1)
    return (s - pos * (pos + 1) / 2) / (pos * neg)
