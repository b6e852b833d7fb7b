"""The page as captured, made safe (archive/datasette/sanitize.py), and the web view's times
(clock.py): pure functions, called on built pages and values."""

from collections import Counter
from datetime import UTC, datetime

import lxml.html
import pytest

from archive.datasette import clock
from archive.datasette.sanitize import POLICY, clean_css, sanitize
from archive.errors import InvalidDate

OTHER = "http://cdn.example.net"
PAGE = f"""<html manifest="{OTHER}/app.manifest"><head>
<meta charset="gbk"><meta http-equiv="refresh" content="0;url={OTHER}/away">
<base href="{OTHER}/"><title>通报</title>
<link rel="stylesheet" href="{OTHER}/a.css"><link rel="dns-prefetch" href="{OTHER}">
<link rel="icon" href="/favicon.ico">
<script src="{OTHER}/stat.js"></script><script>document.write('x')</script>
<style>@import url({OTHER}/b.css); @import "{OTHER}/c.css";
body{{background:url("{OTHER}/bg.png") no-repeat}} .x{{cursor:url({OTHER}/c.cur),auto}}
.y{{background-image:image-set("{OTHER}/i.png" 1x)}} .z{{b\\61ckground:u\\72l({OTHER}/e.png)}}
@font-face{{font-family:f;src:url({OTHER}/f.woff)}}</style>
</head><body onload="alert(1)" background="{OTHER}/body.png">
<!-- <img src="{OTHER}/comment.png"> -->
<p style="background:url({OTHER}/p.png);color:red" onclick="alert(2)">正文第一段</p>
<img src="{OTHER}/logo.png" srcset="{OTHER}/logo2.png 2x" alt="标志" onerror="alert(3)">
<img src="/relative.png"><img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
<picture><source srcset="{OTHER}/pic.webp"><img src="{OTHER}/pic.png"></picture>
<iframe src="{OTHER}/frame.html"></iframe><object data="{OTHER}/o.swf"></object>
<embed src="{OTHER}/e.swf"><video poster="{OTHER}/v.png" src="{OTHER}/v.mp4"></video>
<audio src="{OTHER}/a.mp3"></audio>
<form action="{OTHER}/search"><input type="image" src="{OTHER}/go.png"><input name="q">
<button formaction="{OTHER}/b">搜索</button><p>表单里的字</p></form>
<svg><image href="{OTHER}/s.png"/><use xlink:href="{OTHER}/u.svg#a"/><script>alert(4)</script></svg>
<table background="{OTHER}/t.png"><tr><td>表格</td></tr></table>
<a href="javascript:alert(5)">打印</a> <a href=" JaVaScRiPt:alert(6)">关闭</a>
<a href="/xxgk/next.htm" ping="{OTHER}/ping" target="_blank">下一篇</a>
<a href="/xxgk/archived.htm">已存档</a> <a href="#top">顶部</a>
<noscript><img src="{OTHER}/noscript.png">请启用脚本</noscript>
</body></html>"""
BASE = "http://www.example.gov.cn/xxgk/content_88.htm"
ARCHIVED = "http://www.example.gov.cn/xxgk/archived.htm"


def _link_to(url: str) -> str | None:
    return "/-/capture?url=archived" if url == ARCHIVED else None


@pytest.fixture
def cleaned():
    document, removed = sanitize(PAGE, BASE, _link_to)
    return document, lxml.html.tostring(document, encoding="unicode"), removed


def test_nothing_in_a_captured_page_runs(cleaned):
    document, html, removed = cleaned
    assert document.xpath("//script | //iframe | //object | //embed | //form | //input") == []
    assert document.xpath("//@*[starts-with(name(), 'on')]") == []
    assert "alert" not in html and "document.write" not in html
    assert not any("javascript" in (href or "").lower() for href in document.xpath("//@href"))
    assert removed["scripts"] == 3 and removed["handlers"] == 3 and removed["frames"] == 1
    assert removed["forms"] >= 4  # the form, two inputs and a button


def test_nothing_in_a_captured_page_loads(cleaned):
    document, html, removed = cleaned
    # no attribute a browser fetches, no CSS that fetches, no <link>, <meta> or <base>
    loading = document.xpath(
        "//@src | //@srcset | //@poster | //@background | //@data | //@action | //@ping"
        " | //@manifest | //@formaction"
    )
    assert loading == ["data:image/png;base64,iVBORw0KGgo="]  # in the page itself
    assert document.xpath("//link | //meta | //base") == []
    # every address of the other host left is a link a reader may click, or shown as text
    hrefs = [h for h in document.xpath("//@href") if OTHER in h]
    assert hrefs == [OTHER + "/frame.html"]
    for css in document.xpath("//style/text() | //@style"):
        assert "url" not in css.lower() and "@import" not in css and "image-set" not in css
    assert "cdn.example.net/comment" not in html  # comments go too
    assert removed["resources"] >= 20


