"""Minimum detectable effects and sample sizes (tsp_utils.evaluation.power) against hand-computed textbook values."""

import math

import pytest

from tsp_utils.evaluation import power


def test_normal_quantiles():
    assert power.z(0.975) == pytest.approx(1.959964, abs=1e-6)
    assert power.z(0.8) == pytest.approx(0.841621, abs=1e-6)


def test_mcnemar_sample_size_by_hand():
    # Connor (1987) eq. 3, discordance psi = 0.2, difference delta = 0.1, alpha 0.05 two-sided, power 0.8:
    # n = (1.959964 * sqrt(0.2) + 0.841621 * sqrt(0.2 - 0.01))^2 / 0.01
    #   = (0.876523 + 0.366854)^2 / 0.01 = 1.243377^2 / 0.01 = 154.6 -> 155 pairs
    assert power.mcnemar_n(0.1, 0.2) == 155
    assert power.mcnemar_n(-0.1, 0.2) == 155  # two-sided: the sign does not matter
    # and the inverse: 155 pairs detect 0.1, one pair fewer does not quite
    assert power.mcnemar_mde(155, 0.2) <= 0.1 < power.mcnemar_mde(154, 0.2)
    assert power.mcnemar_mde(155, 0.2) == pytest.approx(0.1, abs=5e-4)


def test_paired_mean_sample_size_by_hand():
    # effect 0.5 SD: n = ((1.959964 + 0.841621) / 0.5)^2 + 1.959964^2 / 2 = 31.40 + 1.92 = 33.3 -> 34 pairs
    # (the exact noncentral-t answer is 33.4, e.g. G*Power's matched-pairs t test: 34)
    assert power.paired_mean_n(0.5, 1.0) == 34
    assert power.paired_mean_n(5.0, 10.0) == 34  # only the ratio matters
    # inverse: MDE = 2.801585 * sd / sqrt(n - 1.920729); at n = 34, sd 1: 2.801585 / 5.663 = 0.4947
    assert power.paired_mean_mde(34, 1.0) == pytest.approx(0.4947, abs=1e-4)
    assert math.isnan(power.paired_mean_mde(1, 1.0))


@pytest.mark.parametrize("mde", [lambda n: power.mcnemar_mde(n, 0.3), lambda n: power.paired_mean_mde(n, 0.25)])
def test_mde_falls_as_n_grows(mde):
    values = [mde(n) for n in (40, 80, 160, 320, 640)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert values[-1] < values[0] / 3  # roughly 1/sqrt(n)


def test_a_stricter_alpha_or_more_power_needs_more():
    assert power.mcnemar_n(0.1, 0.2, alpha=0.01) > power.mcnemar_n(0.1, 0.2)
    assert power.paired_mean_n(0.1, 0.25, power=0.9) > power.paired_mean_n(0.1, 0.25)
    assert power.mcnemar_mde(50, 0.4) > power.mcnemar_mde(50, 0.2)  # more discordance, more noise


def test_unreachable_and_bad_arguments():
    assert math.isnan(power.mcnemar_mde(3, 0.2))  # 3 nodes cannot detect even the largest possible difference
    with pytest.raises(ValueError, match="discordance"):
        power.mcnemar_n(0.3, 0.2)  # a difference larger than the discordance is impossible
    with pytest.raises(ValueError, match="alpha"):
        power.paired_mean_n(0.1, 0.2, alpha=1.5)
    with pytest.raises(ValueError, match="samples"):
        power.rate_difference_sd(0)


def test_rate_difference_sd_and_the_cpu_profile_sizing():
    # sd^2 = heterogeneity^2 + 2 * 0.25 / M: at M = 16, 0.173^2 + 0.03125 = 0.0612 -> sd 0.2473
    assert power.rate_difference_sd(16) == pytest.approx(math.sqrt(power.ASSUMED_HETEROGENEITY ** 2 + 0.5 / 16))
    assert power.rate_difference_sd(64) < power.rate_difference_sd(16)
    # n = (2.801585 * 0.2473 / 0.1)^2 + 1.92 = 48.0 + 1.9 = 49.9 -> 50 nodes for a 10-point change at M = 16
    assert power.nodes_needed(0.10, 16) == 50
    assert power.nodes_needed(0.10, 8) > power.nodes_needed(0.10, 16) > power.nodes_needed(0.10, 32)


def test_detectable_uses_what_was_observed():
    a = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0] * 6
    b = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0] * 6  # 2 of 10 discordant
    m = power.detectable(a, b)
    assert m.kind == "binary" and m.n == 60 and m.spread == pytest.approx(0.2) and not m.assumed
    assert m.mde == pytest.approx(power.mcnemar_mde(60, 0.2))
    same = power.detectable(b, b)
    assert same.assumed and same.spread == power.ASSUMED_DISCORDANCE
    rare = power.detectable([1] + [0] * 59, [0] * 60)  # 1 of 60 discordant: the design's discordance, not n/a
    assert rare.assumed and rare.spread == power.ASSUMED_DISCORDANCE and rare.mde == pytest.approx(
        power.mcnemar_mde(60, power.ASSUMED_DISCORDANCE))
    x = [0.5, 0.25, 0.0, 1.0, float("nan")]
    y = [0.25, 0.25, 0.5, 0.5, 0.0]
    m = power.detectable(x, y, "mean")
    diffs = [0.25, 0.0, -0.5, 0.5]
    sd = math.sqrt(sum((d - 0.0625) ** 2 for d in diffs) / 3)
    assert m.n == 4 and m.spread == pytest.approx(sd) and m.mde == pytest.approx(power.paired_mean_mde(4, sd))
    flat = power.detectable([0.5] * 5, [0.5] * 5, "mean", assumed_sd=0.3)
    assert flat.assumed and flat.spread == 0.3
