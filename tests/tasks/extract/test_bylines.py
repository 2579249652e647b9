import json

import pytest

from tasks.extract.bylines import AuthorElements, organisation_names, person_names
from tasks.extract.html_page import parse_html, spaced_text
from tasks.extract.metadata import extract_page_metadata


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Mac & i", ["Mac & i"]),  # one magazine, not "Mac" and "i"
        ("ACLU Speech, Privacy, and Technology Project", []),  # one organisation, no person
        ("WebMD Health News", []),
        ("Jane Doe, MA", ["Jane Doe"]),  # a credential, not a second author
        ("John Roe, PhD, and Jane Doe, MD", ["John Roe", "Jane Doe"]),
        ("Jane Doe, WebMD Health News", ["Jane Doe"]),
        ("Anthony, Maya, and Caroline Ghosn", ["Anthony", "Maya", "Caroline Ghosn"]),
        ("By Glen Owen And Brendan Carlin For The Mail On Sunday", ["Glen Owen", "Brendan Carlin"]),
        ("The Russian and Syrian defense ministries", []),
        ("More Richard (R.J.) Eskow", []),  # a teaser's "More" link
        ("About Victor Davis Hanson", []),  # an author box
        ("View More Articles", []),  # the link under an author box
        ("admin", []),  # a site's placeholder account
        ("Super User", []),  # Joomla's
        ("Zur Artikelübersicht", []),  # the link to an author's page
        ("Autor: Rechtsanwalt", []),  # a profession, no name
        ("Rechtsanwalt Dennis Tölle", ["Rechtsanwalt Dennis Tölle"]),
        ("Autor: Gàbor Muniér , Datum: 15.Jun.19", ["Gàbor Muniér"]),  # the date's label is no name
        ("By Jane Doe, Date: March 3", ["Jane Doe"]),
        ("Copyright Haufe-Lexware GmbH & Co. KG", []),
        ("NATURSTROM AG", []),
        ("von MORITZ PAPPERT", ["Moritz Pappert"]),  # capitals are the byline's style, not the name's
        ("JEAN-LUC O'NEIL and TJ", ["Jean-Luc O'Neil", "TJ"]),
        ("By Tim Childers - Live Science Contributor", ["Tim Childers"]),
        ("Yasemin Saplakoglu - Staff Writer", ["Yasemin Saplakoglu"]),
        ("Anna-Lena Schmidt", ["Anna-Lena Schmidt"]),
        ("Williams Perdomo @wperdomod", ["Williams Perdomo"]),  # a social media handle is no name
        ("von Lars Sobiraj Lesezeit: 4 Min.", ["Lars Sobiraj"]),  # the reading time
        ("By Jane Doe Reading time: 3 minutes", ["Jane Doe"]),
        ("Letzte Aktualisierung: 28.01.2022", []),  # "last update", no name
        ("Alle Beiträge", []),  # the link under an author box
        ("More Posts", []),
        ("Christoph Hein Chefredakteur", ["Christoph Hein"]),  # a job title on its own line after the name
        ("Anna Berg Freie Journalistin", ["Anna Berg"]),
        ("Chefredakteurin", []),
        ("TOM KRISHER AP Auto Writer", []),  # an English title has a beat no rule tells from a name
        # a place, title or employer after a full name is no second author; first names before one are
        ("Von Markus Balser, Berlin", ["Markus Balser"]),
        ("Ryan Merkley, CEO", ["Ryan Merkley"]),
        ("Volkmar Kabisch, Benedikt Strunz, NDR", ["Volkmar Kabisch", "Benedikt Strunz"]),
        ("Markus M. Haefliger, London, und Beat Bumbacher", ["Markus M. Haefliger", "Beat Bumbacher"]),
        ("Autorenseite von", []),
        ("Über", []),
        # an author's bio is prose, no byline
        ("Alles über Lautsprecher, Heimkino und HiFi-Trends. Zudem haben wir Tipps und Tricks für zu Hause.", []),
        # academic titles are no part of a name; a name of one word after "Dr." is all there is
        ("By Prof. Dr. Jane Roe and Markus M. Haefliger", ["Jane Roe", "Markus M. Haefliger"]),
        ("Dr. med. Anna Berg", ["Anna Berg"]),
        ("Dipl.-Ing. Max Muster", ["Max Muster"]),
        ("Dr. Oetker", ["Dr. Oetker"]),
        ("Marisa is a Content Integrity & Compliance Manager, with expertise in credit cards and loans", []),
        ("Sara Zinnecker Stand: 12. Mai 2023", ["Sara Zinnecker"]),  # "as of" a date
        ("Full Bio", []),
        ("'Luana Patriolino and Raphael Felice'", ["Luana Patriolino", "Raphael Felice"]),
        ("Sadhbh O'Sullivan", ["Sadhbh O'Sullivan"]),
        ("Jenny Smith ❤️", ["Jenny Smith"]),  # emoji a profile adds to a name
        ("🌻 Anna Berg", ["Anna Berg"]),
        ("Jane Roe und John Doe*", ["Jane Roe", "John Doe"]),  # a footnote's mark ("*Der Autor ist ...")
        ("Lüder Hoppe info@buero-hoppe.de", ["Lüder Hoppe"]),  # the name's e-mail address
        ("Jane Doe (jane.doe@example.org)", ["Jane Doe"]),
        # the byline's two lines run together: the name in capitals, then the organisation
        ("By JILL LAWLESS and ERIC TUCKER Associated Press", ["Jill Lawless", "Eric Tucker"]),
        ("Por Ana Gómez / Luis Pardo", ["Ana Gómez", "Luis Pardo"]),  # a spaced slash between two names
        ("Foto: dpa/Xinhua", []),  # an unspaced one in a photo credit
        # institutions and news agencies, German compounds among them
        ("Freiwillige Feuerwehr Neustadt", []),
        ("Landesverband Bayern", []),
        # an interview's byline: the guest, then the journalist, who wrote it
        ("Richard David Precht im Gespräch mit Karin Fischer", ["Karin Fischer"]),
        ("Interview: Jens Bergmann Foto: Michael Hudler", ["Jens Bergmann"]),  # an interview's credit, as "Text:"
        ("Jane Roe in conversation with John Doe", ["John Doe"]),
        ("Universität Bern", []),
        # a web designer's or a theme's credit that a theme leaves in the author meta tag
        ("Peter Amende und Fuchsy designed", []),
        ("Theme by Jane Doe", []),
        ("Eidgenössisches Departement für Wirtschaft, Bildung und Forschung WBF", []),
        ("Steffen Pache, Sächsische Landesanstalt für Landwirtschaft", ["Steffen Pache"]),
        ("Bundesanstalt für Wasserbau", []),
        ("Département de la Charente", []),
        ("REUTERS", []),
        ("(KNA/iz)", []),
        ("Jane Doe, AFP", ["Jane Doe"]),
        ("Ap Dijksterhuis", ["Ap Dijksterhuis"]),  # a Dutch first name, not the agency AP
    ],
)
def test_bylines_split_into_people_not_organisations_or_credentials(byline, expected):
    assert person_names([byline]) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Par Matthieu Hy le 07 Mai 2020", ["Matthieu Hy"]),
        ("Von: Wolfgang Schmale", ["Wolfgang Schmale"]),
        ("von David · 18. Oktober 2019", ["David"]),
        ("Von Heike Buchter", ["Heike Buchter"]),
        ("VON MORITZ GATHMANN am 21. April 2020", ["Moritz Gathmann"]),  # a byline set in capitals
        ("Alexa von Heyden", ["Alexa von Heyden"]),  # "von" inside a name stays
        (
            "Por: Yaima Puig Meneses, Alina Perera Robbio, René Tamayo",
            ["Yaima Puig Meneses", "Alina Perera Robbio", "René Tamayo"],
        ),
        ("Eine Analyse von Caspar Schwietering", ["Caspar Schwietering"]),
        ("David Ehrlich Nov 13, 2019 4:26 pm", ["David Ehrlich"]),
        ("By Maria Keller on Tuesday, March 4th", ["Maria Keller"]),  # a weekday after "on"
        ("Posted by Miriam 21.10.2019", ["Miriam"]),  # "Posted" begins the label here, and ends a byline
        ("Jane Doe Posted March 3, 2024", ["Jane Doe"]),
        ("Par Luc Morel le mardi 4 mars 2025", ["Luc Morel"]),
        ("Itamar Turner-Trauring Last updated 12 May 2023", ["Itamar Turner-Trauring"]),
        ("Alexandra Ilina, Redakteurin", ["Alexandra Ilina"]),
        ("Bild: S. Lafrentz", []),  # a photo credit
        ("Collins Dublin)", []),  # the end of one
        ("Artikel von Alexa von Heyden", ["Alexa von Heyden"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("ORDER REPRINT →", []),  # a page control
        ("Biography", []),
        # a job title run together with the name before it, a follow button, a note in brackets
        ("Tech-Experte Jonas Weber", ["Jonas Weber"]),
        ("Chefredakteurin Anna Berg", ["Anna Berg"]),
        ("Lena Vogt Follow Projektleiterin", ["Lena Vogt"]),
        ("Mara Lind (Sponsored Post)", ["Mara Lind"]),
        ("Richard (R.J.) Eskow", ["Richard (R.J.) Eskow"]),  # a bracket inside the name stays
        # initials, an agency and a handle are no one's name; the place after an agency is no name either
        ("KW", []),
        ("IANS, Mumbai", []),
        ("_RedFox_", []),
        # German gender forms of the label, an Italian label, a theme's meta line, an agency after a slash
        ("Autor/in: Lea Sommer", ["Lea Sommer"]),
        ("Autor*in: Lea Sommer", ["Lea Sommer"]),
        ("Scritto da Paolo Neri", ["Paolo Neri"]),
        ("Posted on September 21, 2020 by Dana Reis", ["Dana Reis"]),
        ("Posted on May 3, 2021 by Dana Reis in Politics", ["Dana Reis"]),
        ("Freitag | 14. Juni 2019 | 15:49 VON Dana Reis IN Fashion | 0 COMMENTS", ["Dana Reis"]),
        ("am 3. Mai 2021 von Dana Reis", ["Dana Reis"]),
        ("Jonas Hahn/SP-X", ["Jonas Hahn"]),
        ("Mara Lind (Sponsored Post), Rednerin bei hochzeit.example", ["Mara Lind"]),
        # a label that credits the pictures too, and a picture credit after the name
        ("Text & Fotos: Jonas Hahn", ["Jonas Hahn"]),
        ("Text und Interview: Jonas Hahn", ["Jonas Hahn"]),
        ("Text von Jonas Hahn     Illustration von Lea Sommer", ["Jonas Hahn"]),
        ("Text: Jonas Hahn, Fotos: Lea Sommer", ["Jonas Hahn"]),
        ("Weinhandel Süd in Berlin - Vinos und Tapas", []),  # "in" ends a name only after a meta line's date
        ("Beitrag von r23 » 21.01.2009, 05:42", []),  # a forum handle: a date's digits start a word of their own
    ],
)
def test_byline_labels_dates_and_roles_in_several_languages_are_not_names(byline, expected):
    assert person_names([byline]) == expected


