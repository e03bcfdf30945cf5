"""`tandem serve` as a user starts it: a port already taken is a one-line error, the allowed origins are said
at start, and `make run PORT=…` reaches the flag. Real sockets on loopback, a real `tandem serve` process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def taken_port():
    """A loopback port something else is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_a_one_line_error_naming_it_and_the_flag(shipped_index, taken_port, workers):
    cfg, _ = shipped_index
    result = CliRunner().invoke(
        cli, ["serve", "--port", str(taken_port), "--workers", workers, "--index", str(cfg.index_dir)]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert lines == [
        f"Error: port {taken_port} on 127.0.0.1 is already in use: stop what is listening there or choose "
        "another port with --port (make run PORT=8001)"
    ]
    assert "Traceback" not in result.output and "Errno" not in result.output


def test_make_run_takes_the_port():
    # Under `make test` the outer make's flags would add "Entering directory" lines to the plan.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry = ["make", "--no-print-directory", "-n"]
    plan = subprocess.run([*dry, "run", "PORT=8001"], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert plan.stdout.strip().splitlines()[-1].endswith("tandem serve --port 8001")
    plain = subprocess.run([*dry, "serve"], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert plain.stdout.strip().endswith("tandem serve")


def _serve_output(index_dir: Path, config: Path) -> str:
    """What `tandem serve` prints until it answers /api/health (it is stopped then)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONUNBUFFERED="1", TANDEM_CONFIG=str(config))
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--index", str(index_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    return output


def test_serve_says_which_origins_may_call_the_api(shipped_index, tmp_path):
    cfg, _ = shipped_index
    none = tmp_path / "none.toml"
    none.write_text("[server]\ncors_origins = []\n", encoding="utf-8")
    assert (
        "cross-origin requests allowed from no other site (cors_origins = []): a widget embedded elsewhere "
        "needs its page's origin in [server] cors_origins of config.toml"
    ) in _serve_output(cfg.index_dir, none)
    some = tmp_path / "some.toml"
    some.write_text('[server]\ncors_origins = ["https://portal.example.org", "http://a.test"]\n', encoding="utf-8")
    assert (
        "cross-origin requests (widgets on other sites) allowed from: https://portal.example.org, http://a.test"
        in _serve_output(cfg.index_dir, some)
    )
