"""The template model: chrome learned from a portal's own pages (notice.template), in
extraction, in the writer (held first versions, versions typed by what changed) and in
re-extraction; its report (`python -m crawler template`)."""

import json
from collections import Counter

import pytest

from archive import Archive, health
from bench.redis_server import redis_server
from crawler.distributed import codec, keys
from crawler.distributed.store import SharedTemplates
from crawler.ingest import Ingest
from crawler.items import AttachmentItem, PageItem
from crawler.reextract import reextract
from crawler.templates import NoTemplates, Templates
from crawler.work import extract_notice
from crawler.writer import ArchiveWriter
from demo.sample.templated import CLOSING, Portal, render
from demo.sample.texts import Notice as SampleNotice
from demo.sample.texts import notice_paragraphs
from notice.extract import extract
from notice.normalize import clean_lines
from notice.template import MIN_PAGES, PortalModel

from conftest import run_cli

HEADERS = {"Content-Type": "text/html; charset=utf-8"}
BASE = "http://tpl.example.gov.cn"
# what the sample template repeats, in words no rule lists
CHROME = ("次浏览", "本页编校", "文字大小", "阅读模式", "延伸信息", "所在栏目")


def _url(item) -> str:
    return BASE + item.path


def _extract(portal: Portal, index: int, views: int, model=None, style="article"):
    item = portal.notices[index]
    body = render(item, views, style, portal.notices[:2])
    return extract(body, _url(item), HEADERS, model)


def _learned(portal: Portal, count: int, style: str = "article") -> PortalModel:
    model = PortalModel("tpl")
    for index in range(count):
        snapshot = model.snapshot() if model.templates else None
        extraction = _extract(portal, index, 2596 + index, snapshot, style)
        model.observe(_url(portal.notices[index]), extraction.reading)
    return model


def _body(item) -> str:
    return clean_lines("\n".join(item.paragraphs))


def test_the_sample_chrome_is_what_rules_miss():
    """Without a model the sample's chrome leaks (so the tests below test the model)."""
    text = _extract(Portal(), 0, 2596).text
    assert "次浏览" in text and "本页编校" in text


def test_units_mask_counters_and_dates():
    portal = Portal()
    one = _extract(portal, 0, 2596).reading
    two = _extract(portal, 0, 12650).reading
    assert [u[0] for u in one.units] == [u[0] for u in two.units]


def test_learning_from_pages_removes_the_templates_chrome_whatever_its_words():
    portal = Portal(count=8)
    model = _learned(portal, 5)
    (template,) = model.templates
    assert template.mature and template.pages == 5
    item = portal.notices[7]
    result = _extract(portal, 7, 3001, model.snapshot())
    # every line of the notice, in order, and nothing else: no counter, widget, related
    # block, editor, breadcrumb or date-and-source bar
    assert result.text == _body(item)
    for text in CHROME:
        assert text not in result.text, text
    assert result.text.count(CLOSING) == 1  # a paragraph every notice ends with is content
    assert result.title == item.title
    assert result.published == item.date
    assert result.metadata["template"]["id"] == template.id


def test_cold_start_with_one_page_changes_nothing():
    portal = Portal()
    model = _learned(portal, 1)
    (template,) = model.templates
    assert not template.mature and not template.chrome
    with_model = _extract(portal, 1, 2700, model.snapshot())
    assert with_model.text == _extract(portal, 1, 2700).text
    assert "template" not in with_model.metadata


def test_a_page_learned_twice_counts_once():
    portal = Portal()
    model = _learned(portal, 2)
    again = _extract(portal, 1, 9999)
    observation = model.observe(_url(portal.notices[1]), again.reading)
    assert not observation.learned and model.templates[0].pages == 2


def test_a_redesign_is_noticed_and_relearned():
    portal = Portal(count=8)
    model = _learned(portal, 4)
    old = model.templates[0]
    observations = []
    for index in range(4, 8):  # the portal's new layout
        extraction = _extract(portal, index, 100 + index, model.snapshot(), "redesign")
        observations.append(model.observe(_url(portal.notices[index]), extraction.reading))
    first = observations[0]
    assert first.expected and not first.matched and first.template is not old
    assert [o.template.id for o in observations] == [first.template.id] * 4
    assert observations[MIN_PAGES - 1].matured
    assert observations[-1].matched  # the new template is known now
    result = _extract(portal, 3, 555, model.snapshot(), "redesign")
    assert result.text == _body(portal.notices[3])
    assert "热度" in _extract(portal, 3, 555, None, "redesign").text  # what the rules leave
    assert old.mature and len(model.templates) == 2


