"""How our keywords compare with the yake package's, on the shared article benchmark.

    .venv/bin/python benchmarks/keywords_vs_yake.py [--pages DIR]

tasks/enrich/keywords.py reimplements YAKE for speed; this script is the check that it still picks
what yake picks. For each English page it extracts 10 keywords both ways (yake 0.7.3 with
n=3, top=10, its defaults otherwise) from the same headline and text, and prints how many of
ours yake also has (case-insensitive; ours leave out phrases that repeat part of a better one,
which yake keeps, so also: how many equal, hold or are part of one of yake's), the time per
article of each, and how many of yake's start or end with a stop word or hold a date or
number, which ours never do.

The compiled alternative, yake-rust (a Rust port of yake with Python bindings, in the `bench`
dependency group: `make bench` installs it), runs beside them with the same settings when it is
installed: its time per article, and how many of its top 10 yake also has.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import yake  # noqa: E402
from enrich_cost import PAGES, load_records  # noqa: E402

from tasks.enrich.keywords import _best, extract_keywords  # noqa: E402  (_best: our rule against overlapping phrases)
from tasks.enrich.language import identify_language  # noqa: E402
from tasks.extract.clean import clean_batch  # noqa: E402
from tasks.text.lexicon import date_words, stop_words  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args()
    rows, _, _ = clean_batch(load_records(args.pages))
    english = [row for row in rows if identify_language(row["text"]).language == "en"]
    extractor = yake.KeywordExtractor(lan="en", n=3, top=40)
    compiled = _yake_rust()
    texts = [f"{row['headline']}\n\n{row['text']}" if row["headline"] else row["text"] for row in english]
    all_ours, ours_time = _timed(lambda row: extract_keywords(row["text"], "en", row["headline"]), english)
    all_ranked, yake_time = _timed(lambda text: [k for k, _ in extractor.extract_keywords(text)], texts)
    all_ported, compiled_time = (
        _timed(lambda text: [k for k, _ in compiled.get_n_best(text, n=10)], texts) if compiled else ([], 0.0)
    )
    compiled_overlaps = [
        len({k.lower() for k in ported} & {k.lower() for k in ranked[:10]}) / max(1, len(ported))
        for ported, ranked in zip(all_ported, all_ranked, strict=False)
    ]
    stops, dates = stop_words("en"), date_words("en")
    overlaps, related, filtered, yake_bad = [], [], [], 0
    for ours, ranked in zip(all_ours, all_ranked, strict=True):
        theirs = ranked[:10]
        # yake's ranking with our rule against phrases that repeat part of a better one
        distinct = _best(((tuple(k.lower().split()), k.lower()) for k in ranked), 10, cjk=False)
        mine, yours = [k.lower() for k in ours], [k.lower() for k in theirs]
        overlaps.append(len(set(mine) & set(yours)) / max(1, len(mine)))
        related.append(sum(any(m in y or y in m for y in yours) for m in mine) / max(1, len(mine)))
        filtered.append(len(set(mine) & set(distinct)) / max(1, len(mine)))
        for keyword in theirs:
            words = keyword.lower().split()
            yake_bad += (
                words[0] in stops or words[-1] in stops or bool(re.search(r"\d", keyword)) or bool(set(words) & dates)
            )
    print(f"English articles: {len(english)}")
    print(f"ours also in yake's top 10: mean {statistics.mean(overlaps):.0%}, median {statistics.median(overlaps):.0%}")
    print(f"ours equal to, part of or holding one of yake's: mean {statistics.mean(related):.0%}")
    print(
        f"ours also in yake's top 10 after dropping overlapping phrases from it: mean {statistics.mean(filtered):.0%}"
    )
    print(
        f"time per article: ours {ours_time / len(english) * 1000:.1f} ms, yake {yake_time / len(english) * 1000:.1f} ms"
    )
    print(f"yake keywords with a stop word at an edge, a number or a date: {yake_bad} of {10 * len(english)}")
    if compiled is None:
        print("yake-rust is not installed (the bench dependency group: `make bench` installs it)")
    else:
        print(
            f"yake-rust: {compiled_time / len(english) * 1000:.1f} ms per article; "
            f"its top 10 also in yake's: mean {statistics.mean(compiled_overlaps):.0%}"
        )


def _timed(extract: Callable[[Any], list[str]], items: list[Any]) -> tuple[list[list[str]], float]:
    """The keywords `extract` gives for each of `items`, and the CPU seconds they took, in a pass
    of its own: interleaved, each extractor's time would include collecting the others' garbage."""
    gc.collect()
    started = time.process_time()
    keywords = [extract(item) for item in items]
    return keywords, time.process_time() - started


def _yake_rust() -> Any:
    """yake-rust's extractor with yake's settings above (English, up to 3 words), or None when
    the bench group is not installed."""
    if importlib.util.find_spec("yake_rust") is None:
        return None
    import yake_rust

    return yake_rust.Yake(language="en", ngrams=3)


if __name__ == "__main__":
    main()
