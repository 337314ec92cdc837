"""The oracle's verdict cache (tsp_utils/oracle/cache.py): keyed by the code that decides, sharded, merged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tsp_utils import oracle
from tsp_utils.oracle import Snippet, Verdict, analyze_batch


def test_a_change_to_the_decision_code_changes_every_cache_key(tmp_path, monkeypatch):
    before = oracle.ruleset_version()
    for source in oracle.cache.DECISION_SOURCES:
        edited = tmp_path / source.name
        edited.write_text(source.read_text() + "\n# edited\n")
        monkeypatch.setattr(oracle.cache, "DECISION_SOURCES",
                            tuple(edited if p == source else p for p in oracle.cache.DECISION_SOURCES))
        assert oracle.ruleset_version() != before, source.name
        monkeypatch.undo()
    # every file that decides a verdict: each module of the package and its node checker, the lexer it borrows
    # (tsp_utils.code: the bracket check and the literal mask) and the language table
    package = Path(oracle.__file__).parent
    tsp_utils = package.parent
    decision_code = {*package.rglob("*.py"), package / "syntax" / "node_check.cjs", *(tsp_utils / "code").glob("*.py"),
                     tsp_utils / "languages.py"}
    assert len(decision_code) > 20 and decision_code <= set(oracle.cache.DECISION_SOURCES)
    # and every rule file, by its text and its name
    rules = tmp_path / "rules"
    shutil.copytree(oracle.RULES_DIR, rules)
    monkeypatch.setattr(oracle.cache, "RULES_DIR", rules)
    assert oracle.ruleset_version() == before
    for rule_file in sorted(rules.rglob("*.yml")):
        text = rule_file.read_text()
        rule_file.write_text(text + "\n# edited\n")
        assert oracle.ruleset_version() != before, rule_file.name
        rule_file.write_text(text)
    (rules / "python.yml").rename(rules / "python2.yml")
    assert oracle.ruleset_version() != before


def test_the_cache_is_one_shard_per_batch_merged_when_many(tmp_path, monkeypatch):
    monkeypatch.setattr(oracle.cache, "CACHE_SHARDS_MAX", 1)  # two real analyzer runs are enough to merge
    cache = tmp_path / "cache"
    codes = [f"def f{i}(x):\n    return x + {i}\n" for i in range(2)]
    analyze_batch([Snippet(codes[0], "python")], cache_dir=cache, progress=False)
    assert len(list(cache.glob("verdicts-*.jsonl"))) == 1
    analyze_batch([Snippet(codes[1], "python")], cache_dir=cache, progress=False)
    shards = list(cache.glob("verdicts-*.jsonl"))
    assert len(shards) == 1 and not list(cache.glob("*/"))  # merged once past the limit; no per-verdict files
    version = oracle.ruleset_version()
    (cache / f"verdicts-{version}-99999999999999999999-1.jsonl").write_text('{"key": "torn"')  # a write cut short
    (cache / "verdicts-0123456789abcdef-1-1.jsonl").write_text("not read: another version of the decision code\n")
    monkeypatch.setattr(oracle.tools, "run_tool", lambda *a, **k: pytest.fail("every verdict should come from the cache"))
    assert [v.label for v in analyze_batch([Snippet(c, "python") for c in codes], cache_dir=cache,
                                           progress=False)] == ["secure"] * 2


def test_a_bad_line_costs_that_verdict_only_also_through_a_merge(tmp_path, monkeypatch):
    monkeypatch.setattr(oracle.cache, "CACHE_SHARDS_MAX", 2)
    cache, version = tmp_path / "cache", "v1"
    good = {f"k{i}": Verdict("secure", "python", [], "ok", "") for i in range(3)}
    oracle.cache.save_cache(cache, version, good)
    (shard,) = cache.glob("verdicts-*.jsonl")
    shard.write_bytes(shard.read_bytes() + b'{"key": "cut", "verdict": {"label": "s\xe2\x82')  # cut mid-character
    for i in range(3):  # enough new shards to merge
        oracle.cache.save_cache(cache, version, {f"n{i}": Verdict("secure", "python", [], "ok", "")})
    entries, _ = oracle.cache.load_cache(cache, version)
    assert set(entries) == {"k0", "k1", "k2", "n0", "n1", "n2"} and len(list(cache.glob("verdicts-*.jsonl"))) <= 2


def test_a_merge_clears_what_other_code_versions_left(tmp_path, monkeypatch):
    monkeypatch.setattr(oracle.cache, "CACHE_SHARDS_MAX", 1)
    cache = tmp_path / "cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / "abcd.json").write_text("{}")  # the layout before shards
    (cache / "verdicts-oldversion000000-1-1.jsonl").write_text("")
    for i in range(2):
        oracle.cache.save_cache(cache, "v2", {f"k{i}": Verdict("secure", "python", [], "ok", "")})
    assert [p.name.split("-")[1] for p in cache.iterdir()] == ["v2"] and set(oracle.cache.load_cache(cache, "v2")[0]) == {"k0", "k1"}
