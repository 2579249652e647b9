"""Incremental runs, full refresh and run artifacts: the flow on real files under a real Prefect API."""

import json
import shutil
from datetime import UTC, datetime

import pytest
from deltalake import DeltaTable
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.article_pipeline import article_pipeline
from tasks.lake.maintenance import maintain_table
from tasks.lake.paths import RunInfo, articles_path, inputs_path, quarantine_path
from tasks.lake.versions import restore_articles
from tasks.report.run_summary import nothing_new_line, summary_notes
from tests.support.factories import export_article, write_jsonl

pytestmark = pytest.mark.slow


def _artifacts(state):
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
    return {artifact.key: artifact.data for artifact in found}


def test_run_reads_only_new_and_changed_inputs(tmp_path, seed_path):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    shutil.copy(seed_path, source / "seed.txt")
    write_jsonl(
        source / "monday.jsonl",
        export_article("flood", "The river rose overnight."),
        export_article("fair", "The fair opened on Monday."),
    )
    first = article_pipeline(source=str(source), lake=lake)
    assert (first.inputs.new, first.records_read, first.inserted) == (2, 3, 3)

    write_jsonl(
        source / "monday.jsonl",
        export_article("flood", "The river rose overnight and fell by noon."),
        export_article("fair", "The fair opened on Monday."),
    )
    write_jsonl(source / "tuesday.jsonl", export_article("budget", "The council passed the budget."))
    second = article_pipeline(source=str(source), lake=lake)
    assert (second.inputs.new, second.inputs.changed, second.inputs.unchanged) == (1, 1, 1)
    assert (second.records_read, second.inserted, second.updated, second.unchanged) == (3, 1, 1, 1)
    assert DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows == 4
    ledger = DeltaTable(inputs_path(lake))
    assert (ledger.version(), ledger.to_pyarrow_table().num_rows) == (1, 3)


def test_nothing_new_makes_no_commit_and_says_so_in_its_artifacts(tmp_path, seed_path):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    shutil.copy(seed_path, source)
    first = article_pipeline(source=str(source), lake=lake, return_state=True)
    again = article_pipeline(source=str(source), lake=lake, return_state=True)
    assert first.is_completed() and again.is_completed()
    summary = again.result()
    assert (summary.nothing_new, summary.records_read, summary.articles_version, summary.inputs_version) == (
        True,
        0,
        0,
        0,
    )
    for path in (articles_path(lake), quarantine_path(lake), inputs_path(lake)):
        if DeltaTable.is_deltatable(path):
            assert len(DeltaTable(path).history()) == 1

    artifacts = _artifacts(first)
    assert set(artifacts) == {"run-summary", "run-steps", "data-docs", "dataset-report"}
    assert (
        "| articles inserted | 1 |" in artifacts["run-summary"]
        and "| articles table version | 0 |" in artifacts["run-summary"]
    )
    steps = {row["step"]: row for row in json.loads(artifacts["run-steps"])}
    assert list(steps) == [
        "discover",
        "ingest",
        "clean",
        "enrich",
        "validate",
        "write articles",
        "write quarantine",
        "record inputs",
    ]
    assert (steps["ingest"]["in"], steps["validate"]["out"], steps["write articles"]["detail"]) == (
        "1",
        "1",
        "1 inserted, 0 updated, 0 unchanged, 0 duplicates",
    )
    assert all(float(row["seconds"]) >= 0 for row in steps.values()) and float(steps["clean"]["seconds"]) > 0
    assert "**nothing new: all 1 inputs are already in the lake; no commit**" in _artifacts(again)["run-summary"]


def test_sources_without_inputs_say_there_is_nothing_to_read(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "notes.md").write_text("not an input type")
    summary = article_pipeline(source=str(tmp_path / "raw"), lake=str(tmp_path / "lake"))
    assert (nothing_new_line(summary), summary.skipped_files) == (
        "nothing to read: the sources hold no inputs; no commit",
        [str(tmp_path / "raw" / "notes.md")],
    )
    assert not DeltaTable.is_deltatable(articles_path(str(tmp_path / "lake")))


