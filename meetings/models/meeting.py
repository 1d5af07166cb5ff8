"""PLACEHOLDER — the meetings engineer replaces this file with the full Meeting model."""

from django.db import models

__all__ = ["Meeting"]


class Meeting(models.Model):
    organization = models.ForeignKey("branches.Organization", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=30)
    date = models.DateField()
