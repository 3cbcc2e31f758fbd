"""The CMS profile registry: one profile per family, recognition, and lookups built from profiles."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from monitor.demo import build_all_sites
from monitor.extract.attachments import canonical_kind, collect_attachments
from monitor.extract.container import find_container
from monitor.extract.dates import date_from_url
from spiders import cms
from spiders.cms import generic, hanweb, trs
from spiders.encoding import decode_html
from spiders.links import discover_links
from spiders.pagination import next_page_url
from tests.corpus import load_corpus

PROFILE_NAMES = [p.name for p in cms.PROFILES]


def profile_of_style(style: str) -> str:
    """The profile a mock-site style mimics: its own name, but big5 is a generic portal."""
    return "generic" if style == "big5" else style


def test_every_profile_has_a_unique_name_and_a_label_and_list_apis_belong_to_their_cms():
    assert len(set(PROFILE_NAMES)) == len(PROFILE_NAMES)
    assert all(p.label for p in cms.PROFILES)
    apis = {p.name: p.list_api.name for p in cms.PROFILES if p.list_api}
    assert apis == {"hanweb": "hanweb", "sudy": "sudy", "nfcms": "gkmlpt", "aspnet": "aspnet"}
    assert cms.PROFILES[-1] is cms.GENERIC  # the rules for any site come last
    assert not cms.GENERIC.markers  # generic is what is left when nothing is recognised


def test_profile_by_name():
    assert cms.profile("trs") is trs.PROFILE
    with pytest.raises(KeyError, match="no CMS profile 'nope'; known: trs, hanweb"):
        cms.profile("nope")


@pytest.fixture(scope="module")
def mock_sites():
    return build_all_sites()


def test_every_mock_style_mimics_a_profile(mock_sites):
    for site in mock_sites:
        assert profile_of_style(site.style) in PROFILE_NAMES


def test_mock_style_pages_are_recognised_as_the_profile_they_mimic(mock_sites):
    for site in mock_sites:
        expected = cms.profile(profile_of_style(site.style))
        rows = site.notices[: site.per_page]
        assert cms.recognise(site.render_list(1, rows, site.page_count)) is expected, site.style
        for notice in site.notices[:3]:
            assert cms.recognise(site.render_detail(notice)) is expected, site.style


@pytest.mark.parametrize("style", ["nfcms", "sudy", "phpcms", "wordpress", "aspnet"])
def test_corpus_pages_of_other_cms_are_recognised(style):
    pages = [p for p in load_corpus() if p.style == style]
    assert pages
    for page in pages:
        html, _ = decode_html(page.raw, page.content_type)
        assert cms.recognise(html).name == style, page.file


def test_pages_of_no_known_cms_are_generic():
    # generic-portal is left out: one of its variants says "Powered by Discuz!", rightly.
    styles = ("generic-frame", "generic-table", "generic-school", "generic-news", "generic-big5")
    for page in load_corpus():
        if page.style in styles:
            html, _ = decode_html(page.raw, page.content_type)
            assert cms.recognise(html) is cms.GENERIC, page.file


def test_containers_are_the_profiles_in_order_of_preference():
    assert tuple(c for p in cms.PROFILES for c in p.containers) == cms.CONTAINERS
    for profile in cms.PROFILES:
        for box in profile.containers:
            name = next(iter(box.ids or box.classes))
            attribute = "id" if box.ids else "class"
            tag = box.tag or "div"
            page = (
                f"<html><body><{tag} {attribute}='{name}'><p>正文{profile.name}</p></{tag}>"
                "<div class='TRS_Editor'><p>TRS</p></div></body></html>"
            )
            if box.tag == "td":
                page = page.replace(f"<{tag} ", "<table><tr><td ").replace(
                    f"</{tag}>", "</td></tr></table>"
                )
            found = find_container(lxml_html.document_fromstring(page))
            expected = "TRS" if profile is not trs.PROFILE else f"正文{profile.name}"
            assert found is not None and found.text_content() == expected, profile.name


def test_body_markers_come_from_hanweb():
    assert hanweb.PROFILE.body_markers in cms.BODY_MARKERS
    page = (
        "<html><body><div class='TRS_Editor'><p>TRS</p></div><div>"
        "<p>标题</p><meta name='ContentStart'><p>正文</p><meta name='ContentEnd'><p>分享</p>"
        "</div></body></html>"
    )
    found = find_container(lxml_html.document_fromstring(page))
    assert found is not None and found.text_content() == "正文"


def test_pagers_are_the_profiles_then_the_next_link():
    assert tuple(p.paging for p in cms.PROFILES if p.paging) == cms.PAGERS
    assert cms.PAGERS[:2] == (trs.next_page, hanweb.next_page)
    assert cms.PAGERS[-1] is generic.next_link
    island = '<div id="396302"><script type="text/xml"><datastore></datastore></script></div>'
    url = "http://jyj.example.gov.cn/col/col58320/index.html"
    assert next_page_url(island + "<script>a={totalPage:3}</script>", url) == (
        url + "?uid=396302&pageNum=2"
    )
    assert next_page_url(island + "<script>a={totalPage:1}</script>", url) is None


def test_list_rewrite_unpacks_the_hanweb_island_before_discovery():
    assert hanweb.unpack_records in cms.LIST_REWRITES
    rows = "".join(
        f"<record><![CDATA[<li><a href='/art/2024/3/{day}/art_1_{day}.html'>关于第{day}号通知的公告</a>"
        f"<span>2024-03-{day:02d}</span></li>]]></record>"
        for day in (1, 2)
    )
    page = (
        f"<html><body><script type='text/xml'><datastore>{rows}</datastore></script></body></html>"
    )
    assert "<ul class='nw-records'><li>" in cms.rewrite_list_page(page)
    entries = discover_links(page, "http://x.gov.cn/col/col1/index.html")
    assert [e.url for e in entries] == [
        "http://x.gov.cn/art/2024/3/1/art_1_1.html",
        "http://x.gov.cn/art/2024/3/2/art_1_2.html",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://jyt.example.gov.cn/zwgk/202203/t20220321_123.html", "2022-03-21"),  # trs
        ("http://jyj.example.gov.cn/art/2023/11/10/art_58320_1.html", "2023-11-10"),  # hanweb
        ("https://jwc.example.edu.cn/2022/0321/c2981a12/page.htm", "2022-03-21"),  # sudy
        ("https://www.example.edu.cn/2022/03/21/post-5/", "2022-03-21"),  # wordpress
        ("http://www.example.cn/a/tzgg/20231110/1234.html", "2023-11-10"),  # dede
        ("http://www.example.cn/NewsInfo.aspx?NewsID=5", None),
    ],
)
def test_url_dates_come_from_the_profiles(url, expected):
    found = date_from_url(url)
    assert (found.isoformat() if found else None) == expected


def test_url_date_patterns_are_each_profiles_in_order_without_repeats():
    sources = [pattern.pattern for pattern in cms.URL_DATES]
    assert len(sources) == len(set(sources))
    assert sources[0] == trs.PROFILE.url_dates[0]
    assert set(sources) == {s for p in cms.PROFILES for s in p.url_dates}


def test_attachment_quirks_come_from_the_profiles():
    words = {w for p in cms.PROFILES for w in p.download_endpoints}
    assert {"download", "downfile", "attach"} <= words
    vsb = "http://jwc.example.edu.cn/system/_content/download.jsp?urltype=news&wbfileid=AB12"
    assert canonical_kind(vsb, "考试安排.xlsx") == "xlsx"  # vsb: the link text names the file
    assert canonical_kind("http://x.cn/page.jsp?id=1", "考试安排.xlsx") is None
    player = lxml_html.fragment_fromstring(
        "<div><div class='wp_pdf_player' pdfsrc='/_upload/a.pdf'"
        " sudyfile-attr=\"{'title':'工作安排.pdf'}\"></div></div>"
    )
    found = collect_attachments([player], "https://jwc.example.edu.cn/2023/1110/c1a2/page.htm")
    assert [(a.name, a.url) for a in found] == [
        ("工作安排.pdf", "https://jwc.example.edu.cn/_upload/a.pdf")
    ]
