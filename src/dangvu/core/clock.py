"""The one place that knows what day it is (Asia/Ho_Chi_Minh), so tests can move it."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()
