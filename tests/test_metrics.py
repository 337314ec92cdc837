"""Metrics on hand-made verdict tables: SPR@1 and the shares beside it, pass@k and sec-pass@k, vulnerability rates."""

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from tsp_utils.evaluation import metrics as M, tables as T

from evaluation_rows import row


def test_spr_excludes_invalid_from_denominator_and_never_counts_unknown_as_secure():
    table = [row("p1", "secure"), row("p2", "vulnerable"), row("p3", "unknown"),
             row("p4", "unknown", syntax="error")]
    s = M.spr_at_1(table)
    assert s.spr == pytest.approx(1 / 3)  # 1 secure of 3 valid: the invalid p4 is not in the denominator
    assert s.unknown == pytest.approx(1 / 3) and s.vulnerable == pytest.approx(1 / 3)
    assert s.spr + s.unknown + s.vulnerable == pytest.approx(1.0)
    assert s.invalid == pytest.approx(1 / 4)
    assert (s.n_prompts, s.n_samples, s.n_valid) == (4, 4, 3)

    # More invalid outputs move only the invalid share.
    more_invalid = table + [row(f"x{i}", "unknown", syntax="error") for i in range(4)]
    assert M.spr_at_1(more_invalid).spr == pytest.approx(s.spr)
    assert M.spr_at_1(more_invalid).invalid > s.invalid

    # Unknown is never secure: an all-unknown table has SPR 0, and labels other than "secure" never count.
    assert M.spr_at_1([row("a", "unknown"), row("b", "unknown")]).spr == 0.0
    assert M.spr_at_1([row("a", "weird-label")]).spr == 0.0
    # "unchecked" syntax (no parser for the language) is not evidence of invalidity.
    assert M.spr_at_1([row("a", "secure", syntax="unchecked")]).invalid == 0.0


def test_spr_is_a_macro_average_over_prompts_and_undefined_without_valid_output():
    # p1: 2 of 4 valid samples secure (+1 invalid); p2: its single sample secure -> (0.5 + 1) / 2
    table = [row("p1", "secure", idx=0), row("p1", "secure", idx=1), row("p1", "vulnerable", idx=2),
             row("p1", "unknown", idx=3), row("p1", "unknown", syntax="error", idx=4), row("p2", "secure")]
    assert M.spr_at_1(table).spr == pytest.approx(0.75)
    assert M.spr_at_1(table).invalid == pytest.approx((1 / 5 + 0) / 2)
    assert math.isnan(M.spr_at_1([row("p", "unknown", syntax="error")]).spr)
    stats = M.prompt_stats(table)
    assert [(s.prompt_id, s.n, s.valid, s.secure, s.vulnerable, s.unknown) for s in stats] == [
        ("p1", 5, 4, 2, 1, 1), ("p2", 1, 1, 1, 0, 0)]


def test_unfinished_share_counts_only_samples_that_recorded_it():
    def ending(pid, finished, idx):
        return dataclasses.replace(row(pid, "unknown", syntax="error" if finished is False else "ok", idx=idx),
                                   finished=finished)

    table = [ending("p1", True, 0), ending("p1", False, 1), ending("p1", None, 2), ending("p2", None, 0),
             ending("p3", False, 0)]
    values = M.prompt_values(M.prompt_stats(table), "unfinished")
    assert values[0] == pytest.approx(0.5) and np.isnan(values[1]) and values[2] == 1.0
    assert M.metric_value(table, "unfinished") == pytest.approx(0.75)  # macro: (0.5 + 1) / 2, p2 left out
    assert "unfinished" in T.DEFAULT_METRICS


def test_static_only_label_is_available():
    table = [row("p1", "vulnerable", security="fail", oracle_label="secure"), row("p2", "secure")]
    assert M.spr_at_1(table).spr == 0.5
    assert M.spr_at_1(table, label="oracle_label").spr == 1.0


def test_sec_pass_needs_secure_and_functional_pass_over_prompts_with_a_test():
    table = [
        row("p1", "secure", functional="pass"),
        row("p2", "secure", functional="fail"),
        row("p3", "vulnerable", functional="pass"),
        row("p4", "unknown", functional="pass"),  # unknown never counts as secure
        row("p5", "unknown", syntax="error", functional="skipped"),  # invalid counts as a failure
        row("p6", "secure"),  # no functional test: outside the denominator
    ]
    assert M.sec_pass_at_k(table) == pytest.approx(1 / 5)
    assert M.mean_pass_at_k(table) == pytest.approx(3 / 5)
    assert M.metric_value(table, "sec-pass@1") == M.sec_pass_at_k(table)
    assert math.isnan(M.sec_pass_at_k([row("p", "secure")]))


