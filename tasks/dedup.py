"""Exact and near duplicates, against every article already in the lake.

Enrich gives each article a MinHash of its word shingles (5 words, case ignored; CJK: 5
characters, which tasks.words counts as words). At commit, `find_duplicates` compares the run's articles with
each other and with every earlier article, and sets `duplicate_of` to the earliest article
whose text is the same (same content_hash, similarity 1.0) or nearly the same (estimated
Jaccard similarity >= 0.8); both rows stay. Earlier means first written to the lake earlier;
articles of one run are in input order.

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
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datasketch import MinHash, MinHashLSH
from deltalake import DeltaTable

from schemas.tables import SIGNATURES_SCHEMA
from tasks.config import ENRICH, EnrichSettings
from tasks.lake import RunInfo, articles_path, replace_rows, timestamp_equals
from tasks.storage import existing_table, open_table, table_exists
from tasks.words import WORD

Row = dict[str, Any]
_SCHEME = "affine32"  # datasketch 2's default: uint32 hash values
_SEED = 1
_SHINGLE_PRIME = np.uint64(1_000_003)
_SHINGLES_AT_ONCE = 8192  # 4 MiB of permuted hashes at 128 permutations
_BACKFILL_BATCH = 2000  # articles read at once when building missing signatures


def signatures_path(lake: str) -> str:
    return f"{lake.rstrip('/')}/signatures"


def minhash_signature(words: list[str], settings: EnrichSettings = ENRICH) -> bytes:
    """MinHash of the text's lower-cased word shingles (runs of settings.shingle_words words;
    the whole text when shorter), as SIGNATURES_SCHEMA stores it.

    A shingle's hash is a polynomial of its words' CRC-32s, computed for all shingles at once;
    datasketch mixes each with MurmurHash3's finaliser before permuting, so this costs a
    tenth of hashing every shingle's text with SHA-1 and estimates Jaccard the same.
    """
    size = settings.shingle_words
    lowered = " ".join(words).lower().split(" ")  # words hold no spaces: one lower() for all
    codes = {word: zlib.crc32(word.encode("utf-8")) for word in set(lowered)}
    word_hashes = np.array([codes[word] for word in lowered] if words else [], np.uint64)
    count = max(1, len(words) - size + 1) if len(words) else 0
    hashes = np.zeros(count, np.uint64)
    for offset in range(min(size, len(words))):  # h = w0*P^(k-1) + w1*P^(k-2) + ... mod 2^64
        hashes = hashes * _SHINGLE_PRIME + word_hashes[offset : offset + count]
    minhash = MinHash(settings.minhash_permutations, permutations=_permutations(settings.minhash_permutations), scheme=_SCHEME, hashfunc=int)
    unique = np.unique(hashes & np.uint64(0xFFFFFFFF)).tolist()
    for start in range(0, len(unique), _SHINGLES_AT_ONCE):  # memory: shingles x permutations x 4 bytes
        minhash.update_batch(unique[start : start + _SHINGLES_AT_ONCE])
    return minhash.hashvalues.astype("<u4").tobytes()


def text_signature(text: str, settings: EnrichSettings = ENRICH) -> bytes:
    return minhash_signature(WORD.findall(text), settings)


def band_keys(signature: bytes, settings: EnrichSettings = ENRICH) -> list[int]:
    """One 64-bit key per LSH band: two texts that share a key are compared."""
    values = np.frombuffer(signature, dtype="<u4")
    keys = []
    bands, rows = _bands(settings)
    for band, start in enumerate(range(0, bands * rows, rows)):
        end = start + rows
        digest = hashlib.blake2b(band.to_bytes(2, "little") + values[start:end].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@dataclass
class Duplicates:
    exact: int = 0  # rows marked as having the same text as an earlier article
    near: int = 0  # rows marked as having nearly the same text
    signatures: list[Row] = field(default_factory=list)  # new or changed rows for <lake>/signatures

    @property
    def total(self) -> int:
        return self.exact + self.near


@dataclass(frozen=True)
class _Entry:
    order: tuple[datetime, int, str]  # (first_seen, run_position, id): smaller is earlier
    content_hash: str
    minhash: MinHash


def find_duplicates(lake: str, rows: list[Row], run: RunInfo, settings: EnrichSettings = ENRICH) -> Duplicates:
    """Set duplicate_of / duplicate_similarity on every row (a `minhash` from enrich each), and
    return the counts with the signature rows to store."""
    _backfill(lake, run, settings)
    stored = _stored_candidates(lake, rows, settings)
    entries: dict[str, _Entry] = {}
    by_hash: dict[str, list[str]] = defaultdict(list)
    lsh = MinHashLSH(num_perm=settings.minhash_permutations, params=_bands(settings))
    run_ids = {row["id"] for row in rows}
    for record in stored.values():
        if record["id"] not in run_ids:
            _add(record["id"], _entry(record, settings), entries, by_hash, lsh)

    result = Duplicates()
    ordered = []
    for position, row in enumerate(rows):
        before = stored.get(row["id"])
        first_seen, run_position = (before["first_seen"], before["run_position"]) if before else (run.started_at, position)
        ordered.append(((first_seen, run_position, row["id"]), row))
        if before is None or before["content_hash"] != row["content_hash"] or before["minhash"] != row["minhash"]:
            result.signatures.append(_signature_row(row["id"], row["content_hash"], row["minhash"], first_seen, run_position, settings))
    for order, row in sorted(ordered, key=lambda pair: pair[0]):
        entry = _Entry(order, row["content_hash"], _minhash(row["minhash"], settings))
        match = _earliest_match(entry, entries, by_hash, lsh, settings)
        row["duplicate_of"], row["duplicate_similarity"] = match if match else (None, None)
        if match and entries[match[0]].content_hash == entry.content_hash:
            result.exact += 1
        elif match:
            result.near += 1
        _add(row["id"], entry, entries, by_hash, lsh)
    return result


def write_signatures(lake: str, signatures: list[Row], run: RunInfo, metadata: dict[str, Any]) -> None:
    """Upsert signature rows by id; an article keeps the first_seen of its first run.

    Rows first seen in this run carry its start as first_seen; the others replace stored rows.
    """
    if not signatures:
        return
    path = signatures_path(lake)
    data = pa.Table.from_pylist(signatures, schema=SIGNATURES_SCHEMA)
    replaced = [row["id"] for row in signatures if row["first_seen"] != run.started_at]
    table = existing_table(path)
    properties = run.commit_properties(metadata | {"signatures": len(signatures)})
    replace_rows(path, table, data, replaced, timestamp_equals("first_seen", run.started_at), properties)


def _earliest_match(
    entry: _Entry, entries: dict[str, _Entry], by_hash: dict[str, list[str]], lsh: MinHashLSH, settings: EnrichSettings
) -> tuple[str, float] | None:
    """(id, similarity) of the earliest earlier article with the same or nearly the same text."""
    matches = []
    for other_id in set(by_hash.get(entry.content_hash, ())) | set(lsh.query(entry.minhash)):
        other = entries[other_id]
        if other.order >= entry.order:
            continue
        similarity = 1.0 if other.content_hash == entry.content_hash else entry.minhash.jaccard(other.minhash)
        if similarity >= settings.near_duplicate_jaccard:
            matches.append((other.order, other_id, round(similarity, 4)))
    if not matches:
        return None
    _, other_id, similarity = min(matches)
    return other_id, similarity


def _add(article_id: str, entry: _Entry, entries: dict[str, _Entry], by_hash: dict[str, list[str]], lsh: MinHashLSH) -> None:
    entries[article_id] = entry
    by_hash[entry.content_hash].append(article_id)
    lsh.insert(article_id, entry.minhash, check_duplication=False)


def _stored_candidates(lake: str, rows: list[Row], settings: EnrichSettings) -> dict[str, Row]:
    """Stored signatures of the rows themselves, of articles with one of their content hashes,
    and of articles sharing an LSH band with one of them."""
    path = signatures_path(lake)
    if not rows or not table_exists(path):
        return {}
    dataset = open_table(path).to_pyarrow_dataset()
    wanted_keys = pa.array({key for row in rows for key in band_keys(row["minhash"], settings)}, pa.int64())
    candidate_ids: set[str] = {row["id"] for row in rows}
    for batch in dataset.to_batches(columns=["id", "band_keys"]):
        keys = batch.column("band_keys")
        hits = pc.list_parent_indices(keys).filter(pc.is_in(pc.list_flatten(keys), value_set=wanted_keys))
        candidate_ids.update(batch.column("id").take(pc.unique(hits)).to_pylist())
    hashes = pa.array({row["content_hash"] for row in rows}, pa.string())
    wanted = pc.field("id").isin(pa.array(sorted(candidate_ids), pa.string())) | pc.field("content_hash").isin(hashes)
    return {record["id"]: record for record in dataset.to_table(filter=wanted).to_pylist()}


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
    have = set(signatures.to_pyarrow_dataset().to_table(columns=["id"])["id"].to_pylist()) if signatures else set()
    missing = [i for i in articles.to_pyarrow_dataset().to_table(columns=["id"])["id"].to_pylist() if i not in have]
    dataset = articles.to_pyarrow_dataset()
    for start in range(0, len(missing), _BACKFILL_BATCH):
        chunk = pa.array(missing[start : start + _BACKFILL_BATCH], pa.string())
        found = dataset.to_table(columns=["id", "text", "content_hash", "ingested_at"], filter=pc.field("id").isin(chunk))
        rows = [
            _signature_row(a["id"], a["content_hash"], text_signature(a["text"], settings), a["ingested_at"], 0, settings)
            for a in found.to_pylist()
        ]
        write_signatures(lake, rows, run, {"backfilled": len(rows)})


def _row_count(table: DeltaTable) -> int:
    return sum(pa.table(table.get_add_actions(flatten=True)).column("num_records").to_pylist())


def _signature_row(article_id: str, content_hash: str, signature: bytes, first_seen: datetime, run_position: int, settings: EnrichSettings) -> Row:
    return {
        "id": article_id,
        "content_hash": content_hash,
        "minhash": signature,
        "band_keys": band_keys(signature, settings),
        "first_seen": first_seen,
        "run_position": run_position,
    }


def _entry(record: Row, settings: EnrichSettings) -> _Entry:
    order = (record["first_seen"], record["run_position"], record["id"])
    return _Entry(order, record["content_hash"], _minhash(record["minhash"], settings))


def _minhash(signature: bytes, settings: EnrichSettings) -> MinHash:
    values = np.frombuffer(signature, dtype="<u4").copy()
    return MinHash(hashvalues=values, permutations=_permutations(settings.minhash_permutations), scheme=_SCHEME, seed=_SEED)


@cache
def _permutations(num_perm: int) -> np.ndarray:
    # Drawing the permutations is the slow part of a MinHash: once per process.
    return MinHash(num_perm, seed=_SEED, scheme=_SCHEME).permutations


@cache
def _bands(settings: EnrichSettings) -> tuple[int, int]:
    """(bands, rows per band) that datasketch picks for the candidate threshold (it integrates: once)."""
    index = MinHashLSH(threshold=settings.lsh_candidate_jaccard, num_perm=settings.minhash_permutations)
    return index.b, index.r
