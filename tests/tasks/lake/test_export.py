import json
import os

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from tasks.lake.export import MANIFEST, ExportDestinationError, export_snapshot
from tasks.lake.paths import articles_path

LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


def _sorted_rows(table):
    return table.sort_by("id").to_pylist()


def test_export_reads_back_identically_with_plain_pyarrow(versioned_lake, tmp_path):
    dest = tmp_path / "snapshot"
    manifest = export_snapshot(articles_path(versioned_lake), str(dest))
    exported = pq.read_table(dest)
    stored = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table()
    assert _sorted_rows(exported.select(stored.column_names)) == _sorted_rows(stored)
    assert (manifest.table_version, manifest.rows, manifest.partitioning) == (1, stored.num_rows, None)
    assert sorted(os.listdir(dest)) == [MANIFEST, "part-0.parquet"]


def test_manifest_names_the_version_files_and_columns(versioned_lake, tmp_path):
    dest = tmp_path / "snapshot"
    export_snapshot(articles_path(versioned_lake), str(dest), version=0)
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["table_version"] == 0 and manifest["format"] == "parquet"
    assert manifest["schema_version"] == "1"
    [file] = manifest["files"]
    assert (file["path"], file["rows"], file["bytes"]) == (
        "part-0.parquet",
        manifest["rows"],
        (dest / "part-0.parquet").stat().st_size,
    )
    columns = {c["name"]: c for c in manifest["columns"]}
    assert columns["date_published"]["type"] == "timestamp[us, tz=UTC]"
    assert columns["text"]["description"].startswith("clean article body")


def test_export_of_an_older_version_holds_the_old_text(versioned_lake, tmp_path):
    dest = tmp_path / "v0"
    export_snapshot(articles_path(versioned_lake), str(dest), version=0)
    [library] = pq.read_table(dest, filters=pc.field("url") == LIBRARY_URL).to_pylist()
    assert "rose 18 percent" in library["text"]


def test_partitioned_export_has_hive_folders_and_a_null_bucket(versioned_lake, tmp_path):
    dest = tmp_path / "by-month"
    manifest = export_snapshot(articles_path(versioned_lake), str(dest), partitioned=True)
    assert manifest.partitioning["columns"] == ["published_month"]
    folders = {p.split("/")[0] for p in (f.path for f in manifest.files)}
    assert {
        "published_month=2007-09",
        "published_month=2024-05",
        "published_month=__HIVE_DEFAULT_PARTITION__",
    } <= folders
    counted = duckdb.sql(
        f"SELECT published_month, count(*) AS n FROM read_parquet('{dest}/**/*.parquet', hive_partitioning = true) "
        "GROUP BY ALL ORDER BY published_month NULLS LAST"
    ).fetchall()
    stored = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table()
    expected = sorted(
        pc.value_counts(stored["published_month"]).to_pylist(), key=lambda c: (c["values"] is None, c["values"] or "")
    )
    assert counted == [(c["values"], c["counts"]) for c in expected]


def test_export_refuses_a_folder_that_is_not_an_earlier_export(versioned_lake, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportDestinationError, match="not empty and holds no earlier export"):
        export_snapshot(articles_path(versioned_lake), str(tmp_path))
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_export_replaces_an_earlier_export_only_when_told(versioned_lake, tmp_path):
    dest = tmp_path / "snapshot"
    export_snapshot(articles_path(versioned_lake), str(dest), version=0)
    with pytest.raises(ExportDestinationError, match="--overwrite replaces it"):
        export_snapshot(articles_path(versioned_lake), str(dest))
    manifest = export_snapshot(articles_path(versioned_lake), str(dest), overwrite=True)
    assert json.loads((dest / MANIFEST).read_text())["table_version"] == manifest.table_version == 1
