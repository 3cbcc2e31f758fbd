"""A hostile list page cannot send the crawler elsewhere: other sites, other local services,
other schemes, internal addresses (``spiders/site_guard.py``). The hostile site and its
canary on another loopback port log every request they get (``tests/support/hostile_site``);
names that resolve to internal addresses go through a test resolver and are never contacted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from monitor.demo import MockSiteServer
from spiders.addresses import AddressKind, address_kind, may_fetch
from spiders.links import select_links
from storage.models import CrawlRun, Notice
from tests.support.audited import audited_crawl
from tests.support.cli import db_rows, run_cli, write_config
from tests.support.hostile_site import asked, hostile_sites, list_html


@pytest.fixture
def hostile():
    with hostile_sites(2) as servers:
        yield servers


def crawl_once(tmp_path, url, server: MockSiteServer, **options) -> str:
    config = write_config(tmp_path / "c.toml", url, [server], **options)
    done = run_cli(config, "crawl", "--alert-wait", "0")
    return done.stdout + done.stderr


def stored_urls(url: str) -> list[str]:
    return db_rows(url, select(Notice.url))


def test_next_links_to_other_ports_files_ftp_and_data_are_not_followed(
    hostile, sqlite_url, tmp_path
):
    site, canary = hostile
    rows = site.site.notices(3)
    tail = "".join(
        f'<a href="{target}">下一页</a>'
        for target in (
            canary.list_url,
            "file:///dev/zero",
            "ftp://127.0.0.1:1/x",
            "data:text/html,<a href=/x>x</a>",
        )
    )
    site.site.page("/list.html", list_html(rows, tail=tail))
    output = crawl_once(tmp_path, sqlite_url, site)
    assert asked(canary) == [], f"canary asked for {asked(canary)}"
    stored = stored_urls(sqlite_url)
    assert sorted(stored) == sorted(site.url(path) for path, _ in rows), stored
    assert db_rows(sqlite_url, select(CrawlRun.outcome)) == ["ok"], output


def test_a_refresh_to_another_site_is_refused_and_reported(hostile, sqlite_url, tmp_path):
    site, canary = hostile
    refresh = f'<meta http-equiv="refresh" content="0;url={canary.list_url}">'
    site.site.page("/list.html", list_html(site.site.notices(2), head=refresh))
    output = crawl_once(tmp_path, sqlite_url, site)
    assert asked(canary) == [], f"canary asked for {asked(canary)}"
    [run] = db_rows(sqlite_url, select(CrawlRun))
    assert run.outcome == "config_error" and "off its site" in (run.error or ""), (
        f"{run.outcome}: {run.error}; {output}"
    )


def test_selector_links_stay_on_the_site_unless_the_source_allows_offsite():
    page = (
        '<ul><li><a href="/a/1.html">关于做好校园安全工作的通知</a></li>'
        '<li><a href="http://127.0.0.1:9/b.html">关于外站的另一个通知公告</a></li></ul>'
    )
    url = "http://127.0.0.1:8000/list.html"
    assert [e.url for e in select_links(page, url, "li")] == ["http://127.0.0.1:8000/a/1.html"]
    assert len(select_links(page, url, "li", allow_offsite=True)) == 2


def test_a_moved_list_and_a_moved_notice_are_followed_on_the_site(hostile, sqlite_url, tmp_path):
    site = hostile[0]
    rows = site.site.notices(2)
    newest_path, newest_title = rows[0]
    site.site.redirect("/old/notice.html", newest_path)
    site.site.page("/list.html", list_html([("/old/notice.html", f"{newest_title}（旧址）")]))
    site.site.redirect("/old-list/", "/list.html", 301)
    config = write_config(tmp_path / "c.toml", sqlite_url, [site])
    text = config.read_text(encoding="utf-8").replace(site.list_url, site.url("/old-list/"))
    config.write_text(text, encoding="utf-8")
    output = run_cli(config, "crawl", "--alert-wait", "0").stdout
    [run] = db_rows(sqlite_url, select(CrawlRun))
    assert run.outcome == "ok", f"{run.outcome}: {run.error}; {output}"
    moved = db_rows(sqlite_url, select(Notice).where(Notice.url == site.url("/old/notice.html")))
    assert moved and moved[0].title == newest_title, "the redirected notice was stored empty"
    assert moved[0].page_url == site.url(newest_path), "where the page was read is not kept"
    shown = run_cli(config, "notices", "show", str(moved[0].id)).stdout
    assert site.url(newest_path) in shown, shown


def test_a_notice_redirecting_off_the_site_or_round_in_circles_is_refused(
    hostile, sqlite_url, tmp_path
):
    site, canary = hostile
    rows = site.site.notices(3)
    site.site.redirect(rows[0][0], canary.list_url)
    for hop in range(7):  # /loop/0 → /loop/1 → … more than REDIRECT_MAX_TIMES
        site.site.redirect(f"/loop/{hop}", f"/loop/{hop + 1}")
    site.site.page("/list.html", list_html([*rows, ("/loop/0", "关于一个兜圈子的通知公告")]))
    crawl_once(tmp_path, sqlite_url, site)
    assert asked(canary) == [], f"canary asked for {asked(canary)}"
    assert sorted(stored_urls(sqlite_url)) == sorted(site.url(p) for p, _ in rows[1:])
    assert "/loop/6" not in asked(site), asked(site)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", AddressKind.LOOPBACK),
        ("::ffff:127.0.0.1", AddressKind.LOOPBACK),
        ("169.254.169.254", AddressKind.LINK_LOCAL),
        ("fe80::1%eth0", AddressKind.LINK_LOCAL),
        ("10.1.2.3", AddressKind.PRIVATE),
        ("192.168.0.1", AddressKind.PRIVATE),
        ("0.0.0.0", AddressKind.UNSPECIFIED),
        ("100.64.0.1", AddressKind.RESERVED),
        ("224.0.0.1", AddressKind.RESERVED),
        ("202.112.0.36", AddressKind.PUBLIC),
    ],
)
def test_address_kinds(address, kind):
    assert address_kind(address) == kind


def test_an_internal_address_is_fetched_only_from_a_source_of_its_kind():
    public, loopback, private = AddressKind.PUBLIC, AddressKind.LOOPBACK, AddressKind.PRIVATE
    assert may_fetch(public, loopback, allow_private=False)
    assert may_fetch(loopback, loopback, allow_private=False)
    assert not may_fetch(private, public, allow_private=False)
    assert not may_fetch(AddressKind.LINK_LOCAL, loopback, allow_private=False)
    assert may_fetch(private, public, allow_private=True)


def offsite_source(tmp_path, sqlite_url, site: MockSiteServer, **options):
    rows = site.site.notices(2)
    internal = [
        ("http://metadata.test/latest/meta-data/", "关于元数据服务的通知公告"),
        ("http://intranet.test:8080/oa/1.html", "关于内网办公系统的通知公告"),
        ("http://10.1.2.3/notice.html", "关于私网地址的通知公告"),
    ]
    site.site.page("/list.html", list_html(rows + internal))
    config = write_config(
        tmp_path / "c.toml",
        sqlite_url,
        [site],
        link_selector="ul.list li a",
        allow_offsite=True,
        **options,
    )
    hosts = {"metadata.test": "169.254.169.254", "intranet.test": "10.1.2.3"}
    return rows, audited_crawl(config, hosts)


def test_names_and_links_to_internal_addresses_are_refused_after_resolution(
    hostile, sqlite_url, tmp_path
):
    site = hostile[0]
    rows, crawl = offsite_source(tmp_path, sqlite_url, site)
    assert crawl.outside == [], f"contacted {crawl.outside}; {crawl.output[-2000:]}"
    assert sorted(stored_urls(sqlite_url)) == sorted(site.url(p) for p, _ in rows)
    [run] = db_rows(sqlite_url, select(CrawlRun))
    refusals = [p["message"] for p in run.problems if "refused" in p["message"]]
    assert len(refusals) == 3, run.problems
    assert any("link-local address" in m and "metadata.test" in m for m in refusals), refusals


def test_allow_private_lets_the_crawl_try_internal_addresses(hostile, sqlite_url, tmp_path):
    """The other side of the guard: with it waived, the crawl does try (the audit hook stops
    the connections), so the test above fails if the guard stops guarding."""
    rows, crawl = offsite_source(tmp_path, sqlite_url, hostile[0], allow_private=True)
    assert {"169.254.169.254", "10.1.2.3"} <= set(crawl.outside), crawl.connections


def test_a_robots_txt_redirecting_elsewhere_is_not_followed(hostile, sqlite_url, tmp_path):
    site, canary = hostile
    rows = site.site.notices(2)
    site.site.page("/list.html", list_html(rows))
    site.site.redirect("/robots.txt", canary.url("/robots.txt"))
    output = crawl_once(tmp_path, sqlite_url, site)
    assert asked(canary) == [], f"canary asked for {asked(canary)}"
    assert "/robots.txt" in asked(site), asked(site)
    assert sorted(stored_urls(sqlite_url)) == sorted(site.url(p) for p, _ in rows), output
