"""Staged batches: a run commits from the files its batches staged under the lake, each article once,
whatever its batch size, and leaves no staging behind; a dead run's staging never reaches a commit."""

import json
import os
import shutil
import time
from datetime import UTC, datetime, timedelta

import pytest
from deltalake import DeltaTable

from tasks.ingest.files import discover_inputs
from tasks.lake.paths import STAGING_FOLDER, articles_path, quarantine_path, signatures_path
from tasks.lake.staging import clear_leftover_staging, run_staging
from tasks.pipeline import commit_run, read_batches
from tests.support.factories import export_article, run_info, write_jsonl
from tests.support.pipeline import run_pipeline, stage_batches

RUN_COLUMNS = {"run_id", "pipeline_version", "ingested_at"}


def _rows(path, drop=RUN_COLUMNS):
    rows = DeltaTable(path).to_pyarrow_table().to_pylist()
    return sorted(({k: v for k, v in row.items() if k not in drop} for row in rows), key=lambda r: r["id"])


def _summary(summary):
    # Not the warnings: GX checks each batch, so "unique id" warns only about repeats inside one batch.
    fields = (
        "records_read",
        "inserted",
        "updated",
        "unchanged",
        "superseded",
        "duplicates",
        "quarantined_records",
        "quarantined",
    )
    return {name: getattr(summary, name) for name in fields}


@pytest.fixture(scope="module")
def mixed_source(tmp_path_factory, raw_dir):
    """A page, and JSONL lines with a correction of an earlier line, a copy of a text, and two broken lines."""
    source = tmp_path_factory.mktemp("mixed")
    shutil.copy(raw_dir / "news_with_jsonld.html", source / "page.html")
    write_jsonl(
        source / "a.jsonl",
        export_article("flood", "The river rose overnight."),
        export_article("fair", "The fair opened on Monday."),
        {"title": "no url", "text": "Unidentifiable."},
        export_article("fair-copy", "The fair opened on Monday."),
        export_article("flood", "The river rose overnight and fell by noon."),
        export_article("roads", "Two roads close for repairs."),
    )
    (source / "b.jsonl").write_text(
        '{"url": "https://news.example.com/cut", "text": "cut off\n'
        + json.dumps(export_article("budget", "The council passed the budget."))
        + "\n"
    )
    return source


def test_one_record_per_batch_commits_the_same_as_one_batch_and_leaves_no_staging(mixed_source, tmp_path):
    whole, single = tmp_path / "whole", tmp_path / "single"
    one_batch = run_pipeline([str(mixed_source)], str(whole), run_info(1, "run-whole"))
    many = run_pipeline([str(mixed_source)], str(single), run_info(1, "run-single"), batch_size=1)
    assert (one_batch.records_read, one_batch.superseded, one_batch.duplicates, one_batch.quarantined_records) == (
        9,
        1,
        1,
        2,
    )
    assert _summary(many) == _summary(one_batch)
    assert _rows(articles_path(str(single))) == _rows(articles_path(str(whole)))
    assert _rows(quarantine_path(str(single))) == _rows(quarantine_path(str(whole)))
    assert _rows(signatures_path(str(single)), {"first_seen"}) == _rows(signatures_path(str(whole)), {"first_seen"})
    assert not (whole / STAGING_FOLDER).exists() and not (single / STAGING_FOLDER).exists()


def test_later_record_of_an_article_in_a_later_batch_wins_and_is_counted_superseded(mixed_source, tmp_path):
    lake = str(tmp_path / "lake")

    summary = run_pipeline([str(mixed_source / "a.jsonl")], lake, run_info(1), batch_size=1)

    assert (summary.records_read, summary.inserted, summary.superseded, summary.quarantined_records) == (6, 4, 1, 1)
    assert (
        summary.records_read
        == summary.inserted + summary.updated + summary.unchanged + summary.superseded + summary.quarantined_records
    )
    flood = [r for r in _rows(articles_path(lake)) if r["url"].endswith("/flood")]
    assert [(r["text"], r["source_record"]) for r in flood] == [("The river rose overnight and fell by noon.", 4)]
    [signature] = [r for r in _rows(signatures_path(lake)) if r["id"] == flood[0]["id"]]
    assert signature["run_position"] == 0  # the article keeps the place where its id was first seen


def test_staged_rows_of_a_dead_run_never_reach_another_runs_commit_and_are_cleared(tmp_path, seed_path):
    dead, alive = tmp_path / "dead", tmp_path / "alive"
    dead.mkdir(), alive.mkdir()
    write_jsonl(dead / "a.jsonl", export_article("ghost", "Staged by a run that was killed before its commit."))
    write_jsonl(alive / "b.jsonl", export_article("fair", "The fair opened on Monday."))
    lake = str(tmp_path / "lake")
    stage_batches(lake, "dead-run", read_batches(discover_inputs([str(dead)]).inputs, 10))  # never committed: it died

    summary = run_pipeline([str(alive)], lake, run_info(1, "next-run"))

    assert [r["url"] for r in _rows(articles_path(lake))] == ["https://news.example.com/fair"]
    assert summary.records_read == summary.inserted == 1
    assert os.listdir(run_staging(lake, "dead-run"))  # plain functions leave it; the flow and maintain clear it
    assert clear_leftover_staging(lake, locked=True) == ["dead-run"]
    assert not os.path.exists(run_staging(lake, "dead-run"))


def test_without_the_lake_lock_only_abandoned_staging_is_cleared(tmp_path, seed_path):
    lake = str(tmp_path / "lake")
    stage_batches(lake, "other-run", read_batches(discover_inputs([str(seed_path)]).inputs, 10))
    staged_at = datetime.fromtimestamp(time.time(), UTC)

    assert clear_leftover_staging(lake, locked=False, now=staged_at + timedelta(hours=1)) == []  # maybe still running
    assert os.path.exists(run_staging(lake, "other-run"))
    assert clear_leftover_staging(lake, locked=False, now=staged_at + timedelta(hours=25)) == ["other-run"]
    assert not os.path.exists(run_staging(lake, "other-run"))


def test_a_staged_file_deleted_before_the_commit_fails_the_commit_naming_it(tmp_path):
    source = tmp_path / "raw"
    source.mkdir()
    write_jsonl(source / "a.jsonl", export_article("fair", "The fair opened on Monday."))
    lake = str(tmp_path / "lake")
    totals = stage_batches(lake, "run-1", read_batches(discover_inputs([str(source)]).inputs, 10))
    [staged] = totals.staged.article_files
    os.remove(staged)

    with pytest.raises(FileNotFoundError, match="staged rows of this run were deleted while it ran") as gone:
        commit_run(lake, totals, run_info(1, "run-1"), [str(source)], [])
    assert gone.value.filename == staged
    assert not os.path.exists(articles_path(lake))  # nothing committed
