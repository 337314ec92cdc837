"""Datasets: change computation, row validation with useful errors, the bundled data, and the paper's files."""

import json
from collections import Counter

import pytest

from tsp_utils import data
from conftest import SHARED_DATA

BEFORE = "def f(cmd):\n    import os\n    os.system(cmd)\n    return 0\n"
AFTER = "def f(cmd):\n    import subprocess\n    subprocess.run([cmd])\n    return 0\n"


def _row(**over):
    row = {"func_name": "f", "language": "python", "vul_type": "cwe-078", "description": "Write a function.",
           "func_src_before": BEFORE, "func_src_after": AFTER, "file_context": ""}
    row.update(data.compute_changes(BEFORE, AFTER))
    row.update(over)
    return row


def test_compute_changes_locates_the_changed_lines_and_chars():
    ch = data.compute_changes(BEFORE, AFTER)
    assert [c["line_no"] for c in ch["line_changes"]["deleted"]] == [2, 3]
    assert [c["line_no"] for c in ch["line_changes"]["added"]] == [2, 3]
    first = ch["line_changes"]["added"][0]
    assert AFTER[first["char_start"]:first["char_end"]] == "    import subprocess\n"
    for side, src in (("deleted", BEFORE), ("added", AFTER)):
        for c in ch["char_changes"][side]:
            assert src[c["char_start"]:c["char_end"]] == c["chars"]
    # The char diff stays inside the changed lines: nothing in line 1 or 4 is marked.
    line2_start = len("def f(cmd):\n")
    assert all(c["char_start"] >= line2_start for c in ch["char_changes"]["added"])
    assert all(c["char_end"] <= len(AFTER) - len("    return 0\n") for c in ch["char_changes"]["added"])


def test_valid_row_becomes_a_typed_pair():
    pair = data.pair_from_row(_row(), "x.jsonl:1")
    assert isinstance(pair, data.TrainPair) and pair.cwe == "cwe-078" and pair.deleted_lines[0].line_no == 2
    assert data.pair_from_row(pair.to_row(), "x.jsonl:1").to_row() == pair.to_row()


@pytest.mark.parametrize("change,message", [
    (dict(language="cobol"), "unknown language 'cobol'"),
    (dict(vul_type="78"), "not of the form 'cwe-078'"),
    (dict(func_src_after=BEFORE), "identical"),
    (dict(description=""), "field 'description' is empty"),
    (dict(line_changes=None), "add-changes"),
])
def test_bad_rows_are_rejected_with_file_and_line(change, message):
    with pytest.raises(data.DataError, match=r"^pairs\.jsonl:7: .*" + message.replace("(", r"\(")):
        data.pair_from_row(_row(**change), "pairs.jsonl:7")


def test_changes_that_disagree_with_the_text_are_rejected(tmp_path):
    row = _row()
    row["line_changes"]["deleted"][0]["char_start"] += 1
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_row()) + "\n\n" + json.dumps(row) + "\n")
    with pytest.raises(data.DataError, match=r"bad\.jsonl:3: line_changes\.deleted\[0\]"):
        data.load_train_pairs(path)
    path.write_text("{not json\n")
    with pytest.raises(data.DataError, match=r"bad\.jsonl:1: not valid JSON"):
        data.load_train_pairs(path)


def test_missing_field_is_named():
    row = _row()
    del row["func_src_before"]
    with pytest.raises(data.DataError, match="missing field 'func_src_before'"):
        data.pair_from_row(row, "p:1")


# ------------------------------------------------------------------------------------------ bundled data


@pytest.fixture(scope="module")
def pairs():
    return data.load_train_pairs()


def test_bundled_training_pairs_meet_the_spec(pairs):
    langs = Counter("c/cpp" if p.language in ("c", "cpp") else p.language for p in pairs)
    assert len(pairs) >= 80 and len({p.vul_type for p in pairs}) >= 16
    assert langs["c/cpp"] >= 30 and langs["python"] >= 25 and langs["javascript"] >= 10 and langs["go"] >= 10
    for p in pairs:
        n = p.func_src_before.count("\n") + 1
        assert 8 <= n <= 50, f"{p.origin}: {p.func_name} has {n} lines; pairs are realistic functions"
    assert len({p.func_src_before for p in pairs}) == len(pairs)


def test_bundled_changes_are_exactly_what_the_code_computes(pairs):
    for p in pairs:
        row = p.to_row()
        assert {"line_changes": row["line_changes"], "char_changes": row["char_changes"]} == \
            data.compute_changes(p.func_src_before, p.func_src_after), p.origin


def test_bundled_files_are_consistent():
    counts = data.check_bundled()  # manifest and seen/unseen splits agree with the data
    assert counts["train_pairs"] >= 80


