"""The readers the README names read both export forms and the table, with the versions uv.lock pins.

Each export is of the two-version lake's latest version: 6 articles, two without a known month
(the `published_month=__HIVE_DEFAULT_PARTITION__` folder of a partitioned export). Two reader
limits are pinned here too, so that the README's ways around them are dropped once a locked
upgrade lifts them.
"""

from datetime import UTC, datetime

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from tasks.lake.export import export_snapshot
from tasks.lake.paths import articles_path

LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"
ROWS = 6
MONTHS = {"2007-09": 1, "2024-05": 3, None: 2}
FORMS = ("plain", "partitioned")
SINCE_MAY_2024 = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def exports(versioned_lake, tmp_path_factory):
    """Folder of each export form, by name."""
    folders = {form: str(tmp_path_factory.mktemp(form) / "articles") for form in FORMS}
    for form, folder in folders.items():
        export_snapshot(articles_path(versioned_lake), folder, partitioned=form == "partitioned")
    return folders


def _months(values) -> dict[str | None, int]:
    months: dict[str | None, int] = {}
    for value in values:
        month = None if pd.isna(value) else str(value)
        months[month] = months.get(month, 0) + 1
    return months


def test_the_lake_holds_what_these_tests_expect(versioned_lake):
    stored = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table()
    assert (stored.num_rows, _months(stored["published_month"].to_pylist())) == (ROWS, MONTHS)


@pytest.mark.parametrize("form", FORMS)
def test_pandas_reads_each_export_with_string_hive_partitions(exports, form):
    frame = pd.read_parquet(exports[form], partitioning=ds.partitioning(flavor="hive"))
    assert (len(frame), _months(frame["published_month"])) == (ROWS, MONTHS)
    [text] = frame.loc[frame["url"] == LIBRARY_URL, "text"]
    assert "rose 21 percent" in text


def test_pandas_reads_the_plain_export_folder_as_is(exports):
    frame = pd.read_parquet(exports["plain"])
    assert (len(frame), _months(frame["published_month"])) == (ROWS, MONTHS)


def test_pandas_default_hive_dictionaries_still_choke_on_the_unknown_month(exports):
    # pyarrow infers dictionary partitions and cannot merge the null month's (pandas-dev/pandas#55400):
    # the README passes partitioning=ds.partitioning(flavor="hive") instead.
    with pytest.raises(pa.ArrowInvalid, match="Cannot yet unify dictionaries with nulls"):
        pd.read_parquet(exports["partitioned"])


@pytest.mark.parametrize("form", FORMS)
def test_polars_reads_each_export_through_a_parquet_glob(exports, form):
    frame = pl.read_parquet(f"{exports[form]}/**/*.parquet", hive_partitioning=True)
    assert (frame.height, _months(frame["published_month"].to_list())) == (ROWS, MONTHS)
    [text] = frame.filter(pl.col("url") == LIBRARY_URL)["text"].to_list()
    assert "rose 21 percent" in text


def test_polars_cannot_read_the_export_folder_itself(exports):
    # polars reads every file of a folder, the manifest included, whatever its name: hence the glob.
    with pytest.raises(pl.exceptions.InvalidOperationError, match="different file extensions"):
        pl.read_parquet(exports["plain"])


@pytest.mark.parametrize("form", FORMS)
def test_duckdb_reads_each_export(exports, form):
    rows = duckdb.sql(
        f"SELECT published_month, text FROM read_parquet('{exports[form]}/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert (len(rows), _months(month for month, _ in rows)) == (ROWS, MONTHS)


@pytest.mark.parametrize("form", FORMS)
def test_pyarrow_reads_each_export_and_prunes_by_month(exports, form):
    dataset = ds.dataset(exports[form], format="parquet", partitioning="hive")
    table = dataset.to_table()
    assert (table.num_rows, _months(table["published_month"].to_pylist())) == (ROWS, MONTHS)
    may_2024 = dataset.to_table(filter=pc.field("published_month") == "2024-05")
    assert may_2024.num_rows == MONTHS["2024-05"]
    assert pq.read_table(exports[form]).num_rows == ROWS


def test_polars_filters_the_table_by_a_utc_datetime(versioned_lake):
    since = pl.scan_delta(articles_path(versioned_lake)).filter(pl.col("date_published") >= SINCE_MAY_2024).collect()
    assert since.height == MONTHS["2024-05"]
    assert set(since["date_published"].dt.strftime("%Y-%m").to_list()) == {"2024-05"}


def test_polars_refuses_a_naive_datetime_against_the_utc_columns(versioned_lake):
    # Every timestamp column is UTC; the README says so next to the filter above.
    with pytest.raises(pl.exceptions.SchemaError, match=r"Datetime\('μs', 'UTC'\)"):
        pl.scan_delta(articles_path(versioned_lake)).filter(
            pl.col("date_published") >= SINCE_MAY_2024.replace(tzinfo=None)
        ).collect()


def test_deltalake_filters_the_table_by_a_utc_datetime(versioned_lake):
    table = DeltaTable(articles_path(versioned_lake))
    since = table.to_pyarrow_dataset().to_table(filter=pc.field("date_published") >= SINCE_MAY_2024)
    from_pandas = table.to_pandas(filters=[("date_published", ">=", SINCE_MAY_2024)])
    assert since.num_rows == len(from_pandas) == MONTHS["2024-05"]
