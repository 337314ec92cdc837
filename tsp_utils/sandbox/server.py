# The program's server: a program fragment run after rpc.py as `python -E -s -c` in the sandboxed program's process.
# It imports solution.py when the harness's test does, and serves the harness's requests on the program's objects,
# applying first the state the test set (see harness.py). Nothing it does decides a verdict: the harness's exit
# status does, in a process this one cannot reach.

import importlib
import json
import logging
import random

cfg = json.loads(sys.argv[1])
peer = Peer(cfg["fd"], "P", restricted=False)  # the harness may do anything with our objects
_patched = {}  # (module, class, name) -> the original here
_sink = []
sys.argv = [os.path.join(os.getcwd(), "test.py")]


def _as_function(ref):
    def patched(*args, **kwargs):  # a function, so that it binds as a method where the test patched a class
        return ref(*args, **kwargs)
    return patched


def _apply(state):
    if state["cwd"] != os.getcwd():
        os.chdir(state["cwd"])
    os.umask(state["umask"])
    if state["env"] != dict(os.environ):
        os.environ.clear()
        os.environ.update(state["env"])
    random.setstate(state["random"])
    _sink[:] = [state["log_sink"]]
    for name, (level, propagate, disabled) in state["levels"].items():
        lg = logging.getLogger(name or None)
        if (lg.level, lg.propagate, lg.disabled) != (level, propagate, disabled):
            lg.setLevel(level)
            lg.propagate, lg.disabled = propagate, disabled
    wanted = set()
    for mod, cls, name, value in state["patches"]:
        try:
            target = importlib.import_module(mod)
            for part in cls.split(".") if cls else []:
                target = getattr(target, part)
        except Exception:
            continue
        key = (mod, cls, name)
        wanted.add(key)
        if key not in _patched:
            _patched[key] = (target, name, target.__dict__.get(name, _patched))
        setattr(target, name, _as_function(value) if isinstance(value, Ref) and value._info[4] else value)
    for key in [k for k in _patched if k not in wanted]:  # the test put it back
        target, name, original = _patched.pop(key)
        if original is _patched:
            delattr(target, name)
        else:
            setattr(target, name, original)


def _back():
    return {"cwd": os.getcwd(), "env": dict(os.environ), "random": random.getstate()}


_call_handlers = logging.Logger.callHandlers


def _forward(self, record):
    # the test's handlers live in the harness: hand it the record; ours run only where the program set some up
    if _sink:
        rec = dict(record.__dict__)
        rec["msg"], rec["args"] = record.getMessage(), None
        if record.exc_info:
            rec["exc_text"] = logging.Formatter().formatException(record.exc_info)
        rec["exc_info"] = None
        _sink[0]({k: v for k, v in rec.items() if isinstance(v, (str, int, float, type(None)))})
    c, found = self, 0
    while c:
        found += len(c.handlers)
        c = c.parent if c.propagate else None
    if found:
        _call_handlers(self, record)


logging.Logger.callHandlers = _forward
_handle = peer.handle


def _serve(msg):
    if msg[0] == "simport":
        _apply(msg[1])
        sys.path.insert(0, os.getcwd())
        return importlib.import_module("solution"), _back(), []
    if msg[0] == "scall":
        _, target, args, kwargs, state = msg
        _apply(state)
        value = target(*args, **kwargs)
        copied = [(i, a) for i, a in enumerate(args) if type(a) in (list, dict, set, bytearray)]
        copied += [(k, a) for k, a in kwargs.items() if type(a) in (list, dict, set, bytearray)]
        return value, _back(), copied
    return _handle(msg)


peer.handle = _serve
try:
    while True:
        peer.serve_one(peer._recv())
        sys.stdout.flush()
        sys.stderr.flush()
except RemoteExit:
    os._exit(0)
