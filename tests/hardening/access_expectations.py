"""What the generated access matrix (test_access_matrix.py) expects of every route, from the role rules alone.

The rules (branches/access.py, STYLE.md): a role grants its organization's whole subtree; secretary and officer
write, the SASAC reviewer only reads, the superuser does everything. Anonymous visitors go to the login page
(pages) or get 401/403 (API); an object outside the user's scope answers 404 (its existence is not revealed); a
read-only user answers 403 on a write, or 405 where the route takes no writes.

Every route of the URLconf needs an entry here (ROUTES, keyed by URL name, or ADMIN_MODELS for the admin's
per-model routes): a new route without one fails the matrix, and so does an entry whose route is gone.

An entry says:
- `obj`: which fixture object fills the URL kwargs (pk, code, year, month); "in" is the object in branch A
  (secretary's, inside 企业A), "out" the one in branch C (企业B). None: the route names no object.
- `get` / `write`: the rule for GET and for the write methods (POST, PUT, PATCH, DELETE the view accepts):
    public   anyone, anonymous too (login page, password reset: listed with the reason)
    login    any signed-in user (lists filter to what the user may see)
    read     read access to the object's organization, else 404
    write    write access to the object's organization: read-only 403, none 404;
             with no object, any role that may write somewhere, else 403
    owner    only the user the object belongs to (export jobs, notifications), else 404
    root     only a role on the tree's root (国资委) or the superuser, else 403
    405      the route does not take this method
- `query` / `body`: the query string / minimal body, with {code} (the scope organization's code) and {member}
  (a member of the scope branch): a create names the organization it writes into, so an outsider gets 404.
- `special`: exact outcomes for (user, scope, method) where a documented rule differs from the general one
  ("*" matches anything); `xfail`: the same keys, for a real bug (reason says which; strict, so a fix is noticed).
"""

from dataclasses import dataclass, field

USERS = ("anonymous", "secretary", "secretary2", "committee", "sasac", "admin")

NONE, READ, WRITE = 0, 1, 2

# The fixed tree of tests/conftest.py, written out again so the expectation does not trust the code under test.
PARENT = {
    "ROOT": None,
    "EA": "ROOT",
    "EA-B1": "EA",
    "EA-B1-G1": "EA-B1",
    "EA-B2": "EA",
    "EB": "ROOT",
    "EB-B1": "EB",
}
GRANTS = {
    "secretary": {"EA-B1": WRITE},
    "secretary2": {"EA-B2": WRITE},
    "committee": {"EA": WRITE},
    "sasac": {"ROOT": READ},
    "admin": {"ROOT": WRITE},
}


def level(user: str, code: str) -> int:
    """The best grant of `user` on `code` or one of its ancestors (a role covers its whole subtree)."""
    best, node = NONE, code
    while node is not None:
        best = max(best, GRANTS.get(user, {}).get(node, NONE))
        node = PARENT[node]
    return best


def may_write_somewhere(user: str) -> bool:
    return WRITE in GRANTS.get(user, {}).values()


@dataclass(frozen=True)
class Route:
    kind: str  # "page", "api", "admin"
    obj: str | None = None
    get: str = "read"
    write: str = "write"
    query: str = ""
    body: dict | None = None
    special: dict = field(default_factory=dict)
    xfail: dict = field(default_factory=dict)
    why: str = ""


def page(obj=None, get="read", write="write", **kw):
    return Route("page", obj, get if obj else ("login" if get == "read" else get), write, **kw)


def api(obj=None, get="read", write="write", **kw):
    return Route("api", obj, get if obj else ("login" if get == "read" else get), write, **kw)


def public(why, write="public", kind="page"):
    return Route(kind, None, "public", write, why=why)


# A letter has two sides: the issuer (企业A党委, the officer `committee`) issues, reviews and finalizes; the
# recipient (支部A, its `secretary`) signs, self-assesses and cascades. Each side gets 403 on the other's steps
# (on a POST-only step, a GET is still 405); the superuser may act on both.
SIDES = "责任书分下达方与接收方:对方的步骤 403"
ISSUER_SIDE = {("secretary", "in", "POST"): "403"}
RECIPIENT_SIDE = {("committee", "in", "POST"): "403"}
ISSUER_FORM = {("secretary", "in", m): "403" for m in ("GET", "POST")}
RECIPIENT_FORM = {("committee", "in", m): "403" for m in ("GET", "POST")}

