"""MinHash signatures of article texts, and their LSH band keys.

Enrich gives each article a MinHash of its word shingles (settings.shingle_words words, case
ignored; CJK: as many characters, which tasks.text.words counts as words). tasks.lake.dedup
compares them and stores them with their band keys in <lake>/signatures, so a signature must
come out the same in every run: the permutations are drawn from a fixed seed.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from tasks.config import ENRICH, EnrichSettings
from tasks.text.words import WORD

_SCHEME = "affine32"  # datasketch 2's default: uint32 hash values
_SEED = 1
_SHINGLE_PRIME = np.uint64(1_000_003)
_SHINGLES_AT_ONCE = 8192  # 4 MiB of permuted hashes at 128 permutations


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
    minhash = MinHash(
        settings.minhash_permutations,
        permutations=_permutations(settings.minhash_permutations),
        scheme=_SCHEME,
        hashfunc=int,
    )
    unique = np.unique(hashes & np.uint64(0xFFFFFFFF)).tolist()
    for start in range(0, len(unique), _SHINGLES_AT_ONCE):  # memory: shingles x permutations x 4 bytes
        minhash.update_batch(unique[start : start + _SHINGLES_AT_ONCE])
    return minhash.hashvalues.astype("<u4").tobytes()


def text_signature(text: str, settings: EnrichSettings = ENRICH) -> bytes:
    return minhash_signature(WORD.findall(text), settings)


def signature_minhash(signature: bytes, settings: EnrichSettings = ENRICH) -> MinHash:
    """The MinHash a stored signature holds, to estimate Jaccard against another."""
    values = np.frombuffer(signature, dtype="<u4").copy()
    return MinHash(
        hashvalues=values, permutations=_permutations(settings.minhash_permutations), scheme=_SCHEME, seed=_SEED
    )


def band_keys(signature: bytes, settings: EnrichSettings = ENRICH) -> list[int]:
    """One 64-bit key per LSH band: two texts that share a key are compared."""
    values = np.frombuffer(signature, dtype="<u4")
    keys = []
    bands, rows = lsh_bands(settings)
    for band, start in enumerate(range(0, bands * rows, rows)):
        end = start + rows
        digest = hashlib.blake2b(band.to_bytes(2, "little") + values[start:end].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@cache
def lsh_bands(settings: EnrichSettings) -> tuple[int, int]:
    """(bands, rows per band) that datasketch picks for the candidate threshold (it integrates: once)."""
    index = MinHashLSH(threshold=settings.lsh_candidate_jaccard, num_perm=settings.minhash_permutations)
    return index.b, index.r


@cache
def _permutations(num_perm: int) -> np.ndarray:
    # Drawing the permutations is the slow part of a MinHash: once per process.
    return MinHash(num_perm, seed=_SEED, scheme=_SCHEME).permutations
