"""A JSON list API declared in the source's ``[sources.api]``: config, reading, a crawl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.demo import MockSiteServer
from monitor.demo.build import jsonapi_site
from spiders.cms.api import ApiAnswer, date_text, walk
from spiders.declared_api import DeclaredApi, list_api, page_request
from spiders.links import find_links
from tests.support.list_api import api_config, check_crawls, mail_alerts

SOURCE = '[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/tzgg/index.html"\n'
API = (
    '[sources.api]\nurl = "/api/cms/article/page"\nmethod = "POST"\n'
    'json = { pageNo = "{page}", pageSize = 4, columnCode = "tzgg" }\n'
    'items = "data.records"\ntitle = "articleTitle"\nlink_template = "/tzgg/{articleId}.html"\n'
    'date = "publishTime"\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_declared_api_is_read_into_the_source(tmp_path):
    source = load_config(write(tmp_path, SOURCE + API)).sources[0]
    assert source.api == DeclaredApi(
        url="http://127.0.0.1:9/api/cms/article/page",
        items="data.records",
        title="articleTitle",
        link=None,
        link_template="/tzgg/{articleId}.html",
        date="publishTime",
        method="POST",
        json_body='{"pageNo": "{page}", "pageSize": 4, "columnCode": "tzgg"}',
    )
    request = page_request(source.api, 3)
    assert json.loads(request.json_body or "") == {"pageNo": 3, "pageSize": 4, "columnCode": "tzgg"}


OFFSITE = ('url = "/api/cms/article/page"', 'url = "http://other.example/api?p={page}"')


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (*OFFSITE, "5: sources[0].api.url: must be on the source's site 127.0.0.1:9"),
        ('method = "POST"\n', "", "4: sources[0].api.method: a form or json body is sent with"),
        ('items = "data.records"\n', "", "4: sources[0].api.items: is required"),
        ('"{page}"', "1", "5: sources[0].api.url: no {page} in url, form or json"),
        ('"articleTitle"', '"data..title"', "9: sources[0].api.title: 'data..title' is not a"),
        ("date =", 'link = "url"\ndate =', "10: sources[0].api.link_template: give link or"),
        ("method =", "form = { p = true }\nmethod =", "6: sources[0].api.form: values must be"),
    ],
    ids=["offsite", "get-with-body", "no-items", "no-page", "bad-path", "two-links", "form"],
)
def test_api_errors_name_file_line_and_field(tmp_path, old, new, expected):
    path = write(tmp_path, SOURCE + API.replace(old, new))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:{expected}"), caught.value


def test_an_inline_api_table_errs_on_its_own_line_and_list_api_names_are_checked(tmp_path):
    text = SOURCE + 'api = { url = "/x?page={page}", method = "PUT", items = "" }\n'
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=rf"^{path}:4: sources\[0\]\.api\.method: must be"):
        load_config(path)
    path = write(tmp_path, SOURCE + 'list_api = "gkmpt"\n')
    with pytest.raises(ConfigError, match=rf"^{path}:4: sources\[0\]\.list_api: unknown list API"):
        load_config(path)
    path = write(tmp_path, SOURCE + 'list_api = "sudy"\n' + API)
    with pytest.raises(ConfigError, match=r"list_api: give list_api or \[sources.api\], not both"):
        load_config(path)


def test_a_second_source_s_api_table_is_located_in_its_own_block(tmp_path):
    second = SOURCE.replace('"a"', '"b"') + API.replace('items = "data.records"\n', "")
    path = write(tmp_path, SOURCE + API + "\n" + second)
    with pytest.raises(ConfigError, match=rf"^{path}:16: sources\[1\]\.api\.items: is required"):
        load_config(path)


def test_dotted_paths_and_dates():
    data = {"data": {"list": [{"a": {"b": 7}}, {"a": None}]}}
    assert walk(data, "data.list.0.a.b") == 7
    assert walk(data, "data.list.5") is None and walk(data, "data.nope.x") is None
    assert walk(data, "") is data
    assert date_text(1717378200) == "2024-06-03 09:30:00"  # unix seconds, Beijing time
    assert date_text(1717378200000) == "2024-06-03 09:30:00"  # milliseconds
    assert date_text(" 2024-06-03 ") == "2024-06-03" and date_text(None) is None


def test_items_become_entries_and_an_html_error_page_is_one_clear_error():
    api = DeclaredApi(
        url="http://x.example/api?p={page}", items="rows", link_template="/a/{id}.html"
    )
    reader = list_api(api)
    request = page_request(api, 1)
    body = json.dumps({"rows": [{"id": 9, "title": "<b>关于开展2024年暑期安全教育的通知</b>"}]})
    answer = ApiAnswer(request, 1, request.url, body, find_links)
    page = reader.read(answer)
    assert [(e.url, e.title) for e in page.entries] == [
        ("http://x.example/a/9.html", "关于开展2024年暑期安全教育的通知")
    ]
    assert page.next is not None and page.next.url == "http://x.example/api?p=2"
    html = "<html><head><title>404 Not Found</title></head><body>nginx</body></html>"
    broken = ApiAnswer(request, 1, request.url, html, find_links)
    with pytest.raises(
        Exception, match=r"answered an HTML page, not JSON \(title '404 Not Found'\)"
    ):
        reader.read(broken)


def test_a_json_api_site_crawled_through_its_declaration(sqlite_url, tmp_path, smtp):
    with MockSiteServer(jsonapi_site(show_date=False)) as server:  # the date is the API's alone
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], extra=mail_alerts(smtp))
        text = config.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n[[subscriptions]]")
        config.write_text(f"{head}\n{API}\n[[subscriptions]]{rest}", encoding="utf-8")
        check_crawls(server, config, sqlite_url, smtp)
