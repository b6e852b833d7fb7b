"""Portal definitions as data: loading and validating `seeds/*.toml`."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from notice.encoding import normalize_charset
from notice.urls import host_in_domains

from .discovery import ListApi
from .exceptions import SeedError, SeedErrors

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


class _Problems:
    """Every problem found in seeds, one line each naming the file, the portal and the field:
    a file is checked whole, so that one reading tells everything to fix."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, path: Path, portal_id: object, key: str, message: str) -> None:
        self.found.append(f"{path}: portal {portal_id!r}: field {key!r}: {message}")

    def field(self, path: Path, portal_id: object):
        """A function noting a problem of one field of this portal."""
        return lambda key, message: self.add(path, portal_id, key, message)


def _str_list(fail, key: str, value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        fail(key, "must be a non-empty list of strings")
        return None
    return tuple(value)


def _check_keys(fail, entry: dict) -> None:
    for key in entry:
        if key not in REQUIRED + OPTIONAL:
            fail(key, f"unknown key (known: {', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if key not in entry:
            fail(key, "missing required key")
    if "id" in entry and not (isinstance(entry["id"], str) and _SLUG.match(entry["id"])):
        fail("id", "must be a slug: lower-case letters, digits, - and _")
    if "name" in entry and not (isinstance(entry["name"], str) and entry["name"].strip()):
        fail("name", "must be a non-empty string")


def _check_urls(fail, entry: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The allowed domains and start URLs (empty when missing or invalid)."""
    domains = start_urls = None
    if "allowed_domains" in entry:
        domains = _str_list(fail, "allowed_domains", entry["allowed_domains"])
    if "start_urls" in entry:
        start_urls = _str_list(fail, "start_urls", entry["start_urls"])
    domains = tuple(d.lower() for d in domains or ())
    for url in start_urls or ():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail("start_urls", f"{url!r} is not an http(s) URL")
        elif domains and not host_in_domains(parts.hostname, domains):
            fail("start_urls", f"{url!r} is outside allowed_domains {list(domains)}")
    search = entry.get("search")
    if search is not None:
        parts = urlsplit(search) if isinstance(search, str) else None
        if (
            not parts
            or parts.scheme not in ("http", "https")
            or not host_in_domains(parts.hostname, domains)
            or "{q}" not in search
        ):
            fail(
                "search",
                f"{search!r} must be an http(s) URL inside allowed_domains with {{q}} where "
                "the query goes (and optionally {page})",
            )
    return domains, start_urls or ()


def _check_values(fail, entry: dict) -> None:
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        fail("level", f"must be one of {', '.join(LEVELS)}")
    if entry.get("render", "auto") not in RENDERS:
        fail("render", f"must be one of {', '.join(RENDERS)}")
    for key, low, high in (("max_depth", 0, 20), ("max_pages", 1, 1_000_000)):
        value = entry.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            fail(key, f"must be a whole number from {low} to {high}")
    encoding = entry.get("encoding")
    if encoding is not None and normalize_charset(encoding) is None:
        fail("encoding", f"unknown encoding {encoding!r}")
    pattern = entry.get("detail_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            fail("detail_pattern", f"not a valid regular expression ({exc})")
    robots = entry.get("robots", True)
    if not isinstance(robots, bool):
        fail("robots", "must be true or false")
    reason = entry.get("robots_reason")
    if robots is False and not (isinstance(reason, str) and reason.strip()):
        fail("robots_reason", "robots = false needs a stated reason")
    for key in ("region", "list_selector", "notes"):
        if key in entry and not isinstance(entry[key], str):
            fail(key, "must be a string")


def _validate(path: Path, entry: dict, problems: _Problems) -> Portal | None:
    """The portal an entry defines, or None when it has problems (each noted)."""
    pid = entry.get("id", "<no id>")
    fail = problems.field(path, pid)
    before = len(problems.found)
    _check_keys(fail, entry)
    domains, start_urls = _check_urls(fail, entry)
    _check_values(fail, entry)
    apis = tuple(
        api
        for table in _tables(fail, entry)
        if (api := _list_api(fail, table, domains)) is not None
    )
    if len(problems.found) > before:
        return None
    encoding = entry.get("encoding")
    return Portal(
        id=pid,
        name=entry["name"].strip(),
        start_urls=start_urls,
        allowed_domains=domains,
        region=entry.get("region"),
        level=entry.get("level"),
        render=entry.get("render", "auto"),
        max_depth=entry.get("max_depth", DEFAULT_MAX_DEPTH),
        max_pages=entry.get("max_pages", DEFAULT_MAX_PAGES),
        encoding=normalize_charset(encoding) if encoding else None,
        list_selector=entry.get("list_selector"),
        detail_pattern=entry.get("detail_pattern"),
        notes=entry.get("notes"),
        robots=entry.get("robots", True),
        robots_reason=entry.get("robots_reason"),
        list_apis=apis,
        search=entry.get("search"),
        source=str(path),
    )


def _tables(fail, entry: dict) -> list[dict]:
    value = entry.get("list_api", [])
    value = [value] if isinstance(value, dict) else value
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        fail("list_api", "must be a table or an array of tables ([[portal.list_api]])")
        return []
    return value


def _check_api_values(fail, api: dict) -> None:
    if not isinstance(api.get("params", {}), dict):
        fail("list_api.params", "must be a table of names and values")
    for key in API_INT_KEYS:
        if key in api and (
            not isinstance(api[key], int) or isinstance(api[key], bool) or api[key] < 1
        ):
            fail(f"list_api.{key}", "must be a whole number of at least 1")
    for key in API_STR_KEYS:
        if key in api and not isinstance(api[key], str):
            fail(f"list_api.{key}", "must be a string")


def _list_api(fail, api: dict, domains: tuple[str, ...]) -> ListApi | None:
    """A seed's list API, or None when it has problems (each noted)."""
    problems = []

    def noted(key: str, message: str) -> None:
        problems.append(key)
        fail(key, message)

    for key in api:
        if key not in API_KEYS:
            noted(f"list_api.{key}", f"unknown key (known: {', '.join(API_KEYS)})")
    if api.get("kind") not in API_KINDS:
        noted("list_api.kind", f"must be one of {', '.join(API_KINDS)}")
    url = api.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        not parts
        or parts.scheme not in ("http", "https")
        or not host_in_domains(parts.hostname, domains)
    ):
        noted("list_api.url", f"{url!r} must be an http(s) URL inside allowed_domains")
    _check_api_values(noted, api)
    if problems:
        return None
    params = api.get("params", {})
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
    """Load and validate every portal of a seeds file or folder. Every problem of every file
    is found: SeedErrors names the first and carries them all (`problems`)."""
    portals: list[Portal] = []
    seen: dict[str, Path] = {}
    problems = _Problems()
    for file in seed_files(path):
        for entry in _entries(file, problems):
            portal = _validate(file, entry, problems)
            if portal is None:
                continue
            if portal.id in seen:
                problems.add(file, portal.id, "id", f"duplicate id (also in {seen[portal.id]})")
                continue
            seen[portal.id] = file
            portals.append(portal)
    if problems.found:
        raise SeedErrors(problems.found)
    return portals


def _entries(file: Path, problems: _Problems) -> list[dict]:
    """The [[portal]] tables of a file (none, with the problem noted, when it has none)."""
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.found.append(f"{file}: not valid TOML ({exc})")
        return []
    extra = set(data) - {"portal"}
    if extra:
        problems.found.append(
            f"{file}: unknown top-level key(s) {sorted(extra)}; use [[portal]] tables"
        )
    entries = data.get("portal", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.found.append(f"{file}: 'portal' must be an array of tables ([[portal]])")
        return []
    return entries


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
