"""Article extraction benchmark: broadsheet's clean stage against plain trafilatura, in one run.

Runs on every page of the shared article-extraction benchmark (181 real news and blog pages
with hand-checked bodies; ../shared/benchmarks/article-extraction beside the repository):

1. broadsheet's clean stage (tasks.extract.clean.clean_batch, with its per-document deadline worker),
   the same stage in-process (no deadline) to show what the worker costs, plain
   `trafilatura.extract(html)` and trafilatura with the settings broadsheet uses;
2. scores each with the benchmark's own score_body.py (F1 / precision / recall over 4-word
   shingles) and prints pages/s of each;
3. lists every page where broadsheet is worse than plain trafilatura by more than 0.05 F1, and
   broadsheet's ten worst pages;
4. checks metadata: for each page with a JSON-LD article block, how often broadsheet's fields
   agree with it, and how often the page's declared language agrees with the detected one.

usage: .venv/bin/python benchmarks/extraction.py [--data DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import html as html_lib
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable
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

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
WORSE_BY = 0.05
_NON_WORD = re.compile(r"[\W_]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument("--out", type=Path, help="also write each system's PREDICTIONS.json here")
    args = parser.parse_args()

    scorer = _load_scorer(args.data / "score_body.py")
    truth = scorer.load_texts(args.data / "ground-truth.json")
    urls = {
        k: v.get("url", "")
        for k, v in json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8")).items()
    }
    pages = {
        path.name.removesuffix(".html.gz"): gzip.decompress(path.read_bytes())
        for path in sorted((args.data / "html").glob("*.html.gz"))
    }
    print(f"{len(pages)} pages from {args.data}\n")

    first = next(iter(pages))
    _, worker_start_seconds = _timed(lambda: _clean_stage({first: pages[first]}, Limits()))  # starts the worker
    _, in_process_seconds = _timed(lambda: _clean_stage(pages, Limits(document_timeout_s=None)))
    ours_rows, ours_seconds = _timed(lambda: _clean_stage(pages, Limits()))
    plain, plain_seconds = _timed(lambda: {k: trafilatura.extract(html) or "" for k, html in pages.items()})
    tuned, tuned_seconds = _timed(
        lambda: {
            k: trafilatura.extract(html, favor_precision=True, include_comments=False) or ""
            for k, html in pages.items()
        }
    )
    ours = {k: row["text"] if row else "" for k, row in ours_rows.items()}

    systems = [
        ("broadsheet clean stage", ours, ours_seconds),
        ("  same, in-process (no deadline worker)", None, in_process_seconds),
        ("trafilatura.extract (plain)", plain, plain_seconds),
        ("trafilatura.extract (favor_precision, no comments)", tuned, tuned_seconds),
    ]
    scores = {}
    print(f"{'system':52} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6} {'pages/s':>8}")
    for name, predictions, seconds in systems:
        rate = len(pages) / seconds
        if predictions is None:
            print(f"{name:52} {'':>6} {'':>6} {'':>6} {'':>6} {rate:8.1f}")
            continue
        result = scores[name] = scorer.score(truth, predictions)
        print(
            f"{name:52} {result['f1']:6.3f} {result['precision']:6.3f} {result['recall']:6.3f} {result['accuracy']:6.3f} {rate:8.1f}"
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{_slug(name)}.json").write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
    print(
        f"\ndeadline worker: start-up (and first page) {worker_start_seconds:.1f} s once per process;"
        f" per-page overhead {ours_seconds / in_process_seconds - 1:+.1%} wall time"
    )

    ours_pages = scores["broadsheet clean stage"]["per_page"]
    plain_pages = scores["trafilatura.extract (plain)"]["per_page"]
    worse = sorted(
        (k for k in truth if _f1(ours_pages[k]) < _f1(plain_pages[k]) - WORSE_BY),
        key=lambda k: _f1(ours_pages[k]) - _f1(plain_pages[k]),
    )
    print(f"\npages where broadsheet is worse than plain trafilatura by more than {WORSE_BY} F1: {len(worse)}")
    for k in worse:
        print(f"  {k[:16]}  ours {_f1(ours_pages[k]):.3f}  trafilatura {_f1(plain_pages[k]):.3f}  {urls[k]}")

    print("\nten worst pages (broadsheet):")
    print(f"  {'page':16}  {'F1':>5} {'prec':>5} {'recall':>6} {'extractor':24} {'words ours/true':>15}  url")
    for k in sorted(truth, key=lambda k: _f1(ours_pages[k]))[:10]:
        precision, recall = (value if value is not None else 0.0 for value in ours_pages[k])
        row = ours_rows[k] or {}
        words = f"{len(ours[k].split())}/{len(truth[k].split())}"
        print(
            f"  {k[:16]}  {_f1(ours_pages[k]):5.3f} {precision:5.3f} {recall:6.3f} {row.get('extractor', 'rejected'):24} {words:>15}  {urls[k]}"
        )

    _metadata_agreement(pages, ours_rows)


def _clean_stage(pages: dict[str, bytes], limits: Limits) -> dict[str, dict[str, Any] | None]:
    """Rows of the clean stage per page id (None for a page it rejected)."""
    records = [RawRecord(page_id, 0, "html", html) for page_id, html in pages.items()]
    rows, _, _ = clean_batch(records, limits)
    by_id: dict[str, dict[str, Any] | None] = dict.fromkeys(pages)
    by_id.update({row["source_uri"]: row for row in rows})
    return by_id


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


def _f1(precision_recall: tuple[float | None, float | None]) -> float:
    precision, recall = (value if value is not None else 0.0 for value in precision_recall)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _load_scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score_body", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
