"""Paragraph and character diff of Chinese text."""

import html

from archive.diff import diff_texts, has_changes, to_html, to_json, to_text

OLD = "根据省委部署，现将情况通报如下：\n制定212条整改措施。\n排查整改率99.8%。\n中共某区委"
NEW = "根据省委部署，现将情况通报如下：\n制定215条整改措施。\n排查整改率99.8%。\n新增一段说明。\n中共某区委"


def test_one_changed_figure_is_marked_by_character():
    blocks = [b for b in diff_texts(OLD, NEW) if b.op != "equal"]
    assert [b.op for b in blocks] == ["change", "insert"]
    changed = [s for s in blocks[0].segments if s.op != "equal"]
    assert [(s.old, s.new) for s in changed] == [("2", "5")]
    assert blocks[1].new == "新增一段说明。"


def test_identical_texts_have_no_changes():
    assert not has_changes(diff_texts(OLD, OLD))
    assert "no differences" in to_text(diff_texts(OLD, OLD), "a", "b")


def test_text_format_marks_changes_plain_and_coloured():
    plain = to_text(diff_texts(OLD, NEW), "v1", "v2")
    assert "- 制定21[-2-]条整改措施。" in plain
    assert "+ 制定21{+5+}条整改措施。" in plain
    assert "+ 新增一段说明。" in plain
    coloured = to_text(diff_texts(OLD, NEW), "v1", "v2", color=True)
    assert "\x1b[32m5\x1b[0m" in coloured


def test_json_format_lists_only_changes():
    data = to_json(diff_texts(OLD, NEW), "v1", "v2")
    assert data["changed"] is True
    assert [b["op"] for b in data["blocks"]] == ["change", "insert"]


def test_html_escapes_page_text():
    old = "正文<script>alert('x')</script>第一段"
    new = "正文<script>alert('y')</script>第一段\n<img src=x onerror=alert(1)>"
    page = to_html(diff_texts(old, new), "<b>v1</b>", "v2", title="<script>t</script>")
    assert "<script>" not in page
    assert "<img" not in page
    assert html.escape("<script>") in page
    assert "&lt;b&gt;v1&lt;/b&gt;" in page
    assert "<del>x</del>" in page and "<ins>y</ins>" in page
    assert page.startswith("<!DOCTYPE html>")


def test_figures_summary_in_every_format():
    blocks = diff_texts(OLD.replace("99.8%", "99.8%"), NEW.replace("99.8%", "99.5%"))
    assert "figures: 212条 → 215条; 99.8% → 99.5%" in to_text(blocks, "a", "b")
    data = to_json(blocks, "a", "b")
    assert data["figures"][:2] == [
        {"old": "212条", "new": "215条", "paragraph": 2},
        {"old": "99.8%", "new": "99.5%", "paragraph": 3},
    ]
    assert "figures: 212条 → 215条; 99.8% → 99.5%" in to_html(blocks, "a", "b")


def test_figures_dates_and_removed_paragraphs():
    from notice.figures import figure_changes, figures, summary

    assert figures("2025年12月25日反馈，3亿余元，提高12.9个百分点") == [
        "2025年12月25日",
        "3亿余元",
        "12.9个百分点",
    ]
    blocks = diff_texts("于2025年2月20日反馈。\n删去的一段：共48项。", "于2025年2月21日反馈。")
    assert summary(figure_changes(blocks)) == "2025年2月20日 → 2025年2月21日; − 48项"
