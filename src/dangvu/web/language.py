"""The language of a request: Vietnamese unless the user chose another one with the switch in
the footer (the language cookie). The browser's Accept-Language is not followed: many office
machines in Vietnam run an English browser, and their users still expect the Vietnamese UI."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
