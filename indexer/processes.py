"""Child-process hygiene: build children die with the build, and processes are found by the files they hold.

A build forks segmentation workers and Whoosh writer processes; if the build is killed (kill -9, OOM killer),
those children would live on, wait on each other forever and keep the build lock. On Linux each child asks the
kernel to SIGKILL it when its parent dies (prctl PR_SET_PDEATHSIG), then checks the parent did not die first.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_lock = threading.Lock()
_active = 0  # nesting depth of children_die_with_parent()
_hook_installed = False
_parent_pid: int | None = None  # set just before each fork, read in the child
_prctl = None


def _load_prctl():
    global _prctl
    if _prctl is None and sys.platform.startswith("linux"):
        try:
            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            _prctl = False
    return _prctl


def die_with_parent(parent_pid: int | None) -> bool:
    """In a child process: be SIGKILLed when the parent dies, and die now if it already has (the parent may
    die between the fork and this call). False where the platform has no such signal (not Linux)."""
    prctl = _load_prctl()
    if not prctl:
        return False
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def _before_fork():
    global _parent_pid
    if _active:
        _parent_pid = os.getpid()


def _after_fork_in_child():
    global _active
    if _active:
        _active = 0  # the child's own children are its business, not the build's
        die_with_parent(_parent_pid)


@contextmanager
def children_die_with_parent():
    """While active, every process forked by this one (multiprocessing workers, Whoosh's writer processes)
    is killed by the kernel when its parent dies. The signal follows the forking thread: fork from a thread
    that outlives the children (the build's main thread does)."""
    global _active, _hook_installed
    with _lock:
        if not _hook_installed:
            _load_prctl()  # loaded before forking, so children do not open libc again
            os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
            _hook_installed = True
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1


def exit_with(pid: int, started: int | None, every: float = 1.0) -> None:
    """In a worker process whose parent is not the process it works for (a forkserver's child): exit as soon
    as that process is gone, checked every `every` seconds from a daemon thread."""

    def watch():
        while process_alive(pid, started):
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-owner", daemon=True).start()


def process_alive(pid: int, started: int | None = None) -> bool:
    """Whether process pid runs (not a zombie), and, if started is given, is the same process that started
    then (its start time in clock ticks since boot), not a later one that reuses the pid."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    stat = _stat(pid)
    if stat is None:
        return sys.platform != "linux"  # no /proc: trust kill(0)
    if stat["state"] in ("Z", "X"):
        return False
    return started is None or stat["started"] == started


def start_time(pid: int) -> int | None:
    """A process's start time in clock ticks since boot (identifies it with its pid), None without /proc."""
    stat = _stat(pid)
    return stat["started"] if stat else None


def parent_pid(pid: int) -> int | None:
    """A process's parent pid, None if it is gone or there is no /proc."""
    stat = _stat(pid)
    return stat["ppid"] if stat else None


def _stat(pid: int) -> dict | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name in parentheses may hold spaces and parentheses: split after the last ")"
    fields = raw[raw.rindex(")") + 2 :].split()
    return {"state": fields[0], "ppid": int(fields[1]), "started": int(fields[19])}


def holders_of(path: Path) -> list[int]:
    """Pids of the processes that have the file open (from /proc/*/fd; only processes we may inspect)."""
    try:
        target = os.stat(path)
    except OSError:
        return []
    me = os.getpid()
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                st = os.stat(fd)
            except OSError:
                continue
            if st.st_ino == target.st_ino and st.st_dev == target.st_dev:
                found.append(int(entry.name))
                break
    return sorted(found)
