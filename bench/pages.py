"""Corrupted articles rendered as HTML pages, and their ground truth found again in the extracted text.

Three templates, chosen per article (so the clean and the corrupted versions of an article share one):
`article` (bare <article> with <h1> and <p>), `portal` (site header, nav menu, byline, footer links) and
`blog` (div soup with WordPress-like classes and a footer). Template chrome is on clean pages too and is
never ground truth: only what a corruption changed or inserted is.
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

from .corrupt import Corrupted

TEMPLATES = ("article", "portal", "blog")
SITES = ["The Daily Courier", "Riverside Gazette", "Northern Herald", "Metro Times", "The Evening Ledger",
         "Harbour City News", "Valley Chronicle", "The Morning Star"]
SECTIONS = ["Home", "World", "National", "Business", "Sport", "Entertainment", "Opinion", "Lifestyle"]


def _pick(article_id: str, options: list | tuple, salt: str):
    h = int.from_bytes(hashlib.sha1(f"{salt}:{article_id}".encode()).digest()[:4], "big")
    return options[h % len(options)]


def _filler() -> tuple[str, str]:
    """Markup that real news pages carry and that renders no text: stylesheets, scripts, JSON-LD, an SVG
    sprite (~60 KB, the size class of a real article page without its images). Extractors must parse it."""
    css = "".join(f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
                  f"font-size:{12 + i % 9}px;line-height:1.{i % 9}}}\n" for i in range(400))
    js = "".join(f"function f{i}(a,b){{var x=a*{i}+b;if(x>{i * 3}){{return x-{i}}}else{{return f{max(i - 1, 0)}(b,a)}}}}\n"
                 for i in range(300))
    svg = "".join(f'<symbol id="i{i}" viewBox="0 0 24 24"><path d="M{i % 24} {i % 17}L{(i * 7) % 24} {(i * 5) % 24}'
                  f'Z"/></symbol>' for i in range(60))
    return (f"<style>{css}</style><script>{js}</script>"
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle"}</script>',
            f'<svg style="display:none" xmlns="http://www.w3.org/2000/svg">{svg}</svg>')


HEAD_FILLER, BODY_FILLER = _filler()


def template_of(article_id: str) -> str:
    return _pick(article_id, TEMPLATES, "template")


def _body(page: Corrupted) -> str:
    out = []
    for part in page.parts:
        out.append(part.html if part.inserted else f"<p>{html.escape(part.texts[0])}</p>")
    return "\n".join(out)


def render_html(page: Corrupted) -> str:
    a = page.article
    title = html.escape(a.title)
    body = _body(page)
    template = template_of(a.id)
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>body{font-family:serif;max-width:40em;margin:auto}</style>'
            f'<script>window.dataLayer=window.dataLayer||[];</script>{HEAD_FILLER}</head>\n')
    body_open = f"<body>{BODY_FILLER}"
    if template == "article":
        return head + f"{body_open}<article>\n<h1>{title}</h1>\n{body}\n</article></body></html>\n"
    site = _pick(a.id, SITES, "site")
    if template == "portal":
        nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
        byline = f"By {_pick(a.id, ['Staff Reporter', 'Wire Services', 'Our Correspondent', 'News Desk'], 'by')}"
        return head + (
            f'{body_open}<header class="site-header"><a class="logo" href="/">{html.escape(site)}</a>'
            f'<nav class="main-nav"><ul>{nav}</ul></nav></header>\n'
            f'<main><article class="story"><h1 class="headline">{title}</h1><p class="byline">{byline}</p>\n'
            f'{body}\n</article></main>\n'
            f'<footer class="site-footer"><p>&copy; 2023 {html.escape(site)}. All rights reserved.</p>'
            '<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li>'
            '<li><a href="/contact">Contact</a></li></ul></footer></body></html>\n')
    return head + (
        f'{body_open}<div id="page" class="site"><div class="site-branding"><a href="/" rel="home">{html.escape(site)}</a></div>\n'
        f'<div id="content" class="site-content"><div class="post hentry"><h1 class="entry-title">{title}</h1>\n'
        f'<div class="entry-content">\n{body}\n</div></div></div>\n'
        f'<div class="site-info">Proudly published by {html.escape(site)}</div></div></body></html>\n')


def render_text(page: Corrupted) -> str:
    """Plain-text version: title, then one line per paragraph or inserted string."""
    lines = [page.article.title]
    for part in page.parts:
        lines.extend(part.texts)
    return "\n".join(lines) + "\n"


# -- ground truth in the extracted text ---------------------------------------------------------------------
@dataclass
class Truth:
    spans: list[tuple[int, int, str]]   # (start, end, role) in the extracted text
    missing: int                        # truth spans whose string the extractor did not keep


def _find_word(text: str, needle: str, start: int) -> int:
    """Next occurrence of `needle` at or after `start` that is not inside a longer word; -1 if none."""
    pos = text.find(needle, start)
    while pos != -1:
        before = text[pos - 1] if pos else " "
        end = pos + len(needle)
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() and needle[:1].isalnum()) and not (after.isalnum() and needle[-1:].isalnum()):
            return pos
        pos = text.find(needle, pos + 1)
    return -1


def map_truth(page: Corrupted, text: str) -> Truth:
    """Find every part's strings in the extracted text, in page order, and place its truth spans there."""
    spans, missing, cursor = [], 0, 0
    for part in page.parts:
        for i, needle in enumerate(part.texts):
            pos = _find_word(text, needle, cursor)
            if pos == -1:
                pos = _find_word(text, needle, 0)
            own = [(s, e) for j, s, e in part.spans if j == i]
            if pos == -1:
                missing += len(own)
                continue
            spans.extend((pos + s, pos + e, part.role) for s, e in own)
            cursor = pos + len(needle)
    return Truth(spans, missing)
