"""Power: the smallest difference a paired comparison over n nodes can detect (alpha 0.05 two-sided, power 0.8),
and the n a given difference needs. Pure (standard library only). Formulas and their sources:
docs/evaluation.md ("Power").

Two kinds of paired comparison over nodes (or prompts):

- a **binary** outcome per node (the secure side is the more likely, yes/no), compared with McNemar's test (our
  exact sign test over the discordant nodes is its exact form): Connor (1987), *Sample size for testing
  differences in proportions for the paired-sample design*, Biometrics 43(1):207-211, eq. (3)::

      n = (z_{1-a/2} sqrt(psi) + z_{1-b} sqrt(psi - delta^2))^2 / delta^2

  with psi the discordance rate (share of nodes where the two models differ) and delta the difference of the two
  proportions. psi is taken as observed; when no node is discordant an assumed psi is used and said so.
- a **mean** of per-node values (a margin in nats, an insecure rate over M samples), compared as a paired mean
  difference: n = ((z_{1-a/2} + z_{1-b}) sd / delta)^2 + z_{1-a/2}^2 / 2, the normal formula with Guenther's
  (1981) correction for the t test (*Sample size formulas for normal theory T tests*, The American Statistician
  35(4):243-244), sd the standard deviation of the per-node differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal, Sequence

__all__ = ["ALPHA", "POWER", "ASSUMED_DISCORDANCE", "ASSUMED_HETEROGENEITY", "z", "mcnemar_n", "mcnemar_mde",
           "paired_mean_n", "paired_mean_mde", "rate_difference_sd", "nodes_needed", "MDE", "detectable"]

ALPHA, POWER = 0.05, 0.8
# Used when a run observes nothing to estimate from (no discordant node, fewer than two nodes):
ASSUMED_DISCORDANCE = 0.2  # share of nodes where two models' binary outcomes differ (the probe saw 21/121 = 0.17)
ASSUMED_HETEROGENEITY = 0.173  # SD across nodes of the true change in a rate: a 10-point mean change carried by a
# quarter of the nodes, each moving 40 points, has sqrt(0.25 * 0.4^2 - 0.1^2) = 0.173


def z(q: float) -> float:
    """The standard normal quantile."""
    return NormalDist().inv_cdf(q)


def _check(alpha: float, power: float) -> tuple[float, float]:
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must lie in (0, 1), got alpha={alpha}, power={power}")
    return z(1 - alpha / 2), z(power)


def mcnemar_n(delta: float, discordance: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Nodes needed to detect a difference ``delta`` of two paired proportions whose discordance rate is
    ``discordance`` (Connor 1987), rounded up."""
    za, zb = _check(alpha, power)
    delta = abs(delta)
    if not 0 < delta <= discordance <= 1:
        raise ValueError(f"need 0 < |delta| <= discordance <= 1, got delta={delta}, discordance={discordance}")
    return math.ceil((za * math.sqrt(discordance) + zb * math.sqrt(discordance - delta ** 2)) ** 2 / delta ** 2)


def mcnemar_mde(n: int, discordance: float, alpha: float = ALPHA, power: float = POWER) -> float:
    """The smallest |difference| of two paired proportions detectable over ``n`` nodes (Connor's formula solved
    for delta by bisection); NaN when even delta = discordance is out of reach (n too small)."""
    za, zb = _check(alpha, power)
    if n < 1 or not 0 < discordance <= 1:
        return math.nan

    def reach(d: float) -> float:  # > 0: n suffices for d
        return math.sqrt(n) * d - za * math.sqrt(discordance) - zb * math.sqrt(max(0.0, discordance - d * d))

    if reach(discordance) < 0:
        return math.nan
    lo, hi = 0.0, discordance
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if reach(mid) >= 0 else (mid, hi)
    return hi