def test_a_name_with_words_glued_before_it_is_the_name_found_alone_too():
    # the section's name and the label run into the byline's link text: "Kultur" + "Von" + the name
    assert person_names(["Kultur Von Eva Brandt", "Eva Brandt"]) == ["Eva Brandt"]
    assert person_names(["Eva Brandt", "Eva Brandt Spiegel Online"]) == ["Eva Brandt"]


def test_only_the_articles_own_byline_counts_not_menus_sidebars_or_teasers():
    body = """
    <div class="menu-authors"><a href="/author/ana-ruiz/">Ana Ruiz</a> <a href="/author/tom-lee/">Tom Lee</a></div>
    <article>
      <h1>Pier reopens after storm repairs</h1>
      <p class="byline">By <a href="/author/sam-lee/" class="author">Sam Lee</a></p>
      <p>The pier reopened on Saturday after three months of repairs.</p>
    </article>
    <div class="more-stories">
      <div class="story"><h3>Harbour fees rise</h3><span class="author">More Richard (R.J.) Eskow</span></div>
      <div class="story"><h3>Ferry timetable</h3><span class="author">Kim Park</span></div>
    </div>
    <div class="teaser-list"><span class="byline">By Other Writer</span></div>"""

    assert extract_page_metadata(page(body)).authors == ["Sam Lee"]


