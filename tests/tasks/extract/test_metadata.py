import json
import socket
from datetime import UTC, datetime

import pytest

from tasks.extract.metadata import PageMetadata, extract_page_metadata


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def page(head: str = "", body: str = "<p>Story text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_news_page_metadata_comes_from_jsonld_graph(page):
    meta = extract_page_metadata(page("news_with_jsonld.html"))

    assert meta == PageMetadata(
        headline="Council approves $14 million flood wall for Mill Creek",
        description=(
            "After a decade of spring sandbagging on Mill Street, the city council voted 6-1 to build"
            " a concrete flood wall along the creek. Construction starts in August."
        ),
        authors=["Maria Okafor", "Daniel Reyes"],
        date_published=utc(2024, 5, 14, 12, 30),
        date_modified=utc(2024, 5, 14, 21, 5),
        publisher="The Riverton Ledger",  # resolved from an {"@id": ...} reference
        url="https://www.rivertonledger.example/news/2024/05/14/mill-creek-flood-wall",
        language="en",
        section=["Local News"],
        tags=["flooding", "city council", "Mill Creek"],
    )


def test_opengraph_page_metadata_with_authors_from_the_byline(page):
    meta = extract_page_metadata(page("og_meta_byline.html"), url="https://www.eastsideweekly.example/community/")

    assert meta == PageMetadata(
        headline="Eastside library to open on Sundays from April",  # " - Eastside Weekly" removed
        description=(
            "The branch on Carver Road will open from noon to five on Sundays, a first in its forty-year history."
        ),
        authors=["Jane Doe", "John Roe"],
        date_published=utc(2024, 3, 3, 9, 15),
        date_modified=utc(2024, 3, 4, 10, 0),
        publisher="Eastside Weekly",
        url="https://www.eastsideweekly.example/community/eastside-library-sunday-hours",
        language="en",
        section=["Community"],
        tags=["libraries", "Carver Road", "opening hours"],
    )


def test_relative_canonical_url_without_a_base_url_is_not_reported(page):
    assert extract_page_metadata(page("og_meta_byline.html")).url is None


def test_page_without_metadata_has_only_its_title_and_the_url_it_came_from(page):
    meta = extract_page_metadata(page("blog_no_metadata.htm"), url="https://alderlane.example/lawn")

    assert meta == PageMetadata(
        headline="Why I finally dug up my front lawn",
        description=None,
        authors=[],
        date_published=None,
        date_modified=None,
        publisher=None,
        url="https://alderlane.example/lawn",
        language=None,
        section=[],
        tags=[],
    )


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("By Sam Lee, Staff Writer", ["Sam Lee"]),
        ({"@type": "Person", "name": "Sam Lee"}, ["Sam Lee"]),
        (
            [{"@type": "Person", "name": "Sam Lee"}, "Ana Ruiz", {"@type": "Person", "name": "sam lee"}],
            ["Sam Lee", "Ana Ruiz"],
        ),
        ([{"@type": "Organization", "name": "Bay Courier"}, {"@type": "Person", "name": "Sam Lee"}], ["Sam Lee"]),
        ({"@type": "Person", "givenName": "Sam", "familyName": "Lee"}, ["Sam Lee"]),
        ({"@type": "Person", "name": {"@type": "Person", "name": "Sam Lee"}}, ["Sam Lee"]),  # a name nested once more
        ({"@type": "Person", "name": ["Sam Lee", "Ana Ruiz"]}, ["Sam Lee", "Ana Ruiz"]),  # one object, two names
        ("Troy L. Smith, Cleveland.com", ["Troy L. Smith"]),
        (["Mike Wuerthele", "Malcolm Owen Monday, November 18, 2019"], ["Mike Wuerthele", "Malcolm Owen"]),
    ],
)
def test_jsonld_authors_are_single_people_without_duplicates_or_the_publisher(author, expected):
    publisher = {"@type": "Organization", "name": "Bay Courier"}
    article = {"@type": "NewsArticle", "author": author, "publisher": publisher}

    assert extract_page_metadata(page(jsonld([article]))).authors == expected


def test_broken_jsonld_is_ignored_and_the_next_source_used():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    head += '<meta property="og:title" content="Pier reopens">'

    assert extract_page_metadata(page(head)).headline == "Pier reopens"


def test_author_meta_tag_is_used_and_profile_urls_skipped():
    head = '<meta property="article:author" content="https://facebook.com/baycourier">'
    head += '<meta name="author" content="Sam Lee; Ana Ruiz">'

    assert extract_page_metadata(page(head)).authors == ["Sam Lee", "Ana Ruiz"]


@pytest.mark.parametrize("name", ["parsely-author", "shareaholic:article_author_name"])  # plugins' tags too
def test_an_analytics_or_sharing_plugins_author_tag_names_the_author(name):
    head = f"<meta name='{name}' content='Philippe Perreaux'><meta name='shareaholic:site_name' content='Bay Courier'>"

    assert extract_page_metadata(page(head)).authors == ["Philippe Perreaux"]


def test_byline_authors_ignore_comment_authors_and_related_stories():
    body = """<article><div class="byline">By <span class="author">Sam Lee</span></div><p>Story.</p></article>
    <aside><span class="author">Other Writer</span></aside>
    <section id="comments"><span class="comment-author">RiverRat42</span></section>"""

    assert extract_page_metadata(page(body=body)).authors == ["Sam Lee"]


def test_publication_date_from_time_element_when_there_is_no_date_meta():
    body = '<article><time datetime="2024-06-01T08:00:00+02:00">1 June</time><p>Story.</p></article>'

    assert extract_page_metadata(page(body=body)).date_published == utc(2024, 6, 1, 6, 0)


def test_publication_date_falls_back_to_htmldate_reading_the_url():
    meta = extract_page_metadata(page(), url="https://baycourier.example/news/2024/06/01/pier-reopens")

    assert meta.date_published == utc(2024, 6, 1)


def test_publication_date_from_a_dateline_after_the_headline_when_the_markup_gives_none():
    body = (
        '<div class="teaser"><h3>Älterer Beitrag</h3><p>3. Januar 2022</p></div>'
        '<h1>Radon im Boden: neue Karte</h1><p><span class="grey">25.01.2022 10:30</span></p>'
        "<p>Die neue Karte zeigt, wo Radon in der Bodenluft vorkommt. Das Amt hat sie am 24. Januar 2022 vorgestellt.</p>"
    )

    assert extract_page_metadata(page(body=body)).date_published == utc(2022, 1, 25, 10, 30)


LEAD = "Traditionell gedenken die Gemeinden am Ewigkeitssonntag ihrer Verstorbenen, in diesem Jahr auch online."


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (f"<strong>Karlsruhe, (12.11.2021). {LEAD}</strong>", utc(2021, 11, 12)),
        (f"<p>Frankfurt am Main, 12.11.2021 – {LEAD}</p>", utc(2021, 11, 12)),
        (f"<p>Am 12.11.2021 gedenken die Gemeinden ihrer Verstorbenen. {LEAD}</p>", None),  # a day the text is about
        (f"<p>Pressemitteilung vom 12. November 2021 | Karlsruhe – {LEAD}</p>", utc(2021, 11, 12)),
        (f"<p>12.11.2021 „{LEAD}“</p>", utc(2021, 11, 12)),  # the date alone before the text
    ],
)
def test_a_press_release_opening_with_place_and_date_gives_the_publication_date(lead, expected):
    body = f'<h1>Trauern digital am Ewigkeitssonntag</h1><div class="text">{lead}</div>'

    assert extract_page_metadata(page(body=body)).date_published == expected


