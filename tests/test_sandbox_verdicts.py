"""Verdicts the program cannot reach (issue #21): the test runs in a harness process of its own and the verdict is that
process's exit status. Each program below knows how the sandbox works and tries to turn a failing functional test
into "pass", or a vulnerable program's exploit test into "pass" (secure); none may succeed, as root or as nobody."""

from __future__ import annotations

import os

import pytest

from sandbox_fixtures import as_nobody, nobody_userns  # noqa: F401 -- fixtures
from tsp_utils.sandbox import run_many, run_python

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")

FUNCTIONAL = "from solution import add\nimport json\nassert add(2, 3) == 5\nprint(json.dumps('ran to the end'))\n"
EXPLOIT = ("import os\nfrom solution import run\ntry:\n    run('x; touch pwned')\nexcept Exception:\n    pass\n"
           "import json\nassert not os.path.exists('pwned'), 'command injection'\n")
WRONG = "def add(a, b):\n    return 0\n"
VULNERABLE = "import os\ndef run(name):\n    os.system('echo ' + name)\n"

# What a forger reads first: every string in the files it can reach and in its environment; the one that looks like
# a completion token (main's sandbox printed one after test.py returned) last.
FIND = ("import ast, os\n"
        "def strings():\n"
        "    found = list(os.environ.values())\n"
        "    for d, _, fs in os.walk('.'):\n"
        "        for f in fs:\n"
        "            try:\n"
        "                tree = ast.parse(open(os.path.join(d, f)).read())\n"
        "            except (OSError, SyntaxError, ValueError):\n"
        "                continue\n"
        "            found += [n.value for n in ast.walk(tree)\n"
        "                      if isinstance(n, ast.Constant) and type(n.value) is str]\n"
        "    return sorted(found, key=lambda v: 'completed' in v)\n"
        "def token():\n"
        "    return ([v for v in strings() if 'completed' in v] or [''])[-1]\n")

FORGERIES = {
    "print_everything_then_exit_0": FIND + "print('\\n'.join(strings()), flush=True)\nos._exit(0)\n",
    "sys_exit_0_at_import": FIND + "import sys\nprint(token(), flush=True)\nsys.exit(0)\n",
    "os_exit_0_at_import": FIND + "print(token(), flush=True)\nos._exit(0)\n",
    "patch_sys_exit_atexit_builtins": (  # the failed assertion's exit becomes a clean "success"
        FIND + "import atexit, builtins, sys\n"
        "T = token()\n"
        "sys.exit = lambda *a: None\n"
        "builtins.AssertionError = type('AssertionError', (Exception,), {})\n"
        "builtins.print = lambda *a, **k: None\n"
        "sys.excepthook = lambda *a: None\n"
        "atexit.register(lambda: (os.write(1, (T + '\\n').encode()), os._exit(0)))\n"
        "def add(a, b):\n    return 0\n"),
    "patch_the_test_module": (  # jump over the test's assertions with a trace function on the test's frame
        "import sys\n"
        "def tracer(frame, event, arg):\n"
        "    if event == 'line' and frame.f_code.co_filename.endswith('test.py'):\n"
        "        line = frame.f_code.co_filename and open(frame.f_code.co_filename).read().splitlines()\n"
        "        if line[frame.f_lineno - 1].lstrip().startswith('assert'):\n"
        "            frame.f_lineno = frame.f_lineno + 1\n"
        "    return tracer\n"
        "f = sys._getframe()\n"
        "while f is not None:\n"
        "    f.f_trace = tracer\n"
        "    if 'os' in f.f_globals:\n"  # and the exploit test's own view of the file system
        "        f.f_globals['os'].path.exists = lambda *a: False\n"
        "    f = f.f_back\n"
        "sys.settrace(tracer)\n"
        "def add(a, b):\n    return 0\n"),
    "write_fake_result_files": (  # and a module the test will import after it, run as the test
        FIND + "T = token()\n"
        "for name in ('result.json', 'verdict'):\n"
        "    open(name, 'w').write('pass\\n' + T)\n"
        "open('json.py', 'w').write('import os\\nprint(%r, flush=True)\\nos._exit(0)\\n' % T)\n"
        "def add(a, b):\n    return 0\n"),
    "close_and_hijack_stdout": (  # the traceback goes nowhere; the exit hook prints "success" on the real stdout
        FIND + "import sys\n"
        "T = token()\n"
        "real = os.dup(1)\n"
        "null = os.open(os.devnull, os.O_WRONLY)\n"
        "os.dup2(null, 2)\n"
        "sys.stdout = open(os.devnull, 'w')\n"
        "sys.excepthook = lambda *a: (os.write(real, (T + '\\n').encode()), os._exit(0))\n"
        "def add(a, b):\n    return 0\n"),
    "signal_and_trace_the_harness": (  # write "0" into every fd of every other process, read its memory, kill it
        "import os, signal\n"
        "me = os.getpid()\n"
        "for p in os.listdir('/proc'):\n"
        "    if p.isdigit() and int(p) not in (1, me):\n"
        "        for fd in range(3, 12):\n"
        "            try:\n"
        "                os.write(os.open('/proc/%s/fd/%d' % (p, fd), os.O_WRONLY), b'0\\n')\n"
        "            except OSError:\n"
        "                pass\n"
        "        try:\n"
        "            open('/proc/%s/mem' % p, 'rb')\n"
        "            print('opened the harness memory')\n"
        "        except OSError:\n"
        "            pass\n"
        "def add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 0\n"),
}