# 整改: the organization reports; only its superior committee confirms, sends back and closes (销号): the secretary
# of the item's own branch reads the item but gets 403 on the committee's steps.
VERIFY = "整改事项由上级党组织核验:本单位书记 403"
VERIFIER = {("secretary", "in", "POST"): "403"}

# 党员积分: a manual item is approved or refused by a committee member of the branch (its own 书记/委员 account) other
# than the recorder; the superior committee's officer reads it but gets 403 (the secretary recorded the "in" item: their
# own approval is a refusal with a message, not a 403).
DECIDE = "积分登记由本支部的另一名支部委员审批:上级党委工作人员 403"
DECIDER = {("committee", "in", "POST"): "403"}

ORG_BODY = {"organization": "{code}", "parent": "{code}", "member": "{member}", "org": "{code}"}
# A vote is recorded on a meeting named in the body ({meeting}: the scope's meeting; {code} marks the scope).
MEETING_BODY = {"meeting": "{meeting}", "org": "{code}"}

ROUTES: dict[str, Route] = {
    # ------------------------------------------------------------------ accounts (accounts/urls.py)
    "login": public("登录页:未登录者必须能打开;POST 空表单只重新显示表单(axes 限制失败次数)"),
    "logout": Route(
        "page",
        None,
        "405",
        "public",
        special={("*", "*", "POST"): ("ok", "login")},
        why="Django 5 只接受 POST 退出;任何人退出只影响自己的会话,之后回到登录页",
    ),
    "password_change": page(get="login", write="login", why="修改自己的密码,需登录"),
    "password_change_done": page(get="login", write="405"),
    # Password reset is not routed (issue 12 point 6): the administrator resets passwords.
    "account_tokens": page(get="login", write="login", why="本人的 API 令牌:只列出、只撤销自己的"),
    # ------------------------------------------------------------------ API: auth, schema, docs
    "api-token": Route(
        "api",
        None,
        "405",
        "public",
        special={("*", "*", "GET"): "405"},
        why="用账号密码换取令牌,本身就是登录入口(任何人可 POST,空请求体只得到 400;GET 405)",
    ),
    "api-schema": api(get="login", write="405", why="接口文档需登录(SPECTACULAR SERVE_PERMISSIONS)"),
    "api-docs": api(get="login", write="405", why="接口文档页需登录"),
    # ------------------------------------------------------------------ API: branches
    "api-organization-list": api(body=ORG_BODY),
    "api-organization-detail": api("org"),
    "api-member-list": api(body=ORG_BODY),
    "api-member-detail": api("member"),
    "api-member-transfer": api("member", get="405"),
    "api-term-list": api(body=ORG_BODY),
    "api-term-detail": api("term", write="405"),
    "api-term-extend": api("term", get="405"),
    "api-term-early-election": api("term", get="405"),
    "api-rubric-list": api(write="405"),
    "api-rubric-detail": api("rubric", write="405"),
    "api-rubric-score": api("rubric", write="405", query="org={code}"),
    "api-rubric-copy": api("rubric", get="405", why="沿用:复制到新年度,需本党委写权限"),
    "api-inspection-round-list": api(body={"committee": "{code}"}, why="开展观摩:组织单位需写权限"),
    "api-inspection-round-detail": api("round", write="405"),
    "api-inspection-round-scores": api("round", write="405"),
    "api-rectification-item-list": api(write="405"),
    "api-rectification-item-detail": api("rectification", write="405"),
    "api-rectification-item-report": api("rectification", get="405"),
    "api-rectification-item-confirm": api("rectification", get="405", special=VERIFIER, why=VERIFY),
    "api-rectification-item-dismiss": api("rectification", get="405", special=VERIFIER, why=VERIFY),
    "api-rectification-item-send-back": api("rectification", get="405", special=VERIFIER, why=VERIFY),
    "api-rectification-item-close": api("rectification", get="405", special=VERIFIER, why=VERIFY),
    # ------------------------------------------------------------------ API: points (党员积分)
    "api-point-rule-set-list": api(write="405"),
    "api-point-rule-set-detail": api("ruleset", write="405"),
    "api-points-branch": api("org", write="405", query="year=2025"),
    "api-point-item-list": api(body=ORG_BODY, why="登记积分:写入 organization 指定的党支部"),
    "api-point-item-detail": api("pointitem", write="405"),
    "api-point-item-approve": api("pointitem", get="405", special=DECIDER, why=DECIDE),
    "api-point-item-refuse": api("pointitem", get="405", special=DECIDER, why=DECIDE),
    "api-dues-payment-list": api(body=ORG_BODY),
    "api-dues-payment-detail": api("dues"),
    # ------------------------------------------------------------------ API: meetings, talks, reviews
    "api-meeting-list": api(body=ORG_BODY),
    "api-meeting-detail": api(
        "meeting",
        special={(u, "*", "PUT"): ("403", "405") if u == "sasac" else "405" for u in USERS[1:]},
        why="会议只接受 PATCH 局部修改,PUT 对任何人 405(不查对象,不泄露存在与否)",
    ),
    "api-meeting-amendments": api("meeting"),
    "api-meeting-archive": api("meeting", get="405"),
    "api-meeting-attendance": api("meeting"),
    "api-meeting-hold": api("meeting", get="405"),
    "api-resolution-list": api(body=MEETING_BODY),
    "api-resolution-detail": api("resolution", write="405"),
    "api-election-list": api(body=MEETING_BODY),
    "api-election-detail": api("election", write="405"),
    "api-talk-list": api(body=ORG_BODY),
    "api-talk-detail": api("talk"),
    "api-member-review-list": api(body=ORG_BODY),
    "api-member-review-detail": api("review"),
    "api-member-review-follow-up-done": api("review", get="405"),
    # ------------------------------------------------------------------ API: recruitment (发展党员)
    "api-recruitment-person-list": api(body=ORG_BODY),
    "api-recruitment-person-detail": api("person", write="405"),
    "api-recruitment-person-record-step": api("person", get="405"),
    "api-recruitment-step-list": api(write="405"),
    "api-recruitment-step-detail": api("step", write="405"),
    "api-recruitment-person-record-thought-report": api("person", get="405"),
    "api-recruitment-thought-report-list": api(write="405"),
    "api-recruitment-thought-report-detail": api("thoughtreport", write="405"),
    # ------------------------------------------------------------------ API: indicators (read only)
    "api-indicator-results": api("org", write="405", query="org={code}&year=2025"),
    "api-indicator-summary": api("committee", write="405", query="under={code}&year=2025"),
    # ------------------------------------------------------------------ branches pages
    "branches:home": page(get="login", write="read"),
    "branches:tree": page(get="login", write="read"),
    "branches:org_detail": page("org", write="read"),
    "branches:org_create": page("org", get="write"),
    "branches:org_edit": page("org", get="write"),
    "branches:term_start": page("org", get="write"),
    "branches:election_step_create": page("org", get="write"),
    "branches:term_detail": page("term", write="read"),
    "branches:term_extend": page("term", get="write"),
    "branches:term_early_election": page("term", get="write"),
    "branches:member_list": page(get="login", write="read"),
    "branches:member_create": page("org", get="write", query="org={code}"),
    "branches:member_detail": page(
        "member",
        special={("secretary", "in", "POST"): "403"},
        why="POST 查看完整身份证号(留痕):只有组织部门(党委)和管理员可以,支部书记 403",
    ),
    "branches:member_edit": page("member", get="write"),
    "branches:member_transfer": page("member", get="write"),
    "branches:member_leave": page("member", get="write"),
    "branches:branches_roster": page(get="login", write="405"),
    "branches:branches_roster_template": page(get="write", write="405"),
    "branches:branches_roster_import": page(get="write", write="write"),
    "branches:dues_index": page(get="login", write="read"),
    "branches:dues_year": page("org", write="read"),
    "branches:dues_month": page("dues", write="write"),
    # ------------------------------------------------------------------ meetings pages
    "meetings:meeting_list": page(get="login", write="read"),
    "meetings:meeting_create": page("org", get="write", query="org={code}", body=ORG_BODY),
    "meetings:meeting_quick_record": page("org", get="write", query="org={code}", body=ORG_BODY),
    "meetings:plan_quick": page("org", get="405", body=ORG_BODY),
    "meetings:year_plan": page("org", write="read", query="org={code}"),
    "meetings:calendar": page("org", write="read", query="org={code}"),
    "meetings:meeting_detail": page("meeting", write="read"),
    "meetings:meeting_edit": page("meeting", get="write"),
    "meetings:meeting_record": page("meeting", get="write"),
    "meetings:meeting_archive": page("meeting", get="405"),
    "meetings:meeting_delete": page("meeting", get="405"),
    "meetings:meeting_amend": page("meeting", get="write"),
    "meetings:attachment_upload": page("meeting", get="405"),
    "meetings:resolution_create": page("meeting", get="405"),
    "meetings:election_record": page("meeting", get="write"),
    "meetings:attachment_download": page("attachment", write="read"),
    "meetings:attachment_delete": page("attachment", get="405"),
    "meetings:talk_index": page(get="login", write="read"),
    "meetings:talk_list": page("org", write="read"),
    "meetings:talk_new": page("org", get="write"),
    "meetings:talk_detail": page("talk", write="read"),
    "meetings:talk_edit": page("talk", get="write"),
    "meetings:talk_delete": page("talk", get="405"),
    "meetings:review_index": page(get="login", write="read"),
    "meetings:review_list": page("org", write="read"),
    "meetings:review_year": page("org", write="write"),
    "meetings:review_detail": page("review", write="read"),
    "meetings:review_follow_up_done": page("review", get="405"),
    # ------------------------------------------------------------------ assessments: dashboards
    "assessments:dashboards": page(get="login", write="405"),
    "assessments:scorecard": page("org", write="405"),
    "assessments:committee_dashboard": page("committee", write="405"),
    "assessments:sasac_dashboard": page(get="root", write="405"),
    "assessments:gap": page("org", write="405"),
    "assessments:sasac_screen": page(get="root", write="405"),
    "assessments:coverage_overview": page(get="login", write="405"),
    "assessments:committee_screen": page("committee", write="405"),
    # ------------------------------------------------------------------ assessments: responsibility letters
    "assessments:letter_list": page(get="login", write="read"),
    "assessments:letter_template_list": page(get="login", write="read"),
    "assessments:letter_template_create": page(
        get="write",
        special={(u, "-", m): "403" for u in ("secretary", "secretary2") for m in ("GET", "POST")},
        why="只有党委、党总支下达责任书:支部书记 403",
    ),
    "assessments:letter_template_edit": page("template", get="write"),
    "assessments:letter_template_issue": page("template", get="write", why="GET 是下达前的确认页,同样要求写权限"),
    "assessments:letter_ranking": page("committee", write="write"),
    "assessments:letter_detail": page("letter", write="read"),
    "assessments:letter_issue": page("letter", get="405", special=ISSUER_SIDE, why=SIDES),
    "assessments:letter_sign": page("letter", get="405", special=RECIPIENT_SIDE, why=SIDES),
    "assessments:letter_self_assess": page("letter", get="write", special=RECIPIENT_FORM, why=SIDES),
    "assessments:letter_review": page("letter", get="write", special=ISSUER_FORM, why=SIDES),
    "assessments:letter_finalize": page("letter", get="405", special=ISSUER_SIDE, why=SIDES),
    "assessments:letter_cascade": page("letter", get="405", special=RECIPIENT_SIDE, why=SIDES),
    "assessments:letter_print": page("letter", write="read"),
    # ------------------------------------------------------------------ assessments: 考核细则 and 整改 (issue 17)
    "assessments:rubric_score": page("org", write="405"),
    "assessments:rubric_list": page(get="login", write="405"),
    "assessments:rubric_detail": page("rubric", write="405"),
    "assessments:rubric_new": page("committee", get="write", why="制定考核细则:需本党委写权限(国资委仅对本级)"),
    "assessments:rubric_edit": page("rubric", get="write"),
    "assessments:rubric_copy": page("rubric", get="405", why="沿用:复制到新年度,需本党委写权限"),
    "assessments:rectification_list": page(get="login", write="405"),
    "assessments:rectification_detail": page("rectification", write="405"),
    "assessments:rectification_report": page("rectification", get="405"),
    "assessments:rectification_confirm": page("rectification", get="405", special=VERIFIER, why=VERIFY),
    "assessments:rectification_dismiss": page("rectification", get="405", special=VERIFIER, why=VERIFY),
    "assessments:rectification_return": page("rectification", get="405", special=VERIFIER, why=VERIFY),
    "assessments:rectification_close": page("rectification", get="405", special=VERIFIER, why=VERIFY),
    "assessments:rectification_evidence": page("evidence", write="405"),
    "assessments:rectification_proposals": page("committee", why="POST 从数据中查找问题,写入待确认问题"),
    "assessments:rectification_dashboard": page("committee", write="405"),
    "assessments:rectification_export": page("committee", write="405"),
    # ------------------------------------------------------------------ points (党员积分)
    "points:index": page(get="login", write="405"),
    "points:branch": page("org", write="405"),
    "points:branch_table": page("org", write="405"),
    "points:branch_export": page("org", write="405"),
    "points:member_points": page("member", write="405"),
    "points:item_list": page("org", write="405"),
    "points:item_new": page("org", get="write", why="登记积分的表单:只有本支部(可写)打开"),
    "points:publication_list": page("org", why="POST 发布季度公示"),
    "points:item_detail": page("pointitem", write="405"),
    "points:item_approve": page("pointitem", get="405", special=DECIDER, why=DECIDE),
    "points:item_refuse": page("pointitem", get="405", special=DECIDER, why=DECIDE),
    "points:evidence_file": page("pointevidence", write="405"),
    "points:publication_detail": page("publication", why="POST 登记异议"),
    "points:objection_answer": page("objection", get="405"),
    "points:committee": page("committee", write="405"),
    "points:rules": page("committee", why="POST 沿用上年方案,需本党委写权限"),
    "points:rule_set_edit": page("ruleset", get="405"),
    "points:rule_new": page("ruleset", get="405"),
    "points:rule_edit": page("pointrule", get="405"),
    "assessments:inspection_list": page(get="login", write="405"),
    "assessments:inspection_showcases": page(get="login", write="405", why="示范点与经验供所有组织学习"),
    "assessments:inspection_detail": page("round", write="405"),
    "assessments:inspection_finish": page("round", get="405"),
    "assessments:inspection_new": page("committee", get="write", why="开展观摩督查:需本党委写权限(国资委仅对本级)"),
    "assessments:inspection_showcase_new": page("round", get="write", why="选树示范点与经验:组织单位写权限"),
    "assessments:inspection_export": page("round", write="405"),
    "assessments:inspection_visit": page(
        "visit",
        get="write",
        special={("secretary", "in", "*"): "404"},
        why="只有本轮观摩组成员评分;被观摩支部的书记看不到观摩组的评分页(404)",
    ),
    # ------------------------------------------------------------------ notifications (the recipient's own)
    "notifications:list": page(get="login", write="read"),
    "notifications:read_all": page(get="405", write="login", why="只把自己的通知标为已读"),
    "notifications:read": page("notification", get="405", write="owner"),
    "notifications:open": page("notification", get="405", write="owner"),
    # ------------------------------------------------------------------ ledgers (三本一表)
    "ledgers:job_list": page(get="login", write="read"),
    "ledgers:export_new": page(
        "committee",
        get="login",
        write="read",
        body={"organization": "{code}"},
        special={("secretary", "in", "POST"): "ok"},
        why="批量导出:范围是上级组织;支部书记提交企业A党委时表单校验拒绝(200 重新显示,无写入),不是 404",
    ),
    "ledgers:job_detail": page("job", get="owner", write="owner"),
    "ledgers:job_status": page("job", get="owner", write="405"),
    "ledgers:job_download": page(
        "job",
        get="owner",
        write="405",
        special={("secretary", "in", "GET"): "404"},
        why="任务仍在排队,没有文件:本人也得到 404(“导出文件不存在”)",
    ),
    "ledgers:branch_ledger": page("org", write="405"),
    "ledgers:branch_ledger_current": page("org", write="405"),
    "ledgers:branch_ledger_pdf": page("org", write="405"),
    "ledgers:branch_ledger_pdf_current": page("org", write="405"),
    # ------------------------------------------------------------------ recruitment (发展党员)
    "recruitment:index": page(get="login", write="read"),
    "recruitment:branch": page("org", write="read"),
    "recruitment:person_new": page("org", get="write"),
    "recruitment:register_export": page("org", write="read"),
    "recruitment:people_import": page("org", get="write"),
    "recruitment:import_template": page("org", get="write"),
    "recruitment:overview": page("committee", write="read"),
    "recruitment:plan_set": page("committee", get="write", why="发展计划由党委设定(支部书记对本支部同样 403)"),
    "recruitment:person_detail": page("person", write="read"),
    "recruitment:step_new": page("person", get="write"),
    "recruitment:report_new": page("person", get="write"),
    "recruitment:person_transfer": page("person", get="write"),
    "recruitment:person_leave": page("person", get="write"),
    "recruitment:record_docx": page("person", write="read"),
    "recruitment:publicity_docx": page("person", write="read"),
    "recruitment:filing_docx": page("person", write="read"),
    "recruitment:document_upload": page("step", get="405"),
    "recruitment:document_download": page("recruitdoc", write="read"),
}