def test_unreadable_input_is_quarantined_then_read_once_it_can_be(tmp_path, seed_path):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    (source / "late.txt").symlink_to(tmp_path / "arrives-later.txt")
    first = article_pipeline(source=str(source), lake=lake)
    [row] = DeltaTable(quarantine_path(lake)).to_pyarrow_table().to_pylist()
    assert (first.quarantined, row["reasons"]) == ({"unreadable": 1}, ["unreadable"])
    assert not DeltaTable.is_deltatable(inputs_path(lake))

    shutil.copy(seed_path, tmp_path / "arrives-later.txt")
    second = article_pipeline(source=str(source), lake=lake)
    assert (second.inputs.new, second.inserted) == (1, 1)
    assert DeltaTable(quarantine_path(lake)).to_pyarrow_table().num_rows == 0
    assert DeltaTable(inputs_path(lake)).to_pyarrow_table()["uri"].to_pylist() == [str(source / "late.txt")]


def test_a_lake_inside_the_source_is_never_read(tmp_path, raw_dir):
    source = tmp_path / "raw"
    shutil.copytree(raw_dir, source)
    lake = str(source / "lake")
    (source / "elsewhere" / "_delta_log").mkdir(parents=True)  # some other Delta table under the source
    (source / "elsewhere" / "notes.txt").write_text("a table's file, not an article")
    first = article_pipeline(source=str(source), lake=lake)
    articles = DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows

    # The first run left its report, Data Docs and tables in the lake: none of them is an input.
    second = article_pipeline(source=str(source), lake=lake)
    assert (second.inputs.new, second.inputs.changed, second.records_read) == (0, 0, 0)
    assert second.inputs.unchanged == first.inputs.new
    assert DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows == articles
    assert [note for note in summary_notes(second) if note[0] == "skipped"] == [
        ("skipped", f"the Delta table {source / 'elsewhere'} inside the source"),
        ("skipped", f"the lake folder {lake} inside the source"),
    ]


def test_a_run_after_a_restore_reads_again_the_inputs_of_the_articles_it_took_away(tmp_path, seed_path):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    shutil.copy(seed_path, source / "seed.txt")
    write_jsonl(source / "monday.jsonl", export_article("flood", "The river rose overnight."))
    article_pipeline(source=str(source), lake=lake)
    write_jsonl(
        source / "monday.jsonl",
        export_article("flood", "The river rose overnight and fell by noon."),
        export_article("fair", "The fair opened on Monday."),
    )
    write_jsonl(source / "tuesday.jsonl", export_article("budget", "The council passed the budget."))
    second = article_pipeline(source=str(source), lake=lake)
    latest = DeltaTable(articles_path(lake)).to_pyarrow_table().sort_by("id")

    restored = restore_articles(lake, 0, {"deployment": "manual"})
    assert restored.inputs_forgotten == 2  # monday.jsonl (one article reverted, one removed) and tuesday.jsonl
    assert DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows == 2

    after = article_pipeline(source=str(source), lake=lake)
    assert (after.inputs.new, after.inputs.unchanged) == (2, 1)
    assert (after.inserted, after.updated) == (second.inserted, second.updated)
    table = DeltaTable(articles_path(lake)).to_pyarrow_table().sort_by("id")
    assert table.select(["id", "fingerprint"]) == latest.select(["id", "fingerprint"])


def test_maintenance_keeps_every_row_so_the_ledger_stays_true(tmp_path, raw_dir):
    lake = str(tmp_path / "lake")
    first = article_pipeline(source=str(raw_dir), lake=lake)
    articles = DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows
    run = RunInfo("maintenance", "manual", "test", datetime.now(UTC))
    for path in (articles_path(lake), quarantine_path(lake), inputs_path(lake)):
        maintain_table(path, run, vacuum_hours=0)

    again = article_pipeline(source=str(raw_dir), lake=lake)
    assert (again.inputs.unchanged, again.records_read) == (first.inputs.new, 0)
    assert DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows == articles
