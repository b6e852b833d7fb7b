"""Decoding: UTF-8, GB2312-declared GBK, GB18030, BOMs, and headers that lie."""

from notice.encoding import decode_html, normalize_charset

TEXT = "中共厦门市同安区委关于巡视整改的通报：林堃、王镕，推进竹坝·五显片区—“千万工程”"


def page(charset: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>{TEXT}</body></html>'


def test_gb_family_maps_to_gb18030():
    for name in ("gb2312", "GBK", "x-gbk", "GB_2312-80", "gb18030", '"gb2312"'):
        assert normalize_charset(name) == "gb18030"
    assert normalize_charset("utf8") == "utf-8"
    assert normalize_charset("no-such-charset") is None


def test_utf8_page():
    decoded = decode_html(
        page("utf-8").encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
    )
    assert TEXT in decoded.text and decoded.encoding == "utf-8" and not decoded.header_wrong


def test_gb2312_declared_page_with_gbk_only_characters():
    body = page("gb2312").encode("gb18030")
    decoded = decode_html(body, {"Content-Type": "text/html"})
    assert TEXT in decoded.text
    assert decoded.encoding == "gb18030" and decoded.replacements == 0


def test_header_says_utf8_but_body_is_gbk():
    decoded = decode_html(
        page("gb2312").encode("gb18030"), {"Content-Type": "text/html; charset=utf-8"}
    )
    assert TEXT in decoded.text and decoded.header_wrong


def test_header_says_gbk_but_body_is_utf8():
    decoded = decode_html(page("utf-8").encode("utf-8"), {"content-type": "text/html; charset=GBK"})
    assert TEXT in decoded.text and decoded.header_wrong and decoded.encoding == "utf-8"


def test_no_declaration_gbk_bytes():
    decoded = decode_html(f"<p>{TEXT}</p>".encode("gb18030"))
    assert TEXT in decoded.text


def test_bom_wins():
    decoded = decode_html(b"\xef\xbb\xbf" + page("gbk").encode("utf-8"))
    assert TEXT in decoded.text and decoded.encoding == "utf-8-sig"


def test_undecodable_bytes_are_counted_not_raised():
    decoded = decode_html(b"\x81\x30\xff\xff\xff", {"Content-Type": "text/html; charset=ascii"})
    assert decoded.replacements > 0
