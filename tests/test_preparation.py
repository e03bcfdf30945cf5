"""The segmentation worker pool: real forked workers give the same analyses as the build's own process, in
order across chunks and batches; a worker's error reaches the build as itself, a dead worker as a BuildError
naming it, and stopping the pool leaves no process behind."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from indexer import preparation
from indexer.errors import BuildError
from indexer.preparation import CHUNK_PARAGRAPHS, WorkerPool, analyse

from .conftest import CORPUS, FR_SEED, ZH_SEED

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs fork and Linux signals")


def _jobs() -> list[tuple[str, str]]:
    french = (CORPUS / FR_SEED).read_text(encoding="utf-8").splitlines()
    chinese = (CORPUS / ZH_SEED).read_text(encoding="utf-8").splitlines()
    return [("fr", t) for t in french if t.strip()] + [("zh", t) for t in chinese if t.strip()]


@pytest.fixture()
def pool():
    workers = WorkerPool(2)
    yield workers
    workers.terminate()
    assert not any(p.is_alive() for p, _ in workers._workers), "a worker outlived the pool"


@LINUX
def test_workers_analyse_like_the_build_process_in_order_across_chunks_and_batches(pool):
    jobs = _jobs()
    assert len(jobs) > 2 * CHUNK_PARAGRAPHS  # several chunks, spread over both workers
    first, second = pool.map(jobs), pool.map(list(reversed(jobs)))  # the second is sent before the first is read
    expected = [preparation._analyse_job(job) for job in jobs]
    assert list(first) == expected
    assert list(second) == list(reversed(expected))
    assert expected[0][0] == analyse("fr", jobs[0][1]) and expected[-1][1] is not None  # Chinese has cuts


@LINUX
def test_an_error_in_a_worker_is_raised_in_the_build_as_itself(monkeypatch):
    def failing(job):
        if "ZZZ" in job[1]:
            raise ValueError(f"cannot analyse {job[1]!r}")
        return ([], None)

    monkeypatch.setattr(preparation, "_analyse_job", failing)  # before the fork: the workers run it
    workers = WorkerPool(2)
    try:
        results = workers.map([("fr", "paix")] * 40 + [("fr", "ZZZ")])
        with pytest.raises(ValueError, match="cannot analyse 'ZZZ'"):
            list(results)
        assert list(workers.map([("fr", "paix")])) == [([], None)], "the workers go on after an error"
    finally:
        workers.terminate()


@LINUX
def test_a_dead_worker_fails_the_next_results_with_its_pid_and_signal(pool):
    victim, _ = pool._workers[0]
    os.kill(victim.pid, signal.SIGKILL)
    victim.join(10)
    with pytest.raises(BuildError) as failed:
        list(pool.map(_jobs()))  # some chunk goes to the dead worker: its pipe is closed
    assert failed.value.message.startswith(f"segmentation worker process {victim.pid} was killed by SIGKILL")
