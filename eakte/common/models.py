"""Building blocks shared by the models of all apps."""

import uuid

from django.db import models

from eakte.common.mandantenbereich import Mandantenmanager


class TenantOwnedModel(models.Model):
    """A row that belongs to exactly one Kommune.

    `uuid` is the public identifier used in URLs and the API: sequential ids would let a user
    of one Kommune guess how many records another Kommune has.
    """

    kommune = models.ForeignKey(
        "kommunen.Kommune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Kommune",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # Only rows of the active Bereich (eakte.common.mandantenbereich); `alle` crosses Kommunen
    # on purpose and says so at the call site.
    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        abstract = True
