"""Segment lookup on the shipped index, with each engine: POST /api/lookup, `tandem lookup`, and the seeds
as next year's job (69/38's French looked up against 68/38 and 67/38's Chinese)."""

from __future__ import annotations

import json
import math
import unicodedata

import jsonschema
import pytest
from click.testing import CliRunner

from indexer.lookup_score import tokens
from indexer.readers.un_text import parse_un_text
from indexer.segments import normalised
from server.cli import cli
from server.lookup import lookup

from .conftest import CORPUS, DATA, FR_SEED

NEXT_YEAR = DATA / "next-year" / "A_RES_69_38.fr.txt"


def _levenshtein(a, b) -> int:
    """Plain dynamic programme: the reference the RapidFuzz distances are checked against."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def implied_score(text: str, stored: str) -> int:
    """The README's formula, computed apart from indexer.lookup_score's RapidFuzz calls."""
    if normalised(text) == normalised(stored):
        return 100
    a, b = tokens(text), tokens(stored)
    d = _levenshtein(a.forms, b.forms)
    value = math.floor(100 * (1 - d / max(len(a.forms), len(b.forms))) + 1e-9)
    value -= min(_levenshtein(a.punctuation, b.punctuation), 3) + min(_levenshtein(a.tags, b.tags), 2)
    value -= 1 if d == 0 and a.written != b.written else 0
    return max(0, min(99, value))


def _paragraphs(path):
    return parse_un_text(path.read_text(encoding="utf-8"), lang="fr").paragraphs


def test_seeds_as_next_years_job(service):
    """Each paragraph 69/38 changes finds its 68/38 paragraph first, with the score the change implies, its
    Chinese from 67/38 labelled as another year's version, and the changed numbers and symbols flagged."""
    old, new = _paragraphs(CORPUS / FR_SEED), _paragraphs(NEXT_YEAR)
    changed = [(o, n) for o, n in zip(old, new, strict=True) if o.text != n.text]
    assert len(changed) == 6
    flagged = {}
    for o, n in changed:
        answer = lookup(service, n.text)
        assert answer["lang"] == "fr"
        best = answer["matches"][0]
        assert best["id"] == f"fr-a-res-68-38.p{o.position}"
        assert best["match"] == implied_score(n.text, o.text) < 100
        assert all(m["match"] <= best["match"] for m in answer["matches"])
        flagged[o.position] = best["numbers"]
        if o.position == 0:  # the adoption line: the Chinese extraction has none to align with
            assert best["translations"] == []
            continue
        zh = best["translations"][0]
        assert zh["lang"] == "zh" and zh["document"]["symbol"] == "A/RES/67/38"
        assert zh["relation"]["type"] == "other_year"
        assert zh["relation"]["label"] == "A/RES/67/38 (2012), another year's version of A/RES/68/38 (2013)"
        assert "differences" in zh
    assert [best for best in flagged.values()] == [
        {"only_stored": ["2013-12-05"], "only_text": ["2014-12-02"]},
        {"only_stored": ["68/38"], "only_text": ["69/38"]},
        {"only_stored": [], "only_text": ["68/38", "2013-12-05"]},
        {"only_stored": ["67/38"], "only_text": ["68/38"]},
        {"only_stored": ["69"], "only_text": ["70"]},
        {"only_stored": ["69"], "only_text": ["70"]},
    ]
    title = lookup(service, changed[1][1].text)["matches"][0]  # 14 words and numbers, one changed
    assert title["match"] == 92
    assert title["highlight"].startswith("<del>68/38</del><ins>69/38</ins>. Promotion du multilatéralisme")


def test_unchanged_paragraphs_are_exact_matches(service):
    for p in _paragraphs(NEXT_YEAR)[3:5]:
        best = lookup(service, p.text)["matches"][0]
        assert best["match"] == 100 and best["id"] == f"fr-a-res-68-38.p{p.position}"
        assert best["changes"] == [] and "<del>" not in best["highlight"]


def test_chinese_lookup_by_characters(service):
    stored = service.paragraph("zh-a-res-67-38.p2")["text"]
    text = stored.replace("宗旨和原则", "宗旨原则")
    answer = lookup(service, text, "auto")
    assert answer["lang"] == "zh"
    best = answer["matches"][0]
    assert best["id"] == "zh-a-res-67-38.p2"
    assert best["match"] == implied_score(text, stored)
    assert "<del>和</del>" in best["highlight"]
    assert best["translations"][0]["lang"] == "fr"


def test_min_score_and_limit(service):
    text = _paragraphs(NEXT_YEAR)[2].text
    assert lookup(service, text, min_score=93)["matches"] == []
    assert len(lookup(service, "désarmement et non-prolifération", min_score=0, limit=3)["matches"]) == 3


