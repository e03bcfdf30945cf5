"""Damaged index files: a manifest of sizes and checksums per generation, checked by size when the server opens
it and by content with `tandem verify`; a read that fails is a 503 naming the generation, never a 500."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.errors import IndexDamaged, TandemError
from indexer.integrity import MANIFEST
from indexer.store import current_generation
from server.cli import cli

from .conftest import CORPUS


def _biggest(gen: Path, pattern: str) -> Path:
    return max((p for p in gen.rglob(pattern) if p.is_file()), key=lambda p: p.stat().st_size)


def _engine_file(gen: Path, engine: str) -> Path:
    return _biggest(gen, "*.trm" if engine == "whoosh" else "postlist.glass")


def test_a_published_generation_lists_its_files_with_checksums(small_config):
    build_index(small_config)
    gen = current_generation(small_config.index_dir)
    listed = json.loads((gen / MANIFEST).read_text())["files"]
    assert "catalog.sqlite" in listed and any(name != "catalog.sqlite" for name in listed)
    for name, entry in listed.items():
        assert (gen / name).stat().st_size == entry["size"] and len(entry["sha256"]) == 64
    result = CliRunner().invoke(cli, ["verify", "--index", str(small_config.index_dir)])
    assert result.exit_code == 0 and f"index generation {gen.name}" in result.output


def test_verify_names_a_file_whose_content_changed(small_config):
    build_index(small_config)
    gen = current_generation(small_config.index_dir)
    damaged = _engine_file(gen, small_config.engine)
    with open(damaged, "r+b") as fh:  # random-looking bytes in the middle, the size unchanged
        fh.seek(damaged.stat().st_size // 2)
        fh.write(bytes(range(7, 250, 3)))
    result = CliRunner().invoke(cli, ["verify", "--index", str(small_config.index_dir)])
    name = damaged.relative_to(gen).as_posix()
    assert result.exit_code == 1, result.output
    assert f"index generation {gen.name} is damaged: {name} differs from its checksum" in result.output
    served = CliRunner().invoke(cli, ["serve", "--verify", "--index", str(small_config.index_dir), "--port", "1"])
    assert served.exit_code == 1 and f"{name} differs from its checksum" in served.output


def test_a_truncated_file_is_refused_at_open_without_a_traceback(small_config):
    from server.search import SearchService

    build_index(small_config)
    gen = current_generation(small_config.index_dir)
    truncated = _engine_file(gen, small_config.engine)
    with open(truncated, "r+b") as fh:
        fh.truncate(truncated.stat().st_size // 3)
    with pytest.raises(IndexDamaged, match=rf"index generation {gen.name} is damaged: .* has \d+ bytes, not \d+"):
        SearchService(small_config)
    result = CliRunner().invoke(cli, ["search", "paix", "--index", str(small_config.index_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"index generation {gen.name} is damaged" in result.output


def test_a_file_that_cannot_be_read_is_a_503_naming_the_generation(small_config):
    from server.app import create_app

    build_index(small_config)
    gen = current_generation(small_config.index_dir)
    (gen / MANIFEST).unlink()  # as an index built before manifests: the damage is met while reading
    app = create_app(small_config)
    client = app.test_client()
    assert client.get("/api/search?q=paix").status_code == 200
    damaged = _biggest(gen, "*.pst" if small_config.engine == "whoosh" else "postlist.glass")
    noise = random.Random(19).randbytes(damaged.stat().st_size)
    with open(damaged, "r+b") as fh:
        fh.write(noise)
    if small_config.engine == "xapian":  # Xapian checks its blocks as it opens a shard: a clean refusal at start
        with pytest.raises(TandemError, match=rf"{gen.name}/xapian/shard-00 is unavailable"):
            create_app(small_config)
        return
    for q in ("conseil", "sécurité", "développement durable", "nations unies"):
        r = client.get(f"/api/search?q={q}")
        assert r.status_code == 503, (q, r.status_code, r.data[:300])
        error = r.get_json()["error"]
        assert error["code"] == "index_damaged" and f"index generation {gen.name} cannot be read" in error["message"]


def test_the_server_keeps_serving_when_a_newer_generation_is_damaged(small_config, small_corpus):
    from server.app import create_app

    build_index(small_config)
    first = current_generation(small_config.index_dir)
    client = create_app(small_config).test_client()
    total = client.get("/api/search?q=paix").get_json()["total"]
    shutil.copy(CORPUS / "unpc-devset" / "UNv1.0.devset.fr", small_corpus / "more.fr")
    shutil.copy(CORPUS / "unpc-devset" / "UNv1.0.devset.zh", small_corpus / "more.zh")
    build_index(small_config)
    second = current_generation(small_config.index_dir)
    (second / "catalog.sqlite").write_bytes(b"")
    time.sleep(1.1)  # the service looks for a newer generation at most once a second
    r = client.get("/api/search?q=paix")
    assert r.status_code == 200 and r.get_json()["total"] == total
    health = client.get("/api/health").get_json()
    assert health["generation"] == first.name and health["status"] == "degraded"
    assert f"index generation {second.name} is damaged" in health["unavailable"][second.name]
