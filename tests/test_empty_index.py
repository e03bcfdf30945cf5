"""An index of nothing: a corpus whose every file is unreadable builds, says so, and answers 0 hits."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.config import load_config
from server.app import create_app
from server.cli import cli


@pytest.fixture()
def unreadable(tmp_path):
    corpus = tmp_path / "unreadable"
    corpus.mkdir()
    for n in range(4):
        (corpus / f"scan{n}.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02" + bytes(range(200)))
    return corpus


def test_a_corpus_of_unreadable_files_indexes_nothing_and_says_so(unreadable, tmp_path, engine):
    index = tmp_path / "index"
    args = ["index", "--corpus", str(unreadable), "--index", str(index), "--engine", engine]
    result = CliRunner().invoke(cli, args + ["--quiet"])
    assert result.exit_code == 0, result.output
    assert "nothing indexed: no file of the corpus holds a document tandem can read" in result.output
    assert "files: 0 added, 0 changed, 0 removed, 0 unchanged" in result.output
    assert "skipped 4 file(s):" in result.output and "scan0.pdf: damaged PDF: PDFium cannot read it" in result.output
    report = json.loads(CliRunner().invoke(cli, args + ["--json", "--full"]).stdout)
    assert report["added"] == [] and report["stats"] == [] and len(report["skipped"]) == 4

    for query in ("désarmement", "裁军", "dés*", '"non prolifération"', "symbol:A/RES/68/38"):
        found = CliRunner().invoke(cli, ["search", query, "--index", str(index), "--json"])
        assert found.exit_code == 0, found.output
        answer = json.loads(found.stdout)
        assert (answer["total"], answer["hits"]) == (0, [])
        assert answer["facets"] == {"year": {}, "kind": {}, "symbol": {}}
    terms = CliRunner().invoke(cli, ["terms", "désarmement", "--index", str(index), "--json"])
    assert terms.exit_code == 0, terms.output
    assert json.loads(terms.stdout)["renderings"] == []

    client = create_app(load_config(None, index_dir=index)).test_client()
    assert client.get("/api/search?q=désarmement").get_json()["total"] == 0
    assert client.get("/api/terms?q=裁军").get_json()["pairs_seen"] == 0
    assert client.get("/api/health").get_json()["documents"] == {}
    assert client.get("/api/documents").get_json()["total"] == 0