def test_api_lookup_matches_openapi(client):
    spec = client.get("/api/openapi.json").get_json()
    r = client.post("/api/lookup", json={"text": _paragraphs(NEXT_YEAR)[2].text, "lang": "fr"})
    assert r.status_code == 200
    schema = {"$ref": "#/components/schemas/LookupResponse", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(r.get_json())
    assert r.get_json()["matches"][0]["match"] == 92
    assert "/api/lookup" in spec["paths"]


@pytest.mark.parametrize(
    "body, status, words",
    [
        ({"text": ""}, 400, "text is required"),
        ({"text": "   "}, 400, "text is required"),
        ({"text": 5}, 400, "text must be a string"),
        ({"text": "paix", "lang": "en"}, 400, "lang must be auto or one of"),
        ({"text": "paix", "min_score": 101}, 400, "min_score must be"),
        ({"text": "paix", "min_score": "70"}, 400, "min_score must be"),
        ({"text": "paix", "limit": 0}, 400, "limit must be"),
        ({"text": "x" * 5001}, 400, "at most 5000 characters"),
        ([1, 2], 400, "body must be a JSON object"),
    ],
)
def test_api_lookup_refuses_bad_bodies(client, body, status, words):
    r = client.post("/api/lookup", json=body)
    assert r.status_code == status
    assert words in r.get_json()["error"]["message"]


def test_api_lookup_takes_json_only(client):
    r = client.post("/api/lookup", data="text=paix", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415 and r.get_json()["error"]["code"]
    r = client.post("/api/lookup", data=b'{"text": "\\ud800"}', content_type="application/json")
    assert r.status_code == 400 and "lone surrogate" in r.get_json()["error"]["message"]


def _run(shipped_index, *args, stdin=None):
    result = CliRunner().invoke(cli, ["lookup", "--index", str(shipped_index[0].index_dir), *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_lookup_text_json_and_tsv(shipped_index, client):
    text = _paragraphs(NEXT_YEAR)[2].text
    shown = _run(shipped_index, text)
    assert "92%  A/RES/68/38" in shown and "[-68/38-]{+69/38+}" in unicodedata.normalize("NFC", shown)
    assert "another year's version" in shown
    as_json = json.loads(_run(shipped_index, text, "--json"))
    api = client.post("/api/lookup", json={"text": text}).get_json()
    assert [m["id"] for m in as_json["matches"]] == [m["id"] for m in api["matches"]]
    rows = [line.split("\t") for line in _run(shipped_index, text, "--tsv").splitlines()]
    assert rows[0][2:5] == ["92", "A/RES/68/38", "fr-a-res-68-38.p2"]


def test_cli_lookup_reads_standard_input_line_by_line(shipped_index):
    lines = [p.text for p in _paragraphs(NEXT_YEAR)[2:4]]
    answers = json.loads(_run(shipped_index, "-", "--json", stdin="\n".join(lines) + "\n\n"))
    assert [a["matches"][0]["match"] for a in answers] == [92, 100]


def test_cli_lookup_file_analysis(shipped_index):
    shown = json.loads(_run(shipped_index, "--file", str(NEXT_YEAR), "--json"))
    bands = shown["analysis"]["bands"]
    assert list(bands) == ["100%", "95-99%", "85-94%", "75-84%", "no match"]
    assert shown["analysis"]["segments"] == len(shown["segments"]) == sum(b["segments"] for b in bands.values())
    assert bands["95-99%"]["segments"] == 3  # operative paragraphs 7, 8 and 9: one number changed each
    assert bands["100%"]["segments"] >= 20
    text = _run(shipped_index, "--file", str(NEXT_YEAR))
    assert "analysis:" in text and "95-99%:     3 segments" in text


def test_cli_lookup_needs_one_input(shipped_index):
    result = CliRunner().invoke(cli, ["lookup", "--index", str(shipped_index[0].index_dir)])
    assert result.exit_code == 2 and "give a TEXT" in result.output


def test_subsegments_when_nothing_matches(client):
    text = (
        "Le Comité se félicite de la promotion du multilatéralisme dans le domaine du désarmement, et prie le "
        "Secrétaire général de faire rapport sur la question à sa prochaine session."
    )
    spec = client.get("/api/openapi.json").get_json()
    body = client.post("/api/lookup", json={"text": text}).get_json()
    schema = {"$ref": "#/components/schemas/LookupResponse", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)
    assert body["matches"] == []
    runs = body["subsegments"]
    assert runs[0]["text"] == "de la promotion du multilatéralisme dans le domaine du désarmement, et"
    assert runs[0]["words"] == 11 and runs[0]["found"]["id"] == "fr-a-res-68-38.p25"
    assert (
        runs[0]["found"]["segment"]["text"] == "de la promotion du multilatéralisme dans le domaine du désarmement et"
    )
    assert all(r["words"] >= 3 for r in runs) and [r["words"] for r in runs] == sorted(
        (r["words"] for r in runs), reverse=True
    )
    for r in runs:  # verbatim: the same words, punctuation aside
        assert tokens(r["text"]).forms == tokens(r["found"]["segment"]["text"]).forms
        assert text[r["start"] : r["end"]] == r["text"]
    assert all("highlight" in t for r in runs for t in r["found"]["translations"])
    found = client.post("/api/lookup", json={"text": _paragraphs(NEXT_YEAR)[2].text}).get_json()
    assert found["matches"] and found["subsegments"] == []


def test_chinese_subsegments_take_four_characters(service):
    answer = lookup(service, "我们今天讨论促进裁军和不扩散领域的多边主义以及其他很多不同的事情", "zh")
    assert answer["matches"] == []
    assert answer["subsegments"] and all(r["words"] >= 4 for r in answer["subsegments"])
    assert "促进裁军和不扩散领域的多边主义" in answer["subsegments"][0]["text"]
