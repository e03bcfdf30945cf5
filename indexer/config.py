"""Settings, declared once: config.toml loaded into a frozen dataclass, overridable from the CLI."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

CONFIG_ENV = "TANDEM_CONFIG"
MIN_PARAGRAPH_CHARS = 100  # pieces shorter would cut most sentences
_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")


@dataclass(frozen=True)
class Config:
    """Every setting of tandem, with its default; config.toml sets any subset of them."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("var/index")
    languages: tuple[str, ...] = ()  # none given: the registry's DEFAULT_LANGUAGES
    workers: int = 2  # segmentation worker processes during a build
    writer_procs: int = 2  # Whoosh writer processes during a build
    writer_memory_mb: int = 128  # per Whoosh writer process; 128 measured faster than 256 at 100k
    engine: str = "whoosh"  # or "xapian"
    shards: int = 1  # xapian: the index split by document into this many databases
    follow_external_links: bool = False  # follow symbolic links that leave the corpus folder
    ocr: bool = True  # read scanned PDF pages with Tesseract where the tesseract binary is found
    # a paragraph longer is cut at sentence ends into pieces (indexer.splitting); the longest of the shipped
    # corpus and the UN Parallel Corpus dev set has 764 characters
    max_paragraph_chars: int = 10_000
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8  # waitress worker threads
    max_connections: int = 1000  # open client connections (idle ones included); more wait to be accepted
    idle_seconds: int = 30  # a connection idle, or sending a request head, this long is closed
    searchers: int = 2  # engine readers shared by the threads: memory grows with these, not with requests
    remote_shards: tuple[str, ...] = ()  # xapian: "host:port" of each shard served by xapian-tcpsrv
    url_prefix: str = ""  # mount point behind a reverse proxy, e.g. "/tandem"
    cors_origins: tuple[str, ...] = ()
    default_limit: int = 10
    max_limit: int = 100
    max_request_bytes: int = 1_000_000
    facet_limit: int = 20  # values listed per facet
    # matches a search counts one by one (its facets with them); past that, totals and facets are estimated
    exact_total: int = 10_000
    max_search_ms: int = 200  # time a search may spend matching; past it, the answer is what was found
    # POST /api/align: alignments running at once (others get 503) and paragraphs allowed per side
    align_concurrency: int = 1
    max_align_paragraphs: int = 5000

    def replace(self, **changes) -> "Config":
        """A copy with the given non-None settings changed (how CLI flags override the file)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return _validated(dataclasses.replace(self, **changes))


_SECTIONS = {
    "index": (
        "corpus_dir",
        "index_dir",
        "languages",
        "workers",
        "writer_procs",
        "writer_memory_mb",
        "engine",
        "shards",
        "follow_external_links",
        "ocr",
        "max_paragraph_chars",
    ),
    "server": (
        "host",
        "port",
        "threads",
        "max_connections",
        "idle_seconds",
        "searchers",
        "remote_shards",
        "url_prefix",
        "cors_origins",
        "default_limit",
        "max_limit",
        "max_request_bytes",
        "facet_limit",
        "exact_total",
        "max_search_ms",
        "align_concurrency",
        "max_align_paragraphs",
    ),
}


def find_config(path: str | os.PathLike | None = None) -> Path | None:
    """The config file to use: the given path, $TANDEM_CONFIG, or ./config.toml if present."""
    if path:
        return Path(path)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    local = Path("config.toml")
    return local if local.exists() else None


def load_config(path: str | os.PathLike | None = None, **overrides) -> Config:
    """Load config.toml (see find_config) into a Config; relative paths resolve against its folder."""
    cfg_path = find_config(path)
    values: dict = {}
    base = Path.cwd()
    if cfg_path is not None:
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {cfg_path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg_path}: {exc}") from None
        base = cfg_path.resolve().parent
        for section, table in raw.items():
            if section not in _SECTIONS or not isinstance(table, dict):
                raise ConfigError(f"{cfg_path}: unknown section [{section}]")
            for key, value in table.items():
                if key not in _SECTIONS[section]:
                    raise ConfigError(f"{cfg_path}: unknown setting {section}.{key}")
                values[key] = value
    # settings from the file resolve against its folder; flags against the working directory
    values = _coerce(values, base)
    values.update(_coerce({k: v for k, v in overrides.items() if v is not None}, Path.cwd()))
    return _validated(Config(**values))


def _coerce(values: dict, base: Path) -> dict:
    types = {f.name: f for f in dataclasses.fields(Config)}
    out = {}
    for key, value in values.items():
        default = types[key].default
        if isinstance(default, Path):
            value = Path(value)
            value = value if value.is_absolute() else (base / value)
        elif isinstance(default, tuple):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"setting {key} must be a list")
            value = tuple(str(v) for v in value)
        elif isinstance(default, bool) or not isinstance(value, type(default)):
            try:
                value = type(default)(value)
            except (TypeError, ValueError):
                raise ConfigError(f"setting {key} must be of type {type(default).__name__}") from None
        out[key] = value
    return out


def _validated(cfg: Config) -> Config:
    from .analysis import DEFAULT_LANGUAGES, LANGUAGES  # local: analysis is light, but keep config importable alone

    if not cfg.languages:
        cfg = dataclasses.replace(cfg, languages=DEFAULT_LANGUAGES)
    unknown = [lang for lang in cfg.languages if lang not in LANGUAGES]
    if unknown:
        raise ConfigError(f"unsupported language(s) {', '.join(unknown)}; known: {', '.join(LANGUAGES)}")
    from .engines import ENGINES

    if cfg.engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)} (got {cfg.engine!r})")
    if cfg.shards > 1 and cfg.engine != "xapian":
        raise ConfigError('shards need engine = "xapian"')
    bad = [s for s in cfg.remote_shards if not _HOST_PORT.match(s)]
    if bad:
        raise ConfigError(f"remote shards are host:port (got {', '.join(bad)})")
    for key in (
        "workers",
        "writer_procs",
        "threads",
        "max_connections",
        "idle_seconds",
        "searchers",
        "shards",
        "default_limit",
        "max_limit",
        "max_request_bytes",
        "max_search_ms",
        "align_concurrency",
        "max_align_paragraphs",
    ):
        if getattr(cfg, key) < 1:
            raise ConfigError(f"setting {key} must be at least 1")
    if cfg.max_paragraph_chars < MIN_PARAGRAPH_CHARS:
        raise ConfigError(f"setting max_paragraph_chars must be at least {MIN_PARAGRAPH_CHARS}")
    if cfg.exact_total < 0:
        raise ConfigError("setting exact_total must be at least 0")
    if not 0 < cfg.port < 65536:
        raise ConfigError(f"port {cfg.port} out of range")
    if cfg.default_limit > cfg.max_limit:
        raise ConfigError("default_limit exceeds max_limit")
    if cfg.url_prefix and (not cfg.url_prefix.startswith("/") or cfg.url_prefix.endswith("/")):
        raise ConfigError("url_prefix must start with / and not end with / (e.g. /tandem)")
    return cfg
