"""The `tandem` command line: a thin layer over the library, one example in every command's help."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .config import Config, load_config
from .errors import TandemError


class TandemGroup(click.Group):
    """A click group that turns TandemError into a one-line click error (exit status 1)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TandemError as exc:
            raise click.ClickException(exc.message) from None


@click.group(cls=TandemGroup)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="TANDEM_CONFIG",
    help="config.toml to use (default: ./config.toml).",
)
@click.version_option(package_name="tandem")
@click.pass_context
def cli(ctx, config_path):
    """tandem: search UN documents in their official languages (French and Chinese by default), side by side.

    \b
    Example:
      tandem index && tandem search "désarmement nucléaire"
    """
    ctx.obj = {"config_path": config_path}


def get_config(ctx, **overrides) -> Config:
    """The command's settings: config.toml, then the command's flags."""
    try:
        return load_config(ctx.find_root().obj["config_path"], **overrides)
    except TandemError as exc:
        raise click.ClickException(exc.message) from None


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Index folder (overrides config.toml).",
)


def _json_out(data):
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class _Bar:
    """Progress on stderr: one click progress bar per build phase."""

    def __init__(self):
        self.phase, self.bar, self.done = None, None, 0

    def __call__(self, phase, done, total):
        if phase != self.phase:
            self.close()
            self.phase, self.done = phase, 0
            self.bar = click.progressbar(
                length=max(total, 1), label=f"{phase:<14}", file=sys.stderr, show_pos=True, width=30
            )
            self.bar.__enter__()
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# What each build phase counts, for progress lines.
PHASE_UNITS = {
    "hashing": "files",
    "opening": "files",
    "reading": "files",
    "writing": "paragraphs",
    "aligning": "documents",
}
PROGRESS_EVERY = 5.0  # seconds between progress lines when the output is not a terminal


class _Lines:
    """Progress on stderr as lines, for output that is not a terminal (a log, a pipe, CI): each phase's
    count, share and rate as it starts, every PROGRESS_EVERY seconds, and once when it ends."""

    def __init__(self, every: float = PROGRESS_EVERY, clock=time.monotonic):
        self.every, self.clock = every, clock
        self.phase, self.done, self.total = None, 0, 0
        self.started = self.shown = 0.0

    def __call__(self, phase, done, total):
        now = self.clock()
        starting = phase != self.phase
        if starting:
            self.close()
            self.phase, self.started, self.shown = phase, now, now
        self.done, self.total = done, total
        if starting or now - self.shown >= self.every:  # a line as each phase starts, then every few seconds
            self._line(now)

    def _line(self, now: float, end: str = ""):
        self.shown = now
        elapsed = now - self.started
        unit = PHASE_UNITS.get(self.phase, "steps")
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        per_second = self.done / elapsed if elapsed > 0 else 0
        rate = f", {per_second:,.{0 if per_second >= 10 else 1}f} {unit}/s" if elapsed >= 1 else ""  # else noise
        click.echo(f"{self.phase}: {self.done:,} of {self.total:,} {unit}{share}{rate}, {elapsed:.0f} s{end}", err=True)

    def close(self):
        if self.phase is not None:
            self._line(self.clock(), ", done")
            self.phase = None


def _progress(quiet: bool):
    """The build's progress display: none, a bar on a terminal, lines elsewhere."""
    if quiet:
        return None
    return _Bar() if sys.stderr.isatty() else _Lines()


