"""Block features shared by the block signals (boilerplate, injection, split): cue matching, each block's
tokens, and each block's chrome score with its reasons.

A block is judged on its own words first (so plain text works), then on what the DOM says: the class/id/role
words of its element and ancestors ("comment-form", "share-buttons", "sidebar") and its link density. Runs of
short unpunctuated items are navigation; a short line repeated on the page corroborates other cues. The
boilerplate signal sums these scores; injection leaves chrome to it; split ignores full stops inside chrome.
Computed once per page (cached in the scoring context).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..document import Block, Document
from ..normalize import lower_as_re_ignorecase, tokenize
from .base import ScoringContext
from .stats import noisy_or

CHROME_SCORE = 0.5         # a block with this chrome score is page chrome (and boilerplate evidence)
LONG_BLOCK_WORDS = 30      # generic cues fade in blocks longer than this (prose that mentions "privacy policy")
DUPLICATE_WEIGHT = 0.45    # a repeated short block: corroborates other cues, not counted alone (< CHROME_SCORE)

_I = re.I


def rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _I)


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_DATE = (rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
         r"|\d{4}-\d\d-\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})")
_STAMPED = r"(?:updated|published|posted|last updated|modified)\s*:?\s*(?:on\s+)?"
_TIME = r"\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
_SOCIAL = r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|print|copy link|messenger|tumblr)"


@dataclass(frozen=True)
class Cue:
    reason: str
    pattern: re.Pattern
    weight: float
    specific: bool = True  # specific cues keep their weight in long blocks; generic ones fade
    # Any match contains one of these lowercase words (`keys`, as split by [a-z]+) or substrings (`marks`):
    # see CueSet. Both empty for patterns anchored at the block's start, which fail at once.
    keys: str = ""
    marks: tuple[str, ...] = ()
    # Optional, finer: every match also meets one of these space-separated conditions (or contains a mark).
    # "a/b+c" needs the word a or b and the word c; "^a/b" needs the block to start with a or b (lowercased).
    # For the cues that common words (more, now, only, share) would otherwise send through their regex.
    needs: str = ""
    # A page whose title a `subject` cue matches is one of the site's own legal or information pages (privacy or
    # cookie policy, terms, "About us"): there these cues read the page's subject, not links to it, and none of
    # them counts in its blocks.
    subject: bool = False


# A block's words are its runs of [a-z] once lowercased: every other byte of its ASCII form (a non-ASCII character
# is one "?" there) becomes a space, and str.split cuts there (40% faster than re.findall("[a-z]+")).
_NOT_A_TO_Z = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def _lowered_words(text: str) -> tuple[str, frozenset[str]]:
    """A block's lowercase text and its words (~10 us a block)."""
    lowered = lower_as_re_ignorecase(text)  # no word a case-insensitive cue can match is missing
    return lowered, frozenset(lowered.encode("ascii", "replace").translate(_NOT_A_TO_Z).decode("ascii").split())


def lowered_words(text: str, ctx: ScoringContext | None = None) -> tuple[str, frozenset[str]]:
    """`_lowered_words`, cached for the page in the context: the chrome cues (`block_chrome`) and the injection
    signal's promotional cues read them block by block, one after the other. (Per page, not in a cache that
    outlives it: every full garbage collection walks each cached word set, which with functools.lru_cache's 2048
    blocks was ~9 ms of a collection.)"""
    if ctx is None:
        return _lowered_words(text)
    cache = ctx.page.lowered_words
    found = cache.get(text)
    if found is None:
        found = cache[text] = _lowered_words(text)
    return found


Needs = tuple[tuple[str, ...], frozenset[str], list[tuple[frozenset[str], ...]]]


def _needs(spec: str) -> Needs:
    """A cue's `needs`: (the prefixes of its "^" conditions, the words that suffice alone, the other word
    conditions as sets that must all meet)."""
    prefixes: list[str] = []
    single: set[str] = set()
    conjunctions = []
    for item in spec.split():
        if item.startswith("^"):
            prefixes.extend(item[1:].split("/"))
        elif "+" not in item:
            single.update(item.split("/"))
        else:
            conjunctions.append(tuple(frozenset(part.split("/")) for part in item.split("+")))
    return tuple(prefixes), frozenset(single), conjunctions


def _meets(needs: Needs, lowered: str, words: frozenset[str]) -> bool:
    prefixes, single, conjunctions = needs
    return (lowered.startswith(prefixes) or not words.isdisjoint(single)
            or any(not any(map(words.isdisjoint, parts)) for parts in conjunctions))


