"""Attachments as part of the notice: which to download, reading them, storing, comparing.

``formats`` reads one file's text (run in a child process by ``reader``, with time
and memory limits), ``store`` keeps contents once by sha256 and a notice's files
with their validators and failures, ``compare`` says which files changed and how,
``search`` finds subscription keywords in a notice's files.
"""
