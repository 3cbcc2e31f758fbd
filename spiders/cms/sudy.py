"""Sudy WebPlus (苏迪): university sites, articles under ``/YYYY/MMDD/c<col>a<id>/page.htm``."""

from __future__ import annotations

from spiders.cms.profile import YEAR_MONTHDAY_PATH, CmsProfile, container

PROFILE = CmsProfile(
    name="sudy",
    label="Sudy WebPlus (苏迪)",
    markers=(r"sudy-wp-", r"\bwp_articlecontent\b", r"sudyfile-attr", r"WP_VisitCount"),
    containers=(container(classes="wp_articlecontent"),),
    url_dates=(YEAR_MONTHDAY_PATH,),  # /2022/0321/c12a345/page.htm
    # <div class="wp_pdf_player" pdfsrc="….pdf" sudyfile-attr="{'title':'通知.pdf'}">
    file_players=(("div", "pdfsrc"),),
    file_titles=(("sudyfile-attr", r"""['"]title['"]\s*:\s*['"]([^'"]+)['"]"""),),
)