@pytest.mark.parametrize(
    "lines",
    [
        # the date after a label of its own, ending the line
        '<div class="info"><h5>Fecha:</h5>3 de noviembre de 2021<br><h5>Autor:</h5>Ana Gómez<br><h5>Fuente:</h5>EFE</div>',
        # a line between two <br> in a block of lines
        "<p>Die Windparks liefern seit Jahren Strom an die Stadt.<br><br>Hamburg, den 3. November 2021<br><br>"
        "Veröffentlichung honorarfrei.</p>",
    ],
    ids=["after-a-label", "between-line-breaks"],
)
def test_a_dateline_in_the_text_after_an_element_gives_the_publication_date(lines):
    # the comment's date is no dateline
    comment = '<div class="comment"><time datetime="2022-01-05T12:45:17+02:00">05.01.22</time><p>Danke!</p></div>'
    body = f"<div><h1>Windparks liefern Strom</h1>{lines}</div>{comment}"

    assert extract_page_metadata(page(body=body)).date_published == utc(2021, 11, 3)


@pytest.mark.parametrize(
    ("meta_line", "author"),
    [
        ("Von Jonas Hahn publiziert am 30. Juli 2018", "Jonas Hahn"),
        ("By Dana Reis, published Monday, July 30, 2018 at 11:04", "Dana Reis"),
    ],
)
def test_a_byline_that_gives_the_date_too_is_a_dateline(meta_line, author):
    body = f"""<p class="about">{meta_line}</p><h1>Take care on the road</h1>
    <p>The team travelled to the trade fair by train and arrived on time.</p>"""

    meta = extract_page_metadata(page(body=body))

    assert (meta.date_published.date(), meta.authors) == (utc(2018, 7, 30).date(), [author])


def test_a_headline_shown_only_as_an_h4_anchors_the_dateline_above_it():
    head = "<title>Batería híbrida eficiente</title>"
    body = """<div class="share">Compartir</div><div class="date">1 de noviembre de 2023</div>
    <h4>Batería híbrida eficiente</h4><p>Un equipo de investigación presenta una pila de combustible microbiana.</p>"""

    assert extract_page_metadata(page(head, body)).date_published == utc(2023, 11, 1)


@pytest.mark.parametrize(
    ("language", "dateline", "expected"),
    [
        ("es", "Creado 02/04/2022 00:00", utc(2022, 4, 2)),  # a Spanish page writes the day first
        ("en", "02/10/2020", None),  # British (2 October) or American (February 10)? The page does not say
    ],
)
def test_a_slashed_dateline_is_read_in_the_pages_order_of_day_and_month(language, dateline, expected):
    body = f"""<h1>Halls too full to be safe</h1><span>{dateline}</span>
    <p>Experts warn that the halls are too full to be safe this autumn, as thousands isolate.</p>"""

    html = f'<html lang="{language}"><body>{body}</body></html>'
    assert extract_page_metadata(html).date_published == expected


@pytest.mark.parametrize(
    ("language", "dateline", "expected"),
    [
        ("zh", "2023-11-17 20:52:15 来源：新华网", utc(2023, 11, 17, 20, 52, 15)),
        ("zh", "2023年11月17日 20:52 来源：新华网", utc(2023, 11, 17, 20, 52)),
        ("ja", "2018年6月19日 5:50", utc(2018, 6, 19, 5, 50)),
        ("ko", "입력 2019.08.20 09:31", utc(2019, 8, 20, 9, 31)),
    ],
)
def test_a_chinese_japanese_or_korean_dateline_gives_the_publication_date(language, dateline, expected):
    body = f"<h1>短缺药品保供稳价</h1><p>{dateline}</p><p>国家卫生健康委表示，将全力保障临床用药需求。</p>"

    assert extract_page_metadata(f'<html lang="{language}"><body>{body}</body></html>').date_published == expected


def test_the_block_right_under_the_headline_is_its_meta_line_whatever_its_class():
    infobox = '<div class="infobox"><div class="infoEditor">opublikowano: 7 kwietnia 2021</div></div>'
    story = "<p>Instytut jest elementem infrastruktury krytycznej państwa, piszą autorzy tygodnika.</p>"

    assert extract_page_metadata(page(body=f"<h1>IPN i infrastruktura</h1>{infobox}{story}")).date_published == utc(
        2021, 4, 7
    )
    # further down, an infobox is a box of facts: its dates are not when the page was written
    assert extract_page_metadata(page(body=f"<h1>IPN i infrastruktura</h1>{story}{infobox}")).date_published is None


def test_the_date_in_the_text_right_after_the_headline_is_its_dateline():
    head = "<title>Noticias - Capítulo 121 ya está en línea - Fansite</title>"
    body = """<h1>fansite.example Noticias</h1><h2>Capítulo 121 ya está en línea</h2>
    24 de marzo de 2004, 19:49 | <script>document.write("<a href='mailto:ana@fansite.example'>Ana</a>")</script>
    El capítulo 121 ya se puede leer; el 122 sigue el viernes.<br>"""

    assert extract_page_metadata(page(head, body)).date_published == utc(2004, 3, 24, 19, 49)


def test_an_events_span_of_days_is_no_dateline():
    body = "<div><h1>Denkmäler in neuem Licht</h1><br>9-23 Feb 2017 | Mo-Fr 9–16<p>Die Ausstellung zeigt Denkmäler.</p></div>"

    assert extract_page_metadata(page(body=body)).date_published is None


def test_a_dateline_right_above_the_headline_gives_the_publication_date():
    body = """<div class="teaser"><p>3. Januar 2022</p><p>Ältere Meldung</p></div>
    <div><span class="section"><b>Fama</b>: </span><span>Jueves 28 de abril de 2022 5:03 PM</span></div>
    <div><h1>Ulpiano Vergara ahora será una marca registrada</h1></div>
    <p>El cantante registró su nombre como marca.</p>"""

    assert extract_page_metadata(page(body=body)).date_published == utc(2022, 4, 28, 17, 3)
    # a teaser's date above the headline is not its dateline
    far = body.replace("<span>Jueves 28 de abril de 2022 5:03 PM</span>", "")
    assert extract_page_metadata(page(body=far)).date_published is None


def test_a_dateline_under_the_headline_beats_the_dates_of_the_comments_further_down():
    # htmldate's guess is the earliest <time> of the page: the first comment's
    comment = (
        '<div class="recipe-comment-box"><time datetime="2020-09-22T12:45:17+02:00">22.09.20 | 12:45</time>'
        "<p>Sehr lecker, danke für das Rezept!</p></div>"
    )
    body = (
        '<h1>Zwiebeln schneiden ohne Tränen</h1><p>von <a href="/user/jana">Jana</a><br> am 20.09.2020</p>'
        "<p>Mit einem scharfen Messer und kaltem Wasser gelingt es ohne Tränen.</p>" + comment * 3
    )

    assert extract_page_metadata(page(body=body)).date_published == utc(2020, 9, 20)


