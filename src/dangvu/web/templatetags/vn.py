"""Vietnamese formats in templates, the same helpers the documents use: 31/03/2021, 5.016, 33,42%."""

import datetime as dt

from django import template

from dangvu.core.formatting import format_date, format_number

register = template.Library()


@register.filter
def vn_date(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return format_date(value)


@register.filter
def vn_number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return format_number(value, int(decimals))


@register.filter
def startswith(text: str, prefix: str) -> bool:
    return str(text).startswith(prefix)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)
