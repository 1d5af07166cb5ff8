"""A fixed-window counter in the Django cache: "10/h" allows ten hits per user per clock hour.

Production settings point the cache at Redis, so every worker process shares one count; with the default local-memory
cache (demo, tests) the count is per process."""

import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": (1, "秒"), "m": (60, "分钟"), "h": (3600, "小时"), "d": (86400, "天")}


def parse_rate(rate: str) -> tuple[int, int, str]:
    """ "10/h" -> (10, 3600, "小时")."""
    try:
        count, unit = rate.split("/")
        seconds, label = _UNITS[unit.strip().lower()[:1]]
        return int(count), seconds, label
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"频率设置“{rate}”无效,应形如 10/h") from None


def describe(rate: str) -> str:
    count, _seconds, label = parse_rate(rate)
    return f"{count} 次/{label}"


def hit(key: str, rate: str) -> bool:
    """Count one hit against `key`; False once the window's allowance is used up (the hit is still counted)."""
    limit, seconds, _label = parse_rate(rate)
    window = f"ratelimit:{key}:{int(time.time()) // seconds}"
    cache.add(window, 0, timeout=seconds + 60)
    try:
        used = cache.incr(window)
    except ValueError:  # expired between add and incr
        cache.set(window, 1, timeout=seconds + 60)
        used = 1
    return used <= limit
