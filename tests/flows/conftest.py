"""A real Prefect API (temporary server with its own database) for every flow test; moto's S3 server for those
that ask for it."""

import pytest
from prefect.logging.configuration import ensure_logging_setup
from prefect.settings import temporary_settings
from prefect.testing.utilities import prefect_test_harness

import flows  # noqa: F401  (Prefect defaults before Prefect loads)
from flows.prefect_api import TEMPORARY_SERVER_SETTINGS
from tests.support.forked_runs import Runs
from tests.support.s3 import CLIENT_ENVIRONMENT, LAKE_BUCKET, SOURCE_BUCKET, UNSET, moto_server


@pytest.fixture(autouse=True, scope="session")
def prefect_api():
    # Configure Prefect's log handlers now: set up inside a CliRunner call, they would keep
    # writing to that call's stream, closed once it returns, and break the next flow's logging.
    ensure_logging_setup()
    # The harness's server is a temporary server: its flow runs are set up as a run's on one.
    with prefect_test_harness(server_startup_timeout=120), temporary_settings(TEMPORARY_SERVER_SETTINGS):
        yield


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """The launcher of real `broadsheet run` processes (tests/support/forked_runs.py), warmed up once."""
    launcher = Runs(tmp_path_factory.mktemp("launcher"))
    yield launcher
    launcher.close()


@pytest.fixture
def s3_endpoint(monkeypatch):
    """moto's S3 server with the buckets SOURCE_BUCKET and LAKE_BUCKET, this process's environment set to
    use it; yields a boto3 client of it."""
    import boto3
    import s3fs

    with moto_server() as endpoint:
        for unset in UNSET:
            monkeypatch.delenv(unset, raising=False)
        for name, value in (CLIENT_ENVIRONMENT | {"AWS_ENDPOINT_URL": endpoint}).items():
            monkeypatch.setenv(name, value)
        s3fs.S3FileSystem.clear_instance_cache()  # a cached client would keep an earlier endpoint
        client = boto3.client("s3", endpoint_url=endpoint)
        for bucket in (SOURCE_BUCKET, LAKE_BUCKET):
            client.create_bucket(Bucket=bucket)
        yield client
        s3fs.S3FileSystem.clear_instance_cache()