class CueSet:
    """Runs only the cues whose key words occur in a block: unanchored case-insensitive alternations cost
    ~25 us per paragraph each, a set lookup ~0.1 us, and most blocks of prose trigger few cues."""

    def __init__(self, cues: tuple[Cue, ...]):
        self.cues = cues
        self.always = [i for i, c in enumerate(cues) if not c.keys and not c.marks]
        self.marked = [(i, c.marks) for i, c in enumerate(cues) if c.marks]
        self.by_word: dict[str, list[int]] = {}
        for i, c in enumerate(cues):
            for w in c.keys.split():
                self.by_word.setdefault(w, []).append(i)
        self.key_words = frozenset(self.by_word)
        self.needs = {i: _needs(c.needs) for i, c in enumerate(cues) if c.needs}
        # The cues tried on every block without a condition, searched first as one alternation, which matches
        # where one of them does: a block of prose matches none, and one search (~1 us) spares each its own
        # search and test. (Those with `needs` stay out: their condition spares a costly search.)
        plain = [i for i in self.always if i not in self.needs]
        self.needs_only = [i for i in self.always if i in self.needs]
        self.any_plain = re.compile("|".join(f"(?:{cues[i].pattern.pattern})" for i in plain),
                                    cues[plain[0]].pattern.flags) if plain else None
        assert all(cues[i].pattern.flags == cues[plain[0]].pattern.flags for i in plain), "one alternation, one flag set"

    def matches(self, text: str, ctx: ScoringContext | None = None) -> list[Cue]:
        """The cues that match the text (`ctx`: the page's context, whose cache holds the text's words)."""
        lowered, words = lowered_words(text, ctx)
        chosen = set(self.always if self.any_plain is None or self.any_plain.search(text) else self.needs_only)
        # only the block's words that are some cue's key (a C set intersection, not a lookup per word)
        for w in words & self.key_words:
            chosen.update(self.by_word[w])
        for i, marks in self.marked:
            if i not in chosen and any(map(lowered.__contains__, marks)):
                chosen.add(i)
        found = []
        for i in sorted(chosen):  # (inline: a method call per cue and block cost as much as the tests)
            cue, needs = self.cues[i], self.needs.get(i)
            if ((needs is None or _meets(needs, lowered, words) or any(map(lowered.__contains__, cue.marks)))
                    and cue.pattern.search(text)):
                found.append(cue)
        return found


