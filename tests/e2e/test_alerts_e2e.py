"""A real crawl of the mock sites alerts through a real SMTP server and a real webhook receiver."""

from __future__ import annotations

import opencc

from tests.support.cli import run_cli, write_config

TITLE = "关于做好2024年普通高校招生录取工作的通知"
BODY = [
    "各县（市、区）教育局，各普通高中：",
    "为做好2024年普通高校招生录取工作，现将有关事项通知如下，请认真贯彻执行。",
]


def subscriptions(*tables: str) -> str:
    return "\n".join(tables)


def test_new_notice_is_one_email_and_one_webhook_post_with_title_url_and_date(
    sites, sqlite_url, tmp_path, smtp, webhook
):
    trs = sites["trs"]
    extra = f'[[subscriptions]]\nname = "office"\nnotify = ["{smtp.url}", "{webhook.url}"]\n'
    config = write_config(tmp_path / "c.toml", sqlite_url, [trs], extra=extra)
    assert run_cli(config, "crawl").returncode == 0  # baseline: silent
    assert smtp.inbox == [] and webhook.posts == []

    notice = trs.site.add_notice(TITLE, BODY)
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert "alerts: 2 sent" in result.stdout
    (mail,) = smtp.wait_for(1)
    assert mail.subject == f"【新乡市教育局】{TITLE}"
    detail_url = trs.url(trs.site.detail_path(notice.id))
    assert detail_url in mail.html and notice.published.date().isoformat() in mail.html
    (post,) = webhook.wait_for(1)
    assert TITLE in post.body["title"] and detail_url in post.body["message"]

    assert run_cli(config, "crawl").returncode == 0
    assert len(smtp.inbox) == 1 and len(webhook.posts) == 1  # never twice


def test_keywords_match_both_scripts(sites, sqlite_url, tmp_path, webhook):
    trs, big5 = sites["trs"], sites["big5"]
    extra = (
        f'[[subscriptions]]\nname = "admissions"\nnotify = ["{webhook.url}"]\nkeywords = ["招生"]\n'
    )
    config = write_config(tmp_path / "c.toml", sqlite_url, [trs, big5], extra=extra)
    run_cli(config, "crawl")
    to_traditional = opencc.OpenCC("s2t").convert
    big5.site.add_notice(to_traditional(TITLE), [to_traditional(p) for p in BODY])
    trs.site.add_notice(
        "关于开展2024年校园安全检查的通知", ["各学校：现就开展校园安全检查工作通知如下。"]
    )
    run_cli(config, "crawl")
    posts = webhook.wait_for(1)
    assert [to_traditional(TITLE) in p.body["title"] for p in posts] == [True]
