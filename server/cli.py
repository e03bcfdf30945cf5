"""`tandem search` and `tandem serve`, added to the indexer's click group: the `tandem` command."""

from __future__ import annotations

import errno
import io
import json
import re
from contextlib import contextmanager

import click

from indexer.analysis import LANGUAGES
from indexer.cli import cli, get_config, index_option, verify_index
from indexer.engines.base import FACETS
from indexer.exports import LANG_TAGS

from . import check_cli, lookup_cli  # noqa: F401  (register `tandem check` and `tandem lookup`)

__all__ = ["cli"]

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _lang_option(help_text: str):
    """The --lang option of the commands that read a query or a term."""
    return click.option(
        "--lang", type=click.Choice(["auto", *LANGUAGES]), default="auto", show_default=True, help=help_text
    )


def _total_text(result: dict) -> str:
    """The number of matches as the page words it: "1 paragraph matches", "about 83,000 paragraphs match",
    "more than 10,000 paragraphs match" (those found before the time budget ran out)."""
    total, relation = result["total"], result["total_relation"]
    if relation == "about":
        return f"about {_rounded(total):,} paragraphs match"
    if relation == "gte":
        return f"more than {total:,} paragraphs match"
    return "1 paragraph matches" if total == 1 else f"{total:,} paragraphs match"


def _rounded(n: int) -> int:
    """An estimate to two significant digits (83,412 -> 83,000), as precise as it is."""
    step = 10 ** max(0, len(str(n)) - 2)
    return round(n / step) * step


def _terminal_highlight(html: str) -> str:
    from html import unescape

    return unescape(_MARK.sub(lambda m: click.style(m.group(1), bold=True, fg="yellow"), html))


_symbol_option = click.option("--symbol", help="Only this document symbol (comma-separated for several).")
_year_option = click.option("--year", help="A year (2013) or a range (2010-2015).")
_kind_option = click.option("--kind", help="title, preambular, operative, footnote or other (comma-separated).")
_other_years_option = click.option(
    "--include-other-years",
    is_flag=True,
    help="TMX and CSV: keep translations taken from another year's version of a document (left out by default).",
)
_lang_tags_option = click.option(
    "--lang-tags",
    type=click.Choice(LANG_TAGS),
    default="region",
    show_default=True,
    help="TMX xml:lang: with the region CAT tools expect (fr-FR, zh-CN), or bare (fr, zh).",
)
_excel_option = click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte order mark, for Excel.")


@cli.command()
@click.argument("query")
@_lang_option("Language searched; auto picks it from the query's script.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@_symbol_option
@_year_option
@_kind_option
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "tmx", "csv"]),
    default="text",
    show_default=True,
    help="json: the same JSON as the API; tmx, csv: the aligned pairs of the hits shown, for CAT tools.",
)
@click.option(
    "--exact-total",
    type=click.IntRange(0),
    help="Matches counted exactly (facets with them); past it, estimated. [default: exact_total of the config]",
)
@click.option(
    "--targets",
    help="Languages of the translations shown, comma-separated (zh,en); every other indexed language by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as the API (as --format json).")
