"""Loopback services for the fleet tests: an S3 server, instance metadata, a slow link.

Everything listens on 127.0.0.1 on a port the system picks, and is stopped by its owner.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"
VLLM_RESULT = Path(__file__).parents[1] / "fixtures" / "vllm" / "bench-serve-inf2-c4.json"


def require_s3_packages() -> None:
    """boto3 and moto (the test extra): without them, skip the module, or fail under CI."""
    import importlib.util

    import pytest

    missing = [name for name in ("boto3", "moto") if importlib.util.find_spec(name) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} not installed: the test extra has them")
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (pip install -e '.[test]')",
            allow_module_level=True,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


_PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


def aws_env(endpoint: str) -> dict[str, str]:
    """What a child process needs to talk to the loopback S3 server with real boto3: dummy
    credentials, no AWS settings of the user's, and no proxy between it and loopback."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k.lower() not in _PROXY_VARIABLES
    }
    env.update(
        NO_PROXY=f"{LOOPBACK},localhost",
        AWS_ACCESS_KEY_ID="fleet-test",
        AWS_SECRET_ACCESS_KEY="fleet-test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


def s3_client(endpoint: str) -> Any:
    """boto3's S3 client on the loopback server, from this process (never through a proxy)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="fleet-test",
        aws_secret_access_key="fleet-test",
        config=Config(proxies={}),
    )


@contextmanager
def moto_server(timeout: float = 30.0) -> Iterator[str]:
    """moto's standalone S3 server in its own process; yields its endpoint URL."""
    for _ in range(5):  # another process may take the free port before the server binds it
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while server.poll() is None and time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection((LOOPBACK, port), timeout=0.2):
                break
            time.sleep(0.05)
        if server.poll() is None:
            break
    else:
        raise RuntimeError("moto's server did not start")
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _imds_handler(instance_type: str) -> type[BaseHTTPRequestHandler]:
    class Imds(BaseHTTPRequestHandler):
        """IMDSv2: a PUT for a token, then a GET carrying it."""

        def do_PUT(self) -> None:
            self._reply(200, "token" if self.path == "/latest/api/token" else "")

        def do_GET(self) -> None:
            ok = self.headers.get("X-aws-ec2-metadata-token") == "token"
            if ok and self.path == "/latest/meta-data/instance-type":
                self._reply(200, instance_type)
            else:
                self._reply(401 if not ok else 404, "")

        def _reply(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Imds


@contextmanager
def instance_metadata(instance_type: str) -> Iterator[str]:
    """A loopback IMDSv2 that tells ``instance_type``; yields its endpoint URL."""
    server = ThreadingHTTPServer((LOOPBACK, 0), _imds_handler(instance_type))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class SlowLink:
    """A TCP relay to ``upstream`` that passes client bytes in small, delayed chunks and
    counts them, so a test can kill a client in the middle of sending a request body."""

    def __init__(self, upstream: str, chunk: int = 16_384, delay: float = 0.002) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self._upstream = (host, int(port))
        self._chunk, self._delay = chunk, delay
        self._listener = socket.create_server((LOOPBACK, 0))
        self.url = f"http://{LOOPBACK}:{self._listener.getsockname()[1]}"
        self.sent = 0  # client bytes passed upstream so far
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._closing = False
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._upstream)
            self._sockets += [client, upstream]
            for source, target, counted in ((client, upstream, True), (upstream, client, False)):
                thread = threading.Thread(
                    target=self._pump, args=(source, target, counted), daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _pump(self, source: socket.socket, target: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(self._chunk if counted else 65_536):
                target.sendall(data)
                if counted:
                    with self._lock:
                        self.sent += len(data)
                    time.sleep(self._delay)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    end.close()

    def close(self) -> None:
        """Stop relaying: cut every connection still open, and wait for the relay threads."""
        self._closing = True
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        self._listener.close()
        self._accepting.join(timeout=5)
        for end in self._sockets:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)


def vllm_result(model: str, concurrency: int, padding: int = 0) -> str:
    """A ``vllm bench serve`` result for ``model`` at ``concurrency`` (made-up figures);
    ``padding`` random-looking characters make it large, as a long run's file is."""
    data = json.loads(VLLM_RESULT.read_text())
    data["model_id"] = data["tokenizer_id"] = model
    data["max_concurrency"] = data["max_concurrent_requests"] = concurrency
    data["output_throughput"] = round(100.0 + 7.5 * concurrency, 2)
    if padding:
        data["note"] = os.urandom(padding // 2).hex()  # incompressible, like real samples
    return json.dumps(data)
