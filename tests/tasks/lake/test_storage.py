"""Storage options for Delta tables (from the environment, only for object stores), and storage faults in a line."""

import errno

import pyarrow as pa
import pytest

from tasks.lake.storage import existing_table, open_table, storage_fault, storage_options, table_exists, write_table


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


# What delta-rs (object_store) raises when the S3 endpoint stops answering, colours and all.
S3_DOWN = (
    "Generic S3 error\n          \x1b[31m\u21b3\x1b[0m Error performing PUT http://127.0.0.1:39289/news-lake/lake/"
    "articles/_delta_log/00000000000000000001.json in 4.9s, after 10 retries\n           \x1b[31m\u21b3\x1b[0m"
    " client error (Connect)\n            \x1b[31m\u21b3\x1b[0m Connection refused (os error 111)"
)


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "run failed: no space left on the lake's storage (/lake). Every table is at its last commit;"
            " run again once it has room: it reads whatever this run did not commit",
        ),
        (
            OSError(errno.EROFS, "Read-only file system", "/lake/articles/part-0.parquet"),
            "run failed: the lake's storage is read-only (/lake/articles/part-0.parquet). Every table is at its"
            " last commit; run again once it is writable: it reads whatever this run did not commit",
        ),
        (
            OSError(S3_DOWN),
            "run failed: the object store at http://127.0.0.1:39289 does not answer (Connection refused (os error"
            " 111)). Every table is at its last commit; run again once it answers: it reads whatever this run did"
            " not commit",
        ),
        (
            OSError("Generic LocalFileSystem error: Unable to open file: No space left on device (os error 28)"),
            "run failed: no space left on the lake's storage (/lake). Every table is at its last commit; run again"
            " once it has room: it reads whatever this run did not commit",
        ),
    ],
    ids=["full-disk", "read-only", "s3-down", "delta-rs-full-disk"],
)
def test_storage_faults_are_one_line_saying_what_to_do(error, line):
    fault = storage_fault(error, "/lake")
    assert fault is not None and fault.line() == line
    assert "\n" not in fault.line()


def test_a_fault_found_among_the_causes_counts_and_anything_else_is_not_a_storage_fault():
    try:
        try:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        except OSError as refused:
            raise RuntimeError("could not list the table") from refused
    except RuntimeError as wrapped:
        assert storage_fault(wrapped, "s3://lake").what == "the object store does not answer (Connection refused)"
    assert storage_fault(ValueError("a bug"), "/lake") is None
    assert storage_fault(KeyError("id"), "/lake") is None
