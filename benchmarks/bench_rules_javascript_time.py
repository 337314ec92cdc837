"""Side-by-side batch time of the oracle on the tuned JavaScript half: main's rules vs this branch's."""
import json, shutil, subprocess, sys, tempfile, time
from pathlib import Path
from tsp_utils.oracle import Snippet, analyze_batch
from tsp_utils.oracle.analyzers import semgrep as sg

ROOT = Path.cwd(); RULES = ROOT / "tsp_utils/oracle/rules"
d = ROOT / "tests/oracle_corpus/tuned/javascript"
sn = []
for line in (d / "manifest.jsonl").read_text().splitlines():
    t = d / json.loads(line)["dir"]
    sn += [Snippet((t / "vulnerable.js").read_text(), "javascript"), Snippet((t / "secure.js").read_text(), "javascript")]
dirs = {}
for name, ref in (("main", "main"), ("branch", None)):
    tmp = Path(tempfile.mkdtemp()); 
    for f in RULES.glob("*.yml"): shutil.copy(f, tmp / f.name)
    if ref: (tmp / "javascript.yml").write_text(subprocess.run(["git", "show", f"{ref}:tsp_utils/oracle/rules/javascript.yml"], capture_output=True, text=True, check=True).stdout)
    dirs[name] = tmp
times = {k: [] for k in dirs}
for rep in range(int(sys.argv[1]) if len(sys.argv) > 1 else 2):
    for name, tmp in dirs.items():
        sg.RULES_DIR = tmp
        t = time.time(); analyze_batch(sn, cache_dir=None, progress=False); times[name].append(time.time() - t)
for k, v in times.items(): print(f"{k}: {len(sn)} snippets, runs {['%.1f' % x for x in v]} s, best {min(v):.1f} s")
print(f"ratio branch/main (best): {min(times['branch'])/min(times['main']):.2f}")
