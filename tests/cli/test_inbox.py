"""`papertrail feed` and `papertrail inbox` through the real CLI, arXiv played on 127.0.0.1."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from papertrail import __version__
from papertrail.db.opening import open_store
from tests.support import paths
from tests.support.arxiv_stub import RSS_TYPE, ArxivStub, atom_feed, echo_papers
from tests.support.cli import as_json, ok, run, run_process
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

DATA = paths.DATA / "arxiv"
MIXED = (
    DATA / "rss_mixed.xml"
)  # cs.LG + hep-th, 2026-10-06: new, new, cross, replace, replace-cross


# An empty library has nothing to rank by: the inbox says so, in arXiv's order (issue 23).
NOT_RANKED = (
    "Warning: not ranked (arXiv's order): no topic of the library has a paper with a "
    "title or abstract to learn from; `papertrail inbox add N -t TOPIC` files some\n"
)


def serve_feed(stub: ArxivStub, path: Path) -> None:
    stub.queue(200, path.read_bytes(), {"Content-Type": RSS_TYPE})


def rows(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines()]


def follow_quantization_and_hep_th() -> None:
    ok("feed", "add", "cs.LG", "--keyword", "quantiz", "-t", "quantization")
    ok("feed", "add", "hep-th")


# -- feeds ----------------------------------------------------------------------------------


def test_feed_add_list_remove() -> None:
    out = ok("feed", "add", "cs.lg", "STAT.ML", "-k", "pruning", "-k", "sparse  coding",
             "-a", "Hinton", "-t", "Model Compression")  # fmt: skip
    assert out == (
        "Following [1] cs.LG stat.ML; keywords: pruning, sparse coding; authors: Hinton; "
        "topic: model-compression\n"
    )
    ok("feed", "add", "math")
    assert rows(ok("feed", "list")) == [
        ["1", "cs.LG stat.ML", "pruning; sparse coding", "Hinton", "model-compression"],
        ["2", "math", "", "", "-"],
    ]
    feeds = as_json("feed", "list")
    assert feeds[0]["categories"] == ["cs.LG", "stat.ML"] and feeds[1]["keywords"] == []
    assert ok("feed", "remove", "1") == (
        "Stopped following [1] cs.LG stat.ML; keywords: pruning, sparse coding; "
        "authors: Hinton; topic: model-compression\n"
    )
    assert rows(ok("feed", "list")) == [["2", "math", "", "", "-"]]


def test_a_removed_feed_comes_back_with_undo_and_an_added_one_goes() -> None:
    ok("feed", "add", "cs.LG", "-k", "pruning", "-a", "Hinton", "-t", "compression")
    ok("feed", "add", "math")
    before = as_json("feed", "list")
    ok("feed", "remove", "1")
    assert [entry["summary"] for entry in as_json("log")][:2] == [
        "removed feed 1",
        "followed feed 2: math",
    ]
    assert ok("undo").startswith("Undid #3 feed remove: removed feed 1\n")
    assert as_json("feed", "list") == before  # what the user typed, all of it, same id
    ok("undo")  # the second add
    assert [feed["id"] for feed in as_json("feed", "list")] == [1]


def test_a_removed_feed_number_is_never_given_again() -> None:
    ok("feed", "add", "cs.LG")
    ok("feed", "add", "math")
    ok("feed", "remove", "2")
    # A new number: a `feed remove 2` typed from memory must not hit another feed.
    assert ok("feed", "add", "hep-th").startswith("Following [3] hep-th")
    ok("undo", "3")  # back to before the removal: the add goes, feed 2 comes back
    assert [(f["id"], f["categories"]) for f in as_json("feed", "list")] == [
        (1, ["cs.LG"]), (2, ["math"]),
    ]  # fmt: skip
    assert ok("feed", "add", "q-bio").startswith("Following [4] q-bio")


def test_feed_input_errors_change_nothing() -> None:
    for args, message in [
        (["add", "cs.XX"], "not an arXiv category: 'cs.XX' (did you mean"),
        (["add", "cs.LG", "--keyword", "  "], "--keyword cannot be empty"),
        (["add"], "Missing argument"),
        (["remove", "7"], "no feed 7"),
        (["remove", "x"], "x"),
    ]:
        result = run("feed", *args)
        assert result.exit_code in (1, 2) and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert (
        ok("feed", "list") == "No feeds followed: `papertrail feed add CATEGORY...` follows one.\n"
    )


# -- the inbox ------------------------------------------------------------------------------


def test_one_request_for_every_category_and_the_filters_applied(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_RSS", arxiv.rss_url + "/")  # the slash is optional
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    result = run("inbox")
    assert result.exit_code == 0, result.stderr
    (sent,) = arxiv.requests
    assert sent.path == "/rss/cs.LG+hep-th"
    assert sent.headers["user-agent"].startswith(f"papertrail/{__version__}")
    assert rows(result.stdout) == [
        ["1", "2610.01001", "Quantized Attention with $k<8$ Bits",
         "Ada Lovelace; Dirk Wübben; Grace Hopper", "cs.LG cs.CL", "cs.LG new; keyword 'quantiz'"],
        ["2", "2610.01002", "Strings on the Lattice", "Edward Witten", "hep-th", "hep-th new"],
    ]  # fmt: skip
    assert result.stderr == (
        "arXiv announcements of 2026-10-06: 5 item(s); 2 new in the inbox, "
        "0 already in the library, 0 seen before.\n" + NOT_RANKED
    )


def test_seen_items_are_not_filed_again_across_runs(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    assert ok("inbox", "dismiss", "2") == "Dismissed 1 item(s).\n"
    serve_feed(arxiv, MIXED)
    again = run("inbox")
    assert "0 new in the inbox" in again.stderr and "2 seen before" in again.stderr
    assert [row[1] for row in rows(again.stdout)] == ["2610.01001"]
    assert len(arxiv.requests) == 2


def test_all_keeps_every_item_of_the_followed_categories(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    serve_feed(arxiv, MIXED)
    found = {row[1]: row[5] for row in rows(ok("inbox", "--all"))}
    assert found == {
        "2610.01001": "cs.LG new; keyword 'quantiz'",
        "2610.01002": "hep-th new",
        "2610.01003": "cs.LG cross-list (--all)",
        "1602.02830": "cs.LG new version, cross-list (--all)",
    }  # 1510.00149 is in cs.CV/cs.NE only: not a followed category


def test_json_lists_the_items_with_why(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    items = as_json("inbox")
    assert [i["number"] for i in items] == [1, 2]
    first = items[0]
    assert first["arxiv_id"] == "2610.01001" and first["version"] == 1
    assert first["why"] == "cs.LG new; keyword 'quantiz'" and first["topics"] == ["quantization"]
    assert first["announce_type"] == "new" and first["announced"] == "2026-10-06"
    assert first["abstract"].startswith("We show that attention survives")
    assert as_json("inbox", "--no-fetch") == items and len(arxiv.requests) == 1


def test_inbox_add_completes_the_metadata_in_one_request(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    arxiv.respond_with(echo_papers)
    out = ok("inbox", "add", "1", "2", "-t", "to-read")
    assert out == ("Added [1] 2610.01001 Paper 2610.01001\nAdded [2] 2610.01002 Paper 2610.01002\n")
    api = arxiv.requests[1]
    assert api.path == "/api/query" and api.ids == ["2610.01001", "2610.01002"]
    assert len(arxiv.requests) == 2
    first = as_json("show", "2610.01001")
    assert first["topics"] == ["quantization", "to-read"]  # the feed's topic and -t
    assert first["published"] == "2020-01-02"  # from the API, not the feed
    assert ok("fetch") == "Nothing to fetch: every arXiv paper has its metadata.\n"
    assert ok("inbox", "--no-fetch") == "The inbox is empty.\n"


def test_inbox_add_keeps_the_feed_metadata_when_arxiv_is_unavailable(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    arxiv.queue(503, b"busy", times=4)
    result = run("inbox", "add", "1")
    assert result.exit_code == 0
    assert result.stdout == "Added [1] 2610.01001 Quantized Attention with $k<8$ Bits\n"
    assert "Warning: 1 paper(s) added with the feed's metadata only (arXiv is busy" in result.stderr
    paper = as_json("show", "1")
    assert paper["authors"] == ["Ada Lovelace", "Dirk Wübben", "Grace Hopper"]
    assert paper["categories"] == ["cs.LG", "cs.CL"] and paper["version"] == 1
    arxiv.respond_with(echo_papers)
    assert ok("fetch") == "Fetched metadata for 1 of 1 paper(s).\n"  # it was left pending


def test_an_item_already_in_the_library_is_dropped(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    ok("add", "--no-fetch", "2610.01002")
    serve_feed(arxiv, MIXED)
    result = run("inbox")
    assert [row[1] for row in rows(result.stdout)] == ["2610.01001"]
    assert "1 already in the library" in result.stderr


def test_dismiss_numbers_or_all(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    refused = run("inbox", "dismiss", "1", "9")
    assert refused.exit_code == 1 and "no item 9 in the inbox" in refused.stderr
    assert len(as_json("inbox", "--no-fetch")) == 2  # all or nothing
    assert ok("inbox", "dismiss", "--all") == "Dismissed 2 item(s).\n"
    assert as_json("inbox", "--no-fetch") == []
    for args in (["inbox", "dismiss"], ["inbox", "dismiss", "1", "--all"], ["inbox", "add", "x"]):
        assert run(*args).exit_code == 2


def test_undo_puts_a_dismissed_item_back_as_it_was(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    before = as_json("inbox", "--no-fetch")
    ok("inbox", "dismiss", "2")
    assert as_json("log", "--limit", "1")[0]["summary"] == "dismissed inbox item(s) 2"
    assert ok("undo").startswith("Undid #3 inbox dismiss: dismissed inbox item(s) 2\n")
    assert as_json("inbox", "--no-fetch") == before  # same number, reason, topics
    serve_feed(arxiv, MIXED)  # seen, and waiting again: not filed twice
    assert [row[1] for row in rows(ok("inbox"))] == ["2610.01001", "2610.01002"]


def test_undo_of_inbox_add_removes_the_papers_and_refiles_the_items(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    before = as_json("inbox", "--no-fetch")
    arxiv.respond_with(echo_papers)
    ok("inbox", "add", "1")
    ok("undo")
    assert as_json("list") == []
    assert as_json("inbox", "--no-fetch") == before


def test_a_dismissed_number_is_kept_while_undo_can_bring_the_item_back(
    arxiv: ArxivStub,
) -> None:
    ok("feed", "add", "cs.LG", "hep-th")
    serve_feed(arxiv, MIXED)
    ok("inbox")
    dismissed = [e for e in as_json("inbox", "--no-fetch") if e["number"] == 1]
    ok("inbox", "dismiss", "1")
    ok("feed", "add", "math.CO")
    serve_feed(arxiv, DATA / "atom_feed.xml")
    filed = {r[1]: r[0] for r in rows(ok("inbox"))}
    assert filed["2610.02001"] == "4"  # not 1: the dismissal of 1 can still be undone
    ok("undo", "2")  # the dismissal, and the feed added after it
    assert [e for e in as_json("inbox", "--no-fetch") if e["number"] == 1] == dismissed


def test_numbers_stay_put_and_free_ones_are_given_lowest_first(
    arxiv: ArxivStub, isolated_env: str
) -> None:
    ok("feed", "add", "cs.LG", "hep-th")
    serve_feed(arxiv, MIXED)
    assert [r[0] for r in rows(ok("inbox"))] == ["1", "2", "3"]
    ok("inbox", "dismiss", "2")
    assert [r[0] for r in rows(ok("inbox", "--no-fetch"))] == ["1", "3"]
    store = open_store(isolated_env)  # 1 expires: no undo brings it back, its number is free
    try:
        store.execute("UPDATE inbox_item SET first_seen = '2000-01-01T00:00:00Z' WHERE number = 1")
    finally:
        store.close()
    ok("inbox", "--no-fetch")  # item 1 expires
    ok("feed", "add", "math.CO")
    serve_feed(arxiv, DATA / "atom_feed.xml")
    assert {r[1]: r[0] for r in rows(ok("inbox"))} == {"2610.02001": "1", "2610.01003": "3"}


def test_untouched_items_expire(arxiv: ArxivStub, isolated_env: str) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    store = open_store(isolated_env)
    try:
        store.execute("UPDATE inbox_item SET first_seen = '2000-01-01T00:00:00Z' WHERE number = 1")
    finally:
        store.close()
    result = run("inbox", "--no-fetch")
    assert result.stderr == NOT_RANKED + "1 item(s) left the inbox untouched after 14 days.\n"
    assert [row[1] for row in rows(result.stdout)] == ["2610.01002"]
    serve_feed(arxiv, MIXED)  # the expired item is seen: it does not come back
    assert [row[1] for row in rows(ok("inbox"))] == ["2610.01002"]
    # Expiring is no change of the user's: nothing to undo (the log holds the two feeds).
    assert [entry["command"] for entry in as_json("log")] == ["feed add", "feed add"]


def test_the_expiry_is_a_setting(arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAIL_INBOX_DAYS", "none")
    result = run("inbox", "--no-fetch")
    assert result.exit_code == 2 and "PAPERTRAIL_INBOX_DAYS" in result.stderr


def test_the_recorded_weekend_feed_is_said_as_such(arxiv: ArxivStub) -> None:
    ok("feed", "add", "cs.CL")
    serve_feed(arxiv, require_shared("fixtures", "arxiv") / "rss_cs.CL_weekend_empty.xml")
    result = run("inbox")
    assert result.exit_code == 0
    assert result.stderr == (
        "No announcements of 2026-08-01: arXiv publishes none on weekends and holidays.\n"
    )
    assert result.stdout == "The inbox is empty.\n"


def test_recorded_feed_cross_listings_and_replacements(arxiv: ArxivStub) -> None:
    folder = require_shared("fixtures", "arxiv-rss")
    ok("feed", "add", "cs.LG", "cs.AI", "cs.CL", "stat.ML", "--author", "dunson", "-k", "polytope")
    ok("add", "--no-fetch", "2009.13987v2")
    serve_feed(
        arxiv, folder / "rss.arxiv.org_rss_cs.LG+cs.AI+cs.CL+stat.ML_trimmed4items_laya-reader.xml"
    )
    result = run("inbox")
    assert arxiv.requests[0].path == "/rss/cs.AI+cs.CL+cs.LG+stat.ML"
    assert rows(result.stdout) == [
        ["1", "2205.06398", "Outlier Detection for Multi-Network Data",
         "Pritam Dey; Zhengwu Zhang; David B. Dunson", "stat.ME stat.AP stat.ML",
         "stat.ML cross-list; author 'dunson'"],
    ]  # fmt: skip
    assert "Newer version on arXiv: [1] 2009.13987" in result.stderr
    assert ": v3 (the library has v2)" in result.stderr


def test_replace_announcements_mark_library_papers_until_a_refresh(arxiv: ArxivStub) -> None:
    ok("feed", "add", "cs.CV", "cs.LG")
    ok("add", "--no-fetch", "1510.00149v5", "1602.02830v4")
    serve_feed(arxiv, MIXED)
    result = run("inbox")
    # 1510.00149 v6 is newer than v5; 1602.02830 v4 is the version the library has.
    assert result.stderr.count("Newer version on arXiv") == 1
    assert "Newer version on arXiv: [1] 1510.00149" in result.stderr
    assert [r[7] for r in rows(ok("list"))] == ["v6", "-"]
    on_terminal = ok("list", "--no-pager", env={"PAPERTRAIL_TERMINAL": "1"})
    assert on_terminal.count("on arXiv)") == 1 and "(v6 on arXiv)" in on_terminal
    assert as_json("show", "1")["newer_version"] == 6
    assert "Newer version: v6 on arXiv (`papertrail fetch --refresh 1` takes it)" in ok("show", "1")
    serve_feed(arxiv, MIXED)
    assert "Newer version" not in run("inbox").stderr  # said once, shown by list/show
    arxiv.queue(200, atom_feed([{"id": "1510.00149v5"}]))  # arXiv's API still says v5
    ok("fetch", "--refresh", "1")
    assert as_json("show", "1")["newer_version"] == 6
    arxiv.queue(200, atom_feed([{"id": "1510.00149v6"}]))
    ok("fetch", "--refresh", "1")
    assert as_json("show", "1")["newer_version"] is None
    assert "Newer version" not in ok("show", "1")


def test_on_a_terminal_the_inbox_is_a_numbered_table(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    out = ok("inbox")
    assert "Quantized Attention with $k<8$ Bits" in out
    assert "Ada Lovelace, Dirk Wübben, Grace Hopper" in out
    assert "cs.LG new; keyword 'quantiz'" in out
    assert "2 item(s): `papertrail inbox add N` takes some" in out


# -- politeness and failures ------------------------------------------------------------------


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(sorted(times))]


def test_feeds_and_api_share_one_spacing_across_processes(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_quantization_and_hep_th()
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "0.4")
    # This process's first request loads httpx's lazy parts after its turn is taken, and so
    # reaches the server late: made here, so that the gaps below are the spacing's alone.
    arxiv.queue(200, atom_feed([{"id": "2101.00002"}]))
    ok("search", "warm-up")
    arxiv.requests.clear()
    serve_feed(arxiv, MIXED)
    assert run_process("inbox").returncode == 0  # its own process
    arxiv.queue(200, atom_feed([{"id": "2101.00001"}]))
    ok("search", "x")
    arxiv.respond_with(echo_papers)
    ok("inbox", "add", "1")
    assert [r.path for r in arxiv.requests] == ["/rss/cs.LG+hep-th", "/api/query", "/api/query"]
    assert len({r.headers["user-agent"] for r in arxiv.requests}) == 1
    # Measured at the server a gap may come out slightly short (see tests/services/test_arxiv.py).
    assert all(gap >= 0.4 - 0.05 for gap in gaps([r.time for r in arxiv.requests]))


def test_offline_refuses_in_one_line_and_the_stored_inbox_stays(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    result = run("inbox")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: offline (PAPERTRAIL_OFFLINE=1): not fetching the feeds; "
        "`papertrail inbox --no-fetch` shows the stored inbox\n"
    )
    assert len(rows(ok("inbox", "--no-fetch"))) == 2
    added = run("inbox", "add", "2")
    assert added.exit_code == 0 and "feed's metadata only (offline" in added.stderr
    assert len(arxiv.requests) == 1


def test_without_feeds_the_inbox_says_what_to_do(arxiv: ArxivStub) -> None:
    run("add", "--no-fetch", "1510.00149")  # a library, without feeds
    result = run("inbox")
    assert result.exit_code == 1 and "no feeds followed: `papertrail feed add" in result.stderr
    assert arxiv.requests == []


def test_an_unreadable_feed_is_retried_then_one_line_and_nothing_stored(
    arxiv: ArxivStub,
) -> None:
    follow_quantization_and_hep_th()
    arxiv.queue(200, b"<html><body>Down for maintenance</body></html>", times=4)
    result = run("inbox")
    assert result.exit_code == 3 and len(arxiv.requests) == 4
    assert result.stderr.startswith("Error: arXiv sent an unreadable response (not an RSS")
    assert result.stderr.count("\n") == 1
    assert as_json("inbox", "--no-fetch") == []


def test_inbox_add_says_which_papers_arxiv_did_not_complete(arxiv: ArxivStub) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    arxiv.queue(200, atom_feed([{"id": "2610.01002"}]))  # 2610.01001 is missing
    result = run("inbox", "add", "1", "2")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: 1 paper(s) added with the feed's metadata only (arXiv's API did not "
        "return 2610.01001); `papertrail fetch` completes them\n"
    )
    assert [p["title"] for p in as_json("list")] == [
        "Quantized Attention with $k<8$ Bits", "Paper 2610.01002",
    ]  # fmt: skip


def test_hostile_numbers_are_usage_errors() -> None:
    run("add", "--no-fetch", "1510.00149")  # a library to dismiss from
    for args in (["99999999999999999999"], ["5-1"], ["1-999999"], ["1.5"], ["x"], ["3-"]):
        result = run("inbox", "dismiss", *args)
        assert result.exit_code == 2 and result.stderr.startswith("Error: "), (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_db_copy_keeps_feeds_the_inbox_and_the_seen_set(
    arxiv: ArxivStub, tmp_path: Path, isolated_env: str
) -> None:
    follow_quantization_and_hep_th()
    serve_feed(arxiv, MIXED)
    ok("inbox")
    ok("inbox", "dismiss", "2")
    target = str(tmp_path / "copy.db")
    ok("db", "copy", isolated_env, target)
    assert rows(ok("--db", target, "feed", "list")) == rows(ok("feed", "list"))
    assert as_json("--db", target, "inbox", "--no-fetch") == as_json("inbox", "--no-fetch")
    ok("--db", target, "feed", "add", "math.CO")  # new ids follow the copied ones
    serve_feed(arxiv, MIXED)
    again = run("--db", target, "inbox")
    assert "0 new in the inbox" in again.stderr and "2 seen before" in again.stderr
