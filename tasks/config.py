"""Limits and defaults, each defined once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 10 * 1024 * 1024  # larger inputs are quarantined as too_large, unparsed
    raw_cap_bytes: int = 1024 * 1024  # quarantine keeps at most this much of a record's raw bytes
    max_text_chars: int = 2_000_000  # the articles contract's upper bound on text length
    min_text_chars: int = 1  # text must not be empty
    # Cleaning one document (decode, parse, extract, metadata) may take this long; a page still
    # being worked on then is quarantined as `timeout`. None cleans in-process, without a deadline.
    document_timeout_s: float | None = 30.0
    # Address-space cap of the process that cleans documents: a page that balloons fails alone.
    worker_memory_bytes: int | None = 4 * 1024 * 1024 * 1024


LIMITS = Limits()


@dataclass(frozen=True)
class ReportLimits:
    top_languages: int = 15  # bars per category chart; the rest are summed into one "other" bar
    top_domains: int = 20
    table_rows: int = 200  # rows of a category's numbers table; the rest are summed in its last row
    histogram_bins: int = 40


REPORT_LIMITS = ReportLimits()


@dataclass(frozen=True)
class LakeSettings:
    # Delta recommends data files of 128 MiB to 1 GiB; a month of news is small, so aim at the low end.
    target_file_bytes: int = 128 * 1024 * 1024
    # Delta's default delta.deletedFileRetentionDuration: vacuum keeps a week of time travel.
    vacuum_retention_hours: int = 7 * 24


LAKE = LakeSettings()
DEFAULT_SOURCE = "data/raw"
DEFAULT_LAKE = "data/lake"
DEFAULT_BATCH_SIZE = 500
