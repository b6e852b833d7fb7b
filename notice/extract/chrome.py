"""Gov-portal chrome as data: what the extractor removes around a notice body.

Selectors remove whole elements before extraction (only small ones, so a body container that
happens to match is never lost); line patterns remove what is left as text afterwards.
"""

import re

from ..patterns import FILE_EXTENSION

# CSS selectors of chrome elements. Removed only when their text is shorter than
# MAX_CHROME_ELEMENT_CHARS, so a mis-named body container survives.
DROP_SELECTORS = [
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "select",
    "button",
    "nav",
    "footer",
    "[class*=location]",
    "[class*=position]",
    "[class*=crumb]",
    "[class*=dqwz]",
    "[class*=share]",
    "[class*=qrcode]",
    "[class*=ewm]",
    "[class*=erweima]",
    "[class*=related]",
    "[class*=xglj]",
    "[class*=xgwz]",
    "[class*=tools]",
    "[class*=print]",
    "[class*=xmt]",
    "[class*=float]",
    "[class*=footer]",
    "[class*=nav]",
    "[class*=menu]",
    "[id*=nav]",
    "[id*=menu]",
    "[class*=header]",
    "[class*=bottom]",
    "[id*=footer]",
    "[id*=share]",
    "[class*=weizhi]",
    "[class*=search]",
    "[class*=sobox]",
    "[class*=topbar]",
]
MAX_CHROME_ELEMENT_CHARS = 300

# Elements a reader never sees: removed before the title and body are looked for, whatever
# their size (hidden mobile copies, print copies, Angular's ng-hide, a hidden `siteurl` div).
# Class tokens are matched whole: `mhide` (hidden on phones) is what a desktop reader sees.
HIDDEN_CLASSES = ("hide", "hidden", "ng-hide", "pchide", "pc-hide", "d-none", "hidden-lg")
HIDDEN_STYLES = ("display:none", "visibility:hidden")

# A block whose text is mostly link text (menus, tool bars, link lists) is chrome.
# (Tables and rows too: share widgets and link lists laid out in table cells.)
LINK_BLOCK_TAGS = ("div", "td", "p", "ul", "ol", "span", "section", "table", "tr")
LINK_BLOCK_MIN_LINKS = 3
LINK_BLOCK_DENSITY = 0.7

# Elements that hold the body on known CMSes, best first (TRS, Hanweb, UCAP, generic).
BODY_SELECTORS = [
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#zoom",
    "#Zoom",
    ".Custom_UnionStyle",
    "#UCAP-CONTENT",
    ".article-content",
    ".xl-content",
    "#content",
]
MIN_BODY_CHARS = 80
# The body is the deepest element holding this share of the page's prose: the characters of
# text that is a sentence (holds 。 or ；) or this long, outside links.
PROSE_SHARE = 0.8
PROSE_CHARS = 60
PROSE_DENSITY = 0.6  # ... and whose text is mostly prose (not a page's frame around it)

# A run of lines repeated from earlier in the body, this long, is a second copy of the body.
MIN_REPEAT_CHARS = 40

_SHORT = 80  # chrome lines are short; body paragraphs that mention a word are not removed

# Whole lines that are chrome wherever they appear (matched against a space-free line).
LINE_PATTERNS = [
    re.compile(p)
    for p in (
        r"^(当前位置|您当前的位置|您现在的位置|您的位置|所在位置|当前的位置)[:：]",
        r"^(首页)?[>»]+",
        r"(字体|字号)(大小)?[:：]?[【\[]?大[】\]]?[【\[]?中[】\]]?[【\[]?小",
        r"^([【\[]?(打印|关闭|收藏|打印本页|关闭窗口|我要纠错|纠错|返回顶部|分享|分享到|加入收藏|"
        r"打印此页|关闭本页|保存|返回)[】\]]?[|｜:：]?)+$",
        r"^分享到",
        r"^扫一扫",
        r"二维码$",
        r"^(重要|通知|微信|微博|二维码|手机版|无障碍|English)$",
        r"^[-·•]?\S{1,10}(微信|微博|APP|App|客户端|公众号|抖音|头条号|视频号)$",
        r"^[【\[]?责任编辑[:：]",
        # a reposted WeChat article's furniture (点击蓝字 关注我们, 长按识别二维码, END)
        r"^(点击|点)?(上方|下方)?[\"“]?蓝字[\"”]?.{0,8}关注",
        r"^长按(识别|扫描)?(图中)?(二维码|图片)",
        r"^[-—]*END[-—]*$",
        r"^(上一篇|下一篇|上一条|下一条)[:：]",
        r"^(相关链接|相关阅读|相关文章|相关新闻|相关稿件)$",
        r"^[|｜]*(加入收藏|设为首页)",
        r"^浏览次数[:：]",
        r"^(分享到[:：]?)?((QQ空间|QQ好友|QQ|新浪微博|腾讯微博|微博|微信|朋友圈|人民微博|豆瓣|更多)[|｜、]?)+$",
        r"^(站内搜索|本站搜索|全站搜索|站内检索|全文检索|搜索)[:：]?$",
        # an info-bar line of the site's name and domain (中国证监会 www.csrc.gov.cn), a bare URL
        r"^[\u4e00-\u9fff（）()]{0,30}(https?://)?(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/?$",
    )
]

