"""Processes that read a lot from a local table end with their own exit status, never an abort.

Read through deltalake's file system, about a third of such processes aborted as they exited
("terminate called without an active exception", exit 134; delta-rs #2184): a command that had
done its work would report failure. table_dataset reads local tables through pyarrow's own.
"""

import random
import string
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from tasks.lake.storage import open_table, table_dataset, write_table

ROOT = Path(__file__).resolve().parents[3]
READS = 12  # with the abort at one exit in three, all twelve ending well would be a 1 % fluke


@pytest.fixture(scope="module")
def wordy_table(tmp_path_factory):
    """8 files of 250 rows of 4 kB text: enough reading for the abort to show."""
    path = str(tmp_path_factory.mktemp("wordy") / "table")
    rng = random.Random(0)
    for part in range(8):
        texts = ["".join(rng.choices(string.ascii_lowercase + " ", k=4000)) for _ in range(250)]
        write_table(path, pa.table({"id": range(part * 250, (part + 1) * 250), "text": texts}), mode="append")
    return path


def test_table_dataset_reads_the_loaded_version_of_a_local_table(wordy_table):
    first = open_table(wordy_table, version=0)

    assert table_dataset(first).count_rows() == 250
    assert sorted(table_dataset(open_table(wordy_table)).to_table(columns=["id"])["id"].to_pylist()) == list(
        range(2000)
    )


@pytest.mark.slow
def test_processes_that_read_a_local_table_exit_with_their_own_status(wordy_table):
    read = (
        "from tasks.lake.storage import open_table, table_dataset; "
        f"print(table_dataset(open_table({wordy_table!r})).to_table(columns=['text']).num_rows)"
    )
    ends = [
        subprocess.run([sys.executable, "-c", read], cwd=ROOT, capture_output=True, text=True) for _ in range(READS)
    ]

    assert [(end.returncode, end.stdout.strip()) for end in ends] == [(0, "2000")] * READS, ends[0].stderr[-500:]
