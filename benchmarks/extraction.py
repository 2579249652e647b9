"""Both extraction benchmarks, broadsheet's clean stage against plain trafilatura, in one run.

1. article-extraction (../shared/benchmarks/article-extraction beside the repository): 181
   real news and blog pages with hand-checked bodies, scored by its own score_body.py (F1 /
   precision / recall over 4-word shingles, and exact: the share of pages whose words are
   identical to the truth);
2. trafilatura-eval (../shared/benchmarks/trafilatura-eval): 990 pages in many languages and
   layouts with snippets that must and must not be in the text, scored by its own
   score_snippets.py (micro-averaged snippet F1 / precision / recall).

For each benchmark it runs broadsheet's clean stage (tasks.extract.clean.clean_batch: the
pipeline's clean_or_reject, in the per-document deadline workers) and plain
`trafilatura.extract`, each in --workers processes, and prints one table: a row per system, the
benchmarks side by side, with pages/s. Then, per benchmark, broadsheet's --worst pages and the
pages where it does worse than trafilatura; for article-extraction also how often our metadata
agrees with each page's JSON-LD.

usage: .venv/bin/python benchmarks/extraction.py [--only NAME] [--limit N] [--worst N]
           [--tuned] [--workers N] [--worker-cost] [--out DIR] [--data DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html as html_lib
import importlib.util
import io
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from tasks.config import Limits  # noqa: E402
from tasks.enrich.language import identify_language  # noqa: E402
from tasks.extract.clean import clean_batch  # noqa: E402
from tasks.extract.dates import parse_date  # noqa: E402
from tasks.extract.html_page import parse_html  # noqa: E402
from tasks.extract.jsonld import jsonld_articles  # noqa: E402
from tasks.records import RawRecord  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks"
BODIES = "article-extraction"
SNIPPETS = "trafilatura-eval"
WORSE_BY = 0.05
_NON_WORD = re.compile(r"[\W_]+")
_SNIPPET_TOTALS = re.compile(r"snippets F1 (\S+) precision (\S+) recall (\S+)")
_SNIPPET_PAGE = re.compile(r"^  (.+): (\d+) wanted snippets missing, (\d+) unwanted present$", re.M)

OURS = "broadsheet clean stage"
PLAIN = "trafilatura.extract (plain)"
TUNED = "trafilatura.extract (favor_precision, no comments)"
TRAFILATURA_OPTIONS = {PLAIN: {}, TUNED: {"favor_precision": True, "include_comments": False}}


@dataclass
class Scores:
    """One system's scores on one benchmark, as the benchmark's own scorer computes them."""

    totals: dict[str, float]  # the benchmark's columns (f1, precision, recall, ...)
    per_page: dict[str, Any]  # page id -> the scorer's per-page result
    pages_per_second: float = 0.0


@dataclass
class Benchmark:
    """A benchmark folder: its pages, its scorer module, and how to score and explain a system."""

    name: str
    folder: Path
    scorer: Any
    pages: dict[str, bytes]  # page id -> the page's bytes
    urls: dict[str, str]
    columns: tuple[tuple[str, str], ...]  # (header, key of Scores.totals)
    digits: int  # as the scorer prints them
    scores: dict[str, Scores] = field(default_factory=dict)

    def trafilatura_input(self, page_id: str) -> bytes | str:
        """What trafilatura is given: the bytes, except where the benchmark's anchor decodes them."""
        if self.name == SNIPPETS:  # score_snippets.texts_from_trafilatura, the README's 0.9175
            return self.pages[page_id].decode("utf-8", errors="replace")
        return self.pages[page_id]

    def score(self, predictions: dict[str, str]) -> Scores:
        return _score_snippets(self, predictions) if self.name == SNIPPETS else _score_bodies(self, predictions)


