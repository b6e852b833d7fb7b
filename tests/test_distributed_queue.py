"""The shared frontier in-process against a real redis-server: the policy's shared state
across two workers, and the run's scripts (join, pop, census, phases, leave)."""

import pytest

from bench.redis_server import redis_server
from crawler.distributed import codec, keys, scripts
from crawler.distributed.store import RedisStore, SharedSearches
from crawler.frontier import Frontier, Skip, Visit
from crawler.lists.search import Search
from crawler.seeds import Portal

BASE = "http://www.x.gov.cn"
TIMEOUT = 5


@pytest.fixture
def client(tmp_path):
    with redis_server(tmp_path) as server:
        yield server.client()


def two_workers(client) -> tuple[Frontier, Frontier]:
    portals = {"p": Portal("p", "P", (BASE + "/",), ("x.gov.cn",))}
    return tuple(Frontier(portals, store=RedisStore(client, "t:f")) for _ in range(2))


def test_two_workers_share_dedupe_listing_and_once_only_steps(client):
    a, b = two_workers(client)
    assert isinstance(a.admit("p", BASE + "/a.htm", "notice", 1), Visit)
    assert b.admit("p", BASE + "/a.htm", "notice", 1) == Skip("seen")
    # the role upgrade: a notice link met again as a list by the other worker
    assert b.admit("p", BASE + "/a.htm", "column", 1) == Skip("seen")
    assert a.read(BASE + "/a.htm", False, "notice") == "candidate"
    a.list_item("p", BASE + "/a.htm")
    b.list_item("p", BASE + "/b.htm")
    assert set(a.listed["p"]) == set(b.listed["p"]) == {BASE + "/a.htm", BASE + "/b.htm"}
    b.cap("p", "links_truncated")
    assert not a.listing_complete("p") and a.incomplete_because("p") == "links_truncated"
    assert a.start_search("p") and not b.start_search("p")
    assert a.start_api("p", ("json", "u", ())) and not b.start_api("p", ("json", "u", ()))
    assert a.api_items("p", ("json", "u", ()), ["1", "2"]) == ["1", "2"]
    assert b.api_items("p", ("json", "u", ()), ["2", "3"]) == ["3"]


def test_unlisted_known_pages_are_checked_by_one_worker(client):
    a, b = two_workers(client)
    known = {
        BASE + "/old.htm": {
            "portal_id": "p",
            "state": "live",
            "born": None,
            "last_fetched": None,
            "etag": None,
            "last_modified": None,
        }
    }
    a.load_known(known)
    b.load_known(known)
    a.coverage.record("p", BASE + "/list/", page=BASE + "/list/")  # a list read, by either
    assert a.unlisted_known("p") == [BASE + "/old.htm"]
    assert b.unlisted_known("p") == []


def test_searches_found_by_one_worker_are_asked_by_another(client):
    found, other = SharedSearches(client, "t:s"), SharedSearches(client, "t:s")
    found["p"] = Search("http://www.x.gov.cn/search?q={q}")
    assert "p" in other and other.get("p") == Search("http://www.x.gov.cn/search?q={q}")
    assert other.get("q") is None


def join(client, worker: str, run: str):
    join = client.register_script(scripts.JOIN)
    current = (client.get(keys.RUN) or b"").decode()
    end = codec.message("end", current, {"reason": "shutdown"}) if current else b""
    begin = codec.message("begin", run, {"portals": []})
    other = current or run
    found, created = join(
        keys=[keys.RUN, keys.ITEMS, keys.workers(other), keys.lost(other), keys.workers(run)],
        args=[TIMEOUT, current, worker, run, begin, end],
    )
    return found.decode(), created


def kinds(client) -> list[str]:
    return [codec.read(raw)["kind"] for raw in reversed(client.lrange(keys.ITEMS, 0, -1))]


