"""Export stage: one version of a lake table as a plain Parquet snapshot folder.

Reads: a Delta table at a version (the latest by default).
Writes: DEST/part-N.parquet, or with `partitioned` Hive folders by the table's partition
columns (DEST/published_month=2024-05/part-N.parquet, unknown months under
published_month=__HIVE_DEFAULT_PARTITION__), then DEST/_manifest.json naming the table version.
The manifest is written last: a folder without it is an unfinished export. Readers need no
Delta support, but two of them need telling (tests/tasks/lake/test_export_readers.py pins both):
polars reads every file of a folder, the manifest too, so it reads the glob DEST/**/*.parquet;
pyarrow's default Hive discovery, which pandas uses, makes dictionaries it cannot merge with the
null month (pandas-dev/pandas#55400), so pandas reads with partitioning=ds.partitioning(flavor="hive").
The null folder stays: it is what every other reader takes for null.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from deltalake import DeltaTable

from schemas.tables import ARTICLES_SCHEMA
from tasks.config import LAKE, LakeSettings
from tasks.lake.storage import open_table, table_dataset
from tasks.lake.versions import open_version, vacuumed

MANIFEST = "_manifest.json"
FORMATS = ("parquet",)
_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # what Hive, Spark, Delta, pyarrow and DuckDB read as null


class ExportDestinationError(ValueError):
    """DEST holds something an export must not overwrite."""


@dataclass(frozen=True)
class ExportedFile:
    path: str  # relative to the export folder
    rows: int
    bytes: int


@dataclass(frozen=True)
class ExportManifest:
    table: str
    table_version: int
    table_version_committed_at: str
    schema_version: str | None
    exported_at: str
    exported_by: str
    format: str
    partitioning: dict[str, object] | None
    rows: int
    files: list[ExportedFile]
    columns: list[dict[str, str | None]]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def export_snapshot(
    table_path: str,
    dest: str,
    version: int | None = None,
    *,
    partitioned: bool = False,
    overwrite: bool = False,
    descriptions: pa.Schema = ARTICLES_SCHEMA,
    settings: LakeSettings = LAKE,
) -> ExportManifest:
    """Write `table_path` at `version` to the folder `dest` as plain Parquet and return its manifest.

    Files aim at `settings.target_file_bytes`, judged from the table's own bytes per row.
    `dest` must be new or empty, or an earlier export when `overwrite` is set.
    """
    table = open_version(table_path, version)
    fs, root = _filesystem(dest)
    _prepare(fs, root, overwrite)
    dataset = table_dataset(table)
    partition_columns = table.metadata().partition_columns if partitioned else []
    rows_per_file = _rows_per_file(table, settings.target_file_bytes)
    written: list[ExportedFile] = []

    def remember(file: ds.WrittenFile) -> None:
        written.append(ExportedFile(os.path.relpath(file.path, root), file.metadata.num_rows, file.size))

    try:
        ds.write_dataset(
            dataset,
            root,
            filesystem=fs,
            format="parquet",
            basename_template="part-{i}.parquet",
            partitioning=_hive(dataset.schema, partition_columns),
            max_rows_per_file=rows_per_file,
            max_rows_per_group=rows_per_file,
            existing_data_behavior="overwrite_or_ignore",
            file_visitor=remember,
        )
    except FileNotFoundError as error:
        raise vacuumed(table) from error
    if not written:  # an empty version still exports its schema, so readers see the columns
        empty = f"{root}/part-0.parquet"
        pq.write_table(dataset.schema.empty_table(), empty, filesystem=fs)
        written.append(ExportedFile("part-0.parquet", 0, fs.get_file_info(empty).size))

    commit = _commit_of(table)
    manifest = ExportManifest(
        table=table.table_uri,
        table_version=table.version(),
        table_version_committed_at=datetime.fromtimestamp(commit["timestamp"] / 1000, UTC).isoformat(),
        schema_version=commit.get("schema_version"),
        exported_at=datetime.now(UTC).isoformat(),
        exported_by=f"broadsheet {package_version('broadsheet')}",
        format="parquet",
        partitioning={"flavor": "hive", "columns": partition_columns, "null_value": _NULL_PARTITION}
        if partition_columns
        else None,
        rows=sum(f.rows for f in written),
        files=sorted(written, key=lambda f: f.path),
        columns=[_describe(field, descriptions) for field in dataset.schema],
    )
    with fs.open_output_stream(f"{root}/{MANIFEST}") as out:
        out.write(manifest.to_json().encode("utf-8"))
    return manifest


def _filesystem(dest: str) -> tuple[pafs.FileSystem, str]:
    if "://" in dest:
        return pafs.FileSystem.from_uri(dest)
    return pafs.LocalFileSystem(), os.path.abspath(dest)


def _prepare(fs: pafs.FileSystem, root: str, overwrite: bool) -> None:
    """Create `root`, or empty it when it is an earlier export and `overwrite` is set."""
    info = fs.get_file_info(root)
    if info.type == pafs.FileType.NotFound:
        fs.create_dir(root)
        return
    if info.type != pafs.FileType.Directory:
        raise ExportDestinationError(f"export destination is a file: {root}")
    if not fs.get_file_info(pafs.FileSelector(root)):
        return
    if fs.get_file_info(f"{root}/{MANIFEST}").type == pafs.FileType.NotFound:
        raise ExportDestinationError(f"export destination is not empty and holds no earlier export: {root}")
    if not overwrite:
        raise ExportDestinationError(f"export destination holds an earlier export: {root} (--overwrite replaces it)")
    fs.delete_dir_contents(root)


def _rows_per_file(table: DeltaTable, target_bytes: int) -> int:
    """Rows that fill about `target_bytes`, at the table's own compressed bytes per row."""
    files = pa.table(table.get_add_actions(flatten=True))
    rows = pc.sum(files["num_records"]).as_py() or 0
    size = pc.sum(files["size_bytes"]).as_py() or 0
    if not rows or not size:
        return 1_000_000
    return max(1_000, int(target_bytes * rows / size))


def _hive(schema: pa.Schema, columns: list[str]) -> ds.Partitioning | None:
    if not columns:
        return None
    return ds.partitioning(pa.schema([schema.field(c) for c in columns]), flavor="hive")


def _commit_of(table: DeltaTable) -> dict:
    """The commit that made the table's loaded version, with the schema_version in force then."""
    commits = [c for c in open_table(table.table_uri).history() if c["version"] <= table.version()]
    commit = dict(commits[0])
    commit["schema_version"] = next((c["schema_version"] for c in commits if "schema_version" in c), None)
    return commit


def _describe(field: pa.Field, descriptions: pa.Schema) -> dict[str, str | None]:
    index = descriptions.get_field_index(field.name)
    metadata = (descriptions.field(index).metadata or {}) if index >= 0 else {}
    description = metadata.get(b"description")
    return {
        "name": field.name,
        "type": str(field.type),
        "description": description.decode("utf-8") if description else None,
    }
