"""What a rectification notice is and what it states, as data, compiled once: the title
patterns that tell a notice from its look-alikes, the patterns of what a notice states
(issuer, inspection round, dates, contacts, counts, outline markers) for notice.fields and
notice.outline, and the document files a notice may be published as. Every pattern matches
what the text says; nothing here guesses."""

import re

CN_NUM = "〇零一二三四五六七八九十百"
_N = f"[{CN_NUM}\\d]+"

# -- kind ------------------------------------------------------------------------------
INSPECTION_KINDS = ("巡视", "巡察")
# report types, tried in order on the title (then on the opening)
REPORT_TYPES = (
    ("concentrated", re.compile(r"集中整改")),
    ("progress", re.compile(r"整改进展|进展情况")),
)
REPORT_OTHER = "other"

# -- who and when ----------------------------------------------------------------------
# An issuing body: 中共厦门市思明区委, XX局党组, XX街道党工委, 中共XX街道工作委员会 …
ISSUER = re.compile(
    r"^((?:中共|中国共产党)?\S{2,40}?(?:委员会|党工委|党委|党组|工委|委))(?:关于|$)"
)
# Words an issuer line never has (closing sentences, dates, contacts).
NOT_ISSUER = re.compile(r"[，。；：:、\d]|欢迎|监督|联系|电话|信箱|邮箱|地址")
# The round: 十一届省委第五轮, 十九届中央第七轮, 区委第三轮.
ROUND = re.compile(rf"((?:{_N}届)?(?:中央|省委|市委|区委|县委|州委|盟委|旗委)第{_N}轮)")
# The inspection body: 省委巡视九组, 省委第四巡视组, 区委第三巡察组, 中央第七巡视组,
# and after a round (十一届省委第五轮巡视第二巡视组) the committee of the round.
COMMITTEE = r"(?:中央|省委|市委|区委|县委|州委|盟委|旗委)"
BODY = re.compile(
    rf"(?P<committee>{COMMITTEE})?(?P<body>(?:巡视|巡察){_N}组|第{_N}(?:巡视|巡察)组|(?:巡视|巡察)组)"
)
ROUND_BODY = re.compile(rf"({COMMITTEE})第{_N}轮(?:巡视|巡察)(第{_N}(?:巡视|巡察)组)")
# The opening states the stay: 2024年10月21日至12月5日 (and more stays: 、2月21日至3月24日).
DAY = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
PERIOD = re.compile(rf"{DAY}\s*(?:至|到|—|－|-|~)\s*{DAY}")
FEEDBACK = (
    re.compile(rf"于\s*{DAY}(?:[^，。；]{{0,20}}?)反馈"),  # 并于2025年2月20日反馈了巡视意见
    # 2024年1月12日，市委巡察组向…反馈了巡察意见
    re.compile(rf"{DAY}\s*[，,]?\s*(?:[^，。；至]{{0,24}}?)反馈了?(?:巡视|巡察)?意见"),
)
OPENING_LINES = 3  # the period and feedback date are stated in the opening

