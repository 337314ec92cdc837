"""A control group per run: memory and process count of the run as a whole, and the kernel's count of what hit them.

``create`` tries cgroup v2 (a child of our own group, where memory and pids are delegated to us), then cgroup v1
memory + pids (as root), and returns a ``RunCgroup`` that says what it got and why not more. The launcher joins the
group itself, as its first act, so that every process of the run is born inside it. ``events`` reads the kernel's
counters (OOM kills, refused forks, peak memory) after the run; ``remove`` deletes the group. Where neither version
is usable the caller falls back to a watcher (run.py). See docs/sandbox.md.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field

MB = 1024 * 1024


@dataclass
class RunCgroup:
    kind: str  # "v2" | "v1" | "none"
    procs: list[str] = field(default_factory=list)  # the cgroup.procs files the launcher writes its pid to
    dirs: list[str] = field(default_factory=list)  # the groups made for this run (removed by remove())
    memory_dir: str = ""
    pids_dir: str = ""
    note: str = ""  # what was set, or why nothing was


def _own_groups() -> dict[str, str]:
    """controller (or "" for v2) -> our group's path, from /proc/self/cgroup."""
    out = {}
    with open("/proc/self/cgroup") as fh:
        for line in fh:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for c in controllers.split(",") if controllers else [""]:
                out[c] = path
    return out


def _mounts() -> dict[str, str]:
    """"cgroup2" or a v1 controller -> its mount point, from /proc/self/mountinfo."""
    out: dict[str, str] = {}
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            left, right = line.split(" - ", 1)
            fstype, _, options = right.split()[:3]
            point = left.split()[4].replace("\\040", " ")
            if fstype == "cgroup2":
                out.setdefault("cgroup2", point)
            elif fstype == "cgroup":
                for opt in options.split(","):
                    out.setdefault(opt, point)
    return out


