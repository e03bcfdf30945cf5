"""Paragraph alignment (indexer/align.py) and document pairing (indexer/pairing.py) on synthetic and real UN text."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from indexer.align import Link, align_paragraphs, anchors, length_ratio
from indexer.documents import Document, Paragraph
from indexer.errors import AlignError
from indexer.formats import align_documents
from indexer.pairing import pair_detail, pair_documents
from indexer.readers.un_text import parse_un_text

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

SAMPLE = DATA / "unpc-sample"


def lines(lang: str) -> list[str]:
    """Lines of the dev-set sample in one language."""
    return (SAMPLE / f"sample.{lang}").read_text(encoding="utf-8").split("\n")[:-1]


def paras(texts, kind="other") -> list[Paragraph]:
    """Paragraphs of one kind from texts."""
    return [Paragraph(t, kind=kind) for t in texts]


def pairs(links: list[Link]) -> set[tuple[int, int]]:
    """The (a, b) paragraph pairs a list of links makes."""
    return {(i, j) for link in links for i in link.a for j in link.b}


def check_cover(links: list[Link], n: int, m: int) -> None:
    """Every paragraph exactly once, both sides in increasing order, scores in [0, 1]."""
    seen_a = [i for link in links for i in link.a]
    seen_b = [j for link in links for j in link.b]
    assert seen_a == list(range(n))
    assert seen_b == list(range(m))
    for link in links:
        assert link.a or link.b
        assert 0.0 <= link.score <= 1.0
        if not (link.a and link.b):
            assert link.score == 0.0


@pytest.fixture(scope="module")
def bitext():
    """The 200 line-parallel French and Chinese sample lines."""
    fr, zh = lines("fr"), lines("zh")
    assert len(fr) == len(zh) == len(lines("ids")) == 200
    return fr, zh


def test_identical_structure_gives_one_to_one(bitext):
    """Translations paragraph for paragraph align 1-1 with good confidence."""
    fr, zh = bitext
    links = align_paragraphs(paras(fr[:40]), paras(zh[:40]), "fr", "zh")
    check_cover(links, 40, 40)
    assert [(lk.a, lk.b) for lk in links] == [((k,), (k,)) for k in range(40)]
    assert min(lk.score for lk in links) > 0.5


def test_deleted_paragraph_is_left_unlinked(bitext):
    """A paragraph missing from the Chinese side gives a 1-0 link and no shift."""
    fr, zh = bitext
    gone = 7
    links = align_paragraphs(paras(fr[:20]), paras(zh[:gone] + zh[gone + 1 : 20]), "fr", "zh")
    check_cover(links, 20, 19)
    assert Link((gone,), (), 0.0) in links
    expected = {(k, k if k < gone else k - 1) for k in range(20) if k != gone}
    assert pairs(links) == expected


def test_split_paragraph_gives_two_to_one(bitext):
    """A French paragraph cut in two merges back onto its Chinese counterpart."""
    fr, zh = bitext
    k = max(range(20), key=lambda n: len(fr[n]))
    words = fr[k].split()
    halves = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
    a = paras(fr[:k] + halves + fr[k + 1 : 20])
    links = align_paragraphs(a, paras(zh[:20]), "fr", "zh")
    check_cover(links, 21, 20)
    merged = [lk for lk in links if len(lk.a) == 2]
    assert merged == [Link((k, k + 1), (k,), merged[0].score)]
    assert merged[0].score > 0.5


def test_anchors_agree_across_languages():
    """Numbers, symbols and dates give the same anchors in French and in Chinese."""
    fr = "Rappelant sa résolution 56/24 T du 29 novembre 2001 (voir A/68/411)"
    zh = "回顾其 2001年 11 月 29日第56/24T号决议（见A/68/411）"
    assert anchors(fr) == anchors(zh)
    assert {"56/24", "68/411", "2001", "29", "11"} <= anchors(fr)


def test_length_ratio_table_and_reverse():
    """The fr/zh length model is calibrated and the reverse pair is derived."""
    c, s2 = length_ratio("fr", "zh")
    assert 3 < c < 4.5 and s2 > 0
    rc, _ = length_ratio("zh", "fr")
    assert rc == pytest.approx(1 / c)


def test_random_documents_are_covered_in_order(bitext):
    """Whatever the input, links cover each paragraph once, in order."""
    fr, zh = bitext
    rng = random.Random(5)
    for _ in range(20):
        n, m = rng.randrange(0, 30), rng.randrange(0, 30)
        a = paras(rng.sample(fr, n))
        b = paras(rng.sample(zh, m))
        check_cover(align_paragraphs(a, b, "fr", "zh"), n, m)


def test_real_documents_from_the_dev_set_sample(bitext):
    """Partial dev-set documents align with their gold paragraph links."""
    fr, zh = bitext
    docs = defaultdict(list)
    for k, line in enumerate(lines("ids")):
        doc, *fields = line.split()
        where = {f.split(":")[0]: int(f.split(":")[1]) for f in fields}
        docs[doc].append((where["fr"], where["zh"], k))
    tp = total = 0
    for rows in docs.values():
        pf, pz = sorted({r[0] for r in rows}), sorted({r[1] for r in rows})
        a = paras(" ".join(fr[k] for p, _, k in rows if p == q) for q in pf)
        b = paras("".join(zh[k] for _, p, k in rows if p == q) for q in pz)
        gold = {(pf.index(f), pz.index(z)) for f, z, _ in rows}
        got = pairs(align_paragraphs(a, b, "fr", "zh"))
        check_cover(align_paragraphs(a, b, "fr", "zh"), len(a), len(b))
        tp += len(got & gold)
        total += len(gold)
    assert total > 100 and tp / total >= 0.97


def resolution(lang, symbol, date, pre, ops, title_text, extra=(), notes=()):
    """A resolution-shaped document: title, chapeau, preambular, operative, footnotes."""
    ps = [Paragraph(title_text, kind="title"), Paragraph("L’Assemblée générale," if lang == "fr" else "大会，")]
    ps += [Paragraph(t, kind="preambular") for t in pre]
    ps += [Paragraph(t, kind="operative", number=str(n)) for n, t in enumerate(ops, 1)]
    ps += [Paragraph(t, kind="footnote", number=str(n)) for n, t in enumerate(notes, 1)]
    return Document(lang=lang, symbol=symbol, date=date, paragraphs=list(extra) + ps).finalize()


def test_structure_links_title_chapeau_and_operatives_by_number(bitext):
    """Kinds and operative numbers steer the links around a missing operative."""
    fr, zh = bitext
    a = resolution(
        "fr",
        "A/RES/70/5",
        "2015-12-01",
        fr[40:43],
        fr[43:47],
        "70/5. Titre",
        extra=[Paragraph("Résolution adoptée par l’Assemblée générale le 1er décembre 2015")],
        notes=["Résolution 55/2."],
    )
    # Chinese lacks operative 2: the others must still pair by number.
    b = resolution("zh", "A/RES/70/5", "2015-12-01", zh[40:43], [zh[43]] + zh[45:47], "70/5. 标题")
    for p, n in zip(b.paragraphs[-3:], ("1", "3", "4")):
        p.number = n
    links = align_paragraphs(a.paragraphs, b.paragraphs, "fr", "zh")
    check_cover(links, len(a.paragraphs), len(b.paragraphs))
    got = pairs(links)
    assert (1, 0) in got and (2, 1) in got  # title, chapeau
    assert {(3, 2), (4, 3), (5, 4)} <= got
    assert {(6, 5), (8, 6), (9, 7)} <= got  # operatives 1, 3, 4
    assert Link((0,), (), 0.0) in links and Link((7,), (), 0.0) in links
    assert Link((10,), (), 0.0) in links  # footnote with no counterpart


def test_footnotes_pair_by_number():
    """Footnotes are aligned among themselves by number."""
    a = [Paragraph("Texte.", kind="preambular", notes=["1"]), Paragraph("Voir A/67/506.", kind="footnote", number="1")]
    b = [Paragraph("案文。", kind="preambular", notes=["1"]), Paragraph("见A/67/506。", kind="footnote", number="1")]
    links = align_paragraphs(a, b, "fr", "zh")
    assert [(lk.a, lk.b) for lk in links] == [((0,), (0,)), ((1,), (1,))]


def test_long_documents_are_fast(bitext):
    """2,000 x 2,000 paragraphs align quickly and correctly in the band."""
    fr, zh = bitext
    rng = random.Random(1)
    order = [rng.randrange(200) for _ in range(2000)]
    a, b = paras(fr[k] for k in order), paras(zh[k] for k in order)
    links = align_paragraphs(a, b, "fr", "zh")
    check_cover(links, 2000, 2000)
    assert len(pairs(links) & {(k, k) for k in range(2000)}) >= 1950


def cited_resolution(lang, symbol, date, cites, n_pre=3, n_ops=4):
    """A resolution citing the given symbols in its preamble."""
    word = "résolution" if lang == "fr" else "决议"
    pre = [f"{word} {c}" for c in cites] + [f"{word} x"] * (n_pre - len(cites))
    ops = [f"{n}. {word}" for n in range(1, n_ops + 1)]
    return resolution(lang, symbol, date, pre, ops, f"{symbol.split('/', 2)[2]}. {word}")


def test_pair_documents_same_symbol_other_year_and_unrelated():
    """Same symbol first, then the same recurring resolution from the nearest year, for each document of
    either language without a version of its own year."""
    old = ["56/24", "57/63", "58/44", "59/69"]
    docs = [
        cited_resolution("fr", "A/RES/68/38", "2013-12-05", old + ["67/38"], 6),
        cited_resolution("zh", "A/RES/67/38", "2012-12-03", old, 6),
        cited_resolution("zh", "A/RES/66/32", "2011-12-02", old[:3], 6),  # older: the nearer year wins
        cited_resolution("fr", "A/RES/70/1", "2015-09-25", ["55/2"]),
        cited_resolution("zh", "A/RES/70/1", "2015-09-25", ["55/2"]),
        cited_resolution("fr", "A/RES/69/300", "2015-07-01", ["60/1"]),  # nothing related in Chinese
        cited_resolution("zh", "S/RES/2100 (2013)", "2013-04-25", ["2098 (2013)"]),
    ]
    got = {(p.a.symbol, p.b.symbol): p for p in pair_documents(docs, "fr", "zh")}
    # 66/32 has no French of its year: it takes the nearest French version, already paired with 67/38
    assert set(got) == {
        ("A/RES/68/38", "A/RES/67/38"),
        ("A/RES/68/38", "A/RES/66/32"),
        ("A/RES/70/1", "A/RES/70/1"),
    }
    assert got[("A/RES/68/38", "A/RES/66/32")].relation == "other_year"
    assert got[("A/RES/70/1", "A/RES/70/1")].relation == "same"
    other = got[("A/RES/68/38", "A/RES/67/38")]
    assert other.relation == "other_year"
    assert other.detail["a_year"] == 2013 and other.detail["b_year"] == 2012
    assert 0 < other.detail["evidence"] <= 1


def test_unrelated_documents_stay_unpaired():
    """Documents with nothing in common are not paired."""
    docs = [
        cited_resolution("fr", "A/RES/68/10", "2013-12-05", ["50/1", "51/2"]),
        cited_resolution("zh", "A/RES/68/99", "2013-12-05", ["40/7", "41/8"], 5, 9),
    ]
    assert pair_documents(docs, "fr", "zh") == []


def test_seed_resolutions_align_exactly():
    """The two shipped resolutions (68/38 fr, 67/38 zh) align exactly and are paired."""
    docs = [parse_un_text((CORPUS / name).read_text(encoding="utf-8"), name) for name in (FR_SEED, ZH_SEED)]
    fr = next(d for d in docs if d.lang == "fr")
    zh = next(d for d in docs if d.lang == "zh")
    links = align_paragraphs(fr.paragraphs, zh.paragraphs, "fr", "zh")
    check_cover(links, len(fr.paragraphs), len(zh.paragraphs))
    both = [lk for lk in links if lk.a and lk.b]
    assert len(both) == 25 and all(len(lk.a) == len(lk.b) == 1 for lk in both)
    kinds = [(fr.paragraphs[lk.a[0]], zh.paragraphs[lk.b[0]]) for lk in both]
    assert kinds[0][0].kind == kinds[0][1].kind == "title"
    assert kinds[1][0].text.startswith("L’Assemblée générale") and kinds[1][1].text.startswith("大会")
    assert [(p.kind, q.kind) for p, q in kinds[2:16]] == [("preambular", "preambular")] * 14
    assert [(p.number, q.number) for p, q in kinds[16:]] == [(str(n), str(n)) for n in range(1, 10)]
    assert all(lk.score > 0.5 for lk in both)
    unlinked = [fr.paragraphs[lk.a[0]] for lk in links if lk.a and not lk.b]
    assert unlinked[0].text.startswith("Résolution adoptée") and unlinked[1].text.startswith("[sur la base")
    assert sum(p.kind == "footnote" for p in unlinked) == sum(p.kind == "footnote" for p in fr.paragraphs) > 0
    pairs_ = pair_documents(docs, "fr", "zh")
    assert [(p.a.symbol, p.b.symbol, p.relation) for p in pairs_] == [("A/RES/68/38", "A/RES/67/38", "other_year")]


def test_two_texts_in_one_language_are_refused_with_a_bad_request():
    """The library raises its own error; the API answers it as before: 400, code bad_request."""
    fr = parse_un_text((CORPUS / FR_SEED).read_text(encoding="utf-8"), FR_SEED)
    with pytest.raises(AlignError, match="both texts are in fr") as err:
        align_documents(fr, fr)
    assert (err.value.status, err.value.code) == (400, "bad_request")


def test_same_language_over_the_api(client):
    text = (CORPUS / FR_SEED).read_text(encoding="utf-8")
    response = client.post("/api/align", json={"source": text, "target": text})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "both texts are in fr" in response.get_json()["error"]["message"]


def test_unpaired_documents_report_both_symbols_and_years():
    """An alignment of documents that do not pair still says which documents it joined."""
    fr = Document(lang="fr", symbol="A/RES/1/1", date="2001-01-01", paragraphs=paras(["Un texte français."]))
    zh = Document(lang="zh", symbol="S/RES/9/9", date="2009-01-01", paragraphs=paras(["一个中文文本。"]))
    result = align_documents(fr.finalize(), zh.finalize())
    assert result["relation"] == {"type": "unpaired", **pair_detail(fr, zh)}
    assert pair_detail(fr, zh) == {"a_symbol": "A/RES/1/1", "b_symbol": "S/RES/9/9", "a_year": 2001, "b_year": 2009}


SHORT_FR = "Le désarmement nucléaire demeure une priorité."
SHORT_ZH = "核裁军仍然是优先事项。"


def test_short_passages_align_when_their_languages_are_given(client):
    refused = client.post("/api/align", json={"source": SHORT_FR, "target": SHORT_ZH})
    assert refused.status_code == 400
    assert "(give source_lang for a passage whose language is not recognised)" in refused.get_json()["error"]["message"]
    given = client.post(
        "/api/align", json={"source": SHORT_FR, "target": SHORT_ZH, "source_lang": "fr", "target_lang": "zh"}
    )
    assert given.status_code == 200, given.get_json()
    body = given.get_json()
    assert [d["lang"] for d in body["documents"]] == ["fr", "zh"]
    assert body["pairs"] == [{"fr": [SHORT_FR], "zh": [SHORT_ZH], "score": body["pairs"][0]["score"]}]
    # one given, the other recognised (the French seed is long enough)
    seed = (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    one = client.post("/api/align", json={"source": SHORT_FR, "source_lang": "fr", "target": seed})
    assert one.status_code == 200 and one.get_json()["documents"][1]["lang"] == "zh"


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"source_lang": "en", "target_lang": "zh"}, "source_lang must be one of fr, zh"),
        ({"source_lang": "fr", "target_lang": 7}, "target_lang must be one of fr, zh"),
        ({"source_lang": "zh", "target_lang": "zh"}, "source_lang and target_lang must differ"),
    ],
)
def test_align_languages_are_checked(client, extra, message):
    response = client.post("/api/align", json={"source": SHORT_FR, "target": SHORT_ZH, **extra})
    assert response.status_code == 400 and message in response.get_json()["error"]["message"]


def test_two_texts_without_symbols_are_aligned_as_given_not_as_another_year():
    fr_text = (CORPUS / FR_SEED).read_text(encoding="utf-8")
    zh_text = (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    # the seeds without their symbols: the resolution numbers in their titles and symbol lines removed
    fr = parse_un_text(fr_text.replace("68/38", "").replace("A/RES/", ""), "a")
    zh = parse_un_text(zh_text.replace("67/38", "").replace("A/RES/", ""), "b")
    assert fr.symbol is None and zh.symbol is None
    result = align_documents(fr, zh)
    assert result["relation"]["type"] == "given"
    pasted = align_documents(parse_un_text(SHORT_FR, "s", "fr"), parse_un_text(SHORT_ZH, "t", "zh"))
    assert pasted["relation"] == {"type": "given", "a_symbol": None, "b_symbol": None, "a_year": None, "b_year": None}
    # with their symbols, the seeds are still another year's version of each other
    assert align_documents(parse_un_text(fr_text, "a"), parse_un_text(zh_text, "b"))["relation"]["type"] == "other_year"
