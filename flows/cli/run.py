"""`broadsheet run`: the article-pipeline flow over new inputs, with a progress bar and the run summary."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.flow_runs import running_a_flow
from flows.cli.options import BatchSizeOption, LakeOption, RawCapOption, fail
from flows.cli.summary import print_nothing_new, print_summary
from flows.prefect_api import start_server_if_needed
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, IO, LIMITS

if TYPE_CHECKING:
    from prefect import Flow

    from tasks.pipeline import RunSummary


def run(
    sources: Annotated[
        list[str] | None, typer.Argument(help="folders, files or fsspec URLs \\[default: data/raw]")
    ] = None,
    lake: LakeOption = DEFAULT_LAKE,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: RawCapOption = LIMITS.raw_cap_bytes,
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="read every input again, not only new or changed ones")
    ] = False,
    lock_wait: Annotated[
        float, typer.Option(min=0, help="seconds to wait for another run on the same lake to finish")
    ] = IO.lock_wait_seconds,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            show_default=False,
            help="processes that clean and enrich documents side by side \\[default: one per core; on a Dask cluster, one per worker thread]",
        ),
    ] = None,
    dask_address: Annotated[
        str | None,
        typer.Option(
            metavar="tcp://HOST:PORT",
            help="process the batches on the Dask cluster of this scheduler (needs PREFECT_API_URL)",
        ),
    ] = None,
) -> None:
    """Run the article-pipeline flow over the new inputs of SOURCES into the lake, and print the run summary."""
    # Prefect's temporary server takes seconds to start: it starts first, so that this process's
    # imports (a second: the pipeline's modules) and the listing of the inputs overlap it (it stops
    # again at exit when there is nothing new, which costs that path nothing).
    server = start_server_if_needed()
    from flows.dask_cluster import ClusterUnavailableError, check_cluster
    from tasks.ingest.files import SourceNotFoundError, UnsupportedInputError, discover_inputs
    from tasks.lake.ledger import all_recorded
    from tasks.lake.lock import LakeBusyError, wait_until_free
    from tasks.lake.schema_evolution import IncompatibleSchemaError, check_lake_schema
    from tasks.lake.write import LakeNotWritableError, ensure_writable

    sources = sources or [DEFAULT_SOURCE]
    try:
        # Fail fast, before Prefect starts or the lake folder exists, on a bad source.
        found = discover_inputs(sources, lake)
        ensure_writable(lake)
        check_lake_schema(lake)
        if dask_address:
            check_cluster(dask_address)
        # A busy lake ends the command here with one line; failing inside the flow, Prefect logs its traceback.
        wait_until_free(lake, lock_wait, on_wait=lambda said: typer.echo(said, err=True))
    except (
        SourceNotFoundError,
        UnsupportedInputError,
        LakeNotWritableError,
        IncompatibleSchemaError,
        ClusterUnavailableError,
        LakeBusyError,
    ) as error:
        raise fail(str(error)) from None
    if not full_refresh and all_recorded(lake, found.inputs):
        # Nothing to read: said in a second, without starting Prefect (a flow run would only say the same).
        print_nothing_new(found)
        return

    from flows.cli.progress_bar import log_console, progress_bar

    try:
        with (
            running_a_flow(
                lambda: _article_pipeline(prepare_validation=server is not None),
                lake,
                None if dask_address else lambda: _start_document_workers(workers),
                server,
            ) as article_pipeline,
            progress_bar(log_console()),
        ):
            summary = article_pipeline(
                source=sources,
                lake=lake,
                batch_size=batch_size,
                raw_cap_bytes=raw_cap_bytes,
                full_refresh=full_refresh,
                lock_wait_seconds=lock_wait,
                workers=workers,
                dask_address=dask_address,
            )
    except LakeBusyError as error:  # another run took the lake after the check
        raise fail(str(error)) from None
    print_summary(summary)


def _start_document_workers(workers: int | None) -> None:
    from tasks.clean_and_enrich import start_clean_and_enrich_workers

    # The flow's batches (flows/article_pipeline.py `process`) find these processes started.
    start_clean_and_enrich_workers(replace(LIMITS, clean_workers=workers or LIMITS.clean_workers))


def _article_pipeline(*, prepare_validation: bool) -> Flow[..., RunSummary]:
    """The flow; with `prepare_validation`, GX imported and set up too: while the temporary
    server this command started finishes its start, this process has seconds to wait (about 3
    s of GX's start-up moves there from the first batch, where it took CPU from the workers)."""
    from flows.article_pipeline import article_pipeline

    if prepare_validation:
        from tasks.validate.validate import prepare_validation as prepare

        prepare()
    return article_pipeline