def test_the_captured_text_stays(cleaned):
    document, _, _ = cleaned
    text = " ".join(document.text_content().split())
    for kept in ("正文第一段", "表单里的字", "表格", "下一篇", "打印", "请启用脚本"):
        assert kept in text
    # a paragraph keeps the style that loads nothing
    (paragraph,) = document.xpath("//p[contains(., '正文第一段')]")
    assert paragraph.get("style") == "background:none;color:red"
    # an image not archived says so where it was; one with its own words keeps them
    assert document.xpath("//img/@alt")[:2] == ["标志", "[image not archived]"]


def test_links_lead_into_the_archive_or_to_their_absolute_address(cleaned):
    document, _, removed = cleaned
    links = {a.text_content(): a for a in document.iter("a")}
    assert links["已存档"].get("href") == "/-/capture?url=archived"
    assert links["下一篇"].get("href") == "http://www.example.gov.cn/xxgk/next.htm"
    assert links["下一篇"].get("rel") == "noreferrer nofollow"
    assert links["下一篇"].get("target") is None and links["下一篇"].get("ping") is None
    assert links["顶部"].get("href") == "#top"
    assert links["打印"].get("href") is None and removed["links"] == 2
    # the frame that was there is a line naming its page
    (line,) = document.xpath("//p[@class='archive-frame']")
    assert OTHER + "/frame.html" in line.text_content()


def test_css_escapes_that_could_spell_url_are_dropped_whole():
    removed = Counter()
    assert clean_css(r".z{b\61ckground:u\72l(http://x/e.png)}", removed) == ""
    assert clean_css("a{color:red}", removed) == "a{color:red}"
    assert clean_css("a{background:URL( 'x.png' )}", removed) == "a{background:none}"


def test_a_frameset_page_becomes_a_body_of_frame_lines():
    page = '<html><frameset cols="20%,*"><frame src="left.htm"><frame src="main.htm"></frameset>'
    document, removed = sanitize(page, "http://www.example.gov.cn/", lambda url: None)
    lines = [" ".join(p.text_content().split()) for p in document.xpath("//body/p")]
    assert lines == [
        "[a frame was here, not shown: http://www.example.gov.cn/left.htm]",
        "[a frame was here, not shown: http://www.example.gov.cn/main.htm]",
    ]
    assert removed["frames"] == 3


def test_an_empty_body_is_a_page_still():
    document, removed = sanitize("", "http://x/", lambda url: None)
    assert document.find("body") is not None and not removed


def test_the_policy_forbids_every_load_but_inline_styles_and_data_images():
    directives = {}
    for directive in POLICY.split(";"):
        name, _, value = directive.strip().partition(" ")
        directives[name] = value
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:" and directives["form-action"] == "'none'"
    assert "sandbox" in directives and "script-src" not in directives


def test_times_are_shown_in_china_time_with_utc_on_hover():
    assert clock.local("2026-12-01T10:08:16Z") == "2026-12-01 18:08"
    assert clock.local("2026-12-01T20:00:00Z") == "2026-12-02 04:00"  # the next day there
    assert clock.local("2026-12-01") == "2026-12-01"  # a bare date is left as it is
    tag = str(clock.time_tag("2026-12-01T10:08:16Z"))
    assert tag == (
        '<time datetime="2026-12-01T10:08:16Z" title="2026-12-01 10:08:16 UTC">'
        "2026-12-01 18:08</time>"
    )
    hostile = str(clock.time_tag('2026"<x>'))
    assert "<x>" not in hostile and '"<' not in hostile


def test_a_day_in_a_filter_is_a_china_day():
    assert clock.bound("2026-12-01", "since") == "2026-11-30T16:00:00Z"
    assert clock.bound("2026-12-01", "until", end=True) == "2026-12-01T16:00:00Z"
    assert clock.bound("2026-12-01T08:00:00+08:00", "since") == "2026-12-01T00:00:00Z"
    assert clock.local_day("2026-11-30T16:00:00Z") == "2026-12-01"
    with pytest.raises(InvalidDate, match="until: 'soon' is not a date"):
        clock.bound("soon", "until")
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # 2 December in China
    assert clock.days_ago(7, now) == "2026-11-25"
