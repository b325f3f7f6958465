"""Hợp nhất hai lý lịch (/kiem-tra-du-lieu/hop-nhat/?giu=A&bo=B): the two files of a duplicate
suspect side by side, a check that runs the merge and rolls it back, and the merge itself
(quality.services.person_merge: the approver role over both, the combined history replayed)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.members.models import Person
from dangvu.quality import services

from .members_actions import Outcome, run
from .members_display import birth_display
from .members_forms import InputForm
from .members_pages import form_page, person_or_404, scope_of


class MergeForm(InputForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do hợp nhất"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần ghi lý do hợp nhất hai lý lịch.")},
    )


def _id(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    if not value.isdigit():
        raise Http404(_("Lý lịch không tồn tại."))
    return int(value)


def _column(person: Person) -> list[str]:
    return [
        person.full_name,
        person.other_names or "—",
        birth_display(person),
        person.get_sex_display(),
        person.hometown or "—",
        person.citizen_id or "—",
        person.card_number or "—",
        person.organization.name,
        person.get_status_display(),
        str(person.events.count()),
    ]


ROWS = (
    gettext_lazy("Họ và tên"),
    gettext_lazy("Tên gọi khác"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Quê quán"),
    gettext_lazy("Số CCCD"),
    gettext_lazy("Số thẻ đảng viên"),
    gettext_lazy("Tổ chức đảng"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Số sự kiện"),
)


@login_required
def merge_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    keep = person_or_404(scope, _id(request, "giu"))
    remove = person_or_404(scope, _id(request, "bo"))
    form = MergeForm(request.POST if request.method == "POST" else None)

    def perform(*, dry_run: bool) -> Outcome:
        def merge() -> Outcome:
            reason = form.cleaned_data["reason"]
            kept = services.person_merge(scope=scope, keep=keep, remove=remove, reason=reason)
            return Outcome(
                event_label=_("Hợp nhất hai lý lịch"), status_label=kept.get_status_display()
            )

        return run(merge, dry_run=dry_run)

    return form_page(
        request,
        form=form,
        perform=perform,
        context={
            "keep": keep,
            "remove": remove,
            "rows": list(zip(ROWS, _column(keep), _column(remove), strict=True)),
            "swap_url": f"{request.path}?giu={remove.pk}&bo={keep.pk}",
        },
        done_url=reverse("web:member_detail", args=[keep.pk]),
        done_message=lambda outcome: (
            _("Đã hợp nhất hai lý lịch vào lý lịch của %(name)s.") % {"name": keep.full_name}
        ),
        template="web/quality/merge.html",
    )
