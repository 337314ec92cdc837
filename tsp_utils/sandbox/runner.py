# The runner template: run_python copies this file into the run directory as _tsp_run_test.py, with the
# placeholder in the last line replaced by a fresh per-run token (str.format, so this file holds no other braces),
# and runs it in the sandboxed interpreter. It imports only the standard library. A test passes only if the token
# is the last thing printed, i.e. test.py ran to its end (docs/sandbox.md says what this does not stop).
import runpy
import sys

if __name__ != "__main__":  # importing it would run test.py from the current directory
    raise ImportError("tsp_utils/sandbox/runner.py is a template that run_python runs, not a module to import")
runpy.run_path("test.py", run_name="__main__")
sys.stdout.flush()
print("{token}", flush=True)
