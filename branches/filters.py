"""django-filter FilterSets of the branches UI."""

import django_filters
from django.db.models import Q

from .access import visible_organizations_q
from .models import Member, Organization


class MemberFilter(django_filters.FilterSet):
    """Filters on top of selectors.member_list(user): that queryset already holds only what the user may see,
    so an organization code outside the user's reach simply yields nothing."""

    q = django_filters.CharFilter(label="姓名/电话", method="filter_q")
    org = django_filters.CharFilter(label="组织名称", method="filter_org")
    category = django_filters.ChoiceFilter(label="党员类别", choices=Member.Category.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="党籍状态", choices=Member.Status.choices, empty_label="全部状态")
    gender = django_filters.ChoiceFilter(label="性别", choices=Member.Gender.choices, empty_label="全部性别")
    education = django_filters.ChoiceFilter(label="学历", choices=Member.Education.choices, empty_label="全部学历")

    organization = None  # set by filter_org, for the page title

    class Meta:
        model = Member
        fields = ["q", "org", "category", "status", "gender", "education"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.form.fields.items():
            css = "form-select" if name in ("category", "status", "gender", "education") else "form-control"
            form_field.widget.attrs.update({"class": css, "aria-label": str(form_field.label)})

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value))

    def filter_org(self, queryset, name, value):
        # A code (links carry one) or the name a person types: exact first, then the first containing it.
        value = value.strip()
        named = Organization.objects.order_by("path")
        if self.request is not None:  # a name matches only what the user may see
            named = named.filter(visible_organizations_q(self.request.user))
        organization = (
            named.filter(code=value).first()
            or named.filter(name=value).first()
            or named.filter(name__icontains=value).first()
        )
        self.organization = organization
        if organization is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=organization.path)
