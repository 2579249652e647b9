"""Storage options for Delta tables: from the environment, only for object stores."""

import pyarrow as pa

from tasks.lake.storage import existing_table, open_table, storage_options, table_exists, write_table


def test_local_tables_get_no_storage_options(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert storage_options(str(tmp_path / "lake" / "articles")) is None
    assert storage_options(f"file://{tmp_path}/lake/articles") is None


def test_s3_options_come_from_the_environment_only(monkeypatch):
    for name in (
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_S3_LOCKING_PROVIDER",
        "DELTA_DYNAMO_TABLE_NAME",
        "AWS_S3_ALLOW_UNSAFE_RENAME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AWS_ALLOW_HTTP", "true")
    monkeypatch.setenv("AWS_PROFILE", "not-an-option")

    assert storage_options("s3://bucket/lake/articles") == {
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_REGION": "eu-central-1",  # from AWS_DEFAULT_REGION when AWS_REGION is unset
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9000",
        "AWS_ALLOW_HTTP": "true",
    }
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    monkeypatch.setenv("AWS_S3_LOCKING_PROVIDER", "dynamodb")
    options = storage_options("s3a://bucket/lake/articles")
    assert options["AWS_REGION"] == "us-west-2" and options["AWS_S3_LOCKING_PROVIDER"] == "dynamodb"


def test_local_tables_are_written_and_read_as_before(tmp_path):
    path = str(tmp_path / "table")
    assert not table_exists(path) and existing_table(path) is None
    write_table(path, pa.table({"n": [1]}), mode="append")
    write_table(path, pa.table({"n": [2]}), mode="append")
    assert open_table(path).version() == 1
    assert open_table(path, 0).to_pyarrow_table()["n"].to_pylist() == [1]
    assert sorted(existing_table(path).to_pyarrow_table()["n"].to_pylist()) == [1, 2]