# -- contacts --------------------------------------------------------------------------
PHONE = re.compile(r"(?:联系|举报|咨询|监督)?电话\s*[:：]\s*([\d()（）\-－— ]{7,}\d)")
EMAIL = re.compile(r"(?:电子)?邮箱\s*[:：]\s*([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
POSTAL = re.compile(
    r"(?:通信地址|通讯地址|邮寄地址|邮政地址|联系地址|来信地址|邮政信箱)\s*[:：]\s*([^；;。\n]{4,80})"
)

# -- headline counts -------------------------------------------------------------------
# (measure, patterns): each pattern's groups `n` and `unit` are the number and unit. The first
# statement of each measure counts; later ones are usually parts of it.
_NUM = r"(?P<n>\d+(?:\.\d+)?)\s*"
_HAN = "[\u4e00-\u9fff]"
COUNTS: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = tuple(
    (measure, tuple(re.compile(p) for p in patterns))
    for measure, patterns in (
        ("已完成整改", (rf"已(?:完成|办结)(?:整改)?(?:措施|任务)?{_NUM}(?P<unit>条|项|个)",)),
        (
            "整改措施",
            (
                rf"(?:整改措施|整改任务){_NUM}(?P<unit>条|项)",
                rf"{_NUM}(?P<unit>条|项)(?:具体)?整改(?:措施|任务)",
            ),
        ),
        (
            "建章立制",
            (
                rf"建章立制{_NUM}(?P<unit>项|个|件)",
                rf"(?:建立|健全|完善|出台|制定|修订)+{_HAN}{{0,4}}制度{_NUM}(?P<unit>项|个|件)",
                rf"(?:建立|健全|完善|出台|修订)+{_NUM}(?P<unit>项|个|件){_HAN}{{0,4}}制度",
            ),
        ),
        (
            "反馈问题",
            (
                rf"反馈(?:的)?{_NUM}(?P<unit>个|条|项)问题",
                rf"反馈问题{_NUM}(?P<unit>个|条|项)",
            ),
        ),
        ("问题线索", (rf"问题线索{_NUM}(?P<unit>件|条|个)",)),
        ("立案", (rf"立案(?:审查调查)?{_NUM}(?P<unit>件|人)",)),
        ("处理处分", (rf"(?:处理处分|党纪政务处分|组织处理)(?:了)?{_NUM}(?P<unit>人|名)",)),
        ("问责", (rf"问责(?:了)?{_NUM}(?P<unit>人|名|个)",)),
        ("资金", (rf"(?:追缴|退还|挽回|收回|清退){_HAN}{{0,6}}?{_NUM}(?P<unit>万元|亿元|元)",)),
    )
)

# -- outline ---------------------------------------------------------------------------
# Section markers, outermost first: (rank, style, pattern at a line start). The pattern's
# group `num` is the number, group `rest` the text after the marker.
MARKERS: tuple[tuple[int, str, re.Pattern], ...] = (
    (1, "一、", re.compile(rf"^(?P<num>[{CN_NUM}]{{1,3}})\s*[、．.]\s*(?P<rest>.*)$")),
    (
        2,
        "（一）",
        re.compile(rf"^[（(]\s*(?P<num>[{CN_NUM}]{{1,3}})\s*[）)]\s*[、.]?(?P<rest>.*)$"),
    ),
    (3, "1.", re.compile(r"^(?P<num>\d{1,2})\s*[.．、](?!\d)\s*(?P<rest>.*)$")),
    (4, "（1）", re.compile(r"^[（(]\s*(?P<num>\d{1,2})\s*[）)]\s*[、.]?(?P<rest>.*)$")),
    (5, "①", re.compile(r"^(?P<num>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(?P<rest>.*)$")),
    (6, "一是", re.compile(rf"^(?P<num>[{CN_NUM}]{{1,3}})是\s*[，,：:]?(?P<rest>.*)$")),
)
ENUM_RANK = 6
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# 一是…；二是…： inline enumerations inside one paragraph; a split point is the start of the
# paragraph or a break (。；：，) before the next ordinal, which must continue the sequence.
INLINE_ENUM = re.compile(rf"(?:^|(?<=[。；;！？：:，,]))\s*(?P<num>[{CN_NUM}]{{1,3}})是")
# Closing lines that end the outline: the call for supervision, the signature and date.
CLOSING = re.compile(r"^(欢迎|如有意见|联系电话|通信地址|电子邮箱)")


# -- titles: a notice and its look-alikes --------------------------------------------
# A rectification notice names an inspection (巡视 / 巡察), rectification (整改) and a report.
NOTICE_INSPECTION = re.compile(r"巡视|巡察")

NOTICE_RECTIFY = re.compile(r"整改")

NOTICE_REPORT = re.compile(r"通报|情况|公布|公开|进展")

# How a notice title opens: its issuer (中共…委员会, …党组, …党工委) and 关于 (a truncated link
# text cut before 巡视/整改 is fetched when it opens like this).
NOTICE_ISSUER = re.compile(r"^中共.{2,}|党组|党委|党工委|委员会|^.{2,24}关于")

# Look-alikes that are not notices: meeting news (a meeting held, or one that heard or
# deliberated a report: 听取…汇报, 审议), announcements of an inspection, audit or
# environmental rectification, training. Read in the subject only (after 关于): an issuer named
# 审计局党组 or 生态环境局党组 may publish a real notice.
NOT_NOTICE = re.compile(
    r"推进会|部署会|动员会|座谈会|培训|调度会|反馈会|进驻|审计|督察|环保|生态环境|召开|"
    r"约谈|工作会议|述职|听取|汇报|审议"
)

# Link texts that say nothing about the target: the target page must decide.
UNINFORMATIVE = re.compile(r"^(详情|详细|更多|全文|查看|点击查看|阅读全文|more|MORE|>>|»)+[>»]*$")

LIST_MAX_OWN_TEXT = 1000
# An extraction of this many sentences (and characters) is an article, however short: a
# list's text is its items' titles and dates, which are no sentences.
ARTICLE_MIN_SENTENCES = 3
ARTICLE_MIN_CHARS = 200
SENTENCE_END = re.compile(r"[。！？]")

# Attachments: document files a notice links (or a list links as the notice itself), by file
# extension and by Content-Type. Kinds with no text extractor are stored and versioned by bytes.
DOCUMENT_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps"}

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-works": "wps",
    "application/kswps": "wps",
    "application/wps-office.wps": "wps",
}

# Anchors that may lead to a document (checked further by notice.documents.document_kind).
DOCUMENT_HINT = re.compile(r"\.(pdf|docx?|wps)\b", re.I)
# A file name's extension at the end of a title or label (通报.pdf is titled 通报).
FILE_EXTENSION = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|txt|s?html?)$", re.I)

DOCUMENT_LINKS = r"//a[@href][re:test(@href, '\.(pdf|docx?|wps)($|[?#&])', 'i')]"

MAX_ATTACHMENTS_PER_PAGE = 20

# PDF text: a line that is only a page number (— 1 —, - 2 -, 第3页, 第 3 页 共 8 页, 3/8) is print
# furniture; so is a running header or footer, a line repeated at the top or bottom of most pages.
PDF_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－·•]+\s*\d{1,4}\s*[—–\-－·•]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)

# a bare number (3, 3/8) is a page number only as a page's first or last line (else a cell)
PDF_EDGE_NUMBER = re.compile(r"^\d{1,4}(?:\s*/\s*\d{1,4})?$")

PDF_RUNNING_SHARE = 0.5  # of the pages (and at least two) that repeat a first or last line

PDF_RUNNING_LINES = 2  # lines at the top and at the bottom of a page looked at

# An article split over web pages: a line that is only its pager (上一页 1 2 3 下一页, 共3页,
# 第2页, [1] [2]) is no text of the notice; neither is a line every page repeats at its edge.
ARTICLE_PAGER_LINE = re.compile(
    r"^(?:\s*(?:首页|上一页|上页|下一页|下页|尾页|末页|[\[【(（]?\d{1,3}[\]】)）]?|"
    r"第\s*\d{1,3}\s*页|共\s*\d{1,3}\s*页|\d{1,3}\s*/\s*\d{1,3}|[<>«»‹›]+|…+|\.{2,})\s*)+$"
)
ARTICLE_EDGE_LINES = 2  # lines at the top and at the bottom of a page compared with page one's
