"""A subscription's targets: its apprise URLs, by hash, with a masked label.

The database only ever holds a target's hash and label; the URL itself is
looked up again in the current config when a delivery is sent, so secrets
stay in the config (or the environment) alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor import masking
from monitor.config import Config, Subscription


@dataclass(frozen=True)
class Target:
    """One apprise URL of a subscription; ``url`` is None when it cannot be used (see ``problem``)."""

    hash: str
    label: str
    url: str | None
    problem: str | None = None


def target_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def masked(url: str) -> str:
    """``scheme://host``; a host that is really a token (``wecombot://KEY``) is hidden."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    if masking.looks_like_host(host):
        return f"{scheme}://{host}"
    return f"{scheme}://*** ({target_hash(url)[:6]})" if rest else scheme


def _url_target(url: str) -> Target:
    masking.register(url)
    return Target(target_hash(url), masked(url), url)


@lru_cache(maxsize=32)
def _config_file_urls(path: str, tag: str, _modified: float) -> tuple[str, ...]:
    """The URLs of the apprise config file tagged ``tag``, or all of them when none is (cached per mtime)."""
    import apprise  # only for a config file: writing outbox rows needs no apprise

    config = apprise.AppriseConfig()
    config.add(path)
    services = config.services()
    tagged = [service for service in services if tag in service]
    return tuple(service.url(privacy=False) for service in tagged or services)


def _config_file_targets(subscription: Subscription, apprise_config: str) -> list[Target]:
    path = Path(apprise_config).expanduser()
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = -1.0
    urls = _config_file_urls(str(path), subscription.name, modified) if modified >= 0 else ()
    if not urls:
        problem = f"apprise_config {path}: no usable apprise URL (unreadable, empty or invalid)"
        return [
            Target(
                target_hash(f"apprise_config:{path}"), f"apprise_config:{path.name}", None, problem
            )
        ]
    return [_url_target(url) for url in urls]


def subscription_targets(subscription: Subscription) -> list[Target]:
    """Every target of ``subscription``: its ``notify`` URLs, then those of its ``apprise_config``."""
    targets = [_url_target(url) for url in subscription.notify]
    if subscription.apprise_config:
        targets += _config_file_targets(subscription, subscription.apprise_config)
    unique = {target.hash: target for target in targets}
    return list(unique.values())


class TargetIndex:
    """Finds a target of the current config by subscription name and hash (read once per use)."""

    def __init__(self, config: Config) -> None:
        self.subscriptions = {s.name: s for s in config.subscriptions}
        self._cache: dict[str, dict[str, Target]] = {}

    def find(self, subscription: str, target: str) -> Target:
        """The target, or a Target with a ``problem`` saying why there is none."""
        if subscription not in self.subscriptions:
            return Target(
                target, "?", None, f"subscription {subscription!r} is no longer in the config"
            )
        if subscription not in self._cache:
            self._cache[subscription] = {
                t.hash: t for t in subscription_targets(self.subscriptions[subscription])
            }
        found = self._cache[subscription].get(target)
        return found or Target(
            target, "?", None, f"this target is no longer in subscription {subscription!r}"
        )