@pytest.mark.parametrize(
    "line",
    [
        "Das Amt hat die neue Karte am 24. Januar 2022 in Berlin vorgestellt.",  # a sentence, no dateline
        "Aktualisiert: 25. Januar 2022",  # an update, not the publication
        "1. Februar 2022, Daniel Dillenburg, Berlin, Deutschland, Europa",  # a line with more than a date
        "Das Amt stellt sie am <strong>Mittwoch, 26.01.2022</strong> in Berlin vor.",  # a date marked in a sentence
    ],
)
def test_no_publication_date_from_a_sentence_or_an_update_line(line):
    body = f"<h1>Radon im Boden: neue Karte</h1><p>{line}</p><p>Die neue Karte zeigt, wo Radon vorkommt.</p>"

    assert extract_page_metadata(page(body=body)).date_published is None


def test_a_copyright_year_is_no_publication_date():
    body = (
        "<h1>Über uns</h1><p>Wir beraten seit Jahren Hausbesitzer in allen Fragen.</p><footer>© 2016 Bundesamt</footer>"
    )

    assert extract_page_metadata(page(body=body)).date_published is None


def test_title_suffix_naming_the_host_is_removed():
    html = page("<title>Pier reopens | BayCourier</title>")

    meta = extract_page_metadata(html, url="https://www.baycourier.example/a")

    assert meta.headline == "Pier reopens"


def test_title_suffix_that_is_not_the_site_name_is_kept():
    meta = extract_page_metadata(page("<title>Cats - the musical</title>"), url="https://www.baycourier.example/a")

    assert meta.headline == "Cats - the musical"


@pytest.mark.parametrize(
    ("html_tag", "expected"),
    [('<html lang="pt-BR">', "pt"), ('<html lang="x-default">', None), ("<html>", None)],
)
def test_language_is_reduced_to_an_iso_639_1_code(html_tag, expected):
    assert extract_page_metadata(f"{html_tag}<body><p>Text.</p></body></html>").language == expected


def test_language_falls_back_to_og_locale():
    assert extract_page_metadata(page('<meta property="og:locale" content="de_DE">')).language == "de"


def test_html_that_looks_like_a_url_is_never_fetched(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)

    meta = extract_page_metadata("https://example.com/2024/06/01/story")

    assert attempts == []
    assert meta.headline is None and meta.date_published is None


def test_empty_html_gives_empty_metadata():
    assert extract_page_metadata("") == PageMetadata(None, None, [], None, None, None, None, None, [], [])


# --- precedence of author sources: JSON-LD, microdata, byline, OpenGraph/meta, Dublin Core ---


def test_author_meta_placeholder_does_not_beat_schema_org_microdata():
    head = '<meta name="author" content="Site Admin"><meta name="dc.creator" content="Web Team">'
    body = '<article itemscope itemtype="https://schema.org/NewsArticle"><h1>Pier reopens</h1>'
    body += '<span itemprop="author"><span itemprop="name">Sam Lee</span></span><p>Story.</p></article>'

    assert extract_page_metadata(page(head, body)).authors == ["Sam Lee"]


def test_the_articles_byline_beats_author_meta_and_meta_beats_dublin_core():
    head = '<meta name="parsely-author" content="Ana Ruiz"><meta name="dc.creator" content="Kim Park">'
    byline = '<h1>Pier reopens</h1><p class="byline">por Tom Lee</p><p>Story.</p>'

    assert extract_page_metadata(page(head, byline)).authors == ["Tom Lee"]
    assert extract_page_metadata(page(head)).authors == ["Ana Ruiz"]
    assert extract_page_metadata(page('<meta name="dc.creator" content="Kim Park">')).authors == ["Kim Park"]


def test_an_og_author_tag_holding_the_bylines_markup_names_the_people_it_lists():
    content = (
        "By &lt;a href=&quot;/profiles/amir-vera&quot;&gt;Amir Vera&lt;/a&gt;, Seán Federico O&#x27;Murchú"
        " and &lt;a href=&quot;/profiles/tara-subramaniam&quot;&gt;Tara Subramaniam&lt;/a&gt;, CNN"
    )
    head = f'<meta property="og:author" content="{content}">'

    assert extract_page_metadata(page(head)).authors == ["Amir Vera", "Seán Federico O'Murchú", "Tara Subramaniam"]


@pytest.mark.parametrize(
    ("creators", "expected"),
    [
        (["Harm, Robert"], ["Robert Harm"]),  # a catalogue's surname first, not two people
        (["Anderson, Michael L."], ["Michael L. Anderson"]),
        (["Jane Doe, John Roe"], ["Jane Doe", "John Roe"]),  # two people
        (["Michael Anderson", "Carlos Dobkin"], ["Michael Anderson", "Carlos Dobkin"]),
    ],
)
# Dublin Core, and the scholarly tags of Google Scholar
@pytest.mark.parametrize("tag", ["DC.creator", "citation_author"])
def test_catalogue_creators_written_surname_first_are_read_given_name_first(creators, expected, tag):
    head = "".join(f'<meta name="{tag}" content="{creator}">' for creator in creators)

    assert extract_page_metadata(page(head)).authors == expected


@pytest.mark.parametrize(
    ("label", "expected"), [("Written by", ["Nadja Roth"]), ("Verfasst von", ["Nadja Roth"]), ("Est. reading time", [])]
)
def test_the_author_of_a_twitter_card_row_labelled_written_by(label, expected):
    head = (
        f'<meta name="twitter:label1" content="{label}"><meta name="twitter:data1" content="Nadja Roth">'
        '<meta name="twitter:label2" content="Geschätzte Lesezeit"><meta name="twitter:data2" content="4 Minuten">'
    )

    assert extract_page_metadata(page(head, "<h1>Tagung</h1><p>Text.</p>")).authors == expected
    # the page's own byline comes first
    byline = '<h1>Tagung</h1><p class="byline">Von Tom Lee</p><p>Text.</p>'
    assert extract_page_metadata(page(head, byline)).authors == ["Tom Lee"]


def test_author_of_the_jsonld_web_page_when_the_page_has_no_article_object_or_byline():
    web_page = {"@type": "WebPage", "@id": "https://blog.example/post#webpage", "author": {"@id": "#megha"}}
    person = {"@type": "Person", "@id": "#megha", "name": "Megha M"}
    head = jsonld({"@graph": [web_page, person]}) + '<meta name="author" content="Site Admin">'

    assert extract_page_metadata(page(head)).authors == ["Megha M"]


def test_jsonld_person_author_is_kept_when_the_person_is_also_the_publisher():
    person = {"@type": "Person", "@id": "#me", "name": "Wolfgang Schmale"}
    article = {"@type": "BlogPosting", "author": {"@id": "#me"}, "publisher": {"@id": "#me"}}
    head = jsonld({"@graph": [person, article]})

    assert extract_page_metadata(page(head, '<div class="author">Von: Wolfgang Schmale</div>')).authors == [
        "Wolfgang Schmale"
    ]


