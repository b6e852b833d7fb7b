"""Recognising notice titles, and the look-alikes that are not notices."""

import pytest

from notice.judge import is_notice_title, might_be_notice_title

NOTICES = [
    "中共厦门市思明区委关于巡视整改进展情况的通报",
    "关于十一届省委第五轮巡视集中整改进展情况的通报",
    "中共某区委关于区委第三轮巡察整改情况的通报",
    "中共福建省委关于十九届中央第八轮巡视整改进展情况的通报",
    "中共某县委关于十一届省委第三轮巡视整改进展情况的通报",
    "某局党组关于巡视整改情况的通报",
    "关于巡视“回头看”整改情况的通报",
    "关于专项巡视整改进展情况的通报",
    "某街道党工委关于区委第二巡察组巡察反馈意见整改落实情况的通报",
    "某局党组关于市委第四轮巡察整改进展情况的通报",
    # the issuer's name is not the subject: these bureaus publish notices too
    "中共某市审计局党组关于市委第四轮巡察整改进展情况的通报",
    "中共某市生态环境局党组关于市委第二轮巡察整改情况的通报",
    "中共某市委关于巡视整改情况的公开",
]
NOT_NOTICES = [
    "省委第九巡视组向思明区委反馈巡视情况",
    "十一届省委第五轮巡视进驻同安区公告",
    "区委召开巡视整改工作推进会 通报整改进展情况",
    "关于2024年度预算执行审计查出问题整改情况的报告",
    "中央第二生态环境保护督察组交办案件整改情况公示",
    "思明区召开2025年经济运行分析会",
    "2025年公开招聘中小学教师公告",
    "关于全市安全生产情况的通报",
    "中共某县委关于召开巡察整改工作推进会的通报",  # a meeting, whoever issues it
    # a meeting that heard or deliberated a report on the rectification: news, not the notice
    "县委常委会专题听取省委巡视反馈意见整改进展情况汇报",
    "镇党委巡察整改工作情况汇报会举行",
    "区委常委会审议巡察整改工作情况",
    "",
]


@pytest.mark.parametrize("title", NOTICES)
def test_notice_titles(title):
    assert is_notice_title(title)


@pytest.mark.parametrize("title", NOT_NOTICES)
def test_look_alikes_are_not_notices(title):
    assert not is_notice_title(title)


def test_uninformative_or_truncated_links_are_candidates():
    for text in ("详情", "更多>>", "阅读全文", "中共厦门市思明区委关于巡视...", "关于巡察整改…"):
        assert might_be_notice_title(text), text
    for text in ("思明区召开2025年经济运行...", "首页", "政府采购"):
        assert not might_be_notice_title(text), text
