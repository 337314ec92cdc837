"""A small lexer for the languages we handle: comments and literals, lines and brackets, statements.

Shared by the risk-node finder (where may a branch start and end), the oracle (which lines of a program are code,
which brackets fail to match) and the evaluation (where a generated function ends).
"""

from .lexer import comment_spans, in_spans, lang_key, line_of, line_starts, literal_spans, skip_mask
from .lines import DATA_BRACE, CodeLine, bracket_mismatch, code_lines
from .statements import SpliceTarget, StatementShape, ends_statement_line, splice_targets, statement_end

__all__ = ["comment_spans", "in_spans", "lang_key", "line_of", "line_starts", "literal_spans", "skip_mask",
           "DATA_BRACE", "CodeLine", "bracket_mismatch", "code_lines", "SpliceTarget", "StatementShape",
           "ends_statement_line", "splice_targets", "statement_end"]
