"""Portal definitions as data: loading and validating `seeds/*.toml`."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from notice.encoding import normalize_charset
from notice.urls import host_in_domains

from .discovery import ListApi
from .exceptions import SeedError

LEVELS = ("central", "province", "municipal", "district", "county")
RENDERS = ("auto", "http", "browser")
REQUIRED = ("id", "name", "start_urls", "allowed_domains")
OPTIONAL = (
    "region",
    "level",
    "render",
    "max_depth",
    "max_pages",
    "encoding",
    "list_selector",
    "detail_pattern",
    "list_api",
    "robots",
    "robots_reason",
    "notes",
    "search",
)
API_KINDS = ("hanweb", "json")
API_INT_KEYS = ("per_page", "max_pages")
API_STR_KEYS = ("page_param", "items", "url_field", "title_field", "base_url")
API_KEYS = ("kind", "url", "params", *API_INT_KEYS, *API_STR_KEYS)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_MAX_DEPTH = 3
DEFAULT_MAX_PAGES = 2000


@dataclass(frozen=True)
class Portal:
    """One portal to crawl."""

    id: str
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    region: str | None = None
    level: str | None = None
    render: str = "auto"  # auto: lists that need scripts are explored in the browser
    max_depth: int = DEFAULT_MAX_DEPTH
    max_pages: int = DEFAULT_MAX_PAGES
    encoding: str | None = None
    list_selector: str | None = None
    detail_pattern: str | None = None
    notes: str | None = None
    robots: bool = True
    robots_reason: str | None = None
    list_apis: tuple[ListApi, ...] = ()
    search: str | None = None  # the site search as a URL template with {q} (and {page})
    source: str = field(default="", compare=False)

    def as_record(self) -> dict:
        """The fields the archive keeps about a portal."""
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "level": self.level,
            "start_urls": list(self.start_urls),
        }


def _fail(path: Path, portal_id: object, key: str, message: str) -> SeedError:
    return SeedError(f"{path}: portal {portal_id!r}: field {key!r}: {message}")


def _str_list(path: Path, pid: object, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, pid, key, "must be a non-empty list of strings")
    return tuple(value)


def _validate(path: Path, entry: dict) -> Portal:
    pid = entry.get("id", "<no id>")
    _check_keys(path, pid, entry)
    domains = tuple(
        d.lower() for d in _str_list(path, pid, "allowed_domains", entry["allowed_domains"])
    )
    start_urls = _start_urls(path, pid, entry, domains)
    level = _choice(path, pid, entry, "level", LEVELS, None)
    render = _choice(path, pid, entry, "render", RENDERS, "auto")
    _check_numbers(path, pid, entry)
    encoding = entry.get("encoding")
    if encoding is not None and normalize_charset(encoding) is None:
        raise _fail(path, pid, "encoding", f"unknown encoding {encoding!r}")
    pattern = _pattern(path, pid, entry.get("detail_pattern"))
    apis = tuple(_list_api(path, pid, api, domains) for api in _tables(path, pid, entry))
    robots, reason = _robots(path, pid, entry)
    search = _search(path, pid, entry.get("search"), domains)
    for key in ("region", "list_selector", "notes"):
        if key in entry and not isinstance(entry[key], str):
            raise _fail(path, pid, key, "must be a string")
    return Portal(
        id=pid,
        name=entry["name"].strip(),
        start_urls=start_urls,
        allowed_domains=domains,
        region=entry.get("region"),
        level=level,
        render=render,
        max_depth=entry.get("max_depth", DEFAULT_MAX_DEPTH),
        max_pages=entry.get("max_pages", DEFAULT_MAX_PAGES),
        encoding=normalize_charset(encoding) if encoding else None,
        list_selector=entry.get("list_selector"),
        detail_pattern=pattern,
        notes=entry.get("notes"),
        robots=robots,
        robots_reason=reason,
        list_apis=apis,
        search=search,
        source=str(path),
    )


def _check_keys(path: Path, pid: object, entry: dict) -> None:
    """Only known keys, every required one, a slug id and a name."""
    for key in entry:
        if key not in REQUIRED + OPTIONAL:
            raise _fail(path, pid, key, f"unknown key (known: {', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if key not in entry:
            raise _fail(path, pid, key, "missing required key")
    if not isinstance(pid, str) or not _SLUG.match(pid):
        raise _fail(path, pid, "id", "must be a slug: lower-case letters, digits, - and _")
    if not isinstance(entry["name"], str) or not entry["name"].strip():
        raise _fail(path, pid, "name", "must be a non-empty string")


def _start_urls(path: Path, pid: object, entry: dict, domains: tuple[str, ...]) -> tuple:
    start_urls = _str_list(path, pid, "start_urls", entry["start_urls"])
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _fail(path, pid, "start_urls", f"{url!r} is not an http(s) URL")
        if not host_in_domains(parts.hostname, domains):
            raise _fail(
                path, pid, "start_urls", f"{url!r} is outside allowed_domains {list(domains)}"
            )
    return start_urls


def _choice(path: Path, pid: object, entry: dict, key: str, choices: tuple, default):
    value = entry.get(key, default)
    if value is not None and value not in choices:
        raise _fail(path, pid, key, f"must be one of {', '.join(choices)}")
    return value


def _check_numbers(path: Path, pid: object, entry: dict) -> None:
    for key, low, high in (("max_depth", 0, 20), ("max_pages", 1, 1_000_000)):
        value = entry.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            raise _fail(path, pid, key, f"must be a whole number from {low} to {high}")


def _pattern(path: Path, pid: object, pattern: object) -> str | None:
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise _fail(
                path, pid, "detail_pattern", f"not a valid regular expression ({exc})"
            ) from exc
    return pattern


def _robots(path: Path, pid: object, entry: dict) -> tuple[bool, str | None]:
    """Whether robots.txt is obeyed, and why not (a seed must say)."""
    robots = entry.get("robots", True)
    if not isinstance(robots, bool):
        raise _fail(path, pid, "robots", "must be true or false")
    reason = entry.get("robots_reason")
    if not robots and not (isinstance(reason, str) and reason.strip()):
        raise _fail(path, pid, "robots_reason", "robots = false needs a stated reason")
    return robots, reason


def _search(path: Path, pid: object, search: object, domains: tuple[str, ...]) -> str | None:
    """The seed's site search: an http(s) URL template in the portal's domains, with {q}."""
    if search is None:
        return None
    parts = urlsplit(search) if isinstance(search, str) else None
    if (
        not parts
        or parts.scheme not in ("http", "https")
        or not host_in_domains(parts.hostname, domains)
        or "{q}" not in search
    ):
        raise _fail(
            path,
            pid,
            "search",
            f"{search!r} must be an http(s) URL inside allowed_domains with {{q}} where "
            "the query goes (and optionally {page})",
        )
    return search


def _tables(path: Path, pid: str, entry: dict) -> list[dict]:
    value = entry.get("list_api", [])
    value = [value] if isinstance(value, dict) else value
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(
            path, pid, "list_api", "must be a table or an array of tables ([[portal.list_api]])"
        )
    return value


def _list_api(path: Path, pid: str, api: dict, domains: tuple[str, ...]) -> ListApi:
    for key in api:
        if key not in API_KEYS:
            raise _fail(path, pid, f"list_api.{key}", f"unknown key (known: {', '.join(API_KEYS)})")
    if api.get("kind") not in API_KINDS:
        raise _fail(path, pid, "list_api.kind", f"must be one of {', '.join(API_KINDS)}")
    url = api.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        not parts
        or parts.scheme not in ("http", "https")
        or not host_in_domains(parts.hostname, domains)
    ):
        raise _fail(
            path, pid, "list_api.url", f"{url!r} must be an http(s) URL inside allowed_domains"
        )
    params = api.get("params", {})
    if not isinstance(params, dict):
        raise _fail(path, pid, "list_api.params", "must be a table of names and values")
    for key in API_INT_KEYS:
        if key in api and (
            not isinstance(api[key], int) or isinstance(api[key], bool) or api[key] < 1
        ):
            raise _fail(path, pid, f"list_api.{key}", "must be a whole number of at least 1")
    for key in API_STR_KEYS:
        if key in api and not isinstance(api[key], str):
            raise _fail(path, pid, f"list_api.{key}", "must be a string")
    known = {k: api[k] for k in (*API_INT_KEYS, *API_STR_KEYS) if k in api}
    return ListApi(
        kind=api["kind"],
        url=url,
        source="seed",
        params=tuple((str(k), str(v)) for k, v in params.items()),
        **known,
    )


def seed_files(path: str | Path) -> list[Path]:
    """The TOML files of a seeds file or folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise SeedError(f"{path}: no .toml seed files in this folder")
        return files
    if not path.exists():
        raise SeedError(f"{path}: no such seeds file or folder")
    return [path]


