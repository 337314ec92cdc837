"""Running the analyzer processes: which command, with which environment, limits, time-outs and chunks.

Callers reach :func:`run_tool` and :func:`tool_cmd` through this module (``tools.run_tool(...)``), so a test that
patches them here stands in for every analyzer and syntax checker at once.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from .records import ToolFailure

DEFAULT_TIMEOUTS = {"base_s": 120.0, "per_file_s": 1.0}
MAX_FILES_PER_PROCESS = {"bandit": 400, "semgrep": 1500, "flawfinder": 800, "cppcheck": 300,
                         "gcc": 200, "node": 1000}

# Commands, resolved lazily; tests monkeypatch entries (e.g. to ["false"]) to simulate broken analyzers.
TOOL_COMMANDS: dict[str, list[str]] = {}


def _venv_script(name: str) -> str | None:
    # Prefer the interpreter's own environment: the analyzers are pinned there, PATH may not include it.
    candidate = Path(sys.prefix) / "bin" / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def tool_cmd(name: str) -> list[str] | None:
    """Command prefix for a tool, or None when it is not installed."""
    if name in TOOL_COMMANDS:
        return list(TOOL_COMMANDS[name])
    if name == "bandit":
        cmd = [sys.executable, "-m", "bandit"]
    elif name == "flawfinder":
        cmd = [sys.executable, "-m", "flawfinder"]
    elif name in ("semgrep", "cppcheck"):
        path = _venv_script(name)
        cmd = [path] if path else None
    elif name == "codeql":
        path = os.environ.get("TSP_CODEQL") or shutil.which("codeql")
        cmd = [path] if path and os.access(path, os.X_OK) else None
    else:  # gcc, g++, node, gofmt, ruby, javac: system tools
        path = shutil.which(name)
        cmd = [path] if path else None
    return cmd


@functools.lru_cache(maxsize=1)
def tool_versions() -> str:
    parts = []
    for dist in ("bandit", "semgrep", "flawfinder", "cppcheck", "tree-sitter", "tree-sitter-go"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=missing")
    # The syntax checkers decide "unchecked" vs a verdict, and Python's version what ast.parse accepts: a verdict
    # made without gcc must not be reused once gcc is there.
    parts += [f"{tool}={'yes' if shutil.which(tool) else 'no'}" for tool in ("gcc", "g++", "node", "gofmt")]
    parts.append(f"python={sys.version_info[0]}.{sys.version_info[1]}")
    return ";".join(parts)


def tool_env() -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # semgrep phones home for a version check on every run and hangs ~100 s without network.
        "SEMGREP_ENABLE_VERSION_CHECK": "0",
        "SEMGREP_SEND_METRICS": "off",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    if "XDG_CACHE_HOME" in os.environ:
        env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
    return env


MEMORY_CAPPED = ("gcc", "g++", "cppcheck")  # not node: V8 reserves far more address space than it uses
TOOL_MEMORY_MB = 4096
TOOL_CPU_S = 600


def run_tool(name: str, args: list[str], cwd: str, timeout_s: float) -> subprocess.CompletedProcess:
    """Run one analyzer process; raise ToolFailure (with a human reason) if it cannot run or times out.

    Non-zero exit codes are NOT failures here: bandit and flawfinder exit 1 when they find something.
    Each caller validates the output instead.
    """
    cmd = tool_cmd(name)
    if not cmd:
        raise ToolFailure(f"{name} is not installed")
    env = tool_env()
    if name in ("gcc", "g++"):
        env["LC_ALL"] = env["LANG"] = "C"  # ASCII quotes in diagnostics: our patterns match on them
    if name in MEMORY_CAPPED and shutil.which("sh"):
        # The code is untrusted: `#include "/dev/zero"` would make gcc read until the machine runs out of memory.
        # A shell sets the caps before gcc forks its compiler (a preexec_fn is unsafe beside the oracle's threads);
        # the CPU cap also ends a tool whose parent was killed before its time-out could.
        cmd = ["sh", "-c", f'ulimit -v {TOOL_MEMORY_MB * 1024} && ulimit -t {TOOL_CPU_S} && exec "$0" "$@"', *cmd]
    try:
        proc = subprocess.Popen(
            cmd + args,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # so a timeout can kill the tool and all its workers
        )
    except OSError as exc:
        raise ToolFailure(f"{name} could not start: {exc}") from exc
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise ToolFailure(f"{name} timed out after {timeout_s:.0f}s")
    return subprocess.CompletedProcess(cmd + args, proc.returncode,
                                       out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def failed(name: str, proc: subprocess.CompletedProcess) -> ToolFailure:
    """A tool that ran but left no usable report: its exit status and the last line it printed."""
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
    return ToolFailure(f"{name} failed (exit {proc.returncode}): {tail[0][:200]}")


def timeout_for(n_files: int) -> float:
    return DEFAULT_TIMEOUTS["base_s"] + DEFAULT_TIMEOUTS["per_file_s"] * n_files


def chunks(items: list, size: int) -> list[list]:
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)]
