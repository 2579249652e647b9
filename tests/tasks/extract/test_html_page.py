import pytest

from tasks.extract.html_page import page_tree, parse_html


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
