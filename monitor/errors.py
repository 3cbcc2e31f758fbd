"""Failures already phrased as one line for the user (cheap to import: the CLI's start-up
needs them before it knows which command runs)."""


class ConfigError(Exception):
    """A config problem, already phrased as one line for the user."""


class CommandError(Exception):
    """A command failed for a reason already phrased as one line for the user; ``code`` is
    the exit code (1: the work failed, 2: usage)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
