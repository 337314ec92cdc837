"""C and C++: ``gcc``/``g++ -fsyntax-only`` with system headers blanked, repaired for what a cut-out snippet lacks."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

from ...languages import LANGUAGES
from .. import tools
from ..job import Job
from .brackets import check_brackets
from .gcc import run_gcc

# gcc errors that are about the *shape* of the code. Anything else (unknown identifiers, incomplete
# types, conflicting declarations, ...) is a symptom of a snippet cut out of its project and is ignored.
_GCC_STRUCTURAL = re.compile(
    r"at end of input"
    r"|^stray "
    r"|missing terminating"
    r"|unterminated"
    r"|#(?:endif|else|elif) without #if"
    r"|^expected .* before '[}\];]' token"
    r"|^expected .* before '\{' token"
    r"|^expected '[)\]}]' before end of line"
    r"|^extraneous|^unbalanced"
)
# "IDENT(...) {" is the shape of a project iteration macro (list_for_each_entry(...) {), which gcc reports as
# "expected ';' before '{'". Not a syntax error of the snippet.
_MACRO_LOOP = re.compile(r"^\s*[A-Za-z_]\w*\s*\(.*\)\s*\{?\s*$")
_C_PRELUDE = ("#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n#include <stdio.h>\n"
              "#include <sys/types.h>\n")
# With the system headers blanked, g++ does not know std::vector & co. A parameter or return type it cannot read
# makes it skip the whole function ("variable or field declared void", "does not name a type"): a body with
# unbalanced braces would then pass. So each C++ file declares the standard types it names as std::X (incomplete:
# using them is a semantic error, which is ignored), on its reserved first line; only those, because with
# `using namespace std;` a declared std::list would make a snippet's own `list` ambiguous, and g++ would again stop
# reading. Rarer names are declared by the repair rounds (_scope_repair).
_CPP_PRELUDE = "#include <cstddef>\n#include <cstdint>\n#include <cstdio>\n#include <sys/types.h>\n"
_STD_TYPES: dict[str, str] = {
    **{n: f"template <class...> class {n};" for n in (
        "vector", "map", "unordered_map", "set", "unordered_set", "multimap", "multiset", "list", "deque", "queue",
        "stack", "priority_queue", "pair", "tuple", "optional", "variant", "function", "unique_ptr", "shared_ptr",
        "weak_ptr", "atomic", "lock_guard", "unique_lock", "scoped_lock", "initializer_list", "basic_string",
        "basic_string_view")},
    "array": "template <class T, size_t N> struct array;",
    "string": "template <class...> class basic_string; typedef basic_string<char> string;",
    "wstring": "template <class...> class basic_string; typedef basic_string<wchar_t> wstring;",
    "string_view": "template <class...> class basic_string_view; typedef basic_string_view<char> string_view;",
    **{n: f"class {n};" for n in (
        "mutex", "recursive_mutex", "shared_mutex", "thread", "exception", "runtime_error", "logic_error",
        "invalid_argument", "out_of_range", "ostream", "istream", "iostream", "ostringstream", "istringstream",
        "stringstream", "ifstream", "ofstream", "fstream")},
}


def _std_declarations(source: str) -> str:
    """One line declaring, inside ``namespace std``, the standard types ``source`` names as ``std::X``."""
    used = [decl for name, decl in _STD_TYPES.items() if re.search(r"\bstd\s*::\s*" + name + r"\b", source)]
    return "namespace std { " + " ".join(dict.fromkeys(used)) + " }" if used else ""


_SYSTEM_INCLUDE = re.compile(r"(?m)^[ \t]*#[ \t]*include[ \t]*<[^>\n]*>[^\n]*$")
# g++'s words for a name it cannot read as a type. Each one makes it skip a whole function: a parameter type
# ("variable or field 'f' declared void", then "'T' was not declared"), a return type ("does not name a type"), a
# qualified name ("'X' is not a member of 'std'", "'absl' has not been declared").
_UNKNOWN_NAME = re.compile(r"'(?P<name>\w+)' (?:is not a member of|in namespace) '(?P<scope>(?:\w+::)*\w+)'"
                           r"|'(?P<path>(?:\w+::)*\w+)' (?:has not been declared|does not name a type)"
                           r"|'(?P<param>\w+)' was not declared in this scope"
                           r"|expected '>' before '(?P<targ>\w+)'")
# Errors that mark a line g++ tried to read as a declaration and could not: there, an undeclared name before a
# parameter's name is a type.
_DECLARATION_ERROR = re.compile(r"variable or field '\w+' declared void|should have been declared inside")
_BODY_AFTER_INITIALISER = re.compile(r"expected ',' or ';' before '\{' token")


def _scope_repair(msg: str, source: str, declaration_line: str | None = None) -> str | None:
    """A declaration that lets g++ read a name it does not know (``std::filesystem::path``, ``absl::Mutex``, a
    project's ``Route``), chosen by how the snippet uses it: ``X<T>`` followed by a name a class template, ``X::``
    a namespace, ``X`` before a name, ``&`` or ``*`` a class, and so does ``cast<const X*>``. A name used as a
    function, an object or a value (``std::move(``, ``std::cout <<``, ``Limits::kMax < i``) gets nothing: g++
    reads those as expressions anyway.

    "was not declared" is about a type only in ``declaration_line`` (a line g++ failed to read as a declaration,
    see ``_DECLARATION_ERROR``), and only where the name stands as a parameter's type there (``Route *r,``)."""
    m = _UNKNOWN_NAME.search(msg)
    if not m:
        return None
    if m.group("targ"):  # a template argument g++ could not read as a type: reinterpret_cast<const sockaddr_in*>
        name = m.group("targ")
        if not re.search(r"<\s*(?:const\s+)?" + re.escape(name) + r"\s*[&*]*\s*(?:const\s*)?[&*]*\s*>", source):
            return None
        return f"class {name};"
    if m.group("param"):
        name = m.group("param")
        if declaration_line is None or not re.search(
                r"[(,]\s*(?:const\s+)?" + re.escape(name) + r"\s*[&*]*\s*\w+\s*[,)=]", declaration_line):
            return None
        return f"class {name};"
    path = m.group("scope").split("::") + [m.group("name")] if m.group("name") else m.group("path").split("::")
    name = r"\b" + r"\s*::\s*".join(map(re.escape, path)) + r"\b"
    if re.search(name + r"\s*<[^;<>(){}]*(?:<[^;<>(){}]*>[^;<>(){}]*)*>\s*(?:::|[A-Za-z_&*])", source):
        leaf = f"template <class...> class {path[-1]};"
    elif re.search(name + r"\s*::", source):
        leaf = f"namespace {path[-1]} {{}}"
    elif re.search(name + r"\s*[&*]*\s*[A-Za-z_]\w*\s*[,)=;({]", source):
        leaf = f"class {path[-1]};"
    else:
        return None
    for scope in reversed(path[:-1]):
        leaf = f"namespace {scope} {{ {leaf} }}"
    return leaf


def check_c_family(jobs: list[Job], workdir: str, language: str, workers: int = 1) -> None:
    """gcc/g++ -fsyntax-only with repair rounds for what a cut-out snippet cannot contain.

    Round fixes: a missing #include gets an empty stub header; an "unknown type name X" gets
    ``typedef int X;`` on the reserved first line, and in C++ an unknown qualified name a declaration there
    (:func:`_scope_repair`). Only structural errors left after that count, and brackets that do not match
    (:func:`check_brackets`).
    """
    compiler = LANGUAGES[language].compiler
    if tools.tool_cmd(compiler) is None:
        for job in jobs:
            job.syntax, job.syntax_reason = "unchecked", f"{compiler} not available"
        check_brackets(jobs, language)
        return
    cdir = os.path.join(workdir, f"_syntax_{language}")
    stub = os.path.join(cdir, "_stub_include")
    os.makedirs(stub, exist_ok=True)
    ext = LANGUAGES[language].extension
    # Blanked system headers are replaced by a few cheap ones (forced with -include, so no line shift) that
    # declare the types nearly every snippet uses; this saves most typedef-repair rounds.
    prelude = os.path.join(cdir, "_prelude.h")
    Path(prelude).write_text(_C_PRELUDE if language == "c" else _CPP_PRELUDE, encoding="utf-8")
    typedefs: dict[str, set[str]] = defaultdict(set)
    scoped: dict[str, set[str]] = defaultdict(set)  # C++ declarations of unknown qualified names
    by_name: dict[str, Job] = {}
    for i, job in enumerate(jobs):
        name = f"k{i:06d}{ext}"
        by_name[name] = job

    def write(name: str) -> None:
        job = by_name[name]
        first = " ".join([f"typedef int {t};" for t in sorted(typedefs[name])] + sorted(scoped[name])
                         + ([_std_declarations(job.text)] if language == "cpp" else []))
        # System headers are blanked (line count kept): parsing <iostream> & co costs ~0.5 s per C++ file,
        # and what they declare only matters for semantic errors, which are ignored here anyway.
        body = _SYSTEM_INCLUDE.sub("", job.text)
        with open(os.path.join(cdir, name), "w", encoding="utf-8") as fh:
            fh.write(first + "\n" + body)

    for name in by_name:
        write(name)
    pending = list(by_name)
    final_errors: dict[str, list[tuple[int, str]]] = {}
    for _round in range(4):
        if not pending:
            break
        args = ["-fsyntax-only", "-w", "-fdiagnostics-plain-output", "-fno-diagnostics-show-caret",
                "-fmax-errors=50", "-I", stub, "-include", prelude,
                "-std=gnu11" if language == "c" else "-std=gnu++17"]
        checked = run_gcc(compiler, args, pending, cdir, workers)
        next_pending = []
        for name in pending:
            failure, errs = checked[name]
            if failure:  # the checker crashed or timed out: no verdict, and nothing cached
                by_name[name].check_failed(compiler, failure)
                continue
            repaired = False
            src_lines = by_name[name].text.splitlines()
            declaration_lines = {ln for ln, msg in errs if _DECLARATION_ERROR.search(msg)}
            # A function whose return type is not void is read as a variable initialised by a parenthesised list
            # when a parameter's type is unknown (sqlite3* db): g++ then stops at the body's brace, on the
            # signature's line or the next one.
            for ln, msg in errs:
                if _BODY_AFTER_INITIALISER.search(msg):
                    declaration_lines |= {ln, ln - 1}
            for _ln, msg in errs:
                m = re.match(r"(.+?): No such file or directory", msg)
                if m:
                    header = m.group(1).strip()
                    target = os.path.normpath(os.path.join(stub, header))
                    if target.startswith(stub + os.sep) and not os.path.exists(target):
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        Path(target).touch()
                        repaired = True
                m = re.match(r"unknown type name '(\w+)'", msg)
                if m and m.group(1) not in typedefs[name]:
                    typedefs[name].add(m.group(1))
                    repaired = True
                line = src_lines[_ln - 2] if _ln in declaration_lines and 0 <= _ln - 2 < len(src_lines) else None
                decl = _scope_repair(msg, by_name[name].text, line) if language == "cpp" else None
                if decl and decl not in scoped[name]:
                    scoped[name].add(decl)
                    repaired = True
            if repaired:
                write(name)
                next_pending.append(name)
            else:
                final_errors[name] = errs
        pending = next_pending
    for name in pending:  # still repairing after the last round: never parsed as a whole, so not checked
        by_name[name].check_failed(compiler, "headers still missing after every repair round")
    for name, errs in final_errors.items():
        job = by_name[name]
        lines = job.text.splitlines()
        structural = []
        for ln, msg in errs:
            src_line = lines[ln - 2] if 0 <= ln - 2 < len(lines) else ""
            if msg.startswith("fatal error") or "No such file" in msg:
                continue
            if not _GCC_STRUCTURAL.search(msg):
                continue
            if "before '{'" in msg and _MACRO_LOOP.match(src_line):
                continue
            structural.append((ln - 1 - job.offset, msg))  # -1 for the reserved typedef line
        if structural:
            ln, msg = structural[0]
            where = f"line {ln}" if ln >= 1 else "in the context"
            job.syntax, job.syntax_reason = "error", f"syntax error {where}: {msg}"
        else:
            job.syntax = "ok"
    check_brackets(jobs, language)
