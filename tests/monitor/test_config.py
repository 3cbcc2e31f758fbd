"""Config loading: the minimal documented form, seed includes, and located errors."""

from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_duration

MINIMAL = """\
[storage]
url = "sqlite:////var/lib/noticewatch/notices.db"   # default: a file in the user data dir

[[sources]]
id = "xinxiang-jyj"
name = "新乡市教育局"
url = "http://jyj.xinxiang.gov.cn/col/tzgg/index.html"   # a notice list page
# optional: link_selector, max_pages, interval, tags, encoding, ...

[[subscriptions]]
name = "office"
notify = ["mailto://...", "wecombot://..."]          # apprise URLs
# optional: keywords = ["招生"], sources = [...], events = [...]
"""


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_form_works_exactly_as_written(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.storage_url == "sqlite:////var/lib/noticewatch/notices.db"
    (source,) = config.sources
    assert (source.id, source.name, source.max_pages, source.interval) == (
        "xinxiang-jyj",
        "新乡市教育局",
        3,
        1800,
    )
    (subscription,) = config.subscriptions
    assert subscription.events == ("new", "changed") and subscription.mode == "immediate"


def test_bundled_seeds_can_be_included_from_anywhere(tmp_path):
    config = load_config(write(tmp_path, 'include = ["seeds/*.toml"]\n'))
    assert len(config.sources) >= 20
    provinces = {t for s in config.sources for t in s.tags if t.startswith("province:")}
    assert len(provinces) >= 5
    assert all(s.origin.endswith(".toml") for s in config.sources)


def test_env_vars_are_expanded_in_notify_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("WECOM_KEY", "s3cret")
    text = MINIMAL.replace('"wecombot://..."', '"wecombot://${WECOM_KEY}"')
    config = load_config(write(tmp_path, text))
    assert config.subscriptions[0].notify[1] == "wecombot://s3cret"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('url = "http://jyj', 'url = "ftp://jyj'),
            r"config\.toml:7: sources\[0\]\.url: must be an http\(s\) URL",
        ),
        (
            ('id = "xinxiang-jyj"', 'id = "Xinxiang JYJ"'),
            r"config\.toml:5: sources\[0\]\.id: use lowercase",
        ),
        (
            ('name = "office"', 'name = "office"\nevents = ["nwe"]'),
            r"config\.toml:12: subscriptions\[0\]\.events: unknown event 'nwe'",
        ),
        (
            ('name = "新乡市教育局"', 'name = "新乡市教育局"\nmax_pages = 0'),
            r":7: sources\[0\]\.max_pages: must be at least 1",
        ),
        (
            ('name = "新乡市教育局"', 'name = "新乡市教育局"\ninterval = "soon"'),
            r":7: sources\[0\]\.interval: not a duration",
        ),
        (
            ('name = "新乡市教育局"', 'name = "新乡市教育局"\nmaxpages = 2'),
            r":7: sources\[0\]\.maxpages: unknown option",
        ),
        (("[storage]", "[storage\n"), r"config\.toml:1: invalid TOML"),
        (
            ('name = "office"', 'name = "office"\ndigest_cron = "0 8 * * 9"'),
            r":12: subscriptions\[0\]\.digest_cron: .*weekday 9 is not 0-7",
        ),
        (
            ('name = "新乡市教育局"', 'name = "新乡市教育局"\ncron = "every day"'),
            r":7: sources\[0\]\.cron: .*five crontab fields",
        ),
        (
            ("[storage]", 'timezone = "Mars/Olympus"\n[storage]'),
            r"config\.toml:1: timezone: unknown time zone",
        ),
        (
            ('notify = ["mailto://...", "wecombot://..."]', 'notify = "${NO_SUCH_VAR_X}"'),
            r":12: subscriptions\[0\]\.notify: environment variable NO_SUCH_VAR_X is not set",
        ),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, change, expected):
    path = write(tmp_path, MINIMAL.replace(*change, 1))
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_errors_in_an_included_seed_file_name_that_file(tmp_path):
    write(
        tmp_path,
        '[[sources]]\nid = "a-1"\nurl = "http://a.cn/"\n\n[[sources]]\nid = "a-1"\nurl = "http://b.cn/"\n',
        "region.toml",
    )
    with pytest.raises(ConfigError, match=r"region\.toml:6: sources\[1\]\.id: duplicate id 'a-1'"):
        load_config(write(tmp_path, 'include = ["region.toml"]\n'))


def test_missing_file_and_missing_include(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="matches no file"):
        load_config(write(tmp_path, 'include = ["regions/*.toml"]\n'))


def test_durations():
    assert parse_duration("30m") == parse_duration(30) == 1800
    assert parse_duration("2h") == 7200 and parse_duration("45s") == 45
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_daemon_notify_and_queue_options_have_one_default_each_and_are_read(tmp_path):
    defaults = load_config(write(tmp_path, MINIMAL))
    assert (defaults.daemon.max_crawls, defaults.daemon.lease_ttl) == (2, 30.0)
    assert (defaults.notify.max_attempts, defaults.notify.send_timeout) == (8, 60.0)
    assert (defaults.queue.url, defaults.queue.concurrency) == (None, 8)
    text = MINIMAL + (
        '[daemon]\nmax_crawls = 4\nlease_ttl = "45s"\ncrawl_timeout = "20m"\n'
        '[notify]\nmax_attempts = 3\nfirst_delay = "10s"\n'
        '[queue]\nurl = "redis://127.0.0.1:6379/0"\nconcurrency = 16\nworker_lease = "20s"\n'
    )
    config = load_config(write(tmp_path, text))
    assert (config.daemon.max_crawls, config.daemon.lease_ttl, config.daemon.crawl_timeout) == (
        4,
        45.0,
        1200.0,
    )
    assert (config.notify.max_attempts, config.notify.first_delay, config.notify.delay(2)) == (
        3,
        10.0,
        20.0,
    )
    assert (config.queue.url, config.queue.concurrency, config.queue.worker_lease) == (
        "redis://127.0.0.1:6379/0",
        16,
        20.0,
    )


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("[daemon]\nmax_crawls = 0\n", "daemon.max_crawls: must be at least 1"),
        ('[notify]\nsend_timeout = "soon"\n', "notify.send_timeout: not a duration"),
        ("[notify]\nretries = 3\n", "notify.retries: unknown option"),
        ('[queue]\nurl = "http://127.0.0.1:6379"\n', "queue.url: must be a redis:// URL"),
    ],
)
def test_bad_daemon_notify_and_queue_options_are_located(tmp_path, section, expected):
    path = write(tmp_path, MINIMAL + section)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    line = len(MINIMAL.splitlines()) + 2
    assert str(error.value).startswith(f"{path}:{line}: {expected}")


def test_an_include_of_a_device_is_refused_before_reading_it(tmp_path):
    path = write(tmp_path, 'include = ["/dev/zero"]\n' + MINIMAL)
    with pytest.raises(ConfigError, match=r"^/dev/zero: not a regular file$"):
        load_config(path)