def test_a_byline_in_a_teaser_component_right_under_the_headline_is_the_articles():
    # sites reuse their teaser components for the article's own header: the byline block right
    # under the <h1> is the article's, a teaser list apart from it is not
    body = """<article><h1>„Es kommt darauf an, wie die Menschen sterben“</h1>
    <div class="teaser-small__metadata"><p class="byline__author">Von <a href="/autoren/gathmann-moritz">Moritz
      Gathmann</a> am 21. April 2020</p></div>
    <p>Müssen Infizierte unbedingt ins Krankenhaus?</p></article>
    <div class="teaser-small"><h3>Weitere Artikel</h3><p class="byline__author">Von Anna Berg</p></div>"""

    assert extract_page_metadata(page(body)).authors == ["Moritz Gathmann"]


@pytest.mark.parametrize("classes", ["o-Attribution__a-Author", "ArticleAuthor"])
def test_an_author_class_in_camel_case_marks_the_byline(classes):
    body = f"""<h1>The best national parks to see in autumn</h1>
    <div class="{classes}"><span>Ian Shive</span></div>
    <p>Autumn is the quiet season in most parks.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Ian Shive"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("25.10.2022 - Reiner Nagel", ["Reiner Nagel"]),
        ("Malte Welding | 29.07.2006 um 14:26", ["Malte Welding"]),
        ("March 3, 2020 – Jane Doe", ["Jane Doe"]),
        ("25.10.2022 - Essay", []),  # one word: a section, a place, a first name the line does not make a byline
        ("25.10.2022 - Reiner Nagel und die Stadt", []),  # more than a name
        ("Reiner Nagel<br>25.10.2022", ["Reiner Nagel"]),  # a line break parts them as a dash does
        # elements alone do not: a theme's meta line puts its category beside the date
        (
            '<span class="date">25.10.2022</span> <span><a rel="category tag" href="/thema/">Deutsche Sprache</a></span>',
            [],
        ),
    ],
)
def test_a_meta_line_of_a_date_and_a_full_name_under_the_headline_is_the_byline(line, expected):
    body = f"""<h1>Die Freiheit der Planung</h1><div class="kategorie">Essay</div>
    <div class="views-field"><span class="field-content">{line}</span></div>
    <p>Wenn Städte heute ein Freiheitsversprechen in sich tragen, dann in ihren öffentlichen Räumen.</p>"""

    assert extract_page_metadata(page(body)).authors == expected


@pytest.mark.parametrize(("start", "end"), [("<footer>", "</footer>"), ('<div class="entry-footer">', "</div>")])
def test_a_date_and_a_name_in_the_articles_footer_sign_it(start, end):
    story = "<p>Eine große Frau braucht große Ziele.</p>" * 15  # the footer far below the headline
    body = f"""<article><h1>Janine Habeck</h1>{story}
    {start}<div class="left"><a href="/category/bundesliga/" rel="category tag">Bundesliga</a></div>
    <div class="right"><span>Malte Welding </span> | 29.07.2006 um 14:26</div>{end}</article>"""

    assert extract_page_metadata(page(body)).authors == ["Malte Welding"]


def test_a_by_label_after_the_headline_is_the_byline():
    body = """<h1>Salon chain bans men after lewd act</h1>
    <div><span>By</span><span><a href="/newsteam/alex">Alex Bozarjian</a></span><span>Thursday, November 9</span></div>
    <p>A Houston-area beauty business is taking drastic action.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Alex Bozarjian"]


