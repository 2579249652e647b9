import copy

import lxml.html
import pytest
from lxml import etree
from readability import Document

import tasks.extract.main_text
import tasks.extract.readability_paragraphs
from tasks.extract.html_page import parse_html
from tasks.extract.main_text import ExtractedBody, extract_main_text
from tasks.extract.readability_paragraphs import NOT_ARTICLE_BOXES, page_paragraphs, readability_paragraphs


def paragraphs(body: ExtractedBody) -> list[str]:
    return body.text.split("\n\n")


def article_page(heading: str, *sections: tuple[str, str], title: str = "Harbor ferry returns") -> str:
    """A page whose <article> has ``heading`` as its top heading and one <h2> plus <p> per section."""
    body = "".join(f"<h2>{name}</h2><p>{text}</p>" for name, text in sections)
    return (
        f"<html><head><title>{title} | Bay Courier</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article>{heading}{body}</article>"
        f"<footer><p>Bay Courier footer text</p></footer></body></html>"
    )


LONG_PARAGRAPH = (
    "The passenger ferry between the north pier and the island resumed service on Monday after a"
    " winter of repairs to its hull, and the first crossing of the morning was full, the operator said."
)


def test_news_page_body_is_the_story_paragraphs_in_order(page):
    body = extract_main_text(page("news_with_jsonld.html"))

    assert body.extractor == "trafilatura"
    assert body.text.startswith("RIVERTON — After ten springs of sandbagging along Mill Street,")
    assert body.text.endswith("is set for June 3 at the Riverton Community Center.")
    assert len(paragraphs(body)) == 7  # six story paragraphs and the section heading
    assert "sandbag their front doors every April,” said Mayor Ana Ruiz, who has pushed" in body.text


def test_news_page_headings_are_the_section_headings_without_the_title(page):
    body = extract_main_text(page("news_with_jsonld.html"))

    assert body.headings == ["What happens next"]
    assert "What happens next" in paragraphs(body)
    assert "Council approves $14 million flood wall" not in body.text


@pytest.mark.parametrize(
    "noise",
    [
        "dataLayer",  # <script> in <head>
        "trackScroll",  # <script> inside the story body
        "RL-INLINE-AD-7",
        "loadComments",
        ".ad-slot",  # <style>
        "ADVERTISEMENT",
        "mattress sale",
        "Obituaries",  # navigation
        "Subscribe for $1 a week",
        "Related stories",  # sidebar
        "RiverRat42",  # reader comments
        "My basement has flooded",
        "All rights reserved",  # footer
        "Privacy policy",
    ],
)
def test_news_page_body_leaves_out_scripts_styles_ads_navigation_comments_and_footer(noise, page):
    assert noise not in extract_main_text(page("news_with_jsonld.html")).text


def test_page_without_metadata_yields_its_paragraphs(page):
    body = extract_main_text(page("blog_no_metadata.htm"))

    assert body.extractor == "trafilatura"
    assert body.headings == []
    assert len(paragraphs(body)) == 5
    assert body.text.startswith("For eleven summers I mowed the same patch of grass")
    assert body.text.endswith("but the bench has turned out to be a better excuse.")


def test_byline_page_body_leaves_out_menu_and_footer(page):
    body = extract_main_text(page("og_meta_byline.html"))

    assert body.text.startswith("The Carver Road branch of the Eastside library will open on Sundays")
    assert "What's on" not in body.text
    assert "Letters to the editor" not in body.text


def test_title_repeated_as_a_section_heading_is_not_a_heading():
    html = article_page(
        "<h2>Harbor ferry returns</h2>",
        ("First crossing", LONG_PARAGRAPH),
        ("Timetable", LONG_PARAGRAPH.replace("Monday", "Tuesday")),
    )

    body = extract_main_text(html)

    assert body.headings == ["First crossing", "Timetable"]
    assert paragraphs(body)[0] == "First crossing"


def test_line_breaks_inside_a_paragraph_are_kept_and_spaces_collapsed():
    html = article_page("<h1>Harbor ferry returns</h1>", ("Service", f"{LONG_PARAGRAPH}<br>Crossings:   hourly"))

    body = extract_main_text(html)

    assert f"{LONG_PARAGRAPH}\nCrossings: hourly" in paragraphs(body)


def test_uses_jsonld_article_body_when_the_page_is_rendered_by_javascript():
    html = """<html><head><title>Ferry returns</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry returns",
      "articleBody": "The ferry is back.\\nIt runs hourly from the north pier."}</script>
    </head><body><div id="app"></div><noscript><p>Please enable JavaScript.</p></noscript>
    <script>renderApp("#app");</script></body></html>"""

    body = extract_main_text(html)

    assert body == ExtractedBody("The ferry is back.\n\nIt runs hourly from the north pier.", [], "jsonld")


