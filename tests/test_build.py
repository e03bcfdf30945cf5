"""Index builds: the shipped corpus, incremental updates, broken files, atomic swaps."""

from __future__ import annotations

import pytest

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.errors import IndexMissing, TandemError
from indexer.store import CATALOG, current_generation, generations, open_index

from .conftest import FR_SEED, ZH_SEED


def _search_ids(cfg, q, lang):
    from server.search import SearchService

    svc = SearchService(cfg)
    try:
        return [h["id"] for h in svc.search(q, lang=lang, limit=100)["hits"]]
    finally:
        svc.close()


def test_shipped_corpus_counts(shipped_index):
    cfg, report = shipped_index
    assert {r["lang"]: (r["documents"], r["paragraphs"]) for r in report.stats} == {
        "fr": (733, 4030),
        "zh": (733, 4025),
    }
    assert report.skipped == [
        ("README.md", "documentation, not a document"),
        ("unpc-devset/DISCLAIMER", "documentation, not a document"),
    ]
    assert report.pairs_aligned == 1  # the two samples: 68/38 in French with 67/38 in Chinese


def test_second_run_on_unchanged_corpus_does_no_work(small_config):
    first = build_index(small_config)
    gen = current_generation(small_config.index_dir)
    second = build_index(small_config)
    assert second.up_to_date and second.analysed_paragraphs == 0
    assert current_generation(small_config.index_dir) == gen
    assert second.stats == first.stats


def test_changed_added_removed_files_update_only_their_documents(small_config, small_corpus):
    build_index(small_config)
    fr = small_corpus / FR_SEED
    fr.write_text(
        fr.read_text(encoding="utf-8").replace("Déterminée à faire prévaloir", "Résolue à faire prévaloir"),
        encoding="utf-8",
    )
    (small_corpus / "extra.txt").write_text(
        "S/2015/305\n\n Le Conseil de sécurité examine la situation humanitaire à Tombouctou.\n\n"
        " Il demande la cessation immédiate des hostilités.\n",
        encoding="utf-8",
    )
    report = build_index(small_config)
    assert report.changed == [FR_SEED] and report.added == ["extra.txt"] and report.removed == []
    assert report.analysed_paragraphs == 30 + 2  # the French sample's paragraphs and the new file's
    assert report.pairs_aligned == 1  # the changed document's pair only
    assert _search_ids(small_config, "résolue prévaloir", "fr") == ["fr-a-res-68-38.p4"]
    assert _search_ids(small_config, "déterminée prévaloir", "fr") == []
    assert _search_ids(small_config, "Tombouctou", "fr") == ["fr-s-2015-305.p0"]

    given = _keys(small_config)
    (small_corpus / "extra.txt").unlink()
    report = build_index(small_config)
    assert report.removed == ["extra.txt"] and report.analysed_paragraphs == 0
    assert _search_ids(small_config, "Tombouctou", "fr") == []
    # the removed paragraphs held the last keys: a new paragraph never takes one (an engine may address it)
    (small_corpus / "other.txt").write_text(
        "S/2015/306\n\n Le Conseil examine la situation à Kidal.\n", encoding="utf-8"
    )
    build_index(small_config)
    assert _keys(small_config)["fr-s-2015-306.p0"] == max(given.values()) + 1
    assert _search_ids(small_config, "Kidal", "fr") == ["fr-s-2015-306.p0"]


def _keys(cfg) -> dict[str, int]:
    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        return dict(cat.db.execute("SELECT id, key FROM paragraphs").fetchall())
    finally:
        cat.close()


