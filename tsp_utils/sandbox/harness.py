# The test harness: a program fragment run after rpc.py as `python -I -c`, in a process of its own that the program
# cannot reach (not dumpable, so not traceable and its /proc entries closed; no module of the run directory is ever
# imported here). It runs test.py (given in its config, not read from the run directory) with a `solution` module
# whose every use is served by the program's process (server.py), mirroring before each call the state a test sets
# for the program in a shared interpreter (working directory, umask, environment, random's state, logging levels,
# patched standard-library attributes) and copying back mutated arguments. Its verdict is its exit status alone:
# 0 the test ran to its end, 1 an AssertionError, 2 anything else; a one-line reason goes to a pipe only init reads.

import ctypes
import json
import logging
import random
import traceback
import types
import importlib.abc
import importlib.util

cfg = json.loads(sys.argv[1])
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: the program (same uid) cannot ptrace or read us
RUN = os.path.realpath(cfg["workdir"])
SKIP_MODULES = {"sys", "__main__", "solution", "builtins"}
peer = Peer(cfg["fd"], "H", restricted=True)  # the program may touch our objects only narrowly
_snap = {}


class _Nothing:
    def find_spec(self, name, target=None):
        return None

    def invalidate_caches(self):
        pass


def _no_imports_from_the_run(path):
    # the program writes the run directory: a module planted there would run here
    real = os.path.realpath(path or ".")
    if real == RUN or real.startswith(RUN + "/") or real.startswith("/proc"):
        return _Nothing()
    raise ImportError


def _snapshot():
    """Each standard-library module's attributes (and its classes') as loaded, before the test changes them."""
    for name, mod in list(sys.modules.items()):
        if name in _snap or name in SKIP_MODULES or not isinstance(mod, types.ModuleType):
            continue
        if getattr(getattr(mod, "__spec__", None), "_initializing", False):
            continue  # still running its own body (a module that imports another): it rebinds names as it goes
        d = dict(vars(mod))
        _snap[name] = (d, {k: dict(vars(v)) for k, v in d.items()
                           if isinstance(v, type) and getattr(v, "__module__", None) == name})


def _patches():
    out = []
    for name, (d, classes) in _snap.items():
        mod = sys.modules.get(name)
        if mod is None:
            continue
        for k, v in list(vars(mod).items()):
            if not k.startswith("_") and (k not in d or d[k] is not v):
                out.append((name, "", k, v))
        for cq, cd in classes.items():
            cls = d.get(cq)
            for k, v in list(vars(cls).items()):
                if not k.startswith("_") and (k not in cd or cd[k] is not v):
                    out.append((name, cq, k, v))
    return out


def _log_sink(rec):
    record = logging.makeLogRecord(rec)
    logging.getLogger(rec["name"] if rec["name"] != "root" else None).handle(record)


def _state():
    _snapshot()
    mask = os.umask(0)
    os.umask(mask)
    levels = {name: [lg.level, lg.propagate, lg.disabled] for name, lg in logging.Logger.manager.loggerDict.items()
              if isinstance(lg, logging.Logger)}
    levels[""] = [logging.root.level, True, logging.root.disabled]
    return {"cwd": os.getcwd(), "umask": mask, "env": dict(os.environ), "random": random.getstate(),
            "levels": levels, "patches": _patches(), "log_sink": _log_sink}


def _sync_into(old, new):
    if type(old) is dict and type(new) is dict:
        for k in [k for k in old if k not in new]:
            del old[k]
        for k, v in new.items():
            if k in old and type(old[k]) in (dict, list) and type(old[k]) is type(v):
                _sync_into(old[k], v)
            else:
                old[k] = v
    elif type(old) is list and type(new) is list:
        old[:] = new
    elif type(old) is set and type(new) is set:
        old.clear()
        old.update(new)
    elif type(old) is bytearray and type(new) is bytearray:
        old[:] = new


def _back(back):
    if back["cwd"] != os.getcwd():
        os.chdir(back["cwd"])
    if back["env"] != dict(os.environ):
        os.environ.clear()
        os.environ.update(back["env"])
    random.setstate(back["random"])


def _call(ref, args, kwargs):
    value, back, copied = peer.request("scall", ref, args, kwargs, _state())
    _back(back)
    for where, new in copied:
        _sync_into(args[where] if isinstance(where, int) else kwargs[where], new)
    return value


peer.call = _call


class _Solution(types.ModuleType):
    """The test's `solution`: attribute reads and writes go to the program's own module."""

    def __getattr__(self, name):
        if name.startswith("__") and name not in ("__all__", "__doc__"):
            raise AttributeError(name)
        module = self.__dict__["_tsp_module"]
        if name == "__all__":  # `from solution import *`: the program's __all__, else its public names
            try:
                return peer.request("getattr", module, name)
            except AttributeError:
                return [n for n in peer.request("op", module, "dir", ()) if not n.startswith("_")]
        return peer.request("getattr", module, name)

    def __setattr__(self, name, value):
        if name.startswith("__") or name == "_tsp_module":
            return super().__setattr__(name, value)
        peer.request("setattr", self.__dict__["_tsp_module"], name, value)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == "solution" else None

    def create_module(self, spec):
        return _Solution("solution")

    def exec_module(self, module):
        value, back, _ = peer.request("simport", _state())
        _back(back)
        module.__dict__["_tsp_module"] = value
        module.__dict__["__file__"] = os.path.join(RUN, "solution.py")


def _finish(status, reason):
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(cfg["reason_fd"], reason.encode("utf-8", "replace")[:2000])
    os._exit(status)


_orig_import = builtins.__import__


def _import(*args, **kwargs):
    module = _orig_import(*args, **kwargs)
    _snapshot()  # modules the test just imported, as they are before it patches them
    return module


sys.path_hooks.insert(0, _no_imports_from_the_run)
sys.path_importer_cache.clear()
sys.meta_path.insert(0, _Finder())
builtins.__import__ = _import
_snapshot()
main = types.ModuleType("__main__")
main.__dict__.update({"__file__": os.path.join(RUN, "test.py"), "__builtins__": builtins})
sys.modules["__main__"] = main
os.chdir(RUN)
try:
    exec(compile(cfg["test"], os.path.join(RUN, "test.py"), "exec"), main.__dict__)
except AssertionError as exc:
    traceback.print_exc()
    _finish(1, ("AssertionError: %s" % exc).rstrip(": ").splitlines()[0] if str(exc) else "AssertionError")
except RemoteExit as exc:
    traceback.print_exc()
    _finish(2, "the program ended before the test did (%s)" % exc)
except BaseException as exc:  # SystemExit too: a test that does not run to its end has not passed
    traceback.print_exc()
    line = traceback.format_exception_only(type(exc), exc)[-1].strip()
    _finish(2, line[:300])
_finish(0, "")