@pytest.mark.parametrize("publisher_type", ["Person", ["Person", "Organization"]])
def test_a_person_who_publishes_their_own_site_is_its_author(publisher_type):
    # Yoast types the publisher of a site that represents a person both Person and Organization
    person = {"@type": publisher_type, "@id": "#me", "name": "Christoph Brandt"}
    article = {"@type": "Article", "author": {"@id": "#me"}, "publisher": {"@id": "#me"}}

    assert extract_page_metadata(page(jsonld({"@graph": [person, article]}))).authors == ["Christoph Brandt"]


def test_a_byline_naming_the_jsonld_author_and_a_co_author_names_both():
    # the CMS knows one account; the byline over the story credits the second writer too
    article = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Tariq Malik"}, "publisher": "Space"}
    body = """<h1>NASA picks five lunar landers</h1><div class="byline">By <span class="by-author"><a
      href="/author/x" rel="author">{}</a>, </span><span class="by-author"><a href="/author/mike-wall"
      rel="author">Mike Wall</a></span></div><p>NASA has recruited five lander ideas.</p>"""

    assert extract_page_metadata(page(jsonld(article), body.format("Tariq Malik"))).authors == [
        "Tariq Malik",
        "Mike Wall",
    ]
    # a byline naming someone else leaves the JSON-LD author alone: it is not the same byline
    assert extract_page_metadata(page(jsonld(article), body.format("Ana Ruiz"))).authors == ["Tariq Malik"]


def test_a_byline_naming_a_person_wins_over_a_jsonld_author_that_is_the_sites_name():
    # the site's name typed Person, with an untyped publisher, is what a one-person blog gives
    # too; the byline over the story says that here the site stood in for its writer
    article = {
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": "Harbour Post"},
        "publisher": "HarbourPost.com",
    }
    head = jsonld(article) + '<link rel="canonical" href="https://www.harbourpost.com/city/buses-123">'
    body = '<h1>Buses for the mayor?</h1><div class="autor">Ana María Lopez | Publicado hace 3 horas</div><p>Text.</p>'

    assert extract_page_metadata(page(head, body)).authors == ["Ana María Lopez"]
    # a one-person blog's byline shows the same person: the JSON-LD author stays
    blog = {"@type": "BlogPosting", "author": {"@type": "Person", "name": "Helge Berg"}, "publisher": "Helge Berg"}
    blog_page = page(jsonld(blog), '<h1>Mahu</h1><div class="author">Helge Berg</div><p>Text.</p>')
    assert extract_page_metadata(blog_page).authors == ["Helge Berg"]


def test_a_writer_named_like_a_publisher_that_is_an_organisation_is_the_site():
    publisher = {"@type": "Organization", "@id": "#org", "name": "Bay Courier"}
    article = {"@type": "Article", "author": {"@type": "Person", "name": "Bay Courier"}, "publisher": {"@id": "#org"}}

    assert extract_page_metadata(page(jsonld({"@graph": [publisher, article]}))).authors == []


# --- headline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Opinion | Republicans Are Following Trump to Nowhere",  # a section before the headline
        "Republicans Are Following Trump to Nowhere -Jamelle Bouie - The Daily",  # author and site after it
        "Republicans Are Following Trump to Nowhere / Opinion / thedaily.example",
    ],
)
def test_headline_is_the_visible_h1_a_title_holds_as_one_of_its_parts(title):
    head = f'<meta property="og:title" content="{title}">'
    body = "<h1>The Daily</h1><h1>Republicans Are Following Trump to Nowhere</h1><p>Story.</p>"

    assert extract_page_metadata(page(head, body)).headline == "Republicans Are Following Trump to Nowhere"


@pytest.mark.parametrize("joint", ["-", "_", "｜"])
def test_a_chinese_title_joins_its_parts_without_spaces(joint):
    head = f"<title>短缺药品保供稳价 全力保障临床用药需求{joint}新华网</title>"
    body = "<h1><span>短缺药品保供稳价 全力保障临床用药需求</span></h1><p>国家卫生健康委表示。</p>"

    assert extract_page_metadata(page(head, body)).headline == "短缺药品保供稳价 全力保障临床用药需求"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<h1>Pier reopens</h1><p>The pier reopened on Saturday.</p>", "Pier reopens"),  # however short
        ("<h2>Pier reopens</h2><p>The pier reopened on Saturday.</p>", "Pier reopens"),
        ("<p>The pier reopened on Saturday.</p>", None),
    ],
)
def test_a_page_with_no_title_of_any_kind_is_named_by_its_first_heading(body, expected):
    assert extract_page_metadata(f"<html><body>{body}</body></html>").headline == expected


@pytest.mark.parametrize("title", ["Home", "Startseite", "Untitled"])
def test_a_one_word_title_a_template_leaves_does_not_beat_the_articles_h1(title):
    body = "<article><h1>Time to say goodbye to the old office</h1><p>We moved last week.</p></article>"

    assert (
        extract_page_metadata(page(f"<title>{title}</title>", body)).headline == "Time to say goodbye to the old office"
    )


def test_under_a_banner_h1_and_a_title_that_only_names_the_site_the_first_long_h2_is_the_headline():
    body = """<header><h1><a href="/">Bay Courier</a></h1></header>
    <article><h2>Pier reopens after storm repairs</h2><p>The pier reopened on Saturday.</p></article>
    <aside><h2>Most read</h2></aside>"""

    head = '<title>Bay Courier</title><meta property="og:site_name" content="Bay Courier">'
    assert extract_page_metadata(page(head, body)).headline == "Pier reopens after storm repairs"


def test_headline_is_not_taken_from_a_hidden_h1():
    head = "<title>Live: Pier reopens after storm repairs | Bay Courier</title>"
    body = '<h1 style="display: none">Live: Pier reopens after storm repairs</h1>'
    body += "<h1>Pier reopens after storm repairs</h1><p>Story.</p>"

    assert extract_page_metadata(page(head, body)).headline == "Pier reopens after storm repairs"


def test_og_title_that_is_a_url_slug_is_no_headline():
    head = '<meta property="og:title" content="adac-kindersitztest-herbst-2018">'
    head += "<title>ADAC-Kindersitztest Herbst 2018: drei Sitze mangelhaft</title>"

    assert extract_page_metadata(page(head)).headline == "ADAC-Kindersitztest Herbst 2018: drei Sitze mangelhaft"


def test_og_title_cut_short_by_a_quote_mark_is_completed_from_the_title():
    head = '<meta property="og:title" content="Senador republicano califica a Biden de "incapacitado"">'
    head += '<title>Senador republicano califica a Biden de "incapacitado"</title>'

    assert extract_page_metadata(page(head)).headline == 'Senador republicano califica a Biden de "incapacitado"'


