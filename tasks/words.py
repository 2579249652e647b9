"""What counts as a word, for every script: one definition for counts and for quote lengths."""

from __future__ import annotations

import re

# Han ideographs, kana and hangul syllables are written without spaces: each counts as one word.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+(?:['’\-][^\W{CJK_CHARS}]+)*")


def count_words(text: str) -> int:
    return len(WORD.findall(text))
