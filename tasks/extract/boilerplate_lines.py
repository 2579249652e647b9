"""Lines of page furniture that extractors leave in an article's text: the label of a
related-articles list and the teasers after it, "Read more: ..." links between paragraphs,
copyright and rights lines, follow-us / newsletter calls, notices about the page (its source, its
last change, its affiliate links), and the bare labels of what follows an article (contact,
sources, further information, a comment form).

The extractors pick the article's container; these lines sit inside it on many sites. They are
recognised by what they say (a short line in one of the labels news sites use, in the languages
most pages are in), never by where a given site puts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Labels that open a list of other articles. A paragraph that is nothing but one of these, in
# the second half of the text, starts the furniture below an article: it goes, with all after it.
# ("See also" is left out: in wikis and READMEs it heads a section of the document itself.)
_TEASER_LABELS = (
    # English
    r"related(?: articles?| stories| posts| news| content| coverage| reading| links)?",
    r"read (?:more|also|next)(?: on this topic| about this)?",
    r"more (?:on this(?: story| topic)?|about this|stories|news|from \w+(?: \w+)?)",
    r"you (?:may|might) (?:also )?(?:like|be interested in|have missed)",
    r"recommended(?: for you| stories| articles)?",
    r"also read|further reading|trending(?: now)?|popular(?: now| stories)?|latest(?: news| stories)?",
    # German
    r"lesen sie (?:auch|mehr|weiter|hier)(?: die folgenden beiträge)?|auch (?:interessant|lesen)",
    r"(?:das(?: thema)?|dies) könnte (?:sie|dich) auch interessieren",
    r"mehr zum thema(?: \w+)?|weitere (?:themen|artikel|beiträge|nachrichten|news)|mehr themen|top-themen(?: .+)?",
    r"passend zum thema|ähnliche (?:artikel|beiträge)|verwandte (?:artikel|beiträge)|schon gelesen\?*",
    # Spanish, Portuguese
    r"notas relacionadas|noticias relacionadas|art[ií]culos relacionados|lea tambi[eé]n|lee tambi[eé]n",
    r"(?:le|te) puede interesar|tambi[eé]n te puede interesar|m[aá]s noticias|leia (?:tamb[eé]m|mais)",
    r"not[ií]cias relacionadas|veja tamb[eé]m|saiba mais|vea tambi[eé]n|ver tambi[eé]n",
    # French, Italian, Polish, Dutch
    r"(?:à|a) lire aussi|lire aussi|sur le m[eê]me sujet|articles? similaires?",
    r"leggi anche|articoli correlati|potrebbe interessarti|czytaj (?:też|także|więcej)|zobacz (?:też|także)",
    r"dowiedz się więcej",
    r"lees ook|gerelateerde artikelen|meer nieuws",
)
_TEASER_LABEL = re.compile(rf"(?:{'|'.join(_TEASER_LABELS)})\W*")
# "Read more: <headline>" and the like: a link to another article set between paragraphs.
_TEASER_LINK = re.compile(rf"(?:{'|'.join(_TEASER_LABELS)})\s*[:>»|–-]\s*\S")
# A line that claims rights or credits a picture rather than telling the story.
_RIGHTS = (
    r"©|\(c\) ?(?:19|20)\d\d|\bcopyright\b|all rights reserved|alle rechte vorbehalten"
    r"|todos los derechos reservados|tous droits réservés|tutti i diritti riservati|wszelkie prawa zastrzeżone"
)
# Calls to follow the site, join its channel or sign up for its newsletter.
_CALL_TO_FOLLOW = (
    r"(?:follow|find) (?:us|the \w+(?: \w+)?) on |s[ií]guenos en |folgen sie uns|"
    r"(?:sign up|subscribe) (?:to|for) (?:our|the) (?:\w+ )?newsletter|never miss the latest|"
    r"newsletter (?:abonnieren|bestellen)|jetzt (?:den )?newsletter|sign up (?:here|now|today)"
)
# Picture credits and calls to log in, comment or pay, which sit where a story ends or pauses.
_CREDIT_OR_CALL = (
    r"(?:titelbild|beitragsbild|bildquelle|bildnachweis|cr[ée]dits? photos?)\s*:|keine kommentare|kommentare insgesamt|no comments yet"
    r"|be the first to comment|(?:du musst|sie müssen) eingeloggt sein|sie sind (?:aktuell |derzeit )?nicht eingeloggt"
    r"|you must be logged in|subscribe now|please subscribe|hazte miembro"
)
# Notices about the page rather than the story: where it was taken from, when it was last changed,
# that it earns from links, and calls to get the site's app, channel or newsletter or to write in.
_NOTICE = (
    r"^(?:quellen?|fuente|źródło)\s*:|^(?:letzte änderung|zuletzt aktualisiert|aktualisiert am|last modified"
    r"|last updated|release date)\b"
    r"|affiliate[- ]links?|(?:contains|enthält) (?:affiliate|references to products)|advertisers do not influence"
    r"|we may (?:receive|earn) (?:a )?(?:compensation|commission)"
    r"|download (?:the|our) [\w ]{0,30}apps?\b|nuestro canal de (?:youtube|telegram|whatsapp)|canal de telegram"
    r"|(?:zum )?newsletter anmelden|letters? to the editor"
)
_FURNITURE = re.compile(f"{_RIGHTS}|{_CALL_TO_FOLLOW}|{_CREDIT_OR_CALL}|{_NOTICE}")
# Labels of what follows an article rather than what tells it: a contact, the sources, further
# information, a table of contents, a comment form. A line that is nothing but one of these goes;
# what follows it stays (it can be the article's own last part).
_SECTION_LABELS = (
    r"kontakt|contact|contacto|ansprechpartner(?:in)?(?: zum thema)?|pressekontakt",
    r"quellen(?:angaben)?|sources|references|fuentes|originalpublikation|original publication",
    r"weitere informationen(?: zum thema)?|mehr informationen|further information|more information"
    r"|más información|plus d'informations",
    r"inhaltsverzeichnis|table of contents|contents|índice|sommaire",
    r"publier un commentaire|post a comment|leave a (?:comment|reply)|kommentar (?:schreiben|verfassen)"
    r"|deja un comentario",
    r"(?:zum )?weiterlesen",
)
_SECTION_LABEL = re.compile(rf"(?:{'|'.join(_SECTION_LABELS)})\W*")
_WORD = re.compile(r"\w+")
# Lines longer than this are prose, whatever they mention.
_MAX_FURNITURE_WORDS = 30
_MAX_LABEL_WORDS = 8
_MAX_FURNITURE_CHARS = 400  # 30 words of 12 letters and more: longer lines are never furniture


def without_boilerplate(paragraphs: list[str], is_prose: Callable[[str], bool]) -> list[str]:
    """``paragraphs`` without the furniture lines described in the module docstring.

    A related-articles label followed by prose (``is_prose``) is a "read also" link whose teaser
    the extractor already dropped, in the middle of the story: only the label goes.
    """
    kept: list[str] = []
    total = sum(map(len, paragraphs))
    seen = 0
    for i, paragraph in enumerate(paragraphs):
        seen += len(paragraph)
        if len(paragraph) > _MAX_FURNITURE_CHARS:
            kept.append(paragraph)  # prose: no need to count its words
            continue
        words = len(_WORD.findall(paragraph))
        # One line (a paragraph can hold <br>s), in lower case: the patterns are lower-case, as
        # case-insensitive matching costs several times as much.
        paragraph_line = " ".join(paragraph.lower().split())
        if words <= _MAX_LABEL_WORDS and _TEASER_LABEL.fullmatch(paragraph_line):
            story_goes_on = i + 1 < len(paragraphs) and is_prose(paragraphs[i + 1])
            if kept and seen - len(paragraph) >= total / 2 and not story_goes_on:
                break  # what follows is the list of other articles, then the page's end
            continue
        if words <= _MAX_LABEL_WORDS and _SECTION_LABEL.fullmatch(paragraph_line):
            continue
        if words <= _MAX_FURNITURE_WORDS and _is_furniture(paragraph_line):
            continue
        kept.append(paragraph)
    return kept


def _is_furniture(line: str) -> bool:
    return bool(_TEASER_LINK.match(line) or _FURNITURE.search(line))
