"""Limits and defaults, each defined once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 10 * 1024 * 1024  # larger inputs are quarantined as too_large, unparsed
    raw_cap_bytes: int = 1024 * 1024  # quarantine keeps at most this much of a record's raw bytes
    max_text_chars: int = 2_000_000  # the articles contract's upper bound on text length
    min_text_chars: int = 1  # text must not be empty
    # Cleaning one document (decode, parse, extract, metadata) may take this long; a page still
    # being worked on then is quarantined as `timeout`. None cleans in-process, without a deadline.
    document_timeout_s: float | None = 30.0
    # Address-space cap of the process that cleans documents: a page that balloons fails alone.
    worker_memory_bytes: int | None = 4 * 1024 * 1024 * 1024
    # Worker processes that clean and enrich documents side by side (most of a run's CPU); each
    # has its own deadline and memory cap. With no deadline, the work stays in-process, one at a time.
    clean_workers: int = field(default_factory=lambda: os.cpu_count() or 1)


LIMITS = Limits()


@dataclass(frozen=True)
class ReportLimits:
    top_languages: int = 15  # bars per category chart; the rest are summed into one "other" bar
    top_domains: int = 20
    table_rows: int = 200  # rows of a category's numbers table; the rest are summed in its last row
    histogram_bins: int = 40
    # A chart helper must have drawn its share of a report by then; else this process draws it too.
    chart_helper_seconds: float = 300.0


REPORT_LIMITS = ReportLimits()


@dataclass(frozen=True)
class LakeSettings:
    # Delta recommends data files of 128 MiB to 1 GiB; a month of news is small, so aim at the low end.
    target_file_bytes: int = 128 * 1024 * 1024
    # A commit's rows wait in memory, per partition, up to this much before the largest group is
    # written out as a row group: bounded memory, and row groups as large as the partition allows.
    write_buffer_bytes: int = 64 * 1024 * 1024
    # Data files a commit keeps open (one per partition); each buffers an upload part on an object
    # store. Past this many the least recently used is closed, and its partition gets another file.
    open_data_files: int = 64
    # Delta's default delta.deletedFileRetentionDuration: vacuum keeps a week of time travel.
    vacuum_retention_hours: int = 7 * 24
    # A staging folder on an object store nobody wrote to for this long belongs to a run that died
    # (runs write a batch file every few minutes, and commit within IoPolicy's limits): a later run deletes it.
    staging_abandoned_hours: int = 24


LAKE = LakeSettings()


@dataclass(frozen=True)
class IoPolicy:
    """Retries and time limits of the tasks that do I/O (listing and hashing inputs, committing)."""

    retries: int = 2
    # Seconds between tries; BROADSHEET_IO_RETRY_DELAY_SECONDS sets it (the fault tests wait less).
    retry_delay_seconds: float = float(os.environ.get("BROADSHEET_IO_RETRY_DELAY_SECONDS", "5"))
    discover_timeout_seconds: float = 3600.0  # hashes every input: grows with the corpus
    commit_timeout_seconds: float = 1800.0
    lock_wait_seconds: float = 900.0  # how long a run waits for another run on the same lake


IO = IoPolicy()
DEFAULT_SOURCE = "data/raw"
DEFAULT_LAKE = "data/lake"
DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class EnrichSettings:
    language_sample_chars: int = (
        2000  # the model reads the start: on the benchmark pages longer samples agree and cost more
    )
    language_min_score: float = 0.5  # below it the model is unsure and a plausible declared language wins
    declared_language_min_score: float = 0.05  # "plausible": the model gives the declared language this much
    words_per_minute: int = 230  # reading speed for scripts written with spaces
    cjk_chars_per_minute: int = 500  # reading speed for Chinese, Japanese and Korean characters
    keywords_max: int = 10
    keyword_max_words: int = 3  # longest keyword phrase
    keyword_text_words: int = 2000  # keywords read the headline and text up to this many words
    shingle_words: int = 5  # near duplicates compare sets of 5-word shingles (CJK: 5 characters)
    minhash_permutations: int = 128
    near_duplicate_jaccard: float = 0.8  # estimated Jaccard similarity at which two texts are near duplicates
    lsh_candidate_jaccard: float = 0.6  # LSH bands tuned lower, so nearly every pair at 0.8 gets compared


@dataclass(frozen=True)
class QualityThresholds:
    """Gopher / C4 style bounds on the quality-signal columns. Crossing one adds a warning
    (the article's `quality_warnings` and the run summary); no article is dropped for it."""

    min_words: int = 50
    max_words: int = 100_000
    min_mean_word_length: float = 3.0  # Gopher: 3-10 characters per word (scripts with spaces)
    max_mean_word_length: float = 10.0
    max_symbol_word_ratio: float = 0.1  # Gopher: "#" and ellipses per word
    min_alpha_word_ratio: float = 0.8  # Gopher: words with at least one letter
    min_stop_word_ratio: float = 0.06  # real prose in a language with a stop-word list has some
    max_boilerplate_line_ratio: float = 0.3  # C4: cookie, javascript, "all rights reserved" lines
    max_duplicate_line_ratio: float = 0.3  # Gopher: paragraphs that repeat an earlier one
    min_terminal_punctuation_ratio: float = 0.5  # C4: paragraphs that end like a sentence


ENRICH = EnrichSettings()
QUALITY = QualityThresholds()


@dataclass(frozen=True)
class ClusterSettings:
    """A run whose batches go to a Dask cluster (`broadsheet run --dask-address`)."""

    # Batches out on the cluster at once, per worker thread: enough that no thread waits for the
    # flow to read the next batch, few enough that memory stays bounded whatever the corpus.
    batches_per_thread: int = 2


CLUSTER = ClusterSettings()
