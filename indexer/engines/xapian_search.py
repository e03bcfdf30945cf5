"""Searching a Xapian index from many threads: a bounded pool of opened databases, BM25 scoring, totals
exact up to a count and estimated from a spread sample past it, facet counts likewise, a time budget, and a
503 naming the shard when one cannot be reached."""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from collections import Counter

from ..errors import BadRequest, EngineUnavailable
from .base import SORTS, Budget, SearchRequest, SearchResult
from .shard_states import PROBE_MS, ShardStates
from .xapian_query import to_query, with_filters
from .xapian_terms import (
    BOOLEAN_PREFIXES,
    FACET_GROUPS,
    FACET_JOIN,
    FACET_SLOTS,
    SAMPLE_LEVELS,
    SLOT_DATE,
    boolean_term,
    sample_term,
    text_prefix,
    text_term,
)

# Whoosh's BM25F defaults (K1 1.2, B 0.75); k2 0 and k3 1 leave Xapian's extra factors out of the sum.
BM25 = {"k1": 1.2, "k2": 0.0, "k3": 1.0, "b": 0.75, "min_normlen": 0.01}
WHOOSH_IDF = True
WAIT_STEP = 0.1  # seconds between two looks at the shards' states while waiting for a pooled database
WAIT_GRACE = 0.5  # seconds past its deadline a request waits for the searches ahead of it to name a shard
# Past the exact count, facets are counted on a sample of the matches holding about as many as the exact
# count (a sample level halves it at each step, so between a half and all of it), never fewer than SAMPLE_MIN:
# at 5,000 sampled matches a value holding a sixteenth of them is counted within about 5% (one standard error).
SAMPLE_SHARE = 1.0
SAMPLE_MIN = 1000


def bm25():
    """The weighting scheme every search uses."""
    import xapian

    return xapian.BM25Weight(BM25["k1"], BM25["k2"], BM25["k3"], BM25["b"], BM25["min_normlen"])


class TermFrequencies:
    """How many paragraphs hold each term, remembered for as long as the searcher lives: the databases it
    opens do not change, and with remote shards every lookup is a round trip to each shard."""

    SIZE = 200_000  # terms remembered; past that the memory starts again

    def __init__(self):
        self._known: dict[str, int] = {}

    def get(self, db, term: str) -> int:
        """Paragraphs holding `term` in `db` (one of the searcher's, all of which hold the same state)."""
        n = self._known.get(term)
        if n is None:
            n = db.get_termfreq(term)
            if len(self._known) >= self.SIZE:
                self._known = {}
            self._known[term] = n
        return n


class WhooshIdf:
    """Per-term factors turning Xapian's BM25 idf, log((N - n + 0.5) / (n + 0.5)) (halved towards 1 for terms
    in over a third of the paragraphs), into Whoosh's, log(N / (n + 1)) + 1, so that terms of different
    frequencies weigh against each other as they do with the Whoosh engine."""

    def __init__(self, db, frequencies: TermFrequencies):
        self.db = db
        self.size = db.get_doccount()
        self.frequencies = frequencies

    def __call__(self, term: str) -> float:
        """The factor of one term (1 for a term no paragraph holds)."""
        return self.factor(self.size, self.frequencies.get(self.db, term))

    @staticmethod
    def factor(size: int, n: int) -> float:
        """Whoosh's idf over Xapian's for a term in `n` of `size` paragraphs."""
        if n == 0 or size == 0:
            return 1.0
        tw = (size - n + 0.5) / (n + 0.5)
        if tw < 2:
            tw = tw * 0.5 + 1
        return (math.log(size / (n + 1)) + 1) / math.log(tw)


class DatabasePool:
    """At most `size` opened databases, each used by one thread at a time (a xapian.Database is not
    thread-safe); a thread waits when all are in use, so memory and connections do not grow with load."""

    def __init__(self, open_db, size: int, label: str = ""):
        self._open_db = open_db
        self.label = label
        self._size = max(1, size)
        self._free: list = []
        self._made = 0
        self._closed = False
        self._cond = threading.Condition()

    def take(self, deadline: float | None = None, check=None):
        """A database for the calling thread's exclusive use (opened when none is free); while waiting for one,
        `check()` is called every WAIT_STEP seconds (it raises to give up) and EngineUnavailable is raised at
        `deadline` (time.monotonic())."""
        with self._cond:
            while True:
                if check is not None:
                    check()  # also once woken: a shard may have gone down meanwhile
                if self._free or self._made < self._size:
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise EngineUnavailable(
                        f"the search shards ({self.label}) did not answer in time (every connection is waiting on "
                        "them)",
                        shard=self.label,
                        retry_after=1,
                    )
                self._cond.wait(WAIT_STEP if left is None else min(WAIT_STEP, left))
            if self._free:
                return self._free.pop()
            self._made += 1
        try:
            return self._open_db()
        except BaseException:
            self._forget()
            raise

    def give(self, db) -> None:
        """Return a database taken with `take`."""
        with self._cond:
            if self._closed:
                db.close()
                self._made -= 1
            else:
                self._free.append(db)
            self._cond.notify()

    def discard(self, db) -> None:
        """Drop a database taken with `take` that failed (a lost connection cannot be reused)."""
        _close_aside([db])
        self._forget()

    def close(self) -> None:
        """Close the free databases now and the others when they come back."""
        with self._cond:
            self._closed = True
            self._drop_free()

    def drop_free(self) -> None:
        """Close the free databases (their connections may lead to a shard that went away); reopened on demand."""
        with self._cond:
            self._drop_free()

    def _drop_free(self) -> None:
        _close_aside(self._free)
        self._made -= len(self._free)
        self._free = []
        self._cond.notify_all()

    def _forget(self):
        with self._cond:
            self._made -= 1
            self._cond.notify()


