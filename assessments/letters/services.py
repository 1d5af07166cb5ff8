"""Every change to responsibility letters (党建工作责任书), their templates and branch classifications.

DOMAIN.md "Responsibility letters and assessment": drafted → issued → signed → self_assessed → reviewed → final.
Each function is atomic, checks its own rules (state, weights, scores) and raises ValidationError in Chinese;
access (who may act for which side) is checked by the caller through assessments.letters.selectors.

Scoring (scoring.py): indicator-linked items score themselves from the records. Rates are only final once the year
has ended, so the review is refused before then (考核 is held in Q1 of the next year: scoring.latest_assessment_year);
a veto item fails when its indicator is 未达标, or when the reviewer marks a manual veto item as failed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.models import Organization

from ..indicators.selectors import indicator_choices
from . import methods
from . import selectors as letter_selectors
from .models import BranchClassification, Letter, LetterEvent, LetterItem, LetterTemplate, TemplateItem
from .scoring import auto_scores, grade_for, latest_assessment_year

S = Letter.Status
ITEM_FIELDS = ("order", "area", "content", "target", "weight", "indicator_code", "veto", *methods.METHOD_FIELDS)
FULL_MARKS = Decimal("100")


def _event(letter: Letter, status: str, user, note: str = "") -> None:
    LetterEvent.objects.create(letter=letter, status=status, user=user, at=timezone.now(), note=note)


def _lock(letter: Letter) -> Letter:
    """Lock the row and bring the caller's instance up to date (the caller keeps using the same object)."""
    Letter.objects.select_for_update().filter(pk=letter.pk).values_list("pk").first()
    letter.refresh_from_db()
    return letter


def _require(letter: Letter, *allowed: str, action: str) -> None:
    if letter.status not in allowed:
        need = "、".join(str(S(s).label) for s in allowed)
        raise ValidationError(f"责任书当前状态为“{letter.get_status_display()}”,不能{action}(需为:{need})。")


def _clean_items(items: list[dict], year: int) -> list[dict]:
    codes = {code for code, _name in indicator_choices(year)}
    cleaned = []
    for n, raw in enumerate(items, start=1):
        item = {name: raw.get(name) for name in ITEM_FIELDS}
        item["order"] = item["order"] or n
        item["target"] = item["target"] or ""
        item["indicator_code"] = item["indicator_code"] or ""
        item["veto"] = bool(item["veto"])
        methods.clean_method(item, n)
        if not (item["area"] and item["content"]):
            raise ValidationError(f"第{n}项:考核领域和工作内容不能为空。")
        weight = Decimal(str(item["weight"] if item["weight"] is not None else "-1"))
        if weight < 0:
            raise ValidationError(f"第{n}项:分值不能为负数。")
        item["weight"] = weight
        if item["indicator_code"] and item["indicator_code"] not in codes:
            raise ValidationError(f"第{n}项:{year}年度指标体系中没有指标“{item['indicator_code']}”。")
        cleaned.append(item)
    return cleaned


def weights_total(items) -> Decimal:
    return sum(
        (
            Decimal(str(getattr(i, "weight", None) if not isinstance(i, dict) else i["weight"]))
            for i in items
            if methods.counts_in_weights(i)
        ),
        Decimal(0),
    )


def _check_weights(items) -> None:
    total = weights_total(items)
    if not items:
        raise ValidationError("责任书没有考核条目。")
    if total != FULL_MARKS:
        raise ValidationError(f"各项分值合计应为100分,当前为{total.normalize():f}分。")


# ---------------------------------------------------------------- templates


@transaction.atomic
def template_create(
    *, issuer: Organization, year: int, name: str, items: list[dict] | None = None, user=None
) -> LetterTemplate:
    if issuer.kind not in (Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH):
        raise ValidationError("只有党委、党总支向下级下达责任书。")
    if LetterTemplate.objects.filter(issuer=issuer, year=year, name=name).exists():
        raise ValidationError({"name": "本单位该年度已有同名模板。"})
    template = LetterTemplate(issuer=issuer, year=year, name=name, created_by=user)
    template.full_clean()
    template.save()
    if items:
        template_set_items(template=template, items=items, user=user)
    return template


@transaction.atomic
def template_update(*, template: LetterTemplate, name: str, items: list[dict], user=None) -> LetterTemplate:
    if (
        LetterTemplate.objects.filter(issuer=template.issuer, year=template.year, name=name)
        .exclude(pk=template.pk)
        .exists()
    ):
        raise ValidationError({"name": "本单位该年度已有同名模板。"})
    template.name = name
    template.save(update_fields=["name"])
    return template_set_items(template=template, items=items, user=user)


@transaction.atomic
def template_set_items(*, template: LetterTemplate, items: list[dict], user=None) -> LetterTemplate:
    """Replace the items. Letters already issued keep their own copies, so editing never changes them.
    The total may differ from 100 while editing; issuing checks it."""
    cleaned = _clean_items(items, template.year)
    template.items.all().delete()
    TemplateItem.objects.bulk_create([TemplateItem(template=template, **item) for item in cleaned])
    return template


