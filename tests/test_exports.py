"""Aligned pairs for CAT tools: `tandem export` (filters, other years, language tags, Excel), `tandem search
--format tmx|csv` and `GET /api/export`, on the shipped corpus's real index."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from server.cli import cli

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEVSET_PAIRS = 4000  # one per line pair of the UNPC dev set sample
OTHER_YEAR_PAIRS = 25  # A/RES/68/38 (French, 2013) with A/RES/67/38 (Chinese, 2012)


def run(shipped_index, *args) -> tuple[str, str]:
    """`tandem …` over the shipped index: (stdout, stderr)."""
    result = CliRunner().invoke(cli, [*args, "--index", str(shipped_index[0].index_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def units(tmx: str) -> list[ET.Element]:
    return ET.fromstring(tmx.encode("utf-8")).findall("body/tu")


def props(tu: ET.Element) -> dict[str, str]:
    return {p.get("type"): p.text for p in tu.findall("prop")}


def test_tmx_leaves_out_other_years_and_tags_languages_with_their_region(shipped_index):
    out, err = run(shipped_index, "export", "--format", "tmx")
    tus = units(out)
    assert len(tus) == DEVSET_PAIRS and err.strip() == f"{DEVSET_PAIRS} aligned pairs written"
    assert {props(tu)["x-relation"] for tu in tus} == {"same"}
    assert {tuv.get(XML_LANG) for tu in tus for tuv in tu.findall("tuv")} == {"fr-FR", "zh-CN"}
    assert ET.fromstring(out.encode()).find("header").get("srclang") == "fr-FR"

    everything, _ = run(shipped_index, "export", "--include-other-years", "--lang-tags", "bare")
    tus = units(everything)
    assert len(tus) == DEVSET_PAIRS + OTHER_YEAR_PAIRS
    other = [tu for tu in tus if props(tu)["x-relation"] == "other_year"]
    assert len(other) == OTHER_YEAR_PAIRS
    assert props(other[0])["x-fr-symbol"] == "A/RES/68/38" and props(other[0])["x-zh-symbol"] == "A/RES/67/38"
    assert {tuv.get(XML_LANG) for tu in tus for tuv in tu.findall("tuv")} == {"fr", "zh"}


def test_export_takes_the_filters_of_search(shipped_index):
    by_symbol, _ = run(shipped_index, "export", "--symbol", "a/res/68/38", "--include-other-years")
    assert len(units(by_symbol)) == OTHER_YEAR_PAIRS
    assert len(units(run(shipped_index, "export", "--symbol", "A/RES/68/38")[0])) == 0  # only another year's

    by_year = units(run(shipped_index, "export", "--year", "2012-2013", "--include-other-years")[0])
    years = [(props(tu)["x-fr-year"], props(tu)["x-zh-year"]) for tu in by_year]
    assert years and all("2012" in pair or "2013" in pair for pair in years)
    assert len(by_year) < DEVSET_PAIRS + OTHER_YEAR_PAIRS

    operative, _ = run(shipped_index, "export", "--format", "csv", "--kind", "operative", "--include-other-years")
    rows = list(csv.DictReader(io.StringIO(operative)))
    assert rows and len(rows) < OTHER_YEAR_PAIRS  # the resolution's operative paragraphs only
    assert all(r["a_symbol"] == "A/RES/68/38" for r in rows)

    queried, _ = run(shipped_index, "export", "--format", "csv", "--query", "multilatéralisme", "--include-other-years")
    rows = list(csv.DictReader(io.StringIO(queried)))
    assert rows and all("multilat" in r["a_text"].lower() for r in rows)
    assert all(r["a_lang"] == "fr" for r in rows)
    narrowed, _ = run(shipped_index, "export", "--format", "csv", "--query", "multilatéralisme", "--year", "2013")
    assert len(list(csv.DictReader(io.StringIO(narrowed)))) < len(rows)

    bad = CliRunner().invoke(cli, ["export", "--kind", "chapter", "--index", str(shipped_index[0].index_dir)])
    assert bad.exit_code == 1 and "kind must be among" in bad.output


def test_csv_for_excel_starts_with_a_byte_order_mark(shipped_index, tmp_path):
    path = tmp_path / "pairs.csv"
    run(shipped_index, "export", "--format", "csv", "--excel", "-o", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrelation,confidence,a_lang")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == DEVSET_PAIRS and rows[0]["a_lang"] == "fr"
    plain, _ = run(shipped_index, "export", "--format", "csv")
    assert plain.startswith("relation,confidence,a_lang")


@pytest.mark.parametrize("fmt", ["tmx", "csv"])
def test_search_exports_the_pairs_of_the_hits_shown(shipped_index, service, fmt):
    query = "désarmement"
    shown = service.search(query, limit=5, facets=(), marks=False)["hits"]
    out, _ = run(shipped_index, "search", query, "--limit", "5", "--format", fmt, "--include-other-years")
    expected = [(h["id"], t["id"]) for h in shown for t in h["translations"]]
    if fmt == "tmx":
        tus = units(out)
        got = [tuple(p.split()[0] for p in (props(tu)["x-fr-paragraph"], props(tu)["x-zh-paragraph"])) for tu in tus]
        texts = [tu.findall("tuv")[0].find("seg").text for tu in tus]
        assert len(tus) == len(expected)
        assert texts == [h["text"] for h in shown for _ in h["translations"]]
        assert got and all(a.isdigit() or "," in a for a, _ in got)
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [(r["a_ids"].split()[0], r["b_ids"].split()[0]) for r in rows] == expected
    without = run(shipped_index, "search", query, "--limit", "5", "--format", fmt)[0]
    same = [t for h in shown for t in h["translations"] if t["relation"]["type"] == "same"]
    assert (len(units(without)) if fmt == "tmx" else len(list(csv.DictReader(io.StringIO(without))))) == len(same)


def test_api_export_gives_the_pairs_of_a_page_of_hits(client, service):
    shown = service.search("désarmement", limit=5, facets=(), marks=False)["hits"]
    response = client.get("/api/export?q=désarmement&limit=5&format=csv&include_other_years=1&excel=1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tandem-results.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffrelation,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["a_ids"].split()[0], r["b_ids"].split()[0]) for r in rows] == [
        (h["id"], t["id"]) for h in shown for t in h["translations"]
    ]
    tmx = client.get("/api/export?q=désarmement&limit=5")
    assert tmx.status_code == 200 and tmx.mimetype == "application/x-tmx+xml"
    tus = units(tmx.get_data(as_text=True))
    assert len(tus) == sum(t["relation"]["type"] == "same" for h in shown for t in h["translations"])
    assert {tuv.get(XML_LANG) for tu in tus for tuv in tu.findall("tuv")} <= {"fr-FR", "zh-CN"}
    bare = client.get("/api/export?q=désarmement&limit=5&lang_tags=bare&include_other_years=true").get_data(True)
    assert {tuv.get(XML_LANG) for tu in units(bare) for tuv in tu.findall("tuv")} == {"fr", "zh"}


@pytest.mark.parametrize(
    "query, message",
    [
        ("format=pdf&q=paix", "format must be one of tmx, csv"),
        ("q=", "parameter q is required"),
        ("q=paix&lang_tags=iso", "lang_tags must be one of region, bare"),
        ("q=paix&excel=yes", "excel must be 1, true, 0 or false"),
        ("q=paix&limit=101", "limit must be between 1 and 100"),
    ],
)
def test_api_export_refuses_bad_parameters(client, query, message):
    response = client.get("/api/export?" + query)
    assert response.status_code == 400 and message in response.get_json()["error"]["message"]
