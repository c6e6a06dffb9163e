"""Against a real gunicorn with the Procfile's config: no `Server` header, a 413 closes."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    """A free port of the range this project's test servers use (18700-18799)."""
    for port in range(18760, 18800):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 18760-18799")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hospital.settings_test",
           "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('gunicorn')}/db.sqlite3"}
    # gthread keeps connections alive, so the 413 rule is what closes them.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hospital.wsgi", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread",
         "--threads", "2", "--keep-alive", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _exchange(port: int, request: bytes) -> tuple[bytes, bool]:
    """Send `request`, read one response; whether the server then closed the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        lengths = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")]
        complete = ((lambda: len(body) >= lengths[0]) if lengths
                    else (lambda: body.endswith(b"0\r\n\r\n")))  # chunked
        while not complete():
            body += conn.recv(65536)
        conn.settimeout(2)
        try:
            closed = conn.recv(1) == b""
        except TimeoutError:
            closed = False
        return head, closed


def test_no_server_header_and_keep_alive_otherwise(gunicorn):
    head, closed = _exchange(gunicorn, b"GET /no-such-page/ HTTP/1.1\r\nHost: localhost\r\n\r\n")

    assert head.startswith(b"HTTP/1.1 404")
    assert b"\r\nserver:" not in head.lower()
    assert not closed


def test_a_413_closes_the_connection(gunicorn):
    head, closed = _exchange(
        gunicorn,
        b"POST /api/token/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 50000000\r\n\r\n{\"username\": ",
    )

    assert head.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in head.lower()
    assert b"\r\nserver:" not in head.lower()
    assert closed
