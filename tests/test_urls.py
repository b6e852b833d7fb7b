"""Canonical URLs and scope."""

from notice.urls import canonical_url, in_scope, url_key


def test_canonical_url():
    assert canonical_url("HTTP://WWW.XM.GOV.CN:80/a/t1.htm#top") == "http://www.xm.gov.cn/a/t1.htm"
    assert canonical_url("https://x.gov.cn/a?utm_source=wx&b=2&a=1") == "https://x.gov.cn/a?a=1&b=2"
    assert canonical_url("https://x.gov.cn:8443/a") == "https://x.gov.cn:8443/a"
    assert canonical_url("https://x.gov.cn") == "https://x.gov.cn/"


def test_url_key_merges_default_documents():
    assert url_key("http://x.gov.cn/col/index.html") == url_key("http://x.gov.cn/col/")
    assert url_key("http://x.gov.cn/col/index.htm#a") == "http://x.gov.cn/col/"
    assert url_key("http://x.gov.cn/col/list.htm") != url_key("http://x.gov.cn/col/")


def test_scope():
    domains = ("xm.gov.cn",)
    assert in_scope("http://www.xm.gov.cn/a", domains)
    assert in_scope("https://xm.gov.cn/a", domains)
    assert not in_scope("http://evilxm.gov.cn/a", domains)
    assert not in_scope("http://xm.gov.cn.evil.com/a", domains)
    assert not in_scope("ftp://xm.gov.cn/a", domains)
