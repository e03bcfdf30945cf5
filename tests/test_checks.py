"""Numbers, symbols and dates that differ between aligned paragraphs: the value reader, the seed pair's
differences pinned exactly, the API endpoint against its OpenAPI schema, search hits and `tandem check`."""

from __future__ import annotations

import jsonschema
import pytest
from click.testing import CliRunner

from indexer.checks import differences, values
from indexer.numbers_zh import chinese_numeral
from server.cli import cli

FR_SEED_ID, ZH_SEED_ID = "fr-a-res-68-38", "zh-a-res-67-38"
# what last year's Chinese translation of A/RES/68/38 gets wrong, pair by pair: (French, Chinese, only_fr, only_zh)
SEED_DIFFERENCES = [
    ("p2", "p0", ["68/38"], ["67/38"]),  # the title's own number
    ("p5", "p3", ["67/38", "2012-12-03"], []),  # the 2012 list of resolutions stops at 66/32
    ("p24", "p22", ["67/38"], ["66/32"]),  # operative 7: the report requested by last year's resolution
    ("p25", "p23", ["69"], ["68"]),  # operative 8: soixante-neuvième session / 第六十八届会议
    ("p26", "p24", ["69"], ["68"]),  # operative 9: likewise
]


def shown(text: str, lang: str) -> list[str]:
    return [v.shown for v in values(text, lang) if v.strong]


# ------------------------------------------------------------------ reading values


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("à sa soixante-huitième session", "fr", ["68"]),
        ("大会第六十八届会议", "zh", ["68"]),
        ("la quatre-vingt-dixième séance et la soixante et onzième", "fr", ["90", "71"]),
        ("3 décembre 2012", "fr", ["2012-12-03"]),
        ("2012年12月3日", "zh", ["2012-12-03"]),
        ("2011 年 12 月 2 日第 66/32 号决议", "zh", ["2011-12-02", "66/32"]),
        ("le 1er janvier 2015", "fr", ["2015-01-01"]),
        ("du 26 au 31 août 2012", "fr", ["2012-08-26", "2012-08-31"]),
        ("2012 年 8 月 26 日至 31 日", "zh", ["2012-08-26", "2012-08-31"]),
        ("la résolution 56/24 T du", "fr", ["56/24T"]),
        ("第56/24T号决议", "zh", ["56/24T"]),
        ("(A/68/411) et A/67/506-S/2012/752", "fr", ["A/68/411", "A/67/506", "S/2012/752"]),
        ("22,2 % en 2009", "fr", ["22.2%", "2009"]),
        ("百分之五十", "zh", ["50%"]),
        ("2,5 millions de dollars", "fr", ["2500000"]),
        ("250万美元", "zh", ["2500000"]),
        ("1 234 567 personnes", "fr", ["1234567"]),
        ("１２月３日", "zh", ["--12-03"]),  # full-width digits
        ("à 15 heures", "fr", ["15:00"]),
        ("下午3时40分", "zh", ["15:40"]),
        ("7. Prend acte du rapport", "fr", []),  # the paragraph's own number
        ("7. 表示注意到", "zh", []),
        ("la 60e séance plénière", "fr", ["60"]),
        ("第60次全体会议", "zh", ["60"]),
    ],
)
def test_values_read_from_text(text, lang, expected):
    assert shown(text, lang) == expected


def test_chinese_numerals():
    assert [chinese_numeral(t) for t in ("三", "十六", "六十八", "一百零五", "二〇一二", "一万五千", "3")] == [
        3,
        16,
        68,
        105,
        2012,
        15000,
        None,
    ]


