"""The search service over the shipped corpus: both languages, query syntax, filters, facets, highlights."""

from __future__ import annotations

import re

import pytest

from indexer.errors import BadRequest, QuerySyntaxError


def ids(result):
    return [h["id"] for h in result["hits"]]


def test_french_query_returns_french_paragraphs_with_chinese_translation(service):
    r = service.search("multilatéralisme", symbol="A/RES/68/38", kind="operative", limit=3)
    assert r["lang"] == "fr" and r["total"] == 5  # the operative paragraphs saying it (3 more say "multilatéral")
    hit = r["hits"][0]
    assert hit["lang"] == "fr" and hit["document"]["symbol"] == "A/RES/68/38"
    assert "<mark>multilatéralisme</mark>" in hit["highlight"]
    (tr,) = hit["translations"]
    assert tr["lang"] == "zh" and tr["document"]["symbol"] == "A/RES/67/38"
    assert tr["text"].startswith(hit["number"] + ". ")  # operative n pairs with operative n
    assert tr["relation"]["type"] == "other_year"
    assert tr["relation"]["label"] == "A/RES/67/38 (2012), another year's version of A/RES/68/38 (2013)"
    assert 0 < tr["confidence"] <= 1


def test_bitext_hits_carry_their_line_translation(service):
    r = service.search('"Traité sur la non-prolifération des armes nucléaires"', limit=5)
    assert r["total"] > 5
    for hit in r["hits"]:
        (tr,) = hit["translations"]
        assert tr["relation"]["type"] == "same" and tr["confidence"] == 1.0
        assert tr["document"]["symbol"] == hit["document"]["symbol"]
        assert "不扩散核武器条约" in tr["text"]


def test_chinese_substring_finds_its_paragraph(service):
    r = service.search("扩散", symbol="A/RES/67/38", kind="operative", limit=20)
    assert "zh-a-res-67-38.p16" in ids(r)  # "... 在裁军和不扩散领域进行谈判 ..."
    assert all(h["lang"] == "zh" for h in r["hits"])
    first = service.search("多边", limit=50)
    assert "zh-a-res-67-38.p0" in ids(first)  # the title, where pkuseg has 多边主义 as one word


def test_chinese_highlight_marks_the_exact_substring(service):
    r = service.search("不扩散", symbol="A/RES/67/38", kind="operative", limit=1)
    assert r["hits"][0]["highlight"] == "2. 又重申多边主义是解决裁军和<mark>不扩散</mark>问题的核心原则；"
    assert r["hits"][0]["translations"][0]["lang"] == "fr"


def test_single_chinese_character_matches_anywhere(service):
    r = service.search("军", symbol="A/RES/67/38", kind="title", limit=1)
    assert r["hits"][0]["highlight"] == "67/38. 促进裁<mark>军</mark>和不扩散领域的多边主义"


def test_accents_and_inflections_do_not_matter(service):
    # the same paragraphs match; the typed forms rank first, so the order may differ
    plain = service.search("desarmement nucleaire", limit=100)
    accented = service.search("Désarmement nucléaires", limit=100)
    assert plain["total"] == accented["total"] > 0
    assert sorted(ids(plain)) == sorted(ids(accented))


def test_phrase_or_not_prefix(service):
    phrase = service.search('"armes de destruction massive"', limit=50)
    assert phrase["total"] >= 2 and all("destruction massive" in h["text"] for h in phrase["hits"])
    either = service.search("multilatéralisme OR terrorisme", limit=100)
    only = service.search("multilatéralisme", limit=100)
    assert either["total"] > only["total"]
    without = service.search("multilatéralisme -désarmement", limit=100)
    assert without["total"] < only["total"]
    assert all("désarmement" not in h["text"].lower() for h in without["hits"])
    prefix = service.search("proliférat*", limit=5)
    assert prefix["total"] > 0 and "<mark>prolifération</mark>" in prefix["hits"][0]["highlight"]


def test_fields_filters_and_sorting(service):
    by_field = service.search("symbol:A/RES/68/38 kind:operative", limit=20)
    assert by_field["total"] == 9
    years = service.search("paix", year="2013", limit=50)
    assert {h["document"]["year"] for h in years["hits"]} == {2013}
    ranged = service.search("paix", year="2010-2015", limit=100)
    assert ranged["total"] > years["total"]
    dated = service.search("paix", sort="date", limit=100)
    dates = [h["document"]["date"] or str(h["document"]["year"]) for h in dated["hits"]]
    assert dates[0].startswith("2015") and dated["hits"][0]["score"] is None


def test_facets_count_all_matches(service):
    r = service.search("multilatéralisme", limit=1)
    assert sum(r["facets"]["kind"].values()) == r["total"]
    assert r["facets"]["symbol"]["A/RES/68/38"] >= 10
    assert r["facets"]["year"]["2013"] == r["facets"]["symbol"]["A/RES/68/38"]


def test_spelling_suggestion_for_misspelled_french(service):
    r = service.search("désarmemnt", limit=5)
    assert r["total"] == 0 and r["suggestion"] == "désarmement"
    assert service.search("désarmement", limit=1)["suggestion"] is None


