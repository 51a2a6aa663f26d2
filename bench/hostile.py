"""Hostile pages: a seeded generator of the inputs a crawler meets on the open web, and a runner that
pushes thousands of them through `Scorer.score_html` and records what happened to each.

    python3 -m bench.hostile --cases 10000            # the benchmark: summary table, exit 1 on any failure
    python3 -m bench.hostile --cases 500 --family nested   # one family
    python3 -m bench.hostile --replay nested:1234:full:unclosed  # one case again, in this process

Families (each a function `(rng, full) -> Page`, with random parameters): empty bodies; PNG, JPEG, GIF,
PDF, gzip/zip/bz2/xz and random bytes served as HTML; 20 MB pages; 10k-deep nesting; mis-declared and mixed
encodings (latin-1 declared utf-8, utf-16 without BOM, Shift-JIS, ...); invalid UTF-8; NUL bytes; a single
1 MB line; only numbers; only punctuation; scripts langdetect cannot read (Ogham, Cuneiform, emoji, ...);
100k tiny paragraphs; huge attribute values; unclosed comments/CDATA/script; <script> markup as text;
RTL text; zero-width and combining characters; broken entities; control characters; runs of sentence marks
and initials (segmenter stress); repeated blocks; big tables; and a `mixed` family that splices pieces of
the others (and their encodings) into one page. A `control` family of ordinary article pages keeps the
usual outcomes in the mix.

Most cases use a small size; `full` cases (one per variant of each family that has a full size, spread
over the run) use the full sizes of the issue (20 MB, 10k levels, 1 MB line, 100k paragraphs, 5 MB
attributes, a 240k-character run of sentence marks). Every case runs in a worker process with a
per-case time limit; the outcome records status, action, reason, seconds and the peak RSS growth while
scoring (VmHWM after resetting it through /proc/self/clear_refs, so it costs nothing to measure). Every
report is also checked: JSON round trip, evidence spans index the text, scores in [0, 1], known
status/action. A case fails when the scorer raises, a check fails, it runs past the time limit, or the scorer
caught an internal error and returned the page `unscored` (outcome `unscored_error`: the page was kept, but
nothing was scored). Pages not scored for a stated reason (too short, unsupported language, truncated) are
ordinary outcomes.
"""
from __future__ import annotations

import argparse
import bz2
import codecs
import gzip
import html
import io
import json
import lzma
import math
import multiprocessing
import os
import random
import struct
import sys
import time
import traceback
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable

from scoring.report import ACTION_SEVERITY, NO_MAIN_CONTENT, SCORED, TOO_SHORT, UNSCORED, UNSUPPORTED, PageReport

STATUSES = (SCORED, UNSCORED, UNSUPPORTED, TOO_SHORT, NO_MAIN_CONTENT)
DEFAULT_CASES = 10_000
DEFAULT_TIMEOUT = 30.0   # seconds per case; past it the worker is killed and the case fails
DEFAULT_FULL = 1         # full-size cases per variant of each family that has a full size


@dataclass
class Page:
    family: str
    variant: str
    body: bytes | str
    encoding: str | None = None      # the transport's charset (the HTTP header), when there is one
    content_type: str = "text/html"  # what a server would say it is (the crawl tests serve it so)
    kind: str = "html"               # "html" -> score_html, "text" -> score_text

    @property
    def size(self) -> int:
        return len(self.body)


# == building blocks ====================================================================================
# Our own sentences (never copied from anywhere), mixed at random into paragraphs.
SENTENCES = [
    "The city council approved the new budget on Monday after a long debate about schools and roads.",
    "Engineers at the water plant replaced two pumps that had failed during the cold spell in January.",
    "A local bakery started selling bread made from grain grown on farms within twenty miles of town.",
    "The museum reopened its east wing with a collection of maps drawn by sailors in the last century.",
    "Volunteers cleared three tons of litter from the river banks over a single weekend in spring.",
    "The regional train service added an early morning connection for workers on the night shift.",
    "Students from the high school built a weather station that reports wind speed every ten minutes.",
    "Doctors at the clinic say the new appointment system has cut waiting times by almost half.",
    "The library will extend its opening hours during the exam period at the request of students.",
    "Farmers in the valley expect a smaller harvest this year because of the dry summer.",
    "The software update fixes a memory leak that slowed down the server after several days of use.",
    "Researchers measured the temperature of the lake at different depths over a period of two years.",
    "The bridge will be closed to heavy vehicles while workers repair the steel joints under the deck.",
    "A new cycling path connects the university campus with the railway station and the city centre.",
    "The committee asked the company to publish the results of its safety inspection before summer.",
]
WORDS = sorted({w.strip(".,").lower() for s in SENTENCES for w in s.split()})
PROMO = ["Limited offer: 40% off designer watches, free delivery at shopwatches.example",
         "Subscribe to our newsletter for daily deals", "Share this article on social media",
         "Click here to claim your free prize now"]

SCRIPTS = {  # code point ranges langdetect has no profile for
    "ogham": (0x1681, 0x169A), "runic": (0x16A0, 0x16EA), "cuneiform": (0x12000, 0x12398),
    "linear_b": (0x10000, 0x1005D), "gothic": (0x10330, 0x1034A), "old_italic": (0x10300, 0x1031E),
    "braille": (0x2801, 0x28FF), "egyptian": (0x13000, 0x1342E), "tifinagh": (0x2D30, 0x2D67),
    "emoji": (0x1F600, 0x1F64F), "emoji_objects": (0x1F300, 0x1F5FF), "math_alnum": (0x1D400, 0x1D6A3),
    "cherokee": (0x13A0, 0x13F4), "deseret": (0x10400, 0x1044F), "shavian": (0x10450, 0x1047F),
}
RTL = {
    "arabic": "أعلن المجلس البلدي عن ميزانية جديدة للمدارس والطرق بعد نقاش طويل يوم الاثنين",
    "hebrew": "מועצת העיר אישרה את התקציב החדש ביום שני לאחר ויכוח ארוך על בתי ספר וכבישים",
    "persian": "شورای شهر بودجه جدید را پس از بحثی طولانی درباره مدارس و جاده ها تصویب کرد",
}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f"]


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES)


def paragraph(rng: random.Random, n: int | None = None) -> str:
    return " ".join(sentence(rng) for _ in range(n or rng.randint(1, 6)))


def article_html(rng: random.Random, paragraphs: int | None = None, title: str | None = None) -> str:
    n = paragraphs or rng.randint(3, 12)
    paras = "".join(f"<p>{html.escape(paragraph(rng))}</p>\n" for _ in range(n))
    title = title or " ".join(rng.sample(WORDS, 5)).title()
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>\n{paras}</article></body></html>")


