"""The article's authors as a page shows them: its microdata, its byline, and the names in them.

Only the article's own byline counts: author names in menus, related-article teasers,
sidebars, comment sections and author boxes of other stories are not the article's. The byline
is the first author element after the headline (or the first on the page when the headline is
not found), with the author elements of the small block around it; a "By ..." line after the
headline counts as a byline too. Names are split at commas and "and" but not inside one name
("Mac & i") or an organisation; job titles, credentials ("MA") and organisations ("WebMD
Health News") are not names of people. A byline that names an organisation and no person
("Redaktion", "The Associated Press") is read as one name by organisation_names, which the
metadata reader asks only when no source names a person.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable
from functools import cached_property
from itertools import chain, islice

import lxml.html
from lxml import etree

from tasks.extract.dates import DATE_PATTERN
from tasks.extract.html_page import (
    BODY,
    document_position,
    elements_above,
    elements_after,
    enclosing_article,
    in_page_chrome,
    inside,
    is_classed_article_footer,
    is_hidden,
    leading_text,
    spaced_text,
)
from tasks.text.words import WORD, comparison_key, unique_ignoring_case

_WHITESPACE = re.compile(r"\s+")
# Everything after one of these is not part of the names: "By A and B | March 3, 2024",
# "Par Matthieu Hy le 07 Mai 2020" (a date starts with a digit, a month or a weekday; "le",
# "am", "on" lead into it: "By Louis Jacobson on Monday, November 18th"), "By Tim Childers -
# Live Science Contributor" (a spaced hyphen is never inside a name), "Williams Perdomo
# @wperdomod" (a social media handle), "von Lars Sobiraj Lesezeit: 4 Min." (the reading time).
_BYLINE_TAIL = re.compile(
    r"\s*(?:[|•·—–]|\s-\s|\s(?:for|für)\s|\s@\w|\s(?:follow|folgen)\b|\s(?:illustrationen|illustration|fotos?|photos?|bilder?)(?:\s*:|\s+(?:von|by)\b)|(?:\s(?:le|am|on|el|il|den|em|dnia|the))?\s*(?:\b\d"
    r"|\b(?:(?:last\s+)?updated|published|posted|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|(?:letzte\s+)?aktualisier(?:t|ung)|veröffentlicht|publiziert|actualizado|publicado|publié|mis à jour|aggiornato"
    r"|pubblicato|datum|fecha|(?:geschätzte\s+)?lesezeit|reading\s+time|tiempo\s+de\s+lectura|temps\s+de\s+lecture"
    r"|(?:date|stand)(?=\s*:))\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)).*",
    re.IGNORECASE | re.DOTALL,
)
# "By", "Written by" and their equivalents in other languages; "von", "di", "av" only in lower
# case, with a colon or alone before the name's element, since they also begin names ("Von Miller",
# "Di Maria"); "Von" and "VON" (a byline set in capitals) before two words or more.
_BYLINE_LABEL = (
    r"(?:(?i:(?:written|posted|\(?reporting)\s+by|scritto\s+da|(?:escrito|publicado)\s+por|écrit\s+par|(?:geschrieben|verfasst)\s+von"
    r"|by|par|por|door|przez|autor(?:[/*_]in|\(in\)|in|a|e|en|es)?|autori|auteurs?|authors?"
    r"|text(?:o|\s*(?:&|und|and|/|\+)\s*(?:fotos?|photos?|bilder?|interview|recherche))?"
    r"|from|текст|автор|interview(?=\s*:))(?<=\w|\))(?!\w)\s*:?"
    r"|(?:von|di|da|av|af)\s*:?(?=\s)|(?i:von|di|da|av|af)\s*:|V(?:on|ON)(?=\s+\S+\s+\S|\s*$))"
)
# A theme's meta line: the date, then the label ("Posted on September 21, 2020 by Jane Doe",
# "Freitag | 14. Juni 2019 | 15:49 VON Jane Doe", "am 3. Mai 2021 von Jane Doe").
_DATE_THEN_LABEL = re.compile(
    r"^\s*(?:(?:posted|published|veröffentlicht|publié|publicado|pubblicato)\s+)?(?:(?:on|am|le|el|il)\s+)?"
    r"(?:[^\W\d_]+,?\s*(?:[|·•]\s*)?)?"  # a weekday: "Freitag | 14. Juni 2019"
    rf"(?:{DATE_PATTERN.pattern})"
    r"(?:\s*(?:[|·•,]\s*)?(?:um\s+)?\d{1,2}:\d{2}(?:\s*(?:uhr|[ap]\.?m\.?))?)?"  # its time: "| 15:49"
    r"\s*(?:[|·•,]\s*)?(?:by|von|par|por|di)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
# Emoji and pictographs people add to their names in a profile ("Jenny Smith ❤️"), with the
# variation selector and joiner that build them.
_PICTOGRAPHS = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]")
# A news agency's credit line: "(Reporting by Will Dunham in Washington; Editing by Tom Brown)".
_WIRE_CREDIT = re.compile(r"^\(?\s*reporting\s+by\s+([^;()]+)", re.IGNORECASE)
# An interview's byline names the guest, then the journalist who asks ("Richard David Precht im
# Gespräch mit Karin Fischer"): the journalist wrote the piece.
_INTERVIEWER = re.compile(
    r"^[^\W\d_][^|•·]*?\s(?:im\s+gespr[äa]ch\s+mit|in\s+conversation\s+with|interviewed\s+by)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
_CATEGORY_TAIL = re.compile(r"\s+in\s+[A-ZÀ-Þ].*$", re.IGNORECASE)
# The agency after a name and an unspaced slash ("Peter Maahn/SP-X", "Anna Berg/dpa").
_AGENCY_AFTER_SLASH = re.compile(r"(?<=[a-zß-ÿ])/[A-Za-zÀ-Þ][\w-]*$")
# "Eine Analyse von", "A column by", "Un reportage de": a genre word before the label.
# ("Pressemitteilung von Katja Kipping"; but "Alexa von Heyden", "Ursula von der Leyen" are names).
_GENRE_LABEL = r"(?i:eine?|a|an|un|une|una|uno)\s+\w+\s+(?i:von|by|de|par|por|di)"
_GENRE_THEN_LABEL = re.compile(
    rf"^(?:{_GENRE_LABEL}|(?i:(?:a|an|un|une|una)\s+)?\w+\s+(?i:by|par|por)"
    r"|[^\W\d_]+\s+von:?(?=\s+[A-ZÀ-Þ][^\s,]*\s+\S))\s+"
)
_BYLINE_PREFIX = re.compile(rf"^\s*{_BYLINE_LABEL}\s*")
_CAPITAL_LABEL = re.compile(r"^(?:Von|Di|Da|Av|Af)\s*:?\s+")
# A label, or a page control, left alone where a name was expected.
_LABEL_WORD = re.compile(
    r"^(?:by|von|par|por|di|da|av|af|door|przez|from|autor|autore|auteur|author|about|über|share|teilen|compartir|partager"
    r"|condividi|follow|folgen|seguir|suivre|more|mehr|weiter|más|plus|(?:read|view|see)\s+(?:more|all)(?:\s+\w+)?|(?:full\s+)?(?:biography|bio|profile)"
    r"|(?:all|more|latest|recent|alle|weitere|neueste|tous\s+les|todos\s+los)\s+(?:posts|articles|stories|beiträge|artikel|artículos)"  # an author box's link
    r"|rechtsanw[aä]lt(?:in)?)$",  # the profession alone, before a name it may lead ("Rechtsanwalt Dennis Tölle")
    re.IGNORECASE,
)
_SEPARATORS_BEFORE_LABEL = "|•·–—, "  # between a meta line's date and its "by"
# <span>By</span> <a>Jane Doe</a>, <span>| By</span> (one \s* each side of the bar: two in a row backtrack
# over the indentation of every element's text)
_LABEL_ONLY = re.compile(rf"^\s*(?:[|•·–—]\s*)?{_BYLINE_LABEL}\s*$")
# "Ein Artikel von <strong>Pamela Sladky</strong>": the label with its genre word, the name in the next element.
_GENRE_LABEL_ONLY = re.compile(rf"^\s*{_GENRE_LABEL}\s*:?\s*$")
# <p>By Jane Doe</p>, <em>---- by Jane Doe</em> (a dash before it, as under an essay)
_LABEL_THEN_NAME = re.compile(rf"^\s*(?:[-–—]+\s*)?{_BYLINE_LABEL}\s*[^\W\d_]")
# A spaced slash too: "Por Laura Jordán / Javier Urbina" (an unspaced one is a photo credit's "dpa/Xinhua").
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\s/\s|\b(?i:and|und)\b|\bet\b|\by\b)\s*")
# A byline part containing one of these words is a job title ("Jane Doe, Staff Writer").
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|photographer)s?\b"
    r"|\b\w*(?:redakteur|journalist|korrespondent|volontär)(?:in|innen)?\b|\b(?:gast)?autor(?:in|innen)?\b"  # "Chefredakteur"
    r"|\b(?:redactora?|periodista|journaliste"
    r"|rédact(?:eur|rice)|giornalista)\b|编辑|編集|편집"
    r"|^(?:admin|administrator|webmaster|moderator|super\s+user)$",  # a site's placeholder account (Joomla's "Super User")
    re.IGNORECASE,
)
# A job title written as one word after the name, on a line of its own run together with it
# ("Christoph Hein Chefredakteur"); English titles come with a beat ("AP Auto Writer", "Business
# Columnist") that no rule can tell from a name, so such a byline part stays no name at all.
_TRAILING_ROLE = re.compile(
    r"(?:\s+(?:freie[rn]?|leitende[rn]?|stellvertretende[rn]?))?"
    r"\s+(?:\w*(?:redakteur|journalist|korrespondent)(?:in|innen)?|(?:gast)?autor(?:in)?|rédact(?:eur|rice)"
    r"|periodista|giornalista)$",
    re.IGNORECASE,
)
# A job title run together with the name after it, as one word ("FOCUS-Online-Experte Robin
# Tschöpe", "Chefredakteurin Anna Berg"), when a first and a family name follow.
_LEADING_ROLE = re.compile(
    r"^[\w-]*(?:experte|expertin|redakteur|redakteurin|korrespondent|korrespondentin|journalist|journalistin"
    r"|kolumnist|kolumnistin|gastautor|gastautorin)\s+(?=[^\W\d_]\S*\s+[^\W\d_])",
    re.IGNORECASE,
)
# A note in brackets after a full name is about the piece, not part of the name ("Samuel
# Diekmann (Sponsored Post)", "Jane Doe (Gastbeitrag)"); a bracket inside a name stays ("Richard
# (R.J.) Eskow").
_TRAILING_BRACKET = re.compile(r"^(\S+\s+[^\s()][^()]*?)\s*\([^()]*\)$")
# Two or three capitals alone are initials or an acronym ("JF", "NDR"), not who wrote the piece,
# unless "and" joins them to a full name ("JEAN-LUC O'NEIL and TJ").
_INITIALS = re.compile(r"[A-ZÀ-Þ]{2,3}")
# An author box or a teaser, not a byline: "About Jane Doe", "More Richard (R.J.) Eskow".
_POSSESSIVE = re.compile(r"\w['’]s\b")  # "Ryan Reed's Most Recent Stories"
_CJK_ORGANISATION = re.compile(r"事務所|株式会社|会社|編集部|编辑部|新聞社|新闻社|通信社|报社|記者クラブ")
_NOT_A_BYLINE_START = re.compile(
    r"^(?:about|über|more|more from|more by|(?:all|latest|recent) posts by|posts by|articles by|zur|zum|autorenseite"
    r"|translated|übersetzt|traduit|traducido|traducción|tradotto|traduzido|vertaald|przetłumaczył\w*)\s",
    re.IGNORECASE,
)  # "Zur Artikelübersicht", "Autorenseite von": a link to the author's page; "Übersetzt von": a translator
# A photo's label standing alone before its credit ("<strong>Foto:</strong>"): see _after_photo_label.
_PHOTO_LABEL = re.compile(
    r"^\s*(?:fotos?|photos?|bild(?:er)?|imagen|image|fotograf[íi]a|cr[ée]dito?s?)\s*:\s*$", re.IGNORECASE
)
# A signature under the text (see signed_at_the_end): a dash before the name, or emphasis around it.
_SIGN_OFF_DASH = re.compile(r"^\s*(?:[–—]|--?)\s*(?=\w)")
_MAX_SIGN_OFF_WORDS = 4
_EMPHASIS_TAGS = ("b", "strong", "i", "em")
# A web designer's or a theme's credit, which themes leave in <meta name=author> ("Peter Amende und
# Fuchsy designed", "Theme by Jane Doe"): no author of the article.
_DESIGN_CREDIT = re.compile(r"\b(?:designed|design\s+by|web\s?design|themes?|templates?|powered\s+by)\b", re.IGNORECASE)
# A translator's credit beside the authors' ("<div class='translator contributor'>"): no author.
_TRANSLATOR_CLASS = re.compile(r"translat|übersetz|traduc|tradut", re.IGNORECASE)
_TRANSLATOR_LEVELS = 3
_LABEL_CHARS = 20  # enough of an element's text to hold its label ("Übersetzt von")
_TRANSLATOR_LABEL = re.compile(
    r"(?:übersetzt\s+von|übersetzung|translated\s+by|translation|traducido\s+por|traducci[oó]n|traduit\s+par"
    r"|traduction|tradotto\s+da|traduzione|traduzido\s+por|tradu[cç][aã]o)\b",
    re.IGNORECASE,
)
# Prose, not a byline (see _is_prose): a sentence ends and another begins in an author's bio ("Alles über
# Lautsprecher, Heimkino und HiFi-Trends. Zudem haben wir ..."); initials and titles ("Markus M.
# Haefliger", "Prof. Dr. Jane Roe") end in no run of four lower-case letters.
_SENTENCE_BREAK = re.compile(r"[a-zß-ÿ]{4}[.!?]\s+[A-ZÀ-Þ]")
_MIN_PROSE_WORDS = 10
_MONTH = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$|^(?:januar|februar|märz|mai|juni|juli"
    r"|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)$"
    # weekdays, which a date after the name leaves behind ("Heiko Sauer Do, 12.03.2020")
    r"|^(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag"
    r"|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|dimanche)\.?$",
    re.IGNORECASE,
)
# A byline ending in one of these words names an organisation, however many commas it holds
# ("ACLU Speech, Privacy, and Technology Project", "WebMD Health News"): no person's name.
_ORGANISATION_WORD = re.compile(
    r"\b(?:project|news|team|desk|bureau|agency|foundation|institute|center|centre|association|society"
    r"|committee|council|d[eé]partement|department|departamento|dipartimento|office|group|network|media|service|newsroom|redaktion|press|presse|wires?"
    r"|redacci[oó]n|r[ée]daction|redazione|ministr(?:y|ies)|magazine|program(?:me)?|agencia|agence|agenzia"
    # German compounds end in the organisation's kind: "Sportverein", "Landesverband", "Bundesministerium"
    r"|\w*(?:feuerwehr|abteilung|verein|verband|stiftung|ministerium|hochschule|anstalt|behörde|partei)|institut|universit(?:y|ät|é|à|ad)"
    r"|reuters|afp|dpa|apa|efe|ansa|xinhua|kyodo|tass|upi|kna|epd|pti|ians"  # news agencies: "REUTERS", "(KNA/iz)"
    r"|gmbh|ag|kg|inc|ltd|llc|plc|corp)\b",  # legal forms of companies: "Naturstrom AG", "Co. KG"
    re.IGNORECASE,
)
# A name in capitals followed by the organisation it writes for, as two lines of one byline
# run together ("ERIC TUCKER Associated Press"): the capitals are the name.
_CAPITALS_THEN_ORGANISATION = re.compile(r"^((?:[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+\s+){1,4})(?=\S*[a-zß-ÿ]).*\s\S+$")
# Academic titles before a name are not part of it ("Dr. Sebastian Brüggemann", "Prof. Dr. Jane
# Roe", "Dipl.-Ing. Max Muster"): the same person is named without them elsewhere.
_ACADEMIC_TITLES = re.compile(
    r"^(?:(?:(?:Prof|Dr)\.?|(?:PD|Mag|Dipl)\.)(?:-?\s?(?:med|phil|rer|nat|jur|habil|h\.\s?c|dent|Ing|Kfm|Kff|Psych)\.?)*\s+)+"
    r"(?=[^\W\d_]\S*\s+[^\W\d_])"  # a first and a family name follow: "Dr. Oetker" stays
)
# Credentials and degrees after a name ("Jane Doe, MA", "John Roe, PhD") are not names.
_CREDENTIAL = re.compile(
    r"^(?:MA|MS|MSc|BA|BSc|MD|DO|DDS|RN|RD|RDN|MBA|MPH|JD|LLM|CPA|CFA|FACP|FRCP|PhD|Ph\.\s?D\.?|M\.D\.|Jr\.?|Sr\.?)$"
)
# Lower-case words a name may hold: particles ("Alexa von Heyden", "Luis de la Vega").
_NAME_PARTICLES = frozenset("von van der den de del della di da dos das du la le bin ibn al el ter ten zu".split())
_LEADING_ARTICLE = re.compile(r"^(?:the|der|die|das|les|los|las)\s", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"[0-9@/\\:→←►▶»«_]|(?:^|\s)©|\bcopyright\b|https?:|www\.|\w\.[a-z]{2,}\b", re.IGNORECASE
)  # "cleveland.com" is a site
# punctuation a byline leaves around a name ("+ Follow", quotes, a footnote's "*")
_NAME_EDGE = " .:,;-–—/／|·+*'\"‘’“”«»"
_MAX_NAME_WORDS = 5
_MAX_ORGANISATION_WORDS = 8
_MAX_BYLINE_CHARS = 200  # longer "author" elements are bio boxes, not bylines
_MAX_BLOCK_CHARS = 150  # the block around one byline: its names, a date, share links
_BLOCK_LEVELS = 3
_LINES_ABOVE = 3  # elements before the headline (or the block it opens) read for a byline
_LABEL_SEARCH_ELEMENTS = 150  # how far after the headline a "By ..." line is looked for
_FURTHER_LABEL_SEARCH_ELEMENTS = 1500  # how far a label of its own is looked for (_label_of_its_own_further_down)
_MAX_LABELLED_CHARS = 100  # a "By ..." line longer than this is a sentence ("Von Politikern ...")
# <footer>s, and the blocks a theme classes as an article's footer (see is_classed_article_footer)
_FOOTERS = etree.XPath(
    f"{BODY}//footer | {BODY}//div[contains(@class, 'entry-footer') or contains(@class, 'post-footer')"
    " or contains(@class, 'entry_footer') or contains(@class, 'post_footer') or contains(@class, 'article-footer')]"
)
_MAX_SIGNATURE_CHILDREN = 4  # a name, an address, a date, a separator
_MAX_SIGNATURE_WORDS = 20  # a signature line: a name or two, an address, a date
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BLOCK_TAGS = frozenset({"div", "p", "li", "ul", "ol", "dl", "section", "article", "header", "footer", "table"})
_META_LINE_ELEMENTS = 12  # how far under the headline a meta line without a label is looked for
# A meta line of a date and a name, either way round ("25.10.2022 - Reiner Nagel", "Malte Welding |
# 29.07.2006 um 14:26"): no label, no class says it is a byline, only its shape.
_DATE_AND_TIME = rf"(?:{DATE_PATTERN.pattern})(?:\s+(?:um|at)\s+\d{{1,2}}:\d{{2}}(?:\s*uhr)?)?"
_DATED_NAME = re.compile(
    rf"{_DATE_AND_TIME}(?:\s*[|–—·•-])+\s*(?P<after>[^\W\d_][^|–—·•\d]*)"
    rf"|(?P<before>[^\W\d_][^|–—·•\d]*?)(?:\s*[|–—·•-])+\s*{_DATE_AND_TIME}",
    re.IGNORECASE,
)
_TEXTS_AND_LINE_BREAKS = etree.XPath(".//text() | .//br")  # in document order: a <br> becomes a bar
# An e-mail address a byline adds to the name ("Lüder Hoppe info@buero-hoppe.de"), in brackets or not.
_ADDED_EMAIL_ADDRESS = re.compile(rf"[(<\[]?(?:mailto:)?{_EMAIL_ADDRESS.pattern}[)>\]]?")
_MAX_LINKED_BYLINE_EXTRA = 30  # what a link to an author's page holds besides the name ("By", a role)

# Author elements: rel=author, byline/author classes (also "autor", "auteur"), and links to an
# author's page (WordPress and most CMSs: /author/name/, /autor/, /auteur/, /autore/; also
# /authors/, /writer/ and the German /autoren/, /redaktion/name).
_AUTHOR_PAGES = ("author", "authors", "autor", "autoren", "auteur", "autore", "writer", "writers", "redaktion")
# Each mark as (attribute, test of its value `{v}`). The page's author elements are selected
# attribute first, a union of `/html/body/descendant::*/@name[test]/..`: the tests then run only where
# the attribute is, not on every element of the page (a third less time than `/html/body//*[tests]`).
_BYLINE_MARKS = (
    ("class", "contains({v}, 'byline')"),
    ("id", "contains({v}, 'byline')"),
    ("rel", "{v} = 'author'"),
    # the first three tests rule out most links at once
    (
        "href",
        "(contains({v}, '/aut') or contains({v}, '/writer') or contains({v}, '/redaktion/')) and ("
        + " or ".join(f"contains({{v}}, '/{folder}/')" for folder in _AUTHOR_PAGES)
        + ")",
    ),
)
_AUTHOR_CLASS = (
    "class",
    "contains({v}, 'author') or contains({v}, 'Author') or contains({v}, 'autor') or contains({v}, 'auteur')",
)


def _elements_marked(marks: tuple[tuple[str, str], ...]) -> etree.XPath:
    """The <body>'s elements with any of `marks`, in document order (one pass per attribute)."""
    tests: dict[str, list[str]] = {}
    for name, test in marks:
        tests.setdefault(name, []).append(f"({test.format(v='.')})")
    return etree.XPath(
        " | ".join(f"{BODY}/descendant::*/@{name}[{' or '.join(ors)}]/.." for name, ors in tests.items())
    )


