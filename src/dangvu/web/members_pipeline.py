"""The steps of the candidates pipeline as forms (members.candidates), each checked in a dry
run before it is saved like the lifecycle actions, and each saying what the candidate still
lacks after it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.members import candidates, selectors
from dangvu.members.models import Candidate, MemberStatus, SponsorKind
from dangvu.members.rules import CandidateLack as L

from . import members_forms as f
from .members_actions import Outcome, run
from .members_pages import MAX_ID, form_page, person_or_404, scope_of

SPONSORS_LISTED = 500


@dataclass(frozen=True)
class Step:
    slug: str  # /quan-chung/<id>/<slug>/
    label: str
    form: type[f.InputForm]
    perform: Callable[[Scope, Candidate, Any], Any]
    lacks: frozenset[str] = frozenset()  # the lacks this step makes good


def _certificate(scope, candidate, form):
    data = form.cleaned_data
    return candidates.candidate_record_certificate(
        scope=scope,
        candidate=candidate,
        number=data["number"],
        issued_on=data["issued_on"],
        issuing_body=data.get("issuing_body", ""),
    )


def _sponsor(scope, candidate, form):
    data = form.cleaned_data
    member = None
    if data["kind"] == SponsorKind.MEMBER and data.get("sponsor"):
        member = selectors.person_get(scope=scope, pk=int(data["sponsor"]))
    return candidates.candidate_add_sponsor(
        scope=scope,
        candidate=candidate,
        kind=data["kind"],
        sponsored_on=data["sponsored_on"],
        sponsor=member,
        worked_with_since=data.get("worked_with_since"),
        resolution_symbol=data.get("resolution_symbol", ""),
        issuing_body=data.get("issuing_body", ""),
    )


def _background_check(scope, candidate, form):
    data = form.cleaned_data
    return candidates.candidate_record_background_check(
        scope=scope,
        candidate=candidate,
        checked_on=data["checked_on"],
        result=data["result"],
        note=data.get("note", ""),
    )


def _application(scope, candidate, form):
    return candidates.candidate_record_application(
        scope=scope, candidate=candidate, applied_on=form.cleaned_data["applied_on"]
    )


def _vote(scope, candidate, form):
    data = form.cleaned_data
    return candidates.candidate_record_vote(
        scope=scope,
        candidate=candidate,
        vote_date=data["vote_date"],
        votes_in_favour=data["votes_in_favour"],
        full_members=data["full_members"],
    )


def _withdraw(scope, candidate, form):
    data = form.cleaned_data
    return candidates.candidate_withdraw(
        scope=scope, candidate=candidate, withdrawn_on=data["withdrawn_on"], reason=data["reason"]
    )


STEPS: tuple[Step, ...] = (
    Step("giay-chung-nhan", _("Ghi giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"),
         f.CertificateForm, _certificate, frozenset({L.CERTIFICATE, L.CERTIFICATE_EXPIRED})),
    Step("nguoi-gioi-thieu", _("Thêm người giới thiệu"), f.SponsorForm, _sponsor,
         frozenset({L.SPONSORS})),
    Step("tham-tra-ly-lich", _("Ghi kết quả thẩm tra lý lịch"), f.BackgroundCheckForm,
         _background_check, frozenset({L.BACKGROUND_CHECK, L.BACKGROUND_CHECK_FAILED})),
    Step("don-xin-vao-dang", _("Ghi đơn xin vào Đảng"), f.ApplicationForm, _application,
         frozenset({L.APPLICATION})),
    Step("bieu-quyet", _("Ghi kết quả chi bộ xét kết nạp"), f.VoteForm, _vote,
         frozenset({L.VOTE, L.VOTE_FAILED})),
    Step("dung-xem-xet", _("Dừng xem xét"), f.CandidateWithdrawalForm, _withdraw),
)  # fmt: skip
BY_SLUG = {step.slug: step for step in STEPS}


def steps_for(candidate: Candidate) -> list[Step]:
    """The steps that make good what the candidate lacks (candidates.with_missing), in order."""
    return [step for step in STEPS if step.lacks & set(candidate.missing)]


def _remaining(scope: Scope, pk: int) -> list[str]:
    candidate = candidates.candidate_get(scope=scope, pk=pk)
    return [
        lack.label for lack in candidates.with_missing([candidate], today=clock.today())[0].missing
    ]


def _candidate(scope: Scope, pk: int) -> Candidate:
    if pk > MAX_ID:
        raise Http404(gettext("Quần chúng ưu tú không tồn tại."))
    try:
        return candidates.candidate_get(scope=scope, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from None


def _board_url(candidate: Candidate) -> str:
    return f"{reverse('web:candidate_board')}?to_chuc={candidate.organization.code}"


@login_required
@require_http_methods(["GET", "POST"])
def candidate_step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    step = BY_SLUG.get(slug)
    if step is None:
        raise Http404(gettext("Không có bước này."))
    scope = scope_of(request)
    candidate = _candidate(scope, pk)
    data = request.POST if request.method == "POST" else None
    extra: dict[str, Any] = {}
    if step.form is f.SponsorForm:  # the full members of the cell (another is chosen by the API)
        extra["members"] = selectors.person_list(
            scope=scope, organization=candidate.organization, status=MemberStatus.FULL
        ).exclude(pk=candidate.person_id)[:SPONSORS_LISTED]
    form = step.form(data, **extra)

    def perform(*, dry_run: bool) -> Outcome:
        def act() -> Outcome:
            step.perform(scope, candidate, form)
            return Outcome(event_label=step.label, remaining=_remaining(scope, candidate.pk))

        return run(act, dry_run=dry_run)

    person = candidate.person
    return form_page(
        request,
        form=form,
        perform=perform,
        context={
            "action": step,
            "person": person,
            "summary": [
                (gettext("Chi bộ"), candidate.organization.name),
                (gettext("Đưa vào danh sách"), f"{candidate.registered_on:%d/%m/%Y}"),
                (gettext("Tình trạng"), candidate.get_status_display()),
            ],
            "back_url": _board_url(candidate),
            "back_label": gettext("Quần chúng ưu tú"),
            "section": "candidates",
        },
        done_url=_board_url(candidate),
        done_message=lambda outcome: (
            gettext("Đã ghi nhận «%(step)s» cho %(name)s.")
            % {"step": step.label, "name": person.full_name}
        ),
    )


REGISTER = {"label": _("Đưa vào danh sách quần chúng ưu tú")}


@login_required
@require_http_methods(["GET", "POST"])
def candidate_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A person with no Party membership enters the pipeline of their cell."""
    scope = scope_of(request)
    person = person_or_404(scope, pk)
    form = f.RegisterForm(request.POST if request.method == "POST" else None)

    def perform(*, dry_run: bool) -> Outcome:
        def act() -> Outcome:
            candidate = candidates.candidate_register(
                scope=scope, person=person, registered_on=form.cleaned_data["registered_on"]
            )
            return Outcome(event_label=REGISTER["label"], remaining=_remaining(scope, candidate.pk))

        return run(act, dry_run=dry_run)

    return form_page(
        request,
        form=form,
        perform=perform,
        context={
            "action": REGISTER,
            "person": person,
            "summary": [
                (gettext("Tình trạng"), person.get_status_display()),
                (gettext("Chi bộ"), person.organization.name),
            ],
        },
        done_url=f"{reverse('web:candidate_board')}?to_chuc={person.organization.code}",
        done_message=lambda outcome: (
            gettext("Đã đưa %(name)s vào danh sách quần chúng ưu tú.") % {"name": person.full_name}
        ),
    )


urlpatterns = [
    path("quan-chung/<int:pk>/<slug:slug>/", candidate_step, name="candidate_step"),
    path("dang-vien/<int:pk>/dua-vao-danh-sach/", candidate_register, name="candidate_register"),
]
