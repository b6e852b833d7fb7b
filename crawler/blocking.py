"""Anti-bot, rate-limit, WAF and soft-404 pages: recognised, named, never archived as versions.

Rules are data. A rule matches a response when its status is one the rule lists (any, if none
are), and one of its markers matches: a pattern in the raw HTML, a header's value (`Server`,
`X-Powered-By`, a vendor's own header), or the name of a cookie the response sets. A rule with
no marker at all matches on its status alone (360's 493). Rules marked `short` match only pages
with little text of their own, so a notice that merely mentions 验证码 or 请稍后再试, or a
notice page of a protected site (whose every answer sets the vendor's cookie), is never
mistaken for a block page.

A rule names who answered (`vendor`: 瑞数, 加速乐 …) and whether the page is a JavaScript
challenge that a visitor's browser passes without any input (`passable`: it computes a cookie
and reloads). The crawler never solves such a challenge and never sends a cookie it did not
get: a portal behind one is reported `blocked (vendor)`, and its seed may opt in to a real
browser (`render = "browser"`), which runs the challenge as any visitor's would. A captcha is
never passable.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from parsel import Selector


@dataclass(frozen=True)
class Rule:
    name: str  # the rule's id, stored in fetch details and stats
    kind: str  # blocked | soft-gone
    body: tuple[str, ...] = ()  # patterns of the raw HTML
    statuses: tuple[int, ...] = ()
    short: bool = True
    vendor: str | None = None  # who answers (None: a generic page)
    headers: tuple[tuple[str, str], ...] = ()  # (header name, pattern of its value)
    cookies: tuple[str, ...] = ()  # patterns of the names of the cookies it sets
    passable: bool = False  # a JavaScript challenge a browser passes with no input


# Ruishu (瑞数): a bootstrap script `$_ts=window['$_ts']`, a meta with r='m'
_RUISHU = (r"\$_ts\s*=\s*window\[", r"<meta[^>]+\br=['\"]m['\"]")
# 加速乐: the cookie its script sets, written whole or assembled from single characters
# (`('_')+('_')+('j')+('s')+('l')…`), and its second stage's parameters (`go({"bts":…`)
_JIASULE = (
    r"__jsl_clearance",
    r"_jsl_clearance_s",
    r"\(\s*'_'\s*\)\s*\+\s*\(\s*'_'\s*\)\s*\+\s*\(\s*'j'\s*\)",
    r"go\(\s*\{\s*\"bts\"",
)
# a script that sets a cookie, then loads the page again: a cookie challenge of any vendor
_COOKIE_AND_RELOAD = r"document\.cookie\s*=[\s\S]{0,6000}?(?:location|window\.location)\b"

# Statuses of a refusal: with one, a vendor's header or cookie names who refused. (A protected
# site sets its vendor's cookie and header on every answer, its notices' too: on a 200 they
# say nothing.)
REFUSED = (403, 429, 493, 503)

RULES = [
    # 瑞数: 412 (or 202) setting a cookie whose name ends in S, or its bootstrap script
    Rule(
        "ruishu",
        "blocked",
        _RUISHU,
        (412, 202),
        short=False,
        vendor="瑞数",
        cookies=(r"^[0-9A-Za-z]{10,}S$",),
        passable=True,
    ),
    Rule("ruishu", "blocked", _RUISHU, (200,), short=False, vendor="瑞数", passable=True),
    # 加速乐 (知道创宇): 521 setting __jsluid_h / __jsluid_s, with the cookie script
    Rule(
        "jiasule",
        "blocked",
        (*_JIASULE, _COOKIE_AND_RELOAD),
        (521,),
        short=False,
        vendor="加速乐",
        headers=(("server", r"jiasule"),),
        cookies=(r"^__jsluid_[hs]$", r"^__jsl_clearance"),
        passable=True,
    ),
    Rule("jiasule", "blocked", _JIASULE, (200,), short=False, vendor="加速乐", passable=True),
    # 360 网站卫士 (网站宝, 奇安信): its cookie challenge (wzws_cid), then its block page (493)
    Rule(
        "360wzws",
        "blocked",
        (r"wzwschallenge", r"wzws_cid\s*=", r"wzwsconfirm"),
        vendor="360网站卫士",
        passable=True,
    ),
    Rule("360wzws", "blocked", (), (493,), short=False, vendor="360网站卫士"),
    Rule("360wzws", "blocked", (r"wzws-waf-cgi/", r"360wzws", r"网站卫士"), vendor="360网站卫士"),
    Rule("360wzws", "blocked", (), REFUSED, False, "360网站卫士", headers=(("wzws-ray", r"."),)),
    # 云锁: its automatic jump (a cookie from the screen's size, then a reload), its block page
    Rule(
        "yunsuo",
        "blocked",
        (r"YunSuoAutoJump", r"security_verify_data"),
        vendor="云锁",
        passable=True,
    ),
    Rule("yunsuo", "blocked", (r"yunsuologo", r"云锁", r"yunsuo"), vendor="云锁"),
    Rule(
        "yunsuo",
        "blocked",
        (),
        REFUSED,
        False,
        "云锁",
        cookies=(
            r"^(?:yunsuo_session_verify|security_session_verify|security_session_mid_verify)$",
        ),
    ),
    # 知道创宇 (创宇盾)
    Rule(
        "365cyd",
        "blocked",
        (r"ks-waf-error", r"365cyd\.com", r"创宇盾", r"知道创宇"),
        vendor="知道创宇",
    ),
    # 安全狗
    Rule("safedog", "blocked", (r"safedog", r"安全狗"), vendor="安全狗"),
    Rule(
        "safedog",
        "blocked",
        (),
        REFUSED,
        False,
        "安全狗",
        headers=(("server", r"safedog|WAF/2\.0"), ("x-powered-by", r"safedog|WAF/2\.0")),
        cookies=(r"^safedog-flow-item$",),
    ),
    # Alibaba Cloud's WAF: acw_sc__v2 computed by a script (acw_tc alone is its tracking cookie)
    Rule(
        "aliyun-waf",
        "blocked",
        (r"acw_sc__v2", r"\bacw_tc\b"),
        vendor="阿里云WAF",
        passable=True,
    ),
    # any vendor's cookie challenge: set a cookie, reload
    Rule("js-cookie", "blocked", (_COOKIE_AND_RELOAD,), passable=True),
    Rule("captcha", "blocked", (r"验证码", r"captcha", r"滑动验证", r"人机验证", r"安全验证")),
    Rule(
        "rate-limit",
        "blocked",
        (r"访问过于频繁", r"请求过于频繁", r"访问频率过高", r"请稍后再试", r"too many requests"),
    ),
    Rule(
        "waf",
        "blocked",
        (
            r"访问被拒绝",
            r"访问被阻断",
            r"您的访问已被",
            r"网站防火墙",
            r"Web应用防火墙",
            r"安全防护",
            r"疑似攻击",
            r"请开启\s*JavaScript",
            r"enable JavaScript",
            r"Access Denied",
            r"Forbidden",
        ),
    ),
    Rule(
        "soft-404",
        "soft-gone",
        (
            r"页面不存在",
            r"您访问的页面已删除",
            r"页面已删除",
            r"该信息已撤稿",
            r"信息已撤稿",
            r"信息已删除",
            r"文章不存在",
            r"信息不存在",
            r"页面未找到",
            r"找不到.{0,6}页面",
            r"404\s*Not\s*Found",
            r"页面.{0,4}已过期",
        ),
    ),
]
# Statuses that carry block pages; the spider lets them through to be classified.
BLOCK_STATUSES = [202, 403, 412, 429, 493, 503, 521]
# A page with less clean text than this may be a block or soft-404 page; notices are longer.
SHORT_TEXT = 200
# A cookie's name in a Set-Cookie header (several headers may be joined with ", "; the comma
# in an Expires date is followed by no `name=`)
_COOKIE_NAME = re.compile(r"(?:^|,)\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)=")


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    body: tuple[re.Pattern, ...]
    headers: tuple[tuple[str, re.Pattern], ...]
    cookies: tuple[re.Pattern, ...]


_COMPILED = [
    _Compiled(
        rule,
        tuple(re.compile(m, re.I) for m in rule.body),
        tuple((name, re.compile(m, re.I)) for name, m in rule.headers),
        tuple(re.compile(m) for m in rule.cookies),
    )
    for rule in RULES
]


@dataclass(frozen=True)
class Verdict:
    rule: str
    kind: str
    marker: str
    vendor: str | None = None
    passable: bool = False

    @property
    def label(self) -> str:
        """Who answered: the vendor's name, else the rule's (`加速乐`, `captcha`)."""
        return self.vendor or self.rule

    def describe(self) -> str:
        """`blocked (加速乐)`, `soft-gone (soft-404)`."""
        return f"{self.kind} ({self.label})"

    def advice(self) -> str:
        """What a person can do about it."""
        if self.kind != "blocked":
            return ""
        if self.passable:
            return (
                "a JavaScript cookie challenge, which a visitor's browser passes without any "
                'input: set render = "browser" in its seed to crawl it with Chromium'
            )
        return "a block page that needs a person (or the site's owner) to lift it"


def cookie_names(set_cookie: str) -> list[str]:
    """The names of the cookies one Set-Cookie value (or several joined by commas) sets."""
    return _COOKIE_NAME.findall(set_cookie or "")


def _headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}


def _marker(compiled: _Compiled, html: str, headers: dict[str, str], cookies: list[str]):
    """The first marker of a rule found in a response, or None (a rule with no marker: its
    status is the marker)."""
    for pattern in compiled.body:
        match = pattern.search(html)
        if match:
            return match.group(0)[:80]
    for name, pattern in compiled.headers:
        if name in headers and pattern.search(headers[name]):
            return f"{name}: {headers[name][:60]}"
    for pattern in compiled.cookies:
        for cookie in cookies:
            if pattern.search(cookie):
                return f"Set-Cookie: {cookie}"
    if not (compiled.body or compiled.headers or compiled.cookies):
        return f"HTTP {compiled.rule.statuses[0]}"
    return None


def classify(
    status: int,
    html: str,
    text: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Verdict | None:
    """The rule a response matches, if any. `text` is its clean text (None if not extracted);
    `headers` its response headers (Set-Cookie values joined by commas)."""
    short = text is None or len(re.sub(r"\s+", "", text)) < SHORT_TEXT
    lowered = _headers(headers)
    cookies = cookie_names(lowered.get("set-cookie", ""))
    for compiled in _COMPILED:
        rule = compiled.rule
        if rule.statuses and status not in rule.statuses:
            continue
        if rule.short and not short:
            continue
        marker = _marker(compiled, html, lowered, cookies)
        if marker is not None:
            return Verdict(rule.name, rule.kind, marker, rule.vendor, rule.passable)
    return None


def visible_text(selector: Selector) -> str:
    """A page's text outside scripts and styles: what `classify` reads when no extraction ran."""
    return "".join(
        selector.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
    )