def test_jsonld_headline_cut_to_a_length_is_completed_from_the_visible_h1():
    headline = "Marin meets Merkel: Germany too wants to keep farm subsidies - 'our views as the largest net payer"
    head = jsonld({"@type": "NewsArticle", "headline": headline})
    body = f"<h1>{headline} have not been taken into account'</h1><p>Story.</p>"

    assert extract_page_metadata(page(head, body)).headline == f"{headline} have not been taken into account'"


def test_site_name_holding_a_separator_is_removed_from_the_title():
    head = '<meta property="og:site_name" content="AOC media - Analyse Opinion Critique">'
    head += '<meta property="og:title" content="La retraite est un archaïsme | AOC media - Analyse Opinion Critique">'

    assert extract_page_metadata(page(head)).headline == "La retraite est un archaïsme"


@pytest.mark.parametrize(
    "heading",
    [
        '<span class="headline headline--topline">Einheit der Woche</span><span class="headline--colon">: </span>'
        "<span>Lagen-Pyramide mit GA2</span>",
        '<span class="post-title"><small>Einheit der Woche</small><br>Lagen-Pyramide mit GA2</span>',
        '<span class="article-header__roofline">Einheit der Woche</span> Lagen-Pyramide mit GA2',
        '<div class="entry-section"><a href="/training/">Einheit der Woche | </a></div> Lagen-Pyramide mit GA2',
        'Lagen-Pyramide mit GA2 <small class="article-subtitle">Einheit der Woche</small>',
        '<span class="entry-title__toptitle">Einheit der Woche</span> Lagen-Pyramide mit GA2',
        'Lagen-Pyramide mit GA2 <span class="m-stage__subline">Einheit der Woche</span>',
        '<span class="visuallyhidden">Headline:</span> Lagen-Pyramide mit GA2',
        '<span class="article__subheadline">Einheit der Woche</span><br><span>Lagen-Pyramide mit GA2</span>',
    ],
)
def test_kicker_inside_the_h1_that_the_title_leaves_out_is_not_part_of_the_headline(heading):
    head = '<meta property="og:site_name" content="SWIM.DE">'
    head += "<title>Lagen-Pyramide mit GA2 - SWIM.DE</title>"

    assert extract_page_metadata(page(head, f"<h1>{heading}</h1><p>Story.</p>")).headline == "Lagen-Pyramide mit GA2"


def test_kicker_the_title_shows_with_the_headline_goes_where_another_title_shows_the_headline_alone():
    head = '<meta property="og:title" content="Wie Firmen ihre Beschäftigten schützen">'
    head += "<title>Abstandsregeln: Wie Firmen ihre Beschäftigten schützen - Wirtschaft - Tagesspiegel</title>"
    body = '<h1><span class="ts-overline">Abstandsregeln </span><span class="ts-colon">: </span>'
    body += '<span class="ts-headline">Wie Firmen ihre Beschäftigten schützen</span></h1><p>Story.</p>'

    assert extract_page_metadata(page(head, body)).headline == "Wie Firmen ihre Beschäftigten schützen"


def test_kicker_the_title_shows_with_the_headline_stays():
    head = "<title>Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE</title>"
    body = '<h1><span class="article-heading__kicker">Klimaschutz</span><span class="visually-hidden">: </span>'
    body += "<span>Bohren, bis es heiß wird</span></h1><p>Story.</p>"

    assert extract_page_metadata(page(head, body)).headline == "Klimaschutz : Bohren, bis es heiß wird"


@pytest.mark.parametrize(
    ("head", "h1"),
    [
        (
            "<title>Spiced Honey Pear Jam Recipe | The Anti-June Cleaver</title>",
            "Homemade Spiced Honey Pear Jam for the Holidays",
        ),
        # a title that is only the site's name says nothing of the story
        (
            '<meta property="og:site_name" content="Stallwerk Vorlagen"><title>Stallwerk Vorlagen</title>',
            "Neue Schriften für die Verkaufsvorlagen",
        ),
    ],
)
def test_the_only_visible_h1_is_the_headline_when_it_shares_a_word_with_the_title_or_the_title_is_the_sites_name(
    head, h1
):
    assert extract_page_metadata(page(head, f"<h1>{h1}</h1><p>Story.</p>")).headline == h1


def test_the_only_visible_h1_sharing_no_word_with_the_title_is_a_section_heading():
    head = "<title>„Wir haben bereits die Zusage“</title>"
    body = "<h1>Aktuelle Artikel</h1><h2>Alle Artikel zu unseren Recherchen</h2><p>Story.</p>"

    assert extract_page_metadata(page(head, body)).headline == "„Wir haben bereits die Zusage“"


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Politik</h1><p>Merkel tritt zurück, sagt ihr Sprecher.</p>",
        "<h1>Politik</h1><h2>Merkel tritt zurück</h2><p>Story.</p>",  # the title's main part as a heading
    ],
)
def test_the_only_visible_h1_naming_the_section_the_title_holds_is_no_headline_nor_part_of_it(body):
    head = "<title>Politik | Merkel tritt zurück</title>"

    assert extract_page_metadata(page(head, body)).headline == "Merkel tritt zurück"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # the host's name spelled with the first and later words of the last part: the site's name
        ("Neue Radwege eröffnet | Seenland Oder-Spree in Brandenburg", "Neue Radwege eröffnet"),
        # a headline that ends in the same words does not begin with them
        ("Neue Radwege im Seenland Brandenburg", "Neue Radwege im Seenland Brandenburg"),
    ],
)
def test_a_title_part_spelling_the_sites_host_is_the_sites_name(title, expected):
    head = f'<title>{title}</title><link rel="canonical" href="https://www.seenlandbrandenburg.de/aktuell/radwege">'

    assert (
        extract_page_metadata(page(head, "<p>Die Kreise haben 40 Kilometer Radwege eröffnet.</p>")).headline == expected
    )


@pytest.mark.parametrize(
    ("title", "h1"),
    [
        ("Rinderleber mit Apfel und Zwiebel | Liebe geht durch den Magen", "Liebe geht durch den Magen"),
        ("Küchenblog » Rinderleber mit Apfel und Zwiebel", "Küchenblog"),
        ("Rinderleber mit Apfel und Zwiebel :  Küchenblog | Rezepte seit 2005 | 6. Jahrgang", "Küchenblog"),
        ("Rinderleber mit Apfel und Zwiebel « KÜCHENBLOG", "Küchenblog"),
    ],
)
def test_a_blogs_name_in_its_h1_is_taken_off_the_title(title, h1):
    body = f"<h1>{h1}</h1><p>Die Leber in feine Streifen schneiden und kurz anbraten.</p>"

    assert extract_page_metadata(page(f"<title>{title}</title>", body)).headline == "Rinderleber mit Apfel und Zwiebel"


def test_a_blog_posts_title_in_an_h2_under_the_blogs_name_is_the_headline():
    head = "<title>Four Seasons » Blog Archive » Interning of small integers</title>"
    body = """<h1><a href="/">Four Seasons</a></h1><h2>Interning of small integers</h2>
    <p>Python keeps one object for each small integer.</p><h2>Kategorien</h2>"""

    assert extract_page_metadata(page(head, body)).headline == "Interning of small integers"