def _close_aside(dbs: list) -> None:
    """Close databases on a thread of their own: closing a connection to a shard that stopped answering waits
    out its timeout, which no request should."""

    def close_all():
        for db in dbs:
            with contextlib.suppress(Exception):  # a broken connection may fail to close; it is gone either way
                db.close()

    if dbs:
        threading.Thread(target=close_all, name="xapian-close", daemon=True).start()


class XapianSearcher:
    """Answers searches over every shard as one database; safe to share between threads.

    Each pooled database sees the index as committed when it opened: the first one opens with the
    searcher when `eager` (local shards), the others on demand. Served generations are never written in
    place, so they all see the same state."""

    def __init__(self, shards, pool_size: int | None = None, eager: bool = False, paragraph_ids=None):
        self.shards = shards
        # With the catalog's keys -> ids, a hit's id comes from its document number (its key, see
        # XapianWriter.add), not from its document, which a remote shard sends in one round trip per hit.
        self._ids = paragraph_ids
        self._frequencies = TermFrequencies()
        self._states = ShardStates()
        self._timeout = max((s.timeout_ms for s in shards if s.remote), default=0) / 1000 or None
        labels = ", ".join(shard.label for shard in shards)
        self._pool = DatabasePool(self._open_all, pool_size or (os.cpu_count() or 2) * 2, labels)
        if eager:
            self._pool.give(self._pool.take())

    def search(self, request: SearchRequest) -> SearchResult:
        """Match, score, count and facet a planned query."""
        if request.sort not in SORTS:
            raise BadRequest(f"unknown sort {request.sort!r}: expected one of {', '.join(SORTS)}")
        unknown = [f for f in request.facets if f not in FACET_SLOTS]
        if unknown:
            raise BadRequest(f"unknown facet {unknown[0]!r}: expected one of {', '.join(FACET_SLOTS)}")
        remote = any(shard.path is None for shard in self.shards)
        return self._run(lambda db: _search(db, request, remote, self._frequencies, self._hit_ids))

    def doc_frequency(self, field: str, term: str) -> int:
        """How many paragraphs hold a term of a text field (or a metadata value) (0 when none)."""
        full = boolean_term(field, term) if field in BOOLEAN_PREFIXES else text_term(field, term)
        return self._run(lambda db: self._frequencies.get(db, full)) if full else 0

    def terms_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to `limit` + 1 indexed terms of a text field starting with `prefix`, in order."""
        field_prefix = text_prefix(field)

        def collect(db) -> list[str]:
            out = []
            for item in db.allterms(field_prefix + prefix):
                out.append(item.term.decode("utf-8")[len(field_prefix) :])
                if len(out) > limit:
                    break
            return out

        return self._run(collect)

    def close(self) -> None:
        """Close the databases and their connections."""
        self._pool.close()

    def _hit_ids(self, mset) -> list[str]:
        """The paragraph ids of an MSet's matches."""
        if self._ids is None:
            mset.fetch()  # one round trip per shard for the hits' documents
            return [m.document.get_data().decode("utf-8") for m in mset]
        # a combined database numbers the nth document of shard s (of n) (n - 1) * shards + s + 1
        keys = [(m.docid - 1) // len(self.shards) + 1 for m in mset]
        ids = self._ids(keys)
        if None in ids:
            labels = ", ".join(s.label for s in self.shards)
            raise EngineUnavailable(
                f"the search shards ({labels}) hold paragraph {keys[ids.index(None)]}, which the catalog does not: "
                "the shards and the catalog come from different builds",
                shard=labels,
            )
        return ids

    def unavailable(self) -> dict[str, str]:
        """The shards known to be down now, with why (for health)."""
        return self._states.unavailable()

    def _open_all(self):
        import xapian

        combined = xapian.Database()
        for shard in self.shards:
            try:
                db = shard.open()
            except EngineUnavailable as down:
                if shard.remote:
                    raise self._states.down(shard.label, down.message) from None
                raise
            shard.check(db)
            combined.add_database(db)
        return combined

    def _run(self, work):
        """`work(db)` with a pooled database, within the shards' timeout for the whole call: fails at once while
        a shard is known down; a lost connection is tried once more on fresh ones; a shard that does not answer
        is named in a 503 and left alone for a while (ShardStates)."""
        import xapian

        deadline = time.monotonic() + self._timeout if self._timeout else None
        for attempt in (1, 2):
            self._probe(self._states.admit())
            # waiting for a connection: the searches holding them fail by the deadline, and say which shard
            wait = None if deadline is None else deadline + WAIT_GRACE
            db = self._pool.take(wait, self._states.check)  # raises EngineUnavailable naming a shard
            try:
                result = work(db)
            except (xapian.NetworkError, xapian.DatabaseError) as exc:
                timed_out = isinstance(exc, xapian.NetworkTimeoutError)
                if attempt == 2 or timed_out or (deadline is not None and time.monotonic() >= deadline):
                    # the shard recorded as down before its connection is given up: a search waiting for a
                    # connection then fails at once instead of opening a new one to the shard and waiting again
                    error = self._unavailable(exc, deadline)
                    self._pool.discard(db)
                    raise error from exc
                self._pool.discard(db)
                continue
            except BaseException:
                self._pool.give(db)
                raise
            self._pool.give(db)
            return result

    def _probe(self, labels: list[str]) -> None:
        """Try again the shards whose wait is over, with a short timeout; raise if one still does not answer."""
        for shard in self.shards:
            if shard.label in labels:
                try:
                    shard.open(PROBE_MS).close()
                except EngineUnavailable as down:
                    for other in labels:
                        if other != shard.label:
                            self._states.up(other)  # not tried: tried again by the next search
                    raise self._states.down(shard.label, down.message) from None
                self._states.up(shard.label)
                self._pool.drop_free()

    def _unavailable(self, exc, deadline: float) -> EngineUnavailable:
        """The error naming the shard that failed (from Xapian's message, else the first that does not open
        now within what is left of the time), recorded as down when remote."""
        named = [shard for shard in self.shards if shard.named_in(exc)]
        if not named:
            for shard in self.shards:
                left = PROBE_MS if deadline is None else int((deadline - time.monotonic()) * 1000)
                try:
                    shard.open(max(100, min(PROBE_MS, left))).close()
                except EngineUnavailable:
                    named = [shard]
                    break
        if not named:
            labels = ", ".join(s.label for s in self.shards)
            return EngineUnavailable(f"search failed on shards {labels}: {exc}", shard=labels)
        shard = named[0]
        message = f"search shard {shard.label} is unavailable: {exc}"
        if not shard.remote:
            return EngineUnavailable(message, shard=shard.label)
        self._pool.drop_free()  # their connections to it are as dead
        return self._states.down(shard.label, message)


def _search(db, request: SearchRequest, remote: bool, frequencies: TermFrequencies, hit_ids) -> SearchResult:
    clock = Budget(request.max_ms)
    idf = WhooshIdf(db, frequencies) if WHOOSH_IDF else None
    query = with_filters(to_query(request.query, idf), request.filters)
    by_date = request.sort == "date"
    enquire = _enquire(db, query)
    if by_date:
        enquire.set_sort_by_value_then_relevance(SLOT_DATE, True)  # newest first, then by score
    size = db.get_doccount()
    exact = size if request.exact_total is None else min(request.exact_total, size)  # Xapian counts in 32 bits
    if not frequencies.get(db, sample_term(1)) and size > 1:
        exact = size  # an index built without sample terms has nothing to estimate from: all is counted
    # Bounds from the postings' lengths alone (no matching): past the exact count for sure, matches are not
    # counted one by one at all. A remote database would spend a round trip on them: there, count and see.
    probe = None if remote else enquire.get_mset(0, 0, 0)
    over = probe is not None and probe.get_matches_lower_bound() > max(exact, request.limit)
    # Remote shards (xapian-tcpsrv 1.4.22 serving a 1.4.26 client) over-count match spies when the
    # enquire sorts by value: there, date order counts facets in a second, relevance-ordered pass.
    spies = {} if over else _spies(None if remote and by_date else enquire, request)
    # Equal scores (or dates) come in document number order, which is the paragraphs' key order (the order
    # they were indexed in) whatever the number of shards: a document's number is its key (XapianWriter.add).
    # Checking one more than `exact` matches makes the total exact when it is at most that, and lets the
    # spies see every match then; the time limit turns that checking off (never the best hits') when spent.
    enquire.set_time_limit(clock.left())
    mset = enquire.get_mset(0, request.limit, 0 if over else exact + 1)
    hits = _hits(mset, by_date, hit_ids)
    low, high = mset.get_matches_lower_bound(), mset.get_matches_upper_bound()
    if probe is not None:
        low = max(low, probe.get_matches_lower_bound())
    if len(hits) < request.limit:  # every match is among the hits, so every one was seen
        low = high = len(hits)
    if low == high and low <= exact:  # counted one by one: the spies saw every match
        if remote and by_date and request.facets:
            counting = _enquire(db, query)
            spies = _spies(counting, request)
            counting.get_mset(0, 0, db.get_doccount())
        facets = _facet_counts(spies, request, 1.0) if request.facets else None
        return SearchResult(total=low, hits=hits, facets=facets)
    if low <= exact or clock.spent():
        # the time ran out before `exact` matches were seen: those seen are what the answer can say
        facets = _facet_counts(spies, request, 1.0) if request.facets else None
        return SearchResult(low, hits, facets, total_relation="eq" if low == high else "gte", facets_exact=False)
    # Past the exact count: the total (unless the postings' lengths give it) and the facets are estimated
    # from a sample of the matches.
    estimate = probe.get_matches_estimated() if over else mset.get_matches_estimated()
    level = _sample_level(max(estimate, low), exact)
    counting = _enquire(db, _sampled(query, level))
    spies = _spies(counting, request)
    counting.set_time_limit(clock.left())
    seen = counting.get_mset(0, 0, size)
    counted = seen.get_matches_lower_bound()
    if counted != seen.get_matches_upper_bound():  # the sample was cut short by the time limit
        facets = _facet_counts(spies, request, 1.0) if request.facets else None
        return SearchResult(low, hits, facets, total_relation="eq" if low == high else "gte", facets_exact=False)
    total, relation = (low, "eq") if low == high else (max(low, counted << level), "about")
    scale = total / counted if counted else 1.0
    facets = _facet_counts(spies, request, scale) if request.facets else None
    return SearchResult(total, hits, facets, total_relation=relation, facets_exact=False)


def _sample_target(exact: int) -> int:
    """Matches a facet sample aims at: enough for counts within a few percent, fewer than exact counting."""
    return max(SAMPLE_MIN, int(exact * SAMPLE_SHARE))


def _sample_level(estimate: int, exact: int) -> int:
    """The sample level (one paragraph in 2**level) holding about the sample target of `estimate` matches."""
    level = 1
    while level < SAMPLE_LEVELS and estimate >> level > _sample_target(exact):
        level += 1
    return level


def _sampled(query, level: int):
    import xapian

    return xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query(sample_term(level)))


