# The wire between the test harness (harness.py, ours) and the program's server (server.py, the untrusted code's
# process): a program fragment, not a module. run_python puts this text before each of them and runs each as its own
# `python -c` program. Plain values (None, bool, int, float, complex, str, bytes, bytearray, and lists, tuples, dicts,
# sets of them) cross by value in a tagged binary form that decodes without running code (no pickle, no marshal);
# everything else crosses as a reference, and operations on a reference run in the process that owns the object.
# Either side may call the other while it waits for an answer (callbacks). Why the harness is a process of its own:
# docs/sandbox.md ("Verdicts").

if __name__ != "__main__":
    raise ImportError("tsp_utils/sandbox/rpc.py is part of a program that run_python runs, not a module")

import builtins
import importlib
import operator
import os
import struct
import sys

MAX_DEPTH = 200
PLAIN = (type(None), bool, int, float, complex, str, bytes, bytearray)
RECONSTRUCTORS = {("copyreg", "__newobj__"), ("copyreg", "__newobj_ex__"), ("copyreg", "_reconstructor")}
REMOTE_OPS = {"len", "iter", "next", "getitem", "setitem", "delitem", "contains", "eq", "ne", "lt", "le", "gt", "ge",
              "hash", "bool", "str", "repr", "enter", "exit", "reduce_ex", "instancecheck", "dir"}
RESTRICTED_OPS = REMOTE_OPS - {"reduce_ex", "instancecheck", "dir"}  # what the program may do to our objects
UNREACHABLE_MODULES = {"os", "posix", "sys", "subprocess", "builtins", "ctypes", "_ctypes", "signal", "importlib"}


class ProtocolError(Exception):
    pass


class RemoteExit(BaseException):
    """The other side's code raised SystemExit or KeyboardInterrupt: the test ends there, not completed."""