def test_the_h1_is_the_headline_when_the_site_part_of_the_title_is_just_as_long():
    head = "<title>KÜSTENPOST: Neue Deiche</title>"  # "küstenpost" and "neuedeiche": ten letters each
    body = "<h1>Neue Deiche</h1><p>Der Landkreis baut die Deiche an der Küste höher.</p>"

    assert extract_page_metadata(page(head, body)).headline == "Neue Deiche"


def test_a_page_without_an_h1_that_shows_the_titles_main_part_as_a_smaller_heading_has_that_headline():
    head = "<title>Europe's top athletes ready for the games - European Championships Munich 2022</title>"
    # the heading holds its CSS-in-JS style, which no browser shows
    body = """<h3><span>Europe's top athletes ready for the games</span><style>.box{padding-top:2.4rem}</style></h3>
    <p>Three months before the games, the teams have named their squads.</p><h3>Tags</h3>"""

    assert extract_page_metadata(page(head, body)).headline == "Europe's top athletes ready for the games"


def test_a_smaller_heading_showing_the_titles_main_part_beats_a_banner_h1_that_the_title_does_not_hold():
    head = "<title>News - Site update - Chapter 121 of the serial is online - Bay Courier</title>"
    body = """<h1>baycourier.example News - Archive</h1><h2>Site update - Chapter 121 of the serial is online</h2>
    <p>Chapter 121 is online now; chapter 122 follows on Friday.</p>"""

    assert extract_page_metadata(page(head, body)).headline == "Site update - Chapter 121 of the serial is online"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Der Schreibstil - textwerk.net - Webdesign", "Der Schreibstil"),  # the site's name and its tagline
        ("Outdoornews - Schneekarten | www.Textwerk.ch", "Outdoornews - Schneekarten"),
        ("Routing mit Express - Node.js", "Routing mit Express - Node.js"),  # no host: a topic
    ],
)
def test_a_title_part_written_as_a_host_name_is_the_sites_name(title, headline):
    body = "<p>Schreiben Sie für Ihre Zielgruppe, nicht für sich selbst.</p>"

    assert extract_page_metadata(page(f"<title>{title}</title>", body)).headline == headline


@pytest.mark.parametrize(
    ("title", "h1", "headline"),
    [
        (
            "Mandarinen-Schmand-Kuchen von jesusfreak | Kochportal",
            "Mandarinen-Schmand-Kuchen",
            "Mandarinen-Schmand-Kuchen",
        ),
        ("Apple Crumble by Ann Lee - Recipe Box", "Apple Crumble", "Apple Crumble"),
        # a preposition, not a credit: this <h1> is a section's name
        ("Historia de España | Portal", "Historia", "Historia de España | Portal"),
    ],
)
def test_the_h1_is_the_headline_where_the_title_adds_the_user_who_posted_it(title, h1, headline):
    body = f"<h1>{h1}</h1><p>Den Boden backen, dann belegen.</p>"

    assert extract_page_metadata(page(f"<title>{title}</title>", body)).headline == headline


def test_a_smaller_heading_showing_the_sites_name_is_not_the_headline():
    head = '<meta property="og:site_name" content="Sounds of Silence Project"><title>History | Sounds of Silence Project</title>'
    body = "<h2>Sounds of Silence Project</h2><h4>A documentary</h4><p>My uncle was a musician.</p>"

    assert extract_page_metadata(page(head, body)).headline == "History"


def test_the_only_visible_h1_sharing_only_the_sites_name_with_the_title_is_the_blogs_name():
    head = '<meta property="og:site_name" content="Emacspeak"><title>Emacspeak: Meta-Programming In Emacs</title>'
    body = "<h1>EMACSPEAK The Complete Audio Desktop</h1><h3>Meta-Programming In Emacs</h3><p>Story.</p>"

    # not the blog's name in the <h1>: the post's title, which the <h3> shows
    assert extract_page_metadata(page(head, body)).headline == "Meta-Programming In Emacs"


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("Professionelles & Seriöses Design für Unternehmen", "Design"),  # a page's name, not a headline
        ("Was wir über uns nicht hören wollen", "Was wir über uns nicht hören wollen | FASSETTE.NET"),
    ],
)
def test_the_only_visible_h1_does_not_beat_the_title_when_it_is_shorter_than_a_headline_or_holds_it(title, heading):
    head = f'<meta property="og:title" content="{title}">'

    assert extract_page_metadata(page(head, f"<h1>{heading}</h1><p>Story.</p>")).headline == title


def test_a_style_in_the_sites_logo_h1_is_no_headline():
    head = '<meta property="og:site_name" content="Cubadebate"><title>Sesiona IV Pleno del Comité Central</title>'
    body = '<h1><style>.alogo{display: block;}</style><a class="alogo" href="/">Cubadebate</a></h1><p>Story.</p>'

    assert extract_page_metadata(page(head, body)).headline == "Sesiona IV Pleno del Comité Central"


def test_an_application_name_holding_the_title_does_not_make_the_headline_the_sites_name():
    title = "Cup-Vorschau: Beim BSV Stans freut man sich auf ein Bruderduell - Handball Schweiz"
    head = f'<meta name="application-name" content="{title}"><title>{title}</title>'
    body = "<h1>Cup-Vorschau: Beim BSV Stans freut man sich auf ein Bruderduell</h1><p>Story.</p>"

    assert (
        extract_page_metadata(page(head, body)).headline
        == "Cup-Vorschau: Beim BSV Stans freut man sich auf ein Bruderduell"
    )


def test_site_name_before_the_title_is_removed():
    head = '<meta property="og:site_name" content="INDUSTRIEMAGAZIN">'
    head += '<meta property="og:title" content="INDUSTRIEMAGAZIN | Luftfahrtbranche hebt nach Corona ab">'

    assert extract_page_metadata(page(head)).headline == "Luftfahrtbranche hebt nach Corona ab"


def test_headline_is_the_visible_h1_a_title_holds_before_a_longer_subtitle():
    headline = '"La Corte Suprema no imparte justicia sino injusticia"'
    subtitle = "Todo listo para la movilización que convocan los organismos de derechos humanos junto a sindicatos"
    head = f"<meta property=\"og:title\" content='{headline} | {subtitle}'><title>{headline} | {subtitle} | Página12</title>"

    assert extract_page_metadata(page(head, f"<h1>{headline}</h1><p>Story.</p>")).headline == headline


# --- dates ---------------------------------------------------------------------------------


def test_publication_date_of_a_teaser_before_the_article_is_not_taken():
    body = """<div class="latest"><a href="/a">Earlier story</a> <time datetime="2024-05-30T10:00:00Z">30 May</time></div>
    <h1>Pier reopens</h1><p class="meta"><time datetime="2024-06-01T08:00:00Z">1 June</time></p><p>Story.</p>"""

    assert extract_page_metadata(page(body=body)).date_published == utc(2024, 6, 1, 8, 0)


