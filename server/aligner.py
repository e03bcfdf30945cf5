"""Posted alignments, run in worker processes so that searches never wait on the interpreter lock behind one."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from indexer.analysis import DEFAULT_LANGUAGES
from indexer.config import Config
from indexer.documents import Document
from indexer.errors import BadRequest, CorpusError, TandemError, TooManyParagraphs
from indexer.formats import align_documents
from indexer.processes import exit_with, start_time
from indexer.readers.un_text import parse_un_text

from .inputs import json_object

RETRY_AFTER = 5  # seconds a client refused for a busy aligner is told to wait


class AlignerBusy(TandemError):
    """Every alignment slot is taken; the client should come back after `retry_after` seconds."""

    code = "busy"
    status = 503


class Aligner:
    """At most `align_concurrency` alignments at once, each in a worker process started on first use."""

    def __init__(self, config: Config):
        self.concurrency = config.align_concurrency
        self.languages = tuple(config.languages)
        self.max_paragraphs = config.max_align_paragraphs
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def align(self, body: bytes) -> bytes:
        """The alignment of a JSON body {"source", "target"} as UTF-8 JSON; AlignerBusy when no slot is free."""
        # a refused request is answered at once, before its body is even parsed
        if not self._slots.acquire(blocking=False):
            raise AlignerBusy(
                f"{self.concurrency} alignment(s) already running; retry in {RETRY_AFTER} s", retry_after=RETRY_AFTER
            )
        try:
            future = self._executor().submit(align_request, body, self.languages, self.max_paragraphs)
            try:
                return future.result()
            except BrokenProcessPool:
                self.close(wait=False)
                raise TandemError("the alignment worker stopped; the request was not aligned") from None
        finally:
            self._slots.release()

    def close(self, wait: bool = True) -> None:
        """Stop the worker processes (a broken pool is dropped without waiting on it); the next alignment
        starts new ones."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # forkserver: workers come from a small clean process, not from this threaded, index-holding one
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                # a pool's workers outlive a server killed abruptly (they hold their own queues open): they
                # watch the server and exit with it
                owner = os.getpid()
                self._pool = ProcessPoolExecutor(
                    max_workers=self.concurrency,
                    mp_context=context,
                    initializer=exit_with,
                    initargs=(owner, start_time(owner)),
                )
            return self._pool


def align_request(body: bytes, languages=DEFAULT_LANGUAGES, max_paragraphs: int = 20000) -> bytes:
    """Align a JSON request body {"source": text, "target": text, "source_lang"?, "target_lang"?} (each language
    recognised from its text when not given); the answer is the alignment as UTF-8 JSON."""
    request = json_object(body, '{"source": text, "target": text}')
    texts = [request.get("source"), request.get("target")]
    if not all(isinstance(t, str) and t.strip() for t in texts):
        raise BadRequest("source and target must both be non-empty strings")
    langs = [request.get("source_lang"), request.get("target_lang")]
    for name, lang in zip(("source_lang", "target_lang"), langs, strict=True):
        if lang is not None and lang not in languages:
            raise BadRequest(f"{name} must be one of {', '.join(languages)} (or absent: recognised from the text)")
    if langs[0] and langs[0] == langs[1]:
        raise BadRequest("source_lang and target_lang must differ: give one text in each language")
    docs = [
        _posted(name, text, lang, max_paragraphs)
        for name, text, lang in zip(("source", "target"), texts, langs, strict=True)
    ]
    return json.dumps(align_documents(docs[0], docs[1], languages), ensure_ascii=False).encode("utf-8")


def _posted(name: str, text: str, lang: str | None, max_paragraphs: int) -> Document:
    try:
        doc = parse_un_text(text, source=name, lang=lang)
    except CorpusError as exc:
        hint = f" (give {name}_lang for a passage whose language is not recognised)" if lang is None else ""
        raise BadRequest(f"{name}: {exc.message}{hint}") from None
    if len(doc.paragraphs) > max_paragraphs:
        raise TooManyParagraphs(
            f"{name} has {len(doc.paragraphs)} paragraphs; at most {max_paragraphs} are aligned per request"
        )
    return doc
