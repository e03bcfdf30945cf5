"""The UN Parallel Corpus's TEI XML: headers, paragraphs and sentences, link files, documents paired without them."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.readers import discover, open_unit, read_unit
from indexer.readers.unpc_xml import read_tei
from indexer.store import CATALOG, current_generation

from .conftest import CORPUS, DATA

XML = DATA / "readers" / "unpc-xml"
DEVSET = CORPUS / "unpc-devset" / "UNv1.0.devset"
LINKED, UNLINKED = "2015/npt/conf_2015/13", "2015/e/2015/9/add_4"


def devset_lines(doc: str) -> list[tuple[str, str, str, str]]:
    """(fr P:S, zh P:S, French, Chinese) of a dev-set document's lines, in French paragraph order."""
    ids = Path(f"{DEVSET}.ids").read_text(encoding="utf-8").splitlines()
    fr = Path(f"{DEVSET}.fr").read_text(encoding="utf-8").splitlines()
    zh = Path(f"{DEVSET}.zh").read_text(encoding="utf-8").splitlines()
    rows = []
    for line, f, z in zip(ids, fr, zh):
        name, *places = line.split()
        if name == doc:
            place = dict(p.split(":", 1) for p in places)
            rows.append((place["fr"], place["zh"], " ".join(f.split()), " ".join(z.split())))
    return sorted(rows, key=lambda r: tuple(int(n) for n in r[0].split(":")))


def copy_fixture(tmp_path: Path, links: bool = True) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(XML, corpus)
    if not links:
        shutil.rmtree(corpus / "fr-zh")
    return corpus


def test_linked_documents_read_as_the_dev_set_lines(tmp_path):
    corpus = copy_fixture(tmp_path)
    units, skipped = discover(corpus)
    assert skipped == []
    assert [(u.key, u.format) for u in units] == [
        (f"fr-zh/{LINKED}.lnk", "unpc_links"),
        (f"fr/{UNLINKED}.xml", "unpc_xml"),
        (f"zh/{UNLINKED}.xml", "unpc_xml"),
    ]
    reading = read_unit(units[0])
    fr, zh = reading.documents
    assert (fr.id, fr.symbol, fr.lang, zh.id, zh.lang) == (
        "fr-npt-conf-2015-13",
        "NPT/CONF.2015/13",
        "fr",
        "zh-npt-conf-2015-13",
        "zh",
    )
    [(a, b, rows)] = reading.aligned
    got = [(a.paragraphs[i].text, b.paragraphs[j].text) for i, j in rows]
    assert got == [(f, z) for _, _, f, z in devset_lines(LINKED)] and len(got) == 12


def test_documents_without_links_are_paragraphs_by_their_ids_and_paired_by_the_aligner(tmp_path, engine):
    corpus = copy_fixture(tmp_path, links=False)
    index = tmp_path / "index"
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=index, engine=engine))
    assert report.skipped == [] and report.pairs_aligned == 2
    catalog = Catalog(current_generation(index) / CATALOG)
    try:
        pair = next(p for p in catalog.pairs() if p.a == "fr-e-2015-9-add-4")
        assert (pair.b, pair.relation, pair.method) == ("zh-e-2015-9-add-4", "same", "aligned")
        fr = {p["id"]: p["text"] for p in catalog.paragraphs_of(pair.a)}
        zh = {p["id"]: p["text"] for p in catalog.paragraphs_of(pair.b)}
        links = [
            (" ".join(fr[i] for i in link["a"]), "".join(zh[j] for j in link["b"])) for link in catalog.links(pair.id)
        ]
    finally:
        catalog.close()
    gold_by_paragraph: dict[tuple[str, str], tuple[list, list]] = {}
    for fr_place, zh_place, f, z in devset_lines(UNLINKED):
        sides = gold_by_paragraph.setdefault((fr_place.split(":")[0], zh_place.split(":")[0]), ([], []))
        sides[0].append(f)
        sides[1].append(z)
    gold = [(" ".join(f), "".join(z)) for f, z in gold_by_paragraph.values()]
    assert sorted(fr.values()) == sorted(f for f, _ in gold) and sorted(zh.values()) == sorted(z for _, z in gold)
    # eight unrelated biographies, one sentence each: the aligner finds six gold pairs and joins the first two
    assert sum(link in gold for link in links) == 6


def test_header_symbol_job_number_date_and_title(tmp_path):
    text = (XML / "fr" / f"{UNLINKED}.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<publisher>",
        '<idno type="jobno">N1512345</idno><date>2015-04-09</date><publisher>',
    ).replace("<fileDesc>", "<fileDesc><titleStmt><title>Rapport du Secrétaire général</title></titleStmt>")
    path = tmp_path / "doc.xml.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    tei = read_tei(path)
    assert (tei.symbol, tei.job, tei.date, tei.year, tei.title, tei.lang) == (
        "E/2015/9/Add.4",
        "N1512345",
        "2015-04-09",
        2015,
        "Rapport du Secrétaire général",
        "fr",
    )
    assert [pid for pid, _ in tei.paragraphs][:3] == ["8", "10", "12"] or len(tei.paragraphs) == 8
    units, _ = discover(tmp_path)
    doc = read_unit(units[0]).documents[0]
    assert (doc.id, doc.date, doc.meta, doc.format) == (
        "fr-e-2015-9-add-4",
        "2015-04-09",
        {"job": "N1512345", "year": 2015},
        "unpc_xml",
    )


def test_links_on_one_side_or_to_missing_sentences_are_counted_and_passed_over(tmp_path):
    corpus = copy_fixture(tmp_path)
    lnk = corpus / "fr-zh" / f"{LINKED}.lnk"
    text = lnk.read_text(encoding="utf-8").replace(
        "  </linkGrp>",
        '    <link type="1-0" xtargets="1:1;"/>\n    <link type="1-1" xtargets="999:1;9:4"/>\n  </linkGrp>',
    )
    lnk.write_text(text, encoding="utf-8")
    units, _ = discover(corpus)
    stream = open_unit(units[0])
    assert stream.passed_over == (
        "2 of 14 sentence links passed over: 1 naming a sentence its document lacks, 1 with a sentence on one side only"
    )
    assert sum(len(p.documents[0].paragraphs) for p in stream) == 12


@pytest.mark.parametrize(
    "edit, reason",
    [
        (
            lambda t: t.replace("zh/2015", "zh/1999"),
            "a link file that pairs no French and Chinese documents of the corpus",
        ),
        (lambda t: t.replace("</linkGrp>", ""), "13.lnk: XML not well formed (mismatched tag: line 17"),
    ],
)
def test_bad_link_file_is_skipped_with_its_reason_and_its_documents_read_alone(tmp_path, edit, reason):
    corpus = copy_fixture(tmp_path)
    lnk = corpus / "fr-zh" / f"{LINKED}.lnk"
    lnk.write_text(edit(lnk.read_text(encoding="utf-8")), encoding="utf-8")
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index"))
    assert [(k, r[: len(reason)]) for k, r in report.skipped] == [(f"fr-zh/{LINKED}.lnk", reason)]
    assert {row["lang"]: row["documents"] for row in report.stats} == {"fr": 2, "zh": 2}


def test_tei_in_a_language_not_indexed_is_skipped(tmp_path):
    text = (XML / "fr" / f"{UNLINKED}.xml").read_text(encoding="utf-8").replace('lang="fr"', 'lang="en"')
    (tmp_path / "en.xml").write_text(text, encoding="utf-8")
    units, _ = discover(tmp_path)
    with pytest.raises(CorpusError, match="language en is not among the indexed languages"):
        read_unit(units[0])
