"""`tandem lookup`: has this segment been translated before? The stored segments most similar to a text with
their match scores, differences and translations; a document's segments analysed as CAT tools do."""

from __future__ import annotations

import json
import re
import sys
from html import unescape

import click

from indexer.analysis import LANGUAGES, detect_lang
from indexer.cli import cli, get_config, index_option

_DEL = re.compile(r"<del>(.*?)</del>", re.S)
_INS = re.compile(r"<ins>(.*?)</ins>", re.S)


def _terminal(diff: str) -> str:
    """A diff's marks as the terminal shows them: [-deleted-] in red, {+inserted+} in green."""
    diff = _DEL.sub(lambda m: click.style(f"[-{m.group(1)}-]", fg="red"), diff)
    diff = _INS.sub(lambda m: click.style(f"{{+{m.group(1)}+}}", fg="green"), diff)
    return unescape(diff)


def _tsv(*cells) -> str:
    return "\t".join("" if c is None else " ".join(str(c).split()) for c in cells)


def _first_translation(match: dict | None) -> tuple[str, str]:
    if not match or not match["translations"]:
        return "", ""
    t = match["translations"][0]
    return t["text"], t["relation"]["type"]


def _print_matches(answer: dict, as_tsv: bool, index: int) -> None:
    if as_tsv:
        for m in answer["matches"]:
            translation, relation = _first_translation(m)
            click.echo(
                _tsv(
                    index,
                    answer["text"],
                    m["match"],
                    m["document"]["symbol"],
                    m["id"],
                    m["segment"]["text"],
                    translation,
                    relation,
                )
            )
        return
    click.echo(f"{answer['text']}\n  {len(answer['matches'])} match(es) of at least {answer['min_score']}%")
    for run in answer.get("subsegments") or []:  # nothing matched well: parts of the text found elsewhere
        found = run["found"]
        click.echo(f"\n  found elsewhere ({run['words']} words): «{run['text']}»  in {found['id']}")
        for t in found["translations"]:
            marked = t["highlight"].replace("<mark>", "<ins>").replace("</mark>", "</ins>")
            click.echo(f"        {t['lang']}: {_terminal(marked)}")
    for m in answer["matches"]:
        click.echo(f"\n  {m['match']:>3}%  {m['document']['symbol'] or m['document']['id']}  {m['id']} ({m['kind']})")
        click.echo(f"        {_terminal(m['highlight'])}")
        numbers = m["numbers"]
        if numbers["only_stored"] or numbers["only_text"]:
            click.echo(
                f"        numbers differ: stored {', '.join(numbers['only_stored']) or '-'}; "
                f"asked {', '.join(numbers['only_text']) or '-'}"
            )
        for t in m["translations"]:
            click.echo(f"        {t['lang']}: {t['text']}")
            if t["relation"]["type"] != "same":
                click.echo(f"            ({t['relation']['label']})")


def _print_analysis(result: dict, as_tsv: bool) -> None:
    if as_tsv:
        for i, row in enumerate(result["segments"]):
            best = row["best"]
            translation, relation = _first_translation(best)
            click.echo(
                _tsv(
                    i,
                    row["text"],
                    row["words"],
                    row["match"],
                    row["band"],
                    best and best["document"]["symbol"],
                    best and best["segment"]["text"],
                    translation,
                    relation,
                )
            )
        return
    for row in result["segments"]:
        best = row["best"]
        shown = f"{row['match']:>3}%" if best else "  - "
        where = f"  {best['document']['symbol'] or best['document']['id']}" if best else ""
        click.echo(f"{shown}{where}  {row['text'][:100]}")
    bands = result["analysis"]["bands"]
    click.echo(f"\nanalysis: {result['analysis']['segments']} segments")
    for label, counts in bands.items():
        click.echo(f"  {label:>9}: {counts['segments']:>5} segments {counts['words']:>7} words")


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--lang", type=click.Choice(["auto", *LANGUAGES]), default="auto", show_default=True, help="Language of the text."
)
@click.option("--min-score", type=click.IntRange(0, 100), default=70, show_default=True, help="Lowest match score.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Matches per segment.")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="A document to analyse: each segment's best match, and the counts by band (100%, 95-99%, 85-94%, "
    "75-84%, no match).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as POST /api/lookup.")
@click.option("--tsv", "as_tsv", is_flag=True, help="One tab-separated row per match.")
@index_option
@click.pass_context
def lookup(ctx, text, lang, min_score, limit, path, as_json, as_tsv, index_dir):
    """Look up a segment in the translation memory the index holds: the most similar stored segments with
    their match scores, the words that differ ([-stored-]{+asked+}), numbers that differ and translations.

    TEXT - reads segments from standard input, one a line. The score: word edit distance on the analysed
    forms (characters for Chinese), a point off for punctuation and tags that differ (README).

    \b
    Example:
      tandem lookup "69/38. Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération"
      tandem lookup "决心促进严格遵循《联合国宪章》所载宗旨和原则" --json
      tandem lookup --file corpus/000_0156113a91954281.txt --tsv
    """
    from .lookup import document_segments, lookup_batch
    from .lookup import lookup as look_up
    from .search import SearchService

    if as_json and as_tsv:
        raise click.UsageError("--json and --tsv exclude each other")
    if (text is None) == (path is None):
        raise click.UsageError("give a TEXT (or - for standard input) or --file, one of them")
    service = SearchService(get_config(ctx, index_dir=index_dir))
    try:
        if path is not None:
            with open(path, encoding="utf-8", errors="replace") as f:
                content = f.read()
            doc_lang = detect_lang(content, service.languages) if lang == "auto" else lang
            result = lookup_batch(service, document_segments(content, doc_lang), doc_lang, min_score)
            if as_json:
                click.echo(json.dumps(result, ensure_ascii=False, indent=2))
            else:
                _print_analysis(result, as_tsv)
            return
        segments = [line for line in sys.stdin.read().splitlines() if line.strip()] if text == "-" else [text]
        answers = [look_up(service, segment, lang, min_score, limit) for segment in segments]
        if as_json:
            click.echo(json.dumps(answers if text == "-" else answers[0], ensure_ascii=False, indent=2))
            return
        for i, answer in enumerate(answers):
            _print_matches(answer, as_tsv, i)
    finally:
        service.close()
