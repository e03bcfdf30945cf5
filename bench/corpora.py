"""Benchmark corpora: N paragraphs made by recombining real sentences of the UN Parallel Corpus dev set,
so that word frequencies stay those of real UN text. Written as a line-parallel bitext with ids."""

from __future__ import annotations

import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "corpus" / "unpc-devset"
OUT = Path(__file__).resolve().parent / "out"
ENGINES = ("whoosh", "xapian")


def engine_tag(engine: str, shards: int = 1) -> str:
    """A short name for an engine setting: "whoosh", "xapian", "xapian-4s"."""
    return engine if shards == 1 else f"{engine}-{shards}s"


def index_folder(size: int, engine: str, shards: int = 1) -> Path:
    """Where the benchmark index of `size` paragraphs built with an engine lives."""
    return OUT / f"index-{engine_tag(engine, shards)}-{size}"


def write_config(engine: str, shards: int = 1, writer_procs: int = 2, writer_mb: int = 128) -> Path:
    """A config file for `tandem index` with these engine settings (pass it as TANDEM_CONFIG)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench-{engine_tag(engine, shards)}.toml"
    path.write_text(
        f'[index]\nengine = "{engine}"\nshards = {shards}\nwriter_procs = {writer_procs}\n'
        f"writer_memory_mb = {writer_mb}\n",
        encoding="utf-8",
    )
    return path


def build(corpus: Path, index: Path, engine: str, shards: int = 1) -> None:
    """Index a benchmark corpus with `tandem index` in a process of its own, with an engine's settings."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, TANDEM_CONFIG=str(write_config(engine, shards)))
    subprocess.run(
        [sys.executable, "-m", "server.cli", "index", "--quiet", "--corpus", str(corpus), "--index", str(index)],
        check=True,
        cwd=REPO,
        env=env,
    )


def load_devset() -> tuple[list[str], list[str]]:
    """The dev set's French and Chinese lines (line n of one translates line n of the other)."""
    fr = (DEVSET / "UNv1.0.devset.fr").read_text(encoding="utf-8").splitlines()
    zh = (DEVSET / "UNv1.0.devset.zh").read_text(encoding="utf-8").splitlines()
    assert len(fr) == len(zh)
    return fr, zh


def make_corpus(folder: Path, paragraphs: int, seed: int = 7, per_doc: int = 40, per_file: int = 100_000) -> dict:
    """Write `paragraphs` paragraphs (half French, half Chinese, aligned) of 1-4 random sentences each,
    grouped into documents of `per_doc` paragraph pairs, in bitext files of `per_file` pairs; returns counts."""
    fr, zh = load_devset()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("bench*"):
        old.unlink()
    pairs = paragraphs // 2
    chars = 0
    for start in range(0, pairs, per_file):
        chars += _write_part(
            folder / f"bench-{start // per_file:03d}", fr, zh, rng, start, min(pairs, start + per_file), per_doc
        )
    return {"paragraphs": pairs * 2, "chars": chars, "documents": 2 * ((pairs + per_doc - 1) // per_doc)}


def _write_part(stem: Path, fr, zh, rng, start: int, end: int, per_doc: int) -> int:
    chars = 0
    with (
        open(stem.with_suffix(".fr"), "w", encoding="utf-8") as f_fr,
        open(stem.with_suffix(".zh"), "w", encoding="utf-8") as f_zh,
        open(stem.with_suffix(".ids"), "w", encoding="utf-8") as f_ids,
    ):
        for i in range(start, end):
            picks = [rng.randrange(len(fr)) for _ in range(rng.randint(1, 4))]
            line_fr = " ".join(fr[j] for j in picks)
            line_zh = "".join(zh[j] for j in picks)
            chars += len(line_fr) + len(line_zh)
            f_fr.write(line_fr + "\n")
            f_zh.write(line_zh + "\n")
            doc = i // per_doc
            f_ids.write(f"{2000 + doc % 16}/a/bench/{doc} fr:{i % per_doc + 1}:1 zh:{i % per_doc + 1}:1\n")
    return chars


def make_tmx(path: Path, units: int, seed: int = 7, per_doc: int = 40, compress: bool = False) -> dict:
    """Write a TMX 1.4b of `units` French-Chinese units made as make_corpus makes its paragraph pairs (1-4
    random dev-set sentences each), `per_doc` units a document named by a property; returns counts."""
    import gzip
    from xml.sax.saxutils import escape

    fr, zh = load_devset()
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if compress else open
    chars = 0
    with opener(path, "wt", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="fr"/>\n<body>\n')
        for i in range(units):
            picks = [rng.randrange(len(fr)) for _ in range(rng.randint(1, 4))]
            line_fr, line_zh = " ".join(fr[j] for j in picks), "".join(zh[j] for j in picks)
            chars += len(line_fr) + len(line_zh)
            out.write(
                f'<tu><prop type="x-document">A/BENCH/{i // per_doc}</prop>'
                f'<tuv xml:lang="fr-FR"><seg>{escape(line_fr)}</seg></tuv>'
                f'<tuv xml:lang="zh-CN"><seg>{escape(line_zh)}</seg></tuv></tu>\n'
            )
        out.write("</body>\n</tmx>\n")
    return {"units": units, "chars": chars, "bytes": path.stat().st_size}
