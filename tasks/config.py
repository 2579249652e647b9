"""Limits and defaults, each defined once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 10 * 1024 * 1024  # larger inputs are quarantined as too_large, unparsed
    raw_cap_bytes: int = 1024 * 1024  # quarantine keeps at most this much of a record's raw bytes
    max_text_chars: int = 2_000_000  # the articles contract's upper bound on text length
    min_text_chars: int = 1  # text must not be empty


LIMITS = Limits()


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
