"""The one exception family of tandem; the CLI and the API turn it into their own error shapes."""

from __future__ import annotations


class TandemError(Exception):
    """Base of every error tandem raises on purpose; `code` names it in JSON error bodies."""

    code = "error"
    status = 500

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def __reduce__(self):
        # errors cross process boundaries (alignment workers): rebuild from state, whatever __init__ takes
        return (_restore, (type(self), self.message, self.__dict__))


def _restore(cls: type[TandemError], message: str, state: dict) -> TandemError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ConfigError(TandemError):
    """config.toml or a command-line override is invalid."""

    code = "bad_config"
    status = 500


class CorpusError(TandemError):
    """A corpus file cannot be read or recognised; the build skips it with this message."""

    code = "bad_corpus_file"
    status = 400


class BuildError(TandemError):
    """A build failed (a worker died, the disk filled up, the index came out incomplete): nothing was published."""

    code = "build_failed"
    status = 500


class AlignError(TandemError):
    """Two documents cannot be aligned (both in one language); the API's code for it stays bad_request."""

    code = "bad_request"
    status = 400


class IndexMissing(TandemError):
    """No usable index where one was expected."""

    code = "no_index"
    status = 503


class IndexDamaged(TandemError):
    """A file of the served index generation is missing, of the wrong size, or cannot be read."""

    code = "index_damaged"
    status = 503

    def __init__(self, message: str, generation: str | None = None):
        super().__init__(message, generation=generation)
        self.generation = generation


class BadRequest(TandemError):
    """A parameter of a search or API call is invalid."""

    code = "bad_request"
    status = 400


class TooManyParagraphs(BadRequest):
    """A posted text has more paragraphs than one alignment request may hold."""

    code = "too_many_paragraphs"
    status = 413


class UnsupportedMediaType(BadRequest):
    """A request body of a type the endpoint does not take."""

    code = "unsupported_media_type"
    status = 415


class QuerySyntaxError(BadRequest):
    """The query string cannot be parsed; `position` is the character where parsing failed."""

    code = "bad_query"

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message, position=position)
        self.position = position


class NotFound(TandemError):
    """A document or paragraph id that the index does not hold."""

    code = "not_found"
    status = 404


class EngineUnavailable(TandemError):
    """A shard of the search engine cannot be reached or read; `shard` names it (address or folder)."""

    code = "shard_unavailable"
    status = 503

    def __init__(self, message: str, shard: str | None = None, retry_after: int | None = None):
        super().__init__(message, shard=shard, retry_after=retry_after)
        self.shard = shard
