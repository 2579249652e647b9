import pytest
from deltalake import DeltaTable, write_deltalake

from schemas.tables import ARTICLES_PARTITION_BY, ARTICLES_SCHEMA
from tasks.lake.maintenance import file_stats, maintain_table, readable_from, repartition_articles, retention_hours
from tasks.lake.paths import articles_path
from tasks.lake.versions import VersionUnavailableError, article_at, open_version
from tasks.lake.write import write_articles
from tests.support.factories import run_info

RUNS = 6


@pytest.fixture
def many_runs_lake(versioned_lake, tmp_path):
    """The sample articles written again by RUNS small runs, each under new ids: many small files."""
    articles = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table().to_pylist()
    lake = str(tmp_path / "lake")
    for n in range(RUNS):
        rows = [row | {"id": f"{row['id'][:28]}-{n:03d}"} for row in articles]
        write_articles(lake, rows, run_info(n + 1), {})
    return lake


def _rows(path: str, version: int | None = None) -> list[dict]:
    return DeltaTable(path, version=version).to_pyarrow_table().sort_by("id").to_pylist()


def test_compaction_leaves_one_file_per_partition_and_the_same_rows(many_runs_lake):
    path = articles_path(many_runs_lake)
    rows = _rows(path)
    report = maintain_table(path, run_info(1, "maintenance"))
    partitions = len({r["published_month"] for r in rows})
    assert report.before.live_files == RUNS * partitions
    assert report.after.live_files == partitions and report.files_written == partitions
    assert _rows(path) == rows


def test_default_retention_keeps_every_version_readable(many_runs_lake):
    path = articles_path(many_runs_lake)
    first = _rows(path, 0)
    report = maintain_table(path, run_info(1, "maintenance"))
    assert (report.retention_hours, report.files_vacuumed, report.time_travel_from) == (168, 0, 0)
    assert report.after.stored_files == report.before.stored_files + report.files_written
    assert _rows(path, 0) == first


def test_zero_hour_vacuum_keeps_only_the_latest_version_and_says_so(many_runs_lake):
    path = articles_path(many_runs_lake)
    report = maintain_table(path, run_info(1, "maintenance"), vacuum_hours=0)
    compacted = RUNS  # versions 0..RUNS-1 were the runs, RUNS the compaction
    assert report.time_travel_from == compacted
    assert report.after.stored_files == report.after.live_files
    assert report.files_vacuumed == report.before.stored_files
    some_id = _rows(path)[0]["id"]
    with pytest.raises(VersionUnavailableError, match=f"versions {compacted} and later are readable"):
        article_at(open_version(path, 0), some_id)
    assert article_at(open_version(path, compacted), some_id) is not None


def test_file_stats_count_data_files_not_the_log(many_runs_lake):
    DeltaTable(articles_path(many_runs_lake)).create_checkpoint()  # a .parquet inside _delta_log
    stats = file_stats(articles_path(many_runs_lake))
    assert stats.stored_files == stats.live_files  # inserts only: every file is live
    assert stats.live_bytes == stats.stored_bytes > 0


def test_retention_comes_from_the_table_configuration(many_runs_lake):
    table = DeltaTable(articles_path(many_runs_lake))
    assert retention_hours(table) == 168
    table.alter.set_table_properties({"delta.deletedFileRetentionDuration": "interval 2 days"})
    assert retention_hours(DeltaTable(articles_path(many_runs_lake))) == 48


def test_readable_from_is_the_newest_version_older_than_the_cutoff(many_runs_lake):
    table = DeltaTable(articles_path(many_runs_lake))
    commits = {c["version"]: c["timestamp"] for c in table.history()}
    assert readable_from(table, 1, now_ms=commits[2] + 3_600_000) == 2
    assert readable_from(table, 1, now_ms=commits[0] - 1) == 0  # nothing old enough: everything stays


def test_repartition_migrates_a_table_written_before_partitioning(versioned_lake, tmp_path):
    stored = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table()
    path = str(tmp_path / "articles")
    write_deltalake(path, stored.drop_columns(list(ARTICLES_PARTITION_BY)))  # the foundation's layout
    lake = str(tmp_path)
    [one] = stored.slice(0, 1).to_pylist()
    assert (
        write_articles(lake, [one | {"text": one["text"] + " Corrected."}], run_info(1, "old-layout"), {}).updated == 1
    )

    version = repartition_articles(path, run_info(2, "migration"))
    table = DeltaTable(path)
    assert (version, table.metadata().partition_columns) == (2, list(ARTICLES_PARTITION_BY))
    assert [f.name for f in table.schema().fields] == ARTICLES_SCHEMA.names  # back in the schema's order, not appended
    migrated = table.to_pyarrow_table().sort_by("id")
    expected = stored.sort_by("id")
    assert migrated["published_month"].to_pylist() == expected["published_month"].to_pylist()
    assert (
        migrated.num_rows == expected.num_rows
        and len(DeltaTable(path, version=1).to_pyarrow_table()) == expected.num_rows
    )
    assert repartition_articles(path, run_info(3, "again")) is None
