"""TMX 1.4b translation memories read as aligned pairs: language tags, inline codes, documents, round trip."""

from __future__ import annotations

import codecs
import gzip
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.exports import index_pairs as export_pairs
from indexer.readers import discover, read_unit
from indexer.store import CATALOG, current_generation
from server.cli import cli

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

READERS = DATA / "readers"
DEVSET = CORPUS / "unpc-devset" / "UNv1.0.devset"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/><body>\n'


def tmx(units: str, path: Path, head: str = HEAD) -> Path:
    path.write_text(head + units + "</body></tmx>\n", encoding="utf-8")
    return path


def tu(fr: str | None, zh: str | None, extra: str = "", fr_tag: str = "fr", zh_tag: str = "zh") -> str:
    out = f"<tu>{extra}"
    if fr is not None:
        out += f'<tuv xml:lang="{fr_tag}"><seg>{fr}</seg></tuv>'
    if zh is not None:
        out += f'<tuv xml:lang="{zh_tag}"><seg>{zh}</seg></tuv>'
    return out + "</tu>\n"


def read(folder: Path):
    units, skipped = discover(folder)
    assert not skipped
    return units, [read_unit(u) for u in units]


def pairs_of(reading) -> list[tuple[str, str]]:
    return [(a.paragraphs[i].text, b.paragraphs[j].text) for a, b, rows in reading.aligned for i, j in rows]


def index_pairs(index_dir: Path) -> list[tuple[str, str, str, str, str]]:
    catalog = Catalog(current_generation(index_dir) / CATALOG)
    try:
        return [
            (
                pair.a.symbol,
                pair.b.symbol,
                pair.relation,
                " ".join(pair.a.text.split()),
                " ".join(pair.b.text.split()),
            )
            for pair in export_pairs(catalog, include_other_years=True)
        ]
    finally:
        catalog.close()


def test_language_tags_map_through_the_registry_and_traditional_text_folds(tmp_path):
    units = (
        tu("Le Conseil de sécurité", "安全理事会", fr_tag="fr-FR", zh_tag="zh-CN")
        + tu("Assemblée générale", "聯合國大會", fr_tag="FR-CA", zh_tag="ZH-TW")
        + tu("Nations Unies", "联合国", fr_tag="fra", zh_tag="zh-Hans")
        + tu("Secrétariat", "聯合國秘書處", zh_tag="zh-Hant-HK")
    )
    tmx(units, tmp_path / "tags.tmx")
    _, [reading] = read(tmp_path)
    assert pairs_of(reading) == [
        ("Le Conseil de sécurité", "安全理事会"),
        ("Assemblée générale", "联合国大会"),
        ("Nations Unies", "联合国"),
        ("Secrétariat", "联合国秘书处"),
    ]
    assert [d.lang for d in reading.documents] == ["fr", "zh"]


def test_inline_codes_are_dropped_with_their_native_code_and_hi_sub_text_kept(tmp_path):
    fr = (
        'Le <bpt i="1">{\\b </bpt>Conseil<ept i="1">}</ept> de <ph x="2">&lt;br/&gt;</ph>sécurité'
        '<it pos="begin">&lt;i&gt;</it><ut>\\par</ut>, <hi type="lead">réaffirmant</hi> sa résolution'
        '<sub type="fnote">Résolution 217 A (III).</sub>'
    )
    tmx(tu(fr, "<hi>安全理事会</hi><ph>{\\i}</ph>重申"), tmp_path / "codes.tmx")
    _, [reading] = read(tmp_path)
    assert pairs_of(reading) == [
        ("Le Conseil de sécurité, réaffirmant sa résolutionRésolution 217 A (III).", "安全理事会重申")
    ]


def test_one_language_and_empty_units_are_counted_and_passed_over(tmp_path):
    units = (
        tu("Première", "第一")
        + tu("Seule", None)
        + tu(None, "只有中文")
        + tu("Vide", "<ph>{\\b}</ph> ")
        + tu("Hello", "你好", fr_tag="en")
        + tu("Deuxième", "第二")
    )
    tmx(units, tmp_path / "mixed.tmx")
    units_, [reading] = read(tmp_path)
    assert pairs_of(reading) == [("Première", "第一"), ("Deuxième", "第二")]
    from indexer.readers import open_unit

    stream = open_unit(units_[0])
    assert stream.passed_over == (
        "4 of 6 translation units passed over: 1 with an empty segment, 3 with one language only"
    )


def test_props_and_notes_group_units_into_documents(tmp_path):
    a = '<prop type="x-document">A/RES/68/38</prop><note>date: 2013-12-05</note>'
    b = (
        '<prop type="x-fr-symbol">S/2015/305</prop><prop type="x-zh-symbol">S/2015/305</prop>'
        '<prop type="x-year">2015</prop>'
    )
    units = tu("Un", "一", a) + tu("Deux", "二", b) + tu("Trois", "三", a) + tu("Sans document", "无")
    tmx(units, tmp_path / "docs.tmx")
    _, [reading] = read(tmp_path)
    docs = {(d.lang, d.symbol): d for d in reading.documents}
    assert [(d.id, len(d.paragraphs), d.date, d.year) for d in reading.documents] == [
        ("fr-a-res-68-38", 2, "2013-12-05", 2013),
        ("zh-a-res-68-38", 2, "2013-12-05", 2013),
        ("fr-s-2015-305", 1, None, 2015),
        ("zh-s-2015-305", 1, None, 2015),
        ("fr-docs-tmx", 1, None, None),
        ("zh-docs-tmx", 1, None, None),
    ]
    assert [p.text for p in docs[("fr", "A/RES/68/38")].paragraphs] == ["Un", "Trois"]


