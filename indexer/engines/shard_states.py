"""Which remote shards are known to be down: while one is, searches fail at once (with the seconds after which
to try again) instead of each waiting out the network timeout; once that time is past, one search at a time
tries the shard again with a short timeout, and the others keep failing fast until it has answered."""

from __future__ import annotations

import math
import threading
import time

from ..errors import EngineUnavailable

RETRY_SECONDS = 5  # how long a shard that failed is left alone (the Retry-After of the 503s meanwhile)
PROBE_MS = 1_000  # the timeout of the one connection that tries a down shard again


class ShardStates:
    """Known-down shards, by label, with the message saying why and when to try again."""

    def __init__(self, retry_seconds: float = RETRY_SECONDS):
        self._retry = retry_seconds
        self._lock = threading.Lock()
        self._down: dict[str, tuple[float, str]] = {}  # label -> (monotonic time to retry, message)
        self._probing: set[str] = set()
        self.changed = threading.Condition(self._lock)  # notified when a shard goes down or comes back

    def admit(self) -> list[str]:
        """Raise EngineUnavailable at once while a shard is known down; the labels whose wait is over, which the
        caller must probe (and report with `up` or `down`), or an empty list."""
        with self._lock:
            return self._admit(time.monotonic())

    def check(self) -> None:
        """Raise EngineUnavailable if a shard is known down (for callers waiting on a connection)."""
        with self._lock:
            self._fail_if_down(time.monotonic(), probing_too=True)

    def _admit(self, now: float) -> list[str]:
        self._fail_if_down(now, probing_too=False)
        due = [label for label in self._down if label not in self._probing]
        self._probing.update(due)
        return due

    def _fail_if_down(self, now: float, probing_too: bool) -> None:
        for label, (until, message) in self._down.items():
            if now < until or label in self._probing or probing_too:
                raise EngineUnavailable(message, shard=label, retry_after=max(1, math.ceil(until - now)))

    def down(self, label: str, message: str) -> EngineUnavailable:
        """Record a shard as down (tried again in RETRY_SECONDS); the error to raise."""
        with self._lock:
            self._down[label] = (time.monotonic() + self._retry, message)
            self._probing.discard(label)
            self.changed.notify_all()
        return EngineUnavailable(message, shard=label, retry_after=math.ceil(self._retry))

    def up(self, label: str) -> None:
        """Record a shard as answering again."""
        with self._lock:
            self._down.pop(label, None)
            self._probing.discard(label)
            self.changed.notify_all()

    def unavailable(self) -> dict[str, str]:
        """The shards known down now, with why."""
        with self._lock:
            return {label: message for label, (_, message) in self._down.items()}