_BYLINE_ELEMENTS = _elements_marked((_AUTHOR_CLASS, *_BYLINE_MARKS))
# Only what a page marks as the byline itself, not any element classed "author" (the
# "statement-author" of a fact check is the author of the claim it checks): tested on the
# author elements found already.
_IS_MARKED_BYLINE = etree.XPath(
    "self::*[" + " or ".join(f"@{name}[{test.format(v='.')}]" for name, test in _BYLINE_MARKS) + "]"
)
# Class words of the other parts a byline element holds: "cb-byline-element cb-category" and
# "byline-article-type" (the section, "Features") are no names.
_OTHER_BYLINE_PART = re.compile(
    r"(?:^|[\s_-])(?:date|time|categor|comment|share|reading|(?:tags?|type)(?:$|[\s_-]))", re.IGNORECASE
)
# Attribute first, as _elements_marked.
_MICRODATA_AUTHORS = etree.XPath(
    f"{BODY}/descendant::*/@itemprop[contains(concat(' ', normalize-space(.), ' '), ' author ')]/.."
)
_MICRODATA_SCOPE = "ancestor::*[@itemscope and (contains(@itemtype, 'Article') or contains(@itemtype, 'Posting'))]"
_MICRODATA_ARTICLES = etree.XPath("//@itemtype[contains(., 'Article') or contains(., 'Posting')]/parent::*[@itemscope]")


