"""Linked bibliographies through the real CLI, on SQLite and PostgreSQL: after every kind
of change a linked file is what a fresh export of its selection writes, byte for byte;
files the change does not touch are not rewritten; a file edited by hand is left alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.arxiv_stub import ArxivStub, echo_papers
from tests.support.cli import ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and PostgreSQL

MANUSCRIPT = DATA / "manuscript"
OLD = 1_000_000_000  # an mtime long past: a rewrite would change it


def fresh(topic: str, fmt: str = "bibtex") -> str:
    return ok("export", "-t", topic, "-f", fmt, "--fields", "paper", "--sort", "key")


def freeze(path: Path) -> None:
    os.utime(path, (OLD, OLD))


def untouched(path: Path) -> bool:
    return path.stat().st_mtime == OLD


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """refs.bib linked to topic thesis (the manuscript's four papers), other.bib to topic
    other (one paper of its own)."""
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    ok("add", "--title", "An Unrelated Paper", "--year", "2001", "-t", "other")
    refs, other = tmp_path / "refs.bib", tmp_path / "other.bib"
    out = ok("bib", "link", str(refs), "-t", "thesis")
    assert "4 entries" in out
    ok("bib", "link", str(other), "-t", "other")
    return refs, other


def test_a_linked_file_is_a_fresh_export_after_every_change(
    linked: tuple[Path, Path], tmp_path: Path, arxiv: ArxivStub
) -> None:
    refs, other = linked
    assert refs.read_text(encoding="utf-8") == fresh("thesis")
    assert "abstract" not in refs.read_text(encoding="utf-8")  # the "paper" fields
    freeze(other)

    def check(*command: str) -> None:
        freeze(refs)
        ok(*command)
        assert refs.read_text(encoding="utf-8") == fresh("thesis"), command
        assert untouched(other), command  # its selection was not touched

    check("edit", "lecun2015deep", "--pages", "436-445")
    assert "pages = {436--445}" in refs.read_text(encoding="utf-8")
    check("add", "--title", "Batch Normalization", "--year", "2015", "-t", "thesis")
    assert "Batch Normalization" in refs.read_text(encoding="utf-8")
    check("untag", "kingma2014adam", "thesis")
    assert "kingma2014adam" not in refs.read_text(encoding="utf-8")
    check("tag", "kingma2014adam", "thesis")
    check("remove", "goodfellow2016deep", "--yes")
    assert "goodfellow2016deep" not in refs.read_text(encoding="utf-8")
    check("undo")
    assert "@book{goodfellow2016deep," in refs.read_text(encoding="utf-8")
    duplicate = tmp_path / "dup.bib"
    duplicate.write_text(
        "@article{lecun2015nature, title={Deep learning (reprint)}, author={LeCun, Yann},"
        " year={2015}}\n",
        encoding="utf-8",
    )
    check("import", str(duplicate), "-t", "thesis")
    assert "lecun2015nature" in refs.read_text(encoding="utf-8")
    check("merge", "lecun2015deep", "lecun2015nature")
    assert "lecun2015nature" not in refs.read_text(encoding="utf-8")
    arxiv.respond_with(echo_papers)
    check("add", "2101.00001", "--no-fetch", "-t", "thesis")
    check("fetch")
    assert "Paper 2101.00001" in refs.read_text(encoding="utf-8")
    # Commands that change nothing linked leave both files alone.
    freeze(refs)
    ok("mark-read", "kingma2014adam")  # the status is no field of an entry
    ok("list")
    assert untouched(refs) and untouched(other)


def test_a_hand_edited_file_is_left_alone_with_a_warning(linked: tuple[Path, Path]) -> None:
    refs, _ = linked
    edited = refs.read_text(encoding="utf-8") + "% my own note\n"
    refs.write_text(edited, encoding="utf-8")
    result = run("edit", "lecun2015deep", "--volume", "522")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and "edited by hand" in warnings[0]
    assert refs.read_text(encoding="utf-8") == edited
    assert "edited by hand" in ok("bib", "list")
    refused = run("bib", "sync")
    assert refused.exit_code == 1 and refs.read_text(encoding="utf-8") == edited
    assert "Wrote" in ok("bib", "sync", "--force")
    assert refs.read_text(encoding="utf-8") == fresh("thesis")
    assert "volume = {522}" in refs.read_text(encoding="utf-8")


def test_link_list_sync_unlink(linked: tuple[Path, Path], tmp_path: Path) -> None:
    refs, other = linked
    listed = ok("bib", "list").splitlines()
    assert listed == [
        f"{other}\tbibtex\ttopic other\t1\tup to date",
        f"{refs}\tbibtex\ttopic thesis\t4\tup to date",
    ]
    refs.unlink()
    assert "missing" in ok("bib", "list")
    assert f"Wrote {refs} (4 entries)" in ok("bib", "sync", str(refs))
    assert "Up to date:" in ok("bib", "sync", str(refs))
    ok("bib", "unlink", str(other))
    ok("edit", "An Unrelated Paper" if False else "5", "--year", "2002")
    assert "2001" in other.read_text(encoding="utf-8")  # no longer followed
    missing = run("bib", "unlink", str(other))
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: ")


def test_linking_refuses_a_file_papertrail_did_not_write(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    mine = tmp_path / "mine.bib"
    mine.write_text("@misc{x, title={Mine}}\n", encoding="utf-8")
    refused = run("bib", "link", str(mine), "-t", "thesis")
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "@misc{x, title={Mine}}\n"
    ok("bib", "link", str(mine), "-t", "thesis", "--force")
    assert mine.read_text(encoding="utf-8") == fresh("thesis")
    unknown = run("bib", "link", str(tmp_path / "x.bib"), "-t", "nosuch")
    assert unknown.exit_code == 1 and "no topic" in unknown.stderr


def test_csl_json_and_biblatex_links(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    ok("add", "2101.00001", "--no-fetch", "-t", "thesis")  # an arXiv preprint, no type
    as_json, as_biblatex = tmp_path / "refs.json", tmp_path / "refs.bib"
    ok("bib", "link", str(as_json), "-t", "thesis")  # csl-json by the extension
    ok("bib", "link", str(as_biblatex), "-t", "thesis", "-f", "biblatex")
    ok("edit", "kingma2014adam", "--title", "Adam")
    assert as_json.read_text(encoding="utf-8") == fresh("thesis", "csl-json")
    assert as_biblatex.read_text(encoding="utf-8") == fresh("thesis", "biblatex")
    text = as_biblatex.read_text(encoding="utf-8")
    assert "@online{" in text and "eprint = {2101.00001},\n  eprinttype = {arxiv}" in text
    assert "@misc{kingma2014adam," in text  # the type its bibliography gave it stays
    assert "journaltitle = {Nature}" in text


def test_a_link_follows_the_keys_a_manuscript_cites(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    aux = tmp_path / "main.aux"
    aux.write_text("\\citation{lecun2015deep}\n", encoding="utf-8")
    refs = tmp_path / "refs.bib"
    ok("bib", "link", str(refs), "--aux", str(aux))
    assert refs.read_text(encoding="utf-8").count("@") == 1
    aux.write_text("\\citation{lecun2015deep,kingma2014adam}\n", encoding="utf-8")
    assert f"Wrote {refs} (2 entries)" in ok("bib", "sync")
    ok("edit", "kingma2014adam", "--year", "2015")
    assert "year = {2015}" in refs.read_text(encoding="utf-8")


# -- bib aux ---------------------------------------------------------------------------------


def test_bib_aux_natbib_writes_the_cited_entries_and_names_the_missing(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    out = tmp_path / "out.bib"
    result = run("bib", "aux", str(MANUSCRIPT / "natbib.aux"), "-o", str(out))
    assert result.exit_code == 1  # a key is missing; the file is written all the same
    text = out.read_text(encoding="utf-8")
    keys = [line[line.index("{") + 1 : -1] for line in text.splitlines() if line.startswith("@")]
    assert keys == ["kingma2014adam", "lecun2015deep", "vaswani2017attention"]
    assert "Warning: not in the library: hintn2006fast" in result.stderr
    assert "Wrote 3 entries" in result.stderr


def test_bib_aux_biblatex_aux_and_bcf_suggest_the_closest_keys(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    for name in ("biblatex.aux", "biblatex.bcf"):
        result = run("bib", "aux", str(MANUSCRIPT / name), "-f", "biblatex")
        assert result.exit_code == 1
        assert "@book{goodfellow2016deep," in result.stdout
        assert "@article{lecun2015deep," in result.stdout
        assert (
            "Warning: not in the library: vaswani2017atention (closest: vaswani2017attention)"
            in result.stderr
        )


def test_bib_aux_from_tex_and_markdown(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    everything = {"goodfellow2016deep", "kingma2014adam", "lecun2015deep", "vaswani2017attention"}
    for name in ("paper.tex", "paper.qmd"):
        out = ok("bib", "aux", "--from-tex", str(MANUSCRIPT / name))
        keys = {line[line.index("{") + 1 : -1] for line in out.splitlines() if "@" in line[:1]}
        assert keys == everything, name
    refused = run("bib", "aux", str(MANUSCRIPT / "paper.tex"))
    assert refused.exit_code == 2 and "--from-tex" in refused.stderr


# -- keys that stay ---------------------------------------------------------------------------


def test_a_key_in_a_linked_file_never_changes_under_a_manuscript(tmp_path: Path) -> None:
    ok("add", "--title", "Inductive Representation Learning", "--year", "2017")
    assert ok("list", "--keys") == "anon2017inductive\n"
    ok("bib", "link", str(tmp_path / "refs.bib"))  # written out: frozen
    result = run("edit", "anon2017inductive", "--authors", "William L. Hamilton")
    assert result.exit_code == 0 and "Note: the key anon2017inductive stays" in result.stderr
    assert ok("list", "--keys") == "anon2017inductive\n"
    assert "@misc{anon2017inductive," in (tmp_path / "refs.bib").read_text(encoding="utf-8")
    result = run("edit", "1", "--key", "hamilton2017inductive")
    assert "the old key anon2017inductive still names this paper" in result.stderr
    assert "hamilton2017inductive" in ok("show", "anon2017inductive")  # an alias


def test_a_key_made_again_is_announced_and_the_old_one_still_names_the_paper(
    tmp_path: Path,
) -> None:
    ok("add", "--title", "Inductive Representation Learning", "--year", "2017")
    ok("export", "-f", "bibtex", "-o", str(tmp_path / "x.bib"))  # an export writes nothing
    result = run("edit", "1", "--authors", "William L. Hamilton")
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: the key anon2017inductive is now hamilton2017inductive; anon2017inductive "
        "still names the paper\n"
    )
    assert ok("list", "--keys") == "hamilton2017inductive\n"
    assert "Hamilton" in ok("show", "anon2017inductive")
    # A manuscript citing the old key still gets its entry, under the key it cites.
    aux = tmp_path / "main.aux"
    aux.write_text("\\citation{anon2017inductive}\n", encoding="utf-8")
    assert ok("bib", "aux", str(aux)).startswith("@misc{anon2017inductive,")
    ok("undo")
    assert ok("list", "--keys") == "anon2017inductive\n"


def test_a_merge_keeps_the_removed_key_for_the_manuscript_citing_it(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    ok("add", "--title", "Deep learning: a review", "--year", "2015", "--authors", "Y. LeCun")
    aux = tmp_path / "main.aux"
    aux.write_text("\\citation{lecun2015deepa}\n", encoding="utf-8")  # the added one
    refs = tmp_path / "refs.bib"
    ok("bib", "link", str(refs), "--aux", str(aux))
    ok("merge", "lecun2015deep", "lecun2015deepa")
    # The manuscript's key still names the paper, and the file keeps it as the entry's key.
    assert "lecun2015deep" in ok("show", "lecun2015deepa")
    text = refs.read_text(encoding="utf-8")
    assert text.startswith("@article{lecun2015deepa,") and "volume = {521}" in text
    ok("undo")
    assert "Y. LeCun" in ok("show", "lecun2015deepa")  # the paper itself again


# -- export, edit and cite ------------------------------------------------------------------


def test_export_takes_refs_and_fields() -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    out = ok("export", "-f", "bibtex", "lecun2015deep", "1412.6980", "--fields", "title,year")
    assert out == (
        "@article{lecun2015deep,\n  title = {{Deep learning}},\n  year = {2015}\n}\n\n"
        "@misc{kingma2014adam,\n  title = {{Adam: A Method for Stochastic Optimization}},\n"
        "  year = {2014}\n}\n\n"
    )
    bad = run("export", "-f", "bibtex", "--fields", "colour")
    assert bad.exit_code == 2 and "no field 'colour'" in bad.stderr
    wrong = run("export", "-f", "csv", "--fields", "paper")
    assert wrong.exit_code == 2
    missing = run("export", "-f", "bibtex", "nosuch2020key")
    assert missing.exit_code == 1 and "nosuch2020key" in missing.stderr


def test_edit_sets_the_entry_type_and_its_fields() -> None:
    ok("add", "--title", "Deep Residual Learning", "--year", "2016", "--authors", "Kaiming He")
    ok("edit", "1", "--type", "inproceedings", "--pages", "770–778", "--publisher", "IEEE")
    ok("edit", "1", "--venue", "Proceedings of CVPR", "--volume", "1", "--number", "2")
    out = ok("export", "-f", "bibtex", "1")
    assert out.startswith("@inproceedings{he2016deep,")
    assert "booktitle = {Proceedings of CVPR}" in out and "pages = {770--778}" in out
    assert "publisher = {IEEE}" in out and "volume = {1}" in out and "number = {2}" in out
    bad = run("edit", "1", "--type", "poem")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: not an entry type")


def test_cite_formats_references_and_citation_commands() -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    apa = ok("cite", "lecun2015deep")
    assert apa == (
        "LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), "
        "436–444. https://doi.org/10.1038/nature14539\n"
    )
    ieee = ok("cite", "lecun2015deep", "kingma2014adam", "--style", "ieee").splitlines()
    assert ieee[0].startswith("[1] Y. LeCun, Y. Bengio, and G. Hinton, “Deep learning”")
    assert ieee[1].startswith("[2] D. P. Kingma and J. Ba")
    assert "*Nature*" in ok("cite", "lecun2015deep", "--format", "markdown")
    assert "<i>Nature</i>" in ok("cite", "lecun2015deep", "--format", "html")
    assert ok("cite", "--key", "lecun2015deep", "1412.6980") == (
        "\\cite{lecun2015deep,kingma2014adam}\n"
    )
    assert ok("cite", "--key", "lecun2015deep", "-f", "markdown") == "[@lecun2015deep]\n"
    bad = run("cite", "lecun2015deep", "--style", "nosuch")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: no style 'nosuch'")
    assert ok("list", "--keys", "--sort", "key").splitlines() == [
        "goodfellow2016deep", "kingma2014adam", "lecun2015deep", "vaswani2017attention",
    ]  # fmt: skip


def test_a_link_follows_its_topic_renamed_or_merged(linked: tuple[Path, Path]) -> None:
    refs, other = linked
    ok("topic", "rename", "thesis", "dissertation")
    assert "topic dissertation\t4" in ok("bib", "list")
    ok("edit", "lecun2015deep", "--volume", "522")
    assert refs.read_text(encoding="utf-8") == fresh("dissertation")
    ok("topic", "merge", "other", "dissertation")
    assert "topic dissertation\t5" in ok("bib", "list").splitlines()[0]
    assert "An Unrelated Paper" in other.read_text(encoding="utf-8")
    ok("topic", "delete", "dissertation", "--yes")
    result = run("edit", "lecun2015deep", "--volume", "523")
    assert "a topic it follows was deleted" in result.stderr
    assert "volume = {522}" in refs.read_text(encoding="utf-8")  # left as it was


def test_a_written_key_survives_an_import_naming_the_paper_otherwise(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    ok("bib", "link", str(tmp_path / "refs.bib"))  # the whole library
    other = tmp_path / "other.bib"
    other.write_text(
        "@article{LeCun2015, title={Deep learning}, author={LeCun, Yann and Bengio, Yoshua},"
        " journal={Nature}, year={2015}, doi={10.1038/nature14539}}\n",
        encoding="utf-8",
    )
    assert "1 already present" in ok("import", str(other))
    assert "lecun2015deep" in ok("list", "--keys")
    assert ok("bib", "list").split("\t")[-1] == "up to date\n"


def test_bib_list_json(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    assert ok("bib", "list", "--json") == "[]\n"
    ok("bib", "link", str(tmp_path / "refs.json"), "-t", "thesis", "--fields", "full")
    (one,) = json.loads(ok("bib", "list", "--json"))
    assert {k: v for k, v in one.items() if k != "written_at"} == {
        "path": str(tmp_path / "refs.json"), "format": "csl-json", "topics": ["thesis"],
        "status": None, "query": None, "aux": [], "fields": "full", "entries": 4,
        "state": "up to date",
    }  # fmt: skip


def test_bib_aux_json_names_what_it_wrote(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"))
    out = tmp_path / "out.bib"
    result = run("bib", "aux", str(MANUSCRIPT / "biblatex.bcf"), "-o", str(out), "--json")
    assert result.exit_code == 1 and result.stderr == ""
    assert json.loads(result.stdout) == {
        "output": str(out), "cited": 3, "written": 2,
        "missing": [{"key": "vaswani2017atention", "closest": ["vaswani2017attention"]}],
    }  # fmt: skip
    assert run("bib", "aux", str(MANUSCRIPT / "biblatex.bcf"), "--json").exit_code == 2


def test_a_linked_file_freezes_the_keys_it_holds_and_no_others(tmp_path: Path) -> None:
    ok("add", "--title", "Inductive Representation Learning", "--year", "2017", "-t", "a")
    ok("add", "--title", "Graph Attention Networks", "--year", "2017", "-t", "b")
    ok("bib", "link", str(tmp_path / "a.bib"), "-t", "a")
    ok("edit", "1", "--authors", "William L. Hamilton")
    ok("edit", "2", "--authors", "Petar Velickovic")
    assert ok("list", "--keys").split() == ["anon2017inductive", "velickovic2017graph"]


def test_a_link_by_status_follows_reading(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    done = tmp_path / "read.bib"
    ok("bib", "link", str(done), "-t", "thesis", "--status", "read")
    assert done.read_text(encoding="utf-8") == ""
    ok("mark-read", "lecun2015deep")
    assert done.read_text(encoding="utf-8").startswith("@article{lecun2015deep,")
    assert done.read_text(encoding="utf-8") == ok(
        "export", "-t", "thesis", "-s", "read", "-f", "bibtex", "--fields", "paper", "--sort", "key"
    )
    ok("mark-unread", "lecun2015deep")
    assert done.read_text(encoding="utf-8") == ""


def test_a_shared_library_rewrites_each_member_s_own_files(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    alice, bob = {"LOGNAME": "alice"}, {"LOGNAME": "bob"}
    refs = tmp_path / "alice-refs.bib"
    ok("bib", "link", str(refs), "-t", "thesis", env=alice)
    freeze(refs)
    result = run("edit", "lecun2015deep", "--volume", "522", env=bob)
    assert result.exit_code == 0 and result.stderr == ""
    assert untouched(refs)  # on bob's machine this path is not alice's file
    assert ok("bib", "list", env=bob) == ""
    assert "out of date" in ok("bib", "list", env=alice)
    ok("bib", "sync", env=alice)
    assert "volume = {522}" in refs.read_text(encoding="utf-8")


def test_links_by_several_topics_and_by_search(tmp_path: Path) -> None:
    ok("import", str(MANUSCRIPT / "refs.bib"), "-t", "thesis")
    ok("add", "--title", "Unrelated Work", "--year", "2001", "-t", "other")
    ok("add", "--title", "Elsewhere Entirely", "--year", "2002", "-t", "third")
    both, searched = tmp_path / "both.bib", tmp_path / "searched.bib"
    assert "5 entries" in ok("bib", "link", str(both), "-t", "thesis", "-t", "other")
    assert "2 entries" in ok("bib", "link", str(searched), "-t", "thesis", "--query", "deep")
    ok("edit", "Unrelated Work" if False else "5", "--year", "2003")
    assert "year = {2003}" in both.read_text(encoding="utf-8")
    freeze(both)
    ok("edit", "6", "--year", "2004")  # in neither file
    assert untouched(both)
    ok("edit", "kingma2014adam", "--title", "Adam: Deep Stochastic Optimization")
    assert "kingma2014adam" in searched.read_text(encoding="utf-8")  # the search now finds it


def test_cite_escapes_only_for_html() -> None:
    ok("add", "--title", "Attention & <Is> All", "--year", "2017", "--authors", "Ann Lee")
    assert ok("cite", "1") == "Lee, A. (2017). Attention & <Is> All.\n"
    assert "Attention &amp; &lt;Is&gt; All" in ok("cite", "1", "-f", "html")
    assert ok("cite", "1", "-f", "markdown") == "Lee, A. (2017). *Attention & <Is> All*.\n"