# Text cues. Anchored patterns (^...$) describe a whole block; the others a phrase inside one.
TEXT_CUES = (
    # comment forms and threads
    Cue("comment form", rx(r"\bleave an? (?:comment|reply)\b", r"\byour email address will not be published\b",
                            r"\brequired fields are marked\b", r"\b(?:post|submit|add|write) (?:a |your )?comment\b",
                            r"\bbe the first to (?:comment|review)\b", r"\b(?:log|sign) in to (?:comment|reply)\b",
                            r"\bcancel reply\b", r"\bsave my name,? email\b", r"\bnotify me of (?:new|follow-up)\b",
                            r"\byou must be logged in to post\b", r"\bjoin the (?:discussion|conversation)\b"), 1.0,
        keys="comment comments reply published required review save notify logged join",
        needs="comment/reply+leave/post/submit/add/write/first/log/sign/cancel published+email required+fields "
              "review+first save+name notify logged join+discussion/conversation"),
    Cue("comment count", rx(r"^\d[\d,.]*\s+(?:comments?|responses?|replies|thoughts? on)\b",
                             r"^(?:comments?|responses?|replies)\s*\(\d+\)$", r"^(?:no|one) (?:comments?|responses?)\b",
                             r"^(?:reply|comments?|name\s*\*?|email\s*\*?|website|comment\s*\*?|submit|post comment)$"), 0.9),
    # a comment thread's controls: "Comments (96) Sort by: Oldest Load more comments"
    Cue("comment thread", rx(r"^(?:comments?|responses?|replies)\s*\(\d[\d,]*\)",
                              r"\bsort (?:comments )?by\s*:?\s*(?:oldest|newest|best|top|most recent|most popular|popular)\b",
                              r"(?:^|\b(?:comments?|replies)\b.*)\b(?:load|show|view) (?:more|all|older|previous) (?:comments|replies)\s*$"), 1.0,
        keys="comments comment responses replies sort load show view",
        needs="^comments/comment/responses/replies sort+by+comments/comment/replies load/show/view+comments/replies"),
    # share and follow
    # ("share this" alone is prose too: "I share this recognition with the team", "she wanted to share this moment")
    Cue("share prompt", rx(r"\bshare this (?:article|story|post|page|video|photo|gallery|link|recipe)\b",
                            r"\bshare this\s*(?:[:!]|$|(?:on|via|with (?:your )?friends)\b)",
                            r"\bshare (?:on (?:facebook|twitter|x|linkedin|whatsapp|reddit|pinterest)|via)\b",
                            r"\bclick to (?:share|email|print)\b", r"\bfollow us on\b", r"\blike us on facebook\b",
                            r"^share(?: this)?(?: article| story| post| page)?\s*:?$",
                            rf"^(?:share|tweet|pin it|{_SOCIAL})(?:\s*[|:/,·•-]?\s*(?:share|tweet|pin it|{_SOCIAL}))*$"), 1.0,
        keys="share follow like click tweet pin facebook twitter email mail print linkedin whatsapp telegram reddit "
             "pinterest messenger tumblr copy",
        needs="share+this share+on/via click+to+share/email/print follow+us+on like+us+on+facebook "
              "^share/tweet/pin/facebook/twitter/x/linkedin/whatsapp/telegram/reddit/pinterest/email/e-mail/print/copy/"
              "messenger/tumblr"),
    # an article's tool bar on one line, "Print | Email | Save | A- | A+" (one of share and social links only
    # is a share prompt). Its look-ahead reads the whole block (~10 us a paragraph, the costliest cue of a page of
    # prose): `needs` lets through only the blocks that start with one of its items, as every match does.
    Cue("tool bar", rx(r"^(?=.*\b(?:save|bookmark|listen|(?:text|font) size)\b|.*\ba[-+])"
                       rf"(?:(?:print|e-?mail|save|share|tweet|bookmark|listen|copy link|a-|a\+|text size|font size|"
                       rf"{_SOCIAL})\s*[|·•/,]?\s*){{3,}}$"), 1.0,
        needs="^print/email/e-mail/save/share/tweet/bookmark/listen/copy/a-/a+/text/font/facebook/twitter/x/linkedin/"
              "whatsapp/telegram/reddit/pinterest/messenger/tumblr"),
    # newsletters and sign-ups
    Cue("newsletter prompt", rx(r"\b(?:subscribe|sign up|signup|register) (?:to|for) (?:our|the|my) (?:free )?(?:\w+ )?newsletters?\b",
                                 r"\bdelivered (?:straight |directly )?to your inbox\b", r"\benter your e-?mail(?: address)?\b",
                                 r"\bget (?:the latest|our best|breaking)\b[^.]{0,60}\b(?:inbox|e-?mail|newsletter|updates)\b",
                                 r"\bnewsletter sign ?up\b", r"^subscribe(?: now)?[.!]?$", r"\bunsubscribe at any time\b",
                                 # the site's own voice ("our"): "sign up for the flood alerts" is news
                                 r"\bsign up for our (?:\w+ ){0,3}(?:briefing|digest|bulletin|e-?mails?|alerts)\b",
                                 r"\bsubscribe to (?:receive|get) (?:our )?(?:\w+ ){0,3}(?:alerts|updates|e-?mails?|digest)\b"),
        1.0, keys="newsletter newsletters inbox mail email subscribe unsubscribe latest best breaking sign",
        needs="newsletter/newsletters inbox enter+email/mail get+inbox/email/mail/newsletter/updates ^subscribe "
              "unsubscribe sign+our+briefing/digest/bulletin/email/emails/mail/mails/alerts "
              "subscribe+receive/get+alerts/updates/email/emails/mail/mails/digest"),
    # cookie banners and legal footer
    Cue("cookie banner", rx(r"\bwe use cookies\b", r"\bthis (?:web)?site uses cookies\b",
                             r"\bcookie (?:policy|settings|preferences|consent|notice)\b", r"\baccept (?:all )?cookies\b",
                             r"\bby (?:continuing to )?(?:use|using|browse|browsing) (?:this|our) (?:site|website)\b"), 1.0,
        keys="cookie cookies continuing use using browse browsing", subject=True),
    Cue("copyright line", rx(r"©", r"\(c\)\s*\d{4}", r"\bcopyright\s+(?:©\s*)?\d{4}", r"\ball rights reserved\b"), 1.0,
        keys="c copyright rights", marks=("©",)),
    Cue("site links", rx(r"\b(?:privacy policy|terms (?:of (?:use|service)|and conditions)|contact us|about us|"
                          r"advertise with us|site ?map|accessibility statement|cookie settings)\b"), 0.6, specific=False,
        keys="privacy terms contact about advertise map sitemap accessibility cookie",
        needs="privacy+policy terms+of/and contact/about/advertise+us map/sitemap accessibility+statement "
              "cookie+settings", subject=True),
    # widgets
    # (a bare temperature only in a short line: "Riverside 18°C", not "Roast it in a 200°C oven for an hour.")
    # (a forecast adds its high or low: "Boston 14°C Light rain Tomorrow: Thunderstorms, max 11°C")
    Cue("weather widget", rx(r"^\W*(?:[^\s°]+\s+){0,5}-?\d+\s?°(?:\s?[cf]\b)?(?:[^.!?°]{0,60}\b(?:max|min|high|low)\s*:?\s*-?\d+\s?°(?:\s?[cf]\b)?)?[^.!?]{0,40}$", r"\b(?:partly cloudy|mostly sunny|chance of rain|humidity\s*:?\s*\d+\s*%)",
                              r"\b(?:feels like|wind)\s*:?\s*-?\d+\s*(?:°|km/h|mph)"), 0.8, specific=False,
        keys="cloudy sunny rain humidity feels wind", marks=("°",)),
    # a picture's caption, known by its credit: "(Photo: Reuters)", "(AP Photo/Evan Vucci)", "(File photo)",
    # "... Photograph: Tom Jamieson/Reuters", a line "Image credit: NASA". Not article text (the real pages'
    # articleBody leaves captions out); a caption the page marks as one (<figcaption>) is chrome already. ("VIDEO:
    # <title>" names a video, not who made it.)
    Cue("photo credit", rx(r"\((?:photo(?:graph)?s?|images?|pictures?|pic|video|credits?|courtesy)(?:\s+credit)?"
                           r"(?:\s*[:/]|\s+by\b)\s*[^()]{1,60}\)\s*$",
                           r"\((?:ap|afp|reuters|getty|epa|pa|file)(?: images)?(?: photo)?(?:/[^()]{1,60})?\)\s*$",
                           r"\(file photo\)\s*$",
                           r"^(?:photo(?:graph)?|image|picture|photo credit|image credit|credit)s?\s*:\s*[^.!?]{1,60}$",
                           r"[.!?]['\"”’]?\s+(?:photograph|photo|image|picture)\s*:\s*[^.!?]{1,60}$"), 0.8, specific=False,
        keys="photo photos photograph photographs image images picture pictures pic video credit credits courtesy ap "
             "afp reuters getty epa pa file"),
    # a dateline, also with its update time: "Wednesday, 9 January 2016 Updated 8:28 PM"
    Cue("date widget", rx(rf"^(?:{_STAMPED}\s*)?{_DATE}(?:\s*[|,·•-]?\s*(?:{_STAMPED}\s*)?(?:at\s+)?{_TIME})?$",
                           r"^(?:updated|published|posted)?\s*:?\s*\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$",
                           rf"^(?:{_STAMPED}\s*)?{_TIME}$"), 0.8),
    # a reader poll: a question, its answers and the button ("Poll: Should the council act? Yes No Vote")
    Cue("poll", rx(r"^(?:(?:quick |reader |daily )?poll|have your say|what do you think)\b.{0,150}"
                   r"\b(?:vote(?: now)?|yes\s+no(?:\s+vote)?)\s*[.!]?$"), 1.0),
    Cue("counter widget", rx(r"^(?:\d[\d,.]*[km]?\s*(?:views?|comments?|shares?|likes?|reads?|followers?|reactions?)\s*[|·•,]?\s*)+$",
                              r"^\d+\s+min(?:ute)?s?\s+read$"), 0.8),
    Cue("read-more link", rx(r"^(?:read more|continue reading|read the (?:full|whole) (?:story|article)|see more|show more|"
                              r"load more|view all|more stories|view comments|see all)\b.{0,40}$",
                              r"\b(?:read more|continue reading)\s*(?:»|›|>|→|\.\.\.)?$", r"\[\s*(?:\.\.\.|…)\s*\]$"), 0.9,
        keys="read continue see show load view more", marks=("[",),
        needs="^read/continue/see/show/load/view/more read+more continue+reading"),
    # "By Ellen Marsh": a name, capitalised even though the cues ignore case ("By changesets" heads a table)
    Cue("byline", rx(r"^(?:posted|published|written|filed) (?:by|on|in|under)\b.{0,80}$",
                      r"^(?:tags?|categories|category|topics?)\s*:", r"^by\s+(?-i:[A-Z])[\w.'-]+(?:\s+(?-i:[A-Z])[\w.'-]+){0,3}(?:\s*[|,·•]\s*.{0,60})?$"),
        0.7),
    Cue("byline", rx(r"\bfiled under\b"), 0.7, keys="filed"),
    Cue("site chrome", rx(r"^(?:home|menu|search|log ?in|sign ?in|sign ?up|register|skip to (?:main )?content|back to top|"
                           r"(?:next|previous|prev) (?:article|post|story|page)|related (?:posts|articles|stories|content)|"
                           r"you (?:may|might) also like|(?:most (?:read|popular|viewed))|trending(?: now)?|advertisement|advertising|"
                           r"sponsored(?: content)?|recommended(?: for you)?|more from .{1,30}|latest news|top stories)\s*[:»›>]?$"), 0.8),
)

