"""How a person (an account) is named on every page, export, notification and history line.

Chinese names read surname first with no space (周兴文): Django's get_full_name() gives "first last" ("兴文 周").
`display_name` is the one rule; templates use the `display_name` filter of the `names` tag library.
"""


def display_name(user) -> str:
    """周兴文 for last_name 周 + first_name 兴文; "John Smith" for Latin names; the login when no name is set;
    "系统" when there is no user (a scheduled job)."""
    if user is None:
        return "系统"
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    if not (last or first):
        return user.get_username()
    if (last + first).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"
