"""Every fact about a programming language that the pipeline uses, in one table.

File extensions, fence tags, comment and statement syntax, the analyzers the oracle runs and the compiler that
checks C/C++ all come from :data:`LANGUAGES`; no other module keeps its own per-language dict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LanguageId = Literal["python", "c", "cpp", "javascript", "go", "ruby", "java"]
Analyzer = Literal["bandit", "semgrep", "flawfinder", "cppcheck"]


@dataclass(frozen=True)
class Language:
    id: LanguageId
    name: str  # as a reader writes it ("C++")
    extension: str  # of the file the analyzers read (they pick their parser by it)
    aliases: tuple[str, ...]  # other names and file extensions that mean this language
    line_comment: str  # "#" or "//"
    block_comments: bool  # /* ... */
    statement_ends_in_semicolon: bool  # C, C++, Java: a statement ends in ";" or a brace (not Go, JS or Python)
    braces: bool  # a function body is a brace block (not Python, Ruby)
    analyzers: tuple[Analyzer, ...]  # the oracle's analyzers, besides the syntax check
    compiler: str | None = None  # "gcc" / "g++": the compile check of C and C++ programs
    codeql: str | None = None  # CodeQL's name for it, where the optional CodeQL run covers it


LANGUAGES: dict[str, Language] = {lang.id: lang for lang in (
    Language("python", "Python", ".py", ("py", "python3", "python2"), "#", False, False, False,
             ("bandit", "semgrep"), codeql="python"),
    Language("c", "C", ".c", ("h",), "//", True, True, True, ("flawfinder", "cppcheck", "semgrep"),
             compiler="gcc", codeql="cpp"),
    Language("cpp", "C++", ".cpp", ("c++", "cc", "cxx", "hpp", "cplusplus"), "//", True, True, True,
             ("flawfinder", "cppcheck", "semgrep"), compiler="g++", codeql="cpp"),
    Language("javascript", "JavaScript", ".js", ("js", "jsx", "ts", "node", "nodejs", "mjs", "cjs"), "//", True,
             False, True, ("semgrep",), codeql="javascript"),
    Language("go", "Go", ".go", ("golang",), "//", True, False, True, ("semgrep",)),
    Language("ruby", "Ruby", ".rb", ("rb",), "#", False, False, False, ("semgrep",)),
    Language("java", "Java", ".java", (), "//", True, True, True, ("semgrep",)),
)}

# The five languages the project's own data, evaluation and figures cover (Ruby and Java appear only in SafeCoder).
CORE_LANGUAGES: tuple[LanguageId, ...] = ("python", "c", "cpp", "javascript", "go")

_BY_ALIAS = {alias: lang.id for lang in LANGUAGES.values() for alias in (lang.id, *lang.aliases)}


def normalize_language(language: str | None) -> str | None:
    """Map names and file extensions ("py", ".jsx", "c++", "golang") to our language ids, or None."""
    if not language or not isinstance(language, str):
        return None
    return _BY_ALIAS.get(language.strip().lower().lstrip("."))


def get(language: str | None) -> Language | None:
    """The table row of ``language`` (any alias), or None for a language we do not know."""
    key = normalize_language(language)
    return LANGUAGES[key] if key else None


def display_name(language: str) -> str:
    lang = get(language)
    return lang.name if lang else language


def fence_tag(language: str) -> str:
    """The tag of a Markdown code fence (```python); empty for a language we do not know."""
    lang = get(language)
    return lang.id if lang else ""


def compiled(language: str) -> bool:
    lang = get(language)
    return bool(lang and lang.compiler)
