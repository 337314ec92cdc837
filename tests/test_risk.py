"""Risk nodes: diff hunks, oracle-flagged lines, uncertain tokens, the LLM annotator (tsp_utils.risk)."""

import pytest

from tsp_utils import risk
from tree_samples import C_AFTER, C_BEFORE, PY_AFTER, PY_BEFORE


def test_diff_risk_sites_python():
    sites = risk.diff_risk_sites(PY_BEFORE, PY_AFTER, "cwe-078")
    # One hunk replaced the command lines: the site is the start of `if not name...`, after its indentation.
    assert [(s.line, s.method, s.cwe) for s in sites] == [(3, "diff", "cwe-078")]
    assert PY_AFTER[sites[0].char_offset:].startswith("if not name.isalnum()")


def test_diff_risk_sites_c_two_hunks():
    sites = risk.diff_risk_sites(C_BEFORE, C_AFTER)
    assert [s.line for s in sites] == [1, 3]
    assert C_AFTER[sites[1].char_offset:].startswith("snprintf(dst, cap")


def test_oracle_sites_only_inside_the_branch_and_before_to_after_mapping():
    code = "a = 1\nb = 2\n    os.system(x)\n"
    findings = [{"line": 1, "cwe": "cwe-000", "rule_id": "r0"}, {"line": 3, "cwe": "cwe-078", "rule_id": "B605"}]
    sites = risk.oracle_risk_sites(code, findings, min_line=2)
    assert [(s.line, s.cwe) for s in sites] == [(3, "cwe-078")] and code[sites[0].char_offset:].startswith("os.system")
    assert risk.map_before_line_to_after(PY_BEFORE, PY_AFTER, 2) == 2  # unchanged line
    assert risk.map_before_line_to_after(PY_BEFORE, PY_AFTER, 4) == 3  # inside the changed hunk


def test_uncertainty_sites_pick_high_entropy_tokens_in_the_given_lines():
    code = "x = 1\ny = foo(2)\n"
    offsets = [(0, 1), (2, 3), (4, 5), (6, 7), (10, 13), (14, 15)]
    entropies = [5.0, 0.1, 0.2, 0.3, 2.5, 1.0]
    sites = risk.uncertainty_risk_sites(offsets, entropies, code, lines={2}, top_k=1)
    assert [(s.line, code[s.char_offset:s.char_offset + 3]) for s in sites] == [(2, "foo")]


def test_locate_annotated_line_exact_and_fuzzy():
    assert risk.locate_line(PY_AFTER, "  return name") == 6
    assert risk.locate_line(PY_AFTER, 'subprocess.run(["tar", "czf", f"/backups/{name}.tgz", f"/srv/{name}"])') == 5
    assert risk.locate_line(PY_AFTER, "completely different") is None


def test_llm_annotator_speaks_openai_chat_and_maps_lines(monkeypatch):
    import io
    import json as _json
    import urllib.request

    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"], seen["auth"] = request.full_url, request.get_header("Authorization")
        seen["body"] = _json.loads(request.data)
        reply = "[[1]]\n[Code_Line]     subprocess.run([\"tar\", \"czf\", f\"/backups/{name}.tgz\", f\"/srv/{name}\"], check=True)\n" \
                "[CWE_ID] CWE-78\n[Description] A shell string here would allow injection."
        return io.BytesIO(_json.dumps({"choices": [{"message": {"content": reply}}]}).encode())

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(RuntimeError, match="TSP_LLM_API_KEY"):
        monkeypatch.delenv("TSP_LLM_API_KEY", raising=False)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        risk.llm_risk_annotations(PY_AFTER, "python")
    notes = risk.llm_risk_annotations(PY_AFTER, "python", base_url="http://llm.local/v1", api_key="k", model="m")
    assert seen["url"] == "http://llm.local/v1/chat/completions" and seen["auth"] == "Bearer k"
    assert seen["body"]["model"] == "m" and "[Code_Line]" in seen["body"]["messages"][0]["content"]
    (site,) = risk.annotation_sites(PY_AFTER, notes)
    assert (site.line, site.cwe, site.method) == (5, "cwe-078", "llm")


def test_uncertainty_sites_are_never_inside_comments():
    import re

    from tsp_utils.code import line_of
    from tsp_utils.risk import uncertainty_risk_sites

    code = "int f(int n) {\n    // keep the buffer valid across resizes\n    return n;\n}\n"
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", code)]
    entropies = [3.0 if line_of(code, a) == 2 else 1.0 for a, _ in words]  # the comment's words: most uncertain
    (site,) = uncertainty_risk_sites(words, entropies, code, {2, 3}, language="c")
    assert site.line == 3  # the most uncertain token outside the comment
    assert uncertainty_risk_sites(words, entropies, code, {2, 3})[0].line == 2  # no language: the comment won
