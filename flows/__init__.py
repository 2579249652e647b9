"""Prefect flows of broadsheet. Importing this package sets quiet, patient Prefect defaults."""

import os
from pathlib import Path

# Set before Prefect is imported; an explicit environment still wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # else "database is locked" noise
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # 20 s is tight on 2 busy cores
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# One Prefect home for the project however a run starts (make run, broadsheet run, make ui, make serve),
# so every run is in the database `make ui` shows; not ~/.prefect.
_PROJECT = Path(__file__).resolve().parents[1]
if (_PROJECT / "pyproject.toml").is_file():
    os.environ.setdefault("PREFECT_HOME", str(_PROJECT / ".prefect"))
