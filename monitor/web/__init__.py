"""The read-only web UI, Atom feeds and JSON API (``noticewatch web``; the daemon serves it
too when ``[web] bind`` is set). Starlette and uvicorn are imported by ``app`` and
``server`` only, so the config parser can use ``auth`` without them."""