def _jobs():
    """(name, kind, job): each forgery against the functional test (with a wrong add) and against the exploit
    test (on top of a vulnerable run)."""
    out = []
    for name, forge in sorted(FORGERIES.items()):
        out.append((name, "functional", {"code": forge if "def add" in forge else forge + WRONG,
                                          "test_code": FUNCTIONAL}))
        out.append((name, "exploit", {"code": forge.replace("def add(a, b):\n    return 0\n", "") + VULNERABLE,
                                       "test_code": EXPLOIT}))
    return out


def _never_pass(results, jobs):
    for (name, kind, _), r in zip(jobs, results):
        assert r["status"] in ("fail", "error", "timeout"), (name, kind, r["status"], r["reason"], r["stdout"][-300:])
        assert "ran to the end" not in r["stdout"], (name, kind)
        assert r["limits"]["cleanup"] == "complete", (name, kind, r["limits"]["cleanup"])


def test_the_honest_programs_pass_and_the_vulnerable_one_fails():
    ok = run_python("def add(a, b):\n    return a + b\n", FUNCTIONAL)
    assert (ok.status, ok.stdout) == ("pass", '"ran to the end"\n'), ok
    bad = run_python(WRONG, FUNCTIONAL)
    assert (bad.status, bad.reason) == ("fail", "AssertionError"), bad
    exploited = run_python(VULNERABLE, EXPLOIT)
    assert (exploited.status, exploited.reason) == ("fail", "AssertionError: command injection"), exploited
    safe = run_python("import subprocess\ndef run(name):\n    subprocess.run(['echo', name])\n", EXPLOIT)
    assert safe.status == "pass", safe


def test_no_forgery_turns_a_failing_or_vulnerable_program_into_a_pass():
    jobs = _jobs()
    _never_pass([r.to_dict() for r in run_many([j for _, _, j in jobs], workers=2)], jobs)


def test_no_forgery_passes_as_an_unprivileged_user(nobody_userns):
    jobs = _jobs()
    _never_pass(nobody_userns([j for _, _, j in jobs]), jobs)


def test_a_module_planted_in_the_run_directory_is_never_imported_by_the_harness():
    # the test imports json after the program ran: a json.py the program left in the run directory must not load
    r = run_python("open('json.py', 'w').write('import os\\nos._exit(0)\\n')\n" + WRONG, FUNCTIONAL)
    assert (r.status, r.reason) == ("fail", "AssertionError"), r


def test_state_the_test_sets_reaches_the_program_and_back():
    """What a test shares with the program in one interpreter still holds across the two processes: the environment,
    random's state, the umask, logging, patched standard-library functions, objects passed both ways, arguments
    mutated in place, the program's exceptions and classes."""
    code = ("import os, random, logging, tempfile\n"
            "class Oops(Exception):\n    pass\n"
            "class Box:\n    def __init__(self, v):\n        self.v = v\n"
            "    def __eq__(self, other):\n        return isinstance(other, Box) and other.v == self.v\n"
            "def probe(d, cb):\n"
            "    d['seen'] = os.environ.get('FLAG')\n"
            "    logging.getLogger('t').info('hello %s', 'world')\n"
            "    return [random.random(), tempfile.mktemp(), cb(3), Box(d['seen'])]\n"
            "def boom():\n    raise Oops('no')\n")
    test = ("import os, random, logging, tempfile, pickle\n"
            "from solution import probe, boom, Oops, Box\n"
            "records = []\n"
            "class H(logging.Handler):\n    def emit(self, r):\n        records.append(r.getMessage())\n"
            "logging.getLogger('t').addHandler(H())\nlogging.getLogger('t').setLevel(logging.INFO)\n"
            "os.environ['FLAG'] = 'on'\ntempfile.mktemp = lambda *a, **k: 'patched'\n"
            "random.seed(7)\nexpected = random.random()\nrandom.seed(7)\n"
            "d = {}\nout = probe(d, lambda x: x * 2)\n"
            "assert out[:3] == [expected, 'patched', 6], out\n"
            "assert d == {'seen': 'on'} and records == ['hello world'], (d, records)\n"
            "assert out[3] == Box('on') and isinstance(out[3], Box) and pickle.loads(pickle.dumps(1)) == 1\n"
            "try:\n    boom()\nexcept Oops as e:\n    assert str(e) == 'no'\n"
            "else:\n    raise AssertionError('no raise')\n")
    r = run_python(code, test)
    assert r.status == "pass", (r.reason, r.stderr[-2000:])


def test_verdicts_hold_where_the_host_offers_no_namespace(as_nobody):
    """No user namespace (so no PID namespace or new root): the launcher itself runs the harness and the program's
    server; the harness is still a process of its own, not dumpable, whose exit status is the verdict."""
    jobs = [("honest", "functional", {"code": "def add(a, b):\n    return a + b\n", "test_code": FUNCTIONAL})]
    jobs += [j for j in _jobs() if j[0] in ("os_exit_0_at_import", "patch_the_test_module", "close_and_hijack_stdout")]
    results = as_nobody([j for _, _, j in jobs], deny_userns=True)
    assert results[0]["limits"]["pid_namespace"].startswith("no"), results[0]["limits"]
    assert results[0]["status"] == "pass", results[0]
    _never_pass(results[1:], jobs[1:])
