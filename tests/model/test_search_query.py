"""The `find` query language: parsing, errors, FTS5 and tsquery output."""

from __future__ import annotations

import sqlite3

import pytest

from papertrail.errors import BadSearchQuery
from papertrail.model.search_query import parse, to_fts5, to_tsquery_sql


@pytest.mark.parametrize(
    ("text", "fts5"),
    [
        ("fork", '"fork"'),
        ("fork exec", '("fork" AND "exec")'),
        ("fork AND exec", '("fork" AND "exec")'),
        ('"fork in the road"', '"fork in the road"'),
        ("compress*", '"compress"*'),
        ("a OR b c", '("a" OR ("b" AND "c"))'),
        ("(a OR b) c", '(("a" OR "b") AND "c")'),
        ("fork NOT spoon", '(("fork") NOT ("spoon"))'),
        ("fork -spoon -knife", '(("fork") NOT ("spoon" OR "knife"))'),
        ("NOT NOT fork", '"fork"'),
        ("not and or", '("not" AND "and" AND "or")'),  # lower case: words
        ("音乐维基", '"音 乐 维 基"'),
        # FTS5 syntax typed by a user is only text.
        ("title:fork NEAR(a b) ^x", '("title:fork" AND "NEAR" AND ("a" AND "b") AND "^x")'),
        ('say ""', '"say"'),
        ("fork()", '"fork"'),
        ("+++ fork", '"fork"'),
    ],
)
def test_fts5(text, fts5):
    assert to_fts5(parse(text)) == fts5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unclosed', 'unbalanced quote (") in the query'),
        ("(a", "unbalanced parenthesis '(' in the query"),
        ("a)", "unbalanced parenthesis ')' in the query"),
        ("x AND", "AND needs a term on each side"),
        ("OR x", "OR needs a term on each side"),
        ("a OR OR b", "OR needs a term on each side"),
        ("NOT x", "NOT only excludes: say what to find too, as in 'fork NOT spoon'"),
        ("-x", "NOT only excludes: say what to find too, as in 'fork NOT spoon'"),
        ("x NOT", "NOT needs a term after it"),
        ("*", "a prefix* needs letters or digits before the '*'"),
        ("", 'nothing to search for: give a word, a "phrase" or a prefix*'),
        ("+++ ---", 'nothing to search for: give a word, a "phrase" or a prefix*'),
        ("x" * 1001, "query too long (1001 characters, at most 1000)"),
        (" ".join(["w"] * 65), "too many terms in the query (at most 64)"),
    ],
)
def test_bad_queries_give_one_line(text, message):
    with pytest.raises(BadSearchQuery) as error:
        parse(text)
    assert str(error.value) == message


FUZZ = ['"', "(", ")", "*", "-", "AND", "OR", "NOT", "a", "b", "x*", ":", "^", "NEAR", "音"]


def test_whatever_is_typed_fts5_never_sees_a_syntax_error():
    """Every query parse() accepts compiles to an expression FTS5 accepts."""
    import itertools

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    db.execute("INSERT INTO t VALUES ('a b x 音')")
    checked = 0
    for size in (1, 2, 3):
        for parts in itertools.product(FUZZ, repeat=size):
            try:
                expression = to_fts5(parse(" ".join(parts)))
            except BadSearchQuery:
                continue
            db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
            checked += 1
    assert checked > 500


def test_tsquery_sql_keeps_user_text_in_parameters():
    sql, params = to_tsquery_sql(parse("fork's -\"road'); DROP\" state-of-the-art*"))
    assert "fork" not in sql and "DROP" not in sql
    assert params == ["fork's", "road'); DROP", "state of the", "'art':*"]
    assert sql.count("?") == len(params)