def _hits(mset, by_date: bool, hit_ids) -> list[tuple[str, float | None]]:
    """(paragraph id, score) of an MSet's matches, the score None in date order."""
    return list(zip(hit_ids(mset), (None if by_date else m.weight for m in mset), strict=True))


def _enquire(db, query):
    import xapian

    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(bm25())
    enquire.set_query(query)
    return enquire


def _spies(enquire, request: SearchRequest) -> dict:
    """One value counter per slot holding a requested facet, added to `enquire`, by slot (none without one)."""
    import xapian

    if enquire is None:
        return {}
    spies = {}
    for slot in dict.fromkeys(FACET_SLOTS[name] for name in request.facets):
        spies[slot] = xapian.ValueCountMatchSpy(slot)
        enquire.add_matchspy(spies[slot])
    return spies


def _facet_counts(spies: dict, request: SearchRequest, scale: float) -> dict[str, dict[str, int]]:
    """The `facet_limit` most frequent values of each requested facet, most frequent first, then by value;
    each count multiplied by `scale` (the matches each counted one stands for)."""
    counts: dict[str, dict[str, int]] = {}
    for slot, spy in spies.items():
        names = FACET_GROUPS[slot]
        if len(names) == 1:  # Xapian's own order is the same: by frequency, then by value
            counts[names[0]] = {
                item.term.decode("utf-8"): round(item.termfreq * scale) for item in spy.top_values(request.facet_limit)
            }
            continue
        split: dict[str, Counter] = {name: Counter() for name in names}
        for item in spy.values():  # few: the combinations of the slot's values
            for name, value in zip(names, item.term.decode("utf-8").split(FACET_JOIN), strict=True):
                if value:
                    split[name][value] += item.termfreq
        for name in names:
            ranked = sorted(split[name].items(), key=lambda kv: (-kv[1], kv[0]))
            counts[name] = {value: round(n * scale) for value, n in ranked[: request.facet_limit]}
    return {name: counts.get(name, {}) for name in request.facets}
