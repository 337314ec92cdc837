"""The lexer (tsp_utils.code): comments and literals, brackets per line, where a local-mode statement ends."""

import pytest

from tree_samples import C_RLE, JS_THUMB, PY_AFTER


@pytest.mark.parametrize("language, code, comments", [
    ("python", 'x = "# not a comment"  # a comment\ny = 1\n', ["# a comment"]),
    ("python", 's = """\n# inside a string\n"""  # real\n', ["# real"]),
    ("c", 'char *s = "// no"; // yes\n/* block\n spans */ int x = 1;\n', ["// yes", "/* block\n spans */"]),
    ("javascript", "const u = `//${host}`; // note\n", ["// note"]),
    ("go", "s := '/' // rune, then a comment\n", ["// rune, then a comment"]),
    ("c", "int x = 1; /* never closed", ["/* never closed"]),
    ("r", "x <- 1 # R", []),
    ("javascript", "const re = /\\/\\/ not a comment[/(]/g; // yes\n", ["// yes"]),  # a regex literal
    ("javascript", "if (ok) return /a(/.test(s); // r\n", ["// r"]),
    ("javascript", "const half = (a + b) / 2; // division\nx = n / 2 // too\n", ["// division", "// too"]),
    ("cpp", 'auto s = R"(// no "quote" )"; // yes\n', ["// yes"]),  # a raw string
    ("cpp", 'auto s = R"xy(a)" /* )xy"; // yes\n', ["// yes"]),
    ("cpp", "long n = 1'000'000; // yes\nchar c = '/'; /* k */\n", ["// yes", "/* k */"]),  # digit separators
])
def test_comment_spans_skip_string_literals(language, code, comments):
    from tsp_utils.code import comment_spans

    assert [code[a:b] for a, b in comment_spans(code, language)] == comments


@pytest.mark.parametrize("language, text, statement", [
    ("python", "  # quote the name first\n    x = shlex.quote(name)\n    y = 1\n", "  # quote the name first\n    x = shlex.quote(name)\n"),
    (None, "  # quote the name first\n    x = shlex.quote(name)\n", "  # quote the name first\n"),  # no language: any line
    ("c", " /* bounded:\n  * see below */\n    strncpy(a, b, n);\n", " /* bounded:\n  * see below */\n    strncpy(a, b, n);\n"),
    ("c", " // clear it\n    *p = 0;\n    q();\n", " // clear it\n    *p = 0;\n"),  # `*p` is code, not a comment
    ("javascript", ' const u = "//x";\n  go(u);\n', ' const u = "//x";\n'),
    ("python", "  # only a comment so far\n    ", None),
])
def test_a_local_statement_is_its_first_complete_statement(language, text, statement):
    from tsp_utils.code import statement_end

    end = statement_end(text, language)
    assert (text[:end[0]] if end is not None else None) == statement


@pytest.mark.parametrize("language, code, depth, brackets", [
    ("javascript", "const re = /[(]/; f(a, () => {\n", 2, "({"),
    ("cpp", 'auto s = R"({)"; if (x) {\n', 1, "{"),
    ("python", 'x = f"{a}" + "(" # )\n', 0, ""),
    ("c", "a[i] = (b + '(');\n", 0, ""),
    ("c", "}) {\n", -1, "}){"),  # closers that close nothing come first
    ("c", "f({)\n", 1, "!("),  # ")" closes a "{": no golden shape matches that
    ("c", "    }\n    else {\n", 0, "}{"),
    # a brace that opens data is told from one that opens a block: they need different golden code to close them
    ("javascript", "  new App({\n", 2, "(\u2983"),
    ("javascript", "  return {\n", 1, "\u2983"),
    ("c", "int a[] = /* sizes */ {\n", 1, "\u2983"),
    ("c", "switch (x) {\ncase 1: {\n", 2, "{{"),
    ("c", "switch (x) {\n  case 1:\n  {\n", 2, "{{"),  # the same block, its brace on the next line
    ("javascript", "o = {\n  a: {\n", 2, "\u2983\u2983"),  # an object key is no case label
    ("javascript", "f(a, opts || {\n", 2, "(\u2983"),
    ("java", "f(new int[] {\n", 2, "(\u2983"),
    ("cpp", "auto f = [] {\n", 1, "{"),  # a lambda's body
    ("go", "if ok {\n", 1, "{"),
])
def test_code_lines_count_brackets_outside_literals_and_comments(language, code, depth, brackets):
    from tsp_utils.code import code_lines

    last = code_lines(code, language)[-2 if code.endswith("\n") else -1]
    assert (last.depth, last.brackets) == (depth, brackets)


