"""Whether the lake's tables can take rows of this version's schemas, and how to migrate when not.

A column the code adds (nullable) is compatible: the writers merge it into the table's
schema (`merge_schema=True`), with no rewrite of the existing files; earlier versions stay
readable by time travel with their own schema. Everything else (a type change, a column the
table has and the code dropped, a nullability change, a new non-null column) is incompatible:
the run stops before it writes, saying what differs and how to migrate (`broadsheet migrate`).
Types are compared as Delta stores them, so string and large_string are the same type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.dataset
from deltalake import CommitProperties, Field
from deltalake import Schema as DeltaSchema
from deltalake.exceptions import DeltaError

from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA, SCHEMA_VERSION
from tasks.lake.paths import articles_path, quarantine_path
from tasks.lake.storage import open_table, table_dataset, table_exists, write_table

TABLE_SCHEMAS = {"articles": ARTICLES_SCHEMA, "quarantine": QUARANTINE_SCHEMA}


class IncompatibleSchemaError(RuntimeError):
    """A stored table cannot take this version's rows without a migration."""


@dataclass(frozen=True)
class SchemaDiff:
    table: str
    path: str
    added: list[str] = field(default_factory=list)  # nullable columns the writers will merge in
    incompatible: list[str] = field(default_factory=list)  # one sentence per difference

    @property
    def compatible(self) -> bool:
        return not self.incompatible


def diff_schema(table: str, path: str, stored: DeltaSchema, wanted: pa.Schema) -> SchemaDiff:
    """How the code's `wanted` schema differs from the `stored` one of a table."""
    have = {f.name: f for f in stored.fields}
    want = {f.name: f for f in DeltaSchema.from_arrow(wanted).fields}
    diff = SchemaDiff(table, path)
    for name, column in want.items():
        if name not in have:
            if column.nullable:
                diff.added.append(name)
            else:
                diff.incompatible.append(
                    f"new column `{name}` is required (not null), but the rows already stored have no value for it"
                )
        elif _type(have[name]) != _type(column):
            diff.incompatible.append(
                f"column `{name}` is {_type(have[name])} in the table but {_type(column)} in the schema"
            )
        elif have[name].nullable != column.nullable:
            stored_null, wanted_null = ("nullable", "required") if have[name].nullable else ("required", "nullable")
            diff.incompatible.append(f"column `{name}` is {stored_null} in the table but {wanted_null} in the schema")
    for name in have.keys() - want.keys():
        diff.incompatible.append(f"column `{name}` ({_type(have[name])}) is in the table but no longer in the schema")
    return diff


def lake_schema_diffs(lake: str) -> list[SchemaDiff]:
    """The difference of each existing table of `lake` from this version's schema."""
    diffs = []
    for table, path in (("articles", articles_path(lake)), ("quarantine", quarantine_path(lake))):
        if table_exists(path):
            diffs.append(diff_schema(table, path, open_table(path).schema(), TABLE_SCHEMAS[table]))
    return diffs


def check_lake_schema(lake: str) -> list[SchemaDiff]:
    """Raise IncompatibleSchemaError, naming every difference and the way out, unless every
    table of `lake` can take this version's rows; returns the (compatible) differences."""
    diffs = lake_schema_diffs(lake)
    broken = [d for d in diffs if not d.compatible]
    if broken:
        details = "; ".join(f"{d.table} table ({d.path}): " + "; ".join(d.incompatible) for d in broken)
        raise IncompatibleSchemaError(
            f"the lake does not fit schema {SCHEMA_VERSION} of this broadsheet version: {details}. Nothing was written. "
            f"To migrate, run `broadsheet migrate --lake {lake}`: it rewrites "
            f"{' and '.join(d.table for d in broken)} to the new schema as a new table version (earlier versions stay "
            f"readable by time travel); or keep running the broadsheet version that wrote the lake."
        )
    return diffs


@dataclass(frozen=True)
class Migration:
    table: str
    from_version: int
    to_version: int
    changes: list[str]


def migrate_lake(lake: str) -> list[Migration]:
    """Rewrite every incompatible table of `lake` to this version's schema: columns cast to their
    new types (refusing lossy casts), dropped columns removed. A new version, nothing deleted."""
    migrations = []
    for diff in lake_schema_diffs(lake):
        if diff.compatible:
            continue
        wanted = TABLE_SCHEMAS[diff.table]
        table = open_table(diff.path)
        stored = {f.name for f in table.schema().fields}
        required_new = [f.name for f in wanted if not f.nullable and f.name not in stored]
        if required_new:
            raise IncompatibleSchemaError(
                f"cannot migrate the {diff.table} table: new required column(s) {', '.join(required_new)} have no value "
                "for the stored rows; make them nullable, or give them a default in a migration of your own"
            )
        before = table.version()
        properties = CommitProperties(
            custom_metadata={
                "operation_reason": "broadsheet migrate",
                "schema_version": SCHEMA_VERSION,
                "changes": json.dumps(diff.incompatible),
            }
        )
        # The dataset is opened here: delta-rs cannot open it again from inside its own writer.
        failed: list[IncompatibleSchemaError] = []
        batches = pa.RecordBatchReader.from_batches(
            wanted, _cast_batches(table_dataset(table), wanted, diff.table, failed)
        )
        try:
            write_table(diff.path, batches, mode="overwrite", schema_mode="overwrite", commit_properties=properties)
        except DeltaError:
            if failed:  # delta-rs wraps what the batches raised; nothing was committed
                raise failed[0] from None
            raise
        migrations.append(Migration(diff.table, before, open_table(diff.path).version(), diff.incompatible))
    return migrations


def _cast_batches(
    dataset: pa.dataset.Dataset, wanted: pa.Schema, name: str, failed: list[IncompatibleSchemaError]
) -> Iterator[pa.RecordBatch]:
    for batch in dataset.to_batches():
        columns = []
        for column in wanted:
            if column.name not in batch.schema.names:
                columns.append(pa.nulls(batch.num_rows, column.type))
                continue
            try:
                columns.append(batch.column(column.name).cast(column.type, safe=True))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                failed.append(
                    IncompatibleSchemaError(
                        f"cannot migrate column `{column.name}` of the {name} table to {column.type}: {error}"
                    )
                )
                raise failed[-1] from error
        yield pa.RecordBatch.from_arrays(columns, schema=wanted)


def _type(column: Field) -> str:
    """A column's Delta type: a name for primitives, compact JSON for nested types."""
    type_ = json.loads(column.to_json())["type"]
    return type_ if isinstance(type_, str) else json.dumps(type_, separators=(",", ":"))
