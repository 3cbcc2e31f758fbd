"""Config loading: the minimal documented form, seed includes, and located errors."""

import re
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_duration
from monitor.value_checks import apprise_url_problem, validate_selector

ROOT = Path(__file__).resolve().parent.parent.parent
SMTP_SECRET = "Sm7p-pa55word"
WECOM_SECRET = "0123abcd-4567-89ef-0123-456789abcdef"

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
notify = ["mailto://user:${SMTP_PASSWORD}@smtp.example.org?to=office@example.org", "wecombot://${WECOM_BOT_KEY}"]
# optional: keywords = ["招生"], sources = [...], events = [...]
"""


@pytest.fixture(autouse=True)
def alert_secrets(monkeypatch):
    """The secrets MINIMAL's notify URLs name, as a deployment sets them."""
    monkeypatch.setenv("SMTP_PASSWORD", SMTP_SECRET)
    monkeypatch.setenv("WECOM_BOT_KEY", WECOM_SECRET)


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


def test_env_vars_are_expanded_in_notify_urls(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.subscriptions[0].notify == (
        f"mailto://user:{SMTP_SECRET}@smtp.example.org?to=office@example.org",
        f"wecombot://{WECOM_SECRET}",
    )


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
            ("notify = [", 'notify = "${NO_SUCH_VAR_X}"\nx = ['),
            r":12: subscriptions\[0\]\.notify\[0\]: environment variable NO_SUCH_VAR_X is not set",
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


# -- validation gaps: each one line naming file:line:field ---------------------------------

SOURCE_LINE = 7  # the line of MINIMAL's source `url` (the options below are added after it)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("[crawl]\ntimeout = -1\n", "crawl.timeout: must be more than 0"),
        ("[crawl]\ntimeout = 0\n", "crawl.timeout: must be more than 0"),
        ("[crawl]\ndownload_delay = -0.5\n", "crawl.download_delay: must be 0 or more"),
        ("[crawl]\nretries = -1\n", "crawl.retries: must be 0 or more"),
        (
            '[daemon]\nstatus_bind = "0.0.0.0:8787"\n',
            "daemon.status_bind: '0.0.0.0:8787': use a loopback HOST:PORT, e.g. 127.0.0.1:8787",
        ),
        (
            '[daemon]\nstatus_bind = "127.0.0.1:99999"\n',
            "daemon.status_bind: port 99999 is not 1-65535",
        ),
    ],
)
def test_bad_numbers_and_status_bind_are_located(tmp_path, section, expected):
    path = write(tmp_path, MINIMAL + section)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    line = len(MINIMAL.splitlines()) + 2
    assert str(error.value) == f"{path}:{line}: {expected}"


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (
            'link_selector = "div.list[[["',
            r"link_selector: 'div\.list\[\[\[' is not a CSS selector",
        ),
        ('link_selector = "//ul[@class="', r"link_selector: '//ul\[@class=' is not an XPath"),
        ('link_selector = "(//a"', r"link_selector: '\(//a' is not an XPath"),
        ('link_selector = "//x:a"', r"link_selector: '//x:a' is not an XPath: Undefined namespace"),
        ('link_selector = "a::nosuch"', r"link_selector: 'a::nosuch' is not a CSS selector"),
        ('encoding = "gbk2312"', r"encoding: unknown encoding 'gbk2312' \(e\.g\. 'gbk'"),
        ("jitter = -5", r"jitter: must be 0 or more$"),
        ('columns = ["通知公告", " "]', r"columns\[1\]: must not be empty$"),
        ("columns = [1]", r"columns: must be a list of strings$"),
        (
            'interval = "2h"\ncron = "0 8 * * *"',
            r"cron: give either interval or cron, not both$",
        ),
    ],
)
def test_bad_source_options_are_located(tmp_path, option, expected):
    text = MINIMAL.replace('index.html"', f'index.html"\n{option}', 1)
    line = SOURCE_LINE + len(option.splitlines())  # the last option added is the one at fault
    with pytest.raises(ConfigError, match=rf"config\.toml:{line}: sources\[0\]\.{expected}"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    "selector",
    [
        ".NewsList li:not(.b) a",
        "ul.list > li a[href*='tzgg']",
        "//div[@id='list']//a",
        "(//ul)[2]/li",
        "./li/a",
        "//a[re:test(@href, '\\d+')]",
    ],
)
def test_selectors_the_crawl_can_use_are_accepted(tmp_path, selector):
    assert validate_selector(selector) is None
    escaped = selector.replace("\\", "\\\\")
    text = MINIMAL.replace('index.html"', f'index.html"\nlink_selector = "{escaped}"', 1)
    assert load_config(write(tmp_path, text)).sources[0].link_selector == selector