def test_shared_title_parts_are_learned():
    portal = Portal(count=6)
    model = _learned(portal, 5)
    assert model.templates[0].affixes == {"巡察整改", "某某县人民政府"}


def test_the_model_survives_the_archive(tmp_path):
    portal = Portal()
    model = _learned(portal, 4)
    with Archive(tmp_path / "a.db") as archive:
        archive.save_template_model(model)
    with Archive(tmp_path / "a.db") as archive:
        again = archive.template_model("tpl")
    assert again.snapshot() == model.snapshot()
    assert again.templates[0].as_dict() == model.templates[0].as_dict()


# -- in the writer ----------------------------------------------------------------------


def _item(portal: Portal, index: int, views: int, templates: Templates, style="article"):
    """A page item as the crawl's worker makes it, with the writer's snapshot."""
    notice = portal.notices[index]
    body = render(notice, views, style, portal.notices[:2])
    extracted = extract_notice(body, _url(notice), HEADERS, 200, [], model=templates.get("tpl"))
    return PageItem(
        _url(notice), "tpl", 200, body, dict(HEADERS), extraction=extracted.extraction,
        extracted=extracted,
    )  # fmt: skip


def _write(writer, templates, portal, indexes, views: int = 2596, style: str = "article"):
    """Pages of the portal written as the crawl writes them (each page's counter: views + i)."""
    for index in indexes:
        writer.write(_item(portal, index, views + index, templates, style))


def _writer(archive: Archive, counts: Counter, templates: Templates) -> ArchiveWriter:
    archive.upsert_portals([{"id": "tpl", "name": "模板样例"}])
    run = archive.begin_run(["tpl"])
    return ArchiveWriter(archive, run, lambda key, n=1: counts.update({key: n}), templates)


def test_first_versions_are_held_until_the_template_knows_its_chrome(tmp_path):
    portal = Portal(count=5)
    counts: Counter = Counter()
    with Archive(tmp_path / "a.db") as archive:
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        _write(writer, templates, portal, range(MIN_PAGES - 1))
        assert archive.stats()["pages"] == 0  # held: their template is young
        assert len(archive.parked_pages()) == MIN_PAGES - 1
        _write(writer, templates, portal, range(MIN_PAGES - 1, 5))
        assert archive.parked_pages() == []
        for notice in portal.notices:
            version = archive.version(_url(notice))
            assert version["text"] == _body(notice)  # no first version keeps the chrome
            assert version["kind"] == "new"
            # its one event names the version the release wrote, in the writer's run
            assert _events(archive, _url(notice)) == [("new", 1, writer.run_id, None)]
    assert counts["portal/tpl/template/held"] == MIN_PAGES - 1
    assert counts["archive/new"] == 5


def _events(archive: Archive, url: str) -> list[tuple]:
    """A page's events: kind, the number of its version, run id, the notice it is a file of."""
    return archive.db.execute(
        "SELECT e.kind, v.number, e.run_id, e.notice_id FROM events e "
        "JOIN pages p ON p.id = e.page_id LEFT JOIN versions v ON v.id = e.version_id "
        "WHERE p.url = ? ORDER BY e.id",
        [url],
    ).fetchall()


def test_a_file_of_a_held_notice_is_held_with_it_and_its_events_name_the_notice(tmp_path):
    portal = Portal(count=MIN_PAGES)
    counts: Counter = Counter()
    notice = _url(portal.notices[0])
    doc = notice.replace(".html", "_ledger.doc")
    with Archive(tmp_path / "a.db") as archive:
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        item = _item(portal, 0, 2596, templates)
        item.attachments = [{"url": doc, "label": "整改台账.doc"}]
        writer.write(item)
        writer.write(
            AttachmentItem(doc, "tpl", 200, "doc", b"\xd0\xcf\x11\xe0 ledger", parent=notice)
        )
        assert [row[0] for row in archive.parked_pages()] == [notice, doc]  # the file waits too
        assert not archive.has_page(doc)
        _write(writer, templates, portal, range(1, MIN_PAGES))  # the template matures
        assert archive.parked_pages() == []
        page_id = archive.page(notice)["id"]
        assert archive.version(doc)["kind"] == "new"
        assert _events(archive, doc) == [("new", 1, writer.run_id, page_id)]
        assert [a["url"] for a in archive.attachments(notice)] == [doc]
    assert counts["portal/tpl/template/held"] == MIN_PAGES - 1  # notices, not their files
    assert counts["portal/tpl/attachments"] == 1