def test_opus_layout_gzip_reads_every_line_pair_of_the_dev_set(tmp_path):
    shutil.copy(READERS / "unpc-devset.fr-zh.tmx.gz", tmp_path / "fr-zh.tmx.gz")
    _, [reading] = read(tmp_path)
    fr = Path(f"{DEVSET}.fr").read_text(encoding="utf-8").splitlines()[:400]
    zh = Path(f"{DEVSET}.zh").read_text(encoding="utf-8").splitlines()[:400]
    assert pairs_of(reading) == [(" ".join(f.split()), " ".join(z.split())) for f, z in zip(fr, zh)]


def test_utf16_tmx_as_cat_tools_write_it(tmp_path):
    text = HEAD.replace("UTF-8", "UTF-16") + tu("Bonjour", "你好") + "</body></tmx>\n"
    (tmp_path / "cat.tmx").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    _, [reading] = read(tmp_path)
    assert pairs_of(reading) == [("Bonjour", "你好")]


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("broken.tmx", (HEAD + tu("Un", "一") + "<tu><tuv>").encode(), "XML not well formed (no element found: line 4"),
        (
            "english.tmx",
            (HEAD + tu("Hello", "Hallo", fr_tag="en", zh_tag="de") + "</body></tmx>").encode(),
            "a TMX without French and Chinese translation units (1 units; language tags: de, en)",
        ),
        ("empty.tmx", (HEAD + "</body></tmx>").encode(), "a TMX without translation units"),
        ("cut.tmx.gz", gzip.compress((HEAD + tu("Un", "一") * 50).encode())[:-30], "damaged gzip file"),
    ],
)
def test_bad_tmx_is_skipped_with_its_reason_and_nothing_else_is_lost(tmp_path, name, data, reason):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / FR_SEED, corpus / FR_SEED)
    shutil.copy(CORPUS / ZH_SEED, corpus / ZH_SEED)
    (corpus / name).write_bytes(data)
    units, _ = discover(corpus)
    with pytest.raises(CorpusError) as exc:
        read_unit(next(u for u in units if u.key == name))
    assert exc.value.message.startswith(reason)
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index"))
    assert [(k, r[: len(reason)]) for k, r in report.skipped] == [(name, reason)]
    assert {row["lang"]: row["paragraphs"] for row in report.stats} == {"fr": 30, "zh": 25}


def test_export_reads_back_into_the_same_pairs(tmp_path):
    runner = CliRunner()
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "corpus").mkdir(parents=True)
    (second / "corpus").mkdir(parents=True)
    shutil.copy(CORPUS / FR_SEED, first / "corpus" / FR_SEED)
    shutil.copy(CORPUS / ZH_SEED, first / "corpus" / ZH_SEED)
    for folder in (first, second):
        if folder is second:
            out = second / "corpus" / "export.tmx"
            result = runner.invoke(
                cli,
                ["export", "--format", "tmx", "--include-other-years", "-o", str(out), "--index", str(first / "index")],
            )
            assert result.exit_code == 0, result.output
        build_index(load_config(None, corpus_dir=folder / "corpus", index_dir=folder / "index"))
    before, after = index_pairs(first / "index"), index_pairs(second / "index")
    assert len(before) == 25 and after == before
    assert before[0][:3] == ("A/RES/68/38", "A/RES/67/38", "other_year")


def test_committed_export_fixture_matches_a_fresh_export(tmp_path):
    """tests/data/readers/seeds-export.tmx (tools/make_reader_fixtures.py) still reads as the seeds align."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(READERS / "seeds-export.tmx", tmp_path / "corpus")
    _, [reading] = read(tmp_path / "corpus")
    tus = ET.parse(READERS / "seeds-export.tmx").getroot().findall("body/tu")
    want = [tuple(" ".join(s.text.split()) for s in t.iter("seg")) for t in tus]
    assert pairs_of(reading) == want and len(want) == 25
    assert [(d.symbol, d.year) for d in reading.documents] == [("A/RES/68/38", 2013), ("A/RES/67/38", 2012)]


def test_entity_expansion_bomb_is_refused_not_expanded(tmp_path):
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    head = f'<?xml version="1.0"?><!DOCTYPE tmx [{entities}]><tmx version="1.4"><header/><body>'
    tmx(tu("&a9;", "一"), tmp_path / "bomb.tmx", head=head)
    units, _ = discover(tmp_path)
    with pytest.raises(CorpusError, match="XML not well formed .limit on input amplification factor"):
        read_unit(units[0])


def test_index_command_lists_files_read_in_part(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tmx(tu("Première", "第一") + tu("Seule", None), corpus / "memory.tmx")
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (
        "  read in part 1 file(s):\n    memory.tmx: 1 of 2 translation units passed over: 1 with one language only\n"
    ) in result.output