def test_microdata_dates_on_any_element_are_read_from_their_content():
    body = """<div class="latest"><a href="/a">Earlier story</a> <time datetime="2022-12-20T08:00:00Z">20 Dec</time></div>
    <h1>Zwei Lebensmittel können gegen soziale Ängste helfen</h1>
    <span class="date" itemprop="datePublished" content="2022-12-26T10:33:00+01:00">Veröffentlicht: 26.12.2022</span>
    <span itemprop="dateModified" content="2023-01-02T09:00:00+01:00"></span>
    <p>Story.</p><p>Mehr: <time datetime="2023-01-02">2. Januar</time></p>"""

    meta = extract_page_metadata(page(body=body))

    assert (meta.date_published, meta.date_modified) == (utc(2022, 12, 26, 9, 33), utc(2023, 1, 2, 8, 0))


def test_a_year_alone_in_an_infobox_is_no_publication_date():
    body = '<h1>The Daily</h1><table><tr><th>Founded</th><td><time datetime="1851">1851</time></td></tr></table>'
    body += '<p>Posted <time datetime="2019-11-19T10:00:00Z">19 November 2019</time></p>'

    assert extract_page_metadata(page(body=body)).date_published == utc(2019, 11, 19, 10, 0)


def test_last_updated_time_is_the_modification_date_not_the_publication_date():
    body = """<h1>Pier reopens</h1>
    <p>Last updated <time datetime="2024-06-03T09:00:00Z">3 June</time></p>
    <p>Published <time datetime="2024-06-01T08:00:00Z">1 June</time></p><p>Story.</p>"""

    meta = extract_page_metadata(page(body=body))

    assert (meta.date_published, meta.date_modified) == (utc(2024, 6, 1, 8, 0), utc(2024, 6, 3, 9, 0))


def test_a_dateline_labelled_as_an_update_gives_the_modification_date():
    body = """<h1>Is an oxygen bar good for you?</h1>
    <div><span><span>New Delhi</span>, <a href="/byline/desk">News Desk</a> | Updated : </span><span>19 November 2019, 09:01 AM</span></div>
    <p>The oxygen bar consists of an oxygen concentrator and flavoured bottles.</p>"""

    assert extract_page_metadata(page(body=body)).date_modified == utc(2019, 11, 19, 9, 1)


def test_a_dateline_with_both_dates_gives_each_its_field():
    body = "<h1>Pier reopens</h1><p>Published 3 March 2024 | Updated 4 March 2024</p><p>The pier reopened.</p>"

    meta = extract_page_metadata(page(body=body))

    assert (meta.date_published, meta.date_modified) == (utc(2024, 3, 3), utc(2024, 3, 4))


@pytest.mark.parametrize(
    "body",
    [
        "<div><h1>Pier reopens</h1> Updated: <span>4 March 2024</span><p>The pier reopened.</p></div>",
        "<div><h1>Pier reopens</h1></div> Updated: <span>4 March 2024</span><p>The pier reopened.</p>",
        "<h1>Pier reopens</h1><p>Published 3 March 2024</p> Updated: <span>4 March 2024</span><p>The pier reopened.</p>",
    ],
    ids=["the-headlines-tail", "its-containers-tail", "a-datelines-tail"],
)
def test_an_update_label_between_elements_labels_the_dateline_after_it(body):
    assert extract_page_metadata(page(body=body)).date_modified == utc(2024, 3, 4)


def test_a_publication_date_a_theme_classes_updated_is_no_modification_date():
    # WordPress themes class the publication date "updated" for the hAtom microformat.
    body = """<h1>Die Plejaden</h1>
    <p class="entry-meta"><span class="entry-meta-date updated"><a href="/2019/09/17/">September 17, 2019</a></span></p>
    <p>Die Plejaden sind ein offener Sternhaufen im Sternbild Stier.</p>"""

    meta = extract_page_metadata(page(body=body))

    assert (meta.date_published, meta.date_modified) == (utc(2019, 9, 17), None)


def test_numeric_date_is_read_day_first_on_a_page_not_in_english():
    head = '<meta property="article:published_time" content="10/05/2022 05:22 pm">'

    spanish = extract_page_metadata(f'<html lang="es"><head>{head}</head><body><p>Texto.</p></body></html>')
    english = extract_page_metadata(f'<html lang="en-US"><head>{head}</head><body><p>Text.</p></body></html>')

    assert (spanish.date_published, english.date_published) == (utc(2022, 5, 10, 17, 22), utc(2022, 10, 5, 17, 22))


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        (
            "Erstellt am: 01.11.2023",
            utc(2023, 11, 1, 12, 43, 42),
        ),  # the page shows 1 November: the CMS wrote it the American way
        ("Erstellt am: 11.01.2023", utc(2023, 1, 11, 12, 43, 42)),  # the page's order holds
        ("Im Ort steht bald ein neuer Brunnen", utc(2023, 1, 11, 12, 43, 42)),  # no dateline: the page's order
    ],
)
def test_a_meta_date_that_reads_both_ways_is_read_as_the_dateline_shows_it(dateline, expected):
    head = '<meta name="date" content="11/01/2023 12:43:42">'
    body = f"<h1>Trinkwasser wieder sauber</h1><p>{dateline}</p><p>Die Gemeinde hebt die Abkochpflicht auf.</p>"

    html = f'<html lang="de"><head>{head}</head><body>{body}</body></html>'
    assert extract_page_metadata(html).date_published == expected


# --- page tags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        ("flooding;city council;Mill Creek", ["flooding", "city council", "Mill Creek"]),
        ("flooding | city council", ["flooding", "city council"]),
        ("防洪、市议会", ["防洪", "市议会"]),
        ("YOUR KEYWORDS HERE", []),
        ("keyword1, keyword2, flooding", ["flooding"]),
        ("防洪 市议会 2024", ["防洪", "市议会", "2024"]),  # Chinese has no spaces inside a word
        ("洪水 iPhone 東京", ["洪水", "iPhone", "東京"]),
        ("#flut #hochwasser #ahrtal", ["flut", "hochwasser", "ahrtal"]),
        ("plague in china", ["plague in china"]),  # one tag, not three
        (
            "Lexus wants you to go topless with 2020 LC500 Convertible",
            ["Lexus wants you to go topless with 2020 LC500 Convertible"],
        ),
        ("Apple iPhone 发布会", ["Apple iPhone 发布会"]),  # a space between Latin words may be inside a tag
        ("sodium, salt, &amp;quot, intake", ["sodium", "salt", "intake"]),  # a double escape's quote is no tag
        ("C++, -, 3D", ["C++", "3D"]),
    ],
)
def test_page_tags_are_split_at_any_list_separator_and_placeholders_dropped(keywords, expected):
    assert extract_page_metadata(page(f'<meta name="keywords" content="{keywords}">')).tags == expected


def test_a_sub_heading_inside_the_h1_is_a_kicker_not_part_of_the_headline():
    head = "<title>Windräder im Oberland? - Talbote</title>"
    body = """<h1 class="entry-title"><span class="sub-heading">Energiewende im Tal:</span><br> Windräder im Oberland?</h1>
    <p>Der Landkreis prüft drei Standorte.</p>"""

    assert extract_page_metadata(page(head, body)).headline == "Windräder im Oberland?"


