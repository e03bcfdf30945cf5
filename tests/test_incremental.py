"""Incremental builds end in the index a full build gives: files added, changed, copied, moved and deleted
in any order, one document held by several files, unreadable files and bitexts among them."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.store import CATALOG, current_generation

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis not installed: pip install -e '.[test]'")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FR = (CORPUS / FR_SEED).read_bytes()
ZH = (CORPUS / ZH_SEED).read_bytes()
TEXTS = {
    "fr68": FR,
    "fr68-changed": FR.replace("Déterminée à faire prévaloir".encode(), "Résolue à faire prévaloir".encode()),
    "zh67": ZH,
    "zh67-changed": ZH.replace("决心促进严格遵循".encode(), "决心推动严格遵循".encode()),
    "fr69": (DATA / "next-year" / "A_RES_69_38.fr.txt").read_bytes(),
    "short": "S/2015/305\n\n Le Conseil de sécurité examine la situation humanitaire à Tombouctou.\n".encode(),
    "junk": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
}
BITEXT_LINES = 30  # the first documents of the dev-set sample
TEXT_PATHS = ("a.txt", "b.txt", "mine/a.txt", "mine/z.txt", "z.txt")
BITEXT_STEMS = ("bi/sample", "mine/bi/sample", "sample")
QUERIES = (
    ("multilatéralisme", "fr"),
    ("résolue prévaloir", "fr"),
    ('"soixante-dixième"', "fr"),
    ("Tombouctou", "fr"),
    ("Conseil de sécurité", "fr"),
    ("多边主义", "zh"),
    ("推动严格遵循", "zh"),
    ("安全理事会", "zh"),
)


def _write(corpus: Path, path: str, content: str):
    if content == "bitext":
        for suffix in ("fr", "zh", "ids"):
            lines = (DATA / "unpc-sample" / f"sample.{suffix}").read_bytes().splitlines(keepends=True)
            target = corpus / f"{path}.{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"".join(lines[:BITEXT_LINES]))
    else:
        target = corpus / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(TEXTS[content])


def _delete(corpus: Path, path: str, content: str):
    for suffix in ("fr", "zh", "ids") if content == "bitext" else ("",):
        (corpus / (f"{path}.{suffix}" if suffix else path)).unlink()


def _apply(corpus: Path, state: dict[str, str], op: tuple) -> str | None:
    """Apply one operation to the corpus and its state; a description, or None where it does not apply."""
    kind, path, other, content = op
    paths = BITEXT_STEMS if state.get(path) == "bitext" or (kind == "add" and content == "bitext") else TEXT_PATHS
    if kind == "add":
        path = (BITEXT_STEMS if content == "bitext" else TEXT_PATHS)[other % 3 if content == "bitext" else other]
        if path in state:
            return None
        _write(corpus, path, content)
        state[path] = content
        return f"add {path} ({content})"
    if path not in state:
        return None
    if kind == "change":
        if state[path] == "bitext" or content == "bitext" or content == state[path]:
            return None
        _write(corpus, path, content)
        state[path] = content
        return f"change {path} to {content}"
    if kind == "delete":
        _delete(corpus, path, state.pop(path))
        return f"delete {path}"
    target = paths[other % len(paths)]
    if target in state:
        return None
    _write(corpus, target, state[path])
    state[target] = state[path]
    if kind == "move":
        _delete(corpus, path, state.pop(path))
    return f"{kind} {path} to {target}"


def _dump(index_dir: Path) -> dict:
    """The catalog's content, whatever the order it was written in and the keys paragraphs were given."""
    cat = Catalog(current_generation(index_dir) / CATALOG, readonly=True)
    try:
        rows = {
            table: sorted(tuple(r) for r in cat.db.execute(f"SELECT * FROM {table}"))
            for table in ("files", "skipped", "documents", "vocab")
        }
        rows["paragraphs"] = sorted(
            tuple(v for k, v in zip(r.keys(), r) if k != "key") for r in cat.db.execute("SELECT * FROM paragraphs")
        )
        # sentences and their alignment by paragraph id (keys differ), none left of paragraphs gone
        by_id = "JOIN paragraphs p ON p.key = s.paragraph"
        rows["segments"] = sorted(
            tuple(r) for r in cat.db.execute(f"SELECT p.id, s.seq, s.start, s.end FROM segments s {by_id}")
        )
        rows["segments_kept"] = (
            cat.db.execute(f"SELECT count(*) FROM segments s {by_id}").fetchone()[0]
            == (cat.db.execute("SELECT count(*) FROM segments").fetchone()[0])
        )
        rows["sentence_links"] = sorted(
            tuple(r)
            for r in cat.db.execute(
                f"SELECT p.id, s.seq, o.id, s.first, s.last, s.exact FROM sentence_links s {by_id} "
                "JOIN paragraphs o ON o.key = s.other"
            )
        )
        rows["pairs"] = sorted(
            (
                p.a,
                p.b,
                p.relation,
                p.method,
                sorted(p.detail.items()),
                [tuple(map(str, lk.values())) for lk in cat.links(p.id)],
            )
            for p in cat.pairs()
        )
        return rows
    finally:
        cat.close()


