"""One REF grammar for every command (docs/cli.md): the number, an arXiv id or any URL that
names one, a DOI in any form, a citation key, `-`; text that is no REF says what to do."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")

ARXIV_FORMS = (
    "1706.03762",
    "1706.03762v5",
    "arXiv:1706.03762",
    "https://arxiv.org/abs/1706.03762",
    "https://arxiv.org/pdf/1706.03762v2.pdf",
    "https://huggingface.co/papers/1706.03762",
    "https://www.alphaxiv.org/abs/1706.03762",
    "https://www.alphaxiv.org/overview/1706.03762v1",
    "https://ar5iv.labs.arxiv.org/html/1706.03762",
    "10.48550/arXiv.1706.03762",
)


def test_every_arxiv_form_names_the_same_paper_in_show_and_add() -> None:
    add_offline("1706.03762")
    for form in ARXIV_FORMS:
        assert as_json("show", form)["id"] == 1, form
    out = ok("add", "https://huggingface.co/papers/1706.03762", "--no-fetch")
    assert out.startswith("Already in the library: [1] 1706.03762")


def test_a_doi_names_the_paper_in_every_form() -> None:
    ok("add", "--title", "A paper", "--url", "https://e.org/p")
    ok("edit", "1", "--doi", "10.1145/3184558.3186235")
    for form in (
        "10.1145/3184558.3186235",
        "doi:10.1145/3184558.3186235",
        "https://doi.org/10.1145/3184558.3186235",
        "10.1145/3184558.3186235".upper(),
    ):
        assert as_json("show", form)["id"] == 1, form
    ok("mark-read", "doi:10.1145/3184558.3186235")
    assert as_json("show", "1")["status"] == "read"


def test_an_unknown_doi_is_no_paper() -> None:
    add_offline("1706.03762")
    result = run("show", "10.1000/nothing")
    assert result.exit_code == 1
    assert result.stderr == "Error: no paper '10.1000/nothing' in the library\n"


def test_a_title_is_no_ref_and_the_error_says_what_to_do() -> None:
    add_offline("1706.03762")
    for command in (["show"], ["add"], ["mark-read"]):
        result = run(*command, "Attention is all you need")
        assert result.exit_code == 2, command
        line = result.stderr
        assert line.count("\n") == 1 and line.startswith("Error: "), line
        assert "add --title" in line and "search" in line
        assert line.count("Attention is all you need") == 1


def test_add_of_a_non_id_writes_nothing() -> None:
    result = run("add", "1706.03762", "not an id", "--no-fetch")
    assert result.exit_code == 2
    assert "is not a REF" in result.stderr
    assert run("list", "--json").stdout.strip() in ("", "[]")


def test_an_openreview_address_says_to_add_by_title() -> None:
    result = run("add", "https://openreview.net/forum?id=rJ4km2R5t7")
    assert result.exit_code == 2
    assert "add --title ... --url" in result.stderr


def test_refs_from_stdin_take_every_form() -> None:
    add_offline("1706.03762", "1510.00149")
    ok("mark-read", "-", input="https://huggingface.co/papers/1706.03762\n2\n")
    assert [p["status"] for p in as_json("list", "--sort", "added")] == ["read", "read"]
