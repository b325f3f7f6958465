"""What the personal-file tests share: valid input and a few real people."""

from dangvu.members.services import PersonInput, person_create


def person_input(full_name: str = "Nguyễn Văn An", **extra) -> PersonInput:
    values = {"birth_year": 1985, "sex": "male", **extra}
    return PersonInput(full_name=full_name, **values)


def add_person(scope, organization, full_name: str, **extra):
    return person_create(
        scope=scope, organization=organization, data=person_input(full_name, **extra)
    )
