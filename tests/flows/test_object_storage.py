"""Sources and lake on S3: the flow against moto's S3 server on loopback, read back with deltalake."""

import socket
import subprocess
import sys
import time

import boto3
import pytest
import s3fs
from deltalake import DeltaTable

from flows.article_pipeline import article_pipeline
from tasks.lake.paths import articles_path, inputs_path, quarantine_path
from tasks.lake.storage import storage_options
from tests.support.processes import free_port

pytestmark = pytest.mark.slow

SOURCE_BUCKET, LAKE_BUCKET = "raw-news", "news-lake"


@pytest.fixture
def s3_endpoint(monkeypatch):
    # Its own process, not moto's ThreadedMotoServer: delta-rs holds the GIL while it waits for
    # the server, so a server thread in this process could never answer.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_port(port, server)
    endpoint = f"http://127.0.0.1:{port}"
    environment = {
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",  # AWS_REGION unset: the default region must be picked up
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ALLOW_HTTP": "true",
    }
    # No commit setting: delta-rs's default conditional writes, which moto enforces.
    for unset in ("AWS_REGION", "AWS_S3_LOCKING_PROVIDER", "AWS_S3_ALLOW_UNSAFE_RENAME"):
        monkeypatch.delenv(unset, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()  # a cached client would keep an earlier endpoint
    client = boto3.client("s3", endpoint_url=endpoint)
    for bucket in (SOURCE_BUCKET, LAKE_BUCKET):
        client.create_bucket(Bucket=bucket)
    yield client
    s3fs.S3FileSystem.clear_instance_cache()
    server.terminate()
    server.wait(timeout=10)


def _wait_for_port(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto server exited with {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    server.kill()
    raise TimeoutError(f"moto server not listening on 127.0.0.1:{port} after {timeout} s")


def _upload(client, folder, bucket, prefix):
    for path in sorted(folder.iterdir()):
        client.put_object(Bucket=bucket, Key=f"{prefix}/{path.name}", Body=path.read_bytes())


def test_pipeline_reads_sources_from_s3_and_writes_the_lake_to_s3(s3_endpoint, raw_dir, tmp_path, caplog):
    _upload(s3_endpoint, raw_dir, SOURCE_BUCKET, "incoming")
    lake = f"s3://{LAKE_BUCKET}/lake"

    summary = article_pipeline(source=f"s3://{SOURCE_BUCKET}/incoming", lake=lake)
    local = article_pipeline(source=str(raw_dir), lake=str(tmp_path / "lake"))

    options = storage_options(lake)
    assert options["AWS_REGION"] == "us-east-1" and options["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    stored = DeltaTable(articles_path(lake), storage_options=options).to_pyarrow_table()
    expected = DeltaTable(articles_path(str(tmp_path / "lake"))).to_pyarrow_table()
    assert summary.inserted == local.inserted == stored.num_rows > 0

    def content(table):  # ids of articles without a URL hash their source URI, so compare what was extracted
        return sorted(zip(table["headline"].to_pylist(), table["text"].to_pylist(), strict=True), key=str)

    assert content(stored) == content(expected)
    assert all(uri.startswith(f"s3://{SOURCE_BUCKET}/incoming/") for uri in stored["source_uri"].to_pylist())
    quarantined = (
        DeltaTable(quarantine_path(lake), storage_options=options).to_pyarrow_table().num_rows
        if summary.quarantined_records
        else 0
    )
    assert quarantined == summary.quarantined_records == local.quarantined_records

    assert not s3fs.S3FileSystem().find(
        f"{LAKE_BUCKET}/lake/_staging"
    )  # the batches staged on S3, the commit cleared it

    rerun = article_pipeline(source=f"s3://{SOURCE_BUCKET}/incoming", lake=lake)
    assert (rerun.records_read, rerun.inserted, rerun.committed, rerun.inputs_recorded) == (0, 0, False, 0)
    stamps = DeltaTable(inputs_path(lake), storage_options=options).to_pyarrow_table()["stamp"].to_pylist()
    assert stamps and all("ETag=" in stamp for stamp in stamps)  # the rerun compared listings: no input read to hash it
    assert caplog.text and "test-secret" not in caplog.text  # credentials are never logged
