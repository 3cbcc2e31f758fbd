"""Scrapy side of noticewatch: one generic notice spider and its helpers.

This package fetches pages and yields them; it never imports ``monitor`` or
``storage``. What is already known reaches the spider through a callable.

A crawl contacts its sources and nothing else: Scrapy's cookie handling asks
tldextract for public suffixes, which would download the list from the
internet on a cold cache; here it reads the snapshot tldextract ships (set
``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS`` to a local file or URL to use another).
"""

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
