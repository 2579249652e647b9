"""What moves between stages: raw input records, rejections, and per-stage counters."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.reasons import Reason, Stage


@dataclass(frozen=True)
class RawRecord:
    """One article's worth of input: a whole .txt/.html file, or one JSONL line."""

    source_uri: str
    source_record: int
    source_format: str  # txt, html, jsonl
    raw: bytes  # the original bytes (a JSONL record: its line)
    fields: Mapping[str, Any] = field(default_factory=dict)  # a JSONL record's parsed object

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(frozen=True)
class Rejection:
    """A record that goes to quarantine instead of `articles`, with why."""

    source_uri: str
    source_record: int
    source_format: str
    stage: Stage
    reasons: tuple[str, ...]
    error: str
    raw: bytes

    @classmethod
    def of(cls, record: RawRecord, stage: Stage, reasons: Sequence[str] | Reason, error: str) -> Rejection:
        codes = (str(reasons),) if isinstance(reasons, Reason) else tuple(str(r) for r in reasons)
        return cls(record.source_uri, record.source_record, record.source_format, stage, codes, error, record.raw)


@dataclass
class StageCounters:
    """What one stage did with a batch: datatrove-style totals with a count per drop reason."""

    stage: str
    total: int = 0
    forwarded: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    warned: Counter[str] = field(default_factory=Counter)  # kept rows that failed a warning check
    passed_over: Counter[str] = field(default_factory=Counter)  # ingest: records that are no document, by kind
    seconds: float = 0.0  # wall time spent in the stage

    def reject(self, reasons: tuple[str, ...]) -> None:
        self.rejected.update(reasons)

    def merge(self, other: StageCounters) -> None:
        self.total += other.total
        self.forwarded += other.forwarded
        self.rejected.update(other.rejected)
        self.warned.update(other.warned)
        self.passed_over.update(other.passed_over)
        self.seconds += other.seconds

    def as_dict(self) -> dict[str, int]:
        return (
            {"total": self.total, "forwarded": self.forwarded}
            | {f"rejected_{reason}": n for reason, n in sorted(self.rejected.items())}
            | {f"warned_{check}": n for check, n in sorted(self.warned.items())}
            | {f"passed_over_{kind}": n for kind, n in sorted(self.passed_over.items())}
        )