@pytest.mark.parametrize(
    "fr, zh",
    [
        # years inside dates are not numbers of their own
        ("Rappelant sa résolution 66/32 du 2 décembre 2011,", "回顾其2011年12月2日第66/32号决议，"),
        # a number in words on one side, in digits on the other
        ("seuls deux pays ont répondu", "只有2个国家作出答复"),
        ("quatre tentatives", "4次尝试"),
        ("à sa seizième session", "在第16届会议上"),
        ("la 7364e séance", "第七三六四次会议"),
        # footnote superscripts and paragraph numbers on one side only
        ("10. La Déclaration du Millénaire¹ de 2000", "《千年宣言》(2000年)"),
        ("La Commission s'est réunie en 2015.", "51. 委员会于2015年举行会议。"),
        # full-width digits and signs
        ("88 % des indicateurs", "８８％的指标"),
        # thousands and decimals written each side's way
        ("4,5 points et 100 000 naissances", "4.5个百分点，每100 000活产儿"),
        ("à 15 heures", "下午3时"),
        ("plus de la moitié", "50%以上"),
        ("en juillet-août 2014", "2014年7-8月"),
        ("1er et 3e séances", "第1和第3次会议"),
    ],
)
def test_agreeing_translations_are_not_reported(fr, zh):
    assert not differences(fr, zh), differences(fr, zh)


@pytest.mark.parametrize(
    "fr, zh, only_fr, only_zh",
    [
        ("seuls 21 pays", "只有22个国家", ["21"], ["22"]),
        ("le 31 décembre 1014", "2014年12月31日", ["1014-12-31"], ["2014-12-31"]),
        ("la résolution 67/38", "第66/32号决议", ["67/38"], ["66/32"]),
        ("à sa soixante-neuvième session", "第六十八届会议", ["69"], ["68"]),
        ("(A/68/411)", "(A/68/412)", ["A/68/411"], ["A/68/412"]),
        ("45 (35 %)", "45项(55%)", ["35%"], ["55%"]),
        ("à 10 heures", "上午10时10分", ["10:00"], ["10:10"]),
    ],
)
def test_disagreeing_translations_are_reported(fr, zh, only_fr, only_zh):
    found = differences(fr, zh)
    assert found.as_dict() == {"fr": only_fr, "zh": only_zh}


def test_a_footnote_marker_glued_to_a_number_is_not_a_number():
    # the reader keeps note numbers apart; raw text glues them: "résolution 67/383" is 67/38 and note 3
    glued = ("communiquées en application de sa résolution 67/383", "依照第67/38号决议")
    assert differences(*glued).only["fr"] == ["67/383"]
    assert not differences(*glued, a_notes=["3"])
    assert not differences("pour l'ex-Yougoslavie11;", "前南斯拉夫问题国际法庭；")
    assert not differences("l'exercice biennal 2014-20151 contient", "2014-2015两年期")


# ------------------------------------------------------------------ the seed pair, through the service


def test_seed_pair_differences_are_pinned(service):
    result = service.check("A/RES/68/38")
    assert result["symbol"] == "A/RES/68/38"
    assert result["checked"] == 23 + 2  # title, "L'Assemblée générale," and 14 preambular and 9 operative
    got = [(p["fr"]["id"], p["zh"]["id"], p["differences"]["fr"], p["differences"]["zh"]) for p in result["pairs"]]
    assert got == [(f"{FR_SEED_ID}.{a}", f"{ZH_SEED_ID}.{b}", fr, zh) for a, b, fr, zh in SEED_DIFFERENCES]
    for pair in result["pairs"]:
        assert pair["relation"]["type"] == "other_year"
        assert pair["relation"]["label"] == "A/RES/67/38 (2012), another year's version of A/RES/68/38 (2013)"
    operative7 = result["pairs"][2]
    assert "résolution 67/38" in operative7["fr"]["text"] and "第 66/32 号决议" in operative7["zh"]["text"]


def test_the_same_differences_seen_from_the_chinese_document(service):
    result = service.check("a/res/67/38")
    assert result["symbol"] == "A/RES/67/38"
    assert [p["differences"] for p in result["pairs"]] == [{"fr": fr, "zh": zh} for *_, fr, zh in SEED_DIFFERENCES]
    assert result["pairs"][0]["relation"]["label"] == "A/RES/68/38 (2013), another year's version of A/RES/67/38 (2012)"