def wrap(inner: str, charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<!DOCTYPE html><html><head>{meta}<title>t</title></head><body>{inner}</body></html>"


def fill(rng: random.Random, target: int, unit: Callable[[], str]) -> str:
    """Concatenate `unit()` pieces up to about `target` characters (a pool of 64 pieces, reused)."""
    pool = [unit() for _ in range(64)]
    size = sum(map(len, pool)) / len(pool)
    return "".join(rng.choice(pool) for _ in range(max(1, int(target / max(size, 1)))))


def rng_size(rng: random.Random, lo: int, hi: int) -> int:
    """Log-uniform between lo and hi: most cases small, some large."""
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


# -- real binary formats, built with the standard library -------------------------------------------------
def png_bytes(rng: random.Random, width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def jpeg_bytes(rng: random.Random, width: int, height: int) -> bytes:
    """A valid baseline greyscale JFIF (flat grey 8x8 blocks: one Huffman code each for DC 0 and EOB)."""
    def seg(marker: int, data: bytes) -> bytes:
        return struct.pack(">HH", marker, len(data) + 2) + data
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    one_code = bytes([1] + [0] * 15)
    comment = bytes(b if b != 0xFF else 0xFE for b in rng.randbytes(rng.randint(0, 200)))
    return (b"\xff\xd8" + seg(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + seg(0xFFFE, comment) + seg(0xFFDB, b"\x00" + b"\x01" * 64)
            + seg(0xFFC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
            + seg(0xFFC4, b"\x00" + one_code + b"\x00") + seg(0xFFC4, b"\x10" + one_code + b"\x00")
            + seg(0xFFDA, b"\x01\x01\x00\x00\x3f\x00") + scan + b"\xff\xd9")


GIF_1X1 = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
           b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def pdf_bytes(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text[:200]}) Tj ET".encode("latin-1", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zip_bytes(rng: random.Random, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("index.html", date_time=(2020, 1, 1, 0, 0, 0)), text)
        z.writestr(zipfile.ZipInfo("noise.bin", date_time=(2020, 1, 1, 0, 0, 0)), rng.randbytes(2000))
    return buf.getvalue()


# == the families =========================================================================================
@dataclass(frozen=True)
class Family:
    name: str
    make: Callable[[random.Random, bool, str], Page]  # (rng, full, variant) -> Page
    variants: tuple[str, ...]
    has_full: bool = False   # a full size that differs from the small one


FAMILIES: dict[str, Family] = {}


def family(name: str, variants: list[str] | tuple[str, ...], has_full: bool = False):
    def register(make):
        FAMILIES[name] = Family(name, make, tuple(variants), has_full)
        return make
    return register


@family("empty", ["zero_bytes", "space", "whitespace", "html_shell", "doctype", "empty_body", "only_comment",
                  "only_script", "empty_paragraphs", "nbsp", "bom_only", "empty_str"])
def f_empty(rng, full, name):
    return Page("empty", name, {
        "zero_bytes": lambda: b"", "space": lambda: b" ",
        "whitespace": lambda: b" \t\r\n\x0b\x0c " * rng.randint(1, 50),
        "html_shell": lambda: b"<html></html>", "doctype": lambda: b"<!DOCTYPE html>",
        "empty_body": lambda: wrap("").encode(), "only_comment": lambda: b"<!-- nothing here -->",
        "only_script": lambda: b"<script>var a = 1;</script><style>p{color:red}</style>",
        "empty_paragraphs": lambda: ("<p></p>" * rng.randint(1, 2000)).encode(),
        "nbsp": lambda: ("&nbsp;" * rng.randint(1, 500)).encode(), "bom_only": lambda: codecs.BOM_UTF8,
        "empty_str": lambda: "",
    }[name]())


@family("binary_image", ["png", "jpeg", "gif", "png_after_html", "jpeg_in_paragraph", "webp"], has_full=True)
def f_binary_image(rng, full, name):
    w, h = (rng.randint(200, 1200), rng.randint(200, 1200)) if full else (rng.randint(1, 64), rng.randint(1, 64))
    return Page("binary_image", name, {
        "png": lambda: png_bytes(rng, w, h), "jpeg": lambda: jpeg_bytes(rng, w, h),
        "gif": lambda: GIF_1X1 + rng.randbytes(rng.randint(0, 500)),
        "png_after_html": lambda: b"<html><body><p>" + png_bytes(rng, w, h) + b"</p></body></html>",
        "jpeg_in_paragraph": lambda: b"<p>" + jpeg_bytes(rng, w, h) * rng.randint(1, 5) + b"</p>",
        "webp": lambda: b"RIFF" + struct.pack("<I", 4 + 200) + b"WEBPVP8 " + rng.randbytes(200),
    }[name]())


@family("binary_other", ["gzip_html", "bz2_html", "xz_html", "zip", "pdf", "elf", "random", "random_high"],
        has_full=True)
def f_binary_other(rng, full, name):
    doc = article_html(rng, 100 if full else rng.randint(2, 10)).encode()
    return Page("binary_other", name, {
        "gzip_html": lambda: gzip.compress(doc, mtime=0), "bz2_html": lambda: bz2.compress(doc),
        "xz_html": lambda: lzma.compress(doc), "zip": lambda: zip_bytes(rng, doc.decode()),
        "pdf": lambda: pdf_bytes(paragraph(rng)), "elf": lambda: b"\x7fELF\x02\x01\x01" + rng.randbytes(4000),
        "random": lambda: rng.randbytes(5_000_000 if full else rng_size(rng, 1, 100_000)),
        "random_high": lambda: bytes(b | 0x80 for b in rng.randbytes(2_000_000 if full else rng_size(rng, 1, 50_000))),
    }[name]())


@family("huge", ["paragraphs", "one_div", "list", "text_plain"], has_full=True)
def f_huge(rng, full, name):
    target = 20_000_000 if full else rng_size(rng, 5_000, 150_000)
    if name == "paragraphs":
        inner = fill(rng, target, lambda: f"<p>{paragraph(rng)}</p>\n")
    elif name == "one_div":
        inner = "<div>" + fill(rng, target, lambda: paragraph(rng) + "<br>") + "</div>"
    elif name == "list":
        inner = "<ul>" + fill(rng, target, lambda: f"<li><a href='/x'>{sentence(rng)}</a></li>") + "</ul>"
    else:
        return Page("huge", name, fill(rng, target, lambda: paragraph(rng) + "\n"), kind="text",
                    content_type="text/plain")
    return Page("huge", name, wrap(inner).encode())


@family("nested", ["closed", "unclosed", "text_each_level", "inline_links"], has_full=True)
def f_nested(rng, full, name):
    depth = 10_000 if full else rng_size(rng, 50, 1000)
    tag = rng.choice(["div", "span", "b", "a", "blockquote", "section", "ul_li", "table", "p", "font"])
    if name == "inline_links":
        tag = "a"
    text = html.escape(paragraph(rng, 3))
    if tag == "ul_li":
        open_, close = "<ul><li>", "</li></ul>"
    elif tag == "table":
        open_, close = "<table><tr><td>", "</td></tr></table>"
    else:
        open_, close = f'<{tag} class="level x{rng.randint(0, 9)}">', f"</{tag}>"
    if name == "text_each_level":
        body = "".join(f"{open_}{sentence(rng)} " for _ in range(depth)) + close * depth
    elif name == "unclosed":
        body = open_ * depth + text
    else:
        body = open_ * depth + text + close * depth
    return Page("nested", f"{name}_{tag}", wrap(body).encode())


JAPANESE = "市議会は月曜日、学校と道路に関する長い議論の末に新しい予算を承認しました。"
ACCENTED = " Café, naïve, façade, Zürich, São Paulo, 'quotes' — dash."


@family("bad_encoding", ["latin1_declared_utf8", "latin1_header_utf8", "utf8_declared_latin1", "utf16le_no_bom",
                         "utf16be_no_bom", "utf16_declared_no_bom", "utf32_no_bom", "shift_jis_declared",
                         "shift_jis_undeclared", "shift_jis_declared_utf8", "euc_jp_header_sjis", "gb18030",
                         "koi8r_declared_cp1251", "bogus_charset", "mixed", "utf7", "bom_utf16_declared_utf8",
                         "bom_utf8_then_latin1"])
def f_bad_encoding(rng, full, name):
    text = paragraph(rng, 4) + ACCENTED
    jp = JAPANESE * rng.randint(1, 20)
    body, declared = {
        "latin1_declared_utf8": lambda: (wrap(f"<p>{text}</p>", "utf-8").encode("latin-1", "replace"), None),
        "latin1_header_utf8": lambda: (wrap(f"<p>{text}</p>", None).encode("latin-1", "replace"), "utf-8"),
        "utf8_declared_latin1": lambda: (wrap(f"<p>{text}</p>", "iso-8859-1").encode(), None),
        "utf16le_no_bom": lambda: (wrap(f"<p>{text}</p>", None).encode("utf-16-le"), None),
        "utf16be_no_bom": lambda: (wrap(f"<p>{text}</p>", None).encode("utf-16-be"), None),
        "utf16_declared_no_bom": lambda: (wrap(f"<p>{text}</p>", "utf-16").encode("utf-16-le"), "utf-16"),
        "utf32_no_bom": lambda: (wrap(f"<p>{text}</p>", None).encode("utf-32-le"), None),
        "shift_jis_declared": lambda: (wrap(f"<p>{jp}</p>", "shift_jis").encode("shift_jis"), None),
        "shift_jis_undeclared": lambda: (wrap(f"<p>{jp}</p>", None).encode("shift_jis"), None),
        "shift_jis_declared_utf8": lambda: (wrap(f"<p>{jp}</p>", "utf-8").encode("shift_jis"), None),
        "euc_jp_header_sjis": lambda: (wrap(f"<p>{jp}</p>", None).encode("euc_jp"), "shift_jis"),
        "gb18030": lambda: (wrap("<p>市议会在周一经过长时间辩论后批准了新的学校和道路预算。</p>" * 5, "gbk")
                            .encode("gb18030"), None),
        "koi8r_declared_cp1251": lambda: (wrap("<p>Городской совет утвердил новый бюджет.</p>" * 5,
                                               "windows-1251").encode("koi8-r"), None),
        "bogus_charset": lambda: (wrap(f"<p>{text}</p>", "x-no-such-charset").encode(), "evil;charset"),
        "mixed": lambda: (b"".join([wrap("", "utf-8").encode()[:60], f"<p>{text}</p>".encode("utf-8"),
                                    f"<p>{text}</p>".encode("cp1252", "replace"),
                                    f"<p>{text}</p>".encode("utf-16-le"), f"<p>{jp}</p>".encode("shift_jis"),
                                    f"<p>{text}</p>".encode("utf-8")]), None),
        "utf7": lambda: (wrap(f"<p>{text}</p>", "utf-7").encode("utf-7"), None),
        "bom_utf16_declared_utf8": lambda: (codecs.BOM_UTF16_LE + wrap(f"<p>{text}</p>").encode("utf-16-le"),
                                            "utf-8"),
        "bom_utf8_then_latin1": lambda: (codecs.BOM_UTF8 + wrap(f"<p>{text}</p>").encode("latin-1", "replace"),
                                         None),
    }[name]()
    return Page("bad_encoding", name, body, encoding=declared)


INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xe2\x82",
                b"\xf4\x90\x80\x80", b"\x80", b"\xbf", b"\xc3", b"\xf0\x9f\x98", b"\xf8\x88\x80\x80\x80"]


@family("invalid_utf8", ["between_words", "inside_words", "every_word", "only_invalid"])
def f_invalid_utf8(rng, full, name):
    words = paragraph(rng, rng.randint(3, 40)).encode().split(b" ")
    if name == "between_words":
        rate = rng.choice([0.01, 0.1, 0.5])
        out = [w + (rng.choice(INVALID_UTF8) if rng.random() < rate else b"") for w in words]
    elif name == "inside_words":
        out = [w[: len(w) // 2] + rng.choice(INVALID_UTF8) + w[len(w) // 2:] for w in words]
    elif name == "every_word":
        out = [w + rng.choice(INVALID_UTF8) for w in words]
    else:
        out = [b"".join(rng.choice(INVALID_UTF8) for _ in range(rng.randint(1, 2000)))]
    return Page("invalid_utf8", name, b"<!DOCTYPE html><html><head><meta charset=utf-8></head><body><p>"
                + b" ".join(out) + b"</p></body></html>")


@family("nul_bytes", ["interspersed", "leading", "after_1k", "every_other", "only_nuls", "nul_in_tag", "nul_str"])
def f_nul_bytes(rng, full, name):
    text = paragraph(rng, rng.randint(3, 20))
    return Page("nul_bytes", name, {
        "interspersed": lambda: wrap(f"<p>{text}</p>").encode().replace(b" ", b" \x00", rng.randint(1, 50)),
        "leading": lambda: b"\x00" * rng.randint(1, 100) + wrap(f"<p>{text}</p>").encode(),
        "after_1k": lambda: wrap(f"<p>{text * 10}</p>").encode()[:1100] + b"\x00" + wrap(f"<p>{text}</p>").encode(),
        "every_other": lambda: b"".join(bytes([c, 0]) for c in wrap(f"<p>{text}</p>").encode()),
        "only_nuls": lambda: b"\x00" * rng_size(rng, 1, 100_000),
        "nul_in_tag": lambda: f"<p\x00 class='a\x00b'>{text}</p\x00>".encode(),
        "nul_str": lambda: wrap(f"<p>{text}</p>").replace("e", "e\x00"),
    }[name]())


@family("long_line", ["sentences_in_p", "bare_text", "no_spaces", "words_no_periods", "text_plain"], has_full=True)
def f_long_line(rng, full, name):
    target = 1_000_000 if full else rng_size(rng, 2_000, 80_000)
    if name == "sentences_in_p":
        body = "<p>" + fill(rng, target, lambda: sentence(rng) + " ") + "</p>"
    elif name == "bare_text":
        body = fill(rng, target, lambda: sentence(rng) + " ")
    elif name == "no_spaces":
        body = "<p>" + "".join(rng.choice("abcdefghij") for _ in range(1000)) * max(1, target // 1000) + "</p>"
    elif name == "words_no_periods":  # one enormous sentence: no boundary to cut at
        body = "<p>" + fill(rng, target, lambda: rng.choice(WORDS) + " ") + "</p>"
    else:
        return Page("long_line", name, fill(rng, target, lambda: sentence(rng) + " "), kind="text",
                    content_type="text/plain")
    return Page("long_line", name, body.encode())


@family("numbers", ["spaced", "one_run", "decimals", "table", "phone_list", "dotted"], has_full=True)
def f_numbers(rng, full, name):
    n = 200_000 if full else rng_size(rng, 10, 10_000)
    if name == "spaced":
        inner = "<p>" + " ".join(str(rng.randint(0, 10**9)) for _ in range(n)) + "</p>"
    elif name == "one_run":
        inner = "<p>" + "".join(rng.choice("0123456789") for _ in range(n)) + "</p>"
    elif name == "decimals":
        inner = "<p>" + " ".join(f"{rng.uniform(-1e6, 1e6):.4f}." for _ in range(n)) + "</p>"
    elif name == "table":
        inner = "<table>" + "".join("<tr>" + "".join(f"<td>{rng.randint(0, 999)}</td>" for _ in range(10)) + "</tr>"
                                    for _ in range(max(1, n // 10))) + "</table>"
    elif name == "dotted":
        inner = "<p>" + ". ".join(str(rng.randint(0, 99)) for _ in range(n)) + "</p>"
    else:
        inner = "".join(f"<p>+1 ({rng.randint(100, 999)}) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}</p>"
                        for _ in range(max(1, n // 5)))
    return Page("numbers", name, wrap(inner).encode())


PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~…—–«»¡¿。、・"


@family("punctuation", ["random", "spaced", "one_char", "escaped_markup_chars", "paragraphs"], has_full=True)
def f_punctuation(rng, full, name):
    n = 200_000 if full else rng_size(rng, 10, 20_000)
    if name == "random":
        text = "".join(rng.choice(PUNCT) for _ in range(n))
    elif name == "spaced":
        text = " ".join(rng.choice(PUNCT) * rng.randint(1, 5) for _ in range(n // 3 + 1))
    elif name == "one_char":
        text = rng.choice("-=*~_#,;:") * n
    elif name == "escaped_markup_chars":
        text = "".join(rng.choice("<>&\"'") for _ in range(n))
    else:
        paras = ["".join(rng.choice(PUNCT) for _ in range(rng.randint(1, 80))) for _ in range(n // 40 + 1)]
        return Page("punctuation", name, wrap("".join(f"<p>{html.escape(t)}</p>" for t in paras)).encode())
    return Page("punctuation", name, wrap(f"<p>{html.escape(text)}</p>").encode())


@family("unreadable_script", sorted(SCRIPTS), has_full=True)
def f_unreadable_script(rng, full, name):
    lo, hi = SCRIPTS[name]
    n_words = 30_000 if full else rng_size(rng, 5, 3_000)
    words = ["".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 9))) for _ in range(n_words)]
    if rng.random() < 0.3:  # with a little English mixed in: langdetect sees mostly noise
        name += "_with_english"
        words += paragraph(rng, 2).split()
        rng.shuffle(words)
    paras = [" ".join(words[i:i + 40]) for i in range(0, len(words), 40)]
    return Page("unreadable_script", name, wrap("".join(f"<p>{p}.</p>" for p in paras)).encode())


@family("tiny_paragraphs", ["ok", "word", "numbered", "sentence", "br_lines", "text_lines"], has_full=True)
def f_tiny_paragraphs(rng, full, name):
    n = 100_000 if full else rng_size(rng, 100, 2_000)
    if name == "ok":
        inner = "<p>ok.</p>" * n
    elif name == "word":
        inner = "".join(f"<p>{rng.choice(WORDS)}</p>" for _ in range(n))
    elif name == "numbered":
        inner = "".join(f"<p>{i}</p>" for i in range(n))
    elif name == "sentence":
        inner = "".join(f"<p>{sentence(rng)}</p>" for _ in range(n))
    elif name == "br_lines":
        inner = "<div>" + "<br><br>".join(rng.choice(WORDS) for _ in range(n)) + "</div>"
    else:
        return Page("tiny_paragraphs", name, "\n".join(rng.choice(WORDS) for _ in range(n)), kind="text",
                    content_type="text/plain")
    return Page("tiny_paragraphs", name, wrap(inner).encode())


@family("huge_attributes", ["title_attr", "class_words", "many_classed_elements", "data_uri", "style",
                            "many_attrs", "unterminated_quote"], has_full=True)
def f_huge_attributes(rng, full, name):
    size = 5_000_000 if full else rng_size(rng, 1_000, 200_000)
    text = html.escape(paragraph(rng, 4))
    if name == "title_attr":
        inner = f'<p title="{"x" * size}">{text}</p>'
    elif name == "class_words":  # the extractor turns class/id words into hints
        inner = f'<div class="{" ".join(rng.choice(WORDS) + str(i) for i in range(size // 10))}"><p>{text}</p></div>'
    elif name == "many_classed_elements":
        classes = " ".join(f"navShareButtonComment{i}" for i in range(150))
        inner = "".join(f'<div class="{classes} k{i}"><p>{sentence(rng)}</p></div>'
                        for i in range(max(1, size // 4000)))
    elif name == "data_uri":
        inner = f'<img src="data:image/png;base64,{"A" * size}"><p>{text}</p>'
    elif name == "style":
        inner = f'<p style="{"color:red;" * (size // 10)}">{text}</p>'
    elif name == "many_attrs":  # distinct attribute names on one element; full size stays under max_bytes
        count = 125_000 if full else size // 10
        inner = "<p " + " ".join(f'a{i}="{i}"' for i in range(count)) + f">{text}</p>"
    else:
        inner = f'<p class="{"a " * (size // 2)}>{text}</p><p>{text}</p>'
    return Page("huge_attributes", name, wrap(inner).encode())


UNCLOSED = ["comment", "cdata", "script", "style", "title", "textarea", "plaintext", "xmp", "processing_instruction",
            "attribute", "tag", "doctype", "nested_comments", "iframe", "select", "template", "noscript",
            "svg_foreign", "math"]


@family("unclosed_markup", UNCLOSED)
def f_unclosed_markup(rng, full, name):
    text = html.escape(paragraph(rng, rng.randint(2, 30)))
    return Page("unclosed_markup", name, {
        "comment": f"<p>{text}</p><!-- {text}", "cdata": f"<p>{text}</p><![CDATA[ {text}",
        "script": f"<p>{text}</p><script>var s = '{text}", "style": f"<p>{text}</p><style>p {{ {text}",
        "title": f"<title>{text}<p>{text}</p>", "textarea": f"<p>{text}</p><textarea>{text}",
        "plaintext": f"<p>{text}</p><plaintext><p>{text}</p>", "xmp": f"<xmp>{text}<p>{text}</p>",
        "processing_instruction": f"<?php echo '{text}'; <p>{text}</p>",
        "attribute": f'<p class="open>{text}</p><p>{text}</p>', "tag": f"<p {text}",
        "doctype": f"<!DOCTYPE {text}", "nested_comments": "<!--" * 500 + text + "-->" * 3,
        "iframe": f"<iframe>{text}", "select": f"<select><option>{text}" * rng.randint(1, 50),
        "template": f"<template><p>{text}</p>", "noscript": f"<noscript><p>{text}</p>",
        "svg_foreign": f"<svg><foreignObject><p>{text}</p></foreignObject><text>{text}",
        "math": f"<math><mi>{text}</mi><p>{text}",
    }[name].encode())


ATTACKS = ["<script>document.title='pwned'</script>", "<img src=x onerror=\"document.title='pwned'\">",
           "<svg onload=alert(1)>", "\"><script>alert(1)</script>", "javascript:alert(1)",
           "</textarea><script>alert(1)</script>", "<!--<script>-->alert(1)",
           "{{constructor.constructor('alert(1)')()}}",
           "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\">"]


@family("script_as_text", ["escaped_in_p", "in_pre", "in_code", "in_title", "in_attribute", "double_escaped",
                           "live_script", "text_plain"])
def f_script_as_text(rng, full, name):
    attack, text = rng.choice(ATTACKS), paragraph(rng, 3)
    if name == "text_plain":
        return Page("script_as_text", name, f"{text}\n{attack}\n{text}", kind="text", content_type="text/plain")
    return Page("script_as_text", name, {
        "escaped_in_p": wrap(f"<p>{text} {html.escape(attack)} {text}</p>"),
        "in_pre": wrap(f"<pre>{html.escape(attack * 20)}</pre><p>{text}</p>"),
        "in_code": wrap(f"<p>Use <code>{html.escape(attack)}</code> carefully. {text}</p>"),
        "in_title": f"<title>{html.escape(attack)}</title><p>{text}</p>",
        "in_attribute": wrap(f'<p class="{html.escape(attack)}" id="{html.escape(attack)}">{text}</p>'),
        "double_escaped": wrap(f"<p>{html.escape(html.escape(attack))} {text}</p>"),
        "live_script": wrap(f"<p>{text}</p>{attack}<p>{text}</p>"),
    }[name].encode())


@family("rtl", ["pure", "mixed_english", "override_chars", "dir_attr"])
def f_rtl(rng, full, name):
    lang, n = rng.choice(sorted(RTL)), rng.randint(1, 60)
    if name == "pure":
        inner = "".join(f"<p>{RTL[lang]}.</p>" for _ in range(n))
    elif name == "mixed_english":
        inner = "".join(f"<p>{sentence(rng)} {RTL[lang]}. {sentence(rng)}</p>" for _ in range(n))
    elif name == "override_chars":  # English text with bidi overrides and isolates (U+202E, ...)
        inner = "".join(f"<p>{rng.choice(BIDI)}{sentence(rng)}{rng.choice(BIDI)} {sentence(rng)}</p>"
                        for _ in range(n))
    else:
        inner = "".join(f'<p dir="rtl">{RTL[lang]} {sentence(rng)}</p>' for _ in range(n))
    return Page("rtl", f"{name}_{lang}", wrap(inner).encode())


@family("zero_width", ["between_letters", "between_words", "random", "combining_zalgo", "tag_chars",
                       "variation_selectors", "only_invisible"])
def f_zero_width(rng, full, name):
    text = paragraph(rng, rng.randint(3, 30))
    zw = rng.choice(ZERO_WIDTH)
    if name == "between_letters":
        out = zw.join(text)
    elif name == "between_words":
        out = text.replace(" ", zw + " " + zw)
    elif name == "random":
        out = "".join(c + (rng.choice(ZERO_WIDTH) if rng.random() < 0.3 else "") for c in text)
    elif name == "combining_zalgo":
        out = "".join(c + "".join(chr(rng.randint(0x300, 0x36F)) for _ in range(rng.randint(0, 8))) for c in text)
    elif name == "tag_chars":
        out = "".join(c + chr(0xE0000 + ord(c)) if c.isalpha() else c for c in text)
    elif name == "variation_selectors":
        out = "".join(c + chr(rng.randint(0xFE00, 0xFE0F)) for c in text)
    else:
        out = "".join(rng.choice(ZERO_WIDTH + BIDI) for _ in range(rng.randint(1, 50_000)))
    if rng.random() < 0.2:
        return Page("zero_width", name + "_text", out, kind="text", content_type="text/plain")
    return Page("zero_width", name, wrap(f"<p>{out}</p>").encode())


@family("entities", ["out_of_range", "surrogates", "nul_entity", "huge_numbers", "many_amp", "unterminated",
                     "entity_words"])
def f_entities(rng, full, name):
    text, n = paragraph(rng, 3), rng_size(rng, 10, 20_000)
    if name == "out_of_range":
        ents = "".join(f"&#x{rng.randint(0x110000, 0xFFFFFFF):x};" for _ in range(n))
    elif name == "surrogates":
        ents = "".join(f"&#x{rng.randint(0xD800, 0xDFFF):x};" for _ in range(n))
    elif name == "nul_entity":
        ents = "&#0;&#x0;" * n
    elif name == "huge_numbers":
        ents = "".join("&#" + "9" * rng.randint(10, 200) + ";" for _ in range(max(1, n // 20)))
    elif name == "many_amp":
        ents = "&amp;" * n
    elif name == "unterminated":
        ents = "&am &#12 &#x &lt &" * max(1, n // 10)
    else:
        ents = " ".join("".join(f"&#{ord(c)};" for c in w) for w in text.split())
    return Page("entities", name, wrap(f"<p>{text} {ents} {text}</p>").encode())


CONTROLS = [chr(c) for c in [*range(1, 32), 127, *range(0x80, 0xA0)]] + ["\u2028", "\u2029", "\u0085"]


@family("control_chars", ["c0_c1", "cr_only", "line_separators", "form_feeds", "text_plain"])
def f_control_chars(rng, full, name):
    text = paragraph(rng, rng.randint(3, 20))
    if name == "c0_c1":
        out = "".join(c + (rng.choice(CONTROLS) if rng.random() < 0.2 else "") for c in text)
    elif name == "cr_only":
        out = text.replace(". ", ".\r")
    elif name == "line_separators":
        out = text.replace(" ", rng.choice(["\u2028", "\u2029", "\u0085", "\x1c", "\x1e"]))
    elif name == "form_feeds":
        out = text.replace(" ", "\x0c\x0b ")
    else:
        out = "".join(c + (rng.choice(CONTROLS) if rng.random() < 0.1 else "") for c in text)
        return Page("control_chars", name, out, kind="text", content_type="text/plain")
    return Page("control_chars", name, wrap(f"<p>{out}</p>").encode())


@family("segmentation", ["period_run", "bang_run", "mixed_marks", "initials", "abbreviations", "ellipses",
                         "dotted_words"], has_full=True)
def f_segmentation(rng, full, name):
    """Runs of sentence marks and initials: every position is a candidate sentence boundary."""
    n = 80_000 if full else rng_size(rng, 20, 1_000)
    if name == "period_run":
        text = "." * (3 * n)
    elif name == "bang_run":
        text = "!" * (3 * n) + " Then"
    elif name == "mixed_marks":
        text = "".join(rng.choice(".!?") for _ in range(3 * n)) + " A"
    elif name == "initials":
        text = "".join(f"{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}. " for _ in range(n))
    elif name == "abbreviations":
        text = " ".join(rng.choice(["Dr.", "Mr.", "Mrs.", "etc.", "e.g.", "i.e.", "U.S.", "No.", "St."])
                        + " " + rng.choice(["Smith", "Jones", "A", "The"]) for _ in range(n // 2 + 1))
    elif name == "ellipses":
        text = " ".join(rng.choice(WORDS) + "... " + rng.choice(WORDS).title() for _ in range(n // 3 + 1))
    else:
        text = "".join(rng.choice(WORDS) + "." for _ in range(n // 2 + 1))
    if rng.random() < 0.3:
        return Page("segmentation", name + "_text", text, kind="text", content_type="text/plain")
    return Page("segmentation", name, wrap(f"<p>{text}</p>").encode())


@family("repeated_blocks", ["same_paragraph", "headline_list", "promo_between", "same_link"], has_full=True)
def f_repeated_blocks(rng, full, name):
    n = 20_000 if full else rng_size(rng, 10, 500)
    p = paragraph(rng, 3)
    if name == "same_paragraph":
        inner = f"<p>{p}</p>" * n
    elif name == "headline_list":
        inner = "<ul>" + "".join(f'<li><a href="/n/{i}">{sentence(rng)[:60]}</a></li>' for i in range(n)) + "</ul>"
    elif name == "promo_between":
        inner = "".join(f"<p>{sentence(rng)}</p><div class='ad'>{rng.choice(PROMO)}</div>" for _ in range(n))
    else:
        inner = '<a href="/x">Read more</a> ' * n
    return Page("repeated_blocks", name, wrap(inner).encode())


@family("big_table", ["words", "empty_cells", "nested_tables", "sentences"], has_full=True)
def f_big_table(rng, full, name):
    rows, cols = (5_000, 50) if full else (rng_size(rng, 1, 100), rng.randint(1, 30))
    pool = [{"words": lambda: rng.choice(WORDS), "empty_cells": lambda: "", "sentences": lambda: sentence(rng),
             "nested_tables": lambda: f"<table><tr><td>{rng.choice(WORDS)}</td></tr></table>"}[name]()
            for _ in range(64)]
    body = "<table>" + "".join("<tr>" + "".join(f"<td>{rng.choice(pool)}</td>" for _ in range(cols)) + "</tr>"
                               for _ in range(rows)) + "</table>"
    return Page("big_table", name, wrap(body).encode())


@family("control", ["clean", "promo", "split", "chrome"], has_full=True)
def f_control(rng, full, name):
    """Ordinary article pages, some with an injected promo or broken splits: the usual outcomes."""
    page = article_html(rng, 60 if full else None)
    if name == "promo":
        page = page.replace("</p>", f"</p><p>{rng.choice(PROMO)}</p>", 2)
    elif name == "split":
        page = page.replace(" the ", " the. ").replace(" a ", " a. ")
    elif name == "chrome":
        page = page.replace("<article>", "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>")
        page = page.replace("</article>", "</article><footer>Share on Facebook. Leave a comment.</footer>")
    return Page("control", name, page.encode())


@family("mixed", ["splice"])
def f_mixed(rng, full, name):
    """Two to five pieces of other families' small pages spliced together (bytes, whatever their encodings)."""
    names = rng.sample([n for n in FAMILIES if n not in ("control", "mixed")], rng.randint(2, 5))
    parts = []
    for n in names:
        body = FAMILIES[n].make(rng, False, rng.choice(FAMILIES[n].variants)).body
        body = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        parts.append(body[: rng_size(rng, 100, 100_000)])
    return Page("mixed", "+".join(names), b"".join(parts))


def generate(family_name: str, seed: int, full: bool = False, variant: str | None = None) -> Page:
    """The page of one case: the same family, seed, size and variant give the same bytes."""
    fam = FAMILIES[family_name]
    rng = random.Random(f"{family_name}:{seed}:{int(full)}")
    name = variant or rng.choice(fam.variants)
    if name not in fam.variants:
        raise ValueError(f"family {family_name} has no variant {name!r}; variants: {', '.join(fam.variants)}")
    return fam.make(rng, full, name)


Task = tuple[str, int, bool, "str | None"]  # (family, seed, full, variant or None for a random one)


def plan_full(seed: int = 0, families: list[str] | None = None) -> list[Task]:
    """Only the full-size cases: one per variant of each family that has a full size (the bounded-cost table)."""
    rng = random.Random(seed)
    return [(name, rng.randrange(2**31), True, v) for name in (families or list(FAMILIES))
            if FAMILIES[name].has_full for v in FAMILIES[name].variants]


def plan(cases: int, seed: int = 0, full_per_variant: int = DEFAULT_FULL,
         families: list[str] | None = None) -> list[Task]:
    """The run's cases: families dealt evenly in a seeded shuffle, a random variant each; then, for each
    family with a full size, `full_per_variant` full-size cases of every variant replace small ones."""
    names = families or list(FAMILIES)
    rng = random.Random(seed)
    order = [names[i % len(names)] for i in range(cases)]
    rng.shuffle(order)
    out: list[Task] = [(name, rng.randrange(2**31), False, None) for name in order]
    for name in names:
        fam = FAMILIES[name]
        if not fam.has_full:
            continue
        slots = [i for i, task in enumerate(out) if task[0] == name]
        wanted = [v for v in fam.variants for _ in range(full_per_variant)]
        for i, variant in zip(rng.sample(slots, min(len(wanted), len(slots))), wanted):
            out[i] = (name, out[i][1], True, variant)
    return out


# == scoring one case and checking its report ==========================================================
def check_report(report: Any) -> list[str]:
    """What is wrong with a report (empty list: nothing)."""
    problems = []
    if not isinstance(report, PageReport):
        return [f"not a PageReport: {type(report).__name__}"]
    if report.status not in STATUSES:
        problems.append(f"unknown status {report.status!r}")
    if report.action not in ACTION_SEVERITY:
        problems.append(f"unknown action {report.action!r}")
    if report.status == UNSCORED and not report.error:
        problems.append("unscored without an error")
    try:
        again = PageReport.from_dict(json.loads(report.to_json()))
        if again.to_dict() != json.loads(report.to_json()):
            problems.append("JSON round trip changes the report")
    except Exception as exc:
        problems.append(f"JSON round trip fails: {type(exc).__name__}: {exc}")
    for name, sig in report.signals.items():
        if not (isinstance(sig.score, float) and 0.0 <= sig.score <= 1.0):
            problems.append(f"{name} score {sig.score!r} outside [0, 1]")
        for e in sig.evidence:
            if not (0 <= e.start <= e.end <= len(report.text)) or report.text[e.start:e.end] != e.text:
                problems.append(f"{name} evidence [{e.start}:{e.end}] {e.text[:40]!r} does not index the text")
                break
        for key, value in sig.features.items():
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(f"{name} feature {key} = {value} (not finite: invalid JSON)")
    for flag in report.flags:
        if flag not in report.signals:
            problems.append(f"flag {flag!r} without a signal result")
    return problems


def internal_error(report: PageReport) -> str | None:
    """The exception the scorer caught when it returned the page unscored (status UNSCORED: scoring failed and
    `error` holds "Type: message"), else None. Pages skipped for a stated reason are not errors."""
    if report.status == UNSCORED and report.error:
        return report.error
    return None


def reason_of(report: PageReport) -> str:
    """A short reason for the outcome: what the report says about why it is what it is."""
    if report.status == UNSCORED:
        return (report.error or "").split(":")[0] or "unscored"
    if report.status == UNSUPPORTED:
        return f"language={report.language}"
    if report.status == TOO_SHORT:
        return f"words<{'min' if report.words else '1'}"
    return ",".join(report.flags) or "clean"


def _rss_kb(field_name: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field_name):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def score_case(scorer, page: Page) -> dict[str, Any]:
    """Score one page and describe the outcome; never raises."""
    out: dict[str, Any] = {"family": page.family, "variant": page.variant, "bytes": page.size, "kind": page.kind}
    can_reset = _reset_peak()
    rss0 = _rss_kb("VmRSS")
    started = time.perf_counter()
    try:
        if page.kind == "text":
            text = page.body if isinstance(page.body, str) else page.body.decode("utf-8", "replace")
            report = scorer.score_text(text)
        else:
            report = scorer.score_html(page.body, url=f"http://hostile.test/{page.family}/{page.variant}",
                                       encoding=page.encoding)
    except BaseException as exc:  # the point of the benchmark: nothing may escape
        out.update(outcome="exception", seconds=time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}",
                   traceback=traceback.format_exc(limit=8))
        return out
    out["seconds"] = time.perf_counter() - started
    out["peak_kb"] = max(_rss_kb("VmHWM") - rss0, 0) if can_reset else None
    problems = check_report(report)
    outcome = "check_failed" if problems else "unscored_error" if internal_error(report) else "ok"
    out.update(outcome=outcome, problems=problems[:5], status=report.status,
               action=report.action, reason=reason_of(report), words=report.words, text_chars=len(report.text),
               truncated=any(note.startswith("truncated") for note in report.notes), error=report.error)
    return out


# == running many cases in worker processes ==============================================================
def _case_id(family_name: str, seed: Any, full: Any, variant: Any) -> str:
    """What --replay takes: family:seed:size, plus the variant when the plan forced one."""
    return f"{family_name}:{seed}:{'full' if full else 'small'}" + (f":{variant}" if variant else "")


def _worker(conn, model: str | None) -> None:
    from scoring.config import QualityConfig
    from scoring.scorer import Scorer

    scorer = Scorer(QualityConfig(models={"en": model}) if model else QualityConfig())
    scorer.score_html(article_html(random.Random(0)), "warm-up")
    conn.send("ready")
    while True:
        task = conn.recv()
        if task is None:
            return
        index, (family_name, seed, full, variant) = task
        try:
            page = generate(family_name, seed, full, variant)
        except BaseException as exc:
            conn.send((index, {"family": family_name, "variant": variant, "outcome": "generator_error",
                               "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}"}))
            continue
        result = score_case(scorer, page)
        del page
        conn.send((index, result))


class _Pool:
    """Worker processes fed one case at a time; a case past its time limit gets its worker killed."""

    def __init__(self, workers: int, model: str | None):
        self.ctx = multiprocessing.get_context("spawn")
        self.model = model
        self.slots: list[dict] = []
        for _ in range(workers):
            self.slots.append(self._spawn())

    def _spawn(self) -> dict:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.model), daemon=True)
        proc.start()
        child.close()
        if not parent.poll(120) or parent.recv() != "ready":
            proc.kill()
            raise RuntimeError("a hostile-bench worker failed to start (is the model built? `make model`)")
        return {"proc": proc, "conn": parent, "task": None, "since": 0.0}

    def run(self, tasks: list[Task], timeout: float, progress) -> list[dict]:
        results: list[dict | None] = [None] * len(tasks)
        queue = list(range(len(tasks)))[::-1]
        done = 0
        while done < len(tasks):
            for slot in self.slots:
                if slot["task"] is None and queue:
                    index = queue.pop()
                    slot["conn"].send((index, tasks[index]))
                    slot["task"], slot["since"] = index, time.perf_counter()
            busy = [s for s in self.slots if s["task"] is not None]
            ready = wait([s["conn"] for s in busy], timeout=1.0)
            for slot in busy:
                index = slot["task"]
                family_name, seed, full, variant = tasks[index]
                elapsed = time.perf_counter() - slot["since"]
                if slot["conn"] in ready:
                    try:
                        _, result = slot["conn"].recv()
                    except (EOFError, OSError):  # the worker died (out of memory, a crash in C code)
                        result = {"family": family_name, "variant": variant, "outcome": "worker_died",
                                  "seconds": elapsed, "error": f"worker exit code {slot['proc'].exitcode}"}
                        self._replace(slot)
                elif elapsed > timeout:
                    result = {"family": family_name, "variant": variant, "outcome": "timeout", "seconds": elapsed,
                              "error": f"still scoring after {timeout:g} s (worker killed)"}
                    self._replace(slot)
                else:
                    continue
                if "bytes" not in result:  # the worker never reported it: make the page again to say what it was
                    page = generate(family_name, seed, full, variant)
                    result.update(bytes=page.size, variant=page.variant, kind=page.kind)
                    del page
                result.update(seed=seed, full=full, case=_case_id(family_name, seed, full, variant))
                results[index] = result
                slot["task"] = None
                done += 1
                if progress and done % 1000 == 0:
                    progress(f"hostile: {done}/{len(tasks)} cases")
        return results  # type: ignore[return-value]

    def _replace(self, slot: dict) -> None:
        slot["proc"].kill()
        slot["proc"].join()
        slot["conn"].close()
        task = slot["task"]
        slot.update(self._spawn())
        slot["task"] = task

    def close(self) -> None:
        for slot in self.slots:
            try:
                slot["conn"].send(None)
            except OSError:
                pass
            slot["proc"].join(timeout=10)
            if slot["proc"].is_alive():
                slot["proc"].kill()
                slot["proc"].join()


def run(cases: int = DEFAULT_CASES, *, seed: int = 0, workers: int = 2, timeout: float = DEFAULT_TIMEOUT,
        full_per_variant: int = DEFAULT_FULL, families: list[str] | None = None, model: str | None = None,
        full_only: bool = False, progress: Callable[[str], None] | None = print) -> dict[str, Any]:
    """Run the cases in worker processes; return the summary dict (see `summarise`)."""
    tasks = plan_full(seed, families) if full_only else plan(cases, seed, full_per_variant, families)
    started = time.perf_counter()
    pool = _Pool(max(1, workers), model)
    try:
        results = pool.run(tasks, timeout, progress)
    finally:
        pool.close()
    summary = summarise(results)
    summary.update(seed=seed, workers=workers, timeout=timeout, wall_seconds=time.perf_counter() - started)
    return summary


def _short_case(r: dict) -> str:
    return f"{r.get('case')} ({r.get('variant')}, {r.get('bytes') or 0:,} B)"


def summarise(results: list[dict]) -> dict[str, Any]:
    """Per family: cases, statuses, failures, worst seconds and peak memory; the failures; the worst cases."""
    fams: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "cases": 0, "full": 0, "statuses": Counter(), "outcomes": Counter(), "truncated": 0, "total_seconds": 0.0,
        "max_seconds": -1.0, "max_seconds_case": None, "max_peak_kb": -1, "max_peak_case": None, "max_bytes": 0})
    failures = []
    for r in results:
        f = fams[r["family"]]
        f["cases"] += 1
        f["full"] += bool(r.get("full"))
        f["outcomes"][r["outcome"]] += 1
        if r.get("status"):
            f["statuses"][r["status"]] += 1
        f["truncated"] += bool(r.get("truncated"))
        f["total_seconds"] += r.get("seconds", 0.0)
        f["max_bytes"] = max(f["max_bytes"], r.get("bytes") or 0)
        if r.get("seconds", 0.0) > f["max_seconds"]:
            f["max_seconds"], f["max_seconds_case"] = r.get("seconds", 0.0), _short_case(r)
        if (r.get("peak_kb") or 0) > f["max_peak_kb"]:
            f["max_peak_kb"], f["max_peak_case"] = r.get("peak_kb") or 0, _short_case(r)
        if r["outcome"] != "ok":
            failures.append({k: r.get(k) for k in ("case", "family", "variant", "seed", "full", "bytes", "outcome",
                                                    "error", "problems", "traceback", "seconds")})
    keys = ("case", "family", "variant", "seed", "full", "bytes", "seconds", "peak_kb", "status", "reason", "outcome")
    worst = max(results, key=lambda r: r.get("seconds", 0.0), default={})
    worst_mem = max(results, key=lambda r: r.get("peak_kb") or 0, default={})
    return {
        "cases": len(results), "failures": failures, "ok": not failures,
        "outcomes": dict(Counter(r["outcome"] for r in results)),
        "statuses": dict(Counter(r.get("status") for r in results if r.get("status"))),
        "families": {name: {**f, "statuses": dict(f["statuses"]), "outcomes": dict(f["outcomes"])}
                     for name, f in sorted(fams.items())},
        "worst_seconds": {k: worst.get(k) for k in keys},
        "worst_memory": {k: worst_mem.get(k) for k in keys},
        "full_cases": sorted(({k: r.get(k) for k in keys} for r in results if r.get("full")),
                             key=lambda r: -(r.get("seconds") or 0)),
        "scoring_seconds": sum(r.get("seconds", 0.0) for r in results),
    }


STATUS_SHORT = {SCORED: "scored", UNSCORED: "unscored", UNSUPPORTED: "lang", TOO_SHORT: "short", NO_MAIN_CONTENT: "no_article"}


def format_summary(summary: dict[str, Any], full_rows: int = 12) -> str:
    """The summary as tables (Markdown): per family, the slowest full-size cases, the failures."""
    lines = ["| family | cases (full) | statuses | failed | truncated | mean ms | worst s | worst peak RSS MB "
             "| largest input MB | slowest case |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, f in summary["families"].items():
        statuses = " ".join(f"{STATUS_SHORT.get(s, s)}={n}" for s, n in sorted(f["statuses"].items()))
        failed = sum(n for o, n in f["outcomes"].items() if o != "ok")
        lines.append(f"| {name} | {f['cases']} ({f['full']}) | {statuses} | {failed} | {f['truncated']} "
                     f"| {1000 * f['total_seconds'] / max(f['cases'], 1):.0f} | {f['max_seconds']:.2f} "
                     f"| {max(f['max_peak_kb'], 0) / 1024:.1f} | {f['max_bytes'] / 1e6:.2f} "
                     f"| {f['max_seconds_case']} |")
    w, m = summary["worst_seconds"], summary["worst_memory"]
    lines += [
        "",
        f"cases: {summary['cases']}; outcomes: {summary['outcomes']}; statuses: {summary['statuses']}",
        f"worst time: {w.get('seconds') or 0:.2f} s, {w.get('case')}, {w.get('bytes') or 0:,} bytes, "
        f"outcome {w.get('outcome')}, status {w.get('status')}",
        f"worst memory: +{(m.get('peak_kb') or 0) / 1024:.1f} MB peak RSS while scoring, {m.get('case')}, "
        f"{m.get('bytes') or 0:,} bytes, {m.get('seconds') or 0:.2f} s",
        f"scoring time {summary['scoring_seconds']:.0f} s in {summary.get('workers', '?')} workers, wall "
        f"{summary.get('wall_seconds', 0):.0f} s; per-case limit {summary.get('timeout', DEFAULT_TIMEOUT):g} s",
    ]
    if summary.get("full_cases"):
        full_rows = len(summary["full_cases"]) if len(summary["full_cases"]) == summary["cases"] else full_rows
        lines += ["", f"slowest full-size cases (of {len(summary['full_cases'])}):", "",
                  "| case | input MB | seconds | peak RSS MB | outcome | status |", "|---|---|---|---|---|---|"]
        for r in summary["full_cases"][:full_rows]:
            lines.append(f"| {r['case']} | {(r.get('bytes') or 0) / 1e6:.2f} | {r.get('seconds') or 0:.2f} "
                         f"| {(r.get('peak_kb') or 0) / 1024:.1f} | {r.get('outcome')} | {r.get('status')} |")
    lines.append("")
    if summary["failures"]:
        lines.append(f"FAILURES ({len(summary['failures'])}):")
        for fl in summary["failures"][:40]:
            lines.append(f"  {fl['outcome']}: {fl['case']} ({fl.get('bytes') or 0:,} B, "
                         f"{fl.get('seconds') or 0:.1f} s): "
                         f"{fl.get('error') or ''} {fl.get('problems') or ''}".rstrip())
        lines.append("  replay one: python3 -m bench.hostile --replay FAMILY:SEED:full|small:VARIANT")
    else:
        lines.append("no failures: no exception escaped, no page came back unscored after an internal error, "
                     "every report passed its checks, no case hit the time limit")
    return "\n".join(lines)


def markdown_section(summary: dict[str, Any]) -> str:
    """For bench/run.py: the summary as a Markdown section body."""
    return format_summary(summary) + "\n"


def replay(spec: str, model: str | None = None) -> dict[str, Any]:
    """One case in this process: 'family:seed:full|small[:variant]'."""
    from scoring.config import QualityConfig
    from scoring.scorer import Scorer

    family_name, seed, size, *variant = spec.split(":", 3)
    page = generate(family_name, int(seed), size == "full", variant[0] if variant else None)
    scorer = Scorer(QualityConfig(models={"en": model}) if model else QualityConfig())
    return score_case(scorer, page)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.hostile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=DEFAULT_CASES)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per case (default %(default)s)")
    ap.add_argument("--full", type=int, default=DEFAULT_FULL,
                    help="full-size cases per variant of each family that has a full size (default %(default)s)")
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    ap.add_argument("--full-only", action="store_true",
                    help="only the full-size cases, one per variant (the worst-case time and memory table)")
    ap.add_argument("--model", help="KenLM model (default: the default model)")
    ap.add_argument("--json", help="write the summary (with every failure) to this file")
    ap.add_argument("--replay", metavar="FAMILY:SEED:full|small[:VARIANT]", help="score one case here, print it")
    args = ap.parse_args(argv)
    if args.replay:
        print(json.dumps(replay(args.replay, args.model), indent=2, default=str))
        return 0
    summary = run(args.cases, seed=args.seed, workers=args.workers, timeout=args.timeout, full_per_variant=args.full,
                  families=args.family, model=args.model, full_only=args.full_only,
                  progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_summary(summary))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1, default=str)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