@cli.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Corpus folder (overrides config.toml).",
)
@index_option
@click.option("--full", is_flag=True, help="Rebuild everything instead of updating changed files only.")
@click.option("--workers", type=click.IntRange(1, 64), help="Segmentation processes.")
@click.option("--engine", type=click.Choice(["whoosh", "xapian"]), help="Full-text engine (overrides config.toml).")
@click.option("--shards", type=click.IntRange(1, 1024), help="Xapian: split the index by document into N shards.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--quiet",
    is_flag=True,
    help="No progress (a bar on a terminal, else a line every few seconds with counts and rates).",
)
@click.pass_context
def index(ctx, corpus_dir, index_dir, full, workers, engine, shards, as_json, quiet):
    """Index the corpus folder into a new index generation, swapped in atomically.

    Unchanged files are not analysed again; changed, added or removed files update their own documents.

    \b
    Example:
      tandem index --corpus corpus/ --index var/index
      tandem index --engine xapian --shards 2
    """
    from .build import build_index

    cfg = get_config(ctx, corpus_dir=corpus_dir, index_dir=index_dir, workers=workers, engine=engine, shards=shards)
    shown = _progress(quiet)
    try:
        report = build_index(cfg, full=full, progress=shown or (lambda *a: None))
    finally:
        if shown is not None:
            shown.close()
    if as_json:
        _json_out(report.as_dict())
        return
    state = "already up to date" if report.up_to_date else f"built {report.generation}"
    click.echo(f"Index {cfg.index_dir} {state} from {cfg.corpus_dir} in {report.seconds:.1f} s")
    for row in report.stats:
        click.echo(f"  {row['lang']}: {row['documents']} documents, {row['paragraphs']} paragraphs")
    if not report.stats:
        click.echo(
            "  nothing indexed: no file of the corpus holds a document tandem can read"
            + (" (the skipped files below say why)" if report.skipped else "")
        )
    dropped = f"{len(report.dropped)} no longer indexed, " if report.dropped else ""
    click.echo(
        f"  files: {len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{dropped}{report.unchanged} unchanged; {report.analysed_paragraphs} paragraphs analysed; "
        f"{report.pairs_aligned} document pairs aligned"
    )
    if report.skipped:
        click.echo(f"  skipped {len(report.skipped)} file(s):")
        for key, reason in report.skipped:
            click.echo(f"    {key}: {reason}")
    if report.passed_over:
        click.echo(f"  read in part {len(report.passed_over)} file(s):")
        for key, reason in report.passed_over:
            click.echo(f"    {key}: {reason}")


@cli.command()
@index_option
@click.pass_context
def verify(ctx, index_dir):
    """Check every file of the live index generation against the checksums written when it was built.

    Exits with status 1, naming the generation and each damaged file, when one is missing, of another size
    or differs in content.

    \b
    Example:
      tandem verify
    """
    verify_index(get_config(ctx, index_dir=index_dir).index_dir)


def verify_index(index_dir: Path) -> None:
    """Verify the live generation of an index folder, saying so; a TandemError naming what is damaged."""
    from .errors import IndexMissing
    from .integrity import raise_if_damaged
    from .integrity import verify as verify_files
    from .store import current_generation

    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}: run `tandem index` first")
    problems = verify_files(gen)
    for problem in problems:
        click.echo(f"{gen.name}: {problem}", err=True)
    raise_if_damaged(gen, problems)
    click.echo(f"index generation {gen.name} in {index_dir}: every file matches its checksum", err=True)


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def documents(ctx, index_dir, as_json):
    """List indexed documents: symbol, language, date, title, paragraph counts.

    \b
    Example:
      tandem documents --json
    """
    from .store import open_index

    cfg = get_config(ctx, index_dir=index_dir)
    opened = open_index(cfg.index_dir)
    try:
        rows = opened.catalog.documents()
    finally:
        opened.close()
    if as_json:
        _json_out([{k: r[k] for k in ("id", "symbol", "lang", "date", "title", "paragraphs", "source")} for r in rows])
        return
    for r in rows:
        title = (r["title"] or "")[:60]
        click.echo(
            f"{r['symbol'] or r['source']:<24} {r['lang']:<3} {r['date'] or '':<10} {r['paragraphs']:>5}  {title}"
        )
    click.echo(f"{len(rows)} documents", err=True)


@cli.command()
@click.argument("file_a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file_b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "tsv", "tmx"]), default="json", show_default=True)
@click.pass_context
def align(ctx, file_a, file_b, fmt):
    """Align the paragraphs of two UN documents (one French, one Chinese), without any index.

    \b
    Example:
      tandem align corpus/000_0156113a91954281.txt corpus/002_9173574a0d462b55.txt --format tmx
    """
    from .formats import align_files, alignment_tmx, alignment_tsv

    cfg = get_config(ctx)
    result = align_files(file_a, file_b, cfg.languages)
    if fmt == "json":
        _json_out(result)
    else:
        click.echo((alignment_tsv if fmt == "tsv" else alignment_tmx)(result), nl=False)
