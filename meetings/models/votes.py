"""Votes of a 支部党员大会: resolutions with their counts, and the election of a committee (DOMAIN.md "Votes and
elections"). The rules are in meetings/votes/rules.py; every write goes through meetings/votes/services.py."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meeting import Meeting

__all__ = ["Election", "ElectionCandidate", "Resolution"]


class Resolution(models.Model):
    """A resolution put to the vote at a 党员大会, with its 赞成/反对/弃权. Whether it passed is derived
    (rules.resolution_passed: in favour > half of the voting members who should attend), never stored."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="voted_resolutions"
    )
    text = models.CharField(_("决议事项"), max_length=300)
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.text


class Election(models.Model):
    """The 党员大会 election of a new committee: tied to the held meeting it took place in (its attendance gives the
    eligible and present voters) and to the ELECTION step of the 换届 procedure it records."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("党员大会"), on_delete=models.PROTECT, related_name="election"
    )
    step = models.OneToOneField(
        "branches.ElectionStep", verbose_name=_("换届程序记录"), on_delete=models.PROTECT, related_name="election"
    )
    seats = models.PositiveIntegerField(_("应选名额"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员大会选举")
        verbose_name_plural = _("党员大会选举")
        constraints = [models.CheckConstraint(name="election_has_seats", condition=Q(seats__gte=1))]

    def __str__(self):
        return f"{self.meeting} 选举"


class ElectionCandidate(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(
        "branches.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="candidacies"
    )
    votes = models.PositiveIntegerField(_("得票数"))
    elected = models.BooleanField(_("当选"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election_id", "-votes", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="candidate_once_per_election")]

    def __str__(self):
        return f"{self.member} {self.votes}票"
