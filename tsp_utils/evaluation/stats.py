"""Uncertainty over prompts: percentile bootstrap CIs (paired for differences between methods on the same
prompts), the exact sign test, the inside-the-noise verdict, and the relative reduction on unseen CWEs. Pure
(numpy only). Why both a bootstrap and a sign test: docs/evaluation.md ("Statistics")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

import numpy as np

from .metrics import filter_samples, nanmean, prompt_stats, prompt_values, relative_reduction
from .records import ScoredSample

__all__ = ["CI", "Reduction", "bootstrap_ci", "paired_bootstrap_ci", "inside_noise", "sign_test", "noise_verdict",
           "aligned_values", "compare_methods", "unseen_reduction"]


class CI(NamedTuple):
    estimate: float
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def _resample_stat(values: np.ndarray, idx: np.ndarray, stat: Callable) -> np.ndarray:
    if stat in (np.mean, np.nanmean, nanmean):
        return values[idx].mean(axis=1)  # vectorised fast path for the common case
    return np.array([stat(values[row]) for row in idx])


def bootstrap_ci(values_per_prompt, stat: Callable = np.mean, n_boot: int = 2000, alpha: float = 0.05,
                 seed: int = 0) -> CI:
    """Percentile bootstrap over prompts: (estimate, low, high) of ``stat``. NaN values (prompts where the metric
    is undefined) are dropped first; no data gives an all-NaN interval."""
    values = np.asarray(values_per_prompt, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return CI(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, values.size, size=(n_boot, values.size))
    boot = _resample_stat(values, idx, stat)
    low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    return CI(float(stat(values)), float(low), float(high))


def _mean_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a) - np.mean(b))


def paired_bootstrap_ci(a, b, stat: Callable[[np.ndarray, np.ndarray], float] | None = None, n_boot: int = 2000,
                        alpha: float = 0.05, seed: int = 0) -> CI:
    """Paired percentile bootstrap: the same resampled prompts for both methods, so per-prompt difficulty cancels.

    ``a[i]`` and ``b[i]`` must belong to the same prompt. ``stat(a, b)`` defaults to mean(a) - mean(b). Pairs
    where either value is NaN are dropped.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired values need the same shape, got {a.shape} and {b.shape}")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    if a.size == 0:
        return CI(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, a.size, size=(n_boot, a.size))
    if stat is None:
        stat = _mean_diff
        boot = a[idx].mean(axis=1) - b[idx].mean(axis=1)
    else:
        boot = np.array([stat(a[row], b[row]) for row in idx])
    boot = boot[~np.isnan(boot)]
    low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2]) if boot.size else (np.nan, np.nan)
    return CI(float(stat(a, b)), float(low), float(high))


def inside_noise(ci: CI) -> bool:
    """True when the CI of a difference contains 0: the two methods are not distinguishable on these prompts."""
    return bool(ci.low <= 0.0 <= ci.high)


def sign_test(a, b) -> float:
    """Exact two-sided sign test of paired per-prompt values: under "no difference", a prompt where the two differ
    is as likely to favour either, so the count favouring ``a`` is Binomial(differing prompts, 1/2). NaN pairs and
    ties are left out; no differing prompt gives 1."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b)) & (a != b)
    n, k = int(keep.sum()), int((a[keep] > b[keep]).sum())
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(k, n - k) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def noise_verdict(ci: CI, p_value: float, alpha: float = 0.05) -> bool | None:
    """Whether a paired difference is inside the noise: its CI contains 0, or the sign test cannot reject "no
    difference" at ``alpha``. None when the difference is undefined (no common prompt with a value)."""
    if math.isnan(ci.estimate):
        return None
    return inside_noise(ci) or p_value >= alpha


def aligned_values(method: Iterable[ScoredSample], base: Iterable[ScoredSample], metric: str,
                   label: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-prompt values of both methods on the prompts they share, in the same order."""
    sm = {s.prompt_id: s for s in prompt_stats(method, label)}
    sb = {s.prompt_id: s for s in prompt_stats(base, label)}
    common = [pid for pid in sm if pid in sb]
    return (prompt_values([sm[p] for p in common], metric), prompt_values([sb[p] for p in common], metric))


def compare_methods(method: Iterable[ScoredSample], base: Iterable[ScoredSample], metric: str = "spr@1", *,
                    label: str = "label", n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> CI:
    """Paired CI of (method - baseline) for ``metric`` on their common prompts; check it with :func:`inside_noise`."""
    a, b = aligned_values(list(method), list(base), metric, label)
    return paired_bootstrap_ci(a, b, n_boot=n_boot, alpha=alpha, seed=seed)


@dataclass
class Reduction:
    base_rate: float
    method_rate: float
    reduction: CI  # relative reduction (base - method) / base with its paired bootstrap CI
    n_prompts: int
    p_value: float = 1.0  # exact sign test of the per-prompt rates (:func:`sign_test`)

    @property
    def defined(self) -> bool:
        """False when the base wrote no vulnerable program on the split: there is nothing to reduce."""
        return not math.isnan(self.reduction.estimate)

    @property
    def noise(self) -> bool | None:
        return noise_verdict(self.reduction, self.p_value)

    def to_dict(self) -> dict[str, float | int | bool | None]:
        """The flat form ``results.json`` keeps."""
        return {"base_rate": self.base_rate, "method_rate": self.method_rate, "reduction": self.reduction.estimate,
                "low": self.reduction.low, "high": self.reduction.high, "p_value": self.p_value,
                "noise": self.noise, "n_prompts": self.n_prompts}


def unseen_reduction(method: Iterable[ScoredSample], base: Iterable[ScoredSample], split: str = "unseen", *,
                     label: str = "label", n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> Reduction:
    """Relative reduction of the vulnerability rate on one split (default: CWEs unseen in training), with a paired
    bootstrap CI and a sign test over the prompts both methods were evaluated on and both have a judged output for
    (the rate is ``vuln-judged``: an unknown verdict is no evidence of a removed vulnerability). Resamples where
    the baseline's rate is 0 have no reduction and are left out of the CI; the sign test has no such gap."""
    a, b = aligned_values(filter_samples(method, split=split), filter_samples(base, split=split), "vuln-judged",
                          label)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]

    def stat(m: np.ndarray, bl: np.ndarray) -> float:
        return relative_reduction(float(np.mean(bl)), float(np.mean(m)))

    ci = paired_bootstrap_ci(a, b, stat=stat, n_boot=n_boot, alpha=alpha, seed=seed)
    return Reduction(nanmean(b), nanmean(a), ci, int(a.size), sign_test(b, a))