def test_splice_targets_are_the_hunk_then_shorter_complete_runs():
    from tsp_utils.code import SpliceTarget, splice_targets

    # C: `if (...)` alone is no statement, so the only run is the whole hunk (lines 5-6).
    assert splice_targets(C_RLE, "c", 5, 6) == (SpliceTarget(6, "", True, False),)
    # JS: the hunk ends by opening a callback ("({" left open); its first line alone is a complete statement.
    assert splice_targets(JS_THUMB, "javascript", 2, 3) == (SpliceTarget(3, "({", True), SpliceTarget(2, "", True))
    # Python: the whole hunk, or just the `if ...:` line whose body the golden code goes on with.
    assert splice_targets(PY_AFTER, "python", 3, 5) == (SpliceTarget(5, ""), SpliceTarget(3, "", False, True))
    # A hunk that ends inside a call, or opens a block: the whole golden statement is a run too, so a one-line
    # rewrite of the call, or a statement in place of the loop, can take its place.
    call = 'def f(a):\n    x = g(\n        a,\n        1,\n    )\n    return x\n'
    assert splice_targets(call, "python", 2, 3) == (SpliceTarget(3, "("), SpliceTarget(5, ""))
    assert splice_targets(PY_AFTER, "python", 3, 3) == (SpliceTarget(3, "", False, True), SpliceTarget(4, ""))
    loop = "int f(int n) {\n    while (n > 0) {\n        n--;\n    }\n    return n;\n}\n"
    assert splice_targets(loop, "c", 2, 2) == (SpliceTarget(2, "{", True), SpliceTarget(4, "", True))
    if_else = "int f(int n) {\n    if (n) {\n        n--;\n    }\n    else {\n        n++;\n    }\n    return n;\n}\n"
    assert splice_targets(if_else, "c", 2, 2)[-1] == SpliceTarget(7, "", True)  # the else belongs to the if


@pytest.mark.parametrize("language, golden, lines, text, statement, end_line", [
    # a branch that opens a block the golden lines do not open runs to its closing brace
    ("c", C_RLE, (5, 6), " if (value == 0xFF) {\n            return 0;\n        }\n        op++;\n",
     " if (value == 0xFF) {\n            return 0;\n        }\n", 6),
    ("c", C_RLE, (5, 6), " if (value == 0xFF) {\n           ", None, None),  # still open
    ("c", C_RLE, (5, 6), " if (count > out_cap)\n            return 0;\n        op++;\n",
     " if (count > out_cap)\n            return 0;\n", 6),  # an if without braces takes its statement
    ("c", C_RLE, (5, 6), ' puts("{");\n', ' puts("{");\n', 6),  # a brace inside a literal does not count
    # a complete statement stands in for the part of a hunk before the line that opens a callback ...
    ("javascript", JS_THUMB, (2, 3), " properties = [];\n  x();\n", " properties = [];\n", 2),
    # ... and a branch that opens its own callback stands in for the whole hunk
    ("javascript", JS_THUMB, (2, 3), " exec(`convert ${sourcePath}`, (err) => {\n    cb(err);\n",
     " exec(`convert ${sourcePath}`, (err) => {\n", 3),
    ("python", PY_AFTER, (3, 5), "if not name:\n        junk()\n", "if not name:\n", 3),  # golden body goes on
    ("python", PY_AFTER, (3, 5), "x = shlex.quote(\n        name)\n    y = 1\n", "x = shlex.quote(\n        name)\n", 5),
    # no golden `if` at line 4: a branch's own block runs to the end of its body (else included)
    ("python", PY_AFTER, (4, 5), "if a:\n            b(\n  1)\n        else:\n            c()\n        d()",
     "if a:\n            b(\n  1)\n        else:\n            c()\n", 5),
    ("python", PY_AFTER, (4, 5), "if a:\n        b()\n", None, None),  # the body may go on
    ("python", PY_AFTER, (4, 5), "try:\n        b()\n    exc", None, None),  # "exc" may become "except"
    # an else that belongs to the statement around the branch point ends the branch's own block
    ("python", 'def f(a):\n    if a:\n        b = 1\n    else:\n        b = 2\n    return b\n', (3, 3),
     "for i in a:\n            b += i\n    else:\n        b = 2\n", "for i in a:\n            b += i\n", 3),
    # JavaScript has no ";" to wait for, but a line that ends in an operator or is an if header goes on
    ("javascript", JS_THUMB, (2, 3), ' const cmd = "convert " +\n    sourcePath;\n  x();\n',
     ' const cmd = "convert " +\n    sourcePath;\n', 2),
    ("javascript", JS_THUMB, (2, 3), " if (!size)\n    return cb(null);\n  x();\n", " if (!size)\n    return cb(null);\n", 2),
    ("javascript", JS_THUMB, (2, 3), " i++ / 2 + (j / 3);\n", " i++ / 2 + (j / 3);\n", 2),  # a division, no regex
    # an object literal leaves "(⦃" open, not the callback's "({": the golden callback body would read as its members
    ("javascript", JS_THUMB, (2, 3), " new App({\n    port: 1,\n  });\n  x();\n", " new App({\n    port: 1,\n  });\n", 2),
    # two braces open where the golden lines leave "({" open: the golden "});" would not close them
    ("javascript", JS_THUMB, (2, 3), " const t = bin => {\n    const spec = {\n     ", None, None),
])
def test_a_local_statement_completes_the_shape_of_the_golden_lines_it_replaces(language, golden, lines, text,
                                                                                  statement, end_line):
    from tsp_utils.code import StatementShape, statement_end, splice_targets

    first, last = lines
    indent = golden.splitlines()[first - 1]
    head = indent[:len(indent) - len(indent.lstrip())]
    if text.startswith(" "):  # these branches start after one space of the indentation, as tokenizers split it
        head = head[:-1]
    found = statement_end(text, language, StatementShape(head, splice_targets(golden, language, first, last)))
    assert (text[:found[0]] if found else None, found[1] if found else None) == (statement, end_line)


def test_a_python_block_the_model_ends_itself_is_complete():
    from tsp_utils.code import StatementShape, splice_targets, statement_end

    shape = StatementShape("    ", splice_targets(PY_AFTER, "python", 5, 5))
    text = "if name:\n        os.system(name)\n"
    assert statement_end(text, "python", shape) is None  # the body may go on ...
    assert statement_end(text, "python", shape, final=True) == (len(text), 5)  # ... unless the model stopped
