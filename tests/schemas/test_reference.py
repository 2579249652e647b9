from schemas.expectations import articles_suite
from schemas.reasons import Reason, Stage
from schemas.reference import REFERENCE_PATH, render_reference
from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA


def test_schemas_readme_is_up_to_date():
    assert REFERENCE_PATH.read_text(encoding="utf-8") == render_reference(), (
        "schemas/README.md is out of date: run `.venv/bin/python -m schemas.reference`"
    )


def test_reference_describes_every_column_reason_stage_and_expectation():
    reference = render_reference()
    for schema in (ARTICLES_SCHEMA, QUARANTINE_SCHEMA):
        for field in schema:
            description = field.metadata[b"description"].decode()
            assert description and f"| `{field.name}` |" in reference and description in reference
    for coded in (*Reason, *Stage):
        assert coded.meaning and f"| `{coded}` | {coded.meaning} |" in reference
    expectation_rows = [line for line in reference.splitlines() if line.startswith("| `expect_")]
    assert len(expectation_rows) == len(articles_suite().expectations)


def test_reason_codes_are_unique_and_stable_strings():
    codes = [str(reason) for reason in Reason]
    assert len(codes) == len(set(codes))
    assert Reason("missing_field:text") is Reason.MISSING_TEXT and str(Reason.EMPTY_BODY) == "empty_body"