@pytest.mark.parametrize(
    "q, suggestion",
    [
        ("symbol:A/RES/68/38", None),
        ("symbol:A/RES/69/38", None),
        ('symbol:"A/RES/68/38" kind:operative', None),
        ("symbol:A/RES/68/38 multilateralisme", None),
        ("symbol:A/RES/68/38 multilatéralsime", "symbol:A/RES/68/38 multilatéralisme"),
        ('kind:preambular "multilatéralsime" year:2013', 'kind:preambular "multilatéralisme" year:2013'),
        ("lang:fr multilatéralsime", "lang:fr multilatéralisme"),
    ],
)
def test_did_you_mean_corrects_words_never_field_values(service, q, suggestion):
    assert service.search(q, lang="fr")["suggestion"] == suggestion


def test_a_lang_clause_sets_the_language_searched(service):
    chinese = service.search("裁军", lang="zh", limit=100)
    for lang in ("auto", "fr", "zh"):  # the query's lang: wins over the parameter
        found = service.search("lang:zh 裁军", lang=lang, limit=100)
        assert found["lang"] == "zh" and found["total"] == chinese["total"] > 0
        assert ids(found) == ids(chinese) and found["notice"] is None
    assert service.search("paix lang:fr", limit=1)["lang"] == "fr"
    # field values do not sway the language detected from the words
    assert service.search("symbol:A/RES/67/38 裁军")["lang"] == "zh"


@pytest.mark.parametrize(
    "q, message",
    [
        ("lang:en paix", "lang: takes one of fr, zh (got en)"),
        ("lang:fr lang:zh paix", "a query searches one language: lang:fr and lang:zh both given"),
        ("paix OR lang:zh", "lang: sets the language searched: it cannot stand under OR"),
        ("裁军 -lang:fr", "lang: sets the language searched: it cannot stand under NOT"),
    ],
)
def test_lang_clauses_that_cannot_be_obeyed_are_refused(service, q, message):
    with pytest.raises(QuerySyntaxError, match=re.escape(message)):
        service.search(q)


def test_a_mixed_language_query_says_why_it_found_nothing(service):
    found = service.search("désarmement 裁军")
    assert (found["lang"], found["total"]) == ("fr", 0)
    assert found["notice"] == (
        "Searched in French, and a query searches one language: 裁军 is Chinese and matches no French paragraph: "
        "search it apart with lang:zh."
    )
    found = service.search("lang:zh 裁军 désarmement nucléaire")
    assert found["total"] == 0 and found["notice"] == (
        "Searched in Chinese, and a query searches one language: désarmement, nucléaire are French and match no "
        "Chinese paragraph: search them apart with lang:fr."
    )
    assert service.search("désarmement")["notice"] is None
    assert service.search("zzzqqq")["notice"] is None  # nothing found, but nothing foreign to say


def test_pagination(service):
    first = ids(service.search("paix", limit=5))
    second = ids(service.search("paix", limit=5, offset=5))
    both = ids(service.search("paix", limit=10))
    assert first + second == both


def test_stopword_only_query_matches_nothing(service):
    assert service.search("les des", lang="fr")["total"] == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"q": ""}, "q is required"),
        ({"q": "paix", "limit": 0}, "limit"),
        ({"q": "paix", "limit": 101}, "limit"),
        ({"q": "paix", "offset": -1}, "offset"),
        ({"q": "paix", "lang": "en"}, "lang"),
        ({"q": "paix", "sort": "size"}, "sort"),
        ({"q": "paix", "year": "20x3"}, "year"),
        ({"q": "paix", "year": "2015-2010"}, "reversed"),
        ({"q": "paix", "kind": "annex"}, "kind"),
    ],
)
def test_bad_parameters(service, kwargs, message):
    with pytest.raises(BadRequest, match=message):
        service.search(**kwargs)


@pytest.mark.parametrize(
    "q, position", [('"armes de', 0), ("(paix", 0), ("paix)", 4), ("paix AND", 5), ("OR paix", 0), ("kind: paix", 0)]
)
def test_syntax_errors_know_their_position(service, q, position):
    with pytest.raises(QuerySyntaxError) as err:
        service.search(q)
    assert err.value.position == position


def test_html_in_text_is_escaped_in_highlights(service):
    r = service.search("<script>alert(1)</script> paix", limit=3)
    for hit in r["hits"]:
        assert "<script>" not in hit["highlight"]


def test_lookups(service):
    p = service.paragraph("fr-a-res-68-38.p5")
    assert p["kind"] == "preambular" and p["translations"][0]["document"]["symbol"] == "A/RES/67/38"
    doc = service.document("a/res/68/38")
    (alignment,) = doc["alignments"]
    linked = [row for row in alignment["rows"] if row["fr"] and row["zh"]]
    assert len(linked) == 25 and alignment["relation"]["type"] == "other_year"
    listing = service.documents(limit=2, offset=0)
    assert listing["total"] == 1466 and len(listing["documents"]) == 2