@_other_years_option
@_lang_tags_option
@_excel_option
@index_option
@click.pass_context
def search(
    ctx,
    query,
    lang,
    limit,
    offset,
    symbol,
    year,
    kind,
    sort,
    fmt,
    exact_total,
    targets,
    as_json,
    include_other_years,
    lang_tags,
    excel,
    index_dir,
):
    """Search paragraphs; print each match highlighted beside its aligned translations.

    \b
    Query syntax: words (all must match), OR, NOT or -word, "exact phrase", prefix*, field:value
    (symbol:, kind:, year:, lang:, number:); lang:zh in the query sets the language searched.
    \b
    Example:
      tandem search "non-prolifération" --kind operative
      tandem search 多边主义 --json
      tandem search désarmement --limit 20 --format tmx
    """
    from .search import SearchService

    as_json = as_json or fmt == "json"
    cfg = get_config(ctx, index_dir=index_dir)
    cfg = cfg.replace(max_limit=max(cfg.max_limit, limit))
    service = SearchService(cfg)
    try:
        if fmt in ("tmx", "csv"):
            out = io.StringIO()
            count = service.export(
                out,
                fmt,
                query,
                lang=lang,
                limit=limit,
                offset=offset,
                symbol=symbol,
                year=year,
                kind=kind,
                sort=sort,
                include_other_years=include_other_years,
                lang_tags=lang_tags,
                excel=excel,
            )
            click.echo(out.getvalue(), nl=False)
            click.echo(_written(count, include_other_years), err=True)
            return
        result = service.search(
            query,
            lang=lang,
            limit=limit,
            offset=offset,
            symbol=symbol,
            year=year,
            kind=kind,
            sort=sort,
            facets=FACETS if as_json else (),
            exact_total=exact_total,
            targets=tuple(t.strip() for t in targets.split(",") if t.strip()) if targets else None,
        )
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{_total_text(result)} {query!r} ({result['lang']}, {result['took_ms']} ms)")
    if result["suggestion"]:
        click.echo(f"Did you mean: {result['suggestion']}")
    if result["notice"]:
        click.echo(result["notice"])
    for n, hit in enumerate(result["hits"], offset + 1):
        doc = hit["document"]
        label = " ".join(x for x in (hit["kind"], hit["number"] or "") if x)
        click.echo(
            click.style(f"\n{n}. {doc['symbol'] or doc['id']} [{hit['lang']}] {label}  score {hit['score']}", bold=True)
        )
        click.echo("   " + _terminal_highlight(hit["highlight"]))
        for tr in hit["translations"]:
            rel = tr["relation"]
            note = "" if rel["type"] == "same" else f"  ({rel['label']})"
            click.echo(
                click.style(
                    f"   → {tr['document']['symbol'] or tr['document']['id']} [{tr['lang']}] "
                    f"confidence {tr['confidence']}{note}",
                    dim=True,
                )
            )
            click.echo("     " + _terminal_highlight(tr["highlight"]))


@cli.command()
@click.argument("term")
@_lang_option("Language of the term; auto picks it from its script.")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True, help="Renderings shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/terms.")
@index_option
@click.pass_context
def terms(ctx, term, lang, limit, as_json, index_dir):
    """How a term is translated: its renderings in the aligned paragraph pairs, most frequent first.

    \b
    A term is a word or several ("désarmement nucléaire"); French words match in every form, as search
    matches them; a Chinese term where it is a word, not inside a longer one. Each rendering's pairs are
    counted by relation: the same document, or another year's version.
    \b
    Example:
      tandem terms "désarmement nucléaire"
      tandem terms 可持续发展 --limit 3 --json
    """
    from .search import SearchService

    service = SearchService(get_config(ctx, index_dir=index_dir))
    try:
        result = service.terms(term, lang=lang, limit=limit)
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    seen = result["pairs_by_relation"]
    click.echo(
        f"{result['query']} ({result['lang']} → {result['target']}): {result['paragraphs']} paragraphs, "
        f"{result['pairs_seen']} aligned pairs ({seen['same']} same document, {seen['other_year']} another "
        "year's version)"
    )
    if not result["renderings"]:
        click.echo("No rendering found.")
    labels = {"same": "same document", "other_year": "another year's version"}
    for r in result["renderings"]:
        pairs = f"{r['count']} pair{'s' if r['count'] != 1 else ''}"
        split = [f"{by['count']} {labels[rel]}" for rel, by in r["by_relation"].items() if by["count"]]
        note = f"  ({', '.join(split)})" if r["by_relation"]["other_year"]["count"] else ""
        click.echo(click.style(f"  {r['text']}", bold=True) + f"  {pairs}, {r['share']:.0%}{note}")
        example = r["examples"][0]
        click.echo(click.style(f"      {_shorten(example['text'])}", dim=True))
        click.echo(click.style(f"      → {_shorten(example['translation']['text'])}", dim=True))


@cli.command()
@index_option
@click.option("--format", "fmt", type=click.Choice(["tmx", "csv"]), default="tmx", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: standard output).",
)
@click.option("--query", help="Only the pairs of this query's hits (the query syntax of tandem search).")
@_lang_option("Language of --query; auto picks it from its script.")
@_symbol_option
@_year_option
@_kind_option
@_other_years_option
@_lang_tags_option
@_excel_option
@click.pass_context
def export(ctx, index_dir, fmt, output, query, lang, symbol, year, kind, include_other_years, lang_tags, excel):
    """Export the aligned paragraph pairs of the index as TMX 1.4b or CSV, for CAT tools.

    Every pair of the same document, or only those of the given documents, years, kinds or query; translations
    taken from another year's version of a document only with --include-other-years.

    \b
    Example:
      tandem export --format tmx -o un-fr-zh.tmx
      tandem export --format csv --excel --symbol A/RES/68/38 -o a-res-68-38.csv
      tandem export --query "désarmement nucléaire" --year 2013 --lang-tags bare
    """
    from .search import SearchService

    service = SearchService(get_config(ctx, index_dir=index_dir))
    try:
        count = service.export(
            output,
            fmt,
            query,
            lang=lang,
            symbol=symbol,
            year=year,
            kind=kind,
            include_other_years=include_other_years,
            lang_tags=lang_tags,
            excel=excel,
        )
    finally:
        service.close()
    click.echo(_written(count, include_other_years), err=True)


