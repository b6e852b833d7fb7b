"""The crawl policy's shared state in Redis: sets and a mapping with the same `claim` as the
local store (crawler.frontier.LocalStore), each claim one atomic Redis command."""

import json
import time
from collections.abc import Callable, Iterable, Iterator

from redis import Redis, RedisError

from notice.template import PortalChrome


class RedisSet:
    """A Redis set of strings; `claim` is SADD (true when the member was new)."""

    def __init__(self, client: Redis, key: str) -> None:
        self.client = client
        self.key = key

    def claim(self, member: str) -> bool:
        return self.client.sadd(self.key, member) == 1

    def add(self, member: str) -> None:
        self.client.sadd(self.key, member)

    def update(self, members: Iterable[str]) -> None:
        members = list(members)
        if members:
            self.client.sadd(self.key, *members)

    def discard(self, member: str) -> None:
        self.client.srem(self.key, member)

    def __contains__(self, member: object) -> bool:
        return bool(self.client.sismember(self.key, str(member)))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(m.decode() for m in self.client.smembers(self.key)))

    def __len__(self) -> int:
        return self.client.scard(self.key)


class RedisMapping:
    """A Redis hash of strings; `claim` is HSETNX (or HSET with `replace`)."""

    def __init__(self, client: Redis, key: str) -> None:
        self.client = client
        self.key = key

    def claim(self, key: str, value: str, *, replace: bool = False) -> bool:
        if replace:
            self.client.hset(self.key, key, value)
            return True
        return self.client.hsetnx(self.key, key, value) == 1

    def __contains__(self, key: object) -> bool:
        return bool(self.client.hexists(self.key, str(key)))

    def __getitem__(self, key: str) -> str:
        value = self.client.hget(self.key, key)
        if value is None:
            raise KeyError(key)
        return value.decode()

    def __setitem__(self, key: str, value: str) -> None:
        self.client.hset(self.key, key, value)

    def get(self, key: str, default=None):
        value = self.client.hget(self.key, key)
        return default if value is None else value.decode()

    def __len__(self) -> int:
        return self.client.hlen(self.key)


class RedisStore:
    """A Frontier store whose keys live under one run's prefix (a new run: new, empty keys)."""

    def __init__(self, client: Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def set(self, name: str) -> RedisSet:
        return RedisSet(self.client, f"{self.prefix}:{name}")

    def mapping(self, name: str) -> RedisMapping:
        return RedisMapping(self.client, f"{self.prefix}:{name}")


class SharedSearches:
    """The portals' site searches found on their start pages, shared by the workers (the
    worker that runs the search step may not be the one that read the start page)."""

    def __init__(self, client: Redis, key: str) -> None:
        self.client = client
        self.key = key

    def __contains__(self, portal_id: object) -> bool:
        return bool(self.client.hexists(self.key, str(portal_id)))

    def __setitem__(self, portal_id: str, search) -> None:
        self.client.hset(self.key, portal_id, search.template)

    def get(self, portal_id: str, default=None):
        from ..lists.search import Search

        template = self.client.hget(self.key, portal_id)
        return default if template is None else Search(template.decode())


class SharedTemplates:
    """The template snapshots the writer publishes (crawler.templates), read by a worker for
    its extractions, each kept `ttl` seconds. A stale one is never wrong: the writer extracts
    again a page cleaned with another revision than its own. A Redis error goes to `fail`
    (the worker stops) and the page is extracted by the rules alone."""

    def __init__(
        self, client: Redis, key: str, fail: Callable[[Exception], None], ttl: float = 1.0
    ) -> None:
        self.client = client
        self.key = key
        self.fail = fail
        self.ttl = ttl
        self.cache: dict[str, tuple[float, PortalChrome | None]] = {}

    def get(self, portal_id: str) -> PortalChrome | None:
        now = time.monotonic()
        cached = self.cache.get(portal_id)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            raw = self.client.hget(self.key, portal_id)
        except RedisError as exc:
            self.fail(exc)
            return None
        data = json.loads(raw) if raw is not None else None
        snapshot = PortalChrome.from_dict(data) if data else None
        self.cache[portal_id] = (now, snapshot)
        return snapshot