_TEXT_CUE_SET = CueSet(TEXT_CUES)

# DOM hints (class/id/role/aria words of the block's element and ancestors).
HINT_WEIGHTS = {
    **dict.fromkeys(("comment", "comments", "respond", "reply", "replies", "disqus", "share", "sharing", "sharedaddy",
                     "social", "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies", "consent",
                     "gdpr", "breadcrumb", "breadcrumbs", "pagination", "pager"), 0.6),
    **dict.fromkeys(("sidebar", "widget", "widgets", "nav", "navbar", "navigation", "menu", "footer", "toolbar",
                     "masthead", "skip", "login", "byline", "dateline", "timestamp", "weather", "ticker"), 0.5),
    # (a photo's credit line sits in a "copyright" element too: "reddit by u/sethmidwest"; a site's copyright
    # notice says so itself: the "copyright line" cue)
    **dict.fromkeys(("meta", "tags", "author", "aside", "form", "header", "banner", "contentinfo", "complementary",
                     "copyright"), 0.3),
}
# Landmarks a page uses to mark its own chrome.
# A byline or dateline the page marks as such is the article's own metadata, present on nearly every news page.
MARKED_REGIONS = frozenset(("nav", "header", "footer", "aside", "navigation", "banner", "contentinfo", "complementary",
                            "menu", "sidebar", "byline", "dateline"))

