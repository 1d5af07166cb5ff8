"""The organization tree, its members and their history, committee terms and roles, and the 党费 ledger: one module
per subject, all importable from `branches.models`.

Rules cite DOMAIN.md: 支部工作条例 第五、八、九条; 国企条例 第四条; 关于党的基层组织任期的意见.
"""

from .dues import DuesPayment
from .members import GroupMembership, IdNumberAccess, Member, MemberQuerySet, Membership
from .organizations import Enterprise, Organization, OrganizationManager, OrganizationQuerySet, Role
from .standing import StandingPeriod, StandingPeriodQuerySet
from .terms import CommitteePosition, CommitteeTerm, CommitteeTermQuerySet, ElectionStep

__all__ = [
    "CommitteePosition",
    "CommitteeTerm",
    "CommitteeTermQuerySet",
    "DuesPayment",
    "ElectionStep",
    "Enterprise",
    "GroupMembership",
    "IdNumberAccess",
    "Member",
    "MemberQuerySet",
    "Membership",
    "Organization",
    "OrganizationManager",
    "OrganizationQuerySet",
    "Role",
    "StandingPeriod",
    "StandingPeriodQuerySet",
]