def test_a_recrawl_where_only_chrome_changed_writes_no_version(tmp_path):
    portal = Portal(count=4)
    counts: Counter = Counter()
    with Archive(tmp_path / "a.db") as archive:
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        _write(writer, templates, portal, range(4))
        writer = _writer(archive, counts, templates)
        # the counter and the editor changed, nothing else
        _write(writer, templates, portal, range(4), 9000)
        assert archive.stats()["versions"] == 4
        outcomes = [f["outcome"] for n in portal.notices for f in archive.fetches(_url(n))]
    assert Counter(outcomes) == {"new": 4, "chrome-only": 4}


def test_a_model_that_matured_between_crawls_types_its_versions_as_reextraction(tmp_path):
    portal = Portal(count=5)
    counts: Counter = Counter()
    path = tmp_path / "a.db"
    with Archive(path) as archive:  # a first crawl of two pages: too few to learn from
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        _write(writer, templates, portal, range(2))
        writer.release()
        templates.save()
        first = archive.version(_url(portal.notices[0]))
        assert "次浏览" in first["text"]  # the rules' reading: the model knew nothing yet
    with Archive(path) as archive:  # a later crawl brings new pages: the model matures
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        _write(writer, templates, portal, range(2, 5), 3000)
        writer.write(_item(portal, 0, 4000, templates))  # the counter changed
        versions = archive.versions(_url(portal.notices[0]))
        assert [v["kind"] for v in versions] == ["new", "reextract"]
        events = _events(archive, _url(portal.notices[0]))
        assert [(kind, number) for kind, number, _, _ in events] == [("new", 1), ("reextract", 2)]
        assert archive.version(_url(portal.notices[0]))["text"] == _body(portal.notices[0])
        assert archive.fetches(_url(portal.notices[0]))[-1]["outcome"] == "reextracted"
        # an edit of the notice itself is a change
        portal.notices[1].paragraphs[1] += "另有3项正在推进。"
        writer.write(_item(portal, 1, 4100, templates))
        assert archive.version(_url(portal.notices[1]))["kind"] == "changed"


def test_reextract_applies_the_current_model(tmp_path):
    portal = Portal(count=5)
    with Archive(tmp_path / "a.db") as archive:
        counts: Counter = Counter()
        writer = _writer(archive, counts, None)  # archived before the model existed
        _write(writer, Templates(archive), portal, range(5))
        assert all("次浏览" in archive.version(_url(n))["text"] for n in portal.notices)
        assert reextract(archive) == {"checked": 5, "changed": 5, "failed": 0}
        for notice in portal.notices:
            version = archive.version(_url(notice))
            assert (version["kind"], version["text"]) == ("reextract", _body(notice))
        assert archive.template_model("tpl").templates[0].mature
        assert reextract(archive) == {"checked": 5, "changed": 0, "failed": 0}


