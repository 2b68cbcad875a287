"""Shared fixtures for the collector's tests: fixture files, and no accidental network."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _locks_in_a_test_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tables in tmp_path are outside any git work tree: their locks go to the user's cache
    # folder, here one of the test session's own (child processes inherit it).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _no_instance_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may reach the real metadata address; the host tests opt back in on loopback.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", raising=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """A writable copy of every fixture file, for tests that add or break files."""
    target = tmp_path / "results"
    shutil.copytree(FIXTURES, target)
    return target


TOKEN = "test-token-123"


class FakeImds(BaseHTTPRequestHandler):
    """IMDSv2 as EC2 serves it: a PUT for a token, then GETs that must carry it."""

    instance_type = "inf2.48xlarge"

    def do_PUT(self) -> None:
        if self.path == "/latest/api/token" and self.headers.get(
            "X-aws-ec2-metadata-token-ttl-seconds"
        ):
            self._reply(200, TOKEN)
        else:
            self._reply(400, "")

    def do_GET(self) -> None:
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            self._reply(401, "")
        elif self.path == "/latest/meta-data/instance-type":
            self._reply(200, self.instance_type)
        else:
            self._reply(404, "")

    def _reply(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class ImdsServer:
    url: str
    instance_type: str


@pytest.fixture
def imds() -> Iterator[ImdsServer]:
    """A loopback stand-in for the EC2 instance metadata service."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeImds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ImdsServer(f"http://127.0.0.1:{server.server_address[1]}", FakeImds.instance_type)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def refused_endpoint() -> str:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