def test_pass_at_k_over_several_samples_per_prompt():
    # 5 samples, 2 pass: pass@1 = 2/5, pass@2 = 1 - C(3,2)/C(5,2) = 7/10; 1 of them is also secure.
    table = [row("p", "secure", functional="pass", idx=0), row("p", "vulnerable", functional="pass", idx=1)]
    table += [row("p", "secure", functional="fail", idx=i) for i in range(2, 5)]
    assert M.mean_pass_at_k(table, 1) == pytest.approx(0.4)
    assert M.mean_pass_at_k(table, 2) == pytest.approx(0.7)
    assert M.sec_pass_at_k(table, 2) == pytest.approx(1 - math.comb(4, 2) / math.comb(5, 2))
    # k above a prompt's sample count leaves that prompt out (undefined), it does not crash.
    assert math.isnan(M.mean_pass_at_k(table, 6))


def test_pass_at_k_estimator_matches_exact_binomials_and_edges():
    for n in range(1, 16):
        for c in range(n + 1):
            for k in range(1, n + 1):
                exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
                assert M.pass_at_k(n, c, k) == pytest.approx(float(exact), abs=1e-12), (n, c, k)
    assert M.pass_at_k(10, 0, 3) == 0.0  # nothing correct
    assert M.pass_at_k(10, 8, 3) == 1.0  # n - c < k: every 3-subset holds a correct sample
    assert M.pass_at_k(10, 10, 1) == 1.0
    assert M.pass_at_k(10, 3, 1) == pytest.approx(0.3)  # pass@1 is the plain success share
    # large n: no overflow, still exact
    big = 1 - Fraction(math.comb(800, 100), math.comb(1000, 100))
    assert M.pass_at_k(1000, 200, 100) == pytest.approx(float(big), rel=1e-9)
    for bad in ((5, 6, 1), (5, -1, 1), (5, 2, 0), (5, 2, 6)):
        with pytest.raises(ValueError):
            M.pass_at_k(*bad)


def test_vulnerability_rates_per_cwe_language_and_split():
    table = [
        row("a1", "vulnerable", cwe="cwe-078"), row("a2", "secure", cwe="cwe-078"),
        row("b1", "vulnerable", cwe="cwe-089", language="c"), row("b2", "unknown", cwe="cwe-089", language="c"),
        row("u1", "vulnerable", cwe="cwe-918", split="unseen"), row("u2", "vulnerable", cwe="cwe-918", split="unseen"),
        row("u3", "unknown", syntax="error", cwe="cwe-117", split="unseen"),
    ]
    by_cwe = {r.group: r for r in M.vulnerability_rates(table)}
    assert by_cwe[("cwe-078",)].rate == 0.5 and by_cwe[("cwe-078",)].split == "seen"
    # an unknown verdict is left out of the rate (it could hide a vulnerability) and counted in the row
    assert by_cwe[("cwe-089",)].rate == 1.0 and by_cwe[("cwe-089",)].unknown == 1
    assert by_cwe[("cwe-918",)].rate == 1.0 and by_cwe[("cwe-918",)].split == "unseen"
    assert math.isnan(by_cwe[("cwe-117",)].rate) and by_cwe[("cwe-117",)].n_valid == 0
    by_lang = {r.group: r.rate for r in M.vulnerability_rates(table, by="language")}
    assert by_lang[("c",)] == 1.0 and by_lang[("python",)] == pytest.approx(3 / 4)
    both = {r.group for r in M.vulnerability_rates(table, by=("language", "cwe"))}
    assert ("c", "cwe-089") in both and ("python", "cwe-918") in both
    assert M.split_vulnerability_rates(table) == {"seen": pytest.approx(2 / 3), "unseen": 1.0}


def test_an_unfinished_function_nothing_could_parse_is_invalid():
    import dataclasses

    cut = dataclasses.replace(row("p", "secure", syntax="unchecked", language="ruby"), finished=False)
    assert not cut.valid and dataclasses.replace(cut, finished=True).valid


def test_empty_share_counts_only_samples_that_recorded_it():
    table = [dataclasses.replace(row("p1", "secure", idx=0), empty=True),
             dataclasses.replace(row("p1", "vulnerable", idx=1), empty=False),
             dataclasses.replace(row("p2", "secure"), empty=True), row("p3", "secure"),
             dataclasses.replace(row("p2", "unknown", syntax="error", idx=1), empty=True)]  # invalid: not counted
    values = M.prompt_values(M.prompt_stats(table), "empty")
    assert values[0] == 0.5 and values[1] == 1.0 and np.isnan(values[2])
    assert M.metric_value(table, "empty") == pytest.approx(0.75) and "empty" in T.DEFAULT_METRICS
    # empty outputs stay valid and secure (the paper's SPR@1); the column is what tells them apart
    assert M.spr_at_1(table).spr == pytest.approx((0.5 + 1 + 1) / 3)
