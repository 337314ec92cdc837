#!/usr/bin/env bash
# Open the notebooks, or what a run wrote, in JupyterLab (installed into .venv on first use).
#   bash scripts/lab.sh                 # the numbered notebooks
#   bash scripts/lab.sh runs/cpu        # a run: report.md, tree_explorer.html, the executed notebooks
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! .venv/bin/python -c "import jupyterlab" 2>/dev/null; then
  echo "== installing JupyterLab"
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[lab]"
fi
target="${1:-notebooks}"
[ -e "$target" ] || { echo "error: $target does not exist (run bash scripts/run.sh first?)" >&2; exit 1; }
exec .venv/bin/jupyter lab --notebook-dir=. "$target"
