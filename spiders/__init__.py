"""Scrapy side of noticewatch: one generic notice spider and its helpers.

This package fetches pages and yields them; it never imports ``monitor`` or
``storage``. What is already known reaches the spider through a callable.
"""
