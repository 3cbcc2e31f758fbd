"""Rich consoles for normal output and for errors.

Both take their width from ``COLUMNS`` when it is set, else from the terminal
(80 when the output is not a terminal); ``monitor.commands.views`` fits tables
and lines to it.
"""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """One line on stderr, ``noticewatch: MESSAGE``: something the user should know, not a failure."""
    err_console.print(f"noticewatch: {message}", markup=False, highlight=False)
