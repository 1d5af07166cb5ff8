"""The default rule set, following a published scheme (a refinery's 党员积分制, DOMAIN.md "积分 and 星级"): 基础评价分
(organizational life, dues, talks) + 履职尽责分 (党课, committee, group, 培养联系人, 入党介绍人) + 激励约束分 (awards and
volunteer service added, 无故缺席 deducted). No daily quotas, no points for logins, clicks or study minutes (2024 rules).
Data only: the data migration loads it; a committee copies it and edits its copy (points/services.py)."""

DEFAULT_NAME = "默认积分方案(参照企业党员积分制)"
DEFAULT_STARS = {"star2_min": 30, "star3_min": 45, "star4_min": 55, "star5_min": 65}
DEFAULT_EXCELLENT_TOP_PERCENT = 0

# (category, name, source, meeting kind, points, cap per month, cap per year, evidence)
DEFAULT_RULES = [
    ("basic", "参加支部党员大会", "attendance", "branch_assembly", 2, None, 8, ""),
    ("basic", "参加党小组会", "attendance", "group_meeting", 1, 1, 12, ""),
    ("basic", "参加党课", "attendance", "party_lecture", 2, None, 8, ""),
    ("basic", "参加主题党日", "attendance", "theme_day", 1, 1, 12, ""),
    ("basic", "参加组织生活会", "attendance", "org_life", 3, None, 3, ""),
    ("basic", "按时足额交纳党费", "dues", "", 1, 1, 12, ""),
    ("basic", "参加谈心谈话", "talk", "", 1, None, 2, ""),
    ("duty", "参加支部委员会", "attendance", "branch_committee", 1, 1, 12, ""),
    ("duty", "担任支部委员", "committee", "", 1, 1, 12, ""),
    ("duty", "主持党小组会", "group_leader", "", 1, 1, 12, ""),
    ("duty", "讲授党课", "lecture", "", 5, None, 10, ""),
    ("duty", "担任培养联系人", "contact", "", 3, None, 6, ""),
    ("duty", "担任入党介绍人", "introducer", "", 3, None, 6, ""),
    ("incentive", "无故缺席组织生活", "unexcused", "", -3, None, 15, ""),
    ("incentive", "获得表彰奖励", "manual", "", 5, None, 10, "表彰文件或证书"),
    ("incentive", "参加志愿服务", "manual", "", 1, 2, 10, "活动照片或组织方证明"),
    ("incentive", "群众、社区反映的好人好事", "manual", "", 2, None, 6, "社区或群众来信来电等证明"),
    ("incentive", "受到批评教育或组织处理", "manual", "", -5, None, 20, "处理决定或谈话记录"),
]