def test_a_gb_encoding_label_is_accepted_as_written(tmp_path):
    text = MINIMAL.replace('index.html"', 'index.html"\nencoding = "GB2312"', 1)
    assert load_config(write(tmp_path, text)).sources[0].encoding == "GB2312"


def test_an_empty_selector_is_refused():
    assert validate_selector("   ") == (
        "is empty (leave it out to let noticewatch find the notice links)"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://nw@db/noticewatch", r"unsupported database 'mysql://'"),
        ("postgres://nw@db/noticewatch", r"unsupported driver 'postgres://'"),
        ("postgresql+asyncpg://nw@db/noticewatch", r"unsupported driver 'postgresql\+asyncpg://'"),
        ("notices.db", r"unsupported database 'notices\.db'"),
    ],
)
def test_unsupported_databases_name_the_supported_ones(tmp_path, url, expected):
    text = MINIMAL.replace("sqlite:////var/lib/noticewatch/notices.db", url, 1)
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    message = str(error.value)
    assert re.match(
        rf"^{re.escape(str(tmp_path))}/config\.toml:2: storage\.url: {expected}", message
    )
    assert "sqlite:///" in message and "pip install 'noticewatch[postgres]'" in message


def test_supported_databases_are_accepted(tmp_path):
    for url in ("sqlite:///notices.db", "sqlite://", "postgresql+psycopg://nw@127.0.0.1/nw"):
        text = MINIMAL.replace("sqlite:////var/lib/noticewatch/notices.db", url, 1)
        assert load_config(write(tmp_path, text)).storage_url == url


def test_a_byte_order_mark_is_refused_in_a_config_and_in_a_seed_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}:1: .*remove the BOM"):
        load_config(path)
    seed = tmp_path / "region.toml"
    seed.write_bytes(b"\xef\xbb\xbf" + b'[[sources]]\nid = "a"\nurl = "http://a.cn/"\n')
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(seed))}:1: .*remove the BOM"):
        load_config(write(tmp_path, 'include = ["region.toml"]\n'))


WITHOUT_SUBSCRIPTIONS = MINIMAL.split("[[subscriptions]]")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "[source]\n", "source: unknown table; did you mean [[sources]]?"),
        (MINIMAL + "[[source]]\n", "source: unknown table; did you mean [[sources]]?"),
        (MINIMAL + "[[Sources]]\n", "Sources: unknown table; did you mean [[sources]]?"),
        (
            MINIMAL + "[subscription]\n",
            "subscription: unknown table; did you mean [[subscriptions]]?",
        ),
        (MINIMAL + "[crawler]\n", "crawler: unknown table; did you mean [crawl]?"),
        (MINIMAL + "[[crawl]]\n", "crawl: use one [crawl] table"),
        ('time_zone = "UTC"\n', "time_zone: unknown option; did you mean timezone?"),
        (
            '[storage]\nurl = "sqlite://"\n[sources]\n',
            "sources: use [[sources]] tables, one per source",
        ),
        (
            WITHOUT_SUBSCRIPTIONS + "[subscriptions]\n",
            "subscriptions: use [[subscriptions]] tables, one per subscription",
        ),
    ],
)
def test_near_miss_table_names_say_what_was_meant(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == f"{path}:{len(text.splitlines())}: {expected}"


def test_a_seed_file_with_a_near_miss_table_says_what_was_meant(tmp_path):
    write(tmp_path, '[[source]]\nid = "a"\nurl = "http://a.cn/"\n', "region.toml")
    with pytest.raises(
        ConfigError,
        match=r"region\.toml:1: source: a seed file holds only \[\[sources\]\]; did you mean \[\[sources\]\]\?$",
    ):
        load_config(write(tmp_path, 'include = ["region.toml"]\n'))


def test_an_unknown_option_suggests_the_one_meant(tmp_path):
    text = MINIMAL.replace('index.html"', 'index.html"\nmax_page = 2', 1)
    with pytest.raises(
        ConfigError,
        match=r":8: sources\[0\]\.max_page: unknown option \(did you mean 'max_pages'\?\)$",
    ):
        load_config(write(tmp_path, text))


# -- apprise URLs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("wechat-bot://x", r"unknown apprise scheme 'wechat-bot://'"),
        ("mailto://", r"apprise cannot use this mailto:// URL"),
        ("mailto://...", r"apprise cannot use this mailto:// URL"),
        ("not a url", r"not an apprise URL"),
    ],
)
def test_an_apprise_url_apprise_cannot_use_is_located(tmp_path, url, expected):
    text = MINIMAL.replace('"wecombot://${WECOM_BOT_KEY}"', f'"{url}"', 1)
    with pytest.raises(
        ConfigError, match=rf"config\.toml:12: subscriptions\[0\]\.notify\[1\]: {expected}"
    ):
        load_config(write(tmp_path, text))