def _answers(cfg) -> dict:
    from server.search import SearchService

    svc = SearchService(cfg)
    try:
        out = {}
        for q, lang in QUERIES:
            found = svc.search(q, lang=lang, limit=100, marks=False)
            # the same paragraphs, counted alike; their order may differ where scores tie or nearly so, for an
            # engine counts the statistics of deleted paragraphs until it merges their segments away
            out[q] = (found["total"], sorted(h["id"] for h in found["hits"]), found["facets"])
        return out
    finally:
        svc.close()


OPS = st.lists(
    st.tuples(
        st.sampled_from(("add", "add", "change", "copy", "move", "delete")),
        st.sampled_from(TEXT_PATHS + BITEXT_STEMS),
        st.integers(0, len(TEXT_PATHS) - 1),
        st.sampled_from(tuple(TEXTS) + ("bitext",)),
    ),
    min_size=3,
    max_size=6,
)


def _start(corpus: Path) -> dict[str, str]:
    state = {"a.txt": "fr68", "z.txt": "zh67", "sample": "bitext"}
    for path, content in state.items():
        _write(corpus, path, content)
    return state


# each example is several real builds: a few examples, and no shrinking (the failure names its steps)
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=(Phase.explicit, Phase.generate),
)
@given(ops=OPS)
def test_incremental_builds_end_in_the_index_a_full_build_gives(small_config, ops):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        cfg = small_config.replace(corpus_dir=corpus, index_dir=Path(tmp) / "incremental")
        state = _start(corpus)
        build_index(cfg)
        done = []
        for op in ops:
            step = _apply(corpus, state, op)
            if step is None:
                continue
            done.append(step)
            report = build_index(cfg)
        if not done:
            return
        full_cfg = cfg.replace(index_dir=Path(tmp) / "full")
        full = build_index(full_cfg)
        assert _dump(cfg.index_dir) == _dump(full_cfg.index_dir), done
        assert report.skipped == full.skipped and report.stats == full.stats, done
        assert _answers(cfg) == _answers(full_cfg), done


def test_copies_then_moving_the_originals_out_index_the_copies(small_config, tmp_path):
    """The copies are skipped, naming the file indexed instead and why; once it goes, they are indexed."""
    corpus = tmp_path / "moved"
    cfg = small_config.replace(corpus_dir=corpus)
    _write(corpus, FR_SEED, "fr68")
    _write(corpus, ZH_SEED, "zh67")
    _write(corpus, f"mine/{FR_SEED}", "fr68-changed")
    _write(corpus, f"mine/{ZH_SEED}", "zh67")
    report = build_index(cfg)
    assert report.added == [FR_SEED, ZH_SEED]  # added counts only what was indexed
    reasons = dict(report.skipped)
    assert reasons[f"mine/{FR_SEED}"].startswith(
        f"duplicate document A/RES/68/38 (fr): {FR_SEED} holds it and is indexed (of the files holding one "
        "document, the first in path order is); this file is indexed when that one goes"
    )
    assert build_index(cfg).up_to_date

    out = tmp_path / "out"
    out.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.move(corpus / name, out / name)
    report = build_index(cfg)
    assert report.removed == [FR_SEED, ZH_SEED] and report.added == [f"mine/{FR_SEED}", f"mine/{ZH_SEED}"]
    assert report.skipped == [] and report.pairs_aligned == 1
    answers = _answers(cfg)
    assert answers["résolue prévaloir"][1] == ["fr-a-res-68-38.p4"]

    # an earlier path holding the document takes it over from the file indexed until then
    _write(corpus, FR_SEED, "fr68")
    report = build_index(cfg)
    assert report.added == [FR_SEED] and report.dropped == [f"mine/{FR_SEED}"]
    assert dict(report.skipped)[f"mine/{FR_SEED}"].startswith("duplicate document A/RES/68/38 (fr): " + FR_SEED)
    assert _answers(cfg)["résolue prévaloir"][1] == []
    full_cfg = cfg.replace(index_dir=tmp_path / "full")
    build_index(full_cfg)
    assert _dump(cfg.index_dir) == _dump(full_cfg.index_dir)
