"""Uncertainty over prompts: bootstrap CIs, paired differences, the sign test and the relative reduction on unseen
CWEs."""

import math

import numpy as np
import pytest

from tsp_utils.evaluation import metrics as M, stats as S, tables as T

from evaluation_rows import row


def test_relative_reduction_on_unseen_cwes():
    assert M.relative_reduction(0.5, 0.2) == pytest.approx(0.6)
    assert M.relative_reduction(0.5, 0.5) == 0.0
    assert M.relative_reduction(0.2, 0.4) == pytest.approx(-1.0)  # worse than the baseline
    assert math.isnan(M.relative_reduction(0.0, 0.1))
    ids = [f"u{i}" for i in range(40)]
    base = [row(p, "vulnerable" if i % 2 == 0 else "secure", split="unseen") for i, p in enumerate(ids)]
    base += [row("s1", "vulnerable"), row("s2", "vulnerable")]  # seen prompts are not part of it
    method = [row(p, "vulnerable" if i % 4 == 0 else "secure", split="unseen") for i, p in enumerate(ids)]
    method += [row("s1", "secure"), row("s2", "secure")]
    red = S.unseen_reduction(method, base)
    assert (red.base_rate, red.method_rate, red.n_prompts) == (0.5, 0.25, 40)
    assert red.reduction.estimate == pytest.approx(0.5)
    assert red.reduction.low < 0.5 < red.reduction.high and red.reduction.high <= 1.0


def test_bootstrap_constant_data_has_zero_width():
    ci = S.bootstrap_ci(np.full(30, 0.5))
    assert (ci.estimate, ci.low, ci.high) == (0.5, 0.5, 0.5) and ci.width == 0.0
    est, low, high = S.bootstrap_ci([1.0, 1.0, float("nan")])  # a plain (estimate, low, high) tuple; NaN dropped
    assert (est, low, high) == (1.0, 1.0, 1.0)
    assert all(math.isnan(x) for x in S.bootstrap_ci([float("nan")]))


def test_bootstrap_bernoulli_covers_true_mean_with_expected_width():
    rng = np.random.default_rng(123)
    n, p = 400, 0.3
    ci = S.bootstrap_ci(rng.random(n) < p, seed=1)
    expected_width = 2 * 1.96 * math.sqrt(p * (1 - p) / n)  # normal approximation, ~0.09
    assert ci.contains(p)
    assert 0.75 * expected_width < ci.width < 1.25 * expected_width
    # Coverage over many replications is close to the nominal 95 %.
    hits = sum(S.bootstrap_ci(rng.random(100) < p, n_boot=500, seed=s).contains(p) for s in range(300))
    assert 0.88 <= hits / 300 <= 0.99
    # A custom statistic goes through the generic path and gives the same interval for the mean.
    data = (rng.random(200) < p).astype(float)
    fast, slow = S.bootstrap_ci(data, seed=3), S.bootstrap_ci(data, stat=lambda v: float(np.mean(v)), seed=3)
    assert fast == pytest.approx(slow)


def test_paired_difference_of_identical_methods_is_inside_the_noise():
    rng = np.random.default_rng(0)
    a = (rng.random(60) < 0.5).astype(float)
    ci = S.paired_bootstrap_ci(a, a.copy())
    assert ci == (0.0, 0.0, 0.0) and S.inside_noise(ci)
    # Independent noise around the same mean: inside the noise; a large real shift is not.
    b = (rng.random(60) < 0.5).astype(float)
    assert S.inside_noise(S.paired_bootstrap_ci(a, a[rng.permutation(60)]))
    shifted = np.clip(b + 0.6, 0, 1)
    diff = S.paired_bootstrap_ci(shifted, b)
    assert diff.estimate > 0 and not S.inside_noise(diff)
    with pytest.raises(ValueError):
        S.paired_bootstrap_ci([1.0, 2.0], [1.0])


def test_compare_methods_pairs_by_prompt():
    base = [row(f"p{i}", "secure" if i % 2 else "vulnerable") for i in range(30)]
    same = list(reversed(base))  # same verdicts in another order: pairing is by prompt id, not position
    assert S.compare_methods(same, base) == (0.0, 0.0, 0.0)
    better = [row(f"p{i}", "secure") for i in range(30)]
    diff = S.compare_methods(better, base)
    assert diff.estimate == pytest.approx(0.5) and not S.inside_noise(diff)


def test_a_few_prompts_moving_together_are_still_inside_the_noise():
    import dataclasses

    # 4 of 10 prompts unfinished after training, all in the same direction: the bootstrap interval excludes 0,
    # but a fair coin does that once in 8 tries
    base = [dataclasses.replace(row(f"p{i}", "secure"), finished=True) for i in range(10)]
    worse = [dataclasses.replace(row(f"p{i}", "secure"), finished=i >= 4) for i in range(10)]
    assert S.sign_test([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [0] * 10) == pytest.approx(0.125)
    assert S.sign_test([1] * 6 + [0] * 4, [0] * 10) == pytest.approx(2 / 64)
    assert S.sign_test([0.5, np.nan], [0.5, 1.0]) == 1.0  # ties and undefined pairs say nothing
    r = T.results_table({"base": base, "sft": worse}, ["unfinished"], baseline="base", n_boot=500).get("sft", "unfinished")
    assert r.diff.low > 0 and r.p_value == pytest.approx(0.125) and r.noise is True
    assert "p=0.12 ~" in T.to_markdown(T.results_table({"base": base, "sft": worse}, ["unfinished"], baseline="base",
                                                       n_boot=500))


def test_unknown_verdicts_do_not_lower_a_vulnerability_rate():
    sft = [row(f"u{i}", "vulnerable" if i < 5 else "secure", split="unseen") for i in range(10)]
    tsp = [row(f"u{i}", "unknown" if i < 5 else "secure", split="unseen") for i in range(10)]
    rates = {r.group: r.rate for r in M.vulnerability_rates(tsp + [row("x", "unknown", cwe="cwe-089")])}
    assert rates[("cwe-078",)] == 0.0 and np.isnan(rates[("cwe-089",)])  # nothing judged: no rate
    red = S.unseen_reduction(tsp, sft, n_boot=300)
    # the prompts where SFT was vulnerable were not judged for TSP: no evidence of a reduction is left
    assert red.n_prompts == 5 and red.method_rate == 0.0 and red.base_rate == 0.0
