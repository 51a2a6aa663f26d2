# Scrapy settings of the bundled project (the `demo` spider and the `score` / `quality-report` commands).
#
# To use scrapy-quality in your own project, copy the ADDONS line and a model setting:
#
#     ADDONS = {"crawler.addon.QualityAddon": 300}
#     QUALITY_MODELS = {"en": "models/en/en.bin"}
#
# ---- Middleware order ------------------------------------------------------------------------------------
# The add-on adds two middlewares and an extension (unless you already listed them, even with None to
# disable one):
#
#   DOWNLOADER_MIDDLEWARES["crawler.middlewares.QualityScoringMiddleware"] = 540
#       Scores responses in process_response. 540 puts it below HttpCompressionMiddleware (590) and
#       RedirectMiddleware (600), so it sees decompressed bodies and never scores a redirect, and below
#       RetryMiddleware (550), so a retried 5xx is not scored before the retry. It attaches the PageReport to
#       response.meta["quality"] and, with QUALITY_DROP_AT_DOWNLOAD, raises IgnoreRequest for dropped pages.
#   SPIDER_MIDDLEWARES["crawler.middlewares.QualityItemMiddleware"] = 850
#       Tags or drops the items a spider yields from a scored response; requests pass untouched. Any
#       priority works (it only reads response.meta); 850 puts it on the spider side of the built-in
#       middlewares so dropped items cost nothing downstream.
#   EXTENSIONS["crawler.audit_trail.AuditTrail"] = 0
#       The crawl's audit log and HTML report, which both middlewares write to (without the add-on, list it
#       beside them: a middleware without it stops the crawl at start-up saying so).
#
# ---- scrapy-quality settings (all optional; the value after "=" is the default) ---------------------------
# Precedence, lowest first: built-in defaults < the QUALITY_POLICY file < QUALITY_* settings (settings.py,
# custom_settings, then `-s` on the command line). Dict settings merge per key over the policy file; as
# always in Scrapy, a `-s` value replaces the settings.py value of the same setting.
#
# QUALITY_ENABLED = True
#     False turns both middlewares off (NotConfigured) without removing them.
# QUALITY_POLICY = None
#     Path of a TOML policy file: top-level min_words, max_bytes, max_tokens, signals, and tables
#     [thresholds], [actions], [models]. Model paths in it are relative to the file.
# QUALITY_MODELS = {"en": "models/en/en.bin"}
#     KenLM model per language (langdetect code). Pages in other languages are reported as
#     unsupported_language and kept. A missing file fails at start-up.
# QUALITY_SIGNALS = ["spin", "split", "injection", "boilerplate"]
#     Signals to run.
# QUALITY_THRESHOLDS = {"spin": 0.999734, "split": 0.999998, "injection": 0.998114, "boilerplate": 0.999258}
#     Per signal, in [0, 1]: a page is flagged when its calibrated score reaches the threshold
#     (0.99 = beyond 99% of clean reference pages). The defaults come from `python -m bench.choose_thresholds`
#     (development data only). Tune them for a crawl with `scrapy quality-report --sweep`.
# QUALITY_ACTIONS = {"spin": "drop", "split": "drop", "injection": "tag", "boilerplate": "tag"}
#     Per signal: "drop" (the item never reaches the pipelines), "tag" (the verdict is added to the item)
#     or "keep" (only counted and audited). A page takes the most severe action of its flagged signals.
# QUALITY_MIN_WORDS = 50
#     Pages with fewer words are reported too_short: their scores are shrunk (little text, little
#     certainty), so they are rarely flagged.
# QUALITY_MAX_BYTES = 2000000
#     Larger responses are not scored (quality/skipped/too_large) and kept.
# QUALITY_MAX_TOKENS = 20000
#     Scoring stops after this many tokens of a page (bounds the time per page).
# QUALITY_MAX_UNKNOWN_SHARE = None
#     A page with more than this share of its words unknown to the language model is not judged
#     (status unsupported_language, kept, with a note): another language that langdetect took for English,
#     or text that is not prose. None: twice the largest share among the model's clean calibration pages,
#     from its card (0.31 for the default model); no limit for an uncalibrated model.
# QUALITY_ITEM_FIELD = "quality"
#     Item field that receives the verdict of tagged (and unscored) pages. dict items get the key;
#     scrapy.Item classes without the field get it declared on first use (logged once); dataclass and
#     attrs items must declare it (e.g. `quality: dict | None = None`), otherwise they pass untagged and
#     quality/errors/item_field counts them. None disables tagging.
# QUALITY_DROP_AT_DOWNLOAD = False
#     True drops pages with a "drop" verdict in the downloader middleware (IgnoreRequest): the spider
#     never parses them, so their links are not followed either. Counted and audited like any drop.
# QUALITY_WORKERS = 0
#     0 scores in the crawl's own process; N > 0 scores in N worker processes, each loading the model
#     once (~260 MB RSS per worker, ~120 MB of it private: the model is a shared mapping; KenLM holds the
#     GIL, so threads would not run in parallel) and keeping the reactor free. "auto" starts one worker per usable core, at most 8, and
#     scores in the crawl process when there is a single core; usable cores are the CPU affinity, capped by a
#     cgroup CPU quota (a container's --cpus). Anything but a whole number >= 0 or "auto" stops the crawl at
#     start-up. The chosen mode is logged at start-up and recorded in the quality/workers stat.
#     When each wins (bench/crawl.py, `python -m bench.run --sections crawl`: 2,000 pages per crawl on 2
#     cores; bench/RESULTS.md has the latest run): workers cost CPU, as each page's HTML goes to a worker and
#     its report comes back pickled (~2-4 ms more CPU per page than in-process, start-up included). They pay
#     off when cores would otherwise idle, and a crawl mostly waits on the network: throughput as a multiple
#     of plugin off, in-process / 1 worker / 2 workers: loopback (CPU-bound) 0.30x / 0.41x / 0.42x;
#     latency-bound (100-300 ms per response, 64 in flight) 0.40x / 0.44x / 0.61x. Hence "auto" takes every
#     core (a core kept for the crawl process idles while it waits). The default stays 0: each worker holds
#     ~120 MB, and several crawls on one machine (scrapyd runs several per core) would each take "auto"'s
#     cores as their own. Set "auto" for one crawl per machine; the quality/workers stat says what it chose.
# QUALITY_REPORT_DIR = "reports"
#     Where the JSONL audit log and the HTML report go. Must be writable: checked at start-up.
# QUALITY_REPORT_NAME = "%(name)s-%(time)s"
#     File name stem of the audit log (.audit.jsonl) and report (.report.html); %(name)s is the
#     spider name, %(time)s the UTC start time and %(worker)s the worker id. Never derived from crawled
#     content. In a distributed crawl (scrapy-redis's scheduler, or QUALITY_WORKER_ID set) the worker id is
#     added to the name when the pattern lacks %(worker)s, so that two processes never share a file.
# QUALITY_WORKER_ID = None
#     Names this crawl process in every audit record (and in a distributed crawl, its file names); None means
#     hostname-pid. Up to 64 letters, digits, '.', '_' or '-'; anything else stops the crawl at start-up.
# QUALITY_REDIS_TIMEOUT = 30
#     With crawler.redis_scheduler.RedisScheduler (crawler.distributed.REDIS_SETTINGS): seconds to wait for a
#     Redis that went away before the spider closes with finish reason "redis_unavailable" (scrapy-redis alone
#     would retry for ever). Redis errors are counted under quality/errors/redis.
# QUALITY_HTML_REPORT = True
#     Write the HTML report when the spider closes (`scrapy quality-report` can write it later).
#
# Per request: Request(url, meta={"dont_score": True}) skips scoring (quality/skipped/dont_score).
# The PageReport of a scored response is in response.meta["quality"] for the spider to read.
#
# ---- Stats (all under quality/) ----------------------------------------------------------------------------
#   quality/workers                       worker processes in use (0: scoring in the crawl process)
#   quality/scored, quality/too_short     pages scored (too_short: with low confidence)
#   quality/unscored                      scoring failed: page kept, its items tagged "unscored" with the error
#   quality/skipped/<reason>              not scored: dont_score, http_status (non-2xx), content_type (not
#                                         HTML or text/plain), binary, too_large, unsupported_language,
#                                         no_main_content (not an article: home pages, section fronts, grids)
#   quality/pages/<keep|tag|drop>         verdict per scored page
#   quality/flagged/<signal>              pages at or over the signal's threshold
#   quality/dropped/<signal>              pages dropped because of the signal (its action is "drop")
#   quality/tagged/<signal>               pages tagged because of the signal (action "tag", page not dropped)
#   quality/items/kept, /items/dropped    items the spider yielded (kept includes tagged): yielded = kept + dropped
#   quality/items/tagged                  items that received the verdict field
#   quality/errors, quality/errors/<where>  scoring, audit (a record not written), report, item_field

BOT_NAME = "crawler"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# The `score`, `quality-report` and `train-lm` commands are registered as "scrapy.commands" entry points in
# pyproject.toml (`pip install -e .`); a COMMANDS_MODULE would list them twice (as quality_report, ...).

ADDONS = {"crawler.addon.QualityAddon": 300}

ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
