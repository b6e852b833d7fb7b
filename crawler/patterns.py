"""Discovery patterns as data: what a notice title, a column link and a pager look like."""

import re

# A rectification notice names an inspection (巡视 / 巡察), rectification (整改) and a report.
NOTICE_INSPECTION = re.compile(r"巡视|巡察")
NOTICE_RECTIFY = re.compile(r"整改")
NOTICE_REPORT = re.compile(r"通报|情况|公布|公开|进展")
# How a notice title opens: its issuer (中共…委员会, …党组, …党工委) and 关于 (a truncated link
# text cut before 巡视/整改 is fetched when it opens like this).
NOTICE_ISSUER = re.compile(r"^中共.{2,}|党组|党委|党工委|委员会|^.{2,24}关于")
# Look-alikes that are not notices: meeting news, announcements of an inspection, audit or
# environmental rectification, training. Read in the subject only (after 关于): an issuer named
# 审计局党组 or 生态环境局党组 may publish a real notice.
NOT_NOTICE = re.compile(
    r"推进会|部署会|动员会|座谈会|培训|调度会|反馈会|进驻|审计|督察|环保|生态环境|召开|"
    r"约谈|工作会议|述职"
)

# Link texts of columns that carry notices, and of columns that never do.
COLUMN_WORDS = re.compile(
    r"政务公开|信息公开|通知公告|公示公告|要事公告|党务公开|巡视|巡察|纪检|监察|纪委|监委|"
    r"工作动态|政府信息|公开目录|公告|通报|整改|党建"
)
SKIP_COLUMN_WORDS = re.compile(
    r"办事|服务|互动|留言|信箱|投诉|招聘|招考|采购|招标|视频|图片|专题|English|无障碍|登录|注册|"
    r"地图|联系我们|政策解读|规划"
)

# Column names are short; a long link text is an article title, never a column.
MAX_COLUMN_LABEL = 12

# Link texts that say nothing about the target: the target page must decide.
UNINFORMATIVE = re.compile(r"^(详情|详细|更多|全文|查看|点击查看|阅读全文|more|MORE|>>|»)+[>»]*$")

# URL shapes of article pages on common CMSes (TRS, Hanweb, Founder, generic).
DETAIL_URL = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$|/content_\d+\.s?html?$|/\d{6,8}/[^/]+\.s?html?$|"
    r"/art/\d{4}/|/content/\d{4}-\d{2}/|/info/\d+/\d+\.htm$|/(detail|article|show|view)[^/]*$"
)

# A page with this many notice links and less text than this outside its links is a list,
# even when its title reads like a notice (notices run to thousands of characters).
LIST_MIN_ITEM_LINKS = 2
LIST_MAX_OWN_TEXT = 1000

# Pagination.
NEXT_PAGE_WORDS = re.compile(r"^(下一页|下页|后一页|尾页|末页|最后一页|>|›|»|\d{1,4})$")
CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]"
    r"\s*,\s*['\"]([^'\"]+)['\"]"
)
PAGE_PARAM = re.compile(r"([?&](?:page|pageNum|pageNo|pageIndex|currentPage|p|pn)=)(\d+)", re.I)
MAX_PAGES_PER_LIST = 200  # default of the LIST_MAX_PAGES setting

# URL parameters that never change the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|from|share_token|isappinstalled|scene|srcid|timestamp|_|t|v|clicktime|"
    r"enterid|sharer_\w+|wfr|for|jsessionid|phpsessid|aspsessionid\w*|sessionid|sid|sessid)$",
    re.I,
)
# Session ids carried as path parameters: /a/t1.htm;jsessionid=ABC
SESSION_PATH_PARAM = re.compile(r";(jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.I)
DEFAULT_DOCUMENTS = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")


def is_notice_title(text: str | None) -> bool:
    """True when a title (or link text) reads like a rectification notice."""
    if not text:
        return False
    text = re.sub(r"\s+", "", text)
    return bool(
        NOTICE_INSPECTION.search(text)
        and NOTICE_RECTIFY.search(text)
        and NOTICE_REPORT.search(text)
        and not NOT_NOTICE.search(text.partition("关于")[2] or text)
    )


def might_be_notice_title(text: str) -> bool:
    """True when a link text is truncated or uninformative but could still be a notice."""
    text = re.sub(r"\s+", "", text)
    if UNINFORMATIVE.match(text):
        return True
    truncated = text.endswith(("...", "…", "..", "……"))
    if not truncated or NOT_NOTICE.search(text.partition("关于")[2] or text):
        return False
    # the cut may fall before the words: 中共某县民政局党组关于十四届县… still reads like an
    # issuer's notice title
    return bool(
        NOTICE_INSPECTION.search(text) or NOTICE_RECTIFY.search(text) or NOTICE_ISSUER.search(text)
    )


# Lists built in the browser. Hanweb's jpage fills a container from dataproxy.jsp; other CMSes
# fetch JSON into an empty list element.
HANWEB_LOADER = re.compile(r"jpage|dataproxy\.jsp|morecolumndataproxy", re.I)
SCRIPT_LOADER = re.compile(
    r"\bfetch\s*\(|\$\.(ajax|getJSON|get|post)\s*\(|XMLHttpRequest|axios\.", re.I
)
EMPTY_LIST_CONTAINER = (
    "//*[self::ul or self::ol or self::tbody or self::div or self::table]"
    "[not(*)][normalize-space()=''][re:test(concat(@id, ' ', @class), "
    "'list|news|data|item|content|article|info|wz|xx|div\\d+', 'i')]"
)
HANWEB_PROXY_URL = re.compile(r"""(?:proxyUrl|url)\s*:\s*['"]([^'"]*dataproxy\.jsp[^'"]*)['"]""")
HANWEB_PARAMS = re.compile(r"(?:ajaxParam|param)\s*:\s*\{([^}]*)\}", re.S)
HANWEB_PER_PAGE = re.compile(r"perPage\s*:\s*['\"]?(\d+)")
JS_PAIR = re.compile(r"""(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w.\-/]+))""")

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
# Anchors that may lead to a document (checked further by crawler.documents.document_kind).
DOCUMENT_HINT = re.compile(r"\.(pdf|docx?|wps)\b", re.I)
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