# Labels of download links and attachment headings with nothing after them: chrome at the
# top or the end of a body (pdf下载, word下载, 附件信息:), never the attachment's own name.
LABEL_LINES = [
    re.compile(p, re.I)
    for p in (
        r"^(pdf|word|doc|docx|wps|ofd|附件|文件|全文|原文)?(下载|下載)(pdf|word|附件|全文|文件)?$",
        r"^(点击|点此)(下载|查看)(附件|全文|原文)?$",
        r"^(附件信息|相关附件|附件下载|附件)[:：]?$",
    )
]

# Footer fragments: a short line containing one of these is chrome.
FOOTER_PATTERNS = [
    re.compile(p)
    for p in (
        r"网站标识码",
        r"ICP备\d*",
        r"公网安备",
        r"版权所有",
        r"(主办|承办|协办)(单位)?[:：]",
        r"位访问者",
        r"访问量[:：]",
        r"技术支持[:：]",
    )
]

# An info bar: a short line led by a label and holding a date, a source or tool words.
INFO_BAR = re.compile(
    r"^(来源|信息来源|发布时间|时间|发布日期|日期|作者|浏览次数|点击数|索引号|发布机构|生成日期|"
    r"文号|成文日期)[:：].{0,100}$"
)
INFO_BAR_HINT = re.compile(r"\d{4}[-./年]\d{1,2}|来源|浏览|字体|点击|发布")

# Titles. Elements that may show the notice's heading.
HEADINGS = "//h1|//h2|//h3|//*[contains(@class,'tit')]|//td[contains(@class,'bt')]"
# What an info bar glued to a heading adds after the title (来源：新华社 作者： 2023-12-01 14:43).
TITLE_INFO_TAIL = re.compile(
    r"\s*(?:(?:来源|信息来源|文章来源|发布时间|发布日期|时间|日期|作者|浏览次数|点击数|字号|字体)"
    r"\s*[:：]|\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$).*$",
    re.S,
)
# A text shaped as a document's title (关于…的通报, …情况通报), never a site's or a column's name:
# a <title> part so shaped is no site suffix, and a heading so shaped is the title of a page
# whose <title> is only its site's name.
DOCUMENT_TITLE = re.compile(r"关于.{2,}的|(?:通报|通知|公告|报告|决定|意见|方案|公示|情况)$")
# Separators a <title> joins its parts with (标题_栏目_网站, 标题-网站), and what is left dangling.
TITLE_SEPARATOR = re.compile(r"\s*(?:__?|[|｜]|\s[-—–]+\s|[-—–]{1,2}|_)\s*")
TITLE_DANGLING = re.compile(r"[\s_|｜\-—–:：]+$")
# A title that is a file name (通报.pdf) is the title without the extension.
TITLE_FILE_EXT = FILE_EXTENSION
# A heading shorter than the meta/<title> title is the title when it holds this share of it
# (a visible title without the document number the meta title adds).
TITLE_MIN_SHARE = 0.5
MIN_TITLE_CHARS = 6
MAX_TITLE_CHARS = 200  # longer text is a paragraph, never a heading
MAX_TITLE_LINES = 4  # a title repeated at the top of the body, broken over this many lines

# Dates. The info bar between the heading and the body holds the publication date, labelled
# (发布时间 first: 成文日期 is when the document was written) or bare right after the title.
_D = r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})"
INFO_BAR_DATES = [
    re.compile(r"(?:发布时间|发布日期|公布日期|公开日期|发稿时间|上传时间)[:：]" + _D),
    # not the time of a comment, a deadline or an event (留言时间, 截止日期, 开标时间 …)
    re.compile(
        r"(?<!留言)(?<!回复)(?<!答复)(?<!截止)(?<!开始)(?<!结束)(?<!报名)(?<!开标)(?<!会议)(?<!活动)"
        r"(?<!公告)(?:时间|日期|生成日期|成文日期|发文日期)[:：]" + _D
    ),
    re.compile(r"^(?:\S{0,40}?)" + _D),
]
# A metadata table's date labels (a label cell, then a cell with the date), best first: when
# the notice was published or its record made public (生成日期: the date the platform lists it
# under), then when the document was written or issued (its own closing date).
TABLE_DATE_LABELS = (
    "发布日期",
    "发布时间",
    "公开日期",
    "公布日期",
    "生成日期",
    "成文日期",
    "发文日期",
    "日期",
)
TABLE_PUBLISHED_LABELS = 5  # the first five are the record's publication
TABLE_DATE_LABEL = re.compile("^(" + "|".join(TABLE_DATE_LABELS) + ")[:：]?$")
# ... in the page's HTML, a label its cell closes on (发文日期：</td>): without one, no table
TABLE_DATE_HINT = re.compile("(?:" + "|".join(TABLE_DATE_LABELS) + r")\s*[:：]?\s*</")
INFO_BAR_CHARS = 200  # the info bar is short: a date further from the heading is in the body
BODY_ANCHOR_CHARS = 20  # the body's first characters, found in the page text to place it

