"""Every example of the README's code blocks and of each command's --help is run, so none can drift.

`tandem` examples run through click's CliRunner in a scratch folder holding `corpus/` and a config.toml
pointing at the session's index (builds write their own index there); synopses (`tandem search QUERY
[--lang fr|zh|auto] …`) have each flag and choice checked against the command; `tandem serve` examples are
parsed, not served; `make` lines are dry-run with `make -n`; benchmark lines have their flags checked
against the script's --help.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from indexer.config import load_config
from server.cli import cli

from .conftest import DATA, FR_SEED, ZH_SEED

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
NOT_RUN = {"serve"}  # a server does not return: its examples are parsed only
BUILDS = {"index"}  # examples that build an index: into the scratch folder, never the session's index


def readme_lines() -> list[str]:
    """The command lines of the README's shell blocks, comments and blank lines left out."""
    lines = []
    for lang, body in _BLOCK.findall(README.read_text(encoding="utf-8")):
        if lang not in ("sh", ""):
            continue
        for line in body.splitlines():
            line = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def help_examples() -> list[str]:
    """The example lines of the group's and every command's --help."""
    out = []
    for name in [None, *sorted(cli.commands)]:
        result = CliRunner().invoke(cli, ([name] if name else []) + ["--help"])
        text = result.output.split("Example:", 1)[1] if "Example:" in result.output else ""
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("tandem "):
                if line and not line.startswith("tandem"):
                    break
                continue
            out += [part.strip() for part in line.split("&&")]
    return out


def tandem_args(line: str) -> list[str]:
    """A tandem example's arguments, output redirection left out."""
    return shlex.split(line.split(" > ")[0])[1:]


def check_synopsis(line: str):
    """Each flag of a synopsis line exists on its command, with the choices it lists."""
    words = line.split()
    command = cli.commands[words[1]]
    options = {opt: p for p in command.params for opt in p.opts + p.secondary_opts}
    for i, word in enumerate(words):
        flag = word.strip("[]")
        if not flag.startswith("-"):
            continue
        assert flag in options, f"{line}: {words[1]} has no {flag}"
        value = words[i + 1].strip("[]") if i + 1 < len(words) else ""
        param = options[flag]
        if isinstance(param.type, click.Choice) and "|" in value:
            assert set(value.split("|")) <= set(param.type.choices), f"{line}: {flag} takes {param.type.choices}"


def make_scratch(root: Path, index_dir: Path | None) -> Path:
    """A working folder: corpus/ (the two seeds and the dev-set sample), build.toml building into the folder,
    and config.toml using `index_dir` (the session's index)."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    shutil.copytree(DATA / "unpc-sample", corpus / "unpc")
    (root / "build.toml").write_text('[index]\nindex_dir = "built/index"\n', encoding="utf-8")
    (root / "config.toml").write_text(f'[index]\nindex_dir = "{index_dir or "built/index"}"\n', encoding="utf-8")
    return root


@pytest.fixture()
def scratch(tmp_path, shipped_index):
    """A working folder whose config.toml uses the session's index."""
    return make_scratch(tmp_path, shipped_index[0].index_dir)


def run_tandem(line: str, scratch: Path, monkeypatch, builds: bool = False):
    """Run one tandem example in the scratch folder; it must succeed. Examples that build an index run only
    when `builds` is true, the others only when it is false."""
    args = tandem_args(line)
    command = cli.commands[args[0]]
    if (args[0] in BUILDS) != builds:
        return
    if args[0] in NOT_RUN:
        with command.make_context(args[0], args[1:]) as ctx:  # parses: flags, choices, arguments
            assert ctx.params
        return
    monkeypatch.chdir(scratch)
    config = ["--config", str(scratch / ("build.toml" if args[0] in BUILDS else "config.toml"))]
    result = CliRunner().invoke(cli, config + args)
    assert result.exit_code == 0, f"{line}\n{result.output}"
    if " > " in line:  # a redirection: what was printed is what the example keeps
        assert result.stdout.strip(), line


def test_the_readme_and_the_help_hold_examples():
    lines = readme_lines()
    assert "tandem check SYMBOL [--json]" in " ".join(lines)
    assert any(line.startswith("make run PORT=") for line in lines)
    assert len(help_examples()) >= len(cli.commands)


def test_the_examples_that_build_an_index_run(tmp_path, monkeypatch):
    scratch = make_scratch(tmp_path, None)
    lines = [line for line in readme_lines() + help_examples() if line.startswith("tandem ") and "[" not in line]
    for line in lines:
        run_tandem(line, scratch, monkeypatch, builds=True)
    assert (scratch / "var" / "index" / "current").exists() and (scratch / "built" / "index" / "current").exists()


def test_every_readme_example_runs(scratch, monkeypatch):
    for lang, body in _BLOCK.findall(README.read_text(encoding="utf-8")):
        if lang == "toml":  # settings shown: a config.toml holding them loads
            (scratch / "shown.toml").write_text(body, encoding="utf-8")
            load_config(scratch / "shown.toml")
    for line in readme_lines():
        head = line.split()[0]
        if head == "tandem" and "[" in line:
            check_synopsis(line)
        elif head == "tandem":
            run_tandem(line, scratch, monkeypatch)
        elif head == "make":
            dry = subprocess.run(["make", "-n", *shlex.split(line)[1:]], cwd=REPO, capture_output=True, text=True)
            assert dry.returncode == 0, f"{line}: {dry.stderr}"
        elif head.endswith("/python"):
            script, *flags = shlex.split(line)[1:]
            shown = subprocess.run([sys.executable, script, "--help"], cwd=REPO, capture_output=True, text=True)
            assert shown.returncode == 0, f"{line}: {shown.stderr}"
            for flag in flags:
                assert not flag.startswith("--") or flag in shown.stdout, f"{line}: {script} has no {flag}"
        else:
            assert head == "xapian-tcpsrv", f"an example the tests do not know how to check: {line}"


def test_every_help_example_runs(scratch, monkeypatch):
    for line in help_examples():
        run_tandem(line, scratch, monkeypatch)
