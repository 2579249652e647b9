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
class IoPolicy:
    """Retries and time limits of the tasks that do I/O (listing and hashing inputs, committing)."""

    retries: int = 2
    retry_delay_seconds: float = 5.0
    discover_timeout_seconds: float = 3600.0  # hashes every input: grows with the corpus
    commit_timeout_seconds: float = 1800.0
    lock_wait_seconds: float = 900.0  # how long a run waits for another run on the same lake


IO = IoPolicy()
DEFAULT_SOURCE = "data/raw"
DEFAULT_LAKE = "data/lake"
DEFAULT_BATCH_SIZE = 500
