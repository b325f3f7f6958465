"""The `dangvu` console command: Django's management commands under the project's settings.

`dangvu serve`, `dangvu demo`, `dangvu migrate`, `dangvu createsuperuser` ... all go through
Django's command machinery, so every command of every app is available.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["dangvu", *argv])
    args[0] = "dangvu"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