# The class words of an embedded social-media post: <blockquote class="twitter-tweet">, "instagram-media",
# "tiktok-embed", "bluesky-embed", "mastodon-embed", Facebook's "fb-post". A post the article embeds is a quotation
# its author chose: its short lines, handles and links are the post's, not headlines or links pasted between the
# paragraphs (the injection signal's top alarm on a clean page of postlight/parser's test pages, half A).
EMBEDDED_POSTS = (frozenset(("tweet",)), frozenset(("instagram", "media")), frozenset(("tiktok", "embed")),
                  frozenset(("bluesky", "embed")), frozenset(("mastodon", "embed")), frozenset(("fb", "post")))


def in_embedded_post(block: Block) -> bool:
    """Is the block inside an embedded social-media post (EMBEDDED_POSTS)?"""
    hints = block.hints
    return bool(hints) and any(words.issubset(hints) for words in EMBEDDED_POSTS)


NAV_RUN = 3             # this many short items in a row make a navigation list
DATA_HINT = "infobox"   # the class MediaWiki and its kin give an article's summary table (data, not a menu)
NAV_ITEM_WORDS = 4
INTRODUCTION_WORDS = 6  # a block ending in ":" this long introduces the list after it ("Related stories:" does not)
_LEAD_IN = re.compile(r"(?::|\b(?:the following|as follows)\b[^.!?:]*[.:])\s*$", re.I)
DUPLICATE_MAX_WORDS = 25  # longer repeated blocks are the injection signal's "repeated block"
# Weights of the structural cues. They are shared by the boilerplate and injection signals (one chrome score
# per block and page), so they are settings of neither. Set by hand when the signals were written; no script
# fits them.
SHORT_HINTED_CHARS = 120  # a block this short inside a chrome-hinted element takes the hint's full weight, else half
LINK_ONLY_DENSITY = 0.9   # a short item with this much of its text in links is a "link-only item" ...
LINK_ONLY_WEIGHT = 0.4    # ... worth this much (under CHROME_SCORE: it corroborates, not flags)
LINKED_ITEM_DENSITY = 0.5  # an item of a navigation run with this much of its text in links is linked
NAV_RUN_WEIGHT = 0.6      # every item of a navigation run ...
NAV_LINKED_WEIGHT = 0.3   # ... plus this times the run's share of linked items
CLOSERS = r"['\"”’»)\]]*"  # what may close a sentence after its mark: quotes (typographic too), brackets
_END_PUNCT = re.compile(rf"[.!?]{CLOSERS}$")
# The headings of an encyclopedia, wiki or documentation article's closing sections (MediaWiki appends "[edit]";
# Fandom's wikis list the works a subject appears in under "Appearances"), alone or joined ("Notes and references",
# "References & Sources": a blog post's list of its sources on 2026's web).
_BACK_MATTER_NAME = (r"(?:see also|notes|references|footnotes|citations|sources|bibliography|further reading"
                     r"|external links|appearances)")
