"""Every place inside a lake, and the run that writes there.

A lake is a folder or an fsspec URL holding:

    <lake>/articles      Delta table of articles
    <lake>/quarantine    Delta table of rejected records, with their reasons and bytes
    <lake>/signatures    Delta table of MinHash signatures (near-duplicate detection)
    <lake>/_inputs       Delta table of the input files read (the inputs ledger)
    <lake>/_staging      rows of runs in progress, removed when they commit
    <lake>/_lock         one run at a time (local lakes)
    <lake>/validation    Great Expectations Data Docs of every run
    <lake>/reports       the dataset report of each articles version
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deltalake import CommitProperties
from fsspec.core import url_to_fs

STAGING_FOLDER = "_staging"
LOCK_FILE = "_lock"
VALIDATION_FOLDER = "validation"


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    deployment: str  # Prefect deployment name, or "manual"
    pipeline_version: str
    started_at: datetime

    def commit_properties(self, metadata: dict[str, Any]) -> CommitProperties:
        identity = {"run_id": self.run_id, "deployment": self.deployment, "pipeline_version": self.pipeline_version}
        return CommitProperties(custom_metadata=identity | metadata)


def _inside(lake: str, name: str) -> str:
    return f"{lake.rstrip('/')}/{name}"


def articles_path(lake: str) -> str:
    return _inside(lake, "articles")


def quarantine_path(lake: str) -> str:
    return _inside(lake, "quarantine")


def signatures_path(lake: str) -> str:
    return _inside(lake, "signatures")


def inputs_path(lake: str) -> str:
    return _inside(lake, "_inputs")


def staging_root(lake: str) -> str:
    return _inside(lake, STAGING_FOLDER)


def validation_root(lake: str) -> str:
    return _inside(lake, VALIDATION_FOLDER)


def report_path(lake: str, version: int) -> str:
    """Where a pipeline run leaves the report of the version it made: beside the lake's tables."""
    return _inside(lake, f"reports/v{version}.html")


def local_root(lake: str) -> str | None:
    """The folder of a lake on the local file system; None for object stores and other URLs."""
    fs, root = url_to_fs(lake)
    return root if "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)) else None
