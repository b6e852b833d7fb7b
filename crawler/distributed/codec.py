"""Crawl items as plain JSON records for the item queue, between the workers and the writer:
data only, so the writer never runs code a Redis client sent (no pickle). A record names its
class, and is rebuilt only into a fixed list of the crawler's items and the notice data they
carry (never archive classes); bytes are base64, tuples and datetimes are tagged.

A message is `{"id": …, "kind": …, "run": …, "body": …}`: its unique id lets the writer
apply it once, whatever happens to the writer between taking it and committing it.
"""

import base64
import dataclasses
import json
import uuid
from datetime import datetime
from typing import Any

from notice.derive import Derived, Parsed
from notice.extract import Extraction, Reading
from notice.fields import Count, NoticeFields
from notice.outline import Item as OutlineItem

from .. import items
from ..blocking import Verdict
from ..discovery import Link
from ..exceptions import CrawlerError
from ..work import Extracted

# Every class a message may hold, by name: nothing else is ever built from a message.
CLASSES = {
    cls.__name__: cls
    for cls in (
        items.PageItem,
        items.AttachmentItem,
        items.GoneItem,
        items.NotModifiedItem,
        items.RedirectItem,
        items.BlockedItem,
        items.ErrorItem,
        items.RecipeItem,
        Extraction,
        Reading,
        Extracted,
        Verdict,
        Link,
        Derived,
        Parsed,
        NoticeFields,
        Count,
        OutlineItem,
    )
}
KINDS = ("begin", "item", "worker", "end")


class CodecError(CrawlerError):
    """A queue message that is not one this program writes."""


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise CodecError(f"cannot encode {name}: not a crawl item class")
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"~dc": name, "f": fields}
    if isinstance(value, bytes):
        return {"~b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"~t": [_encode(v) for v in value]}
    if isinstance(value, datetime):
        return {"~dt": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CodecError("cannot encode a dict with keys that are not strings")
        if any(k.startswith("~") for k in value):
            return {"~d": {k: _encode(v) for k, v in value.items()}}
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise CodecError(f"cannot encode a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "~dc" in value:
        cls = CLASSES.get(value["~dc"])
        if cls is None:
            raise CodecError(f"unknown class {value['~dc']!r} in a queue message")
        names = {f.name for f in dataclasses.fields(cls)}
        fields = value.get("f", {})
        if set(fields) - names:
            raise CodecError(f"unknown fields {sorted(set(fields) - names)} of {cls.__name__}")
        return cls(**{k: _decode(v) for k, v in fields.items()})
    if "~b" in value:
        return base64.b64decode(value["~b"])
    if "~t" in value:
        return tuple(_decode(v) for v in value["~t"])
    if "~dt" in value:
        return datetime.fromisoformat(value["~dt"])
    if "~d" in value:
        return {k: _decode(v) for k, v in value["~d"].items()}
    return {k: _decode(v) for k, v in value.items()}


def dumps(value: Any) -> str:
    """A crawl item (or what it carries) as the JSON text of a message's body."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """What dumps wrote (CodecError for anything else)."""
    try:
        return _decode(json.loads(text))
    except (TypeError, ValueError) as exc:
        raise CodecError(f"not an encoded crawl item: {exc}") from exc


def message(kind: str, run: str, body: Any) -> bytes:
    """A queue message with a new unique id."""
    if kind not in KINDS:
        raise CodecError(f"unknown message kind {kind!r}")
    envelope = {"id": uuid.uuid4().hex, "kind": kind, "run": run, "body": _encode(body)}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def read(data: bytes) -> dict:
    """The message (id, kind, run, body decoded); CodecError when it is not one of ours."""
    try:
        envelope = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CodecError(f"a queue message that is not JSON: {exc}") from exc
    if not isinstance(envelope, dict) or not {"id", "kind", "run", "body"} <= set(envelope):
        raise CodecError("a queue message without id, kind, run and body")
    if envelope["kind"] not in KINDS:
        raise CodecError(f"unknown message kind {envelope['kind']!r}")
    try:
        envelope["body"] = _decode(envelope["body"])
    except (TypeError, ValueError) as exc:
        raise CodecError(f"a malformed queue message {envelope['id']}: {exc}") from exc
    return envelope