_BACK_MATTER = re.compile(rf"{_BACK_MATTER_NAME}(?:\s*(?:,|and|&)\s*{_BACK_MATTER_NAME})*(?:\s*\[edit(?: source)?\])?",
                          re.I)
_DIGIT = re.compile(r"\d")


@dataclass
class BlockChrome:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    marked: bool = False   # inside the page's own nav/header/footer/aside
    back_matter: bool = False  # in the article's closing "See also"/"References"... sections: judged by no block signal

    def add(self, weight: float, reason: str) -> None:
        if weight <= 0:
            return
        self.score = noisy_or(self.score, weight)
        if reason not in self.reasons:
            self.reasons.append(reason)


def block_tokens(doc: Document, ctx: ScoringContext | None = None) -> list[list[str]]:
    """Normalised tokens of every block, from its sentences (segmented once by the scorer), cached per page."""
    if ctx is not None and ctx.page.block_tokens is not None:
        return ctx.page.block_tokens
    if doc.sentences or not doc.blocks:
        tokens: list[list[str]] = [[] for _ in doc.blocks]
        for s in doc.sentences:
            tokens[s.block].extend(s.tokens)
    else:  # a document that was never segmented
        tokens = [tokenize(b.text) for b in doc.blocks]
    if ctx is not None:
        ctx.page.block_tokens = tokens
    return tokens


def _text_cues(block: Block, words: int, chrome: BlockChrome, ctx: ScoringContext | None,
               about_the_site: bool = False) -> None:
    text = block.text
    fade = 1.0 if words <= LONG_BLOCK_WORDS else LONG_BLOCK_WORDS / words
    for cue in _TEXT_CUE_SET.matches(text, ctx):
        if not (about_the_site and cue.subject):
            chrome.add(cue.weight if cue.specific else cue.weight * fade, cue.reason)


def is_about_the_site(blocks: list[Block], ctx: ScoringContext | None = None) -> bool:
    """Is the page one of the site's legal or information pages: does its title (its first title or <h1>
    block) match a `Cue.subject` cue?"""
    title = next((b for b in blocks if b.kind == "title" or b.tag == "h1"), None)
    return title is not None and any(cue.subject for cue in _TEXT_CUE_SET.matches(title.text, ctx))


def strongest_hint(hints: tuple[str, ...], weights: dict[str, float]) -> tuple[str, float]:
    """The hint with the greatest weight in `weights` (the first of equals), ("", 0.0) for none."""
    best, word = 0.0, ""
    if not weights.keys().isdisjoint(hints):  # (most blocks have none of them: one C-level test)
        for h in hints:
            w = weights.get(h, 0.0)
            if w > best:
                best, word = w, h
    return word, best


def _hint_cues(block: Block, chrome: BlockChrome) -> None:
    word, best = strongest_hint(block.hints, HINT_WEIGHTS)
    if best:
        # DOM hints alone are not proof (a "share" class may wrap the article): they strengthen text cues and
        # flag short blocks.
        chrome.add(best if chrome.score or len(block.text) < SHORT_HINTED_CHARS else best / 2, f"inside a '{word}' element")
    chrome.marked = not MARKED_REGIONS.isdisjoint(block.hints)


def _is_nav_item(block: Block, words: int) -> bool:
    """A short unpunctuated item: a menu entry when it is a link; unlinked, a label ("Print", "Name *") but not
    data: a table row or cell, an item with a figure ("1/4", "cup butter"'s quantity, "Fat 11 g") or a line of an
    infobox (a wiki article's summary table: "Founder | <linked name>")."""
    if not (0 < words <= NAV_ITEM_WORDS and block.kind not in ("title", "heading") and not _END_PUNCT.search(block.text)):
        return False
    if DATA_HINT in block.hints or "@" in block.text:  # (an address or a handle: "IG: @plants.and.culture")
        return False
    # (a paragraph in a table cell is a cell: <td><p>Drug name</p></td>, as rich-text editors write tables)
    return block.link_density >= LINKED_ITEM_DENSITY or (block.kind != "table" and not block.cell
                                                         and not _DIGIT.search(block.text))


