"""The scale-out's Redis clients: one way to connect, one way to say why Redis failed."""

import redis


def unreachable(role: str, url: str, exc: Exception) -> str:
    """The one line for a Redis that cannot be reached: `frontier redis://… unreachable: why`."""
    why = str(exc).strip().rstrip(".") or type(exc).__name__
    return f"{role} {url} unreachable: {why}"


def connect(url: str, role: str, error: type[Exception], timeout: float) -> redis.Redis:
    """A client for `url`, checked with a PING; `error` names the URL and why it failed."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=5)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise error(unreachable(role, url, exc)) from exc
    return client
