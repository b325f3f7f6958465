"""Administrative units, from the `vietnam-provinces` package (34 provinces since 01/07/2025)."""

from vietnam_provinces import Province, ProvinceCode

from .errors import DomainError


def check_province_code(code: int | None, *, error_code: str) -> None:
    """None passes (not recorded); any other code must be a current province or city."""
    if code is None:
        return
    try:
        Province.from_code(ProvinceCode(code))
    except ValueError:
        raise DomainError(
            error_code,
            f"Mã tỉnh, thành phố {code} không có trong danh mục hành chính hiện hành.",
        ) from None
