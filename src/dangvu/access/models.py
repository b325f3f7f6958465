from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Role(models.TextChoices):
    """Ordered from least to most: each role can do what the ones before it can."""

    VIEWER = "viewer", "Xem"
    EDITOR = "editor", "Cập nhật"
    APPROVER = "approver", "Phê duyệt"
    ADMINISTRATOR = "administrator", "Quản trị"

    @classmethod
    def rank(cls, role: str) -> int:
        # a dict built once: `cls.values` rebuilds its list each call, and the bulk import
        # asks for a rank several times an event
        rank = _RANKS.get(role)
        if rank is None:
            raise ValueError(f"{role!r} is not a role")
        return rank


_RANKS = {value: index for index, value in enumerate(Role.values)}


class Grant(models.Model):
    """A user's role over the subtree of one organisation (their scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="grant_unique_user_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organization}"


class APIToken(models.Model):
    """A bearer token for the API. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên", max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """One write through a service: who, when, what, the action, the values before and after.

    Append-only: the database refuses UPDATE (a trigger on both backends), and nothing in the
    code deletes rows.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("thao tác", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_repr = models.CharField("đối tượng", max_length=255)
    before = models.JSONField("trước", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("sau", null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"
