"""`papertrail find QUERY`: the query language, parsed once, compiled for SQLite FTS5 and for
PostgreSQL tsquery. User text never reaches either engine's parser as syntax.

Language (the same on both databases):
    word            a word (stemmed: 'compressing' finds 'compression')
    "two words"     a phrase
    word*           a prefix
    a b, a AND b    both (AND is implied between terms)
    a OR b          either; AND binds tighter: 'a b OR c' is '(a b) OR c'
    NOT a, -a       excluding; only beside something to find ('a NOT b', 'a -b')
    ( ... )         grouping
AND/OR/NOT are operators only in capitals ('not' is a word). Punctuation inside a word is
what the tokenizer makes of it ('fork()' is 'fork', 'state-of-the-art' the phrase 'state of
the art'); a term with no letter or digit is ignored. Chinese/Japanese runs are phrases of
single characters (see model.pagetext).

Errors are BadSearchQuery with one line saying what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from papertrail.errors import BadSearchQuery
from papertrail.model.pagetext import cjk_runs_spaced

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
_OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s"()]+))')


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words); `prefix` for 'word*'."""

    text: str
    prefix: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Term | And | Or


def parse(text: str) -> Node:
    """The query tree for `text`; BadSearchQuery if it cannot be read."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadSearchQuery(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    parser = _Parser(_tokens(text))
    node = parser.parse()
    if node is None:
        raise BadSearchQuery('nothing to search for: give a word, a "phrase" or a prefix*')
    if parser.terms > MAX_TERMS:
        raise BadSearchQuery(f"too many terms in the query (at most {MAX_TERMS})")
    return node


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing whitespace is left
            break
        position = match.end()
        token = match.group(match.lastgroup or "word")
        if match.lastgroup == "quote" and (len(token) < 2 or not token.endswith('"')):
            raise BadSearchQuery('unbalanced quote (") in the query')
        tokens.append(token)
    return tokens


class _Parser:
    """Recursive descent: or := and ('OR' and)* ; and := unary+ ; unary := NOT unary | atom."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.terms = 0

    def parse(self) -> Node | None:
        node = self._or()
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            raise BadSearchQuery(
                "unbalanced parenthesis ')' in the query" if token == ")"
                else f"unexpected {token!r} in the query"
            )  # fmt: skip
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _or(self) -> Node | None:
        items = [self._and()]
        while self._peek() == "OR":
            self.position += 1
            if items[-1] is None or self._peek() in (None, ")", "OR"):
                raise BadSearchQuery("OR needs a term on each side")
            items.append(self._and())
        kept = tuple(i for i in items if i is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def _and(self) -> Node | None:
        items: list[Node] = []
        excluded: list[Node] = []
        while (token := self._peek()) not in (None, ")", "OR"):
            if token == "AND":
                self.position += 1
                if self._peek() in (None, ")", "OR", "AND"):
                    raise BadSearchQuery("AND needs a term on each side")
                continue
            negated, node = self._unary()
            if node is not None:
                (excluded if negated else items).append(node)
        if excluded and not items:
            raise BadSearchQuery("NOT only excludes: say what to find too, as in 'fork NOT spoon'")
        if not items:
            return None
        if len(items) == 1 and not excluded:
            return items[0]
        return And(tuple(items), tuple(excluded))

    def _unary(self) -> tuple[bool, Node | None]:
        token = self._peek()
        if token == "NOT":
            self.position += 1
            if self._peek() in (None, ")", "OR", "AND"):
                raise BadSearchQuery("NOT needs a term after it")
            negated, node = self._unary()
            return not negated, node
        if token is not None and token.startswith("-") and len(token) > 1 and token != "--":
            self.tokens[self.position] = token[1:]
            negated, node = self._unary()
            return not negated, node
        return False, self._atom()

    def _atom(self) -> Node | None:
        token = self.tokens[self.position]
        self.position += 1
        if token == "(":
            node = self._or()
            if self._peek() != ")":
                raise BadSearchQuery("unbalanced parenthesis '(' in the query")
            self.position += 1
            return node
        if token.startswith('"'):
            return self._term(token[1:-1], phrase=True)
        return self._term(token)

    def _term(self, text: str, *, phrase: bool = False) -> Term | None:
        prefix = not phrase and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if not any(c.isalnum() for c in text):
            if prefix:
                raise BadSearchQuery("a prefix* needs letters or digits before the '*'")
            return None  # punctuation only: nothing the index could hold
        self.terms += 1
        spaced = cjk_runs_spaced(text)
        return Term(spaced, prefix=prefix, phrase=phrase or spaced != text)


# ----------------------------------------------------------------------------- FTS5


def to_fts5(node: Node) -> str:
    """The FTS5 MATCH expression: every term a quoted string (no FTS5 syntax from the
    user: column filters, NEAR, ^ are plain text), operators from the tree."""
    if isinstance(node, Term):
        quoted = '"' + node.text.replace('"', '""') + '"'
        return quoted + "*" if node.prefix else quoted
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(i) for i in node.items) + ")"
    found = " AND ".join(to_fts5(i) for i in node.items)
    if not node.excluded:
        return "(" + found + ")"
    return "((" + found + ") NOT (" + " OR ".join(to_fts5(i) for i in node.excluded) + "))"


# ----------------------------------------------------------------------------- PostgreSQL


def to_tsquery_sql(node: Node, config: str = "papertrail") -> tuple[str, list[str]]:
    """A PostgreSQL expression of type tsquery, and its parameters (`?` placeholders, as
    papertrail's SQL writes them).

    Words and phrases go through phraseto_tsquery (the configuration's parser and
    stemmer, no tsquery syntax); a prefix through to_tsquery of a quoted lexeme with :*
    built here from letters and digits only."""
    params: list[str] = []
    sql = _tsquery(node, _config_literal(config), params)
    return sql, params


def _tsquery(node: Node, config: str, params: list[str]) -> str:
    if isinstance(node, Term):
        if node.prefix:
            words = re.findall(r"[^\W_]+", node.text)  # the parser kept only such terms
            head = " ".join(words[:-1])
            params.append(f"'{words[-1]}':*")
            prefix = f"to_tsquery({config}, ?)"
            if head:  # 'state-of-the-art*' is a phrase ending in a prefix
                params.insert(len(params) - 1, head)
                return f"(phraseto_tsquery({config}, ?) <-> {prefix})"
            return prefix
        params.append(node.text)
        return f"phraseto_tsquery({config}, ?)"
    if isinstance(node, Or):
        return "(" + " || ".join(_tsquery(i, config, params) for i in node.items) + ")"
    found = " && ".join(_tsquery(i, config, params) for i in node.items)
    for item in node.excluded:
        found += f" && !!{_tsquery(item, config, params)}"
    return "(" + found + ")"


def _config_literal(config: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", config):
        raise ValueError(f"bad text search configuration name {config!r}")
    return f"'{config}'::regconfig"


def terms(node: Node) -> Sequence[Term]:
    """The terms that find pages (not the excluded ones), for highlighting elsewhere."""
    if isinstance(node, Term):
        return [node]
    items = node.items
    return [t for i in items for t in terms(i)]
