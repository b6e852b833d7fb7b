"""What the probe recognises in a portal's pages, as data: CMS families, mechanisms, searches.

A family matches when any of its markers occurs in the raw HTML (case-insensitive) or in the
response headers. Markers are what the families' templates write into every page: script and
asset paths, generator metas, URL shapes of their articles and APIs.
"""

import re

CMS_MARKERS: dict[str, tuple[str, ...]] = {
    # TRS WCM (拓尔思): the pager template script, its editor's classes, article URLs
    "TRS": (
        r"createPageHTML\s*\(",
        r"class=[\"']?TRS_(Editor|UEDITOR)",
        r"/t\d{8}_\d+\.s?html?\b",
        r"<meta[^>]+content=[\"'][^\"']*TRS WCM",
        r"/was5/web/search",
    ),
    # Hanweb (大汉版通) JCMS: the jpage proxy, its asset folders, column and article URLs
    "Hanweb": (
        r"大汉版通",
        r"/jcms_files/jcms",
        r"/module/web/jpage/",
        r"dataproxy\.jsp",
        r"/col/col\d+/",
        r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html",
        r"/jsearchfront/",
        r"<meta[^>]+name=[\"']?generator[\"']?[^>]+hanweb",
    ),
    # Hanweb's newer JPaaS front end: pages built from its publishing gateway
    "JPaaS": (r"jpaas-publish-server", r"/api-gateway/jpaas", r"jpaas"),
    # Guangdong's 政府信息公开 platform
    "gkmlpt": (r"/gkmlpt/",),
    # UCAP (开普云): its content container and asset paths
    "UCAP": (r"UCAP-CONTENT", r"/ucap/", r"ucapcms"),
    # Epoint (国泰新点)
    "Epoint": (r"\bepoint", r"/EWB-FRONT/", r"frame/fui/"),
}

# Search endpoints a page's script or links may name, when no <form> says where search is.
SEARCH_URL = re.compile(
    r"""["'(]\s*([^"'()\s]*(?:/jsearchfront/search\.do|/was5/web/search|/search(?:\.\w+)?"""
    r"""|/so/s|/s\?)[^"'()\s]*)""",
    re.I,
)
# How the probe names the crawler's list mechanisms (crawler/lists) in its report.
MECHANISM_NAMES = {
    "static": "notice links",
    "trs": "TRS createPageHTML pagination",
    "paging": "pagination links",
    "hanweb": "Hanweb jpage list",
    "script_api": "script-named list API",
    "onclick": "onclick links",
    "frames": "list in a frame",
}

_COMPILED = {name: [re.compile(m, re.I) for m in markers] for name, markers in CMS_MARKERS.items()}


def cms_families(html: str, headers: dict[str, str] | None = None) -> list[str]:
    """The CMS families whose markers the page (or its headers) carries."""
    haystack = html + "\n" + "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())
    return [
        name for name, patterns in _COMPILED.items() if any(p.search(haystack) for p in patterns)
    ]
