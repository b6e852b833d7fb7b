"""Anti-bot, rate-limit, WAF and soft-404 pages are recognised by data rules, one test each."""

import pytest

from crawler.blocking import RULES, classify, cookie_names

from conftest import open_archive, run_cli, run_crawl
from vendor_pages import VENDORS

RUISHU = (
    '<html><head><meta content="{qX9Yd" r="m"><script>$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};'
    "</script><script src=\"/abc/c.FxJzG50F.js\" r='m'></script></head><body></body></html>"
    "<script>$_ts.lcd();</script>"
)
JIASULE = "<html><script>document.cookie=('__jsl_clearance_s=1700000000.123|0|abc');location.href=location.pathname</script></html>"
CASES = [
    ("ruishu", 412, RUISHU),
    ("ruishu", 202, RUISHU),
    ("jiasule", 521, JIASULE),
    (
        "aliyun-waf",
        200,
        "<html><script>var arg1='3F2';document.cookie='acw_sc__v2='+x;</script></html>",
    ),
    (
        "js-cookie",
        200,
        "<html><script>var t=Date.now().toString(36);document.cookie='_tk='+t+';path=/';"
        "window.location.reload();</script></html>",
    ),
    ("captcha", 200, "<html><body><h3>请输入验证码</h3><img src='/captcha.jpg'></body></html>"),
    ("rate-limit", 200, "<html><body><p>您访问过于频繁，请稍后再试。</p></body></html>"),
    ("rate-limit", 429, "<html><body>Too Many Requests</body></html>"),
    ("waf", 403, "<html><title>访问被拒绝</title><body>您的访问已被网站防火墙拦截</body></html>"),
    ("waf", 200, "<html><body><noscript>请开启JavaScript并刷新该页</noscript></body></html>"),
    (
        "soft-404",
        200,
        "<html><title>关于巡视整改情况的通报</title><body>您访问的页面已删除</body></html>",
    ),
    ("soft-404", 200, "<html><body><div class='box'>该信息已撤稿</div></body></html>"),
]


@pytest.mark.parametrize(("rule", "status", "html"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule(rule, status, html):
    verdict = classify(status, html, None)
    assert verdict is not None and verdict.rule == rule


def test_every_rule_has_a_test():
    tested = {case[0] for case in CASES} | {v.rule for v in VENDORS.values()}
    assert {rule.name for rule in RULES} == tested


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_vendor_challenges_are_named(name):
    """Each vendor's challenge as it is sent (status, headers, body) names its vendor, and
    says whether a browser passes it without input."""
    challenge = VENDORS[name]
    verdict = classify(challenge.status, challenge.body, None, challenge.headers)
    assert verdict is not None, name
    assert (verdict.rule, verdict.vendor, verdict.passable) == (
        challenge.rule,
        challenge.vendor,
        challenge.passable,
    )
    assert verdict.describe() == f"blocked ({challenge.vendor or challenge.rule})"


def test_the_obfuscated_jiasule_challenge_is_read_from_its_status_and_cookie():
    """加速乐's script never writes `__jsl_clearance` whole: the 521 and its __jsluid_h
    cookie name it, and so does its script alone."""
    challenge = VENDORS["加速乐"]
    assert "__jsl_clearance" not in challenge.body
    assert classify(521, "<html></html>", None, challenge.headers).vendor == "加速乐"
    assert classify(521, challenge.body, None, {}).vendor == "加速乐"


def test_a_vendor_cookie_on_a_notice_is_no_block():
    """A protected site sets its vendor's cookie and Server header on every answer: a notice
    page served with them is a notice."""
    text = "整改措施落实情况。" * 40
    html = f"<html><body><div id='zoom'><p>{text}</p></div></body></html>"
    for headers in (
        {"Set-Cookie": "__jsluid_h=0e5c; max-age=31536000; path=/; HttpOnly"},
        {"Server": "Safedog/4.0", "Set-Cookie": "safedog-flow-item=ABCD; path=/"},
        {"WZWS-Ray": "1234-1700000000.1-s1", "Set-Cookie": "wzws_sessionid=x; path=/"},
        {"Set-Cookie": "security_session_verify=abc; path=/"},
    ):
        assert classify(200, html, text, headers) is None, headers


def test_cookie_names_of_joined_set_cookie_headers():
    joined = (
        "__jsluid_h=abc; max-age=31536000; path=/; expires=Wed, 21 Oct 2026 07:28:00 GMT, "
        "FSSBBIl1UgzbN7N80S=xyz; Path=/"
    )
    assert cookie_names(joined) == ["__jsluid_h", "FSSBBIl1UgzbN7N80S"]


def test_a_notice_that_mentions_the_words_is_not_a_block_page():
    text = (
        "整改措施落实情况。" * 40
    ) + "建立验证码登录制度，避免访问过于频繁，请稍后再试的提示页面不存在。"
    html = f"<html><body><div id='zoom'><p>{text}</p></div></body></html>"
    assert classify(200, html, text) is None


def test_ordinary_pages_are_not_blocked():
    assert (
        classify(200, "<html><body>" + "政务公开 " * 100 + "</body></html>", "政务公开" * 100)
        is None
    )
    assert classify(403, "<html><body>" + "正文" * 200 + "</body></html>", "正文" * 200) is None


NOTICES = {
    "/xm/zwgk/tzgg/202202/t20220222_2061.htm": ("blocked", 412, RUISHU),
    "/ta/xxgk/content/2023-11/03/content_88.htm": (
        "blocked",
        200,
        "<html><body>您的访问已被网站防火墙拦截，请开启JavaScript</body></html>",
    ),
    "/sm/art/2025/12/25/art_1234_5678.html": (
        "gone",
        200,
        "<html><head><title>中共厦门市思明区委关于巡视整改进展情况的通报</title></head>"
        "<body><h2>中共厦门市思明区委关于巡视整改进展情况的通报</h2><p>该信息已撤稿</p></body></html>",
    ),
}


def test_block_pages_are_never_archived(site, crawl, seeds_file, archive_path):
    from demo.server import Page

    crawl()
    for path, (_, status, html) in NOTICES.items():
        site.pages[path] = Page(html.encode(), "text/html; charset=utf-8", status)
    site.pages["/sm/col/col1234/index.html?pageNum=2"] = Page(
        "<html><body>访问过于频繁，请稍后再试</body></html>".encode(), "text/html; charset=utf-8"
    )
    result = run_crawl(seeds_file, archive_path, "-a", "full=1", "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-2000:]
    assert not result.errors_logged, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert archive.stats()["versions"] == site.archived(site.http_portals)
        for path, (outcome, status, _) in NOTICES.items():
            fetch = archive.fetches(site.url(path))[-1]
            assert (fetch["outcome"], fetch["status"]) == (outcome, status), path
        assert (
            archive.fetches(site.url("/sm/art/2025/12/25/art_1234_5678.html"))[-1]["detail"]
            == "soft 404 (soft-404: 该信息已撤稿)"
        )
        assert archive.page(site.url("/xm/zwgk/tzgg/202202/t20220222_2061.htm"))["state"] == "live"
        # a blocked list page leaves the listing incomplete: nothing is marked delisted
        delisted = [
            p["url"] for p in archive.list_pages() if archive.page(p["url"])["delisted_since"]
        ]
        assert delisted == [], delisted
    report = run_cli("--db", str(archive_path), "run", "2", "--json").stdout
    assert '"blocked": 1' in report and '"soft-gone": 1' in report
    assert "rate-limit" in report
