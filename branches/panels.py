"""Sections that apps above branches add to branches' pages, without branches importing them (dependency inversion).

The layers forbid branches to import meetings (or any app above it), and a branches page to include a higher app's
snippet. So an app above registers providers in its AppConfig.ready(), and the branches view asks this registry for
what to show: a provider is `fn(request, organization) -> dict | str | None`, returning {"template": name,
"context": {...}} (rendered here with the request, so csrf_token and request are available), pre-rendered HTML, or
None (nothing to show). The page only prints the rendered sections: no template tag runs a query.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Provider = Callable[..., dict | str | None]

_HOME_SECTIONS: list[Provider] = []
_ORGANIZATION_PANELS: list[Provider] = []


def _register(registry: list[Provider], fn: Provider) -> Provider:
    if fn not in registry:  # ready() may run twice in tests (e.g. apps.clear_cache); never show a section twice
        registry.append(fn)
    return fn


def register_home_section(fn: Provider) -> Provider:
    """A section of a secretary's home page (their branch)."""
    return _register(_HOME_SECTIONS, fn)


def register_organization_panel(fn: Provider) -> Provider:
    """A panel of the organization page."""
    return _register(_ORGANIZATION_PANELS, fn)


def _render(providers: list[Provider], request, organization) -> list[SafeString]:
    rendered = []
    for provider in providers:
        section = provider(request, organization)
        if section is None:
            continue
        if isinstance(section, str):
            rendered.append(SafeString(section))
        else:
            rendered.append(render_to_string(section["template"], section["context"], request=request))
    return rendered


def home_sections(request, organization) -> list[SafeString]:
    return _render(_HOME_SECTIONS, request, organization)


def organization_panels(request, organization) -> list[SafeString]:
    return _render(_ORGANIZATION_PANELS, request, organization)


# Badges beside members (the member page, the roster): `fn(members) -> {member_id: html}` for a list of members, in a
# fixed number of queries whatever their number (e.g. points' 党员星级). Registered like the sections above.
_MEMBER_BADGES: list[Callable] = []


def register_member_badges(fn: Callable) -> Callable:
    return _register(_MEMBER_BADGES, fn)


def member_badges(members) -> dict[int, SafeString]:
    """{member_id: the badges of every provider, rendered}; members without one are absent."""
    members = list(members)
    badges: dict[int, list[str]] = {}
    for provider in _MEMBER_BADGES:
        for member_id, html in (provider(members) or {}).items():
            badges.setdefault(member_id, []).append(html)
    return {member_id: SafeString(" ".join(parts)) for member_id, parts in badges.items()}
