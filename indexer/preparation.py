"""Paragraph preparation for builds: index terms with positions and Chinese word cuts, computed in worker
processes (each loading the segmenter once) when there is enough text to pay for them."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .analysis import LANGUAGES
from .config import Config
from .processes import children_die_with_parent
from .readers import Part

POOL_MIN_BYTES = 1_000_000  # below this, loading pkuseg in worker processes costs more than it saves

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


@contextmanager
def preparation_pool(config: Config, units) -> Iterator[multiprocessing.pool.Pool | None]:
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
        pool = multiprocessing.get_context("fork").Pool(config.workers, initializer=_warm_up)
        try:
            yield pool
        finally:
            pool.terminate()
            pool.join()


def analyse_batch(batch: list[Part], pool):
    """The analysed paragraphs of a batch, in order: started now in the workers, or lazily here."""
    jobs = [(doc.lang, p.text) for part in batch for doc in part.documents for p in doc.paragraphs]
    if pool is not None:
        return pool.imap(_analyse_job, jobs, chunksize=32)
    return map(_analyse_job, jobs)
