"""moto's S3 server on loopback, as a process of its own, for the tests with sources or a lake on s3://."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.processes import free_port

SOURCE_BUCKET, LAKE_BUCKET = "raw-news", "news-lake"
# What delta-rs and s3fs need to reach the server: test credentials, a plain-http endpoint.
# AWS_REGION unset on purpose: the default region must be picked up.
CLIENT_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ALLOW_HTTP": "true",
}
# No commit setting: delta-rs's default conditional writes, which moto enforces.
UNSET = ("AWS_REGION", "AWS_S3_LOCKING_PROVIDER", "AWS_S3_ALLOW_UNSAFE_RENAME")


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto S3 server for the block; yields its endpoint URL."""
    # Its own process, not moto's ThreadedMotoServer: delta-rs holds the GIL while it waits for
    # the server, so a server thread in this process could never answer.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_port(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    """Return once `server` listens on loopback `port`; raise when it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{server.args[:3]} exited with {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    server.kill()
    raise TimeoutError(f"{server.args[:3]} not listening on 127.0.0.1:{port} after {timeout} s")
