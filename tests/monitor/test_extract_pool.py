"""Extraction in worker processes: the same notices as in the crawl's own thread, and only
once a crawl is big; a first crawl through the CLI with workers stores every notice."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from monitor import extract_pool
from monitor.demo import MockSite, MockSiteServer
from monitor.demo.styles import STYLES
from monitor.extract import ExtractedNotice
from monitor.extract_pool import ExtractionPool, PageText
from spiders.items import DetailPage, ListEntry
from storage.models import Notice
from tests.support.cli import run_cli, write_config

BODY = ["各县（市、区）教育局，各直属学校：", "现将有关事项通知如下，请认真贯彻落实。"]


def detail_pages(site: MockSite) -> list[DetailPage]:
    pages = []
    for notice in site.notices:
        path = site.detail_path(notice.id)
        _, headers, body = site.render("GET", path)
        url = f"http://127.0.0.1:9{path}"
        entry = ListEntry(url, notice.title, notice.published.strftime("%Y-%m-%d"))
        pages.append(
            DetailPage(site.source_id, url, url, 200, body, headers["Content-Type"], entry)
        )
    return pages


def test_workers_extract_what_the_crawl_thread_would_and_start_only_for_a_big_crawl(
    monkeypatch,
):
    monkeypatch.setattr(extract_pool, "POOL_AFTER", 3)
    site = STYLES["trs"]("某市教育局", source_id="pool")
    for number in range(6):
        site.add_notice(f"关于第{number + 1}批教师培训工作的通知", BODY)
    pages = [PageText.of(page, 20.0) for page in detail_pages(site)]
    pool = ExtractionPool(1)
    try:
        futures = [pool.submit(page) for page in pages]
        assert futures[:3] == [None, None, None]  # a small crawl extracts in its own thread
        assert all(future is not None for future in futures[3:])
        for page, future in zip(pages[3:], futures[3:], strict=True):
            assert future is not None
            extracted = future.result(timeout=120)
            assert isinstance(extracted, ExtractedNotice)
            assert extracted == page.extract()
            assert extracted.title.startswith("关于第")
    finally:
        pool.close()
    assert ExtractionPool(0).submit(pages[0]) is None  # extract_processes = 0: never


def test_a_first_crawl_with_workers_stores_every_notice_as_without(sqlite_url, tmp_path):
    site = STYLES["vsb"]("某市教育局", source_id="pool-e2e", per_page=40)
    titles = [
        f"关于做好第{number + 1}批学生资助工作的通知"
        for number in range(extract_pool.POOL_AFTER + 10)
    ]
    for title in titles:
        site.add_notice(title, BODY)
    server = MockSiteServer(site).start()
    try:
        stored = {}
        for processes in (1, 0):
            url = sqlite_url.replace(".db", f"-{processes}.db")
            config = write_config(tmp_path / f"c{processes}.toml", url, [server], max_pages=1)
            text = config.read_text().replace(
                "[crawl]\n", f"[crawl]\nextract_processes = {processes}\n"
            )
            config.write_text(text)
            result = run_cli(config, "crawl", "--alert-wait", "0", timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
            engine = create_engine(url)
            with Session(engine) as session:
                stored[processes] = {
                    row.url: (row.title, row.published, row.fingerprint)
                    for row in session.scalars(select(Notice))
                }
            engine.dispose()
    finally:
        server.stop()
    assert sorted(title for title, _, _ in stored[1].values()) == sorted(titles)
    assert stored[1] == stored[0]
