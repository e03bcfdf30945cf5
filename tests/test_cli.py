"""The `tandem` command line through click's CliRunner, on real indexes."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from server.cli import cli

from .conftest import CORPUS, FR_SEED, ZH_SEED


@pytest.fixture()
def runner():
    return CliRunner()


def test_index_prints_a_summary_and_skipped_files(runner, small_corpus, tmp_path):
    (small_corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8")
    index = tmp_path / "ix"
    result = runner.invoke(cli, ["index", "--corpus", str(small_corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "fr: 139 documents, 230 paragraphs" in result.output
    assert "broken.txt: invalid UTF-16" in result.output
    # not a terminal: progress as lines with counts and rates, each phase's last one marked done
    progress = [line for line in result.stderr.splitlines() if line.endswith(", done")]
    phases = [line.split(":")[0] for line in progress]
    assert phases == ["hashing", "opening", "reading", "writing", "committing", "aligning"]
    assert re.fullmatch(r"writing: (\d+) of \1 paragraphs \(100%\)(, [\d,.]+ paragraphs/s)?, \d+ s, done", progress[3])
    again = runner.invoke(cli, ["index", "--corpus", str(small_corpus), "--index", str(index), "--json"])
    report = json.loads(again.stdout)
    assert report["up_to_date"] and report["analysed_paragraphs"] == 0


def test_search_json_shape(runner, shipped_index):
    cfg, _ = shipped_index
    result = runner.invoke(
        cli, ["search", "non-prolifération", "--json", "--limit", "2", "--index", str(cfg.index_dir)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "lang", "total", "hits"}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "lang", "text", "highlight", "score", "document", "kind", "number", "translations"}
    assert set(hit["document"]) >= {"symbol", "lang", "date", "title"}
    assert {"lang", "id", "text"} <= set(hit["translations"][0])


def test_search_matches_the_search_service(runner, shipped_index, service):
    cfg, _ = shipped_index
    result = runner.invoke(cli, ["search", "多边主义", "--json", "--index", str(cfg.index_dir)])
    data = json.loads(result.stdout)
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in service.search("多边主义")["hits"]]


def test_search_text_output_and_errors(runner, shipped_index):
    cfg, _ = shipped_index
    result = runner.invoke(
        cli, ["search", "multilatéralisme", "--symbol", "A/RES/68/38", "--kind", "title", "--index", str(cfg.index_dir)]
    )
    assert result.exit_code == 0
    assert "1 paragraph matches" in result.output and "another year's version" in result.output
    bad = runner.invoke(cli, ["search", '"unclosed', "--index", str(cfg.index_dir)])
    assert bad.exit_code == 1 and "unclosed quotation mark" in bad.output
    missing = runner.invoke(cli, ["search", "paix", "--index", str(cfg.index_dir) + "-nope"])
    assert missing.exit_code == 1 and "run `tandem index` first" in missing.output


def test_terms_prints_the_renderings_of_the_api(runner, shipped_index, service):
    cfg, _ = shipped_index
    result = runner.invoke(cli, ["terms", "multilatéralisme", "--limit", "3", "--index", str(cfg.index_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("multilatéralisme (fr → zh): 11 paragraphs")
    expected = service.terms("multilatéralisme", limit=3)["renderings"]
    shown = [line for line in lines if line.startswith("  ") and not line.startswith("      ")]
    assert [line.split()[0] for line in shown] == [r["text"] for r in expected]
    assert [line.endswith("(another year's version)") for line in shown] == [
        r["relation"]["type"] == "other_year" for r in expected
    ]
    as_json = runner.invoke(cli, ["terms", "可持续发展", "--json", "--limit", "2", "--index", str(cfg.index_dir)])
    data = json.loads(as_json.stdout)
    assert data == service.terms("可持续发展", limit=2) and data["renderings"][0]["text"] == "développement durable"
    assert "Example:" in runner.invoke(cli, ["terms", "--help"]).output
    none = runner.invoke(cli, ["terms", "zzzqqq", "--index", str(cfg.index_dir)])
    assert none.exit_code == 0 and "No rendering found." in none.output
    bad = runner.invoke(cli, ["terms", '"paix"', "--index", str(cfg.index_dir)])
    assert bad.exit_code == 1 and "without quotes" in bad.output


def test_documents_listing(runner, shipped_index):
    cfg, _ = shipped_index
    result = runner.invoke(cli, ["documents", "--json", "--index", str(cfg.index_dir)])
    docs = json.loads(result.stdout)
    assert len(docs) == 1466
    (fr,) = [d for d in docs if d["symbol"] == "A/RES/68/38"]
    assert fr["lang"] == "fr" and fr["date"] == "2013-12-05" and fr["paragraphs"] == 30


def test_align_two_files_json(runner):
    result = runner.invoke(cli, ["align", str(CORPUS / FR_SEED), str(CORPUS / ZH_SEED)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["relation"]["type"] == "other_year"
    assert [d["symbol"] for d in data["documents"]] == ["A/RES/68/38", "A/RES/67/38"]
    linked = [p for p in data["pairs"] if p["fr"] and p["zh"]]
    assert len(linked) == 25
    assert [p["fr"][0][:10] for p in data["pairs"][:2]] == ["Résolution", "[sur la ba"]
    assert data["pairs"][0]["zh"] == [] and data["pairs"][0]["score"] == 0.0


def test_align_tmx_is_valid_xml_and_tsv_has_a_header(runner):
    tmx = runner.invoke(cli, ["align", str(CORPUS / ZH_SEED), str(CORPUS / FR_SEED), "--format", "tmx"])
    root = ET.fromstring(tmx.stdout.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert len(root.findall("body/tu")) == 25
    tsv = runner.invoke(cli, ["align", str(CORPUS / FR_SEED), str(CORPUS / ZH_SEED), "--format", "tsv"])
    rows = list(csv.reader(io.StringIO(tsv.stdout), delimiter="\t"))
    assert rows[0] == ["fr", "zh", "score"] and len(rows) == 1 + 30


def test_align_rejects_a_non_document(runner, tmp_path):
    other = tmp_path / "german.txt"
    other.write_text(
        "Die Generalversammlung erinnert an ihre Resolutionen und die Berichte des Generalsekretärs zu der Frage.\n"
    )
    result = runner.invoke(cli, ["align", str(CORPUS / FR_SEED), str(other)])
    assert result.exit_code == 1 and "language looks like de" in result.output


def test_progress_lines_come_every_few_seconds_with_counts_and_rates():
    from indexer.cli import _Lines

    now = [100.0]
    lines = _Lines(every=5, clock=lambda: now[0])
    shown = []
    import click

    echo, click.echo = click.echo, lambda text, err=False: shown.append(text)
    try:
        for done in range(0, 1001, 100):
            lines("writing", done, 1000)
            now[0] += 1
        lines("aligning", 1, 2)
        now[0] += 1.5
        lines("aligning", 2, 2)
        lines.close()
    finally:
        click.echo = echo
    assert shown == [
        "writing: 0 of 1,000 paragraphs (0%), 0 s",
        "writing: 500 of 1,000 paragraphs (50%), 100 paragraphs/s, 5 s",
        "writing: 1,000 of 1,000 paragraphs (100%), 100 paragraphs/s, 10 s",
        "writing: 1,000 of 1,000 paragraphs (100%), 91 paragraphs/s, 11 s, done",
        "aligning: 1 of 2 documents (50%), 0 s",
        "aligning: 2 of 2 documents (100%), 1.3 documents/s, 2 s, done",
    ]


def test_every_command_help_has_an_example(runner):
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert "Example:" in result.output, name


def test_bad_config_is_a_clear_error(runner, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[index]\nlanguages = ['fr', 'xx']\n")
    result = runner.invoke(cli, ["--config", str(cfg), "documents"])
    assert result.exit_code == 1 and "unsupported language(s) xx" in result.output


def test_path_flags_resolve_against_the_working_directory(runner, tmp_path, monkeypatch):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "config.toml").write_text('[index]\nindex_dir = "idx"\n', encoding="utf-8")
    work = tmp_path / "work"
    (work / "mycorpus").mkdir(parents=True)
    monkeypatch.chdir(work)
    from indexer.config import load_config

    cfg = load_config(conf / "config.toml", corpus_dir="mycorpus")
    assert cfg.corpus_dir == work / "mycorpus" and cfg.index_dir == conf / "idx"
