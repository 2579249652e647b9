"""Sources and lake on S3: the flow against moto's S3 server on loopback, read back with deltalake."""

import pytest
import s3fs
from deltalake import DeltaTable

from flows.article_pipeline import article_pipeline
from tasks.lake.paths import articles_path, inputs_path, quarantine_path
from tasks.lake.storage import storage_options
from tests.support.s3 import LAKE_BUCKET, SOURCE_BUCKET

pytestmark = pytest.mark.slow


def _upload(client, folder, bucket, prefix):
    for path in sorted(folder.iterdir()):
        client.put_object(Bucket=bucket, Key=f"{prefix}/{path.name}", Body=path.read_bytes())


def test_pipeline_reads_sources_from_s3_and_writes_the_lake_to_s3(s3_endpoint, raw_dir, tmp_path, caplog):
    _upload(s3_endpoint, raw_dir, SOURCE_BUCKET, "incoming")
    lake = f"s3://{LAKE_BUCKET}/lake"

    summary = article_pipeline(source=f"s3://{SOURCE_BUCKET}/incoming", lake=lake)
    local = article_pipeline(source=str(raw_dir), lake=str(tmp_path / "lake"))

    options = storage_options(lake)
    assert options["AWS_REGION"] == "us-east-1" and options["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    stored = DeltaTable(articles_path(lake), storage_options=options).to_pyarrow_table()
    expected = DeltaTable(articles_path(str(tmp_path / "lake"))).to_pyarrow_table()
    assert summary.inserted == local.inserted == stored.num_rows > 0

    def content(table):  # ids of articles without a URL hash their source URI, so compare what was extracted
        return sorted(zip(table["headline"].to_pylist(), table["text"].to_pylist(), strict=True), key=str)

    assert content(stored) == content(expected)
    assert all(uri.startswith(f"s3://{SOURCE_BUCKET}/incoming/") for uri in stored["source_uri"].to_pylist())
    quarantined = (
        DeltaTable(quarantine_path(lake), storage_options=options).to_pyarrow_table().num_rows
        if summary.quarantined_records
        else 0
    )
    assert quarantined == summary.quarantined_records == local.quarantined_records

    assert not s3fs.S3FileSystem().find(
        f"{LAKE_BUCKET}/lake/_staging"
    )  # the batches staged on S3, the commit cleared it

    rerun = article_pipeline(source=f"s3://{SOURCE_BUCKET}/incoming", lake=lake)
    assert (rerun.records_read, rerun.inserted, rerun.committed, rerun.inputs_recorded) == (0, 0, False, 0)
    stamps = DeltaTable(inputs_path(lake), storage_options=options).to_pyarrow_table()["stamp"].to_pylist()
    assert stamps and all("ETag=" in stamp for stamp in stamps)  # the rerun compared listings: no input read to hash it
    assert caplog.text and "test-secret" not in caplog.text  # credentials are never logged