def test_jsonld_article_body_given_as_html_is_reduced_to_paragraph_text():
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
      "articleBody": "<p>The ferry is <b>back</b>.</p><p>It runs hourly.</p><script>track()<\\/script>"}</script>
    </head><body><div id="app"></div></body></html>"""

    assert extract_main_text(html).text == "The ferry is back.\n\nIt runs hourly."


def test_falls_back_to_visible_paragraphs_when_both_extractors_find_nothing(monkeypatch):
    monkeypatch.setattr(tasks.extract.main_text, "bare_extraction", lambda *args, **kwargs: None)
    monkeypatch.setattr(tasks.extract.readability_paragraphs.Document, "summary", lambda *args, **kwargs: "")
    html = """<html><body>
      <nav><p>Home News Sport</p></nav>
      <div><p>The ferry is   back <script>track("ferry")</script>on the water.</p>
      <noscript><p>Enable JavaScript</p></noscript><template><p>Hidden template</p></template>
      <p>It runs hourly.</p></div>
      <div class="comments"><p>First!</p></div>
      <footer><p>Bay Courier footer</p></footer></body></html>"""

    body = extract_main_text(html)

    assert body == ExtractedBody("The ferry is back on the water.\n\nIt runs hourly.", [], "fallback")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "<html><head><title>Empty</title></head><body><script>var story = 'not text';</script></body></html>",
    ],
)
def test_page_without_readable_text_gives_empty_text(html):
    assert extract_main_text(html) == ExtractedBody("", [], "none")


FERRY_STORY = [
    "The harbour authority said on Monday that the ferry between the north pier and the island would run every hour from April, after a winter of repairs to its hull and engines.",
    "Commuters who had relied on a replacement bus for five months welcomed the news, though several said the timetable still left a gap in the late evening when the last bus leaves.",
    "The operator expects about two thousand passengers a day in summer, twice the winter figure, and has hired six new crew members to cope with the extra sailings at weekends.",
    "Repairs cost more than planned because corrosion was found under the deck plates, the authority's engineer told the council's transport committee in a report published last week.",
    "A second vessel, now being refitted at a yard in the south, should join the service next year, which would allow crossings every half hour during the morning and evening peaks.",
    "Local businesses on the island said the winter closure had cut their takings by almost a third, and a café owner said she had kept her doors open only because of regular customers.",
    "The council will review the timetable in the autumn, and residents can send comments through the authority's website or at the public meeting planned for the town hall in May.",
]


def split_story_page(second_part_extra: str = "", story: list[str] = FERRY_STORY) -> str:
    """A story split across two layout grids with a full-width ad row between them."""
    first, second = ("".join(f"<p>{p}</p>" for p in part) for part in (story[:4], story[4:]))
    return f"""<html><head><title>Ferry returns</title></head><body><nav><a href="/">Home</a></nav>
    <main><h1>Ferry returns</h1>
    <div class="grid"><div class="grid--item body article__body">{first}</div>
      <div class="grid--item aside"><div class="ad ad--rail"></div></div></div>
    <div class="row full-bleed-ad"><div class="ad"><span class="ad-label">Advertisement</span></div></div>
    <div class="grid"><div class="grid--item body article__body">{second_part_extra}{second}</div></div>
    </main><footer>All rights reserved</footer></body></html>"""


def test_story_split_by_an_ad_row_is_extracted_whole():
    body = extract_main_text(split_story_page())

    assert paragraphs(body) == FERRY_STORY
    assert body.extractor == "trafilatura+readability"


# The ferry story in Chinese, without spaces between words: paragraphs of two sentences each.
_FERRY_SENTENCES_ZH = [
    "港务局星期一表示，北码头与岛屿之间的渡轮将从四月起每小时开出一班，此前船体和发动机在冬季进行了维修。",
    "五个月来一直依靠替代巴士的通勤者对这一消息表示欢迎，但有几位乘客说，晚上末班巴士开走后时刻表仍有空档。",
    "运营商预计夏季每天约有两千名乘客，是冬季人数的两倍，并已聘请六名新船员应付周末增加的班次。",
    "维修费用超出预算，因为在甲板下发现了腐蚀，港务局的工程师在上周公布的报告中向议会交通委员会说明了情况。",
    "第二艘船目前正在南方的船厂整修，预计明年加入服务，届时早晚高峰期间每半小时就可以开出一班渡轮。",
    "岛上的商户说，冬季停航使他们的营业额减少了将近三分之一，一位咖啡馆老板说全靠熟客她才没有关门。",
    "议会将在秋季检讨时刻表，居民可以通过港务局的网站或在五月于市政厅举行的公众会议上提出意见。",
]
_FERRY_DETAILS_ZH = [
    "新的时刻表将在三月底公布，票价暂时维持不变，长者和学生仍可享受半价优惠。",
    "不少上班族表示，渡轮比巴士快将近一半，恢复航行后他们每天可以多睡二十分钟。",
    "旅游局估计，夏季游客人数将恢复到疫情前的水平，岛上的民宿已经开始接受预订。",
    "工程师建议在未来五年内每年检查一次船体，以免再次出现意外的维修费用。",
    "新船配备更安静的发动机和更宽敞的座位区，还设有供自行车和婴儿车使用的空间。",
    "商会呼吁议会在冬季也保留每日至少两班的服务，以免岛上的小商店再次陷入困境。",
    "会议的日期和地点将在港务局网站上公布，居民也可以通过电子邮件提交书面意见。",
]
FERRY_STORY_ZH = [a + b for a, b in zip(_FERRY_SENTENCES_ZH, _FERRY_DETAILS_ZH, strict=True)]


def test_chinese_story_split_by_an_ad_row_is_extracted_whole():  # cut in half when a CJK paragraph counted as one word
    body = extract_main_text(split_story_page(story=FERRY_STORY_ZH))

    assert paragraphs(body) == FERRY_STORY_ZH
    assert body.extractor == "trafilatura+readability"


@pytest.mark.parametrize("caption_class", ["image-caption", "Image-Caption"])  # class words match in any case
def test_captions_in_the_story_are_not_added_from_readability(caption_class):
    caption = (
        f"<div class='{caption_class}'>Passengers board the ferry at the north pier on Monday morning, the first"
        " crossing since October, in a photograph taken by the harbour authority's own staff.</div>"
    )

    body = extract_main_text(split_story_page(caption))

    assert "Passengers board" not in body.text
    assert paragraphs(body) == FERRY_STORY


# Other posts of a blog as its pages list them: a title, an excerpt cut short, a share link.
OTHER_POSTS = [
    (
        "Lighthouse keepers return",
        "After twenty years of automatic lamps, the coastal trust has hired two keepers again to guide the tall ships that visit the bay every summer, and the first of them moved into the cottage",
    ),
    (
        "Market hall reopens",
        "The old fish market on the quay opened its doors again on Saturday after a two year restoration that kept the iron roof and the tiled stalls, and the traders who came back said",
    ),
    (
        "School bus timetable changes",
        "Children from the island will leave school twenty minutes earlier from next term so that they can catch the new hourly ferry home, the education office said in a letter to parents who had",
    ),
    (
        "Storm damages sea wall",
        "The storm that crossed the coast on Thursday night tore a gap of ten metres in the sea wall near the old harbour, and engineers from the council spent the weekend filling it with rocks while",
    ),
]


def test_excerpts_of_other_posts_are_not_added_from_readability():
    teasers = "".join(
        f"<div class='post'><h2><a href='/p{i}'>{title}</a></h2><p>{excerpt} …</p><a href='/p{i}'>Share</a></div>"
        for i, (title, excerpt) in enumerate(OTHER_POSTS)
    )
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY[:3])
    html = (
        "<html><head><title>Ferry returns</title></head><body><nav><a href='/'>Home</a></nav><div id='content'>"
        f"<div class='entry'><h1>Ferry returns</h1>{story}</div><div class='more'>{teasers}</div></div>"
        "<footer>All rights reserved</footer></body></html>"
    )

    assert paragraphs(extract_main_text(html)) == FERRY_STORY[:3]


def test_a_list_of_excerpts_never_outvotes_trafilaturas_text(monkeypatch):
    # A quotes site: the page's one text, under it the other posts as readability reads them
    # (set in spans, which trafilatura leaves out), with more prose than the text itself.
    quote = "Love is not found in someone else but grown in yourself, day by day — Maria Lopes"
    listing = [line for _, excerpt in OTHER_POSTS for line in ("Whatsapp Facebook Share", f"{excerpt} …")]
    monkeypatch.setattr(tasks.extract.main_text, "readability_paragraphs", lambda tree: listing)
    spans = "".join(f"<span class='excerpt'>{excerpt} …</span>" for _, excerpt in OTHER_POSTS)
    html = (
        "<html><head><title>Only love</title></head><body><nav><a href='/'>Home</a></nav><h1>Only love</h1>"
        f"<article><p>{quote}</p><p>{FERRY_STORY[0]}</p></article><div class='more'>{spans}</div>"
        "<footer>Quotes for every day</footer></body></html>"
    )

    body = extract_main_text(html)

    assert paragraphs(body) == [quote, FERRY_STORY[0]]
    assert body.extractor == "trafilatura"


def test_a_story_paragraph_or_two_ending_in_an_ellipsis_is_still_added_from_readability():
    story = [*FERRY_STORY[:4], *(p.removesuffix(".") + " …" for p in FERRY_STORY[4:6]), FERRY_STORY[6]]

    body = extract_main_text(split_story_page(story=story))

    assert paragraphs(body) == story
    assert body.extractor == "trafilatura+readability"


def _count_readability_runs(monkeypatch) -> list[int]:
    runs = [0]
    summary = tasks.extract.readability_paragraphs.Document.summary

    def counted(self, *args, **kwargs):
        runs[0] += 1
        return summary(self, *args, **kwargs)

    monkeypatch.setattr(tasks.extract.readability_paragraphs.Document, "summary", counted)
    return runs


def _count_shingled_texts(monkeypatch) -> list[str]:
    shingled: list[str] = []
    shingles = tasks.extract.main_text._shingles

    def counted(text):
        shingled.append(text)
        return shingles(text)

    monkeypatch.setattr(tasks.extract.main_text, "_shingles", counted)
    return shingled


def test_readability_is_spared_when_trafilatura_has_every_paragraph_of_prose(monkeypatch):
    runs = _count_readability_runs(monkeypatch)
    shingled = _count_shingled_texts(monkeypatch)
    whole = "".join(f"<p>{p}</p>" for p in FERRY_STORY)
    page = f"<html><head><title>Ferry returns</title></head><body><nav><a href='/'>Home</a></nav><article>{whole}</article></body></html>"

    assert paragraphs(extract_main_text(page)) == FERRY_STORY
    assert runs == [0]
    assert shingled == []  # each paragraph is in trafilatura's text word for word: nothing to compare


def test_readability_runs_when_the_page_has_prose_trafilatura_missed(monkeypatch):
    runs = _count_readability_runs(monkeypatch)

    assert paragraphs(extract_main_text(split_story_page())) == FERRY_STORY
    assert runs == [1]


def test_prose_found_whole_in_the_text_is_not_missed_even_where_its_end_words_run_on(monkeypatch):
    shingled = _count_shingled_texts(monkeypatch)
    page = tasks.extract.main_text._Page(
        parse_html(f"<html><body><div><p>{LONG_PARAGRAPH}</p></div></body></html>"), None, [], frozenset(), False
    )

    def missed(text: str) -> bool:
        return tasks.extract.main_text._has_missed_prose(page, text, lambda: tasks.extract.main_text._shingles(text))

    # Glued to the words around it, its first and last shingles differ: the rest are far more than half.
    assert not missed(f"Earlier{LONG_PARAGRAPH}Later")
    assert shingled == []
    assert missed("The island's ferry operator said nothing about the winter repairs to its hull.")
    assert shingled  # only then are shingles compared


@pytest.mark.parametrize("comments", ['id="comments"', 'class="Reader-Comments"'])
def test_readability_is_spared_when_the_missed_prose_is_where_readability_never_looks(monkeypatch, comments):
    runs = _count_readability_runs(monkeypatch)
    whole = "".join(f"<p>{p}</p>" for p in FERRY_STORY)
    comment = (
        "I have taken that ferry every summer for twenty years and the crossing was never as slow as it"
        " was last August, when we waited two hours at the pier for a boat that never came."
    )
    notice = (
        "Your browser blocks the cookies this site needs to remember your preferences, so the settings"
        " you chose will be forgotten when you close the window and must be chosen again next time."
    )
    page = f"""<html><head><title>Ferry returns</title></head><body><article>{whole}</article>
    <div {comments}><p>{comment}</p></div><div hidden><p>{notice}</p></div></body></html>"""

    body = extract_main_text(page)

    assert paragraphs(body) == FERRY_STORY
    assert runs == [0]  # readability drops comment sections and hidden elements before it reads a page


def test_page_paragraphs_check_only_elements_a_rule_can_drop_and_none_inside_a_dropped_one(monkeypatch):
    checked: list[str] = []
    unlikely = tasks.extract.readability_paragraphs._is_unlikely_candidate

    def recorded(element, names):
        checked.append(f"{element.tag}.{element.get('class')}")
        return unlikely(element, names)

    monkeypatch.setattr(tasks.extract.readability_paragraphs, "_is_unlikely_candidate", recorded)
    tree = parse_html(
        f"""<html><body><div class="comments"><p class="note">Nested note</p><p>First!</p></div>
        <div class="story"><p>{LONG_PARAGRAPH}</p><p style="display: none">Hidden by style</p>
        <p hidden>Hidden</p><p>It runs hourly.</p></div></body></html>"""
    )

    assert page_paragraphs(tree) == [LONG_PARAGRAPH, "It runs hourly."]
    # Not the <p>s without a class, id or style, nor the one inside the dropped comments; the
    # hidden ones are dropped before the rule is asked.
    assert checked == ["div.comments", "div.story"]


@pytest.mark.parametrize(
    ("block_class", "kept"), [("Disqus-Thread", False), ("disqus-thread", False), ("thread", True)]
)
def test_readability_drops_unlikely_candidates_whatever_their_case(block_class, kept):
    comment = (
        "I rode the ferry on its first morning back, and the crossing was calm, quick and on time, which is more"
        " than I can say for the replacement bus that carried us all winter long, late on most days and cold on all."
    )
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY)
    page = parse_html(
        f'<html><body><div class="story">{story}<div class="{block_class}"><p>{comment}</p></div></div></body></html>'
    )

    assert (comment in readability_paragraphs(page)) is kept


def test_readability_reads_a_page_twice_from_the_page_as_it_was_and_leaves_it_so():
    # All the text in an "extra" block: readability's first, ruthless pass drops it and finds
    # nothing, so it reads the page again without that rule, and must find the block there.
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY[:3])
    page = parse_html(
        f'<html><body><div class="extra-content">{story}</div><div hidden><p>{LONG_PARAGRAPH}</p></div>'
        "<script>track('ferry')</script></body></html>"
    )
    before = etree.tostring(page)

    assert readability_paragraphs(page) == FERRY_STORY[:3]
    assert etree.tostring(page) == before


# Divs readability turns into paragraphs, and divs whose loose text and inline children it
# wraps: a block element at any depth (an <img> inside a link), an SVG <path> and a <picture>,
# whose markup starts like <p>, an Office <o:p>, which does not, and a link whose attribute holds
# "<p" in the markup readability searches.
MISUSED_DIVS = [
    "<div>Loose text <b>bold</b> and <a href='/x'>a link</a>.</div>",
    "<div><div>Inner text only.</div> tail text <span>inline</span><br>after the break</div>",
    "<div>Before <a href='/x'><span><img src='a.png'></span></a> after</div>",
    "<div><svg><path d='M0 0'></path></svg> A drawing.</div>",
    "<div><picture><source srcset='a.webp'></picture> A photo.</div>",
    "<div><o:p>Office</o:p> text <em>stressed</em></div>",
    "<div>Lead <a title='&lt;p&gt; in a title' href='/x'>link</a><p>A paragraph.</p> tail</div>",
    "<div><table><tr><td><div>cell <i>text</i></div></td></tr></table><blockquote>Quote</blockquote></div>",
    "<div><ul><li>one</li></ul><div><div><pre>code</pre></div></div> <dl><dt>term</dt></dl> text</div>",
]


@pytest.mark.parametrize("markup", [*MISUSED_DIVS, "".join(MISUSED_DIVS)])
def test_divs_become_paragraphs_as_readability_itself_makes_them(markup):
    page = parse_html(f"<html><body>{markup}</body></html>")
    ours = tasks.extract.readability_paragraphs._TextDocument(page)
    ours.html = copy.deepcopy(page)
    readabilitys = Document(page)
    readabilitys.html = copy.deepcopy(page)

    ours.transform_misused_divs_into_paragraphs()
    Document.transform_misused_divs_into_paragraphs(readabilitys)

    assert etree.tostring(ours.html) == etree.tostring(readabilitys.html)
    assert etree.tostring(ours.html) != etree.tostring(page)


def test_article_rendered_by_a_script_is_read_from_its_noscript_copy():
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY[:3])
    html = (
        "<html><head><title>Ferry returns</title></head><body><h1>Ferry returns</h1>"
        "<div class='post-body' itemprop='articleBody'>"
        f"<script type='text/template'>{story}<p>Only the script holds this line.</p></script>"
        f"<noscript>{story}</noscript></div></body></html>"
    )
    tree = parse_html(html)

    body = extract_main_text(tree)

    assert paragraphs(body) == FERRY_STORY[:3]
    assert tree.find(".//noscript") is not None  # the caller's tree is left as it was


def test_readability_prose_is_added_when_it_shares_only_part_of_trafilaturas_text(monkeypatch):
    # readability holds the last of trafilatura's four paragraphs (a quarter of its text) and the
    # three after it: the two found the same story, each a different part of it.
    monkeypatch.setattr(tasks.extract.main_text, "readability_paragraphs", lambda tree: FERRY_STORY[3:])

    body = extract_main_text(split_story_page())

    assert paragraphs(body) == FERRY_STORY
    assert body.extractor == "trafilatura+readability"


def test_prose_set_in_divs_and_line_breaks_is_found_when_every_extractor_misses_it(monkeypatch):
    monkeypatch.setattr(tasks.extract.main_text, "bare_extraction", lambda *args, **kwargs: None)
    monkeypatch.setattr(tasks.extract.readability_paragraphs.Document, "summary", lambda *args, **kwargs: "")
    steps = "".join(
        f"<div class='step'>{p}<br><br>{q}</div>" for p, q in zip(FERRY_STORY[:4:2], FERRY_STORY[1:4:2], strict=True)
    )
    html = (
        "<html><head><title>Ferry</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div class='tip'><div class='short'>Tip of the day</div>{steps}</div>"
        "<div class='comments'><div>" + FERRY_STORY[5] + "</div></div><footer>Bay Courier</footer></body></html>"
    )

    body = extract_main_text(html)

    assert paragraphs(body) == FERRY_STORY[:4]  # prose only: no label, no reader comment
    assert body.extractor == "fallback"


def test_hover_card_in_a_sentence_is_not_glued_into_it():
    card = (
        "<span class='person'><a href='/people/ana-silva'>Ana Silva</a><span class='card'><span>"
        "<a href='/people/ana-silva'>Ana Silva</a> <a href='/a/1'>Harbour fees rise again</a>"
        " <a href='/a/2'>Island school reopens after repairs</a> <a href='/people/ana-silva'>MORE</a>"
        "</span></span></span>"
    )
    story = [
        f"<p>The harbour master {card} (Port Authority) said the first crossing of the morning was full.</p>",
        *(f"<p>{p}</p>" for p in FERRY_STORY[1:4]),
    ]
    html = f"<html><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>{''.join(story)}</article></body></html>"
    tree = parse_html(html)

    body = extract_main_text(tree)

    assert (
        paragraphs(body)[0]
        == "The harbour master Ana Silva (Port Authority) said the first crossing of the morning was full."
    )
    assert "Harbour fees" not in body.text
    assert tree.find(".//span[@class='card']") is not None  # the caller's tree is left as it was


def test_subheading_holding_contents_anchors_is_kept_before_its_paragraph():
    # Empty anchor spans a table-of-contents plugin puts in every heading: precision mode drops it.
    heading = (
        "<h2><span class='toc-section' id='commuters'></span>What changes for commuters?"
        "<span class='toc-section-end'></span></h2>"
    )
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY[:3])
    rest = "".join(f"<p>{p}</p>" for p in FERRY_STORY[3:5])
    html = (
        "<html><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>"
        f"{story}{heading}{rest}</article></body></html>"
    )

    body = extract_main_text(html)

    assert paragraphs(body) == [*FERRY_STORY[:3], "What changes for commuters?", *FERRY_STORY[3:5]]
    assert "What changes for commuters?" in body.headings


def test_lead_only_trafilatura_found_is_kept_when_readabilitys_text_wins(monkeypatch):
    # The story is set in spans, which trafilatura leaves out: it finds only the two paragraphs
    # of the lead. readability reads the spans as one paragraph, without the lead above them
    # (its container on many layouts), and wins the vote with more than twice the prose.
    lead, rest = FERRY_STORY[:2], FERRY_STORY[2:]
    spans = "".join(f"<span class='para'>{p}</span>" for p in rest)
    monkeypatch.setattr(tasks.extract.main_text, "readability_paragraphs", lambda tree: ["".join(rest)])
    html = (
        "<html><head><title>Ferry returns</title></head><body><nav><a href='/'>Home</a></nav><h1>Ferry returns</h1>"
        f"<div class='intro'>{''.join(f'<p>{p}</p>' for p in lead)}</div><div class='text'>{spans}</div>"
        "<footer>Bay Courier</footer></body></html>"
    )

    body = extract_main_text(html)

    assert paragraphs(body) == [*lead, " ".join(rest)]  # the spans' sentences set apart
    assert body.extractor == "readability"


def test_page_whose_text_is_only_in_its_noscript_is_read_from_there():
    # A single-page app: an empty root the script fills, and the same text for readers without
    # scripts in a <noscript> outside any article markup.
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY[:3])
    html = (
        "<html><head><title>Ferry</title><noscript><p>Please enable JavaScript.</p></noscript></head><body>"
        "<h1>Ferry returns</h1><div id='root'></div>"
        f"<noscript>{story}<script>window.app = 'Only the script holds this line.'</script></noscript>"
        "</body></html>"
    )
    tree = parse_html(html)

    body = extract_main_text(tree)

    assert paragraphs(body) == FERRY_STORY[:3]
    assert tree.find(".//noscript") is not None  # the caller's tree is left as it was


def test_a_bare_noscript_notice_is_not_taken_for_the_text():
    html = "<html><body><div id='root'></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>"

    assert extract_main_text(html).text == ""


@pytest.mark.parametrize(
    "box",
    [
        "<div class='post-author-bio'><p>Jane Doe studied marine biology before she joined the Bay Courier"
        " in 2015, where she has covered the harbour, the ferries and the island ever since.</p></div>",
        "<section class='newsletter-form'><h3>Bay Courier Newsletter</h3><p>Sign up to get the best stories"
        " of the week, and local deals, as picked by the editors.</p></section>",
        "<p class='postmetadata'>This entry was posted on Tuesday, May 6th, 2014 at 11:30 pm and is filed"
        " under Harbour, Ferries. You can follow any responses to this entry through the RSS 2.0 feed.</p>",
    ],
)
def test_author_bio_newsletter_and_filing_boxes_in_the_article_are_left_out(box):
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY)
    html = (
        "<html><head><title>Ferry returns</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Ferry returns</h1><div class='entry-content'>{story}</div>{box}</article>"
        "<footer>Bay Courier</footer></body></html>"
    )

    assert paragraphs(extract_main_text(html)) == FERRY_STORY


def test_a_wrapper_named_like_a_box_is_not_left_out():
    story = "".join(f"<p>{p}</p>" for p in FERRY_STORY)
    html = (
        "<html><head><title>Ferry returns</title></head><body><div class='page has-newsletter-popup'>"
        f"<article><h1>Ferry returns</h1>{story}</article></div></body></html>"
    )

    assert paragraphs(extract_main_text(html)) == FERRY_STORY


TIPS = [
    "Buy your ticket at the pier office or on the operator's website.",
    "Arrive ten minutes before the crossing.",
    "Bicycles travel free on weekdays.",
]


def story_with_block(block: str) -> str:
    """The ferry story with ``block`` between its fourth and fifth paragraphs."""
    before, after = ("".join(f"<p>{p}</p>" for p in part) for part in (FERRY_STORY[:4], FERRY_STORY[4:]))
    return (
        "<html><head><title>Ferry returns</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Ferry returns</h1>{before}{block}{after}</article><footer>Bay Courier</footer></body></html>"
    )


def trafilatura_dropping(monkeypatch, xpath: str) -> None:
    """trafilatura leaves out the elements ``xpath`` finds, as its precision mode does with some
    lists and tables inside an article."""
    real = tasks.extract.main_text.bare_extraction
    monkeypatch.setattr(
        tasks.extract.main_text,
        "bare_extraction",
        lambda *args, **kwargs: real(
            *args, **{**kwargs, "prune_xpath": [*filter(None, [kwargs["prune_xpath"]]), xpath]}
        ),
    )


@pytest.mark.parametrize(
    ("block", "text"),
    [
        ("<ul>" + "".join(f"<li>{tip}</li>" for tip in TIPS) + "</ul>", "\n".join(TIPS)),
        (
            "<table><tr><th>Start</th><td>13 May, 11:00</td></tr><tr><th>Place</th><td>North pier</td></tr></table>",
            "Start | 13 May, 11:00\nPlace | North pier",
        ),
        (
            "<dl><dt>Start:</dt><dd>13 May, 11:00</dd><dt>Place:</dt><dd>North pier</dd></dl>",
            "Start:\n13 May, 11:00\nPlace:\nNorth pier",
        ),
    ],
)
def test_list_or_table_between_two_story_paragraphs_is_kept(monkeypatch, block, text):
    trafilatura_dropping(monkeypatch, "//ul | //table | //dl")

    body = extract_main_text(story_with_block(block))

    assert paragraphs(body) == [*FERRY_STORY[:4], text, *FERRY_STORY[4:]]


@pytest.mark.parametrize(
    "block",
    [
        "<ul>" + "".join(f"<li><a href='/story/{i}'>{tip}</a></li>" for i, tip in enumerate(TIPS)) + "</ul>",  # teasers
        f"<table><tr><td>{FERRY_STORY[0]} {FERRY_STORY[1]}</td></tr></table>",  # layout, not facts
    ],
)
def test_link_lists_and_layout_tables_between_paragraphs_are_not_added(monkeypatch, block):
    trafilatura_dropping(monkeypatch, "//ul | //table")

    body = extract_main_text(story_with_block(block))

    assert paragraphs(body) == FERRY_STORY


def test_blocks_set_apart_by_style_alone_are_not_glued_into_one_sentence():
    # A link box: a headline span and a link, shown as two lines by the site's style sheet.
    box = (
        "<p><span class='linkbox'><strong><span class='linkbox-headline'>The Courier is now digital!</span></strong>"
        "<a href='/register'>Register here for the digital edition.</a></span></p>"
    )
    html = story_with_block(box)

    body = extract_main_text(html)

    assert "The Courier is now digital! Register here for the digital edition." in paragraphs(body)


@pytest.mark.parametrize("text", ["Theater St.Gallen", "write to Dr.Meinhard", "at www.BayCourier.com today"])
def test_abbreviations_and_web_addresses_are_not_set_apart(text):
    html = story_with_block(f"<p>The tickets are sold at the pier office and online, {text}, and on the ferry.</p>")

    assert f"The tickets are sold at the pier office and online, {text}, and on the ferry." in paragraphs(
        extract_main_text(html)
    )


def test_boxes_are_found_as_one_xpath_testing_every_elements_names_finds_them():
    # The XPath the boxes were first found by (commit 8d1cb91): the faster search must find the same.
    words = ("author", "meta", "newsletter")
    reference = etree.XPath(
        "//body//*[@class or @id]["
        + " or ".join(f"contains(concat(@class, @id), '{word}')" for word in words)
        + "]["
        + " or ".join(f"contains(@class, '{name}') or contains(@id, '{name}')" for name in NOT_ARTICLE_BOXES)
        + "][string-length(.) < 1000]"
    )
    html = (
        "<html><head><meta name='author' content='Jane Doe'><title class='newsletter'>Ferry</title></head><body>"
        "<div class='entry-content'><p class='newsletter-teaser'>Sign up</p><p>Story</p>"
        "<div id='author-box'><span class='author-bio'>Jane Doe</span><!-- newsletter --></div>"
        "<div class='Author-Box'>Upper case is not a box</div><div class='entry-metadata'>Filed</div>"
        f"<section class='has-newsletter-popup'>{'Long text. ' * 100}</section>"
        "<div class='author' id='postmetadata'>Posted in Harbour</div></div>"
        "<footer class='site-footer' id='newsletter'><script>var newsletter = 1;</script>Footer</footer></body></html>"
    )
    tree = lxml.html.document_fromstring(html)

    found = etree.XPath(tasks.extract.main_text._not_article_boxes(tree))(tree)

    assert found == reference(tree)
    assert [element.get("class") or element.get("id") for element in found] == [
        "newsletter-teaser",
        "author-box",
        "author-bio",
        "entry-metadata",
        "author",
        "site-footer",
    ]
    assert tasks.extract.main_text._not_article_boxes(lxml.html.document_fromstring("<p class='story'>Hi</p>")) is None


def forum_thread_page(*, declared: bool, article: bool = False) -> str:
    """A forum thread of eight posts in XenForo's markup; ``declared``: with its JSON-LD
    DiscussionForumPosting; ``article``: with a JSON-LD NewsArticle too (the posts are then the
    comments under an article)."""
    posts = [
        "Hello, my cat sleeps on a beige window bench at night, and for a few days now there have been black"
        " crumbs all over its cover every single morning. I wet the crumbs to see whether they were flea dirt,"
        " but they were not, so I wonder where they come from.",
        "Does he go outside during the day? Mine roll in the flower beds and bring half the garden home with"
        " them, especially the beggars who have been waiting at the door since five in the morning.",
        "Ours did the same last autumn. It was soil from the neighbour's vegetable patch, and it stopped once"
        " the patch was covered for the winter. Brushing him in the evening helped as well.",
        "He does go out, from seven until late in the afternoon. I never thought of the flower beds, but the"
        " crumbs do look like dry soil when I rub them between my fingers.",
        "Check the window sill outside as well. Our tomcat liked to lie in the old flower box under the window"
        " and carried the potting soil into the bedroom every night for weeks.",
        "That would explain the crumbs on the cover and a clean belly: the soil sits in the fur of the back and"
        " the tail, where you do not see it when you stroke him in the evening.",
        "You were right. There is an old flower box behind the shed, and he lies in it every afternoon. I"
        " covered it with a board yesterday and this morning the bench was clean.",
        "Put a towel on the bench and look at it in the morning before you shake it out. If the crumbs turn"
        " reddish on a wet paper towel it is flea dirt after all, otherwise it is just the garden.",
    ]
    thread = "".join(
        f'<article class="message message--post"><div class="message-cell message-cell--user">'
        f'<h4 class="message-name"><a href="/members/{n}/">member{n}</a></h4></div>'
        f'<div class="message-cell message-cell--main"><header class="message-attribution">'
        f'<time datetime="2018-09-2{n}">Sep 2{n}, 2018</time></header><div class="message-content">'
        f'<article class="message-body"><div class="bbWrapper">{text}</div></article></div>'
        f'<footer class="message-footer"><a href="#">Like</a> <a href="#">Reply</a></footer></div></article>'
        for n, text in enumerate(posts)
    )
    jsonld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "DiscussionForumPosting",'
        ' "headline": "Cat sheds black crumbs every night", "author": {"@type": "Person", "name": "member0"}}</script>'
    )
    if article:
        jsonld += (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Cat sheds black crumbs"}</script>'
        )
    return (
        f"<html><head><title>Cat sheds black crumbs every night | Cat Forum</title>{jsonld if declared else ''}"
        "</head><body><nav><a href='/'>Forums</a> <a href='/new'>New posts</a></nav><div class='p-body'>"
        f"<h1 class='p-title-value'>Cat sheds black crumbs every night</h1><div class='block-body'>{thread}</div></div>"
        "<div class='block'><h3>Similar threads</h3><ul><li><a href='/t/1'>Fleas again?</a></li></ul></div>"
        "<footer>Cat Forum footer</footer></body></html>"
    )


def test_a_forum_threads_replies_are_its_text_when_the_page_declares_a_thread():
    declared = paragraphs(extract_main_text(forum_thread_page(declared=True)))
    undeclared = extract_main_text(forum_thread_page(declared=False)).text

    assert len(declared) == 8  # every post, nothing else: no member names, buttons or similar threads
    assert declared[1].startswith("Does he go outside during the day?")
    assert declared[-1].endswith("otherwise it is just the garden.")
    # without the declaration the replies read as comments under an article: left out
    assert "Does he go outside" not in undeclared and undeclared.startswith("Hello, my cat sleeps")


def test_comments_under_an_article_stay_out_when_they_are_marked_up_as_a_thread():
    text = extract_main_text(forum_thread_page(declared=True, article=True)).text

    assert text.startswith("Hello, my cat sleeps") and "Does he go outside" not in text


VIDEO_PAGE_WITH_DIALOGS = """<html><head><title>US sports in times of corona | Mediathek</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<main><div class="content-item"><div class="item-caption"><div class="details">
<h1>US sports in times of corona</h1><span class="teaser-cat">by Andreas Kuerten</span>
<p class="item-description">New York is the epicentre of the corona pandemic in the USA. Sport has come to a standstill too.
The sympathy in the top leagues is great. How the seasons will go on is unclear.</p>
<div>2 min</div><div>04.04.2020</div></div></div></div></main>
<article class="registry-error-modal dark-modal" id="reg-8"><div class="inner"><h2 class="modal-headline">Oops, the registration failed</h2>
<p>Your registration has unfortunately failed. Please delete your browsing history and your cookies and then click the confirmation link again.</p></div></article>
<article class="age-check-modal dark-modal"><div class="inner"><h2 class="modal-headline">Verify your age?</h2>
<p>To watch programmes with an age restriction at any time of day, you can verify your age now. You need your identity document for this.</p>
<p>Note: the existing password must be at least 8 characters long and contain a capital letter, a digit and a special character.</p></div></article>
<footer>Mediathek footer</footer></body></html>"""


def test_dialogs_are_no_article_text():
    body = extract_main_text(VIDEO_PAGE_WITH_DIALOGS)

    assert "New York is the epicentre of the corona pandemic in the USA." in body.text
    assert "registration" not in body.text and "password" not in body.text


@pytest.mark.parametrize(
    ("markup", "is_dialog"),
    [
        ("<dialog open><p>Sign in</p></dialog>", True),
        ("<div role='dialog'><p>Sign in</p></div>", True),
        ("<div aria-modal='true'><p>Sign in</p></div>", True),
        ("<div class='login-modal fade'><p>Sign in</p></div>", True),
        ("<div class='modal'><p>Sign in</p></div>", True),
        ("<div class='modal-open-button'><p>Sign in</p></div>", False),  # a button that opens one
        ("<div class='modal'><h1>The article, shown in an overlay</h1><p>Text.</p></div>", False),
    ],
)
def test_what_counts_as_a_dialog(markup, is_dialog):
    tree = parse_html(f"<html><body>{markup}<p>Article text.</p></body></html>")

    assert bool(tasks.extract.main_text._dialogs(tree)) is is_dialog
