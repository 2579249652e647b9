"""`make serve`: serve every deployment of prefect.yaml from this machine.

prefect.yaml is the one place deployments are declared: `make serve` reads it here (a
process-based runner, no work pool needed), and `prefect deploy` reads it for work pools.
The runner talks to PREFECT_API_URL; the Makefile points that at the project's own server
(`make ui`) unless it is set.

    python -m flows.serve [--file prefect.yaml] [--server-wait SECONDS]
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from flows.prefect_api import server_is_up

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Schedule

PROJECT_FILE = Path(__file__).resolve().parents[1] / "prefect.yaml"


def load_deployments(path: Path = PROJECT_FILE) -> list[RunnerDeployment]:
    """The deployments declared in `path`, ready to serve."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    deployments: list[RunnerDeployment] = []
    for spec in config.get("deployments") or []:
        limit = spec.get("concurrency_limit")
        flow = _flow(spec["entrypoint"])
        deployments.append(
            # Prefect types to_deployment as "or a coroutine" (async_dispatch); called from sync code it is the deployment.
            flow.to_deployment(  # type: ignore[arg-type]
                name=spec["name"],
                description=spec.get("description"),
                tags=spec.get("tags"),
                version=spec.get("version"),
                parameters=spec.get("parameters") or {},
                schedules=[_schedule(s) for s in spec.get("schedules") or []],
                concurrency_limit=ConcurrencyLimitConfig(**limit) if isinstance(limit, dict) else limit,
            )
        )
    return deployments


def _flow(entrypoint: str) -> Flow:
    """The flow an entrypoint ("flows/maintenance.py:lake_maintenance") names, imported as a module
    of the project: Prefect's file loader gives it a throwaway module name that deployments cannot import."""
    path, _, name = entrypoint.partition(":")
    return getattr(importlib.import_module(path.removesuffix(".py").replace("/", ".")), name)


def _schedule(spec: dict[str, Any]) -> Schedule:
    from prefect.schedules import Cron, Interval

    common = {
        "timezone": spec.get("timezone"),
        "active": spec.get("active", True),
        "parameters": spec.get("parameters"),
    }
    if "cron" in spec:
        return Cron(spec["cron"], **common)
    if "interval" in spec:
        return Interval(spec["interval"], **common)
    raise ValueError(f"prefect.yaml: a schedule needs `cron` or `interval`, got {sorted(spec)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file", type=Path, default=PROJECT_FILE, help="deployments file (default: the project's prefect.yaml)"
    )
    parser.add_argument(
        "--server-wait",
        type=float,
        default=60,
        metavar="SECONDS",
        help="how long to wait for a server that is starting",
    )
    args = parser.parse_args(argv)
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        print("error: PREFECT_API_URL is not set: `make serve` sets it to the server of `make ui`", file=sys.stderr)
        return 2
    deployments = load_deployments(args.file)  # imports the flows: time a server that is starting can use
    if not _wait_for_server(api_url, args.server_wait):
        print(
            f"error: no Prefect server answers at {api_url} after {args.server_wait:g} s: start one with `make ui`,"
            " or set PREFECT_API_URL to a running server",
            file=sys.stderr,
        )
        return 2
    from prefect import serve  # flows/__init__.py already set Prefect's defaults

    serve(*deployments)
    return 0


def _wait_for_server(api_url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    if not server_is_up(api_url):
        print(f"waiting up to {seconds:g} s for the Prefect server at {api_url}", file=sys.stderr)
    while not server_is_up(api_url):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)
    return True


if __name__ == "__main__":
    sys.exit(main())
