"""Does a complete C/C++ program compile (tsp_utils/oracle/compile.py), as the evaluation asks."""

from __future__ import annotations

import shutil

import pytest

from tsp_utils import oracle
from tsp_utils.data import load_eval_prompts


def test_compile_check_tells_programs_that_build_from_those_that_only_parse():
    if shutil.which("gcc") is None or shutil.which("g++") is None:
        pytest.skip("gcc/g++ are not installed")
    c = oracle.compile_check([
        "#include <string.h>\nint f(const char *s) { return (int)strlen(s); }\n",
        "int f(void) {\n    return count_count;\n}\n",  # undeclared: parses, does not build
        # a libc function whose header the prompt did not include: the completion could not have added it
        "int n(const char *s) {\n    return (int)strlen(s) + isdigit(s[0]);\n}\n",
        "int f(char *s) {\n    return strcpy_r(s);\n}\n",  # implicit declaration: an error since C99
        "int f(char *s) {\n    double d = s;\n    return 0;\n}\n",
        "int f( {\n",
        '#include "/dev/zero"\n',  # gcc runs out of its memory cap: no verdict, not "ok"
        '#line 1 "other.c"\nint f(void) { return undeclared_x; }\n',  # its error is put on another file
    ], "c")
    assert [r.status for r in c] == ["ok", "error", "ok", "error", "error", "error", "failed", "failed"]
    assert c[1].message.startswith("line 2:") and "count_count" in c[1].message
    assert "strcpy_r" in c[3].message and "memory" in c[6].message
    cpp = oracle.compile_check(["#include <vector>\nstd::size_t n(const std::vector<int> &v) { return v.size(); }\n",
                                "int g() { return h(); }\n"], "cpp")
    assert [r.status for r in cpp] == ["ok", "error"]
    with pytest.raises(ValueError, match="only C and C\\+\\+"):
        oracle.compile_check(["x = 1\n"], "python")


def test_every_c_reference_solution_compiles():
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    prompts = [p for p in load_eval_prompts() if p.language in ("c", "cpp")]
    for language in {p.language for p in prompts}:
        programs = [(p.id, kind, getattr(p, kind)) for p in prompts if p.language == language
                    for kind in ("reference_secure", "reference_insecure")]
        results = oracle.compile_check([prog for _, _, prog in programs], language)
        assert [(i, k, r.message) for (i, k, _), r in zip(programs, results) if r.status != "ok"] == []


def test_gcc_runs_once_per_chunk_when_every_failure_is_explained(monkeypatch):
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    calls = []
    real = oracle.tools.run_tool
    monkeypatch.setattr(oracle.tools, "run_tool", lambda name, args, *a, **k: calls.append(args) or real(name, args, *a, **k))
    programs = ["int f(void) { return 1; }\n", "int g(void) { return nope; }\n"] * 10
    results = oracle.compile_check(programs, "c", workers=1)
    assert [r.status for r in results] == ["ok", "error"] * 10 and len(calls) == 1