class Peer:
    """One end of the wire. ``restricted`` (the harness's end): the peer may touch our objects only through public
    names and RESTRICTED_OPS, and never reach a module or os/sys-level function; the harness may do anything with
    the program's objects."""

    def __init__(self, fd, me, restricted, on_sync=None):
        self.fd, self.me, self.restricted, self.on_sync = fd, me, restricted, on_sync
        self.mine = {}  # id -> our object the peer holds a reference to
        self.ids = {}  # id(obj) -> id
        self.theirs = {}  # id -> our Ref to their object (identity: one Ref per remote object)
        self.exc_classes = {}  # their exception class id -> our mirror class

    # --- framing --------------------------------------------------------------------------------------------
    def _send(self, msg):
        data = self.enc(msg)
        os.write(self.fd, struct.pack(">Q", len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]

    def _read(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = os.read(self.fd, min(n - len(buf), 1 << 20))
            if not chunk:
                raise RemoteExit("the other side of the sandbox's wire is gone")
            buf += chunk
        return bytes(buf)

    def _recv(self):
        (n,) = struct.unpack(">Q", self._read(8))
        return self.dec(self._read(n))

    # --- encoding ---------------------------------------------------------------------------------------------
    def enc(self, obj):
        out = bytearray()
        self._enc(obj, out, 0)
        return bytes(out)

    def _enc(self, o, out, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError("value nested too deep")
        t = type(o)
        if o is None or t is bool:
            out += b"N" if o is None else (b"T" if o else b"F")
        elif t is int or (isinstance(o, int) and t.__module__ != "solution" and not issubclass(t, bool)):
            s = str(int(o)).encode()
            out += b"i" + struct.pack(">I", len(s)) + s
        elif t is float:
            out += b"f" + struct.pack(">d", o)
        elif t is complex:
            out += b"c" + struct.pack(">dd", o.real, o.imag)
        elif t in (str, bytes, bytearray):
            raw = o.encode("utf-8", "surrogatepass") if t is str else bytes(o)
            out += {str: b"s", bytes: b"b", bytearray: b"a"}[t] + struct.pack(">Q", len(raw)) + raw
        elif t in (list, tuple, set, frozenset):
            out += {list: b"l", tuple: b"t", set: b"e", frozenset: b"z"}[t] + struct.pack(">Q", len(o))
            for item in o:
                self._enc(item, out, depth + 1)
        elif t is dict:
            out += b"d" + struct.pack(">Q", len(o))
            for k, v in o.items():
                self._enc(k, out, depth + 1)
                self._enc(v, out, depth + 1)
        elif t is Ref and o._peer is self:  # theirs: they resolve it to the original
            out += b"R" + struct.pack(">Q", o._id)
        elif t is RemoteClass and o._tsp_ref._peer is self:
            out += b"R" + struct.pack(">Q", o._tsp_ref._id)
        else:
            mod, qual = getattr(o, "__module__", None), getattr(o, "__qualname__", None)
            if (mod, qual) in RECONSTRUCTORS:  # named, not referenced: pickle needs the real function here
                name = ("%s %s" % (mod, qual)).encode()
                out += b"g" + struct.pack(">Q", len(name)) + name
                return
            key = id(o)
            if key not in self.ids:
                self.ids[key] = len(self.mine) + 1
                self.mine[self.ids[key]] = o
            cls = o if isinstance(o, type) else type(o)
            info = [cls.__module__, cls.__qualname__, isinstance(o, type),
                    isinstance(o, type) and issubclass(o, BaseException), callable(o)]
            body = self.enc(info)
            out += b"r" + struct.pack(">QQ", self.ids[key], len(body)) + body
            if not isinstance(o, type):  # the class, so that x.__class__ is the same object on the other side
                self._enc(cls, out, depth + 1)

    def dec(self, data):
        obj, end = self._dec(data, 0, 0)
        if end != len(data):
            raise ProtocolError("trailing bytes")
        return obj

    def _dec(self, d, i, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError("value nested too deep")
        tag, i = d[i:i + 1], i + 1
        if tag in (b"N", b"T", b"F"):
            return {b"N": None, b"T": True, b"F": False}[tag], i
        if tag == b"i":
            (n,) = struct.unpack_from(">I", d, i)
            return int(d[i + 4:i + 4 + n]), i + 4 + n
        if tag == b"f":
            return struct.unpack_from(">d", d, i)[0], i + 8
        if tag == b"c":
            re_, im = struct.unpack_from(">dd", d, i)
            return complex(re_, im), i + 16
        if tag in (b"s", b"b", b"a"):
            (n,) = struct.unpack_from(">Q", d, i)
            raw = d[i + 8:i + 8 + n]
            return (raw.decode("utf-8", "surrogatepass") if tag == b"s" else bytes(raw) if tag == b"b"
                    else bytearray(raw)), i + 8 + n
        if tag in (b"l", b"t", b"e", b"z"):
            (n,) = struct.unpack_from(">Q", d, i)
            i += 8
            items = []
            for _ in range(n):
                item, i = self._dec(d, i, depth + 1)
                items.append(item)
            return {b"l": list, b"t": tuple, b"e": set, b"z": frozenset}[tag](items), i
        if tag == b"d":
            (n,) = struct.unpack_from(">Q", d, i)
            i += 8
            out = {}
            for _ in range(n):
                k, i = self._dec(d, i, depth + 1)
                out[k], i = self._dec(d, i, depth + 1)
            return out, i
        if tag == b"g":
            (n,) = struct.unpack_from(">Q", d, i)
            mod, qual = d[i + 8:i + 8 + n].decode().split(" ")
            if (mod, qual) not in RECONSTRUCTORS:
                raise ProtocolError("global %s.%s is not a reconstructor" % (mod, qual))
            return getattr(importlib.import_module(mod), qual), i + 8 + n
        if tag == b"R":
            (rid,) = struct.unpack_from(">Q", d, i)
            if rid not in self.mine:
                raise ProtocolError("reference to an object we never sent")
            return self.mine[rid], i + 8
        if tag == b"r":
            rid, n = struct.unpack_from(">QQ", d, i)
            info = self.dec(d[i + 16:i + 16 + n])
            i += 16 + n
            cls = None
            if not info[2]:
                cls, i = self._dec(d, i, depth + 1)
            return self._theirs(rid, info, cls), i
        raise ProtocolError("unknown tag %r" % tag)

    def _theirs(self, rid, info, cls):
        if rid in self.theirs:
            return self.theirs[rid]
        mod, qual, is_class, is_exc, _ = info
        if is_exc:  # a real class here, so that `except TheirError:` works
            self.theirs[rid] = self.mirror(rid, mod, qual)
            return self.theirs[rid]
        ref = Ref(self, rid, info, cls)
        if is_class and self.restricted:
            # the harness gets a real class standing for the program's (pickle and isinstance need a type); using
            # it goes to the program: calling it makes an instance there, its attributes are read there
            ref = RemoteClass(qual.rsplit(".", 1)[-1], (), {"__module__": mod, "__qualname__": qual,
                                                           "_tsp_ref": ref})
        self.theirs[rid] = ref
        return ref

    def mirror(self, rid, mod, qual):
        real = _resolve(mod, qual)
        if isinstance(real, type) and issubclass(real, BaseException):
            return real
        key = rid or (mod, qual)
        if key not in self.exc_classes:
            self.exc_classes[key] = type(qual.rsplit(".", 1)[-1], (Exception,), {"__module__": mod,
                                                                               "__qualname__": qual})
        return self.exc_classes[key]

    def call(self, ref, args, kwargs):
        return self.request("call", ref, args, kwargs)

    # --- requests and answers -----------------------------------------------------------------------------
    def request(self, *msg):
        self._send(msg)
        while True:
            reply = self._recv()
            if reply[0] == "ret":
                return reply[1]
            if reply[0] == "err":
                raise self._exception(reply[1])
            self.serve_one(reply)

    def _exception(self, e):
        mod, qual, args, text, rid = e
        if (mod, qual) in (("builtins", "SystemExit"), ("builtins", "KeyboardInterrupt"),
                           ("builtins", "GeneratorExit")):
            return RemoteExit("%s: %s" % (qual, text))
        cls = self.mirror(rid, mod, qual) if rid else _resolve(mod, qual)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)) or cls is RemoteExit:
            cls = self.mirror(-1, mod, qual)
        try:
            exc = cls(*args)
        except Exception:
            exc = cls.__new__(cls)
            exc.args = tuple(args)
        return exc

    def serve_one(self, msg):
        try:
            value = self.handle(msg)
        except BaseException as exc:
            t = type(exc)
            rid = self.ids.get(id(t)) or (self.enc(t) and self.ids[id(t)])  # the class the other side mirrored
            try:
                args = list(exc.args)
                self.enc(args)
            except Exception:
                args = [str(exc)]
            self._send(("err", (t.__module__, t.__qualname__, args, str(exc)[:2000], rid)))
            return
        self._send(("ret", value))

    def handle(self, msg):
        kind = msg[0]
        if kind == "sync":
            return self.on_sync(msg[1])
        target = msg[1]
        if self.restricted and kind in ("getattr", "setattr", "delattr") and msg[2].startswith("_"):
            raise AttributeError("%s: not reachable from the sandboxed program" % msg[2])
        if kind == "call":
            return target(*msg[2], **msg[3])
        if kind == "getattr":
            value = getattr(target, msg[2])
            if self.restricted and (type(value).__name__ == "module" or (
                    getattr(value, "__module__", None) in UNREACHABLE_MODULES and callable(value))):
                raise AttributeError("%s: not reachable from the sandboxed program" % msg[2])
            return value
        if kind == "setattr":
            return setattr(target, msg[2], msg[3])
        if kind == "delattr":
            return delattr(target, msg[2])
        if kind == "op" and msg[2] in (RESTRICTED_OPS if self.restricted else REMOTE_OPS):
            return _op(target, msg[2], msg[3])
        raise ProtocolError("unknown request %r" % (kind,))