def test_broken_file_is_reported_and_the_rest_indexed(small_config, small_corpus):
    (small_corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (small_corpus / "english.txt").write_text(
        " The General Assembly,\n\n Recalling its resolutions on the "
        "subject and the reports of the Secretary-General,\n",
        encoding="utf-8",
    )
    report = build_index(small_config)
    reasons = dict(report.skipped)
    assert "binary" in reasons["broken.txt"]
    assert "language looks like en" in reasons["english.txt"]
    assert {r["lang"]: r["documents"] for r in report.stats}["zh"] >= 2
    assert _search_ids(small_config, "多边主义", "zh")
    # Unchanged broken files keep their reason on later runs without being read again.
    again = build_index(small_config)
    assert again.up_to_date and dict(again.skipped)["broken.txt"] == reasons["broken.txt"]


def test_failed_build_leaves_the_previous_index_whole(small_config, small_corpus):
    build_index(small_config)
    before = current_generation(small_config.index_dir)
    (small_corpus / ZH_SEED).write_text(
        (small_corpus / ZH_SEED).read_text(encoding="utf-8") + "\n 补充。\n", encoding="utf-8"
    )

    def explode(phase, done, total):
        if phase == "writing":
            raise KeyboardInterrupt  # an interrupted run

    with pytest.raises(KeyboardInterrupt):
        build_index(small_config, progress=explode)
    assert current_generation(small_config.index_dir) == before
    assert generations(small_config.index_dir)[-1] == before  # the half-built generation is gone
    assert _search_ids(small_config, "多边主义", "zh")
    report = build_index(small_config)
    assert report.changed == [ZH_SEED]


def test_full_rebuild_and_generation_cleanup(small_config):
    build_index(small_config)
    build_index(small_config, full=True)
    build_index(small_config, full=True)
    assert len(generations(small_config.index_dir)) == 2  # the live one and the one before


def test_an_index_of_another_schema_is_refused_until_rebuilt(small_config):
    """A server never reads an index whose catalog another version wrote; the next build rebuilds it whole."""
    first = build_index(small_config)
    catalog = Catalog(current_generation(small_config.index_dir) / CATALOG)
    catalog.set_info("schema_version", "6")
    catalog.commit()
    catalog.close()
    with pytest.raises(IndexMissing, match=r"schema 6, this one reads \d+\): run `tandem index`"):
        open_index(small_config.index_dir)
    again = build_index(small_config)
    assert not again.up_to_date and again.analysed_paragraphs == first.analysed_paragraphs  # nothing reused
    open_index(small_config.index_dir).close()


def test_concurrent_build_is_refused(small_config):
    from indexer.store import build_lock

    with build_lock(small_config.index_dir):
        with pytest.raises(TandemError, match="another build is running"):
            build_index(small_config)


def test_catalog_holds_the_pair_relation(small_config):
    build_index(small_config)
    opened = open_index(small_config.index_dir)
    try:
        pairs = [p for p in opened.catalog.pairs() if p.method == "aligned"]
        assert [(p.a, p.b, p.relation) for p in pairs] == [("fr-a-res-68-38", "zh-a-res-67-38", "other_year")]
        assert pairs[0].detail["a_year"] == 2013 and pairs[0].detail["b_year"] == 2012
        links = [link for link in opened.catalog.links(pairs[0].id) if link["a"] and link["b"]]
        assert len(links) == 25
    finally:
        opened.close()


def test_catalog_is_a_readable_sqlite_file(small_config):
    build_index(small_config)
    cat = Catalog(current_generation(small_config.index_dir) / CATALOG, readonly=True)
    try:
        assert cat.document("fr-a-res-68-38")["title"].startswith("Promotion du multilatéralisme")
    finally:
        cat.close()


def _catalog_dump(cfg) -> dict:
    """Everything a build stored in the catalog, in a form that does not depend on insertion order."""
    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        rows = {
            table: sorted(tuple(r) for r in cat.db.execute(f"SELECT * FROM {table}"))
            for table in ("files", "skipped", "documents", "vocab")
        }
        # keys number paragraphs in the order they are written, which batching changes; each is given once
        rows["paragraphs"] = sorted(
            tuple(v for k, v in zip(r.keys(), r) if k != "key") for r in cat.db.execute("SELECT * FROM paragraphs")
        )
        keys = [r[0] for r in cat.db.execute("SELECT key FROM paragraphs ORDER BY key")]
        assert keys == list(range(1, len(keys) + 1))
        rows["pairs"] = sorted(
            (
                p.a,
                p.b,
                p.relation,
                p.method,
                sorted(p.detail.items()),
                [(link["a"], link["b"], link["score"]) for link in cat.links(p.id)],
            )
            for p in cat.pairs()
        )
        return rows
    finally:
        cat.close()


def _mixed_bitext(corpus, seed: int = 3):
    """The dev-set sample under other symbols, its lines shuffled: documents whose lines are not adjacent."""
    import random

    files = {s: (corpus / "unpc" / f"sample.{s}").read_bytes().splitlines(keepends=True) for s in ("fr", "zh", "ids")}
    order = list(range(len(files["ids"])))
    random.Random(seed).shuffle(order)
    files["ids"] = [line.replace(b"/", b"/mix/", 1) for line in files["ids"]]
    for suffix, lines in files.items():
        (corpus / f"mixed.{suffix}").write_bytes(b"".join(lines[i] for i in order))


def _plain_bitext(corpus, name: str = "plain", copies: int = 1):
    """The dev-set sample without its .ids, `copies` times: one document of 200 * copies lines per language."""
    for lang in ("fr", "zh"):
        (corpus / f"{name}.{lang}").write_bytes((corpus / "unpc" / f"sample.{lang}").read_bytes() * copies)


def test_bitexts_stream_in_parts_and_small_batches_build_the_same_index(
    small_config, small_corpus, monkeypatch, tmp_path
):
    from indexer.readers import bitext

    _plain_bitext(small_corpus)
    _mixed_bitext(small_corpus)
    whole = small_config.replace(index_dir=tmp_path / "whole")
    build_index(whole)
    monkeypatch.setattr(bitext, "PART_ROWS", 3)  # documents come in parts of 3 lines, and 200 lines in 67 parts
    report = build_index(small_config, batch_paragraphs=16)
    assert report.analysed_paragraphs == 55 + 3 * 2 * 200
    assert _catalog_dump(small_config) == _catalog_dump(whole)
    plain = Catalog(current_generation(small_config.index_dir) / CATALOG, readonly=True)
    try:
        assert plain.document("fr-plain")["paragraphs"] == 200
        pair = next(p for p in plain.pairs() if p.a == "fr-plain")
        assert [link["a"] for link in plain.links(pair.id)][198:] == [["fr-plain.p198"], ["fr-plain.p199"]]
        assert plain.count_documents() == 2 + 138 * 2 + 138 * 2 + 2  # seeds, sample, mixed, plain
    finally:
        plain.close()
    for q, lang in (
        ("multilatéralisme", "fr"),
        ("Conseil de sécurité", "fr"),
        ("多边主义", "zh"),
        ("安全理事会", "zh"),
    ):
        found = _search_ids(small_config, q, lang)
        assert found and sorted(found) == sorted(_search_ids(whole, q, lang)), q


def test_a_bitext_is_read_lazily_line_by_line(small_corpus, monkeypatch):
    from collections.abc import Iterator

    from indexer.errors import CorpusError
    from indexer.readers import bitext, discover, open_unit, read_unit

    _plain_bitext(small_corpus, "big", copies=15)  # 3000 lines, about 360 KB of Chinese
    monkeypatch.setattr(bitext, "PART_ROWS", 80)
    unit = next(u for u in discover(small_corpus)[0] if u.key == "big")
    parts = iter(open_unit(unit))
    assert isinstance(parts, Iterator)
    first = next(parts)
    assert [(d.id, len(d.paragraphs)) for d in first.documents] == [("fr-big", 80), ("zh-big", 80)]
    assert (first.offset, first.total) == (0, 3000)
    second = next(parts)
    assert second.offset == 80 and second.documents[0].paragraphs[0].id == "fr-big.p80"
    # The text is read as parts are taken: a file cut short now is found short, and said so.
    zh = small_corpus / "big.zh"
    zh.write_bytes(b"".join(zh.read_bytes().splitlines(keepends=True)[:1000]))
    with pytest.raises(CorpusError, match="changed while it was read"):
        list(parts)
    # It was checked whole before the first part: a short file is refused when opened.
    with pytest.raises(CorpusError, match=r"line counts differ \(fr 3000, zh 1000 lines\)"):
        open_unit(unit)
    fr = small_corpus / "big.fr"
    fr.write_bytes(b"".join(fr.read_bytes().splitlines(keepends=True)[:1000]))
    assert [len(d.paragraphs) for d in read_unit(unit).documents] == [1000, 1000]


def test_a_bitext_with_one_undecodable_line_is_skipped_whole(small_config, small_corpus):
    _plain_bitext(small_corpus)
    fr = small_corpus / "plain.fr"
    lines = fr.read_bytes().splitlines(keepends=True)
    lines[149] = lines[149].replace(b"\xc3\xa9", b"\xe9", 1)  # one "é" in Latin-1
    fr.write_bytes(b"".join(lines))
    report = build_index(small_config)
    assert dict(report.skipped)["plain"].startswith("plain.fr line 150: not UTF-8")
    assert report.analysed_paragraphs == 55 + 2 * 200  # the seeds and the sample with .ids
    cat = Catalog(current_generation(small_config.index_dir) / CATALOG, readonly=True)
    try:
        assert cat.document("fr-plain") is None and "plain" not in cat.files()
    finally:
        cat.close()


@pytest.mark.parametrize("keep_chars", [None, 0])
def test_a_document_is_read_once_while_those_held_are_small_enough(tmp_path, monkeypatch, keep_chars):
    from indexer import changes
    from indexer.config import load_config
    from indexer.readers import discover, read_unit

    from .test_pdf import OFFICE

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = ["A_69_720_E.pdf", "A_RES_67_38_C.docx", "A_RES_68_38_F.pdf"]
    for name in names:
        (corpus / name).write_bytes((OFFICE / name).read_bytes())
    opened = []

    def counted(unit, *args, **kwargs):
        opened.append(unit.key)
        return open_unit(unit, *args, **kwargs)

    open_unit = changes.open_unit
    monkeypatch.setattr(changes, "open_unit", counted)
    if keep_chars is not None:
        monkeypatch.setattr(changes, "KEEP_CHARS", keep_chars)  # nothing held: each opened again to be read
    languages = ("fr", "zh", "en")
    paragraphs = sum(len(d.paragraphs) for u in discover(corpus)[0] for d in read_unit(u, languages).documents)
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index", languages=languages))
    assert sorted(opened) == [name for name in names for _ in range(1 if keep_chars is None else 2)]
    assert report.pairs_aligned == 1 and not report.skipped
    cat = Catalog(current_generation(tmp_path / "index") / CATALOG, readonly=True)
    try:
        assert cat.paragraph_count() == paragraphs > 60  # every paragraph the readers give, whichever way read
    finally:
        cat.close()
