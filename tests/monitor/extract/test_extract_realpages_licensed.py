"""Real pages of repositories whose licence allows passing them on (tests/realpages), gated
on their own so the figures hold wherever those pages are present (``pages/`` or the
shared folder), even without the unlicensed rest; and the date rules they show.

These are English news pages (scrapinghub/article-extraction-benchmark, MIT: their bodies
are that benchmark's hand-made ``articleBody``, title and date as read on the page) and
saved WeChat articles (wechat-article/wechat-article-exporter, MIT: body the text of
``#js_content``, title the ``#activity-name`` heading, date the creation time it shows).
"""

from __future__ import annotations

import pytest

from tests.realpages import load_notices, notice, require_licensed_pages
from tests.realpages.scoring import noticewatch, score_notices, summarise

# What the rules reach on these 22 pages (bench/extraction.py: body 0.971, title 22/22,
# date 21/22), less about one page. The date miss: Twin Cities stamps
# 2019-11-20T02:59:46Z (UTC, taken as Beijing's day) and shows November 19, 8:59 pm.
# Digg's page (body 0.69) keeps the feed of teasers below its article.
GATE_BODY_F1 = 0.95
GATE_TITLE = 0.95
GATE_DATE = 0.9


@pytest.fixture(scope="module", autouse=True)
def licensed_pages() -> None:
    require_licensed_pages()


def test_licensed_subset_figures_hold() -> None:
    pages = [page for page in load_notices() if page.entry.redistributable]
    summary = summarise(score_notices(pages, noticewatch))
    assert len(pages) >= 22
    assert summary.f1 >= GATE_BODY_F1
    assert summary.title >= GATE_TITLE
    assert summary.date >= GATE_DATE


def test_json_ld_date_published_is_the_date() -> None:
    """No publication <meta>; JSON-LD says "datePublished":"2019-11-18"."""
    page = notice("aeb-1ee91d1f")
    assert page.extract().published.isoformat() == page.date == "2019-11-18"


def test_json_ld_date_with_an_english_month() -> None:
    """JSON-LD "datePublished": "19 Nov 2019 07:09 GMT", shown as 19 Nov 2019 05:44 GMT."""
    page = notice("aeb-42aad16b")
    assert page.extract().published.isoformat() == page.date == "2019-11-19"


def test_json_ld_date_with_a_weekday_and_offset() -> None:
    """JSON-LD "Mon, 18 Nov 2019 16:07:38 -0600"; the byline reads Published Nov 18, 2019."""
    page = notice("aeb-51d066b0")
    assert page.extract().published.isoformat() == page.date == "2019-11-18"


def test_a_placeholder_year_one_stamp_never_wins() -> None:
    """JSON-LD holds "datePublished": "0001-01-01T00:00:00Z", a template's empty value."""
    page = notice("aeb-65ce3a45")
    published = page.extract().published
    assert published is not None and published.isoformat() == page.date == "2019-11-19"


def test_published_time_meta_in_words() -> None:
    """article:published_time is "November 19, 2019, 07:47 PM EST", not ISO-8601."""
    page = notice("aeb-291a8bf3")
    assert page.extract().published.isoformat() == page.date == "2019-11-19"


def test_og_title_picks_the_heading_over_the_title_tag() -> None:
    """<title> is the SEO line "Michael Webb: Dramatic video shows rescue of 8-year-old
    kidnapping victim - CBS News"; og:title repeats the h1, the headline readers see."""
    page = notice("aeb-2c46804d")
    assert page.extract().title == page.title


def test_a_hyphen_inside_a_word_does_not_split_the_title_tag() -> None:
    """<title> "All-new 2020 Sentra … - Auto News": the hyphen of All-new joins."""
    page = notice("aeb-3cb5e2f4")
    assert page.extract().title == page.title


def test_a_short_noise_word_inside_a_class_name_is_no_noise() -> None:
    """The article sits in <section class="non-ad-column-l …">: "ad" is a part of that
    name, not an advert block, so the story is kept (it was lost, leaving the masthead)."""
    page = notice("aeb-c13b9c0e")
    text = page.extract().text
    assert text.startswith("South Dakota’s viral “Meth. We’re on it.” awareness campaign")
    assert "Spokane, Washington Est. May 19, 1883" not in text


def test_microdata_date_published_on_a_time_element() -> None:
    """<time itemprop="datePublished" datetime="2019-11-18T06:30:00-05:00">, no meta."""
    page = notice("aeb-55bb6340")
    assert page.extract().published.isoformat() == page.date == "2019-11-18"


def test_a_time_datetime_is_the_date_when_the_page_says_only_one_day_ago() -> None:
    """MSN shows "1 day ago"; its <time datetime="2019-11-19T11:45:59.000Z"> has the day."""
    page = notice("aeb-9eef8162")
    assert page.extract().published.isoformat() == page.date == "2019-11-19"


def test_a_photo_gallery_and_its_player_controls_are_not_the_article() -> None:
    """A Hearst page opens its body with a slideshow (div.asset_gallery: the photo's caption
    twice, "less", "more", "Caption", "Close", a control bar)."""
    page = notice("aeb-db6b0816")
    lines = page.extract().text.split("\n")
    assert lines[0].startswith("HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper")
    assert not {"Caption", "Close", "less", "more"} & set(lines)


def test_a_more_news_list_of_teasers_inside_the_article_is_not_the_article() -> None:
    """The post's header holds div.more-news: teasers of other stories, each with its own
    excerpt and "Read More", longer together than the short game report."""
    page = notice("aeb-264dc3ae")
    text = page.extract().text
    assert text.endswith("“I haven’t talked to the trainers at all,” Boudreau said.")
    assert "Read More" not in text


def test_a_stamp_with_an_explicit_offset_keeps_its_own_day() -> None:
    """The Verge stamps 2019-11-19T19:53:52-05:00 and shows Nov 19, 2019, 7:53pm EST: the
    day is the author's (in Beijing it is already the 20th)."""
    page = notice("aeb-785affa2")
    extracted = page.extract()
    assert extracted.published.isoformat() == page.date == "2019-11-19"
    assert extracted.published_at is not None and extracted.published_at.day == 20


def test_json_ld_that_is_not_strict_json_still_gives_its_date() -> None:
    """Smithsonian's JSON-LD does not parse (a stray value), Moneycontrol's has raw line
    breaks inside strings; both state datePublished."""
    for page_id in ("aeb-ea25dd7e", "aeb-65408257"):
        page = notice(page_id)
        assert page.extract().published.isoformat() == page.date


def test_wechat_article_hidden_until_its_script_runs_is_the_body() -> None:
    """WeChat saves its article as <div id="js_content" style="visibility: hidden;
    opacity: 0;">, shown by a script: it is the article, not hidden spam to drop."""
    page = notice("wx-article-01")
    text = page.extract().text
    assert text.startswith("大家好，我是轩辕。")
    assert len(text) > 1500


def test_wechat_date_is_its_creation_time_script_variable() -> None:
    """Its date line (em#publish_time) is empty until a script fills it from
    var ct = "1762747210" (2025-11-10 12:00:10 in Beijing)."""
    page = notice("wx-article-01")
    extracted = page.extract()
    assert extracted.published.isoformat() == page.date == "2025-11-10"
    assert extracted.published_at is not None
    assert (extracted.published_at.hour, extracted.published_at.minute) == (12, 0)