def block_chrome(doc: Document, ctx: ScoringContext | None = None) -> list[BlockChrome]:
    """Chrome score and reasons for every block (cached per page in the context: injection reads it too)."""
    if ctx is not None and ctx.page.block_chrome is not None:
        return ctx.page.block_chrome
    out = [BlockChrome() for _ in doc.blocks]
    end = back_matter_start(doc.blocks)  # the back matter is not judged
    blocks, tokens, judged = doc.blocks[:end], block_tokens(doc, ctx)[:end], out[:end]
    for chrome in out[end:]:
        chrome.back_matter = True
    words = [len(t) for t in tokens]
    about_the_site = is_about_the_site(blocks, ctx)
    for b, n, chrome in zip(blocks, words, judged):
        _text_cues(b, n, chrome, ctx, about_the_site)
        _hint_cues(b, chrome)
        if b.link_density >= LINK_ONLY_DENSITY and n <= NAV_ITEM_WORDS and b.kind in ("list_item", "other", "table"):
            chrome.add(LINK_ONLY_WEIGHT, "link-only item")
    _navigation_runs(blocks, words, judged)
    _duplicates(blocks, tokens, judged)
    for i in inner_back_matter(blocks):
        out[i] = BlockChrome(back_matter=True)
    if ctx is not None:
        ctx.page.block_chrome = out
    return out


def back_matter_start(blocks: list[Block]) -> int:
    """Index of the first block of the article's back matter: the sections from the first of a closing run of
    "See also", "References", "External links"... headings to the end (len(blocks) when the last section is
    another). Its lists of links and citations are the article's apparatus, which the block signals would read as
    menus and pasted headlines (four Wikipedia pages of mozilla/readability's test pages were tagged on theirs);
    the main-content stage keeps the text, as readability and trafilatura do."""
    start = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].kind == "heading":
            if not _BACK_MATTER.fullmatch(blocks[i].text.strip()):
                break
            start = i
    return start


def inner_back_matter(blocks: list[Block]) -> list[int]:
    """The blocks of back-matter sections before the article's last section: a wiki puts its "See also" list of
    linked titles before "Behind the scenes" and "Appearances" (Fandom; harrypotter.fandom.com on trafilatura's
    evaluation pages was tagged on its five linked spell names). Each runs from its heading to the next heading."""
    out: list[int] = []
    inside = False
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            inside = bool(_BACK_MATTER.fullmatch(block.text.strip()))
        if inside:
            out.append(i)
    return out


def _navigation_runs(blocks: list[Block], words: list[int], out: list[BlockChrome]) -> None:
    """Runs of short items without sentence punctuation: menus, tag lists, footer link lists; not a list the
    article's own sentence introduces ("Again, the sites that are Friends of Marco:" over five site names)."""
    own = _own_list_items(blocks)
    for i, j in _runs(len(blocks), lambda k: k not in own and _is_nav_item(blocks[k], words[k])):
        if j - i >= NAV_RUN and not _introduced(blocks, words, out, i) and not _other_sites(blocks, i, j):
            linked = _linked_items(blocks, i, j) / (j - i)
            for k in range(i, j):
                out[k].add(NAV_RUN_WEIGHT + NAV_LINKED_WEIGHT * linked, f"navigation list ({j - i} short items in a row)")


def introduced_items(blocks: list[Block], words: list[int], chrome: list[BlockChrome],
                     member: Callable[[int], bool]) -> set[int]:
    """The blocks of the runs of `member`s that a sentence of the article introduces (`_introduced`): the
    article's own list ("here are two ways to apply best practices:" over two linked lines)."""
    return {k for i, j in _runs(len(blocks), member) if _introduced(blocks, words, chrome, i) for k in range(i, j)}


