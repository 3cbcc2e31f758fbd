"""A crawl looks up and connects to its sources and nothing else (socket audit hooks).

Cookies with a ``Domain`` make Scrapy ask for the public suffix list, on a cold
tldextract cache.
"""

from __future__ import annotations

from tests.support.audited import audited_crawl
from tests.support.cli import write_config


def test_a_crawl_with_domain_cookies_connects_only_to_the_sources(sites, sqlite_url, tmp_path):
    dede = sites["dede"]
    render = dede.site.render

    def with_cookie(method, path, query="", headers=None):
        status, reply_headers, body = render(method, path, query, headers)
        return status, {**reply_headers, "Set-Cookie": "sid=1; Domain=.example.com; Path=/"}, body

    dede.site.render = with_cookie
    config = write_config(tmp_path / "c.toml", sqlite_url, [dede])
    crawl = audited_crawl(config, env={"TLDEXTRACT_CACHE": str(tmp_path / "cold-cache")})
    assert crawl.returncode == 0 and crawl.connections and not crawl.outside, (
        f"exit {crawl.returncode}; outside connections {crawl.outside}; {crawl.output[-2000:]}"
    )
