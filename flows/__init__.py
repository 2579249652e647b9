"""Prefect flows of broadsheet. Importing this package sets quiet, patient Prefect defaults."""

import os

# Set before Prefect is imported; an explicit environment still wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # else "database is locked" noise
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # 20 s is tight on 2 busy cores
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
