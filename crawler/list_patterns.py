"""Discovery patterns of list mechanisms as data: page parameters, script-named APIs, link
handlers, jump menus, search forms. Compiled once; the mechanisms in crawler/lists use them."""

import re

# Query parameters that number the pages of a list (…?page=3, pageNum=, pageNo=, p=).
PAGE_PARAM_NAME = re.compile(
    r"^(page|pageNum|pageNo|pageIndex|pageindex|currentPage|curPage|cur_page|p|pn|pg|"
    r"startrecord|endrecord)$",
    re.I,
)
PAGE_PARAM = re.compile(
    r"([?&](?:page|pageNum|pageNo|pageIndex|currentPage|curPage|p|pn|pg)=)(\d+)", re.I
)
# A page number as the path's last segments: /category/tzgg/page/2/, /news/p/3 (page 1 is the
# path without them).
PATH_PAGE = re.compile(r"/(?:page|paged|p|pg|pn)/\d{1,4}/?$", re.I)
# Paths of script-served lists (list.jsp?cid=12&page=3): their query names the list.
SCRIPT_PAGE_SUFFIXES = (".jsp", ".asp", ".aspx", ".php", ".do", ".action", ".jspx")
# Static list pages numbered in the file name: index_3.html, list_3.htm, 3.html.
NUMBERED_FILE = re.compile(r"^(.*?)(?:_(\d+))?(\.s?html?)$")
# Pager words: next, last; "[3]" and bare numbers are page numbers.
NEXT_WORDS = re.compile(r"^(下一页|下页|后一页|>|›|»|>>|next)$", re.I)
LAST_WORDS = re.compile(r"^(尾页|末页|最后一页|last)$", re.I)
# Group pagers show a window of page numbers and step to the next window: 下一组, 后5页, or an
# ellipsis link (1 2 3 … / ... ) that leads to the first page past the window.
GROUP_WORDS = re.compile(
    r"^(下一组|后一组|下组|上一组|前一组|上组|[上下前后]\d{1,2}页|…+|\.{2,6}|·{2,6})$"
)
PAGE_NUMBER = re.compile(r"^[\[【(（]?(\d{1,4})[\]】)）]?$")
# "共12页" / "共 12 页" / "1/12" in pager text.
PAGE_COUNT = re.compile(r"共\s*(\d{1,4})\s*页|第?\s*\d{1,4}\s*/\s*(\d{1,4})\s*页")

# URLs in click handlers: window.open('…'), location.href='…', openUrl("…"), self.location=…
HANDLER_URL = re.compile(
    r"""(?:window\.open|location(?:\.href)?\s*=|location\.assign|location\.replace|"""
    r"""\w*(?:open|goto|go|show|view|link|jump)\w*)\s*\(?\s*['"]([^'"]+)['"]""",
    re.I,
)
# What a handler URL must look like to be followed (not a function name or a fragment).
HANDLER_TARGET = re.compile(r"^(?:https?://|/|\./|\.\./|[\w-]+(?:/[\w.-]+)*\.\w{2,5}(?:\?|$))")