def test_a_same_document_pair_is_a_translation_check(service):
    # two errors of the UN Parallel Corpus dev set: 21 countries for 22, the year 1014 for 2014
    result = service.check("E/CN.18/2015/3")
    assert [(p["differences"], p["relation"]["type"]) for p in result["pairs"]] == [
        ({"fr": ["21"], "zh": ["22"]}, "same")
    ]
    assert "21 pays" in result["pairs"][0]["fr"]["text"]
    assert [p["differences"] for p in service.check("S/2015/157")["pairs"]] == [
        {"fr": ["1014-12-31"], "zh": ["2014-12-31"]}
    ]
    agreeing = service.check("E/CN.18/2015/8")
    assert agreeing["checked"] > 0 and agreeing["pairs"] == []


def test_hits_from_another_year_carry_their_differences(service):
    hits = service.search("multilatéralisme", symbol="A/RES/68/38", kind="operative", limit=20)["hits"]
    by_number = {h["number"]: h["translations"][0] for h in hits}
    assert by_number["7"]["differences"] == {"fr": ["67/38"], "zh": ["66/32"]}
    assert by_number["8"]["differences"] == {"fr": ["69"], "zh": ["68"]}
    assert by_number["1"]["differences"] == {"fr": [], "zh": []}
    # seen from the Chinese side, the same values
    zh = service.paragraph(f"{ZH_SEED_ID}.p22")["translations"][0]
    assert zh["differences"] == {"fr": ["67/38"], "zh": ["66/32"]}
    # a translation of the same document carries none (the check endpoint covers it)
    same = [
        tr
        for hit in service.search("Commission", limit=10)["hits"]
        for tr in hit["translations"]
        if tr["relation"]["type"] == "same"
    ]
    assert same and all("differences" not in tr for tr in same)


# ------------------------------------------------------------------ API and CLI


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def check_schema(spec, name, body):
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_check_endpoint_matches_openapi(client, spec):
    r = client.get("/api/documents/A/RES/68/38/check")
    assert r.status_code == 200
    body = r.get_json()
    check_schema(spec, "DocumentCheck", body)
    assert [p["differences"]["fr"] for p in body["pairs"]] == [fr for *_, fr, _ in SEED_DIFFERENCES]
    check_schema(spec, "DocumentCheck", client.get("/api/documents/E/CN.18/2015/8/check").get_json())
    missing = client.get("/api/documents/A/RES/1/1/check")
    assert missing.status_code == 404
    check_schema(spec, "Error", missing.get_json())
    # the document view under the same prefix is still served
    assert client.get("/api/documents/A/RES/68/38").get_json()["alignments"]
    hits = client.get("/api/search", query_string={"q": "multilatéralisme", "symbol": "A/RES/68/38"}).get_json()
    check_schema(spec, "SearchResponse", hits)
    assert any("differences" in t for h in hits["hits"] for t in h["translations"])
    assert "/api/documents/{symbol}/check" in spec["paths"]


def test_cli_check_prints_the_differences(shipped_index):
    cfg, _ = shipped_index
    result = CliRunner().invoke(cli, ["check", "A/RES/68/38", "--index", str(cfg.index_dir)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "A/RES/68/38: 5 of 25 aligned paragraph pairs differ" in out
    assert "against A/RES/67/38 (2012), another year's version" in out
    assert "only in French:  67/38, 2012-12-03" in out
    assert "only in Chinese: 66/32" in out and "only in Chinese: 68" in out
    assert "67/38 du 3 décembre 2012" in out  # the excerpt shows where the value is
    missing = CliRunner().invoke(cli, ["check", "A/RES/1/1", "--index", str(cfg.index_dir)])
    assert missing.exit_code == 1 and "no document A/RES/1/1" in missing.output
    assert "Example:" in CliRunner().invoke(cli, ["check", "--help"]).output
