"""Builds against crashes and hostile corpus folders: killed builds, stale locks, odd names, links, rights."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import CorpusError, TandemError
from indexer.processes import children_die_with_parent, holders_of
from indexer.readers import Unit, discover, read_unit
from indexer.store import LOCK, build_lock
from server.cli import cli

from .conftest import CORPUS, FR_SEED, REPO, ZH_SEED

DEVSET = CORPUS / "unpc-devset"
NOBODY = 65534
ENV = dict(os.environ, PYTHONPATH=str(REPO))
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux /proc and prctl")


def _state(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()[0]


def _running(pid: int) -> bool:
    return _state(pid) not in (None, "Z", "X")


def _descendants(pid: int) -> list[int]:
    """Every running process below pid, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(raw[raw.rindex(")") + 2 :].split()[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return [p for p in found if _running(p)]


def _wait_gone(pids, seconds=30.0) -> list[int]:
    """The pids still running after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _running(p)]


def _python(code: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)], env=ENV, stdout=subprocess.PIPE, text=True, **kw
    )


# -- children die with their parent ---------------------------------------------------------------------------


@LINUX
@pytest.mark.parametrize("hygiene", [True, False])
def test_forked_children_die_with_a_killed_parent_only_under_the_hygiene(hygiene):
    parent = _python(f"""
        import multiprocessing, time, contextlib
        from indexer.processes import children_die_with_parent
        with children_die_with_parent() if {hygiene} else contextlib.nullcontext():
            child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(120,))
            child.start()
        print(child.pid, flush=True)
        time.sleep(120)
    """)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    left = _wait_gone([child], seconds=10 if hygiene else 1)
    try:
        assert left == ([] if hygiene else [child])
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)


@LINUX
def test_a_child_forked_as_its_parent_dies_kills_itself():
    # the race the parent check closes: the parent is gone before the child has set its death signal
    code = """
        import os, sys
        from indexer.processes import die_with_parent
        pid = os.fork()
        if pid == 0:
            die_with_parent(os.getppid() + 1_000_000)  # not its parent: as if the real one had died
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(os.WIFSIGNALED(status) and os.WTERMSIG(status))
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=ENV, capture_output=True, text=True, check=False
    )
    assert out.stdout.strip() == str(int(signal.SIGKILL)), out.stderr


def test_hygiene_context_ends_cleanly_and_nests():
    with children_die_with_parent(), children_die_with_parent():
        pass
    # a process forked after the context is not marked: it outlives nothing here, it simply exits normally
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    assert os.WEXITSTATUS(os.waitpid(pid, 0)[1]) == 7


# -- the build lock ---------------------------------------------------------------------------------------------


def _lock_holder(index_dir: Path, fork_child: bool) -> tuple[subprocess.Popen, int | None]:
    """A process holding the build lock (and, if asked, a forked child inheriting it, as build workers do)."""
    proc = _python(f"""
        import os, time
        from indexer.store import build_lock
        with build_lock({str(index_dir)!r}):
            if {fork_child}:
                pid = os.fork()
                if pid == 0:
                    time.sleep(120)
                    os._exit(0)
                print(pid, flush=True)
            else:
                print(0, flush=True)
            time.sleep(120)
    """)
    child = int(proc.stdout.readline())
    return proc, child or None


def test_a_running_build_keeps_its_lock(tmp_path):
    holder, _ = _lock_holder(tmp_path, fork_child=False)
    try:
        running = rf"another build is running on .* \(process {holder.pid}\)"
        with pytest.raises(TandemError, match=running), build_lock(tmp_path):
            pass
        assert _running(holder.pid)
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_dead_build_is_taken_over_without_children(tmp_path):
    holder, _ = _lock_holder(tmp_path, fork_child=False)
    holder.kill()
    holder.wait()
    with build_lock(tmp_path) as message:
        assert message == f"took over the build lock of dead process {holder.pid}"
    with build_lock(tmp_path) as message:  # that build ended cleanly: nothing to take over
        assert message is None
    assert (tmp_path / LOCK).read_text() == ""


@LINUX
def test_lock_held_by_orphaned_children_is_taken_over_and_they_are_killed(tmp_path):
    holder, orphan = _lock_holder(tmp_path, fork_child=True)
    holder.kill()
    holder.wait()
    assert _running(orphan) and holders_of(tmp_path / LOCK) == [orphan]
    with build_lock(tmp_path) as message:
        assert message == (
            f"took over the build lock of dead process {holder.pid} (killed its orphaned child processes {orphan})"
        )
        assert _wait_gone([orphan], seconds=10) == []


# -- a real `tandem index` killed in each phase -----------------------------------------------------------------