def _write(path: str, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _read(path: str) -> str:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def _try_v2(mounts, own, name, memory_bytes, max_pids) -> RunCgroup | str:
    if "cgroup2" not in mounts or "" not in own:
        return "no cgroup2 mount"
    base = os.path.join(mounts["cgroup2"], own[""].lstrip("/"))
    if not {"memory", "pids"} <= set(_read(os.path.join(base, "cgroup.controllers")).split()):
        return f"memory and pids not delegated to {base}"
    if not {"memory", "pids"} <= set(_read(os.path.join(base, "cgroup.subtree_control")).split()):
        try:  # refused while our own group holds processes (the "no internal processes" rule)
            _write(os.path.join(base, "cgroup.subtree_control"), "+memory +pids")
        except OSError as exc:
            return f"cannot enable memory and pids below {base}: {exc.strerror}"
    group = os.path.join(base, name)
    try:
        os.mkdir(group)
    except OSError as exc:
        return f"cannot create {group}: {exc.strerror}"
    try:
        _write(os.path.join(group, "memory.max"), str(memory_bytes))
        if os.path.exists(os.path.join(group, "memory.swap.max")):
            _write(os.path.join(group, "memory.swap.max"), "0")
        _write(os.path.join(group, "pids.max"), str(max_pids))
    except OSError as exc:
        os.rmdir(group)
        return f"cannot set the limits in {group}: {exc.strerror}"
    return RunCgroup("v2", [os.path.join(group, "cgroup.procs")], [group], group, group,
                     f"cgroup v2 {group}: memory.max={memory_bytes}, memory.swap.max=0, pids.max={max_pids}")


def _try_v1(mounts, own, name, memory_bytes, max_pids) -> RunCgroup | str:
    made: list[str] = []
    notes: list[str] = []
    why: list[str] = []
    groups = {}
    for ctrl in ("memory", "pids"):
        if ctrl not in mounts or ctrl not in own:
            why.append(f"no v1 {ctrl} hierarchy")
            continue
        group = os.path.join(mounts[ctrl], own[ctrl].lstrip("/"), name)
        try:
            os.mkdir(group)
            made.append(group)
            if ctrl == "memory":
                _write(os.path.join(group, "memory.limit_in_bytes"), str(memory_bytes))
                sw = os.path.join(group, "memory.memsw.limit_in_bytes")  # memory + swap: no escape into swap
                if os.path.exists(sw):
                    _write(sw, str(memory_bytes))
                notes.append(f"memory.limit_in_bytes={memory_bytes}" + (" (+memsw)" if os.path.exists(sw) else ""))
            else:
                _write(os.path.join(group, "pids.max"), str(max_pids))
                notes.append(f"pids.max={max_pids}")
            groups[ctrl] = group
        except OSError as exc:
            why.append(f"{ctrl}: {exc.strerror} ({group})")
    if "memory" not in groups:  # the run-level memory bound is the point: without it use the watcher
        for g in reversed(made):
            try:
                os.rmdir(g)
            except OSError:
                pass
        return "; ".join(why) or "v1 memory unusable"
    note = "cgroup v1 " + ", ".join(notes) + (f" (not: {'; '.join(why)})" if why else "")
    return RunCgroup("v1", [os.path.join(g, "cgroup.procs") for g in groups.values()], made,
                     groups["memory"], groups.get("pids", ""), note)


PREFIX = "tsp-sandbox-"


def _sweep(parents: set[str]) -> None:
    """Delete the empty groups of runs whose process died before its cleanup (killed): their names carry its pid."""
    for parent in parents:
        try:
            names = [n for n in os.listdir(parent) if n.startswith(PREFIX)]
        except OSError:
            continue
        for name in names:
            pid = name[len(PREFIX):].split("-")[0]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                try:
                    os.rmdir(os.path.join(parent, name))
                except OSError:
                    pass  # still has members, or another process swept it first


def create(memory_mb: int, max_pids: int) -> RunCgroup:
    """A fresh group bounding the run's memory (RAM + tmpfs pages, no swap) and process count, or kind "none"."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        mounts, own = _mounts(), _own_groups()
    except OSError as exc:
        return RunCgroup("none", note=f"no cgroups ({exc})")
    _sweep({os.path.join(mounts[c], own[c].lstrip("/")) for c in ("memory", "pids") if c in mounts and c in own}
           | ({os.path.join(mounts["cgroup2"], own[""].lstrip("/"))} if "cgroup2" in mounts and "" in own else set()))
    whys = []
    for attempt in (_try_v2, _try_v1):
        got = attempt(mounts, own, name, memory_mb * MB, max_pids)
        if isinstance(got, RunCgroup):
            return got
        whys.append(f"{attempt.__name__[5:]}: {got}")
    return RunCgroup("none", note="; ".join(whys))


def _field(text: str, key: str) -> int:
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


def events(cg: RunCgroup) -> dict[str, int]:
    """The kernel's counters for the run: OOM kills, forks refused at pids.max, peak memory (bytes)."""
    if cg.kind == "none":
        return {}
    out = {}
    if cg.kind == "v2":
        out["oom_kill"] = _field(_read(os.path.join(cg.memory_dir, "memory.events")), "oom_kill")
        out["memory_max_hits"] = _field(_read(os.path.join(cg.memory_dir, "memory.events")), "max")
        peak = _read(os.path.join(cg.memory_dir, "memory.peak")).strip()
    else:
        out["oom_kill"] = _field(_read(os.path.join(cg.memory_dir, "memory.oom_control")), "oom_kill")
        out["memory_max_hits"] = int(_read(os.path.join(cg.memory_dir, "memory.failcnt")).strip() or 0)
        peak = _read(os.path.join(cg.memory_dir, "memory.max_usage_in_bytes")).strip()
    out["memory_peak"] = int(peak) if peak.isdigit() else -1
    if cg.pids_dir:
        out["pids_max_hits"] = _field(_read(os.path.join(cg.pids_dir, "pids.events")), "max")
    return out


def members(cg: RunCgroup) -> list[int]:
    pids: set[int] = set()
    for procs in cg.procs:
        pids |= {int(p) for p in _read(procs).split() if p.isdigit()}
    return sorted(pids)


def remove(cg: RunCgroup) -> str:
    """Kill what is left in the group and delete it; "" or why it stayed."""
    if cg.kind == "none":
        return ""
    kill = os.path.join(cg.memory_dir, "cgroup.kill")
    for _ in range(50):
        left = members(cg)
        if not left:
            break
        if cg.kind == "v2" and os.path.exists(kill):
            try:
                _write(kill, "1")
            except OSError:
                pass
        for pid in left:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        time.sleep(0.02)
    failed = []
    for group in reversed(cg.dirs):
        for _ in range(50):  # EBUSY until the last member is reaped
            try:
                os.rmdir(group)
                break
            except FileNotFoundError:
                break
            except OSError as exc:
                err = exc
                time.sleep(0.02)
        else:
            failed.append(f"{group}: {err.strerror}")
    return "; ".join(failed)