def test_an_author_element_after_a_photo_label_credits_the_picture():
    body = """<div class="credito-image"><strong>Foto:</strong> <p class="autor">Jaiver Nieto</p></div>
    <h1>Debate de candidatos en la universidad</h1>
    <div class="credito"><strong>FOTO:</strong><p class="autor">Jaiver Nieto</p></div>
    <p>La discusión estuvo enmarcada en seis ejes.</p>
    <div class="author_data">David Calle Atehortua</div>"""

    assert extract_page_metadata(page(body)).authors == ["David Calle Atehortua"]


@pytest.mark.parametrize(
    "meta_line",
    [
        '<p class="details"><time datetime="2019-03-19T11:45">19.03.2019 11:45</time> | von <span>Inga Buller</span></p>',
        '<div class="entry-info"><time datetime="2019-03-19">Dienstag, 19. März 2019</time>,&nbsp;von <a href="/p/ib">Inga Buller</a></div>',
    ],
)
def test_a_by_label_after_a_meta_lines_date_and_separator_is_the_byline(meta_line):
    body = f"""<h1>Beef Maker von Aldi im Test</h1>{meta_line}
    <p>Der Grill erreicht 800 Grad in wenigen Minuten.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Inga Buller"]


def test_an_interviews_byline_names_the_journalist_who_asks():
    body = """<h1>"Wir dekorieren auf der Titanic die Liegestühle um"</h1>
    <p class="author">Richard David Precht im Gespräch mit Karin Fischer</p>
    <p>Die Digitalisierung werde Millionen Arbeitsplätze kosten.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Karin Fischer"]


def test_a_by_label_alone_in_its_block_names_the_author_in_the_next():
    body = """<h1>New robot does superior job sampling blood</h1>
    <div class="full-name-wrapper"><div class="field"><p class="label"><strong>By</strong></p></div>
      <div class="field"><p class="full-name">Todd Bates</p></div></div>
    <p>A new robot draws blood faster than people do.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Todd Bates"]


def test_a_by_label_before_an_author_tooltip_names_the_author_in_its_link():
    tooltip = (
        "Jacob Ward is a personal finance writer who has covered credit cards, investing and tax"
        " issues for more than a decade. Full Bio"
    )
    body = f"""<h1>Coinbase vs. Coinbase Pro</h1>
    <div class="bylines"><div class="bylines__item"><span>By</span>
      <div data-tooltip="bio"><a href="/jacob-ward-5113939">Jacob Ward</a><div class="tooltip">{tooltip}</div></div>
    </div><div class="bylines__item"><span>Reviewed by</span>
      <div><a href="/marisa-fig-5093259">Marisa Fig</a><div class="tooltip">Marisa is a Compliance Manager.</div></div>
    </div></div>
    <p>Coinbase is one of the largest exchanges.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Jacob Ward"]


def test_by_inside_a_sentence_is_no_byline_label():
    body = """<h1>Was die Lizenzen bedeuten</h1>
    <ul><li>Name &#8211; <em><strong>by</strong></em> von <em><strong>created by</strong></em></li></ul>
    <p>Der Urheber muss bei allen Lizenzen genannt werden.</p>"""

    assert extract_page_metadata(page(body)).authors == []


def test_microdata_author_of_the_article_not_of_the_listed_stories():
    body = """<div itemscope itemtype="https://schema.org/NewsArticle">
      <h1 itemprop="headline">Pier reopens</h1>
      <span itemprop="author" itemscope itemtype="https://schema.org/Person"><meta itemprop="name" content="Sam Lee"></span>
      <div itemscope itemtype="https://schema.org/Article"><span itemprop="author">Kim Park</span></div>
    </div>"""

    assert extract_page_metadata(page(body)).authors == ["Sam Lee"]


def test_a_photo_credit_in_a_caption_is_no_author_of_the_article():
    body = """<h1 itemprop="headline">¿Ha llegado realmente la Antártida a los 20 grados?</h1>
    <div class="firma"><div class="autor" itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span class="autor-nombre" itemprop="name"><a href="/autor/nuno_dominguez/">Nuño Domínguez</a></span></div></div>
    <figure><img src="/a.jpg" alt=""><figcaption>Base Esperanza. <span class="foto-firma">
      <span itemprop="author" class="foto-autor">Camila Buvinic</span></span></figcaption></figure>
    <p>La temperatura más alta registrada en la Antártida.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Nuño Domínguez"]


def test_the_article_type_beside_the_authors_name_in_a_byline_is_no_name():
    body = """<h1>An Illusionist in Skyrim: Part 1</h1>
    <div class="byline"><a href="/features/" class="byline-article-type">Features</a>
      <span class="author-byline__authors">By <a href="/author/tom-francis/">Tom Francis</a></span></div>
    <p>Playing Skyrim with no armour.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Tom Francis"]


def test_the_category_beside_the_authors_name_in_a_byline_is_no_name():
    body = """<h1>MTB-Reifen auf Tubeless umrüsten</h1>
    <div class="cb-byline"><div class="cb-author cb-byline-element"><a href="/news/author/nuts/">Stefanus</a></div>
      <div class="cb-date cb-byline-element">26. Januar 2022</div>
      <div class="cb-category cb-byline-element"><a href="/news/category/werkstatt/">Werkstatt</a></div></div>
    <p>Tubeless-Reifen fahren sich besser.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Stefanus"]


def test_a_subheading_that_begins_with_von_is_no_byline():
    head = '<meta name="author" content="Christoph von Ritter">'
    body = """<h1>Warum wir jetzt Demut brauchen</h1><p>Demut ist eine Form des Muts zum Leben.</p>
    <h2>Von Risiken und Nebenwirkungen</h2><p>Risiken bergen nicht nur Medikamente.</p>"""

    assert extract_page_metadata(page(body, head)).authors == ["Christoph von Ritter"]


def test_a_capitalised_von_alone_before_the_names_link_is_a_label():
    body = """<h1>Apple arbeitet angeblich an eigenen iPhone-Akkus</h1><p>Apple arbeitet an eigenen Akkus.</p>
    <div class="u-gap-bottom-medium">Von <a class="u-link-simple" title="Andreas Floemer"><strong>Andreas Floemer</strong></a></div>
    <p>Dank einer neuen Zellchemie soll der Energiespeicher länger halten.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Andreas Floemer"]


