"""py3langid's model from the decompressed copy in the user's cache: the same identifier as py3langid's own loader."""

from array import array

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from tasks.enrich.language_model import load_identifier, model_cache_folder

TEXTS = (
    "The city council approved the budget on Tuesday after a long debate.",
    "Le conseil municipal a adopté le budget mardi après un long débat.",
    "Der Stadtrat hat den Haushalt am Dienstag nach langer Debatte beschlossen.",
    "市議会は火曜日、長い議論の末に予算を承認した。",
    "Городской совет утвердил бюджет во вторник после долгих дебатов.",
)


@pytest.fixture(scope="module")
def packaged() -> LanguageIdentifier:
    """The identifier as py3langid loads it from its compressed model file."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture
def cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same_model(loaded: LanguageIdentifier, packaged: LanguageIdentifier) -> None:
    assert np.array_equal(loaded.nb_ptc, packaged.nb_ptc) and loaded.nb_ptc.dtype == packaged.nb_ptc.dtype
    assert np.array_equal(loaded.nb_pc, packaged.nb_pc)
    assert loaded.nb_classes == packaged.nb_classes
    assert isinstance(loaded.tk_nextmove, array) and loaded.tk_nextmove == packaged.tk_nextmove
    assert loaded.tk_row == packaged.tk_row
    assert loaded.tk_output == packaged.tk_output
    for text in TEXTS:
        assert loaded.rank(text) == packaged.rank(text)


def test_the_first_load_writes_the_cache_and_the_next_reads_it(cache_home, packaged):
    folder = model_cache_folder(MODEL_DIR / MODEL_FILE)
    assert folder is not None and folder.parent == cache_home / "broadsheet"
    assert not folder.exists()
    _same_model(load_identifier(), packaged)
    written = sorted(path.name for path in folder.iterdir())
    assert written == ["classes.npy", "nextmove.npy", "nextmove_row.npy", "out_feat.npy", "pc.npy", "ptc.npy"]
    assert not [path for path in folder.parent.iterdir() if path != folder]  # no staging folder left
    stamps = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    _same_model(load_identifier(), packaged)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == stamps  # read, not written again


def test_a_damaged_cache_is_written_again(cache_home, packaged):
    load_identifier()
    folder = model_cache_folder(MODEL_DIR / MODEL_FILE)
    assert folder is not None
    damaged = folder / "nextmove.npy"
    damaged.write_bytes(damaged.read_bytes()[: 1 << 20])  # cut short
    _same_model(load_identifier(), packaged)
    assert np.load(damaged).size == len(packaged.tk_nextmove)


def test_without_a_writable_cache_the_model_loads_from_the_package(cache_home, packaged):
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_text("a file where the cache folder would be")
    _same_model(load_identifier(), packaged)
