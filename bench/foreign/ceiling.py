"""The history ceiling of gen.py's process: E[p_true | what the sales log shows].

p_true conditions on each customer's hidden traits (engagement, size, six affinities) and on
whether it has churned; a model of the log sees only its purchases. The ceiling averages the
truth over the traits' posterior given the history, under the generator's own law: draws from
the prior, weighted by the exact likelihood of the customer's record (every division bought or
not in every month since joining, at its hazard; renewals; the entry purchase's division; the
quantities, which tell the size), churn marginalised month by month; each draw then replays the
holdout window once from its posterior-alive state. That is the Bayes-optimal score of the
history: no model of the log can beat it except by luck.
"""
import numpy as np

from gen import BASE, DIVS, ENTRY_MIX, SEASON, step


def history_ceiling(seed, known, join, events, qty, draws, n_hist, n_hold, chunk=16):
    n, d = join.shape[0], len(DIVS)
    bought = np.zeros((n, n_hist, d), bool)
    for m, c, k in events:
        if m < n_hist:
            bought[c, m, k] = True
    out = np.zeros((n, d))
    rng = np.random.default_rng([seed, 104729])
    idx = np.nonzero(known)[0]
    for start in range(0, len(idx), chunk):
        cs = idx[start:start + chunk]
        out[cs] = _chunk(rng, cs, join[cs], bought[cs], events_qty(cs, qty, n_hist), draws, n_hold)
    return out


def events_qty(cs, qty, n_hist):
    pos = {c: i for i, c in enumerate(cs)}
    per = [[] for _ in cs]
    for (m, c, k), v in qty.items():
        if c in pos and m < n_hist:
            per[pos[c]].append(v - 1)
    return per


def _chunk(rng, cs, join, bought, qtys, draws, n_hold):
    b, k, d = len(cs), draws, len(DIVS)
    n_hist = bought.shape[1]
    e = rng.normal(size=(b, k))
    z = rng.normal(size=(b, k))
    u = rng.normal(size=(b, k, d)) * 0.9 + 0.3 * e[..., None]
    q = 0.01 * np.exp(-0.6 * e)
    logw = np.zeros((b, k))
    # The entry purchase's division, drawn with weights exp(1.5 u) x the prior mix.
    entry = bought[np.arange(b), join]  # (b, d), one True each
    wpick = np.exp(1.5 * u) * ENTRY_MIX
    logw += np.log((wpick * entry[:, None, :]).sum(-1) / wpick.sum(-1))
    # Quantities: each purchase's units - 1 ~ Poisson(exp(z / 2)).
    lam = np.exp(0.5 * z)
    for i, qs in enumerate(qtys):
        if qs:
            s = float(sum(qs))
            logw[i] += s * 0.5 * z[i] - len(qs) * lam[i]
    # Months after joining: alive-and-observed log-likelihood A_m, churn marginalised.
    last = np.full((b, d), -100)
    ever = np.zeros((b, d), bool)
    cum = np.zeros((b, k))          # A_{m}: survived and bought as seen through month m
    terms = []                       # log-likelihoods of churning at month T (dead from T)
    last_buy = np.full(b, -1)
    for m in range(n_hist):
        after = m > join             # (b,)
        if after.any():
            logit = (BASE + 0.7 * e[..., None] + 0.8 * u + 0.35 * z[..., None] + SEASON[m % 12]
                     + 1.2 * ((m - last) <= 2)[:, None, :])
            logit[..., 4] += 2.5 * ever[:, None, 3]
            logit[..., 1] += 1.0 * ever[:, None, 0]
            logit[..., 2] += 1.0 * ever[:, None, 0]
            p = 1 / (1 + np.exp(-logit))
            ren = (last[:, 0] == m - 12)[:, None]
            p[..., 0] = np.where(ren, 1 - (1 - p[..., 0]) * 0.25, p[..., 0])
            obs = bought[:, m][:, None, :]
            ll = np.where(obs, np.log(p), np.log1p(-p)).sum(-1)
            # Churning at month m: the customer was seen through m - 1 and buys nothing after.
            terms.append((m, np.where(after[:, None], cum + np.log(q), -np.inf)))
            cum = np.where(after[:, None], cum + np.log1p(-q) + ll, cum)
        hit = bought[:, m]
        last = np.where(hit, m, last)
        ever |= hit
        last_buy = np.where(hit.any(1), m, last_buy)
    # Dead from month T means nothing bought from T on: last_buy, now the customer's last
    # purchase month, must be before T.
    alive_ll = cum
    dead = [np.where((last_buy < t)[:, None], term, -np.inf) for t, term in terms]
    stack = np.stack([alive_ll] + dead)          # (1 + T, b, k)
    top = stack.max(0)
    total = top + np.log(np.exp(stack - top).sum(0))
    p_alive = np.exp(alive_ll - total)
    logw += total
    w = np.exp(logw - logw.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    # One replay of the window per draw, from the draw's traits, the customer's history, alive.
    flat = lambda a: a.reshape(b * k, *a.shape[2:])
    fe, fz, fu, fq = flat(e), flat(z), flat(u), flat(q)
    fl = np.repeat(last, k, axis=0)
    fev = np.repeat(ever, k, axis=0)
    fj = np.repeat(join, k)
    al = np.ones(b * k, bool)
    got = np.zeros((b * k, d), bool)
    # Rao-Blackwellised: a division's first purchase in the window comes in month m with the
    # month's probability given the path so far, so the path's sum of those probabilities over
    # the months before its first purchase estimates P(bought) with less noise than the 0/1 draw.
    hit = np.zeros((b * k, d))
    for m in range(n_hist, n_hist + n_hold):
        probs = []
        buy = step(rng, m, al, fe, fu, fz, fq, fl, fev, fj, probs)
        hit += np.where(got, 0.0, probs[0])
        fl[buy] = m
        fev |= buy
        got |= buy
    hit = hit.reshape(b, k, d)
    return ((w * p_alive)[..., None] * hit).sum(1)
