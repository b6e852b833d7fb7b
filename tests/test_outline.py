"""The section tree of a notice as rows of numbered items."""

from notice import numerals, outline


def _paths(text: str) -> list[str]:
    return ["/".join([*i.path, i.marker]) for i in outline.parse(text)]


def test_levels_nest_by_marker_style_and_skipped_levels_are_fine():
    text = "一、总体\n（一）组织\n一是学习。\n二是部署。\n二、问题\n1.第一项\n（1）细项\n① 措施"
    assert _paths(text) == [
        "一、",
        "一、/（一）",
        "一、/（一）/一是",
        "一、/（一）/二是",
        "二、",
        "二、/1.",
        "二、/1./（1）",
        "二、/1./（1）/①",
    ]


def test_inline_enumerations_become_children_with_their_text():
    items = outline.parse("（一）关于问题。一是健全制度；二是开展培训2期；三是对2人谈话。")
    assert [(i.marker, i.number, i.text) for i in items] == [
        ("（一）", 1, "关于问题。"),
        ("一是", 1, "健全制度"),
        ("二是", 2, "开展培训2期"),
        ("三是", 3, "对2人谈话。"),
    ]
    assert items[0].children == 3


def test_numbers_that_are_not_markers_stay_text():
    # 1.94万 is a figure and (3) out of sequence a reference; a lone 一是 line is an item
    text = "一、总体\n1.94万套房源已分配。\n（3）见上文。\n一是唯一的要求。"
    items = outline.parse(text)
    assert [i.marker for i in items] == ["一、", "一是"]
    assert "1.94万套房源已分配。" in items[0].text


def test_numbering_may_continue_across_parents():
    text = "1.甲\n（1）a\n（2）b\n2.乙\n（3）c\n（4）d"
    assert _paths(text)[-2:] == ["2./（3）", "2./（4）"]


def test_closing_lines_end_the_outline():
    text = "一、总体\n已完成。\n欢迎监督。联系电话：123\n1.不是条目"
    items = outline.parse(text)
    assert [i.marker for i in items] == ["一、"] and "联系电话" not in items[0].text


def test_chinese_numbers():
    assert [
        numerals.cn_number(n) for n in ("一", "十", "十二", "二十三", "一百零五", "③", "12")
    ] == [
        1,
        10,
        12,
        23,
        105,
        3,
        12,
    ]
    assert numerals.cn_number("甲") is None