def load_benchmark(name: str, data: Path, limit: int | None) -> Benchmark:
    """The benchmark's first `limit` pages (all without one), with its scorer."""
    folder = data / name
    if name == BODIES:
        scorer = load_scorer(folder / "score_body.py")
        ids = sorted(path.name.removesuffix(".html.gz") for path in (folder / "html").glob("*.html.gz"))[:limit]
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        pages = {k: gzip.decompress((folder / "html" / f"{k}.html.gz").read_bytes()) for k in ids}
        columns: tuple[tuple[str, str], ...] = (
            ("F1", "f1"),
            ("prec", "precision"),
            ("recall", "recall"),
            ("exact", "accuracy"),
        )
        return Benchmark(name, folder, scorer, pages, {k: truth[k].get("url", "") for k in ids}, columns, 3)
    scorer = load_scorer(folder / "score_snippets.py")
    snippets = scorer.snippets()
    ids = list(snippets)[:limit]
    pages = {k: scorer.page_bytes(k) for k in ids}
    columns = (("F1", "f1"), ("prec", "precision"), ("recall", "recall"))
    return Benchmark(name, folder, scorer, pages, {k: snippets[k].get("url", "") for k in ids}, columns, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="the folder holding both benchmark folders")
    parser.add_argument("--only", choices=[BODIES, SNIPPETS], help="run this benchmark only")
    parser.add_argument("--limit", type=int, help="only the first N pages of each benchmark, for a quick look")
    parser.add_argument("--worst", type=int, default=10, help="list broadsheet's N worst pages of each benchmark")
    parser.add_argument("--tuned", action="store_true", help=f"add a row: {TUNED}")
    parser.add_argument("--workers", type=int, default=2, help="processes for each system (default 2)")
    parser.add_argument(
        "--worker-cost", action="store_true", help="also time the clean stage in-process against one deadline worker"
    )
    parser.add_argument("--out", type=Path, help="also write each system's predictions as <out>/<benchmark>/*.json")
    args = parser.parse_args()

    benchmarks = [
        load_benchmark(name, args.data, args.limit) for name in (BODIES, SNIPPETS) if args.only in (None, name)
    ]
    for bench in benchmarks:
        print(f"{bench.name}: {len(bench.pages)} pages from {bench.folder}")
    limits = Limits(clean_workers=args.workers)
    first = benchmarks[0]
    clean_stage_rows(dict(list(first.pages.items())[: args.workers]), limits)  # starts the workers before the clock

    systems = [PLAIN, TUNED] if args.tuned else [PLAIN]
    rows: dict[str, dict[str, dict[str, Any] | None]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for bench in benchmarks:
            rows[bench.name], seconds = _timed(clean_stage_rows, bench.pages, limits)
            predictions = {OURS: {k: row["text"] if row else "" for k, row in rows[bench.name].items()}}
            bench.scores[OURS] = _scored(bench, predictions[OURS], seconds)
            for system in systems:
                predictions[system], seconds = _timed(_trafilatura_texts, pool, bench, TRAFILATURA_OPTIONS[system])
                bench.scores[system] = _scored(bench, predictions[system], seconds)
            if args.out:
                (args.out / bench.name).mkdir(parents=True, exist_ok=True)
                for system, texts in predictions.items():
                    path = args.out / bench.name / f"{_slug(system)}.json"
                    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")

    print()
    _print_table(benchmarks, [OURS, *systems], args.workers)
    if args.worker_cost:
        for bench in benchmarks:
            _, in_process = _timed(clean_stage_rows, bench.pages, Limits(document_timeout_s=None))
            _, one_worker = _timed(clean_stage_rows, bench.pages, Limits(clean_workers=1))  # slot 0, started above
            print(f"{bench.name}: one deadline worker against in-process: {one_worker / in_process - 1:+.1%} wall time")
    for bench in benchmarks:
        if bench.name == BODIES:
            _explain_bodies(bench, rows[bench.name], args.worst)
            _metadata_agreement(bench.pages, rows[bench.name])
        else:
            _explain_snippets(bench, args.worst)


def _scored(bench: Benchmark, predictions: dict[str, str], seconds: float) -> Scores:
    scores = bench.score(predictions)
    scores.pages_per_second = len(bench.pages) / seconds
    return scores


def _print_table(benchmarks: list[Benchmark], systems: list[str], workers: int) -> None:
    """One row per system, each benchmark's columns side by side."""
    width = max(len(s) for s in systems)
    groups = [" ".join(f"{header:>{b.digits + 3}}" for header, _ in b.columns) + f" {'pages/s':>7}" for b in benchmarks]
    titles = [f"{f'{b.name} ({len(b.pages)} pages)':^{len(g)}}" for b, g in zip(benchmarks, groups, strict=True)]
    print(f"{'':{width}}   " + " | ".join(titles))
    print(f"{'system':{width}}   " + " | ".join(groups))
    for system in systems:
        cells = []
        for b in benchmarks:
            s = b.scores[system]
            cells.append(
                " ".join(f"{s.totals[key]:>{b.digits + 3}.{b.digits}f}" for _, key in b.columns)
                + f" {s.pages_per_second:7.1f}"
            )
        print(f"{system:{width}}   " + " | ".join(cells))
    print(f"(each system in {workers} processes; pages/s are wall-clock, comparable within one run)")


def clean_stage_rows(pages: dict[str, bytes], limits: Limits) -> dict[str, dict[str, Any] | None]:
    """Rows of the clean stage per page id (None for a page it rejected)."""
    records = [RawRecord(page_id, 0, "html", html) for page_id, html in pages.items()]
    rows, _, _ = clean_batch(records, limits)
    by_id: dict[str, dict[str, Any] | None] = dict.fromkeys(pages)
    by_id.update({row["source_uri"]: row for row in rows})
    return by_id


def _trafilatura_texts(pool: ProcessPoolExecutor, bench: Benchmark, options: dict[str, Any]) -> dict[str, str]:
    """trafilatura.extract's text of every page, the pages spread over the pool's processes."""
    jobs = [(k, bench.trafilatura_input(k), options) for k in bench.pages]
    return dict(zip(bench.pages, pool.map(_trafilatura_text, jobs, chunksize=8), strict=True))


def _trafilatura_text(job: tuple[str, bytes | str, dict[str, Any]]) -> str:
    _, page, options = job
    return trafilatura.extract(page, **options) or ""


def _score_bodies(bench: Benchmark, predictions: dict[str, str]) -> Scores:
    truth = bench.scorer.load_texts(bench.folder / "ground-truth.json")
    result = bench.scorer.score({k: truth[k] for k in bench.pages}, predictions)
    return Scores({key: result[key] for _, key in bench.columns}, result["per_page"])


def _score_snippets(bench: Benchmark, predictions: dict[str, str]) -> Scores:
    """score_snippets.py's own `score` command on these pages, its output read back.

    Its per-page lines (all pages, worst first) give each page's (missing, leaked) counts.
    """
    snippets = bench.scorer.snippets()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.json"
        path.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
        output = io.StringIO()
        saved = sys.argv, bench.scorer.snippets
        sys.argv = ["score_snippets.py", "score", str(path), "--worst", str(len(bench.pages))]
        bench.scorer.snippets = lambda: {k: snippets[k] for k in bench.pages}  # --limit: only these pages
        try:
            with contextlib.redirect_stdout(output):
                bench.scorer.main()
        finally:
            sys.argv, bench.scorer.snippets = saved
    printed = output.getvalue()
    totals = _SNIPPET_TOTALS.search(printed)
    if totals is None:
        raise SystemExit(f"score_snippets.py printed no totals:\n{printed}")
    per_page = {m[1]: (int(m[2]), int(m[3])) for m in _SNIPPET_PAGE.finditer(printed)}
    if per_page.keys() != bench.pages.keys():
        raise SystemExit(f"score_snippets.py listed {len(per_page)} of {len(bench.pages)} pages")
    f1, precision, recall = (float(value) for value in totals.groups())
    return Scores({"f1": f1, "precision": precision, "recall": recall}, per_page)


def _explain_bodies(bench: Benchmark, rows: dict[str, dict[str, Any] | None], worst: int) -> None:
    """Pages where broadsheet is worse than plain trafilatura, and broadsheet's worst pages."""
    ours_pages = bench.scores[OURS].per_page
    plain_pages = bench.scores[PLAIN].per_page
    truth = bench.scorer.load_texts(bench.folder / "ground-truth.json")
    worse = sorted(
        (k for k in bench.pages if page_f1(ours_pages[k]) < page_f1(plain_pages[k]) - WORSE_BY),
        key=lambda k: page_f1(ours_pages[k]) - page_f1(plain_pages[k]),
    )
    print(
        f"\n{bench.name}: pages where broadsheet is worse than plain trafilatura by more than {WORSE_BY} F1: {len(worse)}"
    )
    for k in worse:
        print(
            f"  {k[:16]}  ours {page_f1(ours_pages[k]):.3f}  trafilatura {page_f1(plain_pages[k]):.3f}  {bench.urls[k]}"
        )
    if not worst:
        return
    print(f"\n{bench.name}: {worst} worst pages (broadsheet):")
    print(
        f"  {'page':16}  {'F1':>5} {'prec':>5} {'recall':>6} {'traf.':>5} {'extractor':24} {'words ours/true':>15}  url"
    )
    for k in sorted(bench.pages, key=lambda k: page_f1(ours_pages[k]))[:worst]:
        precision, recall = (value if value is not None else 0.0 for value in ours_pages[k])
        row = rows[k] or {}
        words = f"{len((row.get('text') or '').split())}/{len(truth[k].split())}"
        print(
            f"  {k[:16]}  {page_f1(ours_pages[k]):5.3f} {precision:5.3f} {recall:6.3f} {page_f1(plain_pages[k]):5.3f}"
            f" {row.get('extractor', 'rejected'):24} {words:>15}  {bench.urls[k]}"
        )


def _explain_snippets(bench: Benchmark, worst: int) -> None:
    """How many pages each side does better on, and broadsheet's worst pages (most misses first)."""
    ours_pages = bench.scores[OURS].per_page
    plain_pages = bench.scores[PLAIN].per_page
    snippets = bench.scorer.snippets()
    worse = sum(sum(ours_pages[k]) > sum(plain_pages[k]) for k in bench.pages)
    better = sum(sum(ours_pages[k]) < sum(plain_pages[k]) for k in bench.pages)
    print(
        f"\n{bench.name}: pages with more misses (wanted snippets missing + unwanted present) than plain"
        f" trafilatura: {worse}; with fewer: {better}"
    )
    if not worst:
        return
    print(f"\n{bench.name}: {worst} worst pages (broadsheet; the scorer's order, most misses first):")
    pages = list(ours_pages)[:worst]
    width = max(len(k) for k in pages)
    print(f"  {'page':{width}}  {'missing':>9} {'unwanted':>9} {'traf. miss/unw.':>15}  url")
    for k in pages:
        missing, leaked = ours_pages[k]
        wanted, unwanted = len(snippets[k]["with"]), len(snippets[k]["without"])
        theirs = "{}/{}".format(*plain_pages[k])
        print(f"  {k:{width}}  {missing:>4} of {wanted:<2} {leaked:>4} of {unwanted:<2} {theirs:>15}  {bench.urls[k]}")


def _metadata_agreement(pages: dict[str, bytes], rows: dict[str, dict[str, Any] | None]) -> None:
    """How often our fields equal the page's own JSON-LD article block, field by field."""
    fields: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool | None]] = {
        "headline": lambda ld, row: _same_text(_string(ld.get("headline")), row["headline"]),
        "description": lambda ld, row: _same_text(_string(ld.get("description")), row["description"]),
        "authors": lambda ld, row: _same_names(_names(ld.get("author")), row["authors"]),
        "date_published": lambda ld, row: _same_date(ld.get("datePublished"), row["date_published"]),
        "date_modified": lambda ld, row: _same_date(ld.get("dateModified"), row["date_modified"]),
        "publisher": lambda ld, row: _same_names(
            _names(ld.get("publisher")), [row["publisher"]] if row["publisher"] else []
        ),
        "article_section": lambda ld, row: _same_names(_strings(ld.get("articleSection")), row["article_section"]),
        "language": lambda ld, row: _same_language(ld.get("inLanguage"), row["declared_language"]),
    }
    counts = {name: [0, 0] for name in fields}
    with_jsonld = 0
    language_checked = language_agrees = 0
    for page_id, html in pages.items():
        row = rows[page_id]
        if row is None:
            continue
        if row["declared_language"]:
            language_checked += 1
            language_agrees += identify_language(row["text"]).language == row["declared_language"]  # the model alone
        tree = parse_html(html.decode("utf-8", errors="replace"))
        articles = jsonld_articles(tree) if tree is not None else []
        if not articles:
            continue
        with_jsonld += 1
        for name, agrees in fields.items():
            verdict = agrees(articles[0], row)
            if verdict is not None:
                counts[name][0] += verdict
                counts[name][1] += 1
    print(f"\nmetadata agreement with the page's JSON-LD article ({with_jsonld} pages have one):")
    for name, (agree, present) in counts.items():
        share = f"{agree / present:6.1%}" if present else "     -"
        print(f"  {name:16} {agree:4d} / {present:<4d} {share}")
    print(
        f"\ndeclared language (<html lang>, og:locale, inLanguage) = detected language: "
        f"{language_agrees} / {language_checked} pages ({language_agrees / max(1, language_checked):.1%})"
    )


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v.strip()]


