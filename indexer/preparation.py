"""Paragraph preparation for builds: index terms with positions and Chinese word cuts, computed in worker
processes (each loading the segmenter once) when there is enough text to pay for them."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from .analysis import LANGUAGES
from .config import Config
from .errors import BuildError
from .processes import children_die_with_parent
from .readers import Part

POOL_MIN_BYTES = 1_000_000  # below this, loading pkuseg in worker processes costs more than it saves
# Seconds a worker stopping is given to finish the chunk of paragraphs in hand (about a second's work) before it
# is killed: one killed while it writes its results leaves half a message in the pool's result pipe, and the
# pool's manager thread, which the interpreter joins at exit, then waits for the rest for ever.
STOP_GRACE_SECONDS = 10

_analyzers: dict = {}


def analyse(lang: str, text: str) -> list[tuple[str, int]]:
    """The index terms of a text with their positions: what every engine indexes."""
    analyzer = _analyzers.get(lang)
    if analyzer is None:
        analyzer = _analyzers[lang] = LANGUAGES[lang].analyzer()
    return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]


def _analyse_job(job: tuple[str, str]) -> tuple[list[tuple[str, int]], str | None]:
    lang, text = job
    cutter = LANGUAGES[lang].cuts
    # segmenting again costs little: the analyzer has just cached the segmentation of the text's runs
    return analyse(lang, text), (cutter(text) if cutter is not None else None)


def _warm_up():
    for spec in LANGUAGES.values():
        if spec.warm_up is not None:
            spec.warm_up()


def _ready() -> bool:
    return True


class WorkerPool:
    """Segmentation worker processes. A worker that dies (killed, out of memory) loses the paragraphs it held:
    the pool then fails the build at once, naming the worker and its signal, rather than wait for them."""

    def __init__(self, workers: int):
        before = set(multiprocessing.active_children())
        self._executor = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_warm_up
        )
        self._executor.submit(_ready)  # forks every worker now, so loading the segmenter overlaps reading
        self._workers = [p for p in multiprocessing.active_children() if p not in before]

    def map(self, jobs: list) -> Iterator:
        """Results of the jobs (submitted now), in order; BuildError as soon as a worker has died."""
        try:
            results = self._executor.map(_analyse_job, jobs, chunksize=32)
        except BrokenProcessPool:
            raise BuildError(self._death()) from None
        return self._checked(results)

    def _checked(self, results: Iterator) -> Iterator:
        try:
            yield from results
        except BrokenProcessPool:
            raise BuildError(self._death()) from None

    def _death(self) -> str:
        dead = [(p.pid, p.exitcode) for p in self._workers if p.exitcode not in (None, 0)]
        # the pool stops the surviving workers with SIGTERM once one is gone: name a worker that died otherwise
        dead.sort(key=lambda pe: pe[1] == -signal.SIGTERM)
        if not dead:
            return "a segmentation worker process ended unexpectedly; the build stopped"
        pid, code = dead[0]
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
        return f"segmentation worker process {pid} {how}; the build stopped (its paragraphs were not analysed)"

    def close(self):
        """No more jobs: workers exit once the submitted ones are done."""
        self._executor.shutdown(wait=False)

    def terminate(self):
        """Stop the workers: the jobs not started are dropped, the chunk in hand is finished (killed past
        STOP_GRACE_SECONDS)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in self._workers:
            process.join(STOP_GRACE_SECONDS)
        for process in self._workers:
            if process.is_alive():
                process.kill()
        for process in self._workers:
            process.join()


@contextmanager
def preparation_pool(config: Config, units) -> Iterator[WorkerPool | None]:
    """Worker processes for the costly preparation of field values (Chinese segmentation), started
    before reading, while the parent is still small, so that loading the segmenter overlaps reading;
    None when there is too little text to pay for loading the segmenter in each worker. Every process
    forked inside this context (the workers, Whoosh's writer processes) dies if the build is killed."""

    def size_of(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:  # gone or unreadable since discovery: reading it will say why
            return 0

    with children_die_with_parent():
        size = sum(size_of(path) for unit in units for path in unit.paths)
        if config.workers < 2 or size < POOL_MIN_BYTES:
            yield None
            return
        pool = WorkerPool(config.workers)
        try:
            yield pool
        finally:
            pool.terminate()


def analyse_batch(batch: list[Part], pool):
    """The analysed paragraphs of a batch, in order: started now in the workers, or lazily here."""
    jobs = [(doc.lang, p.text) for part in batch for doc in part.documents for p in doc.paragraphs]
    if pool is not None:
        return pool.map(jobs)
    return map(_analyse_job, jobs)
