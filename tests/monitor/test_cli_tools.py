"""The tools a user runs before trusting a source: `sources check`, `extract`, `sources list`."""

from __future__ import annotations

import json

from tests.support.cli import run_cli, write_config


def test_sources_check_by_url_shows_links_and_first_three_extractions(sites, tmp_path):
    vsb = sites["vsb"]
    result = run_cli(tmp_path / "absent.toml", "sources", "check", vsb.list_url, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    listed = vsb.site.notices[: vsb.site.per_page]
    assert [link["title"] for link in report["links"]] == [n.title for n in listed]
    assert report["next_page"].endswith(".htm")
    assert [e["title"] for e in report["extracted"]] == [n.title for n in listed[:3]]
    assert all(e["text"] for e in report["extracted"])


def test_sources_check_by_id_with_a_selector_that_matches_nothing(sites, sqlite_url, tmp_path):
    config = write_config(tmp_path / "c.toml", sqlite_url, [sites["discuz"]])
    result = run_cli(config, "sources", "check", "demo-discuz", "--selector", ".nothing a")
    assert result.returncode == 1
    assert "no notice links found" in result.stdout


def test_sources_check_unknown_id_is_a_config_error(sites, sqlite_url, tmp_path):
    config = write_config(tmp_path / "c.toml", sqlite_url, [sites["discuz"]])
    result = run_cli(config, "sources", "check", "no-such-source")
    assert result.returncode == 2
    assert "no source with id 'no-such-source'" in result.stderr


def test_extract_a_saved_gbk_page(sites, tmp_path):
    trs = sites["trs"].site
    notice = trs.notices[1]
    status, _, body = trs.render("GET", trs.detail_path(notice.id))
    assert status == 200
    page = tmp_path / "page.html"
    page.write_bytes(body)
    result = run_cli(
        None, "extract", str(page), "--json", "--url", sites["trs"].url(trs.detail_path(notice.id))
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == notice.title
    assert data["published"] == notice.published.date().isoformat()
    assert notice.paragraphs[0] in data["text"]


def test_sources_list_shows_seeds(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('include = ["seeds/*.toml"]\n', encoding="utf-8")
    result = run_cli(config, "sources", "list")
    assert result.returncode == 0
    assert "henan-jyt-wjtz" in result.stdout  # the id whole; the name may be cut at 80 columns
    listed = json.loads(run_cli(config, "sources", "list", "--json").stdout)
    assert any(s["id"].startswith("henan") and "河南省教育厅" in s["name"] for s in listed)


def test_a_password_in_a_source_url_is_refused_without_showing_it(sites, sqlite_url, tmp_path):
    secret_url = sites["dede"].list_url.replace("http://", "http://reader:Pa55-s3cret@")
    config = tmp_path / "c.toml"
    config.write_text(
        f'[storage]\nurl = "{sqlite_url}"\n'
        f'[[sources]]\nid = "locked"\nname = "需要登录的站点"\nurl = "{secret_url}"\n',
        encoding="utf-8",
    )
    for command in (["crawl"], ["sources", "list"], ["status"]):
        done = run_cli(config, *command)
        output = done.stdout + done.stderr
        assert done.returncode == 2 and f"{config}:6: sources[0].url: must not hold" in output
        assert "Pa55-s3cret" not in output, output
