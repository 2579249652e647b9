"""MinHash signatures and their LSH band keys: what enrich computes and dedup compares and stores."""

import hashlib

from tasks.config import ENRICH
from tasks.enrich.minhash import band_keys, lsh_bands, minhash_signature, signature_minhash, text_signature

# 200 distinct words: texts built from them have a known shingle Jaccard.
WORDS = [f"w{i}" for i in range(200)]


def _estimate(a: bytes, b: bytes) -> float:
    return signature_minhash(a).jaccard(signature_minhash(b))


def test_signature_of_the_seed_article_never_changes(seed_path):
    """<lake>/signatures keeps the signatures of earlier runs: a new one must come out the same."""
    signature = text_signature(seed_path.read_text(encoding="utf-8"))
    assert len(signature) == 4 * 128
    assert hashlib.blake2b(signature, digest_size=16).hexdigest() == "bbcc9b2474ff099391c0b4c64b3c2229"


def test_case_and_punctuation_make_no_difference():
    assert text_signature("The council said, “Ana Ruiz approved it.”") == text_signature(
        "the COUNCIL said ana ruiz APPROVED it"
    )


def test_cjk_characters_are_the_words_of_a_shingle():
    assert text_signature("東京都の会議で、知事は") == minhash_signature(list("東京都の会議で知事は"))


def test_estimate_follows_the_shingle_jaccard():
    """Half the words kept: 96 of 296 distinct 5-word shingles shared, Jaccard 0.32."""
    whole = minhash_signature(WORDS)
    half = minhash_signature(WORDS[:100] + [f"other{i}" for i in range(100)])
    assert _estimate(whole, whole) == 1.0
    assert abs(_estimate(whole, half) - 96 / 296) < 0.12  # three standard errors at 128 permutations
    assert _estimate(whole, minhash_signature([f"other{i}" for i in range(200)])) == 0.0


def test_near_duplicates_share_a_band_key_and_unrelated_texts_none():
    whole = minhash_signature(WORDS)
    keys = band_keys(whole)
    bands, _ = lsh_bands(ENRICH)
    assert len(keys) == bands
    one_word_changed = minhash_signature([*WORDS[:100], "changed", *WORDS[101:]])
    assert set(keys) & set(band_keys(one_word_changed))
    assert not set(keys) & set(band_keys(minhash_signature([f"other{i}" for i in range(200)])))