def test_eval_prompts_meet_the_spec():
    prompts = data.load_eval_prompts()
    langs = Counter(p.language for p in prompts)
    assert langs["python"] >= 50 and langs["go"] >= 15 and langs["javascript"] >= 15 and langs["c"] >= 15
    py = [p for p in prompts if p.language == "python"]
    assert all(p.functional_test for p in py)
    assert sum(bool(p.security_test) for p in py) >= 30
    assert {"seen", "unseen"} <= {p.split for p in prompts}
    assert all(p.cwe.startswith("cwe-") for p in prompts)
    assert len(data.load_utility_tasks()) >= 20


def test_manifest_split_is_derived_from_the_training_pairs(pairs):
    manifest = data.load_manifest()
    assert set(manifest["seen_cwes"]) == {p.vul_type for p in pairs}
    assert not set(manifest["unseen_cwes"]) & set(manifest["seen_cwes"])


# ------------------------------------------------------------------------------------------ the paper's data

needs_shared = pytest.mark.skipif(not (SHARED_DATA / "safecoder").exists(), reason="../shared/data not present")


@needs_shared
def test_safecoder_file_loads_in_full():
    rows = data.load_safecoder()
    assert len(rows) == 421
    assert {p.language for p in rows} >= {"python", "javascript", "c", "go", "ruby", "java"}
    assert len({p.vul_type for p in rows}) == 23
    repaired = [p for p in rows if "changes_recomputed" in p.extra]
    assert 0 < len(repaired) < 20  # a handful of third-party rows needed their changes recomputed
    assert sum(not p.usable for p in rows) == 1


@needs_shared
def test_paper_risk_annotations_parse():
    annotated = data.load_annotated()
    assert len(annotated) == 421
    assert all(a.risk_nodes for a in annotated)
    first = annotated[0].risk_nodes[0]
    assert first.cwe == "cwe-327" and "getRandomValues" in first.code_line


def test_risk_annotation_parser_on_handmade_text():
    text = "```\n[[1]]\n[Code_Line] strncpy(buf, s, sizeof buf);\n[CWE_ID]CWE-120\n[Description]Copy.\n" \
           "[[2]]\n[Code_Line]  x = y\n[CWE_ID] CWE_79\n[Description] Two\nlines.\n```"
    nodes = data.parse_risk_annotations(text)
    assert [(n.code_line, n.cwe, n.description) for n in nodes] == [
        ("strncpy(buf, s, sizeof buf);", "cwe-120", "Copy."), ("x = y", "cwe-079", "Two lines.")]


def test_securityeval_is_never_bundled_and_parses_its_schema(tmp_path):
    assert not list(data.DATA_DIR.rglob("*securityeval*"))
    with pytest.raises(FileNotFoundError, match="never bundled"):
        data.load_securityeval(download=False)
    f = tmp_path / "dataset.jsonl"
    f.write_text(json.dumps({"ID": "CWE-020_author_1.py", "Prompt": "import yaml\n\ndef yaml_load(filename):\n    '''x'''\n",
                             "Insecure_code": "..."}) + "\n")
    (p,) = data.load_securityeval(f)
    assert (p.cwe, p.entry_point, p.language) == ("cwe-020", "yaml_load", "python")


def test_paper_data_is_skipped_with_the_reason_when_it_cannot_be_had(capsys):
    import urllib.error

    def unreachable(download):
        assert download is True
        raise urllib.error.URLError("no network")

    assert data.paper_data(unreachable, download=True) is None
    assert "no network" in capsys.readouterr().out
    assert data.paper_data(lambda download: ["row"], download=False) == ["row"]


def test_a_garbled_download_is_deleted_so_the_next_run_fetches_it_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(data.paper, "SHARED_DATA", tmp_path / "no-shared")  # where the loaders read it
    cached = tmp_path / "cache" / "data" / "safecoder-train-sec-new-desc.jsonl"
    cached.parent.mkdir(parents=True)
    cached.write_text("<html>proxy error</html>\n")
    assert data.paper_data(data.load_safecoder, download=True) is None
    assert "was deleted" in capsys.readouterr().out and not cached.exists()

    annotated = tmp_path / "cache" / "data" / "tsp-sec-new-desc_annotated.json"
    annotated.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(data.DataError, match="was deleted"):
        data.load_annotated(download=True)
    assert not annotated.exists()

    # a file the user passed (or one in ../shared/data) is theirs: it is reported, never deleted, even in the cache
    for mine in (tmp_path / "mine.jsonl", cached):
        mine.write_text("<html>\n")
        with pytest.raises(data.DataError, match=f"{mine.name}:1") as info:
            data.load_safecoder(mine)
        assert mine.exists() and "deleted" not in str(info.value)
    # JSON that breaks the schema would come back the same from a new download: reported, kept
    cached.write_text('{"func_name": 3}\n')
    with pytest.raises(data.DataError) as info:
        data.load_safecoder(download=True)
    assert cached.exists() and "deleted" not in str(info.value)