def paired_mean_n(delta: float, sd: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Pairs needed to detect a mean difference ``delta`` when the per-pair differences have SD ``sd`` (normal
    formula with Guenther's t correction), rounded up."""
    za, zb = _check(alpha, power)
    if delta == 0 or sd <= 0:
        raise ValueError(f"need delta != 0 and sd > 0, got delta={delta}, sd={sd}")
    return math.ceil(((za + zb) * sd / abs(delta)) ** 2 + za ** 2 / 2)


def paired_mean_mde(n: int, sd: float, alpha: float = ALPHA, power: float = POWER) -> float:
    """The smallest |mean difference| detectable over ``n`` pairs (the inverse of :func:`paired_mean_n`); NaN
    when n is too small for the t correction (n <= z^2 / 2, i.e. n <= 1)."""
    za, zb = _check(alpha, power)
    room = n - za ** 2 / 2
    if room <= 0 or sd < 0:
        return math.nan
    return (za + zb) * sd / math.sqrt(room)


def rate_difference_sd(samples: int, heterogeneity: float = ASSUMED_HETEROGENEITY,
                       rate_variance: float = 0.25) -> float:
    """The SD of a per-node difference of two models' rates, each over ``samples`` continuations: the true change
    varies across nodes (SD ``heterogeneity``), and each rate adds binomial noise p(1-p)/M, at most 0.25/M
    (``rate_variance`` = p(1-p))."""
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    return math.sqrt(heterogeneity ** 2 + 2 * rate_variance / samples)


def nodes_needed(delta: float, samples: int, heterogeneity: float = ASSUMED_HETEROGENEITY, alpha: float = ALPHA,
                 power: float = POWER) -> int:
    """Nodes needed to detect a change ``delta`` in the mean per-node rate with ``samples`` continuations per
    node (the sizing of a profile's node evaluation)."""
    return paired_mean_n(delta, rate_difference_sd(samples, heterogeneity), alpha, power)


@dataclass(frozen=True)
class MDE:
    """The minimum detectable effect of one comparison, and what it rests on."""

    mde: float  # same unit as the compared values (a share, or nats); NaN: nothing detectable at this n
    n: int  # pairs compared
    kind: Literal["binary", "mean"]
    spread: float  # the discordance rate (binary) or the SD of the differences (mean) used
    assumed: bool  # spread was assumed, not observed
    alpha: float = ALPHA
    power: float = POWER

    def to_dict(self) -> dict:
        return {"mde": self.mde, "n": self.n, "kind": self.kind, "spread": self.spread, "assumed": self.assumed,
                "alpha": self.alpha, "power": self.power}


def detectable(a: Sequence[float], b: Sequence[float], kind: Literal["binary", "mean"] | None = None, *,
               alpha: float = ALPHA, power: float = POWER, assumed_sd: float | None = None) -> MDE:
    """The MDE of the paired comparison of ``a`` and ``b`` (same nodes, same order; NaN pairs dropped): binary
    values (0/1) by McNemar with the observed discordance (at least :data:`ASSUMED_DISCORDANCE`, marked assumed
    when that floor is used), others as a paired mean with the observed SD of the differences (``assumed_sd`` when
    nothing varied)."""
    pairs = [(x, y) for x, y in zip(a, b) if not (math.isnan(x) or math.isnan(y))]
    n = len(pairs)
    if kind is None:
        kind = "binary" if all(v in (0.0, 1.0) for p in pairs for v in p) else "mean"
    if kind == "binary":
        # A difference can be no larger than the discordance, so two models that barely differ would report an MDE
        # of n/a; the question is what this n could have detected had they differed as much as the design assumes.
        psi = sum(x != y for x, y in pairs) / n if n else 0.0
        assumed = psi < ASSUMED_DISCORDANCE
        psi = ASSUMED_DISCORDANCE if assumed else psi
        return MDE(mcnemar_mde(n, psi, alpha, power), n, kind, psi, assumed, alpha, power)
    diffs = [x - y for x, y in pairs]
    sd = math.sqrt(sum((d - sum(diffs) / n) ** 2 for d in diffs) / (n - 1)) if n >= 2 else 0.0
    assumed = sd == 0
    if assumed:
        sd = assumed_sd if assumed_sd is not None else math.nan
    return MDE(paired_mean_mde(n, sd, alpha, power), n, kind, sd, assumed, alpha, power)
