"""Markdown to safe HTML: rendered with Python-Markdown, then cleaned by nh3 (ammonia).

Scripts, iframes, event handlers, style attributes and javascript: links never survive.
"""

import difflib

import markdown
import nh3

ERLAUBTE_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "sup",
    "sub",
    "abbr",
}
ERLAUBTE_ATTRIBUTE = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def als_html(text: str) -> str:
    roh = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        roh,
        tags=ERLAUBTE_TAGS,
        attributes=ERLAUBTE_ATTRIBUTE,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def unterschiede(alt: str, neu: str) -> list[tuple[str, str]]:
    """Line diff for display: ("gleich" | "entfernt" | "neu", line)."""
    arten = {" ": "gleich", "-": "entfernt", "+": "neu"}
    return [
        (arten[zeile[0]], zeile[2:])
        for zeile in difflib.ndiff(alt.splitlines(), neu.splitlines())
        if zeile[0] in arten
    ]