# A line starting one of these ends the body: what follows is page furniture.
TAIL_MARKERS = [
    re.compile(p)
    for p in (
        r"^(相关链接|相关阅读|相关文章|相关新闻|相关稿件|延伸阅读|往期推荐|往期回顾)[:：]?$",
        r"^扫一扫(在手机上)?(查看|打开)?",
    )
]


def _is_link_row(compact: str) -> bool:
    """A row of short words separated by full-width bars: a navigation or tool bar.

    (Data-table rows come out of extraction separated by ASCII " | " and are kept.)
    """
    tokens = [t for t in compact.split("｜") if t]
    return len(tokens) >= 3 and all(len(t) <= 8 for t in tokens)


def is_chrome_line(line: str) -> bool:
    """True for a line of text that belongs to the page's chrome, not the notice."""
    compact = re.sub(r"\s+", "", line).strip("|｜")
    if not compact or _is_link_row(compact):
        return True
    if len(compact) > _SHORT * 3:
        return False
    if any(p.search(compact) for p in LINE_PATTERNS):
        return True
    if any(p.search(compact) for p in FOOTER_PATTERNS):
        return True
    return bool(INFO_BAR.match(compact) and INFO_BAR_HINT.search(compact))


MAX_LABEL_CHARS = 30  # a label line is short (spaces included)
LABEL_WORDS = ("下载", "下載", "查看", "附")  # one of these is in every label line above
# A page with more lines than this that name no file (附件, .pdf …) has a body of its own.
MAX_ATTACHMENT_LINES = 5
# What leads an attachment's name in a body (附件：, 附件2:).
ATTACHMENT_LEAD = re.compile(r"^(附件|附)\d*[:：]?")


def is_download_label(line: str) -> bool:
    """True for a download link's label (pdf下载, 点击下载): chrome anywhere in a body."""
    if len(line) > MAX_LABEL_CHARS or not any(word in line for word in LABEL_WORDS):
        return False
    compact = re.sub(r"\s+", "", line).strip("|｜")
    return any(p.match(compact) for p in LABEL_LINES[:2])


def is_label_line(line: str) -> bool:
    """True for a download label or an empty attachment heading (pdf下载, 附件信息:)."""
    if len(line) > MAX_LABEL_CHARS or not any(word in line for word in LABEL_WORDS):
        return False
    compact = re.sub(r"\s+", "", line).strip("|｜")
    return any(p.match(compact) for p in LABEL_LINES)


# Furniture of a landing page: a short line that is no sentence (各位网友：, 2024-07-02,
# 来源：县委巡察办, 浏览次数：2596). A page of documents with only these says nothing itself.
FURNITURE_CHARS = 20
SENTENCE_END = re.compile(r"[。！？；!?;]")


# A landing page's pointer to the notice's files: a sentence sending the reader to them
# (全文请点击下方附件查阅, 详见附件, 点击下载全文), short, as such pages write it.
POINTER = re.compile(r"附件|附后|(?:点击|点此)(?:下载|查看|查阅)|(?:下载|查阅|查看)(?:全文|原文)")
MAX_POINTER_CHARS = 160
# A row of fields (编辑：张三 审核：李四, 上一信息：没有了), bracketed or not: page furniture
# after a notice's closing date.
FIELD_ROW = re.compile(
    r"^[（(【\[]?(?:[\u4e00-\u9fff]{1,6}[:：][^:：。；！？]{0,30}?){1,4}[）)】\]]?$"
)
MAX_FIELD_ROW_CHARS = 60


def is_pointer(line: str) -> bool:
    compact = re.sub(r"\s+", "", line)
    return len(compact) <= MAX_POINTER_CHARS and bool(POINTER.search(compact))


def is_field_row(line: str) -> bool:
    compact = re.sub(r"\s+", "", line).strip("|｜")
    return (
        len(compact) <= MAX_FIELD_ROW_CHARS
        and "附" not in compact
        and bool(FIELD_ROW.match(compact))
    )


def is_furniture(line: str) -> bool:
    compact = re.sub(r"\s+", "", line)
    return len(compact) <= FURNITURE_CHARS and not SENTENCE_END.search(compact)


def is_tail_marker(line: str) -> bool:
    compact = re.sub(r"\s+", "", line)
    return any(p.match(compact) for p in TAIL_MARKERS)