@dataclass
class IssueResult:
    created: list[Letter]
    skipped: list[Organization]


@transaction.atomic
def letters_issue(*, template: LetterTemplate, user=None, draft: bool = False, today: datetime.date | None = None):
    """一键下达: a letter from the template to every organization directly below the issuer.

    Idempotent: organizations that already hold a letter from this issuer for the year are skipped. The parent
    (层层分解) is the letter the issuer itself received for the year, when there is one.
    """
    today = today or timezone.localdate()
    issuer = template.issuer
    if issuer.status != Organization.Status.ACTIVE:
        raise ValidationError("下达单位已撤销。")
    items = list(template.items.all())
    _check_weights(items)
    recipients = list(letter_selectors.letter_recipients(issuer))
    if not recipients:
        raise ValidationError(f"“{issuer.name}”下没有可下达责任书的下级组织。")
    holding = set(
        Letter.objects.filter(issuer=issuer, year=template.year, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    parent = template.source_letter or letter_selectors.received_letter(issuer, template.year)
    status = S.DRAFTED if draft else S.ISSUED
    letters = [
        Letter(
            year=template.year,
            issuer=issuer,
            recipient=org,
            parent=parent,
            template=template,
            title=f"{template.year}年度党建工作责任书",
            status=status,
            issued_on=None if draft else today,
        )
        for org in recipients
        if org.pk not in holding
    ]
    Letter.objects.bulk_create(letters)
    LetterItem.objects.bulk_create(
        [
            LetterItem(letter=letter, **{name: getattr(item, name) for name in ITEM_FIELDS})
            for letter in letters
            for item in items
        ]
    )
    now = timezone.now()
    events = [
        LetterEvent(letter=lt, status=S.DRAFTED, user=user, at=now, note=f"依据模板“{template.name}”") for lt in letters
    ]
    if not draft:
        events += [LetterEvent(letter=lt, status=S.ISSUED, user=user, at=now) for lt in letters]
    LetterEvent.objects.bulk_create(events)
    return IssueResult(created=letters, skipped=[org for org in recipients if org.pk in holding])


@transaction.atomic
def letter_issue(*, letter: Letter, user=None, today: datetime.date | None = None) -> Letter:
    """A drafted letter goes out (下达); its weights must sum to 100."""
    letter = _lock(letter)
    _require(letter, S.DRAFTED, action="下达")
    _check_weights(list(letter.items.all()))
    letter.status, letter.issued_on = S.ISSUED, today or timezone.localdate()
    letter.save(update_fields=["status", "issued_on"])
    _event(letter, S.ISSUED, user)
    return letter


@transaction.atomic
def letter_sign(*, letter: Letter, user=None, today: datetime.date | None = None) -> Letter:
    letter = _lock(letter)
    _require(letter, S.ISSUED, action="签订")
    letter.status, letter.signed_on = S.SIGNED, today or timezone.localdate()
    letter.save(update_fields=["status", "signed_on"])
    _event(letter, S.SIGNED, user)
    return letter


@transaction.atomic
def letter_self_assess(*, letter: Letter, summary: str, item_texts: dict[int, str], user=None) -> Letter:
    """自评: a text per item and an overall summary. May be revised until the issuer reviews it."""
    letter = _lock(letter)
    _require(letter, S.SIGNED, S.SELF_ASSESSED, action="自评")
    if not summary.strip():
        raise ValidationError({"summary": "请填写自评总结。"})
    items = list(letter.items.all())
    for item in items:
        item.self_assessment = (item_texts.get(item.pk) or "").strip()
    LetterItem.objects.bulk_update(items, ["self_assessment"])
    revised = letter.status == S.SELF_ASSESSED
    letter.status, letter.self_assessment = S.SELF_ASSESSED, summary.strip()
    letter.save(update_fields=["status", "self_assessment"])
    _event(letter, S.SELF_ASSESSED, user, "修改自评" if revised else "")
    return letter


@transaction.atomic
def letter_review(
    *,
    letter: Letter,
    manual: dict[int, dict],
    comment: str = "",
    innovation: bool = False,
    user=None,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> Letter:
    """考核评分 by the issuer: manual items need a score (0..weight) and a comment; indicator items score themselves.

    manual: item pk -> {"score": Decimal, "comment": str, "veto_failed": bool}.
    """
    letter = _lock(letter)
    _require(letter, S.SELF_ASSESSED, S.REVIEWED, action="考核评分")
    today = today or timezone.localdate()
    if letter.year > latest_assessment_year(today):
        raise ValidationError(f"年度考核应在{letter.year}年结束后进行(一般在次年一季度)。")
    items = list(letter.items.all())
    errors: dict[str, list[str]] = {}
    for item in items:
        if item.is_computed:
            continue
        given = manual.get(item.pk) or {}
        score, text = given.get("score"), (given.get("comment") or "").strip()
        if score is None:
            errors[f"score_{item.pk}"] = ["请评分。"]
        elif not (0 <= Decimal(str(score)) <= item.weight or (item.method == "bonus" and Decimal(str(score)) > 0)):
            errors[f"score_{item.pk}"] = [f"得分应在0到{item.weight.normalize():f}分之间。"]
        if not text:
            errors[f"comment_{item.pk}"] = ["请填写评分说明。"]
    if errors:
        raise ValidationError(errors)
    autos = auto_scores(letter, items, as_of=as_of) | methods.deduction_scores(letter, items, today=as_of or today)
    for item in items:
        if item.is_computed:
            auto = autos[item.pk]
            item.score, item.indicator_rate, item.indicator_status = auto.score, auto.rate, auto.status
            item.veto_failed, item.comment = auto.veto_failed, auto.note
        else:
            given = manual[item.pk]
            item.score = methods.manual_score(item, given["score"])
            item.comment = given["comment"].strip()
            item.veto_failed = bool(item.veto and given.get("veto_failed"))
    LetterItem.objects.bulk_update(items, ["score", "indicator_rate", "indicator_status", "veto_failed", "comment"])
    total = sum((i.score for i in items), Decimal(0))
    letter.veto_triggered = any(i.veto and i.veto_failed for i in items)
    letter.total_score, letter.grade = total, grade_for(total, veto=letter.veto_triggered)
    letter.review_comment, letter.innovation = comment.strip(), innovation
    revised = letter.status == S.REVIEWED
    letter.status = S.REVIEWED
    letter.save(update_fields=["total_score", "grade", "veto_triggered", "review_comment", "innovation", "status"])
    _event(letter, S.REVIEWED, user, f"{'重新评分,' if revised else ''}总分 {total}")
    return letter


@transaction.atomic
def letter_finalize(*, letter: Letter, user=None) -> Letter:
    """定档: the reviewed score becomes final (it feeds star ratings and the ranking) and is no longer changed."""
    letter = _lock(letter)
    _require(letter, S.REVIEWED, action="定档")
    letter.status = S.FINAL
    letter.save(update_fields=["status"])
    _event(letter, S.FINAL, user, f"{letter.get_grade_display()} {letter.total_score}分")
    return letter


@transaction.atomic
def letter_cascade(*, letter: Letter, user=None, name: str = "") -> LetterTemplate:
    """层层分解: the recipient turns its signed letter into a template for its own subordinates.

    The items are copied as they stand; the recipient then adapts them and issues (一键下达). Letters issued from
    the template have this letter as their parent.
    """
    letter = _lock(letter)
    _require(letter, S.SIGNED, S.SELF_ASSESSED, S.REVIEWED, S.FINAL, action="分解下达")
    recipient = letter.recipient
    if recipient.kind not in (Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH):
        raise ValidationError("党支部不再向下分解责任书。")
    existing = LetterTemplate.objects.filter(source_letter=letter).first()
    if existing is not None:
        return existing
    name = name or f"{letter.year}年度党建工作责任书(分解)"
    template = template_create(
        issuer=recipient,
        year=letter.year,
        name=name,
        items=[{n: getattr(i, n) for n in ITEM_FIELDS} for i in letter.items.all()],
        user=user,
    )
    template.source_letter = letter
    template.save(update_fields=["source_letter"])
    return template


# ---------------------------------------------------------------- classification (党建观摩)


def _classify(*, committee: Organization, organization: Organization, year: int, level: str, user):
    if organization.kind != Organization.Kind.BRANCH or not organization.path.startswith(committee.path):
        raise ValidationError("只能评定本党委所属的党支部。")
    if not level:
        BranchClassification.objects.filter(year=year, organization=organization).delete()
        return None
    if level not in BranchClassification.Level.values:
        raise ValidationError("分类不正确。")
    if not Letter.objects.final().filter(year=year, recipient=organization).exists():
        raise ValidationError(f"“{organization.name}”{year}年度责任书尚未定档,不能评定类别。")
    classification, _ = BranchClassification.objects.update_or_create(
        year=year,
        organization=organization,
        defaults={"committee": committee, "level": level, "set_by": user},
    )
    return classification


@transaction.atomic
def branch_classify(
    *, committee: Organization, organization: Organization, year: int, level: str, user=None
) -> BranchClassification | None:
    """The committee classes a branch under it (先进/良好/一般/后进); an empty level removes the classification."""
    return _classify(committee=committee, organization=organization, year=year, level=level, user=user)


@transaction.atomic
def classification_set(
    *, committee: Organization, year: int, levels: dict[Organization, str], user=None
) -> list[BranchClassification | None]:
    """The committee classes many branches at once (the ranking page): all or none, in one transaction, each by
    the rules of branch_classify. levels: branch -> level ("" removes its classification)."""
    return [
        _classify(committee=committee, organization=organization, year=year, level=level, user=user)
        for organization, level in levels.items()
    ]
