"""Exact and near duplicates, against every article already in the lake.

Enrich gives each article a MinHash of its word shingles (tasks.enrich.minhash). At commit,
`find_duplicates` compares the run's articles with each other and with every earlier article,
and sets `duplicate_of` to the earliest article whose text is the same (same content_hash,
similarity 1.0) or nearly the same (estimated Jaccard similarity >= 0.8); both rows stay.
Earlier means first written to the lake earlier; articles of one run are in input order.

The texts of earlier articles are never read again: `<lake>/signatures` keeps each article's
MinHash and its LSH band keys. A run scans only the narrow `id` and `band_keys` columns of it
to find the articles sharing a band with one of its own (about 150 bytes per stored article),
then reads the signatures of those candidates. The LSH bands are set for Jaccard 0.6, so that
nearly every pair at 0.8 becomes a candidate (0.99 of them; the bands datasketch picks for 0.8
catch only 0.4); each candidate is then checked against the 0.8 threshold. A lake written
before this table existed gets its signatures built once from the article texts.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datasketch import MinHash, MinHashLSH
from deltalake import DeltaTable

from schemas.tables import SIGNATURES_SCHEMA
from tasks.config import ENRICH, EnrichSettings
from tasks.enrich.minhash import band_keys, lsh_bands, signature_minhash, text_signature
from tasks.lake.paths import RunInfo, articles_path, signatures_path
from tasks.lake.staging import POSITION
from tasks.lake.storage import existing_table, open_table, table_dataset, table_exists
from tasks.lake.write import replace_rows, timestamp_equals

Row = dict[str, Any]
_BACKFILL_BATCH = 2000  # articles read at once when building missing signatures


# The run's articles, one Arrow table at a time, with the asked columns and POSITION (the
# article's place in the run); called again for every pass, so memory holds one table at a time.
ArticleTables = Callable[[Sequence[str]], Iterable[pa.Table]]


@dataclass(frozen=True)
class _Before:
    """What <lake>/signatures holds of one of the run's articles."""

    first_seen: datetime
    run_position: int
    content_hash: str
    minhash_digest: bytes


@dataclass
class Duplicates:
    exact: int = 0  # rows marked as having the same text as an earlier article
    near: int = 0  # rows marked as having nearly the same text
    marks: dict[str, tuple[str, float]] = field(
        default_factory=dict
    )  # article id -> (duplicate_of, duplicate_similarity)
    signatures: int = 0  # rows to write to <lake>/signatures: articles new to the lake or with changed text
    replaced: list[str] = field(default_factory=list)  # of those, the ones whose stored row they replace
    before: dict[str, _Before] = field(default_factory=dict)  # the run's articles the signatures table already holds
    articles: ArticleTables | None = field(default=None, repr=False)

    @property
    def total(self) -> int:
        return self.exact + self.near

    def mark(self, row: Row) -> Row:
        """`row` with its duplicate_of and duplicate_similarity."""
        row["duplicate_of"], row["duplicate_similarity"] = self.marks.get(row["id"], (None, None))
        return row


Order = tuple[datetime, int, str]  # (first_seen, run_position, id): smaller is earlier


@dataclass
class _Text:
    """The articles with one text (one content hash and MinHash): as an original, only the earliest of them counts."""

    content_hash: str
    minhash: MinHash
    earliest: Order | None = None  # None until one of them is compared against


class _Texts:
    """The distinct texts of the articles being compared, indexed by content hash and LSH bands.

    Copies of one text share an entry, so a run of many copies costs one MinHash, not one each."""

    def __init__(self, settings: EnrichSettings) -> None:
        self.settings = settings
        self.texts: list[_Text] = []
        self.index: dict[tuple[str, bytes], int] = {}
        self.by_hash: dict[str, list[int]] = defaultdict(list)
        self.lsh = MinHashLSH(num_perm=settings.minhash_permutations, params=lsh_bands(settings))

    def of(self, content_hash: str, signature: bytes) -> int:
        key = (content_hash, _digest(signature))
        if key not in self.index:
            self.index[key] = len(self.texts)
            self.texts.append(_Text(content_hash, signature_minhash(signature, self.settings)))
            self.by_hash[content_hash].append(self.index[key])
            self.lsh.insert(self.index[key], self.texts[-1].minhash, check_duplication=False)
        return self.index[key]

    def seen(self, text: int, order: Order) -> None:
        earliest = self.texts[text].earliest
        self.texts[text].earliest = order if earliest is None else min(earliest, order)

    def earliest_match(self, text: int, order: Order) -> tuple[str, float, bool] | None:
        """(id, similarity, same text) of the earliest article before `order` with the same or nearly the same text."""
        this = self.texts[text]
        matches = []
        for other in set(self.by_hash[this.content_hash]) | set(self.lsh.query(this.minhash)):
            candidate = self.texts[other]
            if candidate.earliest is None or candidate.earliest >= order:
                continue
            same = candidate.content_hash == this.content_hash
            similarity = 1.0 if same else this.minhash.jaccard(candidate.minhash)
            if similarity >= self.settings.near_duplicate_jaccard:
                matches.append((candidate.earliest, round(similarity, 4), same))
        if not matches:
            return None
        earliest, similarity, same = min(matches)
        return earliest[2], similarity, same


