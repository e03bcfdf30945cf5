"""Shared fixtures: real indexes built in temporary folders, the Flask app and its test client."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.config import load_config

pytest_plugins = ["tests.browser_support"]  # the browser tests' servers, Chromium and helpers

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).parent / "data"
FR_SEED = "000_0156113a91954281.txt"
ZH_SEED = "002_9173574a0d462b55.txt"


ENGINES = ("whoosh", "xapian")


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """Each engine in turn: the suite runs against both."""
    return request.param


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory, engine):
    """The shipped corpus/ indexed once per engine for the session: (config, build report)."""
    cfg = load_config(
        None, corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp(f"shipped-{engine}") / "index", engine=engine
    )
    return cfg, build_index(cfg)


@pytest.fixture(scope="session")
def service(shipped_index):
    """One search service over the shipped index."""
    from server.search import SearchService

    svc = SearchService(shipped_index[0])
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def app(shipped_index, service):
    """The Flask app over the shipped index, CORS allowing one portal origin."""
    from server.app import create_app

    cfg = shipped_index[0].replace(cors_origins=("https://portal.example.org",))
    return create_app(cfg, service=service)


@pytest.fixture()
def client(app):
    """Flask's test client."""
    return app.test_client()


@pytest.fixture()
def small_corpus(tmp_path):
    """A writable corpus: the two samples and a 200-line slice of the UNPC dev set."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copytree(DATA / "unpc-sample", corpus / "unpc")
    (corpus / "unpc" / "README.md").unlink(missing_ok=True)
    return corpus


@pytest.fixture()
def small_config(small_corpus, tmp_path, engine):
    """Settings for indexing small_corpus into tmp_path/index with each engine."""
    return load_config(None, corpus_dir=small_corpus, index_dir=tmp_path / "index", engine=engine)
