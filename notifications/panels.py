"""What the branch was reminded of, on the dashboards' gap page (assessments.dashboards.gap.register_gap_panel).

notifications sits above assessments, so it plugs its panel in rather than the gap page importing it. A reminder
about a period's records goes out in the month after the period ends (reminders/records.py), so the panel lists the
台账 and 换届 reminders sent to the organization from the start of the period to two months after its end: one line
per reminder (the same reminder to several recipients shares its dedupe key), with who received it.
"""

import datetime
from collections import OrderedDict

from django.utils import timezone

from branches.people import display_name

from .models import Notification

FOLLOW_UP = datetime.timedelta(days=62)


def gap_reminders(request, organization, period):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + FOLLOW_UP, datetime.time.max, tzinfo=tz)
    sent = (
        Notification.objects.filter(
            organization=organization,
            kind__in=(Notification.Kind.RECORD_REMINDER, Notification.Kind.TERM_REMINDER),
            created_at__range=(start, end),
        )
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    reminders: OrderedDict = OrderedDict()
    for n in sent:
        key = n.dedupe_key or f"#{n.pk}"
        entry = reminders.setdefault(key, {"notification": n, "recipients": []})
        entry["recipients"].append(display_name(n.recipient))
    return {
        "template": "notifications/gap_reminders.html",
        "context": {"reminders": list(reminders.values()), "period": period, "organization": organization},
    }
