"""What kind of network address a host resolves to, and whether a crawl may go there.

A page can point the crawler at a name that resolves to an internal address
(a cloud metadata service, a router, another service on the machine). After
resolution an address that is not public is fetched only when the source's
own address is of the same kind (a school intranet source may read its
intranet) or the source sets ``allow_private``.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum


class AddressKind(StrEnum):
    PUBLIC = "public"
    LOOPBACK = "loopback"
    LINK_LOCAL = "link-local"  # 169.254.0.0/16 and fe80::/10: cloud metadata services live here
    PRIVATE = "private"
    UNSPECIFIED = "unspecified"  # 0.0.0.0 reaches this machine on most systems
    RESERVED = "reserved"  # multicast, shared (100.64/10), documentation and other special ranges


def address_kind(address: str) -> AddressKind:
    """The kind of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address counts as its IPv4)."""
    ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return AddressKind.LOOPBACK
    if ip.is_link_local:
        return AddressKind.LINK_LOCAL
    if ip.is_unspecified:
        return AddressKind.UNSPECIFIED
    if ip.is_multicast or ip.is_reserved:
        return AddressKind.RESERVED
    if ip.is_global:
        return AddressKind.PUBLIC
    if ip.is_private:
        return AddressKind.PRIVATE
    return AddressKind.RESERVED


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def may_fetch(target: AddressKind, source: AddressKind | None, allow_private: bool) -> bool:
    """A public address always; any other only of the source's own kind, or when allowed."""
    return target == AddressKind.PUBLIC or allow_private or target == source
