"""Property-based tests: random and malformed input raises nothing but the documented errors."""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archive import Archive, PageContent
from archive.diff import diff_texts, to_html, to_text
from crawler.blocking import classify
from notice.encoding import decode_html
from notice.errors import ExtractionError
from notice.extract import extract, parse_date, strip_site_suffix
from notice.normalize import clean_lines, content_hash

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TEXT = st.text(alphabet=st.one_of(CJK, st.characters()), max_size=400)
TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div id='zoom'>",
        "</div>",
        "<table><tr><td>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<title>",
        "</title>",
        "<h1>",
        "&nbsp;",
        "&#xFFFF;",
        "<![CDATA[",
        "\x00",
        "<meta charset=gbk>",
    ]
)
HTML = st.lists(st.one_of(TEXT, TAGS), max_size=60).map("".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "gbk", "gb2312", "latin-1", "x"]))
def test_decode_never_raises(body, charset):
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {}
    assert isinstance(decode_html(body, headers).text, str)


@FAST
@given(st.one_of(st.binary(max_size=3000), HTML.map(lambda s: s.encode("utf-8", "surrogatepass"))))
@example(b"!<script></script>&#1")  # a reference to a control character, dropped with a tag
@example(b"<p>a&#x1F;b&#31c&#12354;</p>")
def test_extract_raises_only_extraction_error(body):
    try:
        result = extract(body, "http://x.gov.cn/a/t20250101_1.htm")
    except ExtractionError:
        return
    assert isinstance(result.text, str)
    assert result.published is None or len(result.published) == 10


@FAST
@given(TEXT)
def test_small_parsers_never_raise(text):
    parse_date(text)
    strip_site_suffix(text)
    classify(200, text, text)
    assert content_hash(text) == content_hash(clean_lines(text))


@FAST
@given(TEXT, TEXT)
def test_diff_renders_anything(old, new):
    blocks = diff_texts(old, new)
    to_text(blocks, "a", "b")
    page = to_html(blocks, "<a>", "<b>")
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    # every piece of page text is escaped: only our own tags remain in the table
    assert "<" not in re.sub(r"</?(tr|td|del|ins)( class=\"\w+\")?>", "", body)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, st.one_of(st.none(), TEXT), st.binary(max_size=200)), min_size=1, max_size=6
    )
)
def test_archive_accepts_any_text(records):
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "a.db") as archive:
        for text, title, body in records:
            archive.record_page("http://x.gov.cn/t1.htm", PageContent(text=text, title=title), body)
        versions = archive.versions("http://x.gov.cn/t1.htm")
        assert [v["number"] for v in versions] == list(range(1, len(versions) + 1))
        assert archive.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
