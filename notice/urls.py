"""URL canonicalisation and scope: one page, one URL; never leave a portal's domains."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# URL parameters that never change the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|from|share_token|isappinstalled|scene|srcid|timestamp|_|t|v|clicktime|"
    r"enterid|sharer_\w+|wfr|for|jsessionid|phpsessid|aspsessionid\w*|sessionid|sid|sessid)$",
    re.I,
)

# Session ids carried as path parameters: /a/t1.htm;jsessionid=ABC
SESSION_PATH_PARAM = re.compile(r";(jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.I)

DEFAULT_DOCUMENTS = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    sorted query. The path is kept as linked (servers differ on default documents)."""
    parts = urlsplit(SESSION_PATH_PARAM.sub("", url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, SESSION_PATH_PARAM.sub("", v))
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def url_key(url: str) -> str:
    """The identity of a page: its canonical URL with any default document removed, so
    `/col/`, `/col/index.html` and `/col/index.html#top` are one page."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    path = parts.path
    head, _, last = path.rpartition("/")
    if last.lower() in DEFAULT_DOCUMENTS:
        path = head + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def host_in_domains(host: str | None, domains: tuple[str, ...] | list[str]) -> bool:
    """True when host is one of the domains or a subdomain of one (ports are ignored)."""
    host = (host or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def in_scope(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True for an http(s) URL whose host is inside the allowed domains."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and host_in_domains(parts.hostname, domains)
