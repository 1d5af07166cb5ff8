"""Factories: every object goes through the same services the application uses."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from branches import services
from branches.models import Enterprise, Member, Organization
from branches.validators import make_id_number

_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "demo12345")
        if create:
            self.save(update_fields=["password"])


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    code = factory.Sequence(lambda n: f"ENT{n:03d}")


def make_organization(parent, kind, *, code=None, name=None, established_on=datetime.date(2015, 1, 1), enterprise=None):
    n = next(_seq)
    return services.organization_create(
        parent=parent,
        name=name or f"测试{Organization.Kind(kind).label}{n}",
        code=code or f"T{n:05d}",
        kind=kind,
        established_on=established_on,
        enterprise=enterprise,
    )


def make_member(branch, *, name=None, category="full", joined_on=datetime.date(2010, 7, 1), group=None, **fields):
    n = next(_seq)
    birth = fields.pop("birth_date", datetime.date(1985, 1, 1) + datetime.timedelta(days=n % 3000))
    defaults = {
        "name": name or f"党员{n}",
        "gender": Member.Gender.MALE if n % 2 else Member.Gender.FEMALE,
        "birth_date": birth,
        "education": Member.Education.BACHELOR,
        "id_number": make_id_number("110101", birth, n),
        "joined_on": joined_on,
        "full_on": joined_on + datetime.timedelta(days=365) if category == "full" else None,
        "category": category,
        "dues_base": Decimal("6000.00"),
        "phone": f"138{n:08d}",
    }
    defaults.update(fields)
    return services.member_create(organization=branch, group=group, **defaults)
