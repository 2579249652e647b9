"""Named points of a run where a crash test can freeze the process and kill it -9.

With `BROADSHEET_PAUSE_AT=<point>` in its environment, a run stops itself (SIGSTOP) the first
time it reaches that point; the test sees the stopped child, inspects the lake and sends SIGKILL,
or breaks the lake's storage and sends SIGCONT. Once only: a retried commit task or the next batch
passes the point again and must go on. Without the variable a pause point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from enum import StrEnum

PAUSE_ENV = "BROADSHEET_PAUSE_AT"


class PausePoint(StrEnum):
    AFTER_BATCH = "after-batch"  # a batch cleaned, validated and enriched; nothing committed
    BEFORE_ARTICLES_COMMIT = "before-articles-commit"  # duplicates marked, accounting checked
    AFTER_ARTICLES_COMMIT = "after-articles-commit"  # articles committed; quarantine and ledger not
    AFTER_QUARANTINE_COMMIT = "after-quarantine-commit"  # both tables committed; the ledger not
    AFTER_LEDGER_COMMIT = "after-ledger-commit"  # everything committed; the flow run not finished
    AFTER_TABLE_MAINTAINED = "after-table-maintained"  # maintenance committed on one table, others to go


def pause_at(point: PausePoint) -> None:
    if os.environ.get(PAUSE_ENV) == point:
        del os.environ[PAUSE_ENV]
        os.kill(os.getpid(), signal.SIGSTOP)
