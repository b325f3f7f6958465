from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

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

    # Projection of the lifecycle events (issue 3, next step), rewritten with each event.
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
            models.Index(fields=["name_sort_key"], name="person_sort_idx"),
            models.Index(fields=["search_text"], name="person_search_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


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