# List APIs named in a page's script: a URL with a page placeholder or a page parameter.
SCRIPT_API_URL = re.compile(
    r"""['"`]((?:https?://[^'"`\s]+)?/?[\w./-]*?(?:api|data|list|json|query|page|search)"""
    r"""[\w./-]*(?:\.json|\.do|\.jsp|\.action|\.php|\.aspx?)?(?:\?[^'"`\s]*)?)['"`]""",
    re.I,
)
# Placeholders scripts write for the page number: page_{p}.json, ${page}, {pageNo}, ' + page + '.
PAGE_PLACEHOLDER = re.compile(
    r"\{\{?\s*(?:p|page|pageNo|pageNum|pageIndex|n|i)\s*\}?\}|\$\{\s*\w+\s*\}|['\"]\s*\+\s*"
    r"(?:p|page|pageNo|pageNum|pageIndex|n|i|pn|cur|current)\s*(?:\+\s*['\"]|$)",
    re.I,
)
# A script that fetches: what makes an empty container a script-built list or detail.
FETCH_CALL = re.compile(r"\bfetch\s*\(|\$\.(?:ajax|get|getJSON|post)\s*\(|XMLHttpRequest|axios\.")
# Detail APIs named in a shell's script: /api/…/detail?id=, …/article?id=, …/content/ID.json
DETAIL_API = re.compile(
    r"""['"`]([\w./:-]*(?:detail|article|content|info)[\w./-]*(?:\?[\w.]+=)?)['"`]""", re.I
)
# Record fields of JSON list payloads.
URL_FIELDS = ("url", "link", "href", "linkUrl", "linkurl", "pageUrl", "docUrl", "detailUrl")
# Other CMSes name it otherwise (TRS docPubUrl, Epoint infourl, …): a field named …url / …Url /
# …_url / …link whose value is a path or an http(s) URL.
URL_FIELD_NAME = re.compile(
    r"^(?!.*(?:img|pic|image|thumb|icon|logo|video|file)).*(?:url|link|href)$", re.I
)
URL_VALUE = re.compile(r"^(?:https?://|/|\./|\.\./)\S+$")
TITLE_FIELDS = ("title", "name", "docTitle", "doctitle", "subject", "articleTitle", "text")
ID_FIELDS = ("id", "docId", "docid", "articleId", "infoid", "infoId", "contentId")
LIST_FIELDS = ("list", "rows", "records", "data", "items", "result", "results", "docs", "content")
TEXT_FIELDS = ("content", "body", "text", "html", "docContent", "articleContent")
PARAGRAPH_FIELDS = ("paragraphs", "content", "body", "contents", "paras", "text")

# Search forms and query fields; the terms a portal's search is asked for.
SEARCH_FIELD = re.compile(
    r"^(q|query|keyword|keywords|searchword|searchWord|kw|key|wd|word)$", re.I
)
SEARCH_ACTION = re.compile(r"search|sousuo|jsearch|was5|query", re.I)
SEARCH_TERMS = ("巡视整改", "巡察整改", "整改进展", "整改情况的通报")


# -- columns, article URLs, pagers and script-built lists -----------------------------
# Link texts of columns that carry notices, and of columns that never do.
COLUMN_WORDS = re.compile(
    r"政务公开|信息公开|通知公告|公示公告|要事公告|党务公开|巡视|巡察|纪检|监察|纪委|监委|"
    r"工作动态|政府信息|公开目录|公告|通报|整改|党建|党风廉政"
)

SKIP_COLUMN_WORDS = re.compile(
    r"办事|服务|互动|留言|信箱|投诉|招聘|招考|采购|招标|视频|图片|专题|English|无障碍|登录|注册|"
    r"地图|联系我们|政策解读|规划"
)

# Column names are short; a long link text is an article title, never a column.
MAX_COLUMN_LABEL = 12

# Files a picture links to that are no page (the full-size picture, a video, a download): a
# wordless picture link to one is never fetched as a candidate.
NOT_PAGE_FILE = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|tiff?|mp4|flv|avi|mov|mp3|swf|zip|rar|7z|exe|apk)$", re.I
)

# URL shapes of article pages on common CMSes (TRS, Hanweb, Founder, generic).
DETAIL_URL = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$|/content_\d+\.s?html?$|/\d{6,8}/[^/]+\.s?html?$|"
    r"/art/\d{4}/|/content/\d{4}-\d{2}/|/info/\d+/\d+\.htm$|/(detail|article|show|view)[^/]*$"
)

# Items named by a number in one folder (/archives/1037, /news/20931): a list's entries when
# at least MIN_NUMBERED of them are linked (an article links two: 上一篇, 下一篇).
NUMBERED_ITEM = re.compile(r"(?P<folder>/(?:[\w-]+/)*[A-Za-z][\w-]*)/\d{3,12}$")
MIN_NUMBERED = 3

