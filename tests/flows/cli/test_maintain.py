"""`broadsheet maintain`, in process, on a real two-version lake."""

import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from flows.cli.app import app
from tasks.lake.paths import articles_path

runner = CliRunner()


@pytest.mark.slow
def test_maintain_runs_the_flow_and_reports_files_before_and_after(lake_copy):
    result = runner.invoke(app, ["maintain", "--lake", lake_copy])
    assert result.exit_code == 0, result.output
    [articles_row] = [line for line in result.output.splitlines() if "│ articles" in line]
    live_before = len(DeltaTable(articles_path(lake_copy), version=1).file_uris())
    partitions = len(DeltaTable(articles_path(lake_copy)).file_uris())
    assert f"{live_before} -> {partitions}" in articles_row
    assert "repartition" not in result.output


def test_maintain_without_a_lake_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["maintain", "--lake", str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("error: no articles table at")


@pytest.mark.slow
def test_maintain_names_an_old_layout_and_repartition_migrates_it(versioned_lake, tmp_path, wide_console):
    from deltalake import write_deltalake

    lake = str(tmp_path / "lake")
    old = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table().drop_columns(["published_month"])
    write_deltalake(articles_path(lake), old)  # unpartitioned, as tables were before partitioning
    hinted = runner.invoke(app, ["maintain", "--lake", lake])
    assert hinted.exit_code == 0 and "`broadsheet maintain --repartition` migrates it" in hinted.output
    migrated = runner.invoke(app, ["maintain", "--lake", lake, "--repartition"])
    assert migrated.exit_code == 0 and "repartition" not in migrated.output
    assert DeltaTable(articles_path(lake)).metadata().partition_columns == ["published_month"]
