"""The generators without a database: deterministic from the seed, realistic proportions,
valid and unique numbers."""

import datetime as dt
import hashlib
import tempfile
import unicodedata
from collections import Counter

from dangvu.members.identity import check_citizen_id
from dangvu.members.models import Sex
from dangvu.members.reference import ETHNICITIES, KINH, RELIGIONS
from dangvu.synth import tree as synth_tree
from dangvu.synth.build import SCALES, plan, subset
from dangvu.synth.loading import copy_rows
from dangvu.synth.members import COPY_COLUMNS, MEVENT, PERIOD, PERSON, digest, generate_members

D = dt.date
DAY = D(2021, 3, 31)


def columns(table: str) -> list[str]:
    return [c.strip() for c in COPY_COLUMNS[table].split(",")]


def tree_digest(tree: synth_tree.Tree) -> str:
    h = hashlib.sha256()
    h.update(repr(tree.organizations).encode())
    h.update(repr(tree.versions).encode())
    h.update(repr([(e.id, e.kind, e.organization_id, e.date, e.changes, e.cause_id)
                   for e in tree.events]).encode())  # fmt: skip
    return h.hexdigest()


def bloc_digest(seed: int) -> tuple[str, str, dict]:
    scale = SCALES["bloc"]
    p = plan(scale.orgs, seed)
    tree = subset(p.tree, p.bloc)
    with tempfile.TemporaryDirectory() as directory:
        counts, files = generate_members(p.intervals, scale.members, seed, directory, p.provinces)
        return tree_digest(tree), digest(files), counts


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows(bloc_files):
    p, tree, counts, files = bloc_files
    first = (tree_digest(tree), digest(files), counts)
    assert bloc_digest(2025) == first
    other = bloc_digest(7)
    assert other[0] != first[0] and other[1] != first[1]
    assert counts["persons"] == 5000


def test_the_bloc_is_one_upper_committee_with_its_ancestors(bloc_files):
    p, tree, _, _ = bloc_files
    ids = {row[0] for row in tree.organizations}
    assert p.bloc in ids and p.central in ids
    assert 300 <= len(ids) <= 450
    for _org, _s, _e, _path, state in tree.versions:
        assert state[2] is None or state[2] in ids  # every parent is in the installation
    assert all(e.organization_id in ids for e in tree.events)
    assert all(e.cause_id is None or e.cause_id in {x.id for x in tree.events} for e in tree.events)


def counted_on(files, day: dt.date) -> set[str]:
    iso = day.isoformat()
    return {
        row["person_id"]
        for row in copy_rows(files[PERIOD], columns(PERIOD))
        if row["valid_from"] <= iso < row["valid_to"]
    }


def test_sexes_ethnicities_religions_and_ages_in_realistic_proportions(bloc_files):
    _, _, _, files = bloc_files
    persons = list(copy_rows(files[PERSON], columns(PERSON)))
    counted = counted_on(files, DAY)
    members = [p for p in persons if p["id"] in counted]
    n = len(members)
    assert n > 3000
    female = sum(p["sex"] == Sex.FEMALE for p in members) / n
    assert 0.30 <= female <= 0.45  # about 38 % of the Party's members are women
    assert {p["sex"] for p in persons} == {"male", "female"}
    minority = sum(p["ethnicity"] != KINH for p in members) / n
    assert 0.05 <= minority <= 0.13
    assert {p["ethnicity"] for p in persons} <= {code for code, _ in ETHNICITIES}
    religious = sum(bool(p["religion"]) for p in members) / n
    assert 0.02 <= religious <= 0.10
    assert {p["religion"] or "" for p in persons} <= {code for code, _ in RELIGIONS}
    ages = Counter()
    for p in members:
        age = DAY.year - int(p["birth_year"])
        ages["le30" if age <= 30 else "31_60" if age <= 60 else "gt60"] += 1
    assert 0.12 <= ages["le30"] / n <= 0.40
    assert 0.40 <= ages["31_60"] / n <= 0.75
    assert 0.08 <= ages["gt60"] / n <= 0.35
    births = Counter(
        "day" if p["birth_day"] else "month" if p["birth_month"] else "year" for p in persons
    )
    assert births["year"] > 0 and births["month"] > 0 and births["day"] / len(persons) > 0.9


def test_names_are_vietnamese_with_diacritics_family_middle_given(bloc_files):
    _, _, _, files = bloc_files
    persons = list(copy_rows(files[PERSON], columns(PERSON)))
    for p in persons:
        assert unicodedata.is_normalized("NFC", p["full_name"])
        assert p["full_name"] == f"{p['family_name']} {p['middle_name']} {p['given_name']}"
    names = Counter(p["family_name"] for p in persons)
    assert names.most_common(1)[0][0] == "Nguyễn"
    assert 0.25 <= names["Nguyễn"] / len(persons) <= 0.50
    women = [p for p in persons if p["sex"] == "female"]
    assert sum(p["middle_name"].startswith("Thị") for p in women) / len(women) > 0.4
    assert any(not p["full_name"].isascii() for p in persons)


def test_citizen_ids_are_valid_and_unique_and_card_numbers_unique(bloc_files):
    _, _, _, files = bloc_files
    persons = list(copy_rows(files[PERSON], columns(PERSON)))
    ids = [p["citizen_id"] for p in persons if p["citizen_id"]]
    assert len(ids) / len(persons) > 0.9
    assert len(set(ids)) == len(ids)
    for p in persons:
        if p["citizen_id"]:
            check_citizen_id(p["citizen_id"], birth_year=int(p["birth_year"]), sex=p["sex"])
    cards = [p["card_number"] for p in persons if p["card_number"]]
    assert len(set(cards)) == len(cards)
    assert all(c.isdigit() for c in cards)
    full = [p for p in persons if p["status"] == "full"]  # issued within 400 days
    assert sum(bool(p["card_number"]) for p in full) / len(full) > 0.95


def test_ten_years_of_every_kind_of_event(bloc_files):
    _, tree, _, files = bloc_files
    kinds, all_kinds = Counter(), Counter()
    for row in copy_rows(files[MEVENT], columns(MEVENT)):
        all_kinds[row["kind"]] += 1
        if row["effective_date"] >= "2016-01-01":
            kinds[row["kind"]] += 1
    expected = {
        "admission", "recognition", "recognition_refused", "transfer_out", "transfer_in",
        "badge_proposal", "badge_award", "exemption", "exemption_end", "discipline",
        "struck_off", "death", "card_issue",
    }  # fmt: skip
    assert expected <= set(kinds), expected - set(kinds)
    assert all_kinds["transfer_out"] == all_kinds["transfer_in"]  # every transfer is received
    assert {e.kind for e in tree.events} >= {"establish", "move", "rename", "dissolve"}
