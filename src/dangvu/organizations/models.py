import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# The open end of a version that still holds. A real date (not NULL) keeps "valid on D"
# a plain indexed range test: valid_from <= D < valid_to.
OPEN_END = dt.date(9999, 12, 31)


class OrganizationType(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCIAL_COMMITTEE = "provincial_committee", "Đảng bộ tỉnh, thành phố"
    UPPER_COMMITTEE = "upper_committee", "Đảng bộ cấp trên trực tiếp cơ sở"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "grassroots_cell", "Chi bộ cơ sở"
    SUB_COMMITTEE = "sub_committee", "Đảng bộ bộ phận"
    SUBORDINATE_CELL = "subordinate_cell", "Chi bộ trực thuộc"


GRASSROOTS_TYPES = (OrganizationType.GRASSROOTS_COMMITTEE, OrganizationType.GRASSROOTS_CELL)


class Sector(models.TextChoices):
    AGENCY = "agency", "Cơ quan"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp"
    STATE_ENTERPRISE = "state_enterprise", "Doanh nghiệp nhà nước"
    PRIVATE_ENTERPRISE = "private_enterprise", "Doanh nghiệp ngoài nhà nước"
    COMMUNE_WARD = "commune_ward", "Xã, phường, đặc khu"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    OTHER = "other", "Loại hình khác"


class Organization(models.Model):
    """A party organisation's stable identity.

    Everything that changes over time lives in OrganizationVersion; the columns below are a
    projection of the latest version, rewritten in the same transaction as every event.
    """

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    type = models.CharField("loại tổ chức", max_length=24, choices=OrganizationType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="trực thuộc",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sector = models.CharField("loại hình", max_length=24, choices=Sector.choices, blank=True)
    province_code = models.PositiveSmallIntegerField("tỉnh, thành phố", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    established_on = models.DateField("ngày thành lập")
    dissolved_on = models.DateField("ngày kết thúc", null=True, blank=True)

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrganizationVersion(models.Model):
    """What an organisation was, and where it sat in the tree, over [valid_from, valid_to).

    A new version starts whenever the organisation or the path above it changes, so the
    tree on any date is the set of versions valid on it, and a subtree is a path range.
    """

    # Both foreign keys are served by the composite indexes below, not single-column ones.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN_END)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=24, choices=OrganizationType.choices)
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    sector = models.CharField(max_length=24, choices=Sector.choices, blank=True)
    province_code = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=160)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "phiên bản tổ chức"
        verbose_name_plural = "phiên bản tổ chức"
        ordering = ["organization_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lt=models.F("valid_to")),
                name="orgversion_from_before_to",
            ),
            models.UniqueConstraint(
                fields=["organization", "valid_from"], name="orgversion_unique_start"
            ),
        ]
        indexes = [
            # subtree on a date: a range of paths, then the dates
            # the id makes a list of a subtree's organisations an index-only scan
            models.Index(
                fields=["path", "valid_from", "valid_to", "organization"],
                name="orgversion_path_idx",
            ),
            # counts by type on a date across a subtree
            models.Index(
                fields=["type", "valid_from", "valid_to", "path"], name="orgversion_type_idx"
            ),
            models.Index(fields=["parent", "valid_from"], name="orgversion_parent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})"


class EventKind(models.TextChoices):
    ESTABLISH = "establish", "Thành lập"
    RENAME = "rename", "Đổi tên"
    MOVE = "move", "Chuyển trực thuộc"
    CONVERT = "convert", "Chuyển đổi loại tổ chức"
    UPDATE = "update", "Cập nhật thông tin"
    DISSOLVE = "dissolve", "Giải thể"
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"


# Merge and split are recorded as one event of their own plus the elementary events they
# cause (establish, move, dissolve), linked by `cause`; only elementary events shape versions.
ELEMENTARY_KINDS = (
    EventKind.ESTABLISH,
    EventKind.RENAME,
    EventKind.MOVE,
    EventKind.CONVERT,
    EventKind.UPDATE,
    EventKind.DISSOLVE,
)


class OrganizationEvent(models.Model):
    """One dated, decision-backed restructuring event: the history the versions derive from."""

    kind = models.CharField("sự kiện", max_length=16, choices=EventKind.choices)
    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="events"
    )
    effective_date = models.DateField("ngày hiệu lực")
    decision = models.ForeignKey(
        "core.Decision",
        verbose_name="quyết định",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changes = models.JSONField("giá trị mới", default=dict, encoder=DjangoJSONEncoder)
    previous = models.JSONField("giá trị cũ", default=dict, encoder=DjangoJSONEncoder)
    cause = models.ForeignKey(
        "self",
        verbose_name="do sự kiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="effects",
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện tổ chức"
        verbose_name_plural = "sự kiện tổ chức"
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["organization", "effective_date"], name="orgevent_org_idx"),
            models.Index(fields=["effective_date", "kind"], name="orgevent_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organization} ({self.effective_date:%d/%m/%Y})"


class Position(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY_SECRETARY = "deputy_secretary", "Phó Bí thư"
    STANDING_MEMBER = "standing_member", "Ủy viên Ban Thường vụ"
    COMMITTEE_MEMBER = "committee_member", "Cấp ủy viên"


class CommitteeTerm(models.Model):
    """A term (nhiệm kỳ) of an organisation's committee, from its congress or appointment."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField("nhiệm kỳ", max_length=32)
    start_date = models.DateField("ngày bắt đầu")
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    decision = models.ForeignKey(
        "core.Decision", verbose_name="quyết định", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "nhiệm kỳ cấp ủy"
        verbose_name_plural = "nhiệm kỳ cấp ủy"
        ordering = ["organization_id", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_date"], name="term_unique_org_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="term_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} nhiệm kỳ {self.name}"


class CommitteeConsolidation(models.Model):
    """Kiện toàn cấp ủy: seats filled, ended or reshaped between congresses by one decision."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        CommitteeTerm, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField("ngày hiệu lực")
    decision = models.ForeignKey(
        "core.Decision", verbose_name="quyết định", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kiện toàn cấp ủy"
        verbose_name_plural = "kiện toàn cấp ủy"
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["effective_date"], name="consolidation_date_idx"),
        ]

    def __str__(self) -> str:
        return f"Kiện toàn cấp ủy {self.organization} ({self.effective_date:%d/%m/%Y})"


class CommitteeSeat(models.Model):
    """One person's place in a committee with a position over [start_date, end_date)."""

    term = models.ForeignKey(
        CommitteeTerm, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="seats"
    )
    full_name = models.CharField("họ và tên", max_length=128)
    position = models.CharField("chức vụ", max_length=24, choices=Position.choices)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)
    decision = models.ForeignKey(
        "core.Decision", verbose_name="quyết định", on_delete=models.PROTECT, related_name="+"
    )
    end_decision = models.ForeignKey(
        "core.Decision",
        verbose_name="quyết định thôi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consolidation = models.ForeignKey(
        CommitteeConsolidation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "cấp ủy viên"
        verbose_name_plural = "cấp ủy viên"
        ordering = ["term_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="seat_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.get_position_display()}"
