"""Where the lake's Delta tables live: local folders or object stores (s3://), one way in.

Every DeltaTable / write_deltalake / is_deltatable call of the project goes through here so
that tables on S3 (or an S3-compatible server) get their storage options. Credentials come
from the environment only and are never logged or put in an error message. Local paths get no
options and behave exactly as before. `storage_fault` says in a line what failed when the
storage does (a full disk, a read-only or unreachable store). Inputs (tasks/ingest/files.py) go
through fsspec, whose s3fs reads the same environment variables itself.
"""

from __future__ import annotations

import errno
import os
import re
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pyarrow.dataset as ds
from deltalake import DeltaTable, write_deltalake
from fsspec.utils import get_protocol
from pyarrow.fs import LocalFileSystem, SubTreeFileSystem

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


def table_dataset(table: DeltaTable) -> ds.Dataset:
    """The files of the table's loaded version as a pyarrow dataset. A local table is read through
    pyarrow's own file system: through deltalake's, a process that has read a lot can abort as it
    exits ("terminate called without an active exception", delta-rs #2184)."""
    url = urlsplit(table.table_uri)
    if url.scheme != "file":
        return table.to_pyarrow_dataset()
    return table.to_pyarrow_dataset(filesystem=SubTreeFileSystem(unquote(url.path), LocalFileSystem()))


def table_exists(path: str) -> bool:
    return DeltaTable.is_deltatable(path, storage_options=storage_options(path))


def existing_table(path: str) -> DeltaTable | None:
    return open_table(path) if table_exists(path) else None


def write_table(path: str, data: pa.Table | Any, **kwargs: Any) -> None:
    """write_deltalake with the table's storage options; every other argument as write_deltalake takes it."""
    write_deltalake(path, data, storage_options=storage_options(path), **kwargs)


_NO_ROOM = (errno.ENOSPC, errno.EDQUOT)
_UNREACHABLE = (
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.ETIMEDOUT,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.EPIPE,
)
_CODE_IN_TEXT = re.compile(r"\(os error (\d+)\)|\[Errno (\d+)\]")  # delta-rs (Rust) and Python spell it so
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_ENDPOINT = re.compile(r"https?://[^/\s]+")
_CHAIN_DEPTH = 8


class StorageFault(NamedTuple):
    """The lake's storage failing, as a run reports it: what failed, and what to do first."""

    what: str  # what failed, in a few words, with the place when the error names one
    remedy: str  # the condition to run again under ("once it has room"); "" when running again is enough

    def line(self) -> str:
        again = f"run again {self.remedy}" if self.remedy else "run again"
        return f"run failed: {self.what}. Every table is at its last commit; {again}: it reads whatever this run did not commit"


def storage_fault(error: BaseException, lake: str) -> StorageFault | None:
    """What `error` says about the storage of `lake` when it is an OSError, or was raised from one:
    a full disk, a read-only or unreachable store, a file gone (faults of the machine, not of the
    code, which a traceback would not help with). None for anything else."""
    found = _os_error_in(error)
    if found is None:
        return None
    text = [line.strip(" \u21b3") for line in _ANSI_COLOUR.sub("", str(found)).splitlines()]
    text = [line for line in text if line]  # delta-rs: the error, then one line per cause, the root cause last
    code = found.errno or _code_in(str(found))
    place = f" ({found.filename or lake})"
    if code in _NO_ROOM:
        return StorageFault(f"no space left on the lake's storage{place}", "once it has room")
    if code == errno.EROFS:
        return StorageFault(f"the lake's storage is read-only{place}", "once it is writable")
    if code in (errno.EACCES, errno.EPERM):
        return StorageFault(f"permission denied{place}", "once this user may write there")
    cause = found.strerror or (text[-1] if text else type(found).__name__)
    if code in _UNREACHABLE:
        endpoint = _ENDPOINT.search(str(found))
        where = f" at {endpoint.group()}" if endpoint else ""
        return StorageFault(f"the object store{where} does not answer ({cause})", "once it answers")
    summary = found.strerror or (f"{text[0]}: {cause}" if len(text) > 1 else cause)
    return StorageFault(f"{summary} ({found.filename})" if found.filename else summary, "")


def _os_error_in(error: BaseException) -> OSError | None:
    for _ in range(_CHAIN_DEPTH):
        if isinstance(error, OSError):
            return error
        if error.__cause__ is None:  # only an explicit `raise ... from`: a bug while handling an OSError is a bug
            return None
        error = error.__cause__
    return None


def _code_in(text: str) -> int | None:
    found = _CODE_IN_TEXT.search(text)
    return int(found.group(1) or found.group(2)) if found else None