# The admin: every registered model's routes (changelist, add, change, delete, history, simple-history, treebeard
# moves) and the site's own routes are for staff only; our only staff user is the superuser `admin`. The cast's
# other users are not staff: the admin sends them, like anonymous visitors, to its own login page.
ADMIN_MODELS = {
    "points.ruleset": "积分方案(只读)",
    "points.manualitem": "积分登记(只读)",
    "points.publication": "积分公示(只读)",
    "auth.group": "账号分组",
    "auth.user": "账号",
    "authtoken.tokenproxy": "API 令牌",
    "django_celery_beat.periodictask": "定时任务",
    "django_celery_beat.clockedschedule": "定时任务",
    "django_celery_beat.crontabschedule": "定时任务",
    "django_celery_beat.solarschedule": "定时任务",
    "django_celery_beat.intervalschedule": "定时任务",
    "axes.accessattempt": "登录失败记录",
    "axes.accesslog": "登录记录",
    "axes.accessfailurelog": "登录失败记录",
    "branches.enterprise": "企业",
    "branches.organization": "党组织(含 treebeard 移动、下级、simple-history)",
    "branches.member": "党员",
    "branches.committeeterm": "委员会届次",
    "branches.electionstep": "换届程序",
    "branches.membership": "组织关系",
    "branches.role": "角色授权",
    "branches.idnumberaccess": "身份证号查看审计记录",
    "meetings.meeting": "会议记录",
    "meetings.meetingamendment": "更正说明",
    "meetings.talk": "谈心谈话",
    "meetings.memberreview": "民主评议",
    "assessments.indicator": "硬指标",
    "assessments.lettertemplate": "责任书模板",
    "assessments.letter": "责任书",
    "assessments.branchclassification": "支部分类",
    "assessments.rubric": "考核细则(只读)",
    "assessments.rectificationitem": "整改事项(只读)",
    "notifications.organizationwebhook": "群机器人",
    "notifications.notification": "站内通知",
    "notifications.delivery": "推送记录",
    "notifications.reminderlog": "提醒记录",
    "ledgers.exportjob": "导出任务",
    "recruitment.person": "发展党员人员(只读)",
    "recruitment.step": "发展党员步骤(只读)",
    "recruitment.stepdocument": "发展党员材料(只读)",
    "recruitment.persontransfer": "培养关系转接(只读)",
    "recruitment.thoughtreport": "思想汇报(只读)",
    "recruitment.developmentplan": "发展计划(只读)",
}
ADMIN_SITE_ROUTES = {
    "admin:index": "后台首页",
    "admin:login": "后台登录页:未登录者必须能打开",
    "admin:logout": "后台退出",
    "admin:password_change": "后台改密码",
    "admin:password_change_done": "后台改密码完成页",
    "admin:autocomplete": "后台自动完成",
    "admin:jsi18n": "后台脚本翻译",
    "admin:view_on_site": "后台“在站点查看”跳转",
    "admin:app_list": "后台应用首页",
    "admin/(?P<url>.*)$": "后台兜底路由(APPEND_SLASH 跳转或 404)",
}
# Admin routes that do not follow "staff only, everyone else to the admin login page", with the reason.
ADMIN_PUBLIC = {
    "admin:login": "登录页本身",
    "admin:logout": "退出只影响自己的会话;Django 5 仅接受 POST",
    "admin:javascript-catalog": "treebeard 的翻译脚本,只含翻译文本,无数据",
}
# Real faults found by the matrix in admin routes: (route key, method, user) -> reason (xfail, strict).
ADMIN_XFAIL: dict = {}

ADMIN_WRITE_SUFFIXES = ("add/", "change/", "delete/", "password/", "move/")
