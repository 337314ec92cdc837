"""Syntax checks, one file per language family: code that does not parse is never judged "secure"."""

from .brackets import check_brackets
from .c_family import check_c_family
from .go import check_go
from .javascript import check_javascript
from .python import prepare_python

# Languages with a syntax check of their own (ast, gcc/g++, node, gofmt or tree-sitter), which runs beside semgrep.
SYNTAX_CHECKED = frozenset({"python", "c", "cpp", "javascript", "go"})

__all__ = ["SYNTAX_CHECKED", "check_brackets", "check_c_family", "check_go", "check_javascript", "prepare_python"]
