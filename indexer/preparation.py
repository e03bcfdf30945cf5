"""Paragraph preparation for builds: index terms with positions and Chinese word cuts, computed in worker
processes (each loading the segmenter once) when there is enough text to pay for them."""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from pathlib import Path

from .analysis import LANGUAGES
from .config import Config
from .errors import BuildError
from .processes import children_die_with_parent
from .readers import Part

POOL_MIN_BYTES = 1_000_000  # below this, loading pkuseg in worker processes costs more than it saves
STOP_GRACE_SECONDS = 10  # a stopping worker may finish the chunk in hand (about a second's work), then is killed
CHUNK_PARAGRAPHS = 32  # paragraphs sent to a worker at a time: enough to make a round trip cheap
DEATH_WAIT_SECONDS = 5  # how long a dead worker's exit code is waited for, once its pipe has closed

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


def _serve(conn) -> None:
    """A worker process: load the segmenter, then analyse each chunk of jobs received until told to stop."""
    try:
        for spec in LANGUAGES.values():
            if spec.warm_up is not None:
                spec.warm_up()
        broken = None
    except Exception as exc:  # said in answer to every chunk, where the build can raise it
        broken = exc
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        try:
            if broken is not None:
                raise broken
            outcome = ("done", [_analyse_job(job) for job in chunk])
        except Exception as exc:
            outcome = ("failed", exc)
        try:
            conn.send(outcome)
        except (TypeError, AttributeError, pickle.PicklingError):  # an exception pickle cannot carry
            conn.send(("failed", BuildError(f"a segmentation worker failed: {outcome[1]!r}")))


class WorkerPool:
    """Segmentation worker processes, each with a pipe of its own and a thread here that feeds it chunks of
    jobs. A worker that dies (killed, out of memory) loses the chunk it held: the pool then fails the build at
    once, naming the worker and its signal. Its own pipe is why the death is seen: a result half written by a
    dying worker ends in end-of-file, where a queue shared by all workers waits for the rest for ever."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("fork")
        self._chunks: queue.SimpleQueue = queue.SimpleQueue()
        self._ready = threading.Condition()
        self._results: dict[int, tuple[str, object]] = {}
        self._numbered = 0
        self._lost: list[multiprocessing.Process] = []
        self._workers: list[tuple[multiprocessing.Process, Connection]] = []
        # every worker is forked before any thread starts here: forking a process that runs threads is unsafe
        for n in range(workers):
            here, there = context.Pipe()
            process = context.Process(target=_serve, args=(there,), name=f"tandem-segmenter-{n}", daemon=True)
            process.start()  # now, so that loading the segmenter overlaps reading
            there.close()  # the worker holds the only other end: its death is the pipe's end-of-file
            self._workers.append((process, here))
        for process, here in self._workers:
            threading.Thread(
                target=self._feed, args=(process, here), name=f"{process.name}-feeder", daemon=True
            ).start()

    def _feed(self, process: multiprocessing.Process, conn: Connection) -> None:
        while True:
            item = self._chunks.get()
            if item is None:
                with suppress(OSError):
                    conn.send(None)
                return
            number, chunk = item
            try:
                conn.send(chunk)
                outcome = conn.recv()
            except (EOFError, OSError):
                process.join(DEATH_WAIT_SECONDS)  # its pipe closes a moment before its exit code can be read
                with self._ready:
                    self._lost.append(process)
                    self._ready.notify_all()
                return
            with self._ready:
                self._results[number] = outcome
                self._ready.notify_all()

    def map(self, jobs: list) -> Iterator:
        """Results of the jobs (sent to the workers now), in order; BuildError as soon as a worker has died."""
        first = self._numbered
        for start in range(0, len(jobs), CHUNK_PARAGRAPHS):
            self._chunks.put((self._numbered, jobs[start : start + CHUNK_PARAGRAPHS]))
            self._numbered += 1
        if self._lost:
            raise BuildError(self._death())
        return self._collected(range(first, self._numbered))

    def _collected(self, numbers: range) -> Iterator:
        for number in numbers:
            with self._ready:
                while number not in self._results and not self._lost:
                    self._ready.wait()
                if self._lost:
                    raise BuildError(self._death())
                kind, value = self._results.pop(number)
            if kind == "failed":
                raise value
            yield from value

    def _death(self) -> str:
        process = self._lost[0]
        code = process.exitcode
        if code is None:
            return f"segmentation worker process {process.pid} stopped answering; the build stopped"
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
        return f"segmentation worker process {process.pid} {how}; the build stopped (its paragraphs were not analysed)"

    def close(self):
        """No more jobs: workers exit once the submitted ones are done."""
        for _ in self._workers:
            self._chunks.put(None)

    def terminate(self):
        """Stop the workers: the jobs not started are dropped, the chunk in hand is finished (killed past
        STOP_GRACE_SECONDS)."""
        with suppress(queue.Empty):
            while True:
                self._chunks.get_nowait()
        self.close()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process, _ in self._workers:
            process.join(max(0.0, deadline - time.monotonic()))
        for process, here in self._workers:
            if process.is_alive():
                process.kill()
            process.join()
            here.close()


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
