"""Anti-bot, rate-limit, WAF and soft-404 pages: recognised, never archived as versions.

Rules are data. A rule matches a response by its status (any, if none are listed) and a marker in
the raw HTML or the clean text; rules marked `short` match only pages with little text of their
own, so a notice that merely mentions 验证码 or 请稍后再试 is never mistaken for a block page.
"""

import re
from dataclasses import dataclass

from parsel import Selector


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # blocked | soft-gone
    markers: tuple[str, ...]
    statuses: tuple[int, ...] = ()
    short: bool = True


RULES = [
    # Ruishu (瑞数): 412 (or 202/200) with a $_ts bootstrap script and a meta r='m'
    Rule(
        "ruishu",
        "blocked",
        (r"\$_ts\s*=\s*window\[", r"<meta[^>]+\br=['\"]m['\"]"),
        (412, 202, 200),
        short=False,
    ),
    # 加速乐: 521 with a cookie-setting script
    Rule("jiasule", "blocked", (r"__jsl_clearance", r"_jsl_clearance_s"), (521, 200), short=False),
    Rule("waf-cookie", "blocked", (r"acw_sc__v2", r"wzws_cid", r"\bacw_tc\b")),
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
BLOCK_STATUSES = [202, 403, 412, 429, 503, 521]
# A page with less clean text than this may be a block or soft-404 page; notices are longer.
SHORT_TEXT = 200

_COMPILED = [(rule, [re.compile(m, re.I) for m in rule.markers]) for rule in RULES]


@dataclass(frozen=True)
class Verdict:
    rule: str
    kind: str
    marker: str


def classify(status: int, html: str, text: str | None = None) -> Verdict | None:
    """The rule a response matches, if any. `text` is its clean text (None if not extracted)."""
    short = text is None or len(re.sub(r"\s+", "", text)) < SHORT_TEXT
    for rule, patterns in _COMPILED:
        if rule.statuses and status not in rule.statuses:
            continue
        if rule.short and not short:
            continue
        for pattern in patterns:
            match = pattern.search(html)
            if match:
                return Verdict(rule.name, rule.kind, match.group(0))
    return None


def visible_text(selector: Selector) -> str:
    """A page's text outside scripts and styles: what `classify` reads when no extraction ran."""
    return "".join(
        selector.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
    )