def test_a_run_starts_with_its_first_worker_and_ends_with_its_last(client):
    assert join(client, "w1", "r1") == ("r1", 1)
    assert join(client, "w2", "r2") == ("r1", 0)  # joins the run that is on
    assert kinds(client) == ["begin"]
    census = client.register_script(scripts.CENSUS)
    pop = client.register_script(scripts.POP)
    census_keys = [keys.workers("r1"), keys.lost("r1"), keys.requests("r1")]
    assert census(keys=census_keys, args=[TIMEOUT, "w1", "idle"]) == [0, 1]  # w2 is starting
    census(keys=census_keys, args=[TIMEOUT, "w2", "idle"])
    assert census(keys=census_keys, args=[TIMEOUT, "w1", "idle"]) == [0, 0]
    client.zadd(keys.requests("r1"), {b"request": 0})
    assert census(keys=census_keys, args=[TIMEOUT, "w1", "idle"]) == [1, 0]
    # taking a request marks the worker busy in the same step
    pop_keys = [keys.workers("r1"), keys.lost("r1"), keys.requests("r1")]
    assert pop(keys=pop_keys, args=[0, "w2", "busy"]) == b"request"
    assert client.hget(keys.workers("r1"), "w2").startswith(b"busy:")
    assert pop(keys=pop_keys, args=[0, "w2", "busy"]) is None
    phase = client.register_script(scripts.NEXT_PHASE)
    assert phase(keys=[keys.phase("r1")], args=[0]) == 1
    assert phase(keys=[keys.phase("r1")], args=[0]) == 0  # one worker takes each step
    leave = client.register_script(scripts.LEAVE)
    leave_keys = [keys.workers("r1"), keys.lost("r1"), keys.RUN]
    assert leave(keys=leave_keys, args=[TIMEOUT, "w1", "r1"]) == [0, 0]
    assert leave(keys=leave_keys, args=[TIMEOUT, "w2", "r1"]) == [1, 0]
    assert client.get(keys.RUN) is None
    assert join(client, "w3", "r3") == ("r3", 1)  # the next crawl is a new run


def test_a_dead_worker_is_reaped_and_counted_lost(client):
    join(client, "w1", "r1")
    join(client, "w2", "r1")
    client.hset(keys.workers("r1"), "w2", "busy:1")  # its last heartbeat, long ago
    census = client.register_script(scripts.CENSUS)
    census_keys = [keys.workers("r1"), keys.lost("r1"), keys.requests("r1")]
    assert census(keys=census_keys, args=[TIMEOUT, "w1", "idle"]) == [0, 0]
    assert client.hkeys(keys.workers("r1")) == [b"w1"]
    leave = client.register_script(scripts.LEAVE)
    assert leave(
        keys=[keys.workers("r1"), keys.lost("r1"), keys.RUN], args=[TIMEOUT, "w1", "r1"]
    ) == [1, 1]


def test_a_late_worker_reaped_as_dead_takes_its_loss_back(client):
    join(client, "w1", "r1")
    join(client, "w2", "r1")
    client.hset(keys.workers("r1"), "w2", "busy:1")  # starved: no heartbeat for a long time
    census = client.register_script(scripts.CENSUS)
    census_keys = [keys.workers("r1"), keys.lost("r1"), keys.requests("r1")]
    census(keys=census_keys, args=[TIMEOUT, "w1", "idle"])
    assert int(client.get(keys.lost("r1"))) == 1
    client.zadd(keys.requests("r1"), {b"request": 0})
    pop = client.register_script(scripts.POP)
    assert pop(keys=census_keys, args=[0, "w2", "busy"]) == b"request"  # alive after all
    assert int(client.get(keys.lost("r1"))) == 0
    client.hset(keys.workers("r1"), "w2", "busy:1")
    census(keys=census_keys, args=[TIMEOUT, "w1", "idle"])
    census(keys=census_keys, args=[TIMEOUT, "w2", "idle"])  # the same by its heartbeat
    assert int(client.get(keys.lost("r1"))) == 0
    assert sorted(client.hkeys(keys.workers("r1"))) == [b"w1", b"w2"]


def test_a_run_whose_workers_all_died_is_ended_by_the_next_worker(client):
    join(client, "w1", "r1")
    client.hset(keys.workers("r1"), "w1", "busy:1")
    assert join(client, "w2", "r2") == ("r2", 1)
    assert kinds(client) == ["begin", "end", "begin"]
    ended = codec.read(client.lindex(keys.ITEMS, 1))
    assert ended["run"] == "r1" and ended["body"]["reason"] == "shutdown"


def test_a_join_that_raced_another_is_tried_again(client):
    join(client, "w1", "r1")
    script = client.register_script(scripts.JOIN)
    stale = [keys.RUN, keys.ITEMS, keys.workers("r2"), keys.lost("r2"), keys.workers("r2")]
    # this worker read "no run" before w1 started r1: the script refuses, nothing changes
    assert script(keys=stale, args=[TIMEOUT, "", "w2", "r2", b"begin", b""]) == [b"", 0]
    assert client.get(keys.RUN) == b"r1" and kinds(client) == ["begin"]