@pytest.mark.parametrize(
    "byline",
    [
        '<span class="byline">By Sam Lee</span>',
        '<span class="author-name">By Sam Lee</span>',
        '<a rel="author">Sam Lee</a>',
    ],
)
def test_a_byline_inside_the_h1_is_no_part_of_the_headline(byline):
    head = "<title>Pier reopens after storm - Bay Courier</title>"
    body = f"<h1>Pier reopens after storm<br>{byline}</h1><p>The pier reopened on Saturday.</p>"

    meta = extract_page_metadata(page(head, body))
    assert (meta.headline, meta.authors) == ("Pier reopens after storm", ["Sam Lee"])


def test_the_visible_headline_without_the_kicker_the_json_ld_headline_puts_before_it():
    kicked = "Chronik: Autorin Ilse Brandt ist tot"
    head = jsonld({"@type": "NewsArticle", "headline": kicked}) + f'<meta property="og:title" content="{kicked}">'
    body = '<h1 class="story-headline">Autorin Ilse Brandt ist tot</h1><p>Sie wurde 94 Jahre alt.</p>'

    assert extract_page_metadata(page(head, body)).headline == "Autorin Ilse Brandt ist tot"


def test_a_kicker_glued_to_the_json_ld_headline_is_found_by_the_title_that_shows_its_joint():
    head = jsonld({"@type": "BlogPosting", "headline": "Kulturpolitik Heute schon an morgen denken"})
    head += '<meta property="og:title" content="Kulturpolitik - Heute schon an morgen denken">'
    body = '<h1 class="title">Heute schon an morgen denken</h1><p>Die Theater planen die nächste Spielzeit.</p>'

    assert extract_page_metadata(page(head, body)).headline == "Heute schon an morgen denken"


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Neue Sitzbänke am Hafen - Nordlicht Community Forum", "https://foren.nordlicht.de/viewtopic.php?t=12"),
        ("Neue Sitzbänke am Hafen ⋆ Nordlicht Handball", "https://nordlicht-handball.de/neue-sitzbaenke/"),
        ("Neue Sitzbänke am Hafen | Die Nordlicht Lübeck", "https://nordlicht.net/luebeck/neue-sitzbaenke/"),
        ("Nordlicht Handball's Home | Neue Sitzbänke am Hafen", "https://nordlichthandball.com/2019/neue-sitzbaenke"),
    ],
)
def test_a_title_part_of_a_few_words_that_begins_with_the_sites_host_name_is_the_site(title, url):
    assert extract_page_metadata(page(f"<title>{title}</title>"), url=url).headline == "Neue Sitzbänke am Hafen"


def test_the_visible_h1_is_the_headline_when_the_part_beside_it_in_the_title_names_the_site():
    # the site's part is the title's longest, so only the host's name tells which part is the headline
    head = "<title>About bugs – Quiet Harbor Entertainment</title>"
    body = "<h1>About bugs</h1><p>Every game ships with bugs; here is how we triage them.</p>"

    assert extract_page_metadata(page(head, body), url="https://quietharbor.org/about-bugs/").headline == "About bugs"


def test_a_headline_holding_the_sites_name_inside_it_keeps_it():
    head = '<meta property="og:site_name" content="Hummeln"><title>Tote Hummeln unter Linden: Die Erklärung | Hummeln'
    head += "</title>"
    body = "<h1>Tote Hummeln unter Linden</h1><p>Im Sommer findet man unter Linden viele tote Hummeln.</p>"

    meta = extract_page_metadata(page(head, body), url="https://aktion-hummeln.de/tote-hummeln/")
    assert meta.headline == "Tote Hummeln unter Linden"


def test_a_blog_banner_naming_the_host_still_points_to_the_posts_h2():
    head = "<title>Four Seasons » Blog Archive » Interning of small integers</title>"
    body = """<h1><a href="/">Four Seasons</a></h1><h2>Interning of small integers</h2>
    <p>Python keeps one object for each small integer.</p><h2>Kategorien</h2>"""

    meta = extract_page_metadata(page(head, body), url="https://fourseasons.eu/2019/10/21/interning/")
    assert meta.headline == "Interning of small integers"


def test_a_title_the_page_shows_as_a_heading_beats_an_og_title_it_does_not_show():
    # the theme puts the site's slogan in every page's og:title
    head = '<meta property="og:title" content="Ana Rojas, lo mejor del ciclismo de Chile">'
    head += "<title>Martínez gana la etapa reina y se acerca al liderato</title>"
    body = "<h2>Buscar</h2><h2>Martínez gana la etapa reina y se acerca al liderato</h2><p>La etapa terminó en el cerro.</p>"

    assert extract_page_metadata(page(head, body)).headline == "Martínez gana la etapa reina y se acerca al liderato"


def test_an_empty_timestamp_in_json_ld_is_no_publication_date():
    article = {
        "@type": "NewsArticle",
        "headline": "Harbor board drops fare rise",
        "datePublished": "1970-01-01T01:00:00+01:00",
    }
    head = jsonld(article) + '<meta property="article:published_time" content="2021-04-28T09:30:00+02:00">'

    assert extract_page_metadata(page(head)).date_published == utc(2021, 4, 28, 7, 30)


@pytest.mark.parametrize(
    ("json_ld_headline", "titles", "h1", "expected"),
    [
        # a visible h1 a title confirms beats a JSON-LD headline written for search engines ...
        (
            "Mujer quiso impedir captura de hijo y la detienen",
            '<meta property="og:title" content="Mujer quería impedir la detención de su hijo">',
            "Mujer quería impedir la detención de su hijo",
            "h1",
        ),
        # ... also where og:title repeats the JSON-LD one
        (
            "Harbor board drops ferry fare rise",
            '<meta property="og:title" content="Harbor board drops ferry fare rise">'
            "<title>Ferry fares: Harbor board drops planned rise - Bay Courier</title>",
            "Ferry fares: Harbor board drops planned rise",
            "h1",
        ),
        # not where the h1 is the JSON-LD headline after a kicker: the JSON-LD shows where the kicker ends
        (
            "Harbor board drops planned rise",
            "<title>Ferry fares: Harbor board drops planned rise - Bay Courier</title>",
            "Ferry fares: Harbor board drops planned rise",
            "json-ld",
        ),
        # the page's one h1 beats a JSON-LD headline that says the same in other words, no title confirming it
        (
            "Mayor warns of harbor closure and ferry cuts",
            "<title>Mayor warns of harbor closure and ferry cuts</title>",
            "Mayor Lind warns the harbor may close and ferries be cut",
            "h1",
        ),
        # an h1 sharing few words with it is a section's or the site's heading
        ("Mayor warns of harbor closure and ferry cuts", "", "City news from the harbor district", "json-ld"),
    ],
)
def test_the_visible_h1_against_a_json_ld_headline(json_ld_headline, titles, h1, expected):
    head = jsonld({"@type": "NewsArticle", "headline": json_ld_headline}) + titles
    body = f"<h1>{h1}</h1><p>The council met on Monday.</p>"

    assert extract_page_metadata(page(head, body)).headline == (h1 if expected == "h1" else json_ld_headline)
