"""Fuzzing every reader: seeded mutations of real inputs never crash reading, cleaning or a run.

A few hundred cases of tests/support/fuzzing.py (benchmarks/fuzz_readers.py runs 10,000): every
case reads without an exception escaping, each record then cleans and enriches in this process
into a row or a rejection with reasons, and a few whole runs over folders of mutated files
account for every record read in `articles` or `quarantine`.
"""

import pytest
from deltalake import DeltaTable

from tasks.lake.paths import articles_path, quarantine_path
from tests.support.factories import run_info
from tests.support.fuzzing import SUFFIXES, fuzz_case, run_case
from tests.support.pipeline import run_pipeline

BASE_SEED = 20_261_203
READ_CASES = 300  # read only: a few milliseconds each
CLEANED_CASES = 90  # read, then clean and enrich every record


@pytest.mark.parametrize("first", range(0, READ_CASES, 50))
def test_mutated_inputs_read_without_a_crash(tmp_path, first):
    results = [run_case(fuzz_case(BASE_SEED, number), tmp_path, clean=False) for number in range(first, first + 50)]

    crashes = {result.case.case_id: result.crash for result in results if result.crash}
    assert crashes == {}
    assert sum(result.records for result in results) > 0


@pytest.mark.parametrize("first", range(0, CLEANED_CASES, 30))
def test_records_of_mutated_inputs_end_as_a_row_or_a_rejection(tmp_path, first):
    numbers = range(READ_CASES + first, READ_CASES + first + 30)
    results = [run_case(fuzz_case(BASE_SEED, number), tmp_path) for number in numbers]

    crashes = {result.case.case_id: result.crash for result in results if result.crash}
    assert crashes == {}
    assert all(result.articles + result.quarantined == result.records for result in results)


@pytest.mark.parametrize("run", range(3))
def test_a_run_over_mutated_files_puts_every_record_in_articles_or_quarantine(tmp_path, run):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for offset in range(len(SUFFIXES)):
        case = fuzz_case(BASE_SEED + 1 + run, offset)
        (inputs / case.name).write_bytes(case.data)
    lake = str(tmp_path / "lake")

    summary = run_pipeline([str(inputs)], lake, run_info(1), batch_size=8)

    articles = DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows
    quarantined = DeltaTable(quarantine_path(lake)).to_pyarrow_table().num_rows
    assert summary.records_read > 0
    # A record superseded by a later one with the same article id is in neither table.
    assert articles + summary.superseded + quarantined == summary.records_read
