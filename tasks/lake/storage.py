"""Where the lake's Delta tables live: local folders or object stores (s3://), one way in.

Every DeltaTable / write_deltalake / is_deltatable call of the project goes through here so
that tables on S3 (or an S3-compatible server) get their storage options. Credentials come
from the environment only and are never logged or put in an error message. Local paths get no
options and behave exactly as before. Inputs (tasks/ingest/files.py) go through fsspec, whose s3fs
reads the same environment variables itself.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake
from fsspec.utils import get_protocol

# Environment variable -> delta-rs storage option for s3:// tables (mostly the same name).
# delta-rs commits with conditional writes by default; the last three replace them for stores
# without (README "Object storage").
S3_OPTIONS_FROM_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY": "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN": "AWS_SESSION_TOKEN",
    "AWS_REGION": "AWS_REGION",
    "AWS_ENDPOINT_URL": "AWS_ENDPOINT_URL",  # an S3-compatible server (MinIO, R2, moto ...)
    "AWS_ALLOW_HTTP": "AWS_ALLOW_HTTP",  # "true" for a plain-http endpoint
    "AWS_S3_LOCKING_PROVIDER": "AWS_S3_LOCKING_PROVIDER",  # "dynamodb": commits through a DynamoDB lock table
    "DELTA_DYNAMO_TABLE_NAME": "DELTA_DYNAMO_TABLE_NAME",
    "AWS_S3_ALLOW_UNSAFE_RENAME": "AWS_S3_ALLOW_UNSAFE_RENAME",  # "true": no protection, one writer only
}
_S3_PROTOCOLS = ("s3", "s3a")


def storage_options(path: str) -> dict[str, str] | None:
    """delta-rs storage options for the table at `path`, from the environment; None for local tables."""
    if get_protocol(path) not in _S3_PROTOCOLS:
        return None
    options = {option: os.environ[name] for name, option in S3_OPTIONS_FROM_ENVIRONMENT.items() if os.environ.get(name)}
    if "AWS_REGION" not in options and os.environ.get("AWS_DEFAULT_REGION"):
        options["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"]
    return options


def open_table(path: str, version: int | None = None) -> DeltaTable:
    return DeltaTable(path, version=version, storage_options=storage_options(path))


def table_exists(path: str) -> bool:
    return DeltaTable.is_deltatable(path, storage_options=storage_options(path))


def existing_table(path: str) -> DeltaTable | None:
    return open_table(path) if table_exists(path) else None


def write_table(path: str, data: pa.Table | Any, **kwargs: Any) -> None:
    """write_deltalake with the table's storage options; every other argument as write_deltalake takes it."""
    write_deltalake(path, data, storage_options=storage_options(path), **kwargs)