@dataclass
class _RunKeys:
    """Pass one over the run's articles: what finds candidates, without the MinHashes themselves."""

    ids: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    content_hashes: list[str] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)
    band_keys: list[np.ndarray] = field(default_factory=list)  # one (rows, bands) int64 block per table

    def keys(self) -> np.ndarray:
        return np.concatenate(self.band_keys) if self.band_keys else np.zeros((0, 1), np.int64)


def find_duplicates(lake: str, articles: ArticleTables, run: RunInfo, settings: EnrichSettings = ENRICH) -> Duplicates:
    """Mark the run's articles (a `minhash` from enrich each) that repeat an earlier article, and
    count the signature rows to store. Memory holds a few numbers per article; MinHashes only
    of the articles that share an LSH band or a content hash with another one."""
    _backfill(lake, run, settings)
    run_keys = _RunKeys()
    for table in articles(["id", "content_hash", "minhash"]):
        run_keys.ids += table["id"].to_pylist()
        run_keys.positions += table[POSITION].to_pylist()
        run_keys.content_hashes += table["content_hash"].to_pylist()
        signatures = table["minhash"].to_pylist()
        run_keys.digests += [_digest(signature) for signature in signatures]
        run_keys.band_keys.append(np.array([band_keys(signature, settings) for signature in signatures], np.int64))
    before, others = _stored_candidates(lake, run_keys, settings)
    changed = [
        i
        for i, h, d in zip(run_keys.ids, run_keys.content_hashes, run_keys.digests, strict=True)
        if i not in before or (before[i].content_hash, before[i].minhash_digest) != (h, d)
    ]
    result = Duplicates(
        signatures=len(changed), replaced=[i for i in changed if i in before], before=before, articles=articles
    )

    involved = _involved(run_keys, others)
    if not involved:
        return result
    texts = _Texts(settings)
    for record in others:
        texts.seen(
            texts.of(record["content_hash"], record["minhash"]),
            (record["first_seen"], record["run_position"], record["id"]),
        )
    ordered = []
    for table in articles(["id", "content_hash", "minhash"]):
        for article_id, content_hash, signature, position in zip(
            *(table[c].to_pylist() for c in ("id", "content_hash", "minhash", POSITION)), strict=True
        ):
            if position in involved:
                earlier = before.get(article_id)
                order = (
                    (earlier.first_seen, earlier.run_position, article_id)
                    if earlier
                    else (run.started_at, position, article_id)
                )
                ordered.append((order, texts.of(content_hash, signature)))
    for order, text in sorted(ordered):
        if match := texts.earliest_match(text, order):
            duplicate_of, similarity, same = match
            result.marks[order[2]] = (duplicate_of, similarity)
            result.exact += same
            result.near += not same
        texts.seen(text, order)
    return result


def write_signatures(
    lake: str, duplicates: Duplicates, run: RunInfo, metadata: dict[str, Any], settings: EnrichSettings = ENRICH
) -> None:
    """Store the signatures of the run's articles that are new to the lake or whose text changed,
    streamed from the articles `duplicates` was found in; an article keeps the first_seen of its first run."""
    articles = duplicates.articles
    if not duplicates.signatures or articles is None:
        return

    def rows() -> Iterator[pa.RecordBatch]:
        for table in articles(["id", "content_hash", "minhash"]):
            batch = []
            for article_id, content_hash, signature, position in zip(
                *(table[c].to_pylist() for c in ("id", "content_hash", "minhash", POSITION)), strict=True
            ):
                earlier = duplicates.before.get(article_id)
                if earlier is None:
                    batch.append(
                        _signature_row(article_id, content_hash, signature, run.started_at, position, settings)
                    )
                elif (earlier.content_hash, earlier.minhash_digest) != (content_hash, _digest(signature)):
                    batch.append(
                        _signature_row(
                            article_id, content_hash, signature, earlier.first_seen, earlier.run_position, settings
                        )
                    )
            if batch:
                yield from pa.Table.from_pylist(batch, schema=SIGNATURES_SCHEMA).to_batches()

    data = pa.RecordBatchReader.from_batches(SIGNATURES_SCHEMA, rows())
    store_signatures(lake, data, duplicates.replaced, duplicates.signatures, run, metadata)


