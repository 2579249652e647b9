"""Great Expectations Data Docs of every run, under `<lake>/validation/`, readable offline.

Validation happens per batch in memory (tasks/validate/validate.py); once the run has committed, its
batch results are stored in the lake's GX project and the Data Docs site is rebuilt for them:

    <lake>/validation/index.html     every run's validation results, newest first
    <lake>/validation/validations/   one page per batch result (run id / run time / batch-NNNN)
    <lake>/validation/expectations/  the suite
    <lake>/validation/static/        GX's images and fonts, and in vendor/ the scripts and
                                     styles GX would load from CDNs (see datadocs_assets/)
    <lake>/validation/gx/            the GX project: the suite and every stored result (JSON)

Only a lake on the local file system gets Data Docs (GX writes the site with plain file I/O).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from tasks.lake.paths import VALIDATION_FOLDER, RunInfo, local_root

if TYPE_CHECKING:
    from great_expectations.data_context import FileDataContext
    from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

SITE_NAME = "broadsheet"
ASSETS = Path(__file__).with_name("datadocs_assets")
_VENDOR = "static/vendor"
# Every external script and stylesheet the pinned GX version puts in its pages: the local copy
# that replaces it, or None for the ones our pages do not need (profiling charts, dark theme).
CDN_ASSETS: dict[str, str | None] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": None,
}
_EXTERNAL_TAG = re.compile(r'<(script|link)\b[^>]*?\b(?:src|href)="(https?://[^"]+)"[^>]*>(?:\s*</script>)?')
# GX's logos are fetched from S3 (with the context id in the query); its logo ships in static/.
_REMOTE_LOGO = re.compile(r"""https://great-expectations-web-assets\.[^"')\s]*""")


@dataclass(frozen=True)
class DataDocs:
    index: str  # path of the site's index.html
    pages: list[str]  # this run's validation result pages, one per batch


def publish_data_docs(lake: str, results: list[dict[str, Any]], run: RunInfo) -> DataDocs | None:
    """Store the run's batch validation results (GX JSON) and rebuild the site for them.

    Returns where the site is, or None when the lake is not a local folder or has no site yet.
    A run without results leaves the site as it is (importing GX alone takes seconds).
    """
    root = local_root(lake)
    if root is None:
        return None
    if not results:
        index = Path(root) / VALIDATION_FOLDER / "index.html"
        return DataDocs(str(index), []) if index.exists() else None
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from schemas.expectations import SUITE_NAME, articles_suite

    context = _project(Path(root) / VALIDATION_FOLDER)
    context.suites.add_or_update(articles_suite())
    suite_key = ExpectationSuiteIdentifier(name=SUITE_NAME)
    run_key = RunIdentifier(run_name=run.run_id, run_time=run.started_at)
    keys = []
    for number, stored in enumerate(results, start=1):
        result = ExpectationSuiteValidationResultSchema().load(stored)
        # What ValidationDefinition.run records (our batches are validated without one), and the
        # asset name where the page header looks for it.
        result.meta |= {
            "run_id": run_key,
            "validation_time": run.started_at,
            "batch_kwargs": {"data_asset_name": result.asset_name},
        }
        key = ValidationResultIdentifier(suite_key, run_key, f"batch-{number:04d}")
        context.validation_results_store.set(key, result)
        keys.append(key)
    # GX's annotation allows a list of one kind of identifier; it builds from a mixed one all the same.
    site = context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=[suite_key, *keys])[SITE_NAME]  # type: ignore[arg-type]
    index = _file_path(site)
    pages = [_result_page(context, key) for key in keys]
    site_root = index.parent
    _copy_assets(site_root)
    for page in [index, *(Path(p) for p in pages), site_root / "expectations" / f"{SUITE_NAME}.html"]:
        localize_assets(page, site_root)
    return DataDocs(str(index), [str(p) for p in pages])


def localize_assets(page: Path, site_root: Path) -> list[str]:
    """Point `page` at the vendored copies of GX's CDN scripts and styles; returns any external
    URL of a script or stylesheet it does not know (a newer GX would add some)."""
    html = page.read_text(encoding="utf-8")
    to_vendor = os.path.relpath(site_root / _VENDOR, page.parent)
    unknown: list[str] = []

    def local_tag(match: re.Match[str]) -> str:
        kind, url = match.groups()
        if url not in CDN_ASSETS:
            unknown.append(url)
            return match.group(0)
        if (asset := CDN_ASSETS[url]) is None:
            return ""
        href = f"{to_vendor}/{asset}"
        return f'<script src="{href}"></script>' if kind == "script" else f'<link rel="stylesheet" href="{href}">'

    html = _EXTERNAL_TAG.sub(local_tag, html)
    html = _REMOTE_LOGO.sub(os.path.relpath(site_root / "static/images/logo-long.png", page.parent), html)
    page.write_text(html, encoding="utf-8")
    return unknown


def _project(folder: Path) -> FileDataContext:
    """The lake's GX file project, with its Data Docs site at `folder` itself."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(folder))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        # Relative to <folder>/gx: the site's index.html lands in <folder>.
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": "../"},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if context.variables.data_docs_sites != {SITE_NAME: site}:
        context.variables.data_docs_sites = {SITE_NAME: site}
        context.variables.save()
    return context


def _result_page(context: FileDataContext, key: ValidationResultIdentifier) -> Path:
    """The page of one stored batch result."""
    url = context.get_docs_sites_urls(resource_identifier=key, site_name=SITE_NAME)[0]["site_url"]
    if url is None:  # GX gives a URL only for a page that exists, and the site was just built with it
        raise FileNotFoundError(f"Data Docs have no page for the validation result {key}")
    return _file_path(url)


def _copy_assets(site_root: Path) -> None:
    target = site_root / _VENDOR
    for source in ASSETS.rglob("*"):
        destination = target / source.relative_to(ASSETS)
        if source.is_file() and (not destination.exists() or destination.stat().st_size != source.stat().st_size):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def _file_path(url: str) -> Path:
    return Path(os.path.normpath(url2pathname(urlsplit(url).path)))
