import pytest

from tasks.extract.boilerplate_lines import without_boilerplate
from tasks.extract.main_text import extract_main_text

STORY = [
    "The harbour authority said on Monday that the ferry between the north pier and the island would run every hour from April, after a winter of repairs.",
    "Commuters who had relied on a replacement bus for five months welcomed the news, though several said the timetable still left a gap in the evening.",
    "The operator expects about two thousand passengers a day in summer, twice the winter figure, and has hired six new crew members for the weekends.",
]


def is_prose(paragraph: str) -> bool:
    return len(paragraph.split()) >= 20


@pytest.mark.parametrize(
    "label",
    [
        "Related articles",
        "Lesen Sie auch:",
        "Das Thema könnte dich auch interessieren:",
        "NOTAS RELACIONADAS",
        "Czytaj więcej",
        "À lire aussi :",
    ],
)
def test_related_articles_label_near_the_end_cuts_the_teasers_after_it(label):
    teasers = ["Ferry fares to rise by ten percent", "Island café owners count the cost of a long winter"]

    assert without_boilerplate([*STORY, label, *teasers], is_prose) == STORY


def test_related_label_in_the_first_half_goes_alone():
    text = [STORY[0], "Read more", *STORY[1:]]

    assert without_boilerplate(text, is_prose) == STORY


def test_read_also_label_before_more_of_the_story_goes_alone():
    text = [*STORY[:2], "Leggi anche", STORY[2]]

    assert without_boilerplate(text, is_prose) == STORY


def test_see_also_heads_a_section_of_the_document_itself():
    text = [*STORY, "See also", "The timetable for the winter months, published by the authority."]

    assert without_boilerplate(text, is_prose) == text


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Ferry fares to rise by ten percent",
        "LE PUEDE INTERESAR: El nuevo horario del ferry",
        "© 2020 Bay Courier. All rights reserved.",
        "Copyright Bay Courier Ltd",
        "Alle Rechte vorbehalten.",
        "Follow the Bay Courier on Twitter and Instagram @BayCourier",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "Siguenos en\nTelegram,\nInstagram\npara recibir en directo todas nuestras actualizaciones",
        "Do you want to be informed of our actions? Sign up here",
        "Lesen Sie hier: Die Fähre fährt wieder stündlich",
        "VEA TAMBIÉN: El ferry vuelve a navegar cada hora",
        "Dowiedz się więcej: Prom znów kursuje co godzinę",
        "Titelbild: Hafenbehörde / Bay Courier",
        "Crédits photos : Bay Courier",
        "Keine Kommentare",
        "You must be logged in to post a comment.",
        "Subscribe now to our weekend edition for the full story.",
        "Never miss the latest news by signing up to our free newsletter",
    ],
)
def test_furniture_lines_between_paragraphs_are_dropped(line):
    assert without_boilerplate([STORY[0], line, *STORY[1:]], is_prose) == STORY


def test_long_paragraph_mentioning_copyright_is_prose():
    paragraph = (
        "The court heard that the photographer had asked for his copyright to be respected after the"
        " agency used his pictures of the ferry without payment, and the judge agreed that the agency"
        " owed him the fee he had asked for in his first letter."
    )

    assert without_boilerplate([*STORY, paragraph], is_prose) == [*STORY, paragraph]


def test_page_body_loses_its_related_list_and_rights_line():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = (
        "<html><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>"
        f"{story}<h3>Related stories</h3><p>Ferry fares to rise</p><p>Island cafés count the cost</p>"
        "<p>© 2020 Bay Courier. All rights reserved.</p></article></body></html>"
    )

    assert extract_main_text(html).text.split("\n\n") == STORY


@pytest.mark.parametrize(
    "label",
    [
        "Kontakt:",
        "Ansprechpartnerin zum Thema:",
        "Quellenangaben:",
        "Sources",
        "Weitere Informationen",
        "Inhaltsverzeichnis",
        "Leave a Reply",
        "Publier un commentaire",
        "Zum Weiterlesen:",
    ],
)
def test_label_of_what_follows_an_article_goes_and_what_follows_stays(label):
    follows = "Bay Courier, harbour desk, 12 Quay Street, phone 555 0142"

    assert without_boilerplate([*STORY, label, follows], is_prose) == [*STORY, follows]


def test_a_sentence_about_sources_is_not_a_label():
    line = "Sources close to the council say the vote is not in doubt."

    assert without_boilerplate([*STORY, line], is_prose) == [*STORY, line]


@pytest.mark.parametrize(
    "line",
    [
        "Quelle: Hafenbehörde Nord",
        "Źródło: PAP",
        "Letzte Änderung 14.02.2019",
        "Last updated: 19 November 2019",
        "This post contains affiliate links. We may earn a commission when you buy through them.",
        "Anzeige, enthält Affiliate Links",
        "For the latest stories and breaking news updates download the Bay Courier apps for iOS and Android.",
        "¡Mira lo que tiene nuestro canal de YouTube!",
        "Zum Newsletter anmelden",
        "We want to hear what you think. Submit a letter to the editor.",
    ],
)
def test_notices_about_the_page_are_dropped(line):
    assert without_boilerplate([*STORY, line], is_prose) == STORY


def test_a_sentence_naming_a_source_is_not_a_notice():
    line = "Die Quelle: ein Brunnen am Nordhang, sagt die Hafenbehörde, versorgt die Insel seit 1890."

    assert without_boilerplate([*STORY, line], is_prose) == [*STORY, line]