# A page with this many notice links and less text than this outside its links is a list,
# even when its title reads like a notice (notices run to thousands of characters).
LIST_MIN_ITEM_LINKS = 2

# Pagination.
NEXT_PAGE_WORDS = re.compile(r"^(下一页|下页|后一页|尾页|末页|最后一页|>|›|»|\d{1,4})$")

CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]"
    r"\s*,\s*['\"]([^'\"]+)['\"]"
)


MAX_PAGES_PER_LIST = 200  # default of the LIST_MAX_PAGES setting

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

# -- the sources crawlers read (crawler/sources) --------------------------------------
# A sitemap names URLs without titles: of the URLs no archive row or list explains, only those
# shaped like articles are fetched to be judged. An article's URL carries a date folder
# (/2024/03/15/, /202403/, /2024-03/), a numbered file (t20240315_123.html, 24817.html,
# art_1_2345.html, content_98765.htm), or an article id in its query (?id=, docid=, infoid=).
ARTICLE_URL = re.compile(
    r"/(?:19|20)\d{2}(?:[-_/]?\d{2}){1,2}/[^/]+$|"
    r"/[^/?]*\d{4,}[^/?]*\.(?:s?html?|jsp|aspx?|php)(?:\?|$)|"
    r"[?&](?:id|docid|doc_id|articleid|article_id|infoid|info_id|contentid|newsid|aid|cid)=\w{3,}",
    re.I,
)
# Pages of a site that are never articles, whatever their URL holds.
NOT_ARTICLE_URL = re.compile(
    r"/(?:index|list|default|search|sitemap|login)[^/]*$|/$|\.(?:xml|txt|json|css|js)(?:\?|$)",
    re.I,
)
# Feeds a page links besides its <link rel="alternate">: an anchor labelled like one (RSS, 订阅,
# Atom, Feed: its text, title or image) to an .rss/.atom/.xml file, a path ending in rss or feed,
# or a feed format parameter.
FEED_HREF = re.compile(
    r"\.(?:rss|atom|xml)(?:\?|$)|/(?:rss|feeds?|atom)/?(?:\?|$)|[?&](?:feed|format|type)=(?:rss|atom)",
    re.I,
)
FEED_LABEL = re.compile(r"rss|atom|feed|订阅", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

# -- what a list says it holds (crawler/lists/counts) ----------------------------------
# 共128条, 共有128条记录, 总共128条, 共128篇, 记录数：128, 总记录数:128, 总数：128
ITEM_COUNT = re.compile(
    r"(?:共有?|总共|合计)\s*(\d{1,7})\s*(?:条|篇|个信息|项)|(?:总?记录数|信息总数|总数|总条数)\s*[:：]?\s*(\d{1,7})"
)
# A script's own totals: var totalRecord = 128; recordCount: 128; "totalCount":"128"; and
# Hanweb's <totalrecord>128</totalrecord> in the records it embeds
SCRIPT_ITEM_COUNT = re.compile(
    r"""\b(?:totalRecords?|totalrecord|totalCount|recordCount|recordcount|totalNum|totalSize|"""
    r"""allCount|total)['"]?\s*[:=]\s*['"]?(\d{1,7})\b|<totalrecord>\s*(\d{1,7})\s*<""",
    re.I,
)
SCRIPT_PAGE_COUNT = re.compile(
    r"""\b(?:totalPages?|totalpage|pageCount|pagecount|pageTotal|totalPageNum|countPage)['"]?"""
    r"""\s*[:=]\s*['"]?(\d{1,5})\b"""
)
# Fields of a JSON list reply that state the whole list's size, or its number of pages.
TOTAL_FIELDS = (
    "total",
    "totalCount",
    "totalRecord",
    "totalRecords",
    "totalrecord",
    "recordCount",
    "totalElements",
    "totalSize",
    "totalNum",
    "recordsTotal",
    "totalHits",
    "count",
)
PAGES_FIELDS = ("totalPage", "totalPages", "pageCount", "pages", "pageTotal", "totalpage")
