"""`broadsheet quarantine` and `reprocess`, in process, against a real Prefect API."""

import json

import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from flows.cli.app import app
from tasks.lake.paths import articles_path
from tests.support.factories import export_article, write_jsonl

pytestmark = pytest.mark.slow
runner = CliRunner()
GOOD = export_article("good", "The council met on Monday.")
NO_URL = {"title": "Bridge", "text": "The bridge reopened on Tuesday after repairs."}


def test_list_reprocess_after_fixing_the_input_and_see_it_leave(tmp_path):
    source = tmp_path / "raw"
    source.mkdir()
    export = source / "export.jsonl"
    write_jsonl(export, GOOD, NO_URL, "{broken")
    lake = str(tmp_path / "lake")
    # A raw cap this small cuts the stored bytes, so reprocess must read the input again.
    run = runner.invoke(app, ["run", str(source), "--lake", lake, "--raw-cap-bytes", "8"])
    assert run.exit_code == 0, run.output

    listed = runner.invoke(app, ["quarantine", "--lake", lake, "--json"])
    rows = json.loads(listed.output)
    assert [(r["source_record"], r["reasons"], r["raw_truncated"]) for r in rows] == [
        (1, ["missing_field:url"], True),
        (2, ["invalid_json"], False),
    ]
    table = runner.invoke(app, ["quarantine", "--lake", lake, "--reason", "invalid_json"])
    assert table.exit_code == 0 and "1 records; invalid_json: 1" in table.output

    write_jsonl(export, GOOD, NO_URL | {"url": "https://news.example.com/bridge"}, "{broken")
    again = runner.invoke(app, ["reprocess", "--lake", lake, "--reason", "missing_field:url"])
    assert again.exit_code == 0, again.output
    assert "1 of 1 records passed and left quarantine; 0 failed again" in again.output
    left = json.loads(runner.invoke(app, ["quarantine", "--lake", lake, "--json"]).output)
    assert [r["reasons"] for r in left] == [["invalid_json"]]
    urls = DeltaTable(articles_path(lake)).to_pyarrow_table()["url"].to_pylist()
    assert sorted(urls) == ["https://news.example.com/bridge", "https://news.example.com/good"]

    nothing = runner.invoke(app, ["reprocess", "--lake", lake, "--reason", "missing_field:url"])
    assert nothing.exit_code == 0 and "nothing to reprocess" in nothing.output


def test_unknown_reason_or_missing_lake_is_a_one_line_error(tmp_path):
    bad = runner.invoke(app, ["quarantine", "--lake", str(tmp_path), "--reason", "bogus"])
    assert bad.exit_code == 2 and "unknown reason code 'bogus'" in bad.output and "invalid_json" in bad.output
    missing = runner.invoke(app, ["reprocess", "--lake", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no lake at" in missing.output