def load_seeds(path: str | Path) -> list[Portal]:
    """Load and validate every portal of a seeds file or folder."""
    portals: list[Portal] = []
    seen: dict[str, Path] = {}
    for file in seed_files(path):
        try:
            data = tomllib.loads(file.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SeedError(f"{file}: not valid TOML ({exc})") from exc
        entries = data.get("portal", [])
        extra = set(data) - {"portal"}
        if extra:
            raise SeedError(
                f"{file}: unknown top-level key(s) {sorted(extra)}; use [[portal]] tables"
            )
        if not isinstance(entries, list):
            raise SeedError(f"{file}: 'portal' must be an array of tables ([[portal]])")
        for entry in entries:
            portal = _validate(file, entry)
            if portal.id in seen:
                raise _fail(file, portal.id, "id", f"duplicate id (also in {seen[portal.id]})")
            seen[portal.id] = file
            portals.append(portal)
    return portals


def select(portals: list[Portal], portal_id: str | None) -> list[Portal]:
    """All portals, or the one named; an unknown name lists the known ones."""
    if not portal_id:
        return portals
    chosen = [p for p in portals if p.id == portal_id]
    if not chosen:
        raise SeedError(
            f"no portal {portal_id!r} in the seeds (known: {', '.join(p.id for p in portals)})"
        )
    return chosen
