"""A real Prefect API (temporary server with its own database) for every flow test."""

import flows  # noqa: F401  (Prefect defaults before Prefect loads)
import pytest
from prefect.logging.configuration import ensure_logging_setup
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_api():
    # Prefect sets up logging at the first flow run and binds its console handler to the
    # sys.stderr of that moment; inside CliRunner that stream is closed once the command ends.
    ensure_logging_setup()
    with prefect_test_harness(server_startup_timeout=120):
        yield
