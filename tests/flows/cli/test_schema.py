"""`broadsheet migrate`, in process, against a real Prefect API."""

import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake
from typer.testing import CliRunner

from flows.cli.app import app
from schemas.tables import ARTICLES_SCHEMA
from tasks.lake.paths import articles_path
from tests.support.factories import article_row

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_run_on_an_incompatible_table_stops_and_migrate_fixes_it(tmp_path, seed_path):
    lake = str(tmp_path / "lake")
    wider = pa.schema([f.with_type(pa.int64()) if f.name == "word_count" else f for f in ARTICLES_SCHEMA])
    row = article_row("old", "old text", source_uri="/old.txt")
    write_deltalake(articles_path(lake), pa.Table.from_pylist([row], schema=wider))

    stopped = runner.invoke(app, ["run", str(seed_path), "--lake", lake])
    assert stopped.exit_code == 2
    assert "column `word_count` is long in the table but integer in the schema" in stopped.output
    assert f"broadsheet migrate --lake {lake}" in " ".join(stopped.output.split())
    assert DeltaTable(articles_path(lake)).version() == 0

    migrated = runner.invoke(app, ["migrate", "--lake", lake])
    assert migrated.exit_code == 0 and "articles: version 0 -> 1" in migrated.output
    ran = runner.invoke(app, ["run", str(seed_path), "--lake", lake])
    assert ran.exit_code == 0, ran.output
    assert sorted(DeltaTable(articles_path(lake)).to_pyarrow_table()["source_uri"].to_pylist()) == sorted(
        ["/old.txt", str(seed_path)]
    )
