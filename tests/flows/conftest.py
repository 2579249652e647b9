"""A real Prefect API (temporary server with its own database) for every flow test."""

import flows  # noqa: F401  (Prefect defaults before Prefect loads)
import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_api():
    with prefect_test_harness(server_startup_timeout=120):
        yield