def test_the_line_of_an_apprise_url_is_its_own_in_a_list_over_several_lines(tmp_path):
    text = MINIMAL.replace(
        '"wecombot://${WECOM_BOT_KEY}"]',
        '\n          "json://127.0.0.1:9/hook",\n          "wechat-bot://x"]',
        1,
    )
    with pytest.raises(
        ConfigError, match=r"config\.toml:14: subscriptions\[0\]\.notify\[2\]: unknown"
    ):
        load_config(write(tmp_path, text))


def test_an_apprise_error_never_shows_the_secret(tmp_path, monkeypatch, caplog):
    secret = "Wr0ng-K3y!!secret"
    monkeypatch.setenv("WECOM_BOT_KEY", secret)
    problem = apprise_url_problem(f"wecombot://{secret}")
    assert problem and "WeCom" in problem and secret not in problem
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, MINIMAL))
    assert "subscriptions[0].notify[1]: apprise cannot use this wecombot:// URL" in str(error.value)
    assert secret not in str(error.value) and secret not in caplog.text
    assert apprise_url_problem(f"wecombot://{WECOM_SECRET}") is None


def test_read_only_loading_leaves_alert_urls_alone_and_a_full_load_checks_them(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SMTP_PASSWORD")
    path = write(tmp_path, MINIMAL)
    with pytest.raises(
        ConfigError,
        match=r":12: subscriptions\[0\]\.notify\[0\]: environment variable SMTP_PASSWORD",
    ):
        load_config(path)
    config = load_config(path, need_secrets=False)
    assert config.subscriptions[0].notify == (
        "mailto://user:${SMTP_PASSWORD}@smtp.example.org?to=office@example.org",
        f"wecombot://{WECOM_SECRET}",
    )
    broken = write(tmp_path, MINIMAL.replace("wecombot://${WECOM_BOT_KEY}", "wechat-bot://x"))
    assert load_config(broken, need_secrets=False).subscriptions[0].notify[1] == "wechat-bot://x"
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret")
    with pytest.raises(ConfigError, match=r"notify\[1\]: unknown apprise scheme"):
        load_config(broken)


def test_read_only_loading_leaves_an_unset_queue_secret_alone(tmp_path):
    text = MINIMAL + '[queue]\nurl = "redis://:${NO_SUCH_REDIS_PASSWORD}@127.0.0.1:6379/0"\n'
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=r":15: queue\.url: environment variable NO_SUCH_REDIS"):
        load_config(path)
    assert load_config(path, need_secrets=False).queue.url.startswith("redis://:${")


def test_an_apprise_config_file_must_hold_a_usable_url(tmp_path):
    text = MINIMAL.replace("notify = [", 'apprise_config = "apprise.yml"\nnotify = [', 1)
    path = write(tmp_path, text)
    with pytest.raises(
        ConfigError, match=r":12: subscriptions\[0\]\.apprise_config: .*apprise\.yml: no such file"
    ):
        load_config(path)
    write(tmp_path, "urls:\n  - wechat-bot://x\n", "apprise.yml")
    with pytest.raises(
        ConfigError, match=r"apprise_config: .*no apprise URL in it that apprise can use"
    ):
        load_config(path)
    write(tmp_path, "urls:\n  - json://127.0.0.1:9/hook\n", "apprise.yml")
    assert load_config(path).subscriptions[0].apprise_config == str(tmp_path / "apprise.yml")
    (tmp_path / "apprise.yml").unlink()
    assert load_config(path, need_secrets=False).subscriptions[0].apprise_config


# -- the starter config -------------------------------------------------------------------


def test_the_example_config_is_the_starter_config_and_loads(tmp_path, monkeypatch):
    starter = (ROOT / "monitor" / "starter_config.toml").read_text(encoding="utf-8")
    assert (ROOT / "config.example.toml").read_text(encoding="utf-8") == starter
    path = write(tmp_path, starter)
    config = load_config(path)
    assert len(config.sources) >= 20 and all(s.origin != str(path) for s in config.sources)
    (subscription,) = config.subscriptions
    assert subscription.notify[0].startswith(f"mailto://noticewatch:{SMTP_SECRET}@")
    monkeypatch.delenv("SMTP_PASSWORD")
    with pytest.raises(
        ConfigError, match=r"notify\[0\]: environment variable SMTP_PASSWORD is not set"
    ):
        load_config(path)


def test_columns_are_read_as_a_list_of_names(tmp_path):
    text = MINIMAL.replace('index.html"', 'index.html"\ncolumns = "招生考试"', 1)
    assert load_config(write(tmp_path, text)).sources[0].columns == ("招生考试",)
    assert load_config(write(tmp_path, MINIMAL)).sources[0].columns == ()
