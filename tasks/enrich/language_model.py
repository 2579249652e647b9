"""py3langid's model, loaded from a decompressed copy in the user's cache.

py3langid ships its model as an LZMA-compressed npz: decompressing it is 0.4 of the 0.6 s of CPU
that loading the model costs, in every process that identifies languages (each document worker
of each run, in a start that is CPU-bound). The first load writes the model's arrays
uncompressed (66 MB of .npy files) under $XDG_CACHE_HOME/broadsheet (default ~/.cache/broadsheet),
in a folder named by py3langid's version; later loads read them back in 0.1 s and build the same
LanguageIdentifier as py3langid's own loader. A cache that cannot be written or read is passed
over: the model then loads as py3langid loads it.
"""

from __future__ import annotations

import importlib.metadata
import lzma
import os
import shutil
import tempfile
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")  # the arrays of py3langid's model file
_TYPECODES = {2: "H", 4: "I", 8: "L"}  # py3langid walks its DFA tables as stdlib arrays of this item size


def load_identifier() -> LanguageIdentifier:
    """py3langid's identifier on its own model, with probabilities normalised to sum to 1."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    packaged = MODEL_DIR / MODEL_FILE
    folder = model_cache_folder(packaged)
    arrays = _read(folder) if folder else None
    if folder and arrays is None:
        shutil.rmtree(folder, ignore_errors=True)  # absent, or left damaged by something else
        _write(folder, packaged)
        arrays = _read(folder)
    if arrays is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return LanguageIdentifier(
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        _stdlib_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_stdlib_array(arrays["nextmove_row"]),
    )


def model_cache_folder(model_file: Path) -> Path | None:
    """Where the decompressed copy of `model_file` is kept; None when there is no home to keep it in."""
    try:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home directory
        return None
    version = importlib.metadata.version("py3langid")
    return root / "broadsheet" / f"py3langid-{version}-{model_file.stat().st_size}"


def _read(folder: Path) -> dict[str, np.ndarray] | None:
    try:
        return {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in _ARRAYS}
    except (OSError, ValueError, EOFError):
        return None


def _write(folder: Path, model_file: Path) -> None:
    """Decompress `model_file` into `folder`, which appears whole or not at all (several workers
    may write it at once: the first rename wins)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder.parent))
    except OSError:
        return
    try:
        with tempfile.TemporaryFile(dir=staging) as npz:  # as py3langid: the npz is never held in memory whole
            with lzma.open(model_file) as source:
                shutil.copyfileobj(source, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as model:
                for name in _ARRAYS:
                    np.save(staging / f"{name}.npy", model[name], allow_pickle=False)
        staging.rename(folder)
    except OSError:
        pass  # unwritable, full, or another process's copy is in place already
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stdlib_array(values: np.ndarray) -> array[int]:
    table = array(_TYPECODES[values.dtype.itemsize])
    table.frombytes(values.data.cast("B"))  # one copy of the 39 MB, not two
    return table