def microdata_authors(tree: lxml.html.HtmlElement) -> list[str]:
    """Texts of the ``itemprop=author`` elements of the page's article (the first schema.org
    Article in the page; the authors of other articles it lists are theirs)."""
    authors = _MICRODATA_AUTHORS(tree)
    articles = _MICRODATA_ARTICLES(tree) if authors else []
    texts = []
    for element in authors:
        if in_page_chrome(element) or _in_figure(element):
            continue
        scopes = element.xpath(_MICRODATA_SCOPE)
        if articles and scopes and scopes[-1] is not articles[0]:
            continue
        named = element.find(".//*[@itemprop='name']")
        source = named if named is not None else element
        text = source.get("content") if source.tag in ("meta", "link") else spaced_text(source)
        if text and text.strip() and len(text) <= _MAX_BYLINE_CHARS:
            texts.append(text)
    return texts


BylineNames = Callable[[Iterable[str]], list[str]]


class AuthorElements:
    """A page's author elements (classed "author", marked as a byline, linking to an author's
    page), found once for all the byline sources that read them: the search runs over every
    element of the page."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.tree = tree

    @cached_property
    def all(self) -> list[lxml.html.HtmlElement]:
        return list(_BYLINE_ELEMENTS(self.tree))

    @cached_property
    def marked(self) -> list[lxml.html.HtmlElement]:
        """Only those marked as the byline itself (see _IS_MARKED_BYLINE)."""
        return [element for element in self.all if _IS_MARKED_BYLINE(element)]


def byline_texts(
    elements: AuthorElements,
    headline: lxml.html.HtmlElement | None,
    names: BylineNames | None = None,
    *,
    marked_only: bool = False,
) -> list[str]:
    """Texts of the article's byline: the first author element or "By ..." line after the
    ``headline`` element (or the first author element on the page) in which ``names`` (by
    default person_names) finds a name, with the author elements of the small block that
    holds it. With ``marked_only``, author elements are only those marked as a byline (a
    "byline" class, rel=author, a link to an author's page), not any classed "author"."""
    names = names or person_names
    article = enclosing_article(headline) if headline is not None else None
    on_page = elements.marked if marked_only else elements.all
    candidates = on_page
    if headline is not None:
        start = document_position(headline)
        candidates = [element for element in on_page if document_position(element) > start] or on_page
    first = next(
        (element for element in candidates if _names_the_author(element, names, article)),
        None,
    )
    if headline is not None:
        following = elements_after(headline, _LABEL_SEARCH_ELEMENTS)
        position, labelled = _labelled_byline(following, names, article)
        if labelled is not None and (first is None or position <= _index(following, first)):
            return [labelled]
        if first is None and not marked_only:
            return (
                _byline_above(headline, set(on_page), names, article)
                or _dated_name_line(following[:_META_LINE_ELEMENTS], names, article)
                or _signed_with_address(following, names, article)
                or _signed_in_footer(elements.tree, headline, names, article)
                or _label_of_its_own_further_down(headline, names, article)
            )
    if first is None:
        return []
    block = _byline_block(first)
    return [
        spaced_text(element)
        for element in candidates
        if element is first
        or (
            inside(element, block)
            and _may_name_the_author(element)
            and len(spaced_text(element)) <= _MAX_BYLINE_CHARS
            and not in_page_chrome(element, article)
        )
    ]


def byline_words(line: str) -> set[str]:
    """The words of the names a line opens with after a byline label, as in a meta line that
    gives the date too ("Von Moritz Bachmann publiziert am 30. Juli 2018"); none when the line
    opens otherwise."""
    if not _LABEL_THEN_NAME.match(line):
        return set()
    return {word for name in person_names([line]) for word in name.split()}


def person_names(texts: Iterable[str], publisher: str | None = None) -> list[str]:
    """Split bylines into single names: no "By", dates, job titles, credentials, organisations,
    duplicates or the publisher; names in capitals in the case of names."""
    publisher_key = comparison_key(publisher or "")
    # the publisher's whole name is the site, before its tail is cut ("Noticias de El Salvador -
    # La Prensa Gráfica | Informate con la verdad" would leave "Noticias de El Salvador")
    bylines = (
        _without_label_and_tail(text) for text in texts if not publisher_key or comparison_key(text) != publisher_key
    )
    names, seen_full_name = [], False
    for text in filter(None, bylines):
        parts = _split_names(text)
        if len(parts) > 1 and _ends_in_organisation(text) and any(len(part.split()) == 1 for part in parts[:-1]):
            continue  # one organisation with commas in its name: "ACLU Speech, Privacy, and Technology Project"
        for part in parts:
            if (_INITIALS.fullmatch(part) and not _joined_by_and(part, text)) or _ORGANISATION_WORD.search(part):
                seen_full_name = True  # a word after it is its place, as after a name: "PTI, Washington"
                continue
            if not _looks_like_name(part) or comparison_key(part) == publisher_key:
                continue
            # one word after a full name is the place, title or employer the byline adds ("Markus
            # Balser, Berlin", "Ryan Merkley, CEO"), unless "and" joins it ("JEAN-LUC O'NEIL and TJ");
            # first names before a full name are a family's ("Anthony, Maya, and Caroline Ghosn")
            if " " in part:
                seen_full_name = True
            elif seen_full_name and not _joined_by_and(part, text):
                continue
            names.append(_in_name_case(part))
    return _without_longer_spellings(unique_ignoring_case(names))


def organisation_names(texts: Iterable[str], publisher: str | None = None) -> list[str]:
    """Bylines that name an organisation ("Redaktion", "The Associated Press", "ACLU Speech,
    Privacy, and Technology Project"), each whole as one name, without its label and date; not
    the publisher. A byline naming a person as well is person_names' (see the module)."""
    publisher_key = comparison_key(publisher or "")
    # a capital "Von" before one word is a label here: no person is named "Von Redaktion"
    bylines = (_CAPITAL_LABEL.sub("", text) for text in map(_without_label_and_tail, texts))
    names = [
        text
        for text in bylines
        if text
        and _ORGANISATION_WORD.search(text)
        and len(text.split()) <= _MAX_ORGANISATION_WORDS
        and not _NOT_A_NAME.search(text)
        and (text[0].isupper() or text[0].isdigit())
        and comparison_key(text) != publisher_key
    ]
    return unique_ignoring_case(names)


def signed_at_the_end(tree: lxml.html.HtmlElement | None, last_paragraph: str) -> list[str]:
    """The name that signs an article whose byline nothing else shows: its text's last paragraph
    (``last_paragraph``) is a person's name alone, after a dash ("– David Dunkley") or set in
    bold or italics of its own in ``tree`` ("<p><b><i>Stefan Wasmer</i></b></p>"). A plain line
    is not enough: a heading, a product or a greeting ends many a text ("Top Picks")."""
    dashed = _SIGN_OFF_DASH.match(last_paragraph)
    line = last_paragraph[dashed.end() :] if dashed else last_paragraph
    if tree is None or not line or len(line.split()) > _MAX_SIGN_OFF_WORDS or line.endswith(":"):
        return []
    names, key = person_names([line]), comparison_key(line)
    if len(names) != 1 or " " not in names[0] or comparison_key(names[0]) != key:
        return []
    if dashed:
        return names
    for element in tree.iter(*_EMPHASIS_TAGS):
        block = element.getparent()
        while block is not None and block.tag in _EMPHASIS_TAGS:
            block = block.getparent()
        if (
            block is not None
            and block.tag in ("p", "div")
            and comparison_key(spaced_text(element)) == key
            and comparison_key(spaced_text(block)) == key
            and not in_page_chrome(block)
        ):
            return names
    return []


def names_shown_in_bylines(elements: AuthorElements, texts: Iterable[str]) -> list[str]:
    """The names of ``texts`` (the page's author meta tags) that one of its author elements
    shows whole, also when written in lower case, as some people write their own names
    ("Mobasir hassan"): two sources agreeing make a name of what neither makes one alone."""
    shown = {
        comparison_key(text)
        for element in elements.all
        if 0 < len(text := spaced_text(element)) <= _MAX_BYLINE_CHARS and not in_page_chrome(element)
    }
    names = [
        name
        for name in map(_without_label_and_tail, texts)
        if " " in name  # a first and a family name: one word in lower case is a user name or initials ("mh")
        and comparison_key(name) in shown
        and _looks_like_name(name, lower_case=True)
    ]
    return unique_ignoring_case(names)


def _without_label_and_tail(text: str) -> str:
    """The names part of a byline: without "By", a genre word ("Eine Analyse von"), a date or a
    role after the names; empty for a link to an author box or a teaser ("About ...", "More ...")."""
    text = _WHITESPACE.sub(" ", _ADDED_EMAIL_ADDRESS.sub(" ", _PICTOGRAPHS.sub(" ", html_lib.unescape(text)))).strip()
    wire_credit = _WIRE_CREDIT.match(text)
    if wire_credit:  # the reporters, without their place; the editors are no authors
        return _CATEGORY_TAIL.sub("", wire_credit.group(1)).strip(_NAME_EDGE)
    text = _INTERVIEWER.sub("", text)
    meta_line = _DATE_THEN_LABEL.match(text)
    if meta_line:  # its category follows the name: "... by Jane Doe in Fashion"
        text = _CATEGORY_TAIL.sub("", text[meta_line.end() :])
    text = _AGENCY_AFTER_SLASH.sub("", text)
    if _NOT_A_BYLINE_START.match(text) or _DESIGN_CREDIT.search(text):
        return ""
    # the tail is looked for after the label: "Posted" ends a byline ("Jane Doe Posted March 3")
    # but begins "Posted by Jane Doe"
    label = _BYLINE_PREFIX.match(text)
    end = label.end() if label else 0
    without_tail = text[:end] + _BYLINE_TAIL.sub("", text[end:])
    if _is_prose(text, without_tail):
        return ""
    text = _BYLINE_PREFIX.sub("", _GENRE_THEN_LABEL.sub("", without_tail)).strip(_NAME_EDGE)
    text = _LEADING_ROLE.sub("", text)
    without_role = _TRAILING_ROLE.sub("", text)
    return without_role if " " in without_role else text  # "Jane Editor" alone stays (and fails as a name)


def _is_prose(text: str, without_tail: str) -> bool:
    """True for a sentence or two of an author's bio rather than a byline: ten words or more, of
    which most begin in lower case or in which (``without_tail``: before a date or the like) one
    sentence ends and another begins."""
    words = text.split()
    if len(words) < _MIN_PROSE_WORDS:
        return False
    lower_case = sum(word[0].islower() for word in words)
    return 2 * lower_case > len(words) or _SENTENCE_BREAK.search(without_tail) is not None


def _in_name_case(name: str) -> str:
    """A name of several words written in capitals, as some bylines style it ("MORITZ PAPPERT"),
    in the case names are written in ("Moritz Pappert"); one word in capitals may be initials."""
    return name.title() if name.isupper() and " " in name else name


def _without_longer_spellings(names: list[str]) -> list[str]:
    """Names without the ones that are another name plus words: "Kevin McCoy USA TODAY" when
    "Kevin McCoy" is there (a byline and its publication glued together), "Disko Von Ernst
    Lohoff" when "Ernst Lohoff" is (the section's name and the label before the byline)."""
    folded = [name.casefold() for name in names]
    return [
        name
        for name, key in zip(names, folded, strict=True)
        if not any(key.startswith(f"{other} ") or key.endswith(f" {other}") for other in folded)
    ]


def _joined_by_and(part: str, text: str) -> bool:
    """True when "and" (or "&", "und", "et", "y") comes right before ``part`` in ``text``."""
    return re.search(rf"(?:&|\b(?i:and|und|et|y))\s*{re.escape(part)}", text) is not None


def _ends_in_organisation(text: str) -> bool:
    """True when the last word of ``text`` names an organisation ("... Technology Project")."""
    words = text.split()
    return bool(words) and bool(_ORGANISATION_WORD.fullmatch(words[-1].strip(".,")))


def _split_names(text: str) -> list[str]:
    """The names of one byline: split at commas and "and", unless a part is no name at all
    ("Mac & i" stays one name), with credentials after a name dropped ("Jane Doe, MA")."""
    parts = [
        _TRAILING_BRACKET.sub(r"\1", _BYLINE_PREFIX.sub("", part).strip(_NAME_EDGE))
        for part in _NAME_SEPARATOR.split(text)
    ]
    parts = [
        _ACADEMIC_TITLES.sub("", _name_before_organisation(part))
        for part in parts
        if part and not _CREDENTIAL.match(part)
    ]
    return [text] if len(parts) > 1 and any(len(part) < 2 for part in parts) else parts


def _name_before_organisation(part: str) -> str:
    """The name in capitals that begins ``part`` when the rest names an organisation
    ("ERIC TUCKER Associated Press"), else ``part``."""
    match = _CAPITALS_THEN_ORGANISATION.match(part)
    return match.group(1).strip() if match and _ends_in_organisation(part) else part


def _looks_like_name(text: str, *, lower_case: bool = False) -> bool:
    """True for a short run of capitalised words (particles aside; any words with
    ``lower_case``) with letters and no digits, URLs, e-mails, job titles or organisation words."""
    words = text.split()
    return (
        any(character.isalpha() for character in text)
        and len(words) <= _MAX_NAME_WORDS
        and not _NOT_A_NAME.search(text)
        and not _ROLE_WORDS.search(text)
        and not _ORGANISATION_WORD.search(text)
        and not _LEADING_ARTICLE.match(text)
        and not _LABEL_WORD.match(text)
        and not _MONTH.match(text)
        and not _POSSESSIVE.search(text)
        and text.count("(") == text.count(")")  # "Collins Dublin)": the end of a photo credit
        and not _CJK_ORGANISATION.search(text)
        and (
            lower_case or not any(len(word) > 1 and word[0].islower() and word not in _NAME_PARTICLES for word in words)
        )
    )


def _names_the_author(
    element: lxml.html.HtmlElement, names: BylineNames, article: lxml.html.HtmlElement | None
) -> bool:
    """True for an author element that holds the article's byline: no credit of another kind, a
    name ``names`` finds, outside the page's chrome."""
    return _may_name_the_author(element) and _byline_names(element, names) and not in_page_chrome(element, article)


def _byline_names(element: lxml.html.HtmlElement, names: BylineNames) -> bool:
    """True when the element's text is short enough for a byline and ``names`` finds a name in it."""
    text = spaced_text(element)
    return 0 < len(text) <= _MAX_BYLINE_CHARS and bool(names([text]))


def _labelled_byline(
    following: list[lxml.html.HtmlElement], names: BylineNames, article: lxml.html.HtmlElement | None
) -> tuple[int, str | None]:
    """The text of the first "By Jane Doe" element among ``following`` (or of the parent of a
    "By" label standing alone, or of a "by Jane Doe" line after one of them) that holds a name,
    with the position of its label in ``following``."""
    for position, element in enumerate(following):
        own = element.text or ""
        # <span>By</span> <a>Jane Doe</a>, or <span>By <a>Jane Doe</a></span>
        if _LABEL_ONLY.match(own) or (len(element) and _GENRE_LABEL_ONLY.match(own)):
            line = element if len(element) else element.getparent()
            # the label alone in its own block, the name in the next (<p>By</p><p>Jane Doe</p>)
            for _ in range(_BLOCK_LEVELS):
                if line is None or not _LABEL_ONLY.match(spaced_text(line)):
                    break
                line = line.getparent()
            # without its label, which must begin the line: "Von" before one word stays in a name
            # ("Von Miller"); "Name – <em>by</em> ..." is no byline
            line_text = spaced_text(line) if line is not None else ""
            text = line_text.removeprefix(own.strip()) if line_text.startswith(own.strip()) else ""
            if not text and not len(element):
                tail, after = (element.tail or "").strip(), element.getnext()
                if tail and _ends_line(after):
                    # the name in the label's tail, ending the line: "<span>Autor:</span> Fritz Imhof<br>"
                    line, text = element.getparent(), tail
                elif not tail and after is not None:
                    # a label of its own after other words of the line: "yas! <span>| By</span> <span>Jane Doe</span>"
                    line, text = element.getparent(), spaced_text(after)
            if len(text) > _MAX_LABELLED_CHARS:  # the name's element holds more: an author tooltip, a bio
                text = _first_link_text(element.getnext())
        elif _LABEL_THEN_NAME.match(own) or _DATE_THEN_LABEL.match(own):  # "By Jane Doe", "May 3, 2024 by Jane Doe"
            line, text = element, spaced_text(element)
        else:
            line, text = element.getparent(), _line_after(element)
        if (
            text
            and line is not None
            and len(text) <= _MAX_LABELLED_CHARS
            and 0 < len(found := names([text]))
            and not _single_words(found)
            and not in_page_chrome(line, article)
        ):
            return position, text
    return len(following), None


def _byline_above(
    headline: lxml.html.HtmlElement,
    candidates: set[lxml.html.HtmlElement],
    names: BylineNames,
    article: lxml.html.HtmlElement | None,
) -> list[str]:
    """The byline in the lines right above the headline, nearest first, where a theme puts its
    meta line before the title ("<div class=content-meta><span>By <a>Jane Doe</a></span> <span>
    10. Februar 2019</span></div><h1>"): a "By" line, else an author element."""
    for line in elements_above(headline, _LINES_ABOVE):
        inner = [line, *(element for element in line.iterdescendants() if isinstance(element.tag, str))]
        labelled = _labelled_byline(inner, names, article)[1]
        if labelled is not None:
            return [labelled]
        marked = next(
            (element for element in inner if element in candidates and _names_the_author(element, names, article)),
            None,
        )
        if marked is not None:
            return [spaced_text(marked)]
    return []


def _dated_name_line(
    lines: list[lxml.html.HtmlElement], names: BylineNames, article: lxml.html.HtmlElement | None
) -> list[str]:
    """The name of a meta line that is nothing but a date and a full name, joined by a dash or
    a bar ("25.10.2022 - Reiner Nagel", "Malte Welding | 29.07.2006 um 14:26"), among the
    ``lines`` under the headline: a theme's byline without a label or a class."""
    for line in lines:
        if len(line) > _MAX_SIGNATURE_CHILDREN or any(child.tag in _BLOCK_TAGS for child in line):
            continue  # a container: its lines come one by one
        pieces = _TEXTS_AND_LINE_BREAKS(line)
        if sum(len(piece) for piece in pieces if isinstance(piece, str)) > _MAX_LABELLED_CHARS:
            continue
        # a line break parts the two as a dash does ("Jane Doe<br>3 March 2024"); elements alone
        # do not: a theme's meta line puts the date beside the category ("<span>2020-04-26</span>
        # <span><a rel="category tag">Deutsche Sprache</a></span>")
        text = " ".join("".join(piece if isinstance(piece, str) else " | " for piece in pieces).split())
        if not (dated := _DATED_NAME.fullmatch(text)):
            continue
        name = dated.group("after") or dated.group("before")
        found = names([name])
        if len(found) == 1 and " " in found[0] and _only_names(name, found) and not in_page_chrome(line, article):
            return found
    return []


def _signed_with_address(
    following: list[lxml.html.HtmlElement], names: BylineNames, article: lxml.html.HtmlElement | None
) -> list[str]:
    """The names before an e-mail address in a short line among ``following``, the way many
    papers sign a story whose byline no markup or label shows ("Johnny Castro
    jcastro@larepublica.net | Viernes 22 abril, 2022")."""
    if not any("@" in (element.text or "") or "@" in (element.tail or "") for element in following):
        return []  # most pages: no address at all, and reading every line's text is slow
    for element in following:
        if len(element) > _MAX_SIGNATURE_CHILDREN:  # a container: its lines come one by one
            continue
        raw_text = "".join(element.itertext())
        if "@" not in raw_text or len(raw_text.split()) > _MAX_SIGNATURE_WORDS:
            continue  # cheap tests first: most lines hold no address, or are paragraphs
        text = spaced_text(element)
        address = _EMAIL_ADDRESS.search(text) if len(text) <= _MAX_LABELLED_CHARS else None
        if address is None:
            continue
        signature = text[: address.start()]
        found = names([signature])
        if found and _only_names(signature, found) and not in_page_chrome(element, article):
            return [signature]
    return []


def _signed_in_footer(
    tree: lxml.html.HtmlElement,
    headline: lxml.html.HtmlElement,
    names: BylineNames,
    article: lxml.html.HtmlElement | None,
) -> list[str]:
    """A labelled byline ("Author: Jane Doe") or a dated name (see _dated_name_line) in the
    footer of the headline's article, or, when the headline stands in no <article>, in a footer
    after it classed as the article's: where a blog signs a post, too far below a long article
    for the search after the headline."""
    start = document_position(headline)
    for footer in _FOOTERS(tree):
        if article is not None:
            own = inside(footer, article)
        else:
            own = enclosing_article(footer) is None and is_classed_article_footer(footer)
        if own and document_position(footer) > start:
            lines = list(islice(footer.iter(etree.Element), _LABEL_SEARCH_ELEMENTS))  # bounded on any page
            _, labelled = _labelled_byline(lines, names, article)
            if labelled is not None:
                return [labelled]
            dated = _dated_name_line(lines, names, article)
            if dated:
                return dated
    return []


def _label_of_its_own_further_down(
    headline: lxml.html.HtmlElement, names: BylineNames, article: lxml.html.HtmlElement | None
) -> list[str]:
    """A byline whose label stands in an element of its own ("<h4>Autor</h4><p><a>Jane Doe</a></p>",
    "<strong>Autor:</strong> Jane Doe<br>") past the labelled search, in the meta block a page
    puts under a long article. Only such labels, and none in a card linking to another story: so
    far down, a "By ..." line is a teaser's."""
    further = elements_after(headline, _FURTHER_LABEL_SEARCH_ELEMENTS)[_LABEL_SEARCH_ELEMENTS:]
    labels = [
        element
        for element in further
        if element.text and _LABEL_ONLY.match(element.text) and not _in_teaser_link(element)
    ]
    _, labelled = _labelled_byline(labels, names, article)
    return [labelled] if labelled is not None else []


def _only_names(signature: str, names: list[str]) -> bool:
    """True when ``signature`` holds the full ``names`` and nothing else but a byline label and
    separators: not a contact box ("Jan Koch Telefon +49 40 ...", "Anmeldung & Karten: per
    Email unter")."""
    if any(character.isdigit() for character in signature) or any(" " not in name for name in names):
        return False
    name_words = {word for name in names for word in WORD.findall(name)}
    return all(
        word in name_words or _NAME_SEPARATOR.fullmatch(word)
        for word in WORD.findall(_without_label_and_tail(signature))
    )


def _first_link_text(element: lxml.html.HtmlElement | None) -> str:
    """The text of the first link in ``element`` (or of ``element``, a link): after a "By" label,
    the name, before the author box the same element holds ("By <div><a>Jacob Wade</a><div>Jacob
    Wade is a personal finance expert ...</div></div>")."""
    if element is None:
        return ""
    link = element if element.tag == "a" else next(element.iter("a"), None)
    return spaced_text(link) if link is not None else ""


def _line_after(element: lxml.html.HtmlElement) -> str:
    """A "by Jane Doe" line that starts in the text after ``element`` ("Posted <time>May 3</time>
    by Jane Doe", "<br>von <strong>Moritz Pappert</strong><br>"): the label and the name, with
    the next element's text when the label stands alone. Empty when that text is no such line:
    it must follow a <br> or the date of a meta line, and end a line."""
    tail = element.tail
    if not tail or tail.isspace():  # most elements: checked first, it is cheap
        return ""
    # without the separator after a date: "<time>19.03.2019</time> | von", "<time>13. Mai 2014</time>, von"
    label = tail.lstrip().lstrip(_SEPARATORS_BEFORE_LABEL)
    with_name, label_only = bool(_LABEL_THEN_NAME.match(label)), bool(_LABEL_ONLY.match(label))
    parent, following = element.getparent(), element.getnext()
    if not (with_name or label_only) or parent is None:
        return ""
    if element.tag != "br" and not _is_date_element(element):
        return ""  # inside a sentence: "drawn up <em>in 2019</em> by Congress."
    if with_name and _ends_line(following):
        return " ".join(label.split())
    if label_only and following is not None and _ends_line(following.getnext()):
        return f"{label.strip()} {spaced_text(following)}"
    return ""


def _is_date_element(element: lxml.html.HtmlElement) -> bool:
    """True for a <time>, or an element whose itemprop or class says it holds a date."""
    marks = f"{element.get('itemprop') or ''} {element.get('class') or ''}".lower()
    return element.tag == "time" or "date" in marks or "publish" in marks


def _ends_line(element: lxml.html.HtmlElement | None) -> bool:
    """True where a line ends before ``element``: at the end of its parent, a <br> or a hidden element."""
    return element is None or element.tag == "br" or is_hidden(element)


def _may_name_the_author(element: lxml.html.HtmlElement) -> bool:
    """False for a photo credit, a byline's date, category or comment count, or the author of
    a teaser card."""
    return (
        not _in_figure(element)
        and not _after_photo_label(element)
        and not _credits_a_translator(element)
        and not _names_other_part(element)
        and not _in_teaser_link(element)
        and not _is_tab_strip(element)
    )


def _credits_a_translator(element: lxml.html.HtmlElement) -> bool:
    """True for a translator's credit: the element or one of its few nearest ancestors classed
    for it ("translator contributor") or labelled so ("Übersetzt von: Roland Hildebrandt")."""
    nearest = islice(chain((element,), element.iterancestors()), _TRANSLATOR_LEVELS)
    return any(
        _TRANSLATOR_CLASS.search(node.get("class") or "")
        or _TRANSLATOR_LABEL.match(leading_text(node, _LABEL_CHARS).lstrip())
        for node in nearest
    )


def _is_tab_strip(element: lxml.html.HtmlElement) -> bool:
    """True for an author box's tabs ("<a href=#author-bio>Bio</a><a href=#author-posts>Latest
    Posts</a>"): two links or more, each a label leading to a place in the page. A paper's
    author list also links into the page (to the affiliations), but with names."""
    count = 0
    for link in element.iter("a"):  # stops at the first other link: a large container has many
        if not ((link.get("href") or "").startswith("#") and _LABEL_WORD.match(spaced_text(link))):
            return False
        count += 1
    return count >= 2


def _in_teaser_link(element: lxml.html.HtmlElement) -> bool:
    """True inside a link that holds more than the name: a card linking to another story, its
    picture, headline and author in one <a>."""
    link = next(element.iterancestors("a"), None)
    return link is not None and len(spaced_text(link)) > len(spaced_text(element)) + _MAX_LINKED_BYLINE_EXTRA


def _in_figure(element: lxml.html.HtmlElement) -> bool:
    """True inside a <figure> or its caption: an author there is the photo's ("Foto: EFE")."""
    return next(element.iterancestors("figure", "figcaption"), None) is not None


def _after_photo_label(element: lxml.html.HtmlElement) -> bool:
    """True for an author element right after a photo label of its own ("<strong>Foto:</strong>
    <p class=autor>Jaiver Nieto</p>"): the picture's credit, in a box outside any <figure>."""
    before = element.getprevious()
    if before is None:
        parent = element.getparent()
        text = parent.text if parent is not None else ""
    else:  # a label is a leaf: a larger element before is read no further (cheap on any page)
        text = "" if len(before) else (before.text or "") + (before.tail or "")
    return bool(text) and _PHOTO_LABEL.match(text) is not None


def _names_other_part(element: lxml.html.HtmlElement) -> bool:
    """True for the date, category or comment count of a byline ("cb-byline-element cb-category";
    not "date-author", "field--name-field-term-author field--type-entity-reference")."""
    classes = (element.get("class") or "").lower()
    return bool(_OTHER_BYLINE_PART.search(classes)) and "author" not in classes and "autor" not in classes


def _single_words(names: list[str]) -> bool:
    """True for several "names" of one word each: a "By ..." phrase ("Von Risiken und
    Nebenwirkungen", "By Land and Sea"), not a byline."""
    return len(names) > 1 and all(" " not in name for name in names)


def _byline_block(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The largest ancestor (a few levels up at most) still small enough to be one byline block."""
    block = element
    for _ in range(_BLOCK_LEVELS):
        parent = block.getparent()
        if parent is None or len(spaced_text(parent)) > _MAX_BLOCK_CHARS:
            break
        block = parent
    return block


def _index(elements: list[lxml.html.HtmlElement], element: lxml.html.HtmlElement) -> int:
    """Position of ``element`` in ``elements`` (after all of them when it is not there)."""
    return next((index for index, candidate in enumerate(elements) if candidate is element), len(elements))