def _introduced(blocks: list[Block], words: list[int], chrome: list[BlockChrome], i: int) -> bool:
    """Whether the block before blocks[i] is a sentence of the article that ends in a colon: a lead-in
    (INTRODUCTION_WORDS or more, no chrome cue), not a label ("Related stories:", "Tags:"); or one whose last
    sentence announces what follows ("A body is an instance of any of the following types.", a documentation page
    in mozilla/readability's test pages)."""
    if blocks[i].kind == "list_item":  # a run may start inside the list: its lead-in is before the list's first item
        while i > 0 and blocks[i - 1].kind == "list_item":
            i -= 1
    return (i > 0 and words[i - 1] >= INTRODUCTION_WORDS and chrome[i - 1].score < CHROME_SCORE
            and bool(_LEAD_IN.search(blocks[i - 1].text)))


OTHER_SITES_SHARE = 0.8  # set by hand (a restaurant guide's list: 17 different sites among its 19 links)
# Sites a share bar or a "follow us" list links to, each link to another one: such a list is still chrome.
SOCIAL_HOSTS = ("facebook.com", "twitter.com", "x.com", "instagram.com", "linkedin.com", "youtube.com", "tiktok.com",
                "pinterest.com", "reddit.com", "threads.net", "bsky.app", "whatsapp.com", "wa.me", "t.me",
                "telegram.me", "tumblr.com", "snapchat.com", "mastodon.social", "flipboard.com")


def _other_sites(blocks: list[Block], i: int, j: int) -> bool:
    """Do the linked items of blocks[i:j] lead to other sites, nearly each (OTHER_SITES_SHARE) to a different one
    that is not a social network, NAV_RUN of them or more? A menu, a tag list, related headlines and a site's footer
    lead to the site itself (an ad network's list to one other, a share bar to social networks); a list of other
    sites (restaurants, shops, tools) is the article's own, whatever words introduce it ("Other OKC restaurant
    recommendations:" over 19 restaurants' sites, one of them a Facebook page, one listed twice)."""
    hosts = [blocks[k].link_host for k in range(i, j) if blocks[k].link_density >= LINKED_ITEM_DENSITY]
    others = {h for h in hosts if h and not any(h == s or h.endswith("." + s) for s in SOCIAL_HOSTS)}
    return len(others) >= max(NAV_RUN, OTHER_SITES_SHARE * len(hosts))


def _own_list_items(blocks: list[Block]) -> set[int]:
    """The items of the article's own lists: consecutive list items of which fewer than half are links (an
    ingredient list with a shop link on two of its lines, a bulleted summary). A menu or a tag list is links."""
    own: set[int] = set()
    for i, j in _runs(len(blocks), lambda k: blocks[k].kind == "list_item"):
        if _linked_items(blocks, i, j) < (j - i) / 2:
            own.update(range(i, j))
    return own


def _runs(n: int, member: Callable[[int], bool]) -> Iterator[tuple[int, int]]:
    """The maximal runs [i, j) of consecutive indices below n that are all `member`s."""
    i = 0
    while i < n:
        j = i
        while j < n and member(j):
            j += 1
        if j > i:
            yield i, j
        i = max(j, i + 1)


def _linked_items(blocks: list[Block], i: int, j: int) -> int:
    """How many of blocks[i:j] are links (LINKED_ITEM_DENSITY of their text or more)."""
    return sum(blocks[k].link_density >= LINKED_ITEM_DENSITY for k in range(i, j))


def _duplicates(blocks: list[Block], tokens: list[list[str]], out: list[BlockChrome]) -> None:
    """Short blocks repeated on the page (captions, titles): the first copy after the original.

    A repeat alone is weak evidence (DUPLICATE_WEIGHT, under the count floor): real articles repeat their own
    short lines ("See it now: Amazon" under every product, "Meal 2", "[The Verge]" after every quote). On the
    real pages' development half that cue alone made most of the clean pages' boilerplate measurement; as
    corroboration of another cue, counted once per repeated text, it keeps its use (boilerplate at the middle
    strength: ROC-AUC 0.911 -> 0.940, recall at 1% FPR 1% -> 36%).
    A <title> repeated once by the page's first heading is how pages are made, not chrome."""
    first: dict[str, int] = {}
    paired_titles: set[int] = set()
    repeated: set[str] = set()
    for b, toks, chrome in zip(blocks, tokens, out):
        if not 0 < len(toks) <= DUPLICATE_MAX_WORDS:
            continue
        key = " ".join(toks)
        if key not in first:
            first[key] = b.index
            continue
        original = blocks[first[key]]
        if original.kind == "title" and b.kind == "heading" and original.index not in paired_titles:
            paired_titles.add(original.index)
            continue
        if key not in repeated:
            repeated.add(key)
            chrome.add(DUPLICATE_WEIGHT, f"duplicate of the block at {original.start}")


