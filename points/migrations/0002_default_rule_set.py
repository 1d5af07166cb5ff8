from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from points.default_rules import DEFAULT_EXCELLENT_TOP_PERCENT, DEFAULT_NAME, DEFAULT_RULES, DEFAULT_STARS

    RuleSet = apps.get_model("points", "RuleSet")
    Rule = apps.get_model("points", "Rule")
    rule_set, _created = RuleSet.objects.get_or_create(
        organization=None,
        name=DEFAULT_NAME,
        defaults={**DEFAULT_STARS, "excellent_top_percent": DEFAULT_EXCELLENT_TOP_PERCENT},
    )
    for order, (category, name, source, kind, points, cap_month, cap_year, evidence) in enumerate(DEFAULT_RULES, 1):
        Rule.objects.update_or_create(
            rule_set=rule_set,
            order=order * 10,
            defaults=dict(
                category=category,
                name=name,
                source=source,
                meeting_kind=kind,
                points=Decimal(points),
                cap_month=None if cap_month is None else Decimal(cap_month),
                cap_year=None if cap_year is None else Decimal(cap_year),
                evidence=evidence,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