def _full_pipe() -> tuple[int, int]:
    """A pipe already full, so that the first write to it blocks (the writer is frozen there)."""
    import fcntl

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: one page
    os.set_blocking(write_end, False)
    try:
        while True:
            os.write(write_end, b"x" * 4096)
    except BlockingIOError:
        pass
    os.set_blocking(write_end, True)
    return read_end, write_end


def _tandem_index(workdir: Path, stderr) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "index",
            "--corpus",
            "corpus",
            "--index",
            "index",
            "--workers",
            "2",
            "--json",
        ],
        cwd=workdir,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=stderr,
    )


def _read_until(proc: subprocess.Popen, label: str, seconds=180.0) -> str:
    """The build's stderr up to the progress label of a phase (the label is printed as the phase starts)."""
    out = b""
    deadline = time.monotonic() + seconds
    while label.encode() not in out:
        assert time.monotonic() < deadline, f"no {label} phase within {seconds} s: {out!r}"
        chunk = proc.stderr.read1(4096)
        assert chunk, f"build ended before its {label} phase: {out!r}"
        out += chunk
    return out.decode()


@LINUX
@pytest.mark.skipif(not DEVSET.is_dir(), reason=f"needs the UNPC dev set in {DEVSET}")
def test_index_killed_in_each_phase_leaves_no_process_and_the_next_build_succeeds(tmp_path):
    """Slow (about 40 s): five real builds of the UNPC dev set fr/zh (1.6 MB, enough for the worker pool
    and Whoosh's writer processes), four of them killed with SIGKILL."""
    (tmp_path / "corpus").mkdir()
    for suffix in ("fr", "zh", "ids"):
        shutil.copy(DEVSET / f"UNv1.0.devset.{suffix}", tmp_path / "corpus")
    lock = tmp_path / "index" / LOCK

    # hashing: the build is frozen writing its first progress label into a full pipe
    read_end, write_end = _full_pipe()
    build = _tandem_index(tmp_path, stderr=write_end)
    os.close(write_end)
    deadline = time.monotonic() + 60
    while not (
        lock.exists()
        and lock.read_text().split()[:1] == [str(build.pid)]
        and _state(build.pid) == "S"
        and "pipe" in Path(f"/proc/{build.pid}/wchan").read_text()
    ):
        assert time.monotonic() < deadline and build.poll() is None, "build did not reach its hashing phase"
        time.sleep(0.05)
    assert _descendants(build.pid) == []
    build.kill()
    build.wait()
    os.close(read_end)
    previous = build.pid

    # reading: the segmentation workers are started; writing: Whoosh's writer processes too;
    # committing: the writer processes merge their segments
    for phase, least_children in (("reading", 2), ("writing", 3), ("committing", 1)):
        build = _tandem_index(tmp_path, stderr=subprocess.PIPE)
        err = _read_until(build, phase)
        children = _descendants(build.pid)
        assert len(children) >= least_children, (phase, children)
        build.kill()
        build.wait()
        assert _wait_gone(children) == [], f"children left after a kill while {phase}"
        assert f"took over the build lock of dead process {previous}" in err
        previous = build.pid

    build = _tandem_index(tmp_path, stderr=subprocess.PIPE)
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, err.decode()
    assert f"took over the build lock of dead process {previous}" in err.decode()
    report = json.loads(out)
    assert {r["lang"]: r["documents"] for r in report["stats"]} == {"fr": 732, "zh": 732}
    assert _descendants(build.pid) == [] and holders_of(lock) == []
    assert lock.read_text() == ""


# -- hostile corpus folders -------------------------------------------------------------------------------------


def _seed(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@LINUX
def test_links_loops_special_files_and_folders_named_like_bitexts_are_reported(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "fr.txt").write_bytes(_seed(FR_SEED))
    (corpus / "x.fr").mkdir()  # a folder named like a bitext member is an ordinary folder
    (corpus / "x.fr" / "zh.txt").write_bytes(_seed(ZH_SEED))
    (corpus / "x.zh").write_bytes(_seed(ZH_SEED).replace(b"67/38", b"67/39"))
    (corpus / "loop").symlink_to(".")
    (corpus / "self").symlink_to("self")
    (corpus / "dangling.txt").symlink_to("nowhere.txt")
    (corpus / "passwd").symlink_to("/etc/passwd")
    (corpus / "alias.txt").symlink_to("sub/fr.txt")
    (corpus / "sublink").symlink_to("sub")
    os.mkfifo(corpus / "pipe.txt")
    units, skipped = discover(corpus)
    assert [u.key for u in units] == ["sub/fr.txt", "x.fr/zh.txt", "x.zh"]
    assert skipped == [
        ("alias.txt", "same file as sub/fr.txt"),
        ("dangling.txt", "broken symbolic link (to nowhere.txt)"),
        ("loop", "symbolic link loop (to an enclosing folder)"),
        (
            "passwd",
            ("symbolic link to outside the corpus folder (/etc/passwd); set follow_external_links = true to follow it"),
        ),
        ("pipe.txt", "not a regular file (named pipe)"),
        ("self", "symbolic link loop"),
        ("sublink", "same folder as sub"),
    ]


def test_links_leaving_the_corpus_are_followed_only_when_asked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "fr.txt").write_bytes(_seed(FR_SEED))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "more").symlink_to(outside)
    assert [u.key for u in discover(corpus)[0]] == []
    units, skipped = discover(corpus, follow_external_links=True)
    assert [u.key for u in units] == ["more/fr.txt"] and skipped == []
    assert load_config(None, follow_external_links=True).follow_external_links is True


