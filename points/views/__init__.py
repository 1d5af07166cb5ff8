"""党员积分 pages: the branch table (print, Excel, each cell down to its records), manual items (record, approve,
refuse), the quarter's 公示 with its objections, the committee's rule set and its distribution chart.

Access (branches/access.py): read on the organization, else 404; writes need write access (SASAC 403); approving
needs a committee member of the branch other than the recorder (services.may_decide, else 403); rule sets are the
committee's (write on it).
"""

from .committee import committee, rule_edit, rule_new, rule_set_edit, rules
from .items import evidence_file, item_approve, item_detail, item_list, item_new, item_refuse
from .publications import objection_answer, publication_detail, publication_list
from .tables import branch, branch_export, branch_table, index, member_points

__all__ = [
    "branch",
    "branch_export",
    "branch_table",
    "committee",
    "evidence_file",
    "index",
    "item_approve",
    "item_detail",
    "item_list",
    "item_new",
    "item_refuse",
    "member_points",
    "objection_answer",
    "publication_detail",
    "publication_list",
    "rule_edit",
    "rule_new",
    "rule_set_edit",
    "rules",
]