@pytest.mark.parametrize("folder", ["writer", "autoren", "redaktion"])
def test_a_link_to_the_writers_page_after_the_headline_is_the_byline(folder):
    body = f"""<h1>Despite everything, U.S. emissions dipped in 2019</h1>
    <section class="writer-container"><h5><a href="/{folder}/nathanael-johnson">Nathanael Johnson</a></h5>
    <h6>January 10, 2020 9:00AM (UTC)</h6></section><p>Emissions fell 2.1 percent last year.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Nathanael Johnson"]


def test_a_von_line_after_the_date_in_a_meta_line_is_the_byline():
    body = """<h1 itemprop="headline">Heulage: Besser als ihr Ruf?</h1>
    <p class="entry-meta">Veröffentlicht am <span itemprop="datePublished">03.02.2022</span>
      von Sarah Schnieder <span class="sr-only">Reiterrevue International</span></p>
    <p>Heulage hat bei vielen Pferdehaltern einen schlechten Ruf.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Sarah Schnieder"]


def test_a_von_line_between_line_breaks_is_the_byline():
    body = """<article><h2>Nachhaltigkeit bei der Spessart Tourismus GmbH</h2>
    <figcaption>Im Spessart gibt es viel zu erleben - <i>Fotos: Moritz Pappert</i></figcaption><br/>
    Mittwoch, 01.11.2023 <br/>
    von <strong>MORITZ PAPPERT</strong><br/>
    <p>Der Spessart ist eine Tourismus-Region mitten in Deutschland.</p></article>"""
    head = "<title>Nachhaltigkeit bei der Spessart Tourismus GmbH</title>"

    assert extract_page_metadata(page(body, head)).authors == ["Moritz Pappert"]


def test_by_inside_a_sentence_is_no_byline():
    body = """<h1>Flood wall approved</h1>
    <p>The plan was first drawn up <em>in 2019</em> by Congress.</p>"""

    assert extract_page_metadata(page(body)).authors == []


def test_a_layout_wrapper_named_after_its_sidebar_holds_the_articles_byline():
    body = """<div class="content-wrapper sidebar-included right-sidebar">
      <div class="main"><h1>Abgebrochene Forschung</h1>
        <div class="blog-author-wrapper">Von: Wolfgang Schmale</div><p>Eine neue Studie von Heinz Duchhardt.</p></div>
      <div class="sidebar-right"><span class="author">Scott Nelson</span></div>
    </div>"""

    assert extract_page_metadata(page(body)).authors == ["Wolfgang Schmale"]


def test_the_author_of_a_teaser_card_under_the_article_is_not_its_author():
    body = """<h1>Olympische Spiele in Paris: Getränke per Schiff ins Stadtzentrum</h1>
    <p>Die Getränke für die Spiele kommen per Schiff über die Seine.</p>
    <ul class="topicarea__items"><li><a href="/angesagt/worauf-verbraucher-wert-legen.html">
      <picture class="item__image"><img src="/a.jpg" alt=""></picture>
      <span class="item__title">Worauf Verbraucher beim Bezahlen Wert legen</span>
      <span class="item__metainfo"><span class="item__author">Jana Berger</span></span></a></li></ul>"""

    assert extract_page_metadata(page(body)).authors == []


def test_a_byline_element_classed_for_its_date_and_author_holds_the_author():
    body = """<h1>Einblick in die Praxis und Theorie von Lawinen</h1>
    <p class="date-author">Janic Cathomen, 01.12.2021</p><p>Lawinen sind die grösste Gefahr.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Janic Cathomen"]


def test_a_capitalised_von_label_before_a_one_word_name_is_not_part_of_it():
    body = """<h1>Zahlen, bitte</h1><div class="meta"><span>Von</span> <a href="/u/henry">Henry</a></div>
    <p>Ein Text über Zahlen.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Henry"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Von Redaktion", ["Redaktion"]),
        ("ACLU Speech, Privacy, and Technology Project", ["ACLU Speech, Privacy, and Technology Project"]),
        ("By The Associated Press | May 3, 2021", ["The Associated Press"]),
        ("Redacción Diario Pagina Siete", ["Redacción Diario Pagina Siete"]),
        ("Jane Doe", []),  # a person: person_names reads her
        ("More from the newsroom", []),
        ("Copyright Haufe-Lexware GmbH & Co. KG", []),
    ],
)
def test_a_byline_naming_an_organisation_is_one_name(byline, expected):
    assert organisation_names([byline]) == expected