def test_file_names_that_are_not_utf8_are_indexed_under_an_escaped_key(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    raw = os.fsencode(corpus)
    with open(raw + b"/caf\xe9.txt", "wb") as fh:
        fh.write(_seed(FR_SEED))
    with open(raw + b"/bad\xff.txt", "wb") as fh:
        fh.write(b"\x00\x01 not text \x89PNG\x00\x00")
    os.mkdir(raw + b"/set\xfe")
    with open(raw + b"/set\xfe/b\xfe.fr", "wb") as fh:  # languages swapped: the reason names the file
        fh.write("一句中文。\n".encode())
    with open(raw + b"/set\xfe/b\xfe.zh", "wb") as fh:
        fh.write("Une phrase en français.\n".encode())
    args = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == ["caf\\xe9.txt"]  # what was indexed; the others are skipped
    assert report["skipped"] == [
        ["bad\\xff.txt", "binary file (NUL bytes), not text"],
        ["set\\xfe/b\\xfe", "b\\xfe.fr: text is not French"],
    ]
    assert {r["lang"]: r["documents"] for r in report["stats"]} == {"fr": 1}
    again = CliRunner().invoke(cli, args[:-1])  # the skipped reasons, kept in the catalog, print as text
    assert again.exit_code == 0 and "set\\xfe/b\\xfe: b\\xfe.fr: text is not French" in again.output


def test_a_file_gone_after_discovery_is_hashed_and_skipped_with_its_reason(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_bytes(_seed(FR_SEED))
    unit = Unit(key="gone.txt", paths=[path], format="text")
    present = unit.digest()
    path.unlink()
    assert unit.digest() != present
    with pytest.raises(CorpusError, match="cannot read: No such file or directory"):
        read_unit(unit)


def _build_as_nobody(workdir: Path) -> dict:
    """The report of a build of workdir/corpus run by an unprivileged user in a forked child (root reads
    everything, so rights are tested without it); the parent has loaded every module the build uses."""
    warm = workdir / "warm"
    (warm / "corpus").mkdir(parents=True)
    (warm / "corpus" / "fr.txt").write_bytes(_seed(FR_SEED))
    build_index(load_config(None, corpus_dir=warm / "corpus", index_dir=warm / "index"))
    shutil.rmtree(warm)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            report = build_index(load_config(None, corpus_dir=workdir / "corpus", index_dir=workdir / "index"))
            os.write(write_end, json.dumps(report.as_dict()).encode())
            status = 0
        except BaseException as exc:  # noqa: BLE001 - whatever happens, the child reports it and exits
            os.write(write_end, json.dumps({"error": repr(exc)}).encode())
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@LINUX
def test_unreadable_files_and_folders_are_skipped_with_their_reason():
    work = Path(tempfile.mkdtemp(prefix="tandem-rights-"))
    try:
        os.chmod(work, 0o777)
        corpus = work / "corpus"
        (corpus / "locked").mkdir(parents=True)
        (corpus / "locked" / "fr.txt").write_bytes(_seed(FR_SEED))
        (corpus / "fr.txt").write_bytes(_seed(FR_SEED))
        (corpus / "secret.txt").write_bytes(_seed(ZH_SEED))
        os.chmod(corpus, 0o777)
        os.chmod(corpus / "locked", 0)
        os.chmod(corpus / "secret.txt", 0)
        report = _build_as_nobody(work)
        assert "error" not in report, report
        assert report["skipped"] == [
            ["locked", "cannot read folder: Permission denied"],
            ["secret.txt", "cannot read: Permission denied"],
        ]
        assert report["added"] == ["fr.txt"]
    finally:
        os.chmod(work / "corpus" / "locked", 0o755)
        shutil.rmtree(work, ignore_errors=True)


def test_a_build_over_a_hostile_folder_indexes_the_rest(small_config, small_corpus):
    (small_corpus / "loop").symlink_to(".")
    (small_corpus / "passwd").symlink_to("/etc/passwd")
    (small_corpus / "dangling").symlink_to("nowhere")
    report = build_index(small_config)
    reasons = dict(report.skipped)
    assert set(reasons) >= {"loop", "passwd", "dangling"}
    assert {r["lang"]: r["documents"] for r in report.stats} == {"fr": 139, "zh": 139}
