"""Browser UI of the foundation, one module per subject (split from a 750-line views.py):

- home.py: 首页 per role;
- organizations.py: the tree, an organization's page, create/edit;
- members.py: member list, page, create/edit/transfer/leave;
- terms.py: committee terms, extensions, election steps;
- 党费 and the 花名册 import are packages of their own (branches/dues/, branches/roster/) with their views and urls;
- history.py: the audit trail the pages share (meetings/views.py uses it too); common.py: breadcrumbs and checks.

Every view checks access through branches.access (outsider -> 404, read-only -> 403, anonymous -> login),
reads through selectors / QuerySets that own their joins, and writes through services. The names below are what
branches/urls.py routes to.
"""

from .history import AuditEntry, Change, audit_history
from .home import home
from .members import member_create, member_detail, member_edit, member_leave, member_list, member_transfer
from .organizations import organization_create, organization_detail, organization_edit, organization_tree
from .terms import election_step_create, term_detail, term_early_election, term_extend, term_start

__all__ = [
    "AuditEntry",
    "Change",
    "audit_history",
    "election_step_create",
    "home",
    "member_create",
    "member_detail",
    "member_edit",
    "member_leave",
    "member_list",
    "member_transfer",
    "organization_create",
    "organization_detail",
    "organization_edit",
    "organization_tree",
    "term_detail",
    "term_early_election",
    "term_extend",
    "term_start",
]