def test_an_organisation_in_the_byline_is_the_author_when_no_person_is_named():
    body = """<h1>Brückensperrung belegt die Versäumnisse</h1>
    <div class="meta-info"><div class="td-post-author-name"><div class="td-author-by">Von</div>
      <a href="https://example.de/author/redaktion/">Redaktion</a></div></div>
    <p>Die Sperrung der Brücke trifft Pendler hart.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Redaktion"]


def test_a_person_in_any_source_beats_an_organisation_in_the_byline():
    head = '<meta name="author" content="Jana Berg">'
    body = """<h1>Neue Radwege für die Innenstadt</h1>
    <p class="byline">Von <a href="/author/redaktion/">Redaktion</a></p><p>Die Stadt baut drei neue Radwege.</p>"""

    assert extract_page_metadata(page(body, head)).authors == ["Jana Berg"]


def test_the_author_of_a_checked_claim_is_not_the_fact_checks_author():
    body = """<h1>Russia and Syria: U.S.-backed forces blocking refugee return</h1>
    <div class="statement"><div class="statement-author">The Russian and Syrian defense ministries</div>
      <p>"The militants sabotaged the humanitarian convoy."</p></div>
    <p>Polygraph.info found the claim misleading.</p>"""

    assert extract_page_metadata(page(body)).authors == []


def test_a_name_in_lower_case_is_an_author_when_the_author_meta_tag_and_the_byline_agree():
    head = '<meta name="author" content="Mobasir hassan">'
    body = """<h1>Bhindi masala (okra stir fry)</h1>
    <div class="entry-meta"><span class="entry-author"><em>by</em>
      <a class="entry-author-link" href="https://www.blogger.com/profile/1816">Mobasir hassan</a></span></div>
    <p>Bhindi masala is a dry curry of okra, onions and spices.</p>"""

    assert extract_page_metadata(page(body, head)).authors == ["Mobasir hassan"]
    # either alone is not enough: a lower-case byline may be a sentence, a meta tag a placeholder
    assert extract_page_metadata(page(body)).authors == []
    assert extract_page_metadata(page("<h1>Bhindi masala</h1><p>Okra, onions, spices.</p>", head)).authors == []


def test_the_sites_name_in_the_byline_is_no_author():
    head = '<meta property="og:site_name" content="LinkNaija | Nigeria\'s popular news platform">'
    body = """<h1>Nollywood actress celebrates her birthday</h1>
    <span class="author">LinkNaija</span><p>The actress shared new photos.</p>"""

    assert extract_page_metadata(page(body, head)).authors == []


def test_an_author_box_in_an_aside_inside_the_article_is_its_byline_a_sidebar_is_not():
    body = """<aside class="column"><span class="author-name">Petra Lang</span></aside>
    <article><header><h1>Warum die Brücke gesperrt bleibt</h1></header>
      <aside><section class="author"><img src="/avatar.jpg" alt="">
        <span class="author-name"><strong>Christoph Brandt</strong></span></section>
        <section class="meta"><time datetime="2020-04-24T08:30">24. April 2020</time></section></aside>
      <p>Die Brücke über den Main bleibt bis zum Herbst gesperrt.</p></article>"""

    assert extract_page_metadata(page(body)).authors == ["Christoph Brandt"]
    # the same box beside the article, outside it, is the page's sidebar
    outside = body.replace("<article>", "").replace("</article>", "")
    assert extract_page_metadata(page(outside)).authors == []


def test_a_follow_button_in_the_byline_block_is_no_name():
    assert person_names(["Alice Wu", "+ Follow"]) == ["Alice Wu"]


def test_a_story_signed_with_the_reporters_address_names_its_author_a_contact_box_does_not():
    body = """<h1>Gobierno emite directriz contra los hackers</h1>
    <p class="meta"><b><a href="/colaboradores/12">Lucía Mora </a></b> lmora@diario.example | Viernes 22 abril, 2022</p>
    <p>El gobierno anunció que emitirá una directriz de acatamiento obligatorio para las instituciones.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Lucía Mora"]
    # the same place holding a contact box: a phone number, or other words beside the name
    for contact in (
        "<p>Jan Koch Telefon +49 40 123 456 jan.koch@verein.example</p>",
        "<p>Anmeldung &amp; Karten: per Email unter karten@verein.example</p>",
    ):
        boxed = body.replace(body[body.index('<p class="meta">') : body.index("</p>") + 4], contact)
        assert extract_page_metadata(page(boxed)).authors == []


def test_a_labelled_author_in_the_articles_own_footer_names_it_the_sites_footer_does_not():
    paragraphs = "".join(f"<p>Paragraph {i} of a long post about slotted classes.</p>" for i in range(200))
    footer = (
        '<footer class="footer article-footer"><ul><li><span>Author: </span><span>Mara Quint</span></li></ul></footer>'
    )
    body = f"""<main class="article-section"><h1>Performant Python: slots and named tuples</h1>
    <div class="content">{paragraphs}</div>{footer}</main>"""

    assert extract_page_metadata(page(body)).authors == ["Mara Quint"]
    site_footer = footer.replace("footer article-footer", "footer page-footer")
    assert extract_page_metadata(page(body.replace(footer, site_footer))).authors == []


def test_an_author_boxs_tabs_are_no_name_the_name_in_the_box_is():
    body = """<h1>Fair Fashion Strick</h1><p>Die schönsten Labels für nachhaltige Strickmode.</p>
    <div class="author-box"><ul class="author-tabs-button"><li><a href="#author-bio">Bio</a></li>
    <li><a href="#author-posts">Latest Posts</a></li></ul>
    <div id="author-bio"><p>Sie schreibt über Mode und Natur.</p></div>
    <div id="author-posts" class="author-info">Latest Posts By <a href="/author/julia-esdar/" rel="author">Julia Esdar</a></div></div>"""

    assert extract_page_metadata(page(body)).authors == ["Julia Esdar"]