def _names(value: Any) -> list[str]:
    """Names of JSON-LD Person/Organization nodes given as strings, objects or lists of either."""
    values = value if isinstance(value, list) else [value]
    names = []
    for node in values:
        name = node.get("name") if isinstance(node, dict) else node
        if isinstance(name, str) and name.strip():
            names.append(name)
    return names


def _key(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def _same_text(expected: str | None, ours: str | None) -> bool | None:
    if expected is None:
        return None
    return _key(html_lib.unescape(expected)) == _key(ours or "")


def _same_names(expected: list[str], ours: list[str]) -> bool | None:
    if not expected:
        return None
    return {_key(n) for n in expected} == {_key(n) for n in ours}


def _same_date(expected: Any, ours: Any) -> bool | None:
    parsed = parse_date(expected) if isinstance(expected, str) else None
    return None if parsed is None else parsed == ours


def _same_language(expected: Any, ours: str | None) -> bool | None:
    code = expected.get("alternateName") if isinstance(expected, dict) else expected
    if not isinstance(code, str) or not code.strip():
        return None
    return code.strip().lower()[:2] == (ours or "")


def page_f1(precision_recall: tuple[float | None, float | None]) -> float:
    precision, recall = (value if value is not None else 0.0 for value in precision_recall)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _timed(work: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work(*args)
    return result, time.perf_counter() - started


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score_body", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
