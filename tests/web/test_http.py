"""The web UI over HTTP: the JSON API, Atom feeds (validated, conditional GET), and what
keeps it safe: read only, a strict CSP, the loopback Host check, bounded parameters."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from urllib.parse import quote
from xml.etree import ElementTree as ET

import feedparser

from tests.web.conftest import (
    EXAM_BODY,
    EXAM_TITLE,
    HOSTILE_TITLE,
    TRADITIONAL_TITLE,
    World,
    now_beijing,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def test_api_lists_filters_and_shows_notices(world: World) -> None:
    everything = world.api("/api/notices?size=100")
    assert everything["total"] == len(everything["notices"]) > 10
    simplified = world.api("/api/notices?q=" + quote("招生考试"))["notices"]
    traditional = world.api("/api/notices?q=" + quote("招生考試"))["notices"]
    assert [n["id"] for n in simplified] == [n["id"] for n in traditional]
    assert {EXAM_TITLE, TRADITIONAL_TITLE, HOSTILE_TITLE} <= {n["title"] for n in simplified}
    big5 = world.sites["big5"].source_id
    by_source = world.api(f"/api/notices?source={big5}&size=100")
    assert {n["source"] for n in by_source["notices"]} == {big5}
    assert by_source["total"] == len(by_source["notices"])
    new = world.api("/api/notices?events=new")["notices"]
    assert all("new" in n["events"] for n in new) and len(new) == 3
    one = world.api(f"/api/notices/{new[0]['id']}")
    assert one["versions"][0]["number"] == 1 and one["text"]
    sources = world.api("/api/sources")
    assert {s["id"] for s in sources} == {s.source_id for s in world.sites.values()}
    assert all(s["outcome"] == "ok" and s["last_run"].endswith("Z") for s in sources)


def test_bad_parameters_are_one_line_400s(world: World) -> None:
    for path, named in [
        ("/api/notices?size=1000", "size"),
        ("/api/notices?page=0", "page"),
        ("/api/notices?events=bogus", "events"),
        ("/api/notices?since=yesterday", "since"),
        ("/api/notices?q=" + quote("招" * 101), "q"),
    ]:
        status, _, body = world.get(path)
        assert status == 400, path
        assert json.loads(body)["error"].startswith(named), body
    status, _, body = world.get("/?size=1000")
    assert status == 400 and "size" in body.decode()
    assert world.get("/api/notices/999999")[0] == 404
    assert world.get("/sources/no-such-source")[0] == 404


def test_read_only_strict_csp_and_loopback_host(world: World) -> None:
    status, headers, _ = world.get("/")
    assert status == 200
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    post = urllib.request.Request(world.url, data=b"x=1", method="POST")
    try:
        urllib.request.urlopen(post, timeout=10)
        raise AssertionError("POST was answered")
    except urllib.error.HTTPError as exc:
        assert exc.code == 405
    status, _, _ = world.get("/", headers={"Host": "rebound.example.com"})
    assert status == 403  # a name that resolves here by DNS rebinding gets nothing
    assert world.get("/", headers={"Host": "localhost:1234"})[0] == 200


def test_feeds_are_valid_atom_with_conditional_get(world: World) -> None:
    status, headers, body = world.get("/feed.atom")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    assert "max-age" in headers["cache-control"]
    root = ET.fromstring(body)  # well-formed XML, in the Atom namespace
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(
        e.find(f"{ATOM}{part}") is not None
        for e in entries
        for part in ("id", "title", "updated", "author")
    )
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert HOSTILE_TITLE in titles  # text, escaped in the XML, read back whole
    parsed = feedparser.parse(body)
    assert not parsed.bozo and parsed.version == "atom10"
    assert len(parsed.entries) == len(entries)

    again = world.get("/feed.atom", headers={"If-None-Match": headers["etag"]})
    assert again[0] == 304 and again[2] == b""
    since = world.get("/feed.atom", headers={"If-Modified-Since": headers["last-modified"]})
    assert since[0] == 304
    assert world.get("/feed.atom", headers={"If-None-Match": '"other"'})[0] == 200

    trs = world.sites["trs"]
    status, _, per_source = world.get(f"/sources/{trs.source_id}/feed.atom")
    feed = feedparser.parse(per_source)
    assert status == 200 and not feed.bozo and feed.entries
    assert {e.author for e in feed.entries} == {trs.name}
    searched = feedparser.parse(world.get("/feed.atom?q=" + quote("招生考試"))[2])
    assert {EXAM_TITLE, TRADITIONAL_TITLE} <= {e.title for e in searched.entries}
    assert len(searched.entries) < len(parsed.entries)


def test_pages_keep_coming_while_a_crawl_writes(world: World) -> None:
    answers: list[int] = []
    crawling = threading.Event()

    def read_while_crawling() -> None:
        while crawling.is_set():
            answers.append(world.get("/?q=" + quote("招生"))[0])
            answers.append(world.get("/api/notices?size=100")[0])

    world.sites["trs"].add_notice(
        "关于做好2025年寒假安全工作的通知", EXAM_BODY, published=now_beijing()
    )
    crawling.set()
    reader = threading.Thread(target=read_while_crawling)
    reader.start()
    try:
        world.crawl()
    finally:
        crawling.clear()
        reader.join()
    assert len(answers) >= 4 and set(answers) == {200}
    assert world.api("/api/notices?q=" + quote("寒假安全"))["notices"]
