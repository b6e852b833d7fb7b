"""The figures summary: figures have measure words, are paired by them and by the words around
them, and a date is one figure."""

import pytest

from archive.diff import diff_texts, to_text
from notice.figures import figure_changes, figures, summary


def changed(old: str, new: str) -> str:
    return summary(figure_changes(diff_texts(old, new)))


def test_numbers_without_a_measure_word_are_not_figures():
    assert figures("附件1：问题清单 附件2：整改台账 电话0592-1234567 第3页 第12条") == []
    assert changed("依照第3条。", "依照第4条。") == ""
    assert changed("附件1：问题清单\n附件2：整改台账", "附件：问题清单") == ""
    assert "figures:" not in to_text(diff_texts("见附件1。", "见附件2。"), "a", "b")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2023年6月20日召开", ["2023年6月20日"]),
        ("于6月20日反馈", ["6月20日"]),
        ("2023年6月起", ["2023年6月"]),
        ("2023-06-20发布", ["2023-06-20"]),
        ("3亿余元，30余人，12.9个百分点", ["3亿余元", "30余人", "12.9个百分点"]),
    ],
)
def test_a_date_is_one_figure(text, found):
    assert figures(text) == found


def test_figures_are_paired_by_measure_word_and_words_not_position():
    assert changed("制定212条整改措施，完成3项。", "完成5项，制定215条整改措施。") == (
        "3项 → 5项; 212条 → 215条"
    )
    assert changed("立案12件，处分8人，问责3人。", "立案12件，问责4人，处分9人。") == (
        "3人 → 4人; 8人 → 9人"
    )
    assert changed("于2023年6月20日反馈。", "于2023年6月21日反馈。") == (
        "2023年6月20日 → 2023年6月21日"
    )


def test_a_figure_of_another_measure_is_not_paired():
    assert changed("完成3项。", "完成整改，涉及5人。") == "− 3项; + 5人"
