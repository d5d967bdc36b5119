"""The citation keys a manuscript cites: LaTeX's .aux (BibTeX/natbib `\\citation`,
biblatex `\\abx@aux@cite`), biblatex's .bcf, `\\cite{...}` and its variants in .tex, and
pandoc's `[@key]` in markdown (.md, .qmd, .Rmd). Text in, keys out (in order, each once):
reading the files is the caller's."""

from __future__ import annotations

import re

_AUX_CITATION = re.compile(r"\\citation\{([^}]*)\}")
# biblatex: \abx@aux@cite{0}{key} (3.x with refsections) or \abx@aux@cite{key} (older).
_ABX_CITE = re.compile(r"\\abx@aux@cite(?:\{\d+\})?\{([^}]*)\}")
_BCF_KEY = re.compile(r"<bcf:citekey\b[^>]*>([^<]+)</bcf:citekey>")
# \cite, \citep, \citet*, \parencite, \textcite, \autocite, \footcite, \nocite, \citeauthor,
# \Cite..., each with up to two [optional] arguments, then {key,key}.
_TEX_CITE = re.compile(
    r"\\(?:[A-Za-z]*cite[A-Za-z]*|nocite)\*?\s*(?:\[[^\]]*\]\s*){0,2}\{([^}]*)\}"
)
# \cites[pre][post]{a}[..]{b}: biblatex's multicite commands, every {key} group after them.
_TEX_MULTICITE = re.compile(r"\\[A-Za-z]*cites\b((?:\s*(?:\[[^\]]*\]|\{[^}]*\}))+)")
_TEX_COMMENT = re.compile(r"(?<!\\)%.*")
# pandoc: @key or @{key}, not inside a word or an e-mail address (user@example.org).
_PANDOC_KEY = re.compile(r"(?<![\w@.])-?@(?:\{([^}]+)\}|([A-Za-z0-9_][\w:.#$%&+?<>~/-]*))")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
ALL = "*"  # \nocite{*}: every entry


def _keys(groups: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for group in groups:
        for key in group.split(","):
            key = key.strip()
            if key:
                found[key] = None
    return list(found)


def keys_from_aux(text: str) -> list[str]:
    """The keys a LaTeX run's .aux file records (BibTeX/natbib and biblatex runs)."""
    return _keys(_AUX_CITATION.findall(text) + _ABX_CITE.findall(text))


def keys_from_bcf(text: str) -> list[str]:
    """The keys of biblatex's control file (.bcf)."""
    return _keys(_BCF_KEY.findall(text))


def keys_from_tex(text: str) -> list[str]:
    """The keys a LaTeX source cites (comments left out)."""
    text = _TEX_COMMENT.sub("", text)
    groups = _TEX_CITE.findall(text)
    for arguments in _TEX_MULTICITE.findall(text):
        groups.extend(re.findall(r"\{([^}]*)\}", arguments))
    return _keys(groups)


def keys_from_markdown(text: str) -> list[str]:
    """The keys a pandoc markdown text cites: `[@a; @b, p. 3]`, `@a says`, `[-@a]`."""
    text = _INLINE_CODE.sub("", _FENCE.sub("", text))
    found: dict[str, None] = {}
    for braced, plain in _PANDOC_KEY.findall(text):
        key = braced or plain.rstrip(":.#$%&+?<>~/-")
        if key:
            found[key] = None
    return list(found)


def cited_keys(name: str, text: str) -> list[str]:
    """The keys a manuscript file cites, read by its name's extension."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "aux":
        return keys_from_aux(text)
    if suffix == "bcf":
        return keys_from_bcf(text)
    if suffix in ("tex", "ltx", "sty", "cls"):
        return keys_from_tex(text)
    return keys_from_markdown(text)
