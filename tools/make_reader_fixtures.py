"""Make the TMX and UN Parallel Corpus XML fixtures of tests/data/readers from the shipped corpus.

    python tools/make_reader_fixtures.py [--out tests/data/readers]

- seeds-export.tmx: the two seed resolutions (corpus/*.txt) indexed and written by `tandem export --format tmx`.
- unpc-devset.fr-zh.tmx.gz: the first 400 lines of the UNPC dev set (corpus/unpc-devset) in OPUS's TMX layout
  (header by Uplug, one <tu> per line, `fr` and `zh` <tuv>, no properties), gzip-compressed.
- unpc-xml/: two documents of the dev set rebuilt in the corpus's TEI XML from the .ids lines (paragraph and
  sentence numbers of each language as the ids give them; the sentences the dev set does not hold are absent),
  one with its XCES link file (one 1-1 link per dev-set line), one without.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "corpus" / "unpc-devset" / "UNv1.0.devset"
LINKED = "2015/npt/conf_2015/13"  # the dev set's documents: one read with its link file, one without
UNLINKED = "2015/e/2015/9/add_4"
OPUS_LINES = 400


def devset() -> list[tuple[str, dict[str, str], str, str]]:
    """(document path, {lang: "P:S"}, French line, Chinese line) of every dev-set line."""
    ids = Path(f"{DEVSET}.ids").read_text(encoding="utf-8").splitlines()
    fr = Path(f"{DEVSET}.fr").read_text(encoding="utf-8").splitlines()
    zh = Path(f"{DEVSET}.zh").read_text(encoding="utf-8").splitlines()
    rows = []
    for line, f, z in zip(ids, fr, zh, strict=True):
        doc, *places = line.split()
        rows.append((doc, dict(p.split(":", 1) for p in places), f, z))
    return rows


def export_tmx(out: Path):
    """The seeds indexed in a temporary folder and exported by the tandem command."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for seed in sorted((REPO / "corpus").glob("*.txt")):
            (corpus / seed.name).write_bytes(seed.read_bytes())
        tandem = [sys.executable, "-c", "from server.cli import cli; cli()"]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env_index = ["--index", str(Path(tmp) / "index")]
        subprocess.run(
            [*tandem, "index", "--corpus", str(corpus), *env_index, "--quiet"], check=True, cwd=REPO, env=env
        )
        subprocess.run(
            [*tandem, "export", "--format", "tmx", "--include-other-years", *env_index, "-o", str(out)],
            check=True,
            cwd=REPO,
            env=env,
        )


def opus_tmx(rows, out: Path):
    """Dev-set lines as OPUS writes its TMX files."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4">\n<header creationdate="" srclang="fr" '
        'adminlang="en" o-tmf="unknown" segtype="sentence" creationtool="Uplug" creationtoolversion="unknown" '
        'datatype="PlainText" />\n  <body>\n'
    ]
    for _, _, fr, zh in rows[:OPUS_LINES]:
        parts.append(
            f'    <tu>\n      <tuv xml:lang="fr"><seg>{escape(fr)}</seg></tuv>\n'
            f'      <tuv xml:lang="zh"><seg>{escape(zh)}</seg></tuv>\n    </tu>\n'
        )
    parts.append("  </body>\n</tmx>\n")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write("".join(parts).encode("utf-8"))


def symbol(doc: str) -> str:
    """The UN symbol of a dev-set document path ("2015/npt/conf_2015/13" -> "NPT/CONF.2015/13")."""
    from indexer.readers.bitext import ids_symbol

    return ids_symbol(doc.split("/", 1)[1])


def tei(doc: str, lang: str, sentences: dict[str, str]) -> str:
    """A document in the corpus's TEI layout: header with its symbol, body of <p> holding <s id="P:S">."""
    paragraphs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for place, text in sentences.items():
        p, s = place.split(":")
        paragraphs[int(p)].append((int(s), text))
    body = []
    for p in sorted(paragraphs):
        body.append(f'      <p id="{p}">')
        for s, text in sorted(paragraphs[p]):
            body.append(f'        <s id="{p}:{s}" lang="{lang}">{escape(text)}</s>')
        body.append("      </p>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI.2>\n  <teiHeader>\n    <fileDesc>\n      <publicationStmt>\n'
        f'        <idno type="symbol">{escape(symbol(doc))}</idno>\n'
        "        <publisher>United Nations</publisher>\n      </publicationStmt>\n    </fileDesc>\n"
        "  </teiHeader>\n  <text>\n    <body>\n" + "\n".join(body) + "\n    </body>\n  </text>\n</TEI.2>\n"
    )


def unpc_xml(rows, out: Path):
    """The two dev-set documents in TEI XML, the first with its link file."""
    for doc in (LINKED, UNLINKED):
        mine = [r for r in rows if r[0] == doc]
        for lang, column in (("fr", 2), ("zh", 3)):
            path = out / lang / f"{doc}.xml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(tei(doc, lang, {r[1][lang]: r[column] for r in mine}), encoding="utf-8")
    mine = [r for r in rows if r[0] == LINKED]
    links = "\n".join(
        f'    <link type="1-1" xtargets="{r[1]["fr"]};{r[1]["zh"]}"/>'
        for r in sorted(mine, key=lambda r: tuple(int(n) for n in r[1]["fr"].split(":")))
    )
    path = out / "fr-zh" / f"{LINKED}.lnk"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<cesAlign version="1.0">\n'
        f'  <linkGrp targType="s" fromDoc={quoteattr(f"fr/{LINKED}.xml")} toDoc={quoteattr(f"zh/{LINKED}.xml")}>\n'
        f"{links}\n  </linkGrp>\n</cesAlign>\n",
        encoding="utf-8",
    )


def main(argv=None):
    """Write every fixture into --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "readers")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = devset()
    export_tmx(args.out / "seeds-export.tmx")
    opus_tmx(rows, args.out / "unpc-devset.fr-zh.tmx.gz")
    unpc_xml(rows, args.out / "unpc-xml")
    print(f"fixtures written to {args.out}")


if __name__ == "__main__":
    main()
