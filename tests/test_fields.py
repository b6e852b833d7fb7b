"""What notices state: fields and headline counts, measured on a hand-labelled corpus."""

import pytest

from notice import fields

from accuracy import measure


@pytest.mark.parametrize("name", ["fields", "counts_recall", "counts_precision", "items"])
def test_pinned_corpus_is_parsed_exactly(name):
    """The corpus (both seed notices, the sample site's notices and held-out ones) is a gate:
    any regression names the notice and the field."""
    score = measure()[name]
    assert score.total > 20
    assert score.misses == []


def test_fields_not_stated_are_none_never_guessed():
    parsed = fields.parse(
        "关于巡视整改情况的通报", "现将整改情况通报如下：\n一、总体情况\n已完成。"
    )
    assert parsed.issuer is None  # the title names no issuer and the text is not signed
    assert parsed.inspection_body is None and parsed.inspection_round is None
    assert (parsed.period_start, parsed.period_end, parsed.feedback_date) == (None, None, None)
    assert (parsed.phone, parsed.email, parsed.postal_address) == (None, None, None)
    assert parsed.counts == []
    assert parsed.kind == "巡视" and parsed.report_type == "other"


def test_a_stay_without_its_year_is_not_dated():
    opening = (
        "根据省委部署，10月21日至12月5日，省委巡视九组对某区开展了巡视，并于2月20日反馈了意见。"
    )
    parsed = fields.parse(None, opening)
    assert (parsed.period_start, parsed.period_end, parsed.feedback_date) == (None, None, None)


def test_dates_across_the_new_year_and_several_stays():
    opening = (
        "根据省委部署，2021年11月10日至1月6日、2月21日至3月24日，省委巡视一组对某市开展了巡视，"
        "并于6月25日反馈了巡视意见。"
    )
    parsed = fields.parse(None, opening)
    assert (parsed.period_start, parsed.period_end) == ("2021-11-10", "2022-03-24")
    assert parsed.feedback_date == "2022-06-25"


def test_issuer_from_signature_wins_over_title_and_closing_sentences_are_not_issuers():
    text = "一、总体情况\n已完成。\n欢迎广大干部群众对巡察整改落实情况进行监督。\n中共某某县委\n2024年1月2日"
    assert fields.parse("关于巡察整改情况的通报", text).issuer == "中共某某县委"
    unsigned = "一、总体情况\n欢迎广大干部群众对巡察整改落实情况进行监督。"
    assert fields.parse("关于巡察整改情况的通报", unsigned).issuer is None
    assert fields.parse("某某局党组关于巡察整改情况的通报", unsigned).issuer == "某某局党组"


def test_counts_keep_the_first_statement_of_each_measure_with_its_unit():
    text = "制定整改措施138条，建章立制37项。后来又重新制定整改措施14条，挽回经济损失1.5亿元。"
    counts = [(c.measure, c.number, c.unit) for c in fields.parse(None, text).counts]
    assert counts == [("整改措施", 138, "条"), ("建章立制", 37, "项"), ("资金", 1.5, "亿元")]
