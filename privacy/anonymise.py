"""Taking the person out of what the statistics keep: masked IP addresses and normalised paths."""

import ipaddress
import re

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)
_HAS_DIGIT = re.compile(r"\d")


def ip_mask(value: str) -> str:
    """Mask an IP address like Matomo: the last two bytes of IPv4, the last 80 bits of IPv6.

    An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) is treated as the IPv4 address it carries.
    """
    ip = ipaddress.ip_address(value.strip())
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 16 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def path_normalise(path: str) -> str:
    """The path without query string, with numbers, UUIDs, addresses and tokens replaced by placeholders."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    segments = []
    for segment in path.split("/"):
        if not segment:
            continue
        if segment.isdigit():
            segments.append(":id")
        elif _UUID.match(segment):
            segments.append(":uuid")
        elif "@" in segment:
            segments.append(":email")
        elif ":" in segment or len(segment) > 40 or (len(segment) >= 12 and _HAS_DIGIT.search(segment)):
            segments.append(":token")
        else:
            segments.append(segment.lower())
    normalised = "/" + "/".join(segments)
    if segments and path.endswith("/"):
        normalised += "/"
    return normalised[:255]
