import json

import lxml.html

from tasks.extract.html_page import parse_html
from tasks.extract.jsonld import MAX_JSONLD_CHARS, jsonld_articles, jsonld_blocks, objects_by_id, resolve


def page_with(*blocks: object, script_type: str = "application/ld+json") -> lxml.html.HtmlElement:
    """A parsed page with one JSON-LD script per block: objects as JSON, strings as they are."""
    scripts = "".join(
        f'<script type="{script_type}">{block if isinstance(block, str) else json.dumps(block)}</script>'
        for block in blocks
    )
    tree = parse_html(f"<html><head>{scripts}</head><body><p>Story text.</p></body></html>")
    assert tree is not None
    return tree


def test_jsonld_article_found_in_a_list_with_a_prefixed_type():
    article = {"@type": ["schema:ReportageNewsArticle"], "headline": "Pier reopens"}

    assert jsonld_articles(page_with([{"@type": "BreadcrumbList"}, article])) == [article]


def test_jsonld_article_typed_with_schema_orgs_type_alias_is_found():
    # schema.org's context maps "type" to "@type"
    article = {"@context": "http://schema.org", "type": "Article", "datePublished": "Thu, 08 May 2014 14:04:53 -0400"}

    assert jsonld_articles(page_with(article)) == [article]


def test_articles_in_graph_and_main_entity_are_found_but_not_referenced_ones():
    story = {"@type": "NewsArticle", "headline": "Pier reopens"}
    related = {"@type": "NewsArticle", "headline": "Ferry fares rise"}
    graph = {"@graph": [{"@type": "ItemList", "itemListElement": [related]}, story]}
    page = {"@type": "WebPage", "mainEntity": story, "isPartOf": {"@type": "Blog", "blogPost": related}}

    assert jsonld_articles(page_with(graph, page)) == [story, story]


def test_script_type_is_matched_whatever_its_case():
    article = {"@type": "NewsArticle", "headline": "Pier reopens"}

    assert jsonld_articles(page_with(article, script_type="Application/LD+JSON")) == [article]


def test_broken_jsonld_is_skipped_and_the_other_blocks_kept():
    before, after = {"@type": "WebSite"}, {"@type": "NewsArticle", "headline": "Pier reopens"}

    assert jsonld_blocks(page_with(before, '{"@type": "NewsArticle", "headline": ', after)) == [before, after]


def test_raw_newlines_inside_strings_are_accepted():
    block = '{"@type": "NewsArticle", "articleBody": "First line.\nSecond line."}'

    assert jsonld_blocks(page_with(block)) == [{"@type": "NewsArticle", "articleBody": "First line.\nSecond line."}]


def test_jsonld_larger_than_the_cap_is_ignored():
    oversized = {"@type": "NewsArticle", "headline": "From JSON-LD", "articleBody": "x" * MAX_JSONLD_CHARS}

    assert jsonld_articles(page_with(oversized)) == []


def test_references_resolve_to_the_fullest_object_with_that_id():
    stub = {"@id": "#publisher", "@type": "Organization"}
    full = {"@id": "#publisher", "@type": "Organization", "name": "Bay Courier", "url": "https://baycourier.example"}
    by_id = objects_by_id([{"@graph": [stub, {"@type": "NewsArticle", "publisher": full}]}])

    assert by_id == {"#publisher": full}
    assert resolve({"@id": "#publisher"}, by_id) == full


def test_named_objects_unknown_references_and_strings_are_left_as_they_are():
    by_id = {"#publisher": {"@id": "#publisher", "name": "Bay Courier"}}
    named = {"@id": "#publisher", "name": "The Bay Courier"}

    assert resolve(named, by_id) is named
    assert resolve({"@id": "#nobody"}, by_id) == {"@id": "#nobody"}
    assert resolve("Bay Courier", by_id) == "Bay Courier"
