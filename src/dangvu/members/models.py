from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from dangvu.organizations.models import OPEN_END

from .events import MemberEventKind
from .reference import ETHNICITIES, KINH, POLITICAL_THEORY, RELIGIONS


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class MemberStatus(models.TextChoices):
    """Where a person stands towards the Party; derived from their lifecycle events."""

    NONE = "", "Chưa là đảng viên"
    PROBATIONARY = "probationary", "Đảng viên dự bị"
    FULL = "full", "Đảng viên chính thức"
    STRUCK_OFF = "struck_off", "Đã xóa tên"
    EXPELLED = "expelled", "Đã khai trừ"
    WITHDRAWN = "withdrawn", "Đã cho ra khỏi Đảng"
    DECEASED = "deceased", "Đã từ trần"


class Person(models.Model):
    """A personal file (lý lịch): of a party member, or of a candidate preparing to join.

    The name's Vietnamese sort key and folded search text are derived from the name by the
    services, in the same write.
    """

    full_name = models.CharField("họ và tên", max_length=128)
    family_name = models.CharField("họ", max_length=32, blank=True)
    middle_name = models.CharField("tên đệm", max_length=64, blank=True)
    given_name = models.CharField("tên", max_length=32)
    other_names = models.CharField("tên gọi khác", max_length=128, blank=True)
    name_sort_key = models.CharField(max_length=600, editable=False)
    search_text = models.CharField(max_length=400, editable=False)

    # as precise as the paper file: year only, month and year, or the full date
    birth_year = models.PositiveSmallIntegerField("năm sinh")
    birth_month = models.PositiveSmallIntegerField("tháng sinh", null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField("ngày sinh", null=True, blank=True)
    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    ethnicity = models.CharField("dân tộc", max_length=2, choices=ETHNICITIES, default=KINH)
    religion = models.CharField("tôn giáo", max_length=16, choices=RELIGIONS, blank=True)

    hometown = models.CharField("quê quán", max_length=255, blank=True)
    birthplace = models.CharField("nơi sinh", max_length=255, blank=True)
    permanent_residence = models.CharField("nơi thường trú", max_length=255, blank=True)
    permanent_province_code = models.PositiveSmallIntegerField(null=True, blank=True)
    current_residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    current_province_code = models.PositiveSmallIntegerField(null=True, blank=True)

    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=16, blank=True)
    qualification = models.CharField("chuyên môn, nghiệp vụ", max_length=128, blank=True)
    political_theory = models.CharField(
        "lý luận chính trị", max_length=16, choices=POLITICAL_THEORY, blank=True
    )
    state_management = models.CharField("quản lý nhà nước", max_length=64, blank=True)
    foreign_language = models.CharField("ngoại ngữ", max_length=64, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=128, blank=True)
    work_unit = models.CharField("đơn vị công tác", max_length=255, blank=True)
    job_position = models.CharField("chức vụ", max_length=128, blank=True)
    card_number = models.CharField(
        "số thẻ đảng viên", max_length=16, null=True, blank=True, unique=True
    )

    # Projection of the lifecycle events (members.history), rewritten with each event.
    status = models.CharField(
        "tình trạng", max_length=16, choices=MemberStatus.choices, blank=True, default=""
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        related_name="people",
    )
    admission_decision_date = models.DateField("ngày quyết định kết nạp", null=True, blank=True)
    ceremony_date = models.DateField("ngày lễ kết nạp", null=True, blank=True)
    full_member_date = models.DateField("ngày chính thức", null=True, blank=True)
    exempt = models.BooleanField("miễn công tác và sinh hoạt", default=False)
    left_on = models.DateField("ngày ra khỏi Đảng", null=True, blank=True)
    # an official transfer on its way: left the cell above, not yet received by this one
    transfer_to = models.ForeignKey(
        "organizations.Organization",
        verbose_name="đang chuyển đến",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_people",
    )
    transfer_left_on = models.DateField("ngày chuyển đi", null=True, blank=True)
    # a temporary transfer: attends the host cell, still counted in the home cell
    temporary_at = models.ForeignKey(
        "organizations.Organization",
        verbose_name="sinh hoạt tạm thời tại",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="temporary_people",
    )
    temporary_until = models.DateField("sinh hoạt tạm thời đến ngày", null=True, blank=True)
    # the first admission moved on by the days that do not count (out of the Party, between
    # two cells): party age on D is the time from here to D
    party_age_from = models.DateField("ngày tính tuổi đảng", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "lý lịch"
        verbose_name_plural = "lý lịch"
        ordering = ["name_sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | models.Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True)
                | models.Q(birth_month__isnull=False, birth_day__gte=1, birth_day__lte=31),
                name="person_birth_day_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="person_org_status_idx"),
            # the lists' order (name, then id); the scope's and the status's columns included,
            # so a page's ids are read from the index alone and only its rows from the table
            models.Index(
                fields=["name_sort_key", "id"],
                include=["organization", "status"],
                name="person_list_order_idx",
            ),
            models.Index(fields=["search_text"], name="person_search_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


class PersonPhoto(models.Model):
    """The photo of a personal file, kept in the database (not on an app server's disk), so
    the app stays stateless and a database backup holds it; apart from Person so that lists
    never load it."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="photo", verbose_name="người"
    )
    content = models.BinaryField("ảnh")
    content_type = models.CharField("loại ảnh", max_length=16)
    uploaded_at = models.DateTimeField("thời điểm tải lên", auto_now=True)

    class Meta:
        verbose_name = "ảnh lý lịch"
        verbose_name_plural = "ảnh lý lịch"

    def __str__(self) -> str:
        return f"Ảnh của {self.person}"


class RuleParameter(models.Model):
    """One number of the Party's rules, valid from a date (the Party changes them).

    The value in force on date D is the row with the latest `effective_from` <= D.
    """

    key = models.CharField("tham số", max_length=64)
    effective_from = models.DateField("hiệu lực từ")
    value = models.JSONField("giá trị", encoder=DjangoJSONEncoder)
    source = models.CharField("căn cứ", max_length=255)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "tham số quy định"
        verbose_name_plural = "tham số quy định"
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="parameter_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} từ {self.effective_from:%d/%m/%Y}"


class MemberEvent(models.Model):
    """One dated event of a person's life in the Party, backed by its decision.

    The events are the truth: the person's status, cell and dates are replayed from them
    (members.history) and cached on Person in the same transaction.
    """

    person = models.ForeignKey(
        Person, verbose_name="người", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("sự kiện", max_length=32, choices=MemberEventKind.choices)
    effective_date = models.DateField("ngày hiệu lực")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        "core.Decision",
        verbose_name="quyết định",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField("chi tiết", default=dict, encoder=DjangoJSONEncoder)
    override_reason = models.TextField("lý do vượt cảnh báo", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện đảng viên"
        verbose_name_plural = "sự kiện đảng viên"
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["person", "effective_date"], name="memberevent_person_idx"),
            models.Index(fields=["kind", "effective_date"], name="memberevent_kind_idx"),
            models.Index(fields=["organization", "effective_date"], name="memberevent_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person} ({self.effective_date:%d/%m/%Y})"


class MembershipPeriod(models.Model):
    """Where a member was counted, day by day: a stretch [valid_from, valid_to) in one cell
    with one status. A projection of the lifecycle events (members.history), rewritten with
    each event in the same transaction; the statistics count these rows, never Person.

    A member on the way between two cells is in no period; one on a temporary transfer is
    counted in the home cell. The reasons are the event kinds that began and ended the stretch,
    so the flows of the balance identity are counts of period starts and ends.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="periods", verbose_name="người"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ",
    )
    status = models.CharField("tình trạng", max_length=16, choices=MemberStatus.choices)
    exempt = models.BooleanField("miễn công tác và sinh hoạt", default=False)
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến trước ngày", default=OPEN_END)
    start_reason = models.CharField("bắt đầu do", max_length=32, choices=MemberEventKind.choices)
    end_reason = models.CharField(
        "kết thúc do", max_length=32, choices=MemberEventKind.choices, blank=True
    )

    class Meta:
        verbose_name = "thời gian sinh hoạt"
        verbose_name_plural = "thời gian sinh hoạt"
        ordering = ["person", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lt=models.F("valid_to")),
                name="membership_period_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL]),
                name="membership_period_member_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "valid_from", "valid_to"], name="period_org_idx"),
            models.Index(fields=["start_reason", "valid_from"], name="period_start_idx"),
            models.Index(fields=["end_reason", "valid_to"], name="period_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization} ({self.valid_from:%d/%m/%Y})"


# --- candidates pipeline (quần chúng ưu tú) -----------------------------------------------------


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", "Đang bồi dưỡng, xem xét"
    ADMITTED = "admitted", "Đã kết nạp"
    WITHDRAWN = "withdrawn", "Dừng xem xét"


class BackgroundCheckResult(models.TextChoices):
    PASSED = "passed", "Đạt yêu cầu"
    FAILED = "failed", "Không đạt yêu cầu"


class SponsorKind(models.TextChoices):
    MEMBER = "member", "Đảng viên chính thức giới thiệu"
    YOUTH_UNION = "youth_union", "Nghị quyết giới thiệu của Đoàn Thanh niên"
    TRADE_UNION = "trade_union", "Nghị quyết giới thiệu của Công đoàn"


class Candidate(models.Model):
    """A person preparing to join the Party (quần chúng ưu tú) in a cell: the steps of the
    dossier up to the cell's vote and the committee's decision (Điều lệ Đảng 2011, Điều 4;
    Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW 2025).

    What the candidate still lacks is not stored: rules.candidate_missing derives it from these
    fields and the sponsors. The admission itself is the lifecycle event it links to.
    """

    person = models.ForeignKey(
        Person, verbose_name="người", on_delete=models.PROTECT, related_name="candidacies"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "tình trạng",
        max_length=16,
        choices=CandidateStatus.choices,
        default=CandidateStatus.ACTIVE,
    )
    registered_on = models.DateField("ngày đưa vào danh sách")
    certificate_number = models.CharField(
        "số giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng", max_length=64, blank=True
    )
    certificate_date = models.DateField("ngày cấp giấy chứng nhận", null=True, blank=True)
    certificate_issuer = models.CharField("nơi cấp giấy chứng nhận", max_length=255, blank=True)
    application_date = models.DateField("ngày làm đơn xin vào Đảng", null=True, blank=True)
    background_check_date = models.DateField("ngày thẩm tra lý lịch", null=True, blank=True)
    background_check_result = models.CharField(
        "kết quả thẩm tra lý lịch",
        max_length=16,
        choices=BackgroundCheckResult.choices,
        blank=True,
    )
    background_check_note = models.TextField("ghi chú thẩm tra lý lịch", blank=True)
    vote_date = models.DateField("ngày chi bộ xét kết nạp", null=True, blank=True)
    votes_in_favour = models.PositiveSmallIntegerField(
        "số đảng viên chính thức tán thành", null=True, blank=True
    )
    full_members_count = models.PositiveSmallIntegerField(
        "số đảng viên chính thức của chi bộ", null=True, blank=True
    )
    admission = models.OneToOneField(
        MemberEvent,
        verbose_name="quyết định kết nạp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
    )
    withdrawn_on = models.DateField("ngày dừng xem xét", null=True, blank=True)
    withdrawal_reason = models.TextField("lý do dừng xem xét", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quần chúng ưu tú"
        verbose_name_plural = "quần chúng ưu tú"
        ordering = ["registered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="active"),
                name="candidate_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "admitted", "withdrawn"]),
                name="candidate_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(certificate_number="")
                | models.Q(certificate_date__isnull=False),
                name="candidate_certificate_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(background_check_result="")
                | models.Q(background_check_date__isnull=False),
                name="candidate_background_check_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    vote_date__isnull=True,
                    votes_in_favour__isnull=True,
                    full_members_count__isnull=True,
                )
                | models.Q(
                    vote_date__isnull=False,
                    full_members_count__gte=1,
                    votes_in_favour__lte=models.F("full_members_count"),
                ),
                name="candidate_vote_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(status="admitted", admission__isnull=False)
                | (~models.Q(status="admitted") & models.Q(admission__isnull=True)),
                name="candidate_admitted_has_admission",
            ),
            models.CheckConstraint(
                condition=models.Q(status="withdrawn", withdrawn_on__isnull=False)
                | (~models.Q(status="withdrawn") & models.Q(withdrawn_on__isnull=True)),
                name="candidate_withdrawn_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="candidate_org_status_idx"),
            models.Index(fields=["status", "certificate_date"], name="candidate_certificate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class Sponsor(models.Model):
    """Người giới thiệu: a full member vouching for the candidate, or the resolution of the
    Youth Union or the trade union that stands for one of the two members (Điều lệ Đảng 2011,
    Điều 4; Quy định 294-QĐ/TW)."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name="quần chúng ưu tú",
        on_delete=models.CASCADE,
        related_name="sponsors",
    )
    kind = models.CharField(
        "hình thức", max_length=16, choices=SponsorKind.choices, default=SponsorKind.MEMBER
    )
    person = models.ForeignKey(
        Person,
        verbose_name="đảng viên giới thiệu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    worked_with_since = models.DateField("cùng công tác, sinh hoạt từ", null=True, blank=True)
    sponsored_on = models.DateField("ngày giới thiệu")
    resolution_symbol = models.CharField("số nghị quyết", max_length=64, blank=True)
    issuing_body = models.CharField("cơ quan ban hành nghị quyết", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "người giới thiệu"
        verbose_name_plural = "người giới thiệu"
        ordering = ["sponsored_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "person"],
                condition=models.Q(person__isnull=False),
                name="sponsor_unique_member",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=~models.Q(kind="member"),
                name="sponsor_one_resolution",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind="member",
                    person__isnull=False,
                    worked_with_since__isnull=False,
                    resolution_symbol="",
                )
                | (
                    models.Q(
                        kind__in=["youth_union", "trade_union"],
                        person__isnull=True,
                        worked_with_since__isnull=True,
                    )
                    & ~models.Q(resolution_symbol="")
                ),
                name="sponsor_member_or_resolution",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == SponsorKind.MEMBER:
            return f"{self.person} giới thiệu ngày {self.sponsored_on:%d/%m/%Y}"
        return f"{self.get_kind_display()} {self.resolution_symbol}"