def test_a_papers_authors_linking_to_their_affiliations_in_the_page_are_its_authors():
    body = """<h1>Adverse drug reactions</h1><ul class="c-article-author-list">
    <li><a href="#auth-1" class="author-name">Marwan H. Adwan</a> <a href="#corresp-1">Email</a></li></ul>
    <section id="affiliations"><p id="auth-1">Faculty of Medicine, Queen Rania Street, Amman</p></section>
    <p>Adverse drug reactions are a leading cause of hospital admissions.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Marwan H. Adwan"]


def test_a_json_ld_person_named_exactly_like_the_publisher_is_the_site_not_an_author():
    # a CMS that fills the author with the site's name, a name with a spaced hyphen and a bar in it
    site = "Diario del Sur - Noticias de Morelia | Lo que pasa"
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Fiscal pide ampliar la medida",
        "author": {"@type": "Person", "name": site},
        "publisher": {"@type": "Organization", "name": site},
    }
    head = f'<script type="application/ld+json">{json.dumps(article)}</script>'
    title = "<h1>Fiscal pide ampliar la medida</h1>"
    text = "<p>El fiscal general pidió ampliar la medida por treinta días más.</p>"

    assert extract_page_metadata(page(title + text, head)).authors == []
    byline = '<p class="autor">Por Ana Gómez / Luis Pardo</p>'
    assert extract_page_metadata(page(title + byline + text, head)).authors == ["Ana Gómez", "Luis Pardo"]


def test_a_label_with_its_genre_word_names_the_author_in_the_next_element():
    body = """<h1>Longieren mit Stangen</h1>
    <p class="info">Ein Artikel von <strong>Paula Weiss</strong> | 12.03.2021</p>
    <p>Stangenarbeit an der Longe stärkt den Rücken des Pferdes.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Paula Weiss"]


def test_a_byline_in_the_meta_line_above_the_headline_names_the_author():
    body = """<article><div class="content-header">
      <div class="content-meta"><span class="meta-author">By <a href="/author/lena-hof/">Lena Hof</a></span>
        <span class="meta-date">10. Februar 2019</span></div>
      <h1 class="content-title">Ein Rucksack mit Geschichte</h1></div>
      <p>Der Rucksack war ein Geschenk meiner Mutter.</p></article>
    <div class="comments"><div class="comment"><span class="comment-author">Kim Berger</span><p>Schön!</p></div></div>"""

    assert extract_page_metadata(page(body)).authors == ["Lena Hof"]


def test_an_author_link_above_the_headline_names_the_author_when_comments_below_have_authors_too():
    body = """<div class="post-meta"><a href="/author/lena-hof/">Lena Hof</a> / 10.02.2019</div>
    <div class="post-body"><h1>Ein Rucksack mit Geschichte</h1>
      <p>Der Rucksack war ein Geschenk meiner Mutter.</p></div>
    <div class="comments"><div class="comment"><span class="comment-author">Kim Berger</span><p>Schön!</p></div></div>"""

    assert extract_page_metadata(page(body)).authors == ["Lena Hof"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("<dd>Escrito por Ana Gómez</dd>", ["Ana Gómez"]),
        ("<p>Verfasst von Lena Hof</p>", ["Lena Hof"]),
        ("<em>---- by Lena Hof</em>", ["Lena Hof"]),  # a dash before the label, as under an essay
        ("<p>Autoren Lena Hof und Tim Berg</p>", ["Lena Hof", "Tim Berg"]),  # the plural label
        # the label in an element of its own, the name in its tail, ending the line
        (
            "<span>Datum:</span> 19.11.2021<br><span>Autor:</span> Fritz Weber<br><span>Quelle:</span> Livenet",
            ["Fritz Weber"],
        ),
    ],
)
def test_a_labelled_line_after_the_headline_names_the_author(byline, expected):
    body = f"""<h1>Die Sprache im Wandel</h1><div class="info">{byline}</div>
    <p>Sprache verändert sich ständig, sagen die Forschenden.</p>"""

    assert extract_page_metadata(page(body)).authors == expected


def test_a_news_agencys_credit_line_names_the_reporters_not_the_editors():
    body = """<h1>Fossil shows early bird had teeth</h1>
    <p>WASHINGTON - Scientists have described a bird that lived 120 million years ago.</p>
    <p>(Reporting by Will Dunham and Lena Hof in Washington; Editing by Tom Brown)</p>"""

    assert extract_page_metadata(page(body)).authors == ["Will Dunham", "Lena Hof"]


def test_a_label_of_its_own_in_the_meta_block_under_a_long_article_names_the_author():
    paragraphs = "".join(
        f"<p>Absatz {number}: Die Familie verbrachte Wochen in Quarantäne.</p>" for number in range(200)
    )
    teaser = (
        '<a href="/weiter"><h3>Auf ins Metaverse</h3><div>Wie lässt sich das Metaverse im Büro nutzen?</div>'
        "<div>Von <span>Tom Berg</span> am 08.12.2022</div></a>"
    )
    meta = '<section class="news-meta"><h4>Autor</h4><p><a href="/profil/lena-hof">Lena Hof</a></p></section>'
    body = f"<h1>Vierzig Tage in Quarantäne</h1>{paragraphs}{{}}"

    assert extract_page_metadata(page(body.format(meta + teaser))).authors == ["Lena Hof"]
    # so far down, only such a label counts: not the byline of a card linking to another story
    assert extract_page_metadata(page(body.format(teaser))).authors == []