@pytest.mark.parametrize(
    "typed, written",
    [
        ("integrite", "intégrité"),
        ("achevee", "achevée"),
        ("derniere", "dernière"),
        ("productivite", "productivité"),
        ("decentralisees", "décentralisées"),
        ("transmissions", "transmission"),
        ("passagers", "passager"),
    ],
)
def test_every_spelling_and_number_finds_the_same_paragraphs(service, typed, written):
    a, b = service.search(typed, lang="fr", limit=100), service.search(written, lang="fr", limit=100)
    assert a["total"] == b["total"] > 0
    assert sorted(ids(a)) == sorted(ids(b))


def test_the_typed_word_ranks_before_words_that_only_share_its_stem(service):
    r = service.search("presentation", lang="fr", limit=10)
    assert r["total"] > 10
    assert all("<mark>présentation</mark>" in h["highlight"].lower() for h in r["hits"])


def test_a_quoted_phrase_keeps_its_stop_words(service):
    phrase = service.search('"internationale pour"', lang="fr", limit=50)
    loose = service.search("internationale pour", lang="fr", limit=50)
    assert 0 < phrase["total"] < loose["total"]
    for h in phrase["hits"]:
        assert "internationale pour" in h["text"].lower()
        assert "<mark>internationale pour</mark>" in h["highlight"].lower()


@pytest.mark.parametrize(
    "phrase", ["de la paix et de la", "de désarmement et de", "désarmement et de la non-prolifération"]
)
def test_a_phrase_with_repeated_words_matches_exactly_where_it_is_said(service, phrase):
    def every_hit(q):
        hits, total = [], None
        while total is None or len(hits) < total:
            page = service.search(q, lang="fr", limit=100, offset=len(hits), facets=(), marks=False)
            hits, total = hits + page["hits"], page["total"]
        return hits

    loose = every_hit(phrase)  # every word, anywhere: a superset
    saying = {h["id"] for h in loose if phrase in " ".join(h["text"].lower().split())}
    quoted = every_hit(f'"{phrase}"')
    assert saying and {h["id"] for h in quoted} == saying and len(quoted) == len(saying)


def test_a_chinese_word_ranks_where_it_is_a_word(service):
    r = service.search("中国", lang="zh", limit=10)
    assert r["total"] > 10
    assert not any("发展中国家" in h["text"] and h["text"].count("中国") == 1 for h in r["hits"])
    assert service.search("发展中国家", lang="zh")["total"] > 0  # the longer word still holds the substring
    assert {h["id"] for h in service.search("中国", lang="zh", limit=100)["hits"]} >= {
        h["id"] for h in service.search("发展中国家", lang="zh", limit=100)["hits"]
    }


def test_traditional_characters_find_simplified_text(service):
    trad, simp = service.search("聯合國", lang="zh", limit=20), service.search("联合国", lang="zh", limit=20)
    assert trad["total"] == simp["total"] > 0 and ids(trad) == ids(simp)
    assert "<mark>联合国</mark>" in trad["hits"][0]["highlight"]


def test_number_names_paragraphs_by_their_printed_number_one_or_a_range(service):
    three = service.search("number:3", lang="fr", limit=50)
    assert sorted((h["kind"], h["number"]) for h in three["hits"]) == [("footnote", "3"), ("operative", "3")]
    span = service.search("number:2-4 kind:operative", lang="fr", limit=50)
    assert sorted(h["number"] for h in span["hits"]) == ["2", "3", "4"]
    assert {h["document"]["symbol"] for h in span["hits"]} == {"A/RES/68/38"}
    words = service.search("multilatéralisme number:1-20", lang="fr", symbol="A/RES/68/38", limit=50)
    assert words["total"] and all(h["kind"] == "operative" and 1 <= int(h["number"]) <= 20 for h in words["hits"])
    # a number written in the text is a word: number: is not where 68/38 is found
    assert service.search("number:68", lang="fr")["total"] == 0
    assert service.search("68/38", lang="fr")["total"] >= 1


@pytest.mark.parametrize("q", ["number:x", "number:3a", "number:5-2", "number:1-900"])
def test_number_takes_numbers_and_says_so(service, q):
    with pytest.raises(QuerySyntaxError, match="number:"):
        service.search(q, lang="fr")


def test_a_query_with_hits_gets_no_suggestion(service):
    # the misspelt word of an OR finds nothing, the other finds its paragraphs: nothing to correct
    r = service.search("désarmement OR désarmemnt", limit=1, marks=False)
    assert r["total"] > 0 and r["suggestion"] is None
    assert service.search("désarmemnt", limit=1, marks=False)["suggestion"] == "désarmement"


def test_the_planned_query_is_parsed_once_for_the_marks(service):
    from indexer.query.planner import plan
    from server.marks import query_units

    q = 'désarmement "droits de l’homme" -paix'
    with service.reader() as rd:
        planned = plan(q, "fr", rd)
    assert query_units(planned.syntax) == query_units(q) == ["désarmement", "droits de l’homme"]


def test_documents_are_read_at_once(service):
    with service.reader() as rd:
        docs = rd.catalog.documents(limit=5)
        ids = [d["id"] for d in docs]
        found = rd.catalog.documents_by_id(ids + ["no-such-document"])
        assert found == {doc_id: rd.catalog.document(doc_id) for doc_id in ids}
