"""Cleaning the HTML people write (lesson text, course descriptions) before it is stored.

``clean`` keeps what a lesson needs (headings, paragraphs, lists, emphasis, quotes, code,
tables, links, https images) and drops everything else: scripts and styles with their content,
event handlers, ``style`` attributes, iframes and ``javascript:`` or ``data:`` addresses. Links
get ``rel="noopener noreferrer"``. ``video_embed`` turns a video address into the address of a
player that may be framed, or None.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import nh3

TAGS = frozenset(
    {
        *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small"),
        *("blockquote", "code", "pre", "abbr", "cite", "q"),
        *("a", "img", "figure", "figcaption"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
URL_SCHEMES = frozenset({"https", "http", "mailto"})


def _filter(tag: str, attribute: str, value: str) -> str | None:
    # Images load from the reader's browser: only over https, never from plain http.
    if tag == "img" and attribute == "src" and not value.lower().startswith("https://"):
        return None
    return value


def clean(html: str) -> str:
    """Safe HTML for lesson text; an empty string for empty input."""
    if not html or not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def video_embed(url: str) -> str | None:
    """The https address of a player for ``url`` that may go into an iframe, or None.

    YouTube (watch, youtu.be, shorts, embed) becomes youtube-nocookie.com's player, Vimeo
    becomes player.vimeo.com; any other https address is framed as it is (its own site
    decides whether it may be); anything else (http, javascript:, no host) gives None.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path == "watch":
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("embed/", "shorts/", "live/")):
            video = path.split("/", 1)[1]
        else:
            return None
        return (
            f"https://www.youtube-nocookie.com/embed/{video}" if _YOUTUBE_ID.match(video) else None
        )
    if host == "youtu.be":
        return f"https://www.youtube-nocookie.com/embed/{path}" if _YOUTUBE_ID.match(path) else None
    if host in ("vimeo.com", "player.vimeo.com"):
        video = path.removeprefix("video/")
        return f"https://player.vimeo.com/video/{video}" if _VIMEO_ID.match(video) else None
    return parts.geturl()
