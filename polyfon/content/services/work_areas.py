"""Work areas: the five of the seeds, more can be added, none is ever deleted (only made inactive)."""

from django.db import transaction
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError

from ..models import WorkArea

WORK_AREA_FIELDS = ["name", "name_nn", "name_en", "slug", "summary", "summary_nn", "summary_en", "position", "is_active"]


def work_area_save(*, actor, work_area: WorkArea | None = None, **values) -> WorkArea:
    values = {k: v for k, v in values.items() if k in WORK_AREA_FIELDS}
    with transaction.atomic():
        others = WorkArea.objects.exclude(pk=getattr(work_area, "pk", None))
        if "slug" in values and others.filter(slug=values["slug"]).exists():
            raise DomainError(_("Another work area already has this short name."), field="slug")
        if "name" in values and others.filter(name=values["name"]).exists():
            raise DomainError(_("Another work area already has this name."), field="name")
        if work_area is None:
            work_area = WorkArea.objects.create(**values)
            audit_log(obj=work_area, action="polyfon.content.work_area.created", actor=actor)
        else:
            work_area = WorkArea.objects.select_for_update().get(pk=work_area.pk)
            update_with_audit(work_area, values, actor=actor, action="polyfon.content.work_area.changed")
    return work_area
