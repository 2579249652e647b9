import copy

import lxml.html
import pytest

from tasks.extract.html_page import elements_after, page_tree, parse_html, spaced_text


@pytest.mark.parametrize("html", ["", "  \n\t "])
def test_empty_document_has_no_tree(html):
    assert parse_html(html) is None
    assert page_tree(html) is None


def test_a_parsed_page_is_passed_through_and_text_is_parsed():
    tree = parse_html("<html><body><p>Story text.</p></body></html>")

    assert tree is not None and page_tree(tree) is tree
    assert page_tree(None) is None
    assert page_tree("<p>Story text.</p>").findtext(".//p") == "Story text."


@pytest.mark.parametrize(
    "declaration",
    ['<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'],
)
def test_a_declared_charset_does_not_re_decode_the_text(declaration):
    tree = parse_html(f"<html><head>{declaration}</head><body><p>Café — naïve Ærø</p></body></html>")

    assert tree.findtext(".//p") == "Café — naïve Ærø"


def test_an_xml_declaration_does_not_re_decode_the_text():
    tree = parse_html('<?xml version="1.0" encoding="latin-1"?><html><body><p>Ærø</p></body></html>')

    assert tree.findtext(".//p") == "Ærø"


def test_comments_and_processing_instructions_are_not_in_the_tree():
    tree = parse_html("<html><body><!-- tracking --><p>Story<?php echo 1 ?> text.</p></body></html>")

    assert [element.tag for element in tree.iter()] == ["html", "body", "p"]
    assert tree.findtext(".//p") == "Story text."


def test_every_element_is_an_html_element_form_fields_and_copies_too():
    tree = parse_html(
        "<html><body><form><label>Name <input name=q value=x></label><select><option>A</option></select>"
        "<textarea>Note</textarea></form><p>Story text.</p></body></html>"
    )

    assert {type(element) for element in tree.iter()} == {lxml.html.HtmlElement}
    assert {type(element) for element in copy.deepcopy(tree).iter()} == {lxml.html.HtmlElement}
    tree.find(".//form").drop_tree()  # a form is an HtmlElement with lxml.html's methods, as any element
    assert tree.text_content() == "Story text."


def test_external_entities_are_never_loaded():
    tree = parse_html('<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]><p>&secret;</p>')

    assert "root:" not in tree.text_content()


def test_nesting_deeper_than_the_parser_allows_is_cut_without_a_crash():
    tree = parse_html("<html><body>" + "<div>" * 100_000 + "<p>Deep story.</p>" + "</div>" * 100_000 + "</body></html>")

    assert tree is not None
    assert max(len(list(element.iterancestors())) for element in tree.iter()) < 1_000
    assert "Deep story." not in tree.text_content()


def test_characters_xml_forbids_are_taken_out_so_element_text_can_be_rewritten():
    tree = parse_html("<html><body><p>Big\x1d news\x07 today\x0bat \ufffenoon.</p></body></html>")
    paragraph = tree.find(".//p")

    assert paragraph.text == "Big  news today at noon."
    paragraph.text = "\n\n" + paragraph.text  # what readers of the page do; lxml refuses such characters


# Found two ways (see html_page._XML_FORBIDDEN_BYTES): each one alone, in a text of one byte a
# character, of two and of four (U+FFFE and U+FFFF need two at least).
@pytest.mark.parametrize("forbidden", ["\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ufffe", "\uffff"])
@pytest.mark.parametrize("width", ["é", "ж", "😀"], ids=["latin-1", "two-byte", "four-byte"])
def test_each_character_xml_forbids_is_found_alone_whatever_the_text_holds(forbidden, width):
    tree = parse_html(f"<html><body><p>Caf{width} news{forbidden} today.</p></body></html>")
    paragraph = tree.find(".//p")

    space = " " if forbidden in "\x0b\x0c\x1f" else ""  # as normalize_text would make whitespace
    assert paragraph.text == f"Caf{width} news{space} today."
    paragraph.text = "\n\n" + paragraph.text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/contributor/molly-wood">Molly Woo<span class="last-letter">d</span></a>', "Molly Wood"),
        ("<p>Wi<b>l</b>l Knight</p>", "Will Knight"),  # a letter styled inside a word
        ("<div><span>By</span><a>Jane Doe</a></div>", "By Jane Doe"),  # elements' texts are spaced
        ("<div>Houzz Deutschland<span>vor 2 Tagen</span></div>", "Houzz Deutschland vor 2 Tagen"),  # CSS spaces them
        ("<ul><li>news</li><li>s</li></ul>", "news s"),  # a block's letter is no part of the word before
        ("<p>Woo<!-- a comment -->d <i>x</i></p>", "Wood x"),  # a comment is no boundary
        ("<h3><span>Title</span><style>.box{left:15%}</style> <script>go()</script></h3>", "Title"),  # shows nothing
    ],
)
def test_spaced_text_spaces_elements_but_keeps_a_styled_letter_in_its_word(html, expected):
    assert spaced_text(lxml.html.fromstring(html)) == expected


def test_spaced_text_reads_elements_nested_deeper_than_python_recurses():
    element = node = lxml.html.fromstring("<section></section>")
    for _ in range(5000):  # built by hand: the parser itself cuts nesting this deep
        node = lxml.html.etree.SubElement(node, "div")
    node.text = "text"

    assert spaced_text(element) == "text"


def test_elements_after_are_the_next_elements_in_document_order_up_to_the_limit():
    tree = parse_html(
        "<html><body><div><h1>Title</h1><p>By <a>Ann</a></p><!-- a comment --></div>"
        "<section><p>One</p><p>Two</p></section><footer>End</footer></body></html>"
    )
    headline = tree.find(".//h1")

    after = [element.tag for element in elements_after(headline, 10)]
    assert after == ["p", "a", "section", "p", "p", "footer"]  # its block's rest, then the blocks after it
    assert [element.tag for element in elements_after(headline, 3)] == ["p", "a", "section"]
