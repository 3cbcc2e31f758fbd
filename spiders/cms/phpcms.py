"""PHPCMS v9 (盛大 / 酷溜网): bureau and school portals.

Its default article template (``div#Article .content``) is read by the general path.
"""

from __future__ import annotations

from spiders.cms.profile import YEAR_MONTHDAY_PATH, CmsProfile

PROFILE = CmsProfile(
    name="phpcms",
    label="PHPCMS v9",
    markers=(
        r"Powered by PHPCMS",
        r"m=content&(?:amp;)?c=index",
        r"/statics/(?:js|css|images)/",
        r"[\"'/](?:show-\d+-\d+-\d+|list-\d+-\d+)\.html",  # pseudo-static URL rules
    ),
    url_dates=(YEAR_MONTHDAY_PATH,),  # static rule {catdir}/{year}/{month}{day}/{id}.html
)