def test_a_translators_credit_beside_the_byline_names_no_author():
    body = """<h1>Ein Jahr voller Proteste</h1>
    <div class="contributors">
      <div class="author contributor">Geschrieben von <a href="/author/ana-ruiz/" class="url user-link">Ana Ruiz</a></div>
      <div class="translator contributor">Übersetzt von <a href="/author/tom-weber/" class="url user-link">Tom Weber</a></div>
    </div>
    <p>Seit einem Jahr gehen die Menschen auf die Straße.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Ana Ruiz"]
    assert person_names(["Translated by Tom Weber"]) == []


def test_a_translators_credit_labelled_so_in_the_author_box_names_no_author():
    body = """<h1>BMW 3er Touring Facelift zum ersten Mal erwischt</h1>
    <div class="postAuthorBox"><div class="postAuthor"><span class="name"><span class="label">Von</span>: Adrian Padeanu</span></div>
      <div class="postAuthor"><span class="name"><span class="label">Übersetzt von</span>:
        <span class="author" data-href="/info/team/roland-hildebrandt/">Roland Hildebrandt</span></span></div></div>
    <p>Die große Modellpflege der 3er-Reihe zeigt sich jetzt auch am Kombi.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Adrian Padeanu"]


@pytest.mark.parametrize(
    "byline",
    [
        "By Dana Reis, Harbor Voices Latin America",  # the site's regional desk beside the writer
        "By Dana Reis and Harbor Voices Editorial",
    ],
)
def test_a_name_beginning_with_the_sites_host_name_is_the_site_not_an_author(byline):
    body = f'<h1>Port strike ends after nine days</h1><div class="byline">{byline}</div><p>Dock workers returned.</p>'

    meta = extract_page_metadata(page(body), url="https://harborvoices.org/2024/05/port-strike-ends")
    assert meta.authors == ["Dana Reis"]


def test_the_sites_acronym_before_a_desks_name_is_the_site_not_an_author():
    head = '<meta property="og:site_name" content="CNN">'
    body = '<h1>Markets shrug off the news</h1><p class="byline">By Jill Disis, CNN Business</p><p>Stocks rose.</p>'

    assert extract_page_metadata(page(body, head)).authors == ["Jill Disis"]
    # a name whose first word only spells the acronym in lower case is a person's
    head = '<meta property="og:site_name" content="Ann">'
    assert extract_page_metadata(page(body.replace("Jill Disis, CNN Business", "Ann Lee"), head)).authors == ["Ann Lee"]


def test_a_by_label_of_its_own_after_other_words_of_the_line_names_the_author_in_the_next_element():
    body = """<h1>Woman follows a car and finds a surprise</h1>
    <div class="article_meta_info"><span class="trending">yas!</span> <span class="screen-reader-text">| By </span>
    <span>Dana Reis</span> | <time>April 13, 2020</time></div><p>The story begins on a Tuesday.</p>"""

    assert extract_page_metadata(page(body)).authors == ["Dana Reis"]


@pytest.mark.parametrize(
    "meta_line",
    [
        'Freitag | 14. Juni 2019 | 15:49 VON Dana Reis IN <a href="/category/fashion/">Fashion</a> | 0 COMMENTS',
        "06.11.2023 13:30 von Dana Reis",
    ],
)
def test_a_meta_line_with_the_date_before_the_label_names_the_author(meta_line):
    body = f'<div class="meta"><p>{meta_line}</p></div><h1>Ear candy for the summer</h1><p>Story.</p>'

    assert extract_page_metadata(page(body)).authors == ["Dana Reis"]


def test_a_number_before_von_is_no_date_before_a_byline_label():
    body = "<h1>Neue Trockenshampoos im Test</h1><p>10-in-1 Trockenshampoos von Wellaflex</p><p>Story.</p>"

    assert extract_page_metadata(page(body)).authors == []


def test_author_elements_are_the_marked_ones_and_the_ones_classed_author_in_page_order():
    tree = parse_html(
        page(
            """<nav class="byline-menu">Menu</nav>
            <p><span class="post-author">Ana Ruiz</span> <a href="/authorize/">Sign in</a></p>
            <div id="main-byline"><a rel="author" href="/profile/7">Tom Lee</a></div>
            <p class="Author-name">Sam Lee</p><p class="autorin">Eva Maier</p>
            <p><a href="/writers/jo-kim/">Jo Kim</a> <a href="/autoren/">Alle Autoren</a></p>
            <p class="authorship-note">Reviewed</p>""",
            head='<link rel="author" href="/humans.txt">',  # outside <body>: not an author element
        )
    )
    elements = AuthorElements(tree)

    assert [spaced_text(e) for e in elements.all] == [
        "Menu",  # "byline" in a class
        "Ana Ruiz",
        "Tom Lee",  # id and rel; the <div> too, as its id says byline
        "Tom Lee",
        "Sam Lee",
        "Eva Maier",  # "autor" in a class
        "Jo Kim",  # links to an author's page ("/authorize/" is none)
        "Alle Autoren",
        "Reviewed",
    ]
    assert [spaced_text(e) for e in elements.marked] == ["Menu", "Tom Lee", "Tom Lee", "Jo Kim", "Alle Autoren"]
