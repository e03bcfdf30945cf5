"""`tandem check`: the numbers, symbols and dates that differ between a document's aligned paragraphs, as
text or as the API's JSON."""

from __future__ import annotations

import json

import click

from indexer.analysis import LANGUAGES
from indexer.cli import cli, get_config, index_option


@cli.command()
@click.argument("symbol")
@index_option
@click.option(
    "--width",
    type=click.IntRange(40, 10_000),
    default=160,
    show_default=True,
    help="Characters of each paragraph shown.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/documents/<symbol>/check.")
@click.pass_context
def check(ctx, symbol, index_dir, width, as_json):
    """Numbers, symbols and dates that differ between a document's aligned French and Chinese paragraphs.

    For a translation of the same document this is a translation check; for a translation taken from another
    year's version, it lists what must be updated before last year's text is reused.

    \b
    Example:
      tandem check A/RES/68/38
      tandem check A/RES/68/38 --json
    """
    from indexer.checks import check_document
    from indexer.store import open_index

    cfg = get_config(ctx, index_dir=index_dir)
    if as_json:
        from .search import SearchService

        service = SearchService(cfg)
        try:
            click.echo(json.dumps(service.check(symbol), ensure_ascii=False, indent=2))
        finally:
            service.close()
        return
    opened = open_index(cfg.index_dir)
    try:
        docs, compared, checks = check_document(opened.catalog, symbol)
        names = {d: opened.catalog.document(d) for c in checks for d in (c.pair.a, c.pair.b)}
    finally:
        opened.close()
    mine = {d["id"] for d in docs}
    click.echo(
        f"{docs[0]['symbol'] or symbol}: {len(checks)} of {compared} aligned paragraph pairs differ "
        "in numbers, symbols or dates"
    )
    heading = None
    for c in checks:
        here, there = (c.pair.a, c.pair.b) if c.pair.a in mine else (c.pair.b, c.pair.a)
        doc = names[there]
        title = (
            f"against {doc['symbol']} ({doc['year']}), the same document"
            if c.pair.relation == "same"
            else f"against {doc['symbol']} ({doc['year']}), another year's version: update before reuse"
        )
        if title != heading:
            click.echo(f"\n{title}")
            heading = title
        click.echo(f"\n  {'  /  '.join(side[0]['id'] for side in c.sides.values())}")
        width_name = max(len(LANGUAGES[lang].name) for lang in c.sides) + 1
        for lang, only in c.differences.only.items():
            click.echo(f"    only in {LANGUAGES[lang].name + ':':<{width_name}} {', '.join(only) or '-'}")
        for lang, side in c.sides.items():
            text = " ".join(p["text"] for p in side)
            click.echo(f"    {lang}: {_excerpt(text, lang, c.differences.only[lang], width)}")


def _excerpt(text: str, lang: str, wanted: list[str], width: int) -> str:
    """Up to `width` characters of a paragraph around the first of the values it alone holds, shown bold."""
    import unicodedata

    from indexer.checks import values

    text = unicodedata.normalize("NFC", text).replace("\n", " ")  # value offsets are those of the NFC text
    spans = [(v.start, v.end) for v in values(text, lang) if v.shown in wanted]
    start = max(0, min(spans[0][0] - width // 3, len(text) - width)) if spans else 0
    end = min(len(text), start + width)
    out, at = [], start
    for a, b in spans:
        if a >= at and b <= end:
            out += [text[at:a], click.style(text[a:b], bold=True)]
            at = b
    out.append(text[at:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
