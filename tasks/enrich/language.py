"""The language of an article: ISO 639-1 code and probability, checked against what the page declares.

py3langid's model (shipped inside the package) ranks 140 languages. Its regional and
macrolanguage members are folded into their ISO 639-1 code (Cantonese and Wu count as zh,
Egyptian and Moroccan Arabic as ar); labels with no ISO 639-1 code are dropped. Scripts settle
what the model cannot on short text: kana means Japanese, hangul Korean, and Han alone Chinese
unless the page says Japanese (a kanji-only line). Otherwise a page's declared language
(<html lang>, JSON-LD inLanguage) is used only when the model is unsure and ranks the declared
language plausible, and never against kana or hangul; `language_matches_declared` says whether
the two agree, so a site template that claims `en` on every page shows up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from tasks.config import ENRICH, EnrichSettings
from tasks.enrich.language_model import load_identifier
from tasks.text.writing_systems import ScriptProfile, script_profile

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Model labels that have no ISO 639-1 code of their own but belong to one that has.
_ISO_639_1_OF = {
    "wuu": "zh",
    "yue": "zh",
    "ary": "ar",
    "arz": "ar",
    "fuv": "ff",
    "gug": "gn",
    "kik": "ki",
    "sdh": "ku",
    "uzs": "uz",
    "ltg": "lv",
}
# Scripts that only one language of the model's writes as its main script.
_LANGUAGE_OF_SCRIPT = {"Jpan": "ja", "Kore": "ko", "Hans": "zh", "Hant": "zh", "Hani": "zh"}
_HAN_ONLY = frozenset({"Hans", "Hant", "Hani"})


@dataclass(frozen=True)
class LanguageResult:
    language: str | None  # ISO 639-1; None when the text has no letters
    score: float | None  # the model's probability for `language`, 0-1
    script: str | None  # ISO 15924 code of the main script
    script_share: float | None  # share of the letters written in `script`
    matches_declared: bool | None  # None when the page declares no language


def identify_language(text: str, declared: str | None = None, settings: EnrichSettings = ENRICH) -> LanguageResult:
    """Language of `text`, with the page's `declared` ISO 639-1 code as a tie-breaker."""
    sample = text[: settings.language_sample_chars]
    profile = script_profile(sample)
    if profile.script is None:
        return LanguageResult(None, None, None, None, None)
    probabilities = language_probabilities(sample)
    language = _LANGUAGE_OF_SCRIPT.get(profile.script) or max(probabilities, key=probabilities.__getitem__)
    unsure = (
        probabilities.get(language, 0.0) < settings.language_min_score
        and probabilities.get(declared or "", 0.0) >= settings.declared_language_min_score
    )
    if (
        declared
        and declared != language
        and _script_allows(profile, declared)
        and (unsure or profile.script in _HAN_ONLY)
    ):
        language = declared  # Han without kana is Chinese or kanji-only Japanese: the page knows which
    return LanguageResult(
        language=language,
        score=round(probabilities.get(language, 0.0), 4),
        script=profile.script,
        script_share=profile.share,
        matches_declared=None if not declared else declared == language,
    )


def language_probabilities(text: str) -> dict[str, float]:
    """ISO 639-1 code -> the model's probability, regional varieties folded into their language."""
    folded: dict[str, float] = defaultdict(float)
    for label, probability in _identifier().rank(text):
        code = _ISO_639_1_OF.get(label, label)
        if len(code) == 2:
            folded[code] += probability
    return folded


def _script_allows(profile: ScriptProfile, language: str) -> bool:
    """Kana and hangul leave no doubt (a page declaring `en` over Japanese text is wrong); Han
    alone may be Chinese or a kanji-only Japanese line."""
    expected = _LANGUAGE_OF_SCRIPT.get(profile.script or "")
    return expected is None or language == expected or (profile.script in _HAN_ONLY and language == "ja")


@cache
def _identifier() -> LanguageIdentifier:
    return load_identifier()  # once per process: 0.1 s from the cache, 0.6 s without
