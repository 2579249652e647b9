"""A third extraction check on pages nobody tuned for: newspaper4k's own test pages.

newspaper4k's source distribution ships real news pages (tests/data/html) with the article text
its maintainers expect for each (tests/data/txt): CNN, Time, Wired, a Chinese, a Japanese, a
Thai, a Burmese, an Arabic and a Latvian page among them. No rule of broadsheet was read off them.
This script reads the pairs straight from the archive, runs broadsheet's clean stage and plain
`trafilatura.extract` on the same pages, and scores both with the article-extraction benchmark's
own metric (score_body.py: F1 over 4-word shingles). The expected texts are newspaper4k's, not a
hand-checked truth: some keep a related-links line, one ends where a paywall cuts the article.
Read the figures side by side, not as absolute scores.

Get the archive first (PyPI's source distribution, 4 MB):

    pip download --no-deps --no-binary :all: newspaper4k==0.9.6 -d /tmp/np4k

usage: .venv/bin/python benchmarks/newspaper4k_texts.py /tmp/np4k/newspaper4k-0.9.6.tar.gz [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import trafilatura  # noqa: E402
from extraction import BODIES, DATA, clean_stage_rows, load_scorer, page_f1  # noqa: E402

from tasks.config import Limits  # noqa: E402

_PAGES = "tests/data/html/"
_TEXTS = "tests/data/txt/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sdist", type=Path, help="newspaper4k's source archive (newspaper4k-0.9.6.tar.gz)")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder holding the article-extraction benchmark")
    args = parser.parse_args()

    pages, texts = _pages_with_texts(args.sdist)
    scorer = load_scorer(args.data / BODIES / "score_body.py")
    rows = clean_stage_rows(pages, Limits())
    predictions = {
        "broadsheet clean stage": {name: (row or {}).get("text") or "" for name, row in rows.items()},
        "trafilatura.extract (plain)": {
            name: trafilatura.extract(html.decode("utf-8", errors="replace")) or "" for name, html in pages.items()
        },
    }
    results = {system: scorer.score(texts, texts_of) for system, texts_of in predictions.items()}

    print(f"{len(pages)} pages of {args.sdist.name} with an expected text")
    print(f"{'system':30} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6}")
    for system, result in results.items():
        print(
            f"{system:30} {result['f1']:6.3f} {result['precision']:6.3f} {result['recall']:6.3f} {result['accuracy']:6.3f}"
        )
    ours, theirs = (results[system]["per_page"] for system in predictions)
    print("\nper page F1 (broadsheet / trafilatura):")
    for name in sorted(pages):
        print(f"  {name:24} {page_f1(ours[name]):.3f} / {page_f1(theirs[name]):.3f}")


def _pages_with_texts(sdist: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """The archive's test pages that have an expected text, and those texts, keyed by file name."""
    with tarfile.open(sdist) as archive:
        members = {member.name.split("/", 1)[-1]: member for member in archive.getmembers() if member.isfile()}

        def read(path: str) -> bytes:
            extracted = archive.extractfile(members[path])
            assert extracted is not None
            return extracted.read()

        pages, texts = {}, {}
        for path in sorted(members):
            name = path.removeprefix(_PAGES).removesuffix(".html")
            if not path.startswith(_PAGES) or f"{_TEXTS}{name}.txt" not in members:
                continue
            pages[name] = read(path)
            texts[name] = read(f"{_TEXTS}{name}.txt").decode("utf-8")
    return pages, texts


if __name__ == "__main__":
    main()