def store_signatures(
    lake: str,
    data: pa.Table | pa.RecordBatchReader,
    replaced: list[str],
    count: int,
    run: RunInfo,
    metadata: dict[str, Any],
) -> None:
    """Upsert signature rows by id in one commit: rows first seen in this run carry its start as
    first_seen; `replaced` names the others, whose stored rows they replace."""
    path = signatures_path(lake)
    properties = run.commit_properties(metadata | {"signatures": count})
    replace_rows(path, existing_table(path), data, replaced, timestamp_equals("first_seen", run.started_at), properties)


def _stored_candidates(lake: str, run_keys: _RunKeys, settings: EnrichSettings) -> tuple[dict[str, _Before], list[Row]]:
    """What the signatures table holds of the run's own articles, and the stored signatures of
    the other articles that share a content hash or an LSH band with one of them."""
    path = signatures_path(lake)
    if not run_keys.ids or not table_exists(path):
        return {}, []
    dataset = table_dataset(open_table(path))
    wanted_keys = pa.array(np.unique(run_keys.keys()), pa.int64())
    candidate_ids: set[str] = set(run_keys.ids)
    for batch in dataset.to_batches(columns=["id", "band_keys"]):
        keys = batch.column("band_keys")
        hits = pc.list_parent_indices(keys).filter(pc.is_in(pc.list_flatten(keys), value_set=wanted_keys))
        candidate_ids.update(batch.column("id").take(pc.unique(hits)).to_pylist())
    hashes = pa.array(sorted(set(run_keys.content_hashes)), pa.string())
    wanted = pc.field("id").isin(pa.array(sorted(candidate_ids), pa.string())) | pc.field("content_hash").isin(hashes)
    run_ids = set(run_keys.ids)
    before: dict[str, _Before] = {}
    others: list[Row] = []
    for batch in dataset.to_batches(filter=wanted):
        for record in batch.to_pylist():
            if record["id"] in run_ids:
                before[record["id"]] = _Before(
                    record["first_seen"], record["run_position"], record["content_hash"], _digest(record["minhash"])
                )
            else:
                others.append(record)
    return before, others


def _involved(run_keys: _RunKeys, others: list[Row]) -> set[int]:
    """Positions of the run's articles that share an LSH band key or a content hash with another
    article (of the run, or one of `others`): the only ones that can be or have a duplicate."""
    keys = run_keys.keys()
    every_key = np.concatenate([keys.ravel(), *(np.asarray(r["band_keys"], np.int64) for r in others)])
    unique, counts = np.unique(every_key, return_counts=True)
    sharing = np.any(np.isin(keys, unique[counts > 1]), axis=1)
    hashes = Counter(run_keys.content_hashes) + Counter(r["content_hash"] for r in others)
    return {
        position
        for position, shares, content_hash in zip(run_keys.positions, sharing, run_keys.content_hashes, strict=True)
        if shares or hashes[content_hash] > 1
    }


def _backfill(lake: str, run: RunInfo, settings: EnrichSettings) -> None:
    """Build the signatures of articles that have none (a lake from before this table, or a
    run that stopped between its two commits) from their stored text, once."""
    if not table_exists(articles_path(lake)):
        return
    articles = open_table(articles_path(lake))
    path = signatures_path(lake)
    signatures = existing_table(path)
    if signatures is not None and _row_count(signatures) >= _row_count(articles):
        return
    have = set(table_dataset(signatures).to_table(columns=["id"])["id"].to_pylist()) if signatures else set()
    missing = [i for i in table_dataset(articles).to_table(columns=["id"])["id"].to_pylist() if i not in have]
    dataset = table_dataset(articles)
    for start in range(0, len(missing), _BACKFILL_BATCH):
        chunk = pa.array(missing[start : start + _BACKFILL_BATCH], pa.string())
        found = dataset.to_table(
            columns=["id", "text", "content_hash", "ingested_at"], filter=pc.field("id").isin(chunk)
        )
        rows = [
            _signature_row(
                a["id"], a["content_hash"], text_signature(a["text"], settings), a["ingested_at"], 0, settings
            )
            for a in found.to_pylist()
        ]
        if rows:
            replaced = [r["id"] for r in rows if r["first_seen"] != run.started_at]
            store_signatures(
                lake,
                pa.Table.from_pylist(rows, schema=SIGNATURES_SCHEMA),
                replaced,
                len(rows),
                run,
                {"backfilled": len(rows)},
            )


def _row_count(table: DeltaTable) -> int:
    return sum(pa.table(table.get_add_actions(flatten=True)).column("num_records").to_pylist())


def _signature_row(
    article_id: str,
    content_hash: str,
    signature: bytes,
    first_seen: datetime,
    run_position: int,
    settings: EnrichSettings,
) -> Row:
    return {
        "id": article_id,
        "content_hash": content_hash,
        "minhash": signature,
        "band_keys": band_keys(signature, settings),
        "first_seen": first_seen,
        "run_position": run_position,
    }


def _digest(signature: bytes) -> bytes:
    # Enough to tell whether a stored MinHash changed, at a thirty-second of its size.
    return hashlib.blake2b(signature, digest_size=16).digest()
