"""A hostile list page cannot send the crawler elsewhere: other sites, other local services,
other schemes (``spiders/site_guard.py``). A second mock site on another loopback port is
the canary: it logs every request it gets."""

from __future__ import annotations

from sqlalchemy import select

from monitor.demo import MockSiteServer
from spiders.links import select_links
from storage.models import CrawlRun, Notice
from tests.support.cli import db_rows, run_cli, write_config


def hostile_list(
    server: MockSiteServer, head: str = "", tail: str = "", rows: tuple[tuple[str, str], ...] = ()
) -> None:
    """Serve the site's list page as rows of its three newest notices and ``rows`` (href,
    title), with ``head`` and ``tail`` around them."""
    site = server.site
    links = [(site.detail_path(n.id), n.title) for n in site.notices[-3:]] + list(rows)
    rows_html = "".join(
        f'<li><a href="{href}">{title}</a><span>2024-03-01</span></li>' for href, title in links
    )
    page = (
        f'<html><head><meta charset="utf-8">{head}</head><body>'
        f'<ul class="list">{rows_html}</ul>{tail}</body></html>'
    ).encode()
    render, path = site.render, site.list_path.split("?")[0]

    def hostile(method, request_path, query="", request_headers=None):
        if request_path == path:
            return 200, {"Content-Type": "text/html", "Content-Length": str(len(page))}, page
        return render(method, request_path, query, request_headers)

    site.render = hostile


def crawl_once(tmp_path, url, server, **options) -> str:
    config = write_config(tmp_path / "c.toml", url, [server], **options)
    done = run_cli(config, "crawl", "--alert-wait", "0")
    return done.stdout + done.stderr


def test_next_links_to_other_ports_files_and_ftp_are_not_followed(sites, sqlite_url, tmp_path):
    dede, canary = sites["dede"], sites["vsb"]
    tail = (
        f'<a href="{canary.list_url}">下一页</a>'
        '<a href="file:///etc/hostname">下一页</a><a href="ftp://127.0.0.1:1/x">下一页</a>'
    )
    hostile_list(dede, tail=tail)
    output = crawl_once(tmp_path, sqlite_url, dede)
    assert canary.site.requests == [], f"canary asked for {[r[1] for r in canary.site.requests]}"
    stored = db_rows(sqlite_url, select(Notice.url))
    assert len(stored) == 3 and all(url.startswith(dede.url("")) for url in stored), stored
    assert db_rows(sqlite_url, select(CrawlRun.outcome)) == ["ok"], output


def test_a_refresh_to_another_site_is_refused_and_reported(sites, sqlite_url, tmp_path):
    dede, canary = sites["dede"], sites["vsb"]
    hostile_list(dede, head=f'<meta http-equiv="refresh" content="0;url={canary.list_url}">')
    output = crawl_once(tmp_path, sqlite_url, dede)
    assert canary.site.requests == [], f"canary asked for {[r[1] for r in canary.site.requests]}"
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


def redirect(server: MockSiteServer, path: str, location: str, status: int = 302) -> None:
    """Make ``path`` on the site answer a redirect to ``location``."""
    site, render = server.site, server.site.render

    def redirecting(method, request_path, query="", request_headers=None):
        if request_path == path:
            return status, {"Location": location, "Content-Length": "0"}, b""
        return render(method, request_path, query, request_headers)

    site.render = redirecting


def test_a_moved_list_and_a_moved_notice_are_followed_on_the_site(sites, sqlite_url, tmp_path):
    dede = sites["dede"]
    site = dede.site
    moved_list = "/old-list/"
    redirect(dede, moved_list, site.list_path, 301)
    newest = site.notices[-1]
    old_detail = "/old/notice.html"
    hostile_list(dede, rows=((old_detail, f"{newest.title}（旧址）"),))
    redirect(dede, old_detail, site.detail_path(newest.id))
    config = write_config(tmp_path / "c.toml", sqlite_url, [dede])
    text = config.read_text(encoding="utf-8").replace(dede.list_url, dede.url(moved_list))
    config.write_text(text, encoding="utf-8")
    output = run_cli(config, "crawl", "--alert-wait", "0").stdout
    [run] = db_rows(sqlite_url, select(CrawlRun))
    assert run.outcome == "ok", f"{run.outcome}: {run.error}; {output}"
    moved = db_rows(sqlite_url, select(Notice).where(Notice.url == dede.url(old_detail)))
    assert moved and moved[0].title == newest.title, "the redirected notice was stored empty"


def test_a_notice_redirecting_off_the_site_is_refused(sites, sqlite_url, tmp_path):
    dede, canary = sites["dede"], sites["vsb"]
    hostile_list(dede)
    first = dede.site.notices[-1]
    redirect(dede, dede.site.detail_path(first.id), canary.list_url)
    crawl_once(tmp_path, sqlite_url, dede)
    assert canary.site.requests == [], f"canary asked for {[r[1] for r in canary.site.requests]}"
    stored = db_rows(sqlite_url, select(Notice.url))
    assert dede.url(dede.site.detail_path(first.id)) not in stored and len(stored) == 2