def _written(count: int, include_other_years: bool) -> str:
    """What an export says it wrote; with nothing written, where other years' translations went."""
    if count or include_other_years:
        return f"{count} aligned pairs written"
    return "0 aligned pairs written (translations from another year's version are left out: --include-other-years)"


def _shorten(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@click.option("--host", help="Address to listen on (overrides config.toml).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (overrides config.toml).")
@click.option("--threads", type=click.IntRange(1, 256), help="Worker threads.")
@click.option("--url-prefix", help="Path the app is mounted under behind a reverse proxy, e.g. /tandem.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (Whoosh searches hold the GIL: one per core).",
)
@click.option(
    "--remote-shard",
    "remote_shards",
    multiple=True,
    metavar="HOST:PORT",
    help="A Xapian shard served by xapian-tcpsrv (repeat for each); the index folder then holds "
    "only the catalog that is read.",
)
@click.option("--verify", "check_files", is_flag=True, help="Check the index files' checksums before serving.")
@index_option
@click.pass_context
def serve(ctx, host, port, threads, url_prefix, workers, remote_shards, check_files, index_dir):
    """Serve the search API and page with waitress (a production WSGI server).

    \b
    Example:
      tandem serve --host 127.0.0.1 --port 8000 --workers 2
      tandem serve --remote-shard 10.0.0.5:7001 --remote-shard 10.0.0.6:7001
    """
    import logging

    from .app import create_app
    from .serving import create_server, is_loopback, serve_processes

    cfg = get_config(
        ctx,
        host=host,
        port=port,
        threads=threads,
        url_prefix=url_prefix,
        index_dir=index_dir,
        remote_shards=remote_shards or None,
    )
    if check_files:
        verify_index(cfg.index_dir)
    if not is_loopback(cfg.host):
        click.echo(
            f"warning: listening on {cfg.host}: the API is open to the network, with no authentication; "
            "use 127.0.0.1 behind a reverse proxy unless that is intended",
            err=True,
        )
    logging.basicConfig()  # waitress logs its queue warnings and errors

    def make_server(sock=None):
        return create_server(
            create_app(cfg),
            cfg.host,
            cfg.port,
            cfg.threads,
            cfg.max_request_bytes,
            url_prefix=cfg.url_prefix,
            sock=sock,
            max_connections=cfg.max_connections,
            idle_seconds=cfg.idle_seconds,
            ident="tandem",
            clear_untrusted_proxy_headers=True,
        )

    where = f"http://{cfg.host}:{cfg.port}{cfg.url_prefix}/"
    with _port_free(cfg.host, cfg.port):
        if workers > 1:

            def announce():
                click.echo(f"tandem serving {cfg.index_dir} on {where} with {workers} processes", err=True)
                click.echo(origins_line(cfg.cors_origins), err=True)

            serve_processes(make_server, cfg.host, cfg.port, workers, announce)
            return
        server = make_server()
    click.echo(f"tandem serving {cfg.index_dir} on {where}", err=True)
    click.echo(origins_line(cfg.cors_origins), err=True)
    server.run()


def origins_line(origins) -> str:
    """What `tandem serve` says at start about the pages of other sites that may call the API."""
    if "*" in origins:
        return 'cross-origin requests allowed from any origin (cors_origins = ["*"])'
    if origins:
        return "cross-origin requests (widgets on other sites) allowed from: " + ", ".join(origins)
    return (
        "cross-origin requests allowed from no other site (cors_origins = []): a widget embedded elsewhere "
        "needs its page's origin in [server] cors_origins of config.toml"
    )


@contextmanager
def _port_free(host: str, port: int):
    """Turn a port already taken into a one-line error naming it and the flag that picks another."""
    try:
        yield
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise click.ClickException(
            f"port {port} on {host} is already in use: stop what is listening there or choose another port "
            "with --port (make run PORT=8001)"
        ) from None


def main():  # pragma: no cover - console entry point
    """Run the tandem command line."""
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
