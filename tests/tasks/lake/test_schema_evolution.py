"""Schema evolution on tables written by an earlier schema: add columns in place, stop on the rest."""

import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake

from schemas.tables import ARTICLES_SCHEMA
from tasks.lake.paths import articles_path
from tasks.lake.schema_evolution import IncompatibleSchemaError, check_lake_schema, migrate_lake
from tasks.lake.write import write_articles
from tasks.pipeline import RunTotals, commit_run
from tests.support.factories import article_row, run_info

# What an earlier broadsheet wrote: the same table without the two newest columns.
PREVIOUS_SCHEMA = pa.schema([f for f in ARTICLES_SCHEMA if f.name not in ("declared_language", "paragraph_count")])
RUN = run_info(2)


def _write_previous(lake, schema=PREVIOUS_SCHEMA, **values) -> str:
    path = articles_path(str(lake))
    rows = [article_row("old-1", "first text", **values), article_row("old-2", "second text", **values)]
    write_deltalake(path, pa.Table.from_pylist(rows, schema=schema))
    return path


def test_new_columns_evolve_the_table_without_rewriting_it(tmp_path):
    path = _write_previous(tmp_path)
    files_before = set(DeltaTable(path).file_uris())
    [diff] = check_lake_schema(str(tmp_path))
    assert sorted(diff.added) == ["declared_language", "paragraph_count"] and diff.compatible

    result = write_articles(
        str(tmp_path), [article_row("new-1", "third text", declared_language="en", paragraph_count=1)], RUN, {}
    )
    assert (result.inserted, result.version) == (1, 1)
    table = DeltaTable(path)
    names = [f.name for f in table.schema().fields]
    assert sorted(names) == sorted(ARTICLES_SCHEMA.names) and sorted(names[-2:]) == [
        "declared_language",
        "paragraph_count",
    ]
    assert files_before <= set(table.file_uris())  # the old data files are still the table's files
    rows = {r["id"]: r for r in table.to_pyarrow_table().to_pylist()}
    assert rows["old-1"]["paragraph_count"] is None and rows["new-1"]["paragraph_count"] == 1
    old = DeltaTable(path, version=0).to_pyarrow_table()
    assert "paragraph_count" not in old.schema.names and sorted(old["id"].to_pylist()) == ["old-1", "old-2"]


def test_type_change_stops_the_run_before_writing_and_says_how_to_migrate(tmp_path):
    wider = pa.schema([f.with_type(pa.int64()) if f.name == "word_count" else f for f in ARTICLES_SCHEMA])
    path = _write_previous(tmp_path, schema=wider)
    with pytest.raises(IncompatibleSchemaError) as raised:
        check_lake_schema(str(tmp_path))
    message = str(raised.value)
    assert "column `word_count` is long in the table but integer in the schema" in message
    assert f"broadsheet migrate --lake {tmp_path}" in message and "Nothing was written" in message
    with pytest.raises(IncompatibleSchemaError):
        commit_run(str(tmp_path), RunTotals(), RUN, ["/in"], [])
    assert DeltaTable(path).version() == 0 and not (tmp_path / "quarantine").exists()


def test_dropped_and_loosened_columns_are_named(tmp_path):
    extra = ARTICLES_SCHEMA.append(pa.field("reading_level", pa.string()))
    loose = pa.schema([f.with_nullable(True) if f.name == "text" else f for f in extra])
    _write_previous(tmp_path, schema=loose)
    with pytest.raises(IncompatibleSchemaError) as raised:
        check_lake_schema(str(tmp_path))
    assert "column `reading_level` (string) is in the table but no longer in the schema" in str(raised.value)
    assert "column `text` is nullable in the table but required in the schema" in str(raised.value)


def test_migrate_rewrites_as_a_new_version_and_keeps_the_old_one(tmp_path):
    wider = pa.schema([f.with_type(pa.int64()) if f.name == "word_count" else f for f in ARTICLES_SCHEMA])
    path = _write_previous(tmp_path, schema=wider.append(pa.field("reading_level", pa.string())), reading_level="easy")
    [migration] = migrate_lake(str(tmp_path))
    assert (migration.table, migration.from_version, migration.to_version) == ("articles", 0, 1)
    check_lake_schema(str(tmp_path))  # fits now
    now = DeltaTable(path).to_pyarrow_table()
    assert now.schema.field("word_count").type == pa.int32() and "reading_level" not in now.schema.names
    assert sorted(now["id"].to_pylist()) == ["old-1", "old-2"] and now["word_count"].to_pylist() == [2, 2]
    assert DeltaTable(path, version=0).to_pyarrow_table()["reading_level"].to_pylist() == ["easy", "easy"]


def test_migrate_refuses_a_lossy_cast(tmp_path):
    wider = pa.schema([f.with_type(pa.int64()) if f.name == "word_count" else f for f in ARTICLES_SCHEMA])
    path = _write_previous(tmp_path, schema=wider, word_count=2**40)
    with pytest.raises(IncompatibleSchemaError, match="cannot migrate column `word_count`"):
        migrate_lake(str(tmp_path))
    assert DeltaTable(path).version() == 0