def test_template_command_prints_the_learned_chrome(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_portals([{"id": "other", "name": "无模型"}])
        archive.save_template_model(_learned(Portal(), 4))
    result = run_cli("template", "tpl", "--db", str(path), module="crawler")
    assert result.returncode == 0, result.stderr
    assert "template 1: 4 page(s), mature" in result.stdout
    assert "本页编校" in result.stdout and "次浏览" in result.stdout
    report = json.loads(
        run_cli("template", "tpl", "--db", str(path), "--json", module="crawler").stdout
    )
    texts = [entry["text"] for entry in report["templates"][0]["chrome"]]
    assert any("次浏览" in text for text in texts)
    assert not any(CLOSING in text for text in texts)
    empty = run_cli("template", "other", "--db", str(path), module="crawler")
    assert (empty.returncode, empty.stdout) == (0, "portal other: 0 template(s) learned\n")
    unknown = run_cli("template", "nope", "--db", str(path), module="crawler")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [f"Error: no portal 'nope' in the archive {path}"]


def test_extract_command_reads_a_page_with_a_portals_model(tmp_path):
    portal = Portal(count=6)
    path, page = tmp_path / "a.db", tmp_path / "page.html"
    with Archive(path) as archive:
        archive.save_template_model(_learned(portal, 5))
    page.write_bytes(render(portal.notices[5], 31337, "article", portal.notices[:2]))
    command = ("extract", str(page), "--url", _url(portal.notices[5]), "--db", str(path))
    rules = json.loads(run_cli(*command, module="crawler").stdout)
    learned = json.loads(run_cli(*command, "--portal", "tpl", module="crawler").stdout)
    assert "31337" in rules["text"] and learned["text"] == _body(portal.notices[5])
    unknown = run_cli(*command, "--portal", "nope", module="crawler")
    assert (unknown.returncode, unknown.stderr.count("\n")) == (1, 1)


def _finish(archive: Archive, writer: ArchiveWriter, templates: Templates) -> dict:
    """End the writer's run as the pipeline does: held pages released, the template figures in
    the run's stats (the health ledger's row written from them); a new run begins."""
    writer.release()
    stats = templates.run_stats()
    archive.finish_run(writer.run_id, "finished", stats)
    templates.run.clear()
    writer.run_id = archive.begin_run(["tpl"])
    return stats


@pytest.mark.parametrize("count", [MIN_PAGES])
def test_a_redesign_is_reported_for_the_health_ledger(tmp_path, count):
    portal = Portal(count=8)
    counts: Counter = Counter()
    with Archive(tmp_path / "a.db") as archive:
        templates = Templates(archive)
        writer = _writer(archive, counts, templates)
        _write(writer, templates, portal, range(MIN_PAGES))  # learning: nothing to match yet
        assert "portal/tpl/template_changed" not in _finish(archive, writer, templates)
        _write(writer, templates, portal, range(MIN_PAGES, MIN_PAGES + 1))
        assert _finish(archive, writer, templates)["portal/tpl/template_changed"] == 0
        # the portal was redesigned
        _write(writer, templates, portal, range(4, 4 + count), style="redesign")
        stats = _finish(archive, writer, templates)
        assert stats["portal/tpl/template_changed"] == 1
        assert stats["portal/tpl/template/unmatched"] == count
        report = archive.template_report("tpl")
        ledger = health.history(archive.db, "tpl")
    states = [(t["template"], t["state"]) for t in report["templates"]]
    assert states == [(1, "replaced"), (2, "mature")]
    assert [row["template_changed"] for row in ledger] == [None, False, True]
    assert ledger[-1]["state"] == "degraded"


# -- in a distributed crawl ---------------------------------------------------------------


def test_the_distributed_writer_learns_and_publishes_the_models_for_its_workers(tmp_path):
    portal = Portal(count=5)
    with redis_server(tmp_path) as server:
        client = server.client()
        client.lpush(
            keys.ITEMS,
            codec.message("begin", "r", {"portals": [{"id": "tpl", "name": "模板样例"}]}),
        )
        for index in range(5):  # as workers send them before any model exists
            item = _item(portal, index, 2596 + index, NoTemplates())
            client.lpush(keys.ITEMS, codec.message("item", "r", item))
        end = {"reason": "finished", "lost": 0, "incomplete": {}, "listed": {}}
        client.lpush(keys.ITEMS, codec.message("end", "r", end))
        with Archive(tmp_path / "a.db") as archive:
            Ingest(archive, client, server.url).consume(until_idle=0)
            for notice in portal.notices:
                assert archive.version(_url(notice))["text"] == _body(notice)
            model = archive.template_model("tpl")
        shared = SharedTemplates(client, keys.TEMPLATES, fail=pytest.fail)
        assert shared.get("tpl") == model.snapshot()
        assert shared.get("elsewhere") is None
    # a worker extracting with the published snapshot reads a page as the writer does
    result = _extract(portal, 4, 8888, shared.get("tpl"))
    assert result.text == _body(portal.notices[4])


def test_notices_written_from_one_model_text_keep_their_whole_text():
    """A county's notices follow one model text: most of their paragraphs are the same on
    every page (headings, measures, the closing with its contacts, masked numbers alike). They
    stay: many to a page, among paragraphs that differ, they are no template slot."""
    portal = Portal(count=6)
    for item in portal.notices:
        unit = item.title[4:7]
        facts = SampleNotice(
            f"中共某某{unit}党组", f"县委第{item.index + 1}轮巡察", "县委第二巡察组",
            ("3月6日", "4月30日", "6月12日"), 2024, 10 + item.index, 30 + item.index,
            "0599-1234567", "巡察",
        )  # fmt: skip
        item.paragraphs = notice_paragraphs(facts)
    model = _learned(portal, 5)
    assert model.templates[0].mature
    result = _extract(portal, 5, 4321, model.snapshot())
    assert result.text == _body(portal.notices[5])
    texts = [entry["text"] for entry in model.templates[0].described()]
    assert not any("提高政治站位" in text for text in texts)
