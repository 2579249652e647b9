"""A real Prefect API (temporary server with its own database) for every flow test."""

import pytest
from prefect.logging.configuration import ensure_logging_setup
from prefect.testing.utilities import prefect_test_harness

import flows  # noqa: F401  (Prefect defaults before Prefect loads)


@pytest.fixture(autouse=True, scope="session")
def prefect_api():
    # Configure Prefect's log handlers now: set up inside a CliRunner call, they would keep
    # writing to that call's stream, closed once it returns, and break the next flow's logging.
    ensure_logging_setup()
    with prefect_test_harness(server_startup_timeout=120):
        yield
