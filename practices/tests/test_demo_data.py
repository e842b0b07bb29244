"""The demo corpus (practices/demo_data/practices.json) is complete, valid and keeps the domain's rules."""

import datetime
import json
import re

import pytest

from networks.choices import NetworkKind
from practices.choices import EvidenceLevel, Theme
from practices.demo import DATA_FILE, VERSION_FIELDS, load_demo_groups
from practices.models import Practice

GROUP_KEYS = {"key", "themes", "kinds", "region", "evidence_level", "published", "versions"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Belgian numbers as people write them (0x xx xx xx, 04xx/xx.xx.xx, +32 …) and any international number.
PHONE = re.compile(r"(\+|\b00)\d{2}[\d ./-]{6,}|\b0\d{1,3}([ ./-]?\d{2,3}){3}\b")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# The Practice fields' lengths.
TITLE_MAX = Practice._meta.get_field("title").max_length


@pytest.fixture(scope="module")
def groups():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def versions(groups):
    for group in groups:
        for language, version in group["versions"].items():
            yield group, language, version


def test_it_has_at_least_thirty_groups_in_the_three_languages(groups):
    assert len(groups) >= 30
    originals = [next(iter(group["versions"])) for group in groups]
    assert originals.count("nl") >= 12
    assert originals.count("fr") >= 10
    assert originals.count("de") >= 5
    assert {language for _, language, _ in versions(groups)} == {"nl", "fr", "de"}


def test_it_has_at_least_eight_translations_in_every_direction_needed(groups):
    translations = [(next(iter(g["versions"])), language) for g in groups for language in list(g["versions"])[1:]]
    assert len(translations) >= 8
    assert {("nl", "fr"), ("fr", "nl"), ("fr", "de"), ("de", "fr"), ("de", "nl")} <= set(translations)


def test_every_group_is_complete_and_valid(groups):
    keys = [group["key"] for group in groups]
    assert len(keys) == len(set(keys))
    for group in groups:
        assert set(group) == GROUP_KEYS, group["key"]
        assert group["themes"] and set(group["themes"]) <= set(Theme.values), group["key"]
        assert len(group["themes"]) == len(set(group["themes"]))
        assert group["kinds"] and set(group["kinds"]) <= set(NetworkKind.values), group["key"]
        assert group["region"] in {None, "02000", "03000", "04000"}, group["key"]
        assert group["evidence_level"] in EvidenceLevel.values, group["key"]
        published = datetime.date.fromisoformat(group["published"])
        assert datetime.date(2024, 1, 1) <= published <= datetime.date(2026, 11, 30), group["key"]
        assert 1 <= len(group["versions"]) <= 3
        assert set(group["versions"]) <= {"nl", "fr", "de"}, group["key"]


def test_every_field_of_every_version_is_filled(groups):
    for group, language, version in versions(groups):
        assert set(version) == set(VERSION_FIELDS), (group["key"], language)
        for field in VERSION_FIELDS:
            assert isinstance(version[field], str) and version[field].strip(), (group["key"], language, field)
        assert len(version["title"]) <= TITLE_MAX, (group["key"], language)
        words = sum(len(version[field].split()) for field in VERSION_FIELDS)
        assert words >= 150, (group["key"], language, words)


def test_titles_are_unique_per_language(groups):
    titles = [(language, version["title"]) for _, language, version in versions(groups)]
    assert len(titles) == len(set(titles))


def test_every_theme_kind_region_and_evidence_level_is_used(groups):
    assert {theme for group in groups for theme in group["themes"]} == set(Theme.values)
    assert {kind for group in groups for kind in group["kinds"]} == set(NetworkKind.values)
    assert {group["region"] for group in groups} == {None, "02000", "03000", "04000"}
    assert {group["evidence_level"] for group in groups} == set(EvidenceLevel.values)
    german = [group for group in groups if next(iter(group["versions"])) == "de"]
    assert {group["region"] for group in german} == {"03000"}  # the German-speaking Community is in Wallonia


def test_texts_hold_no_email_address_phone_number_or_link(groups):
    for group, language, version in versions(groups):
        for field in VERSION_FIELDS:
            text = version[field]
            assert not EMAIL.search(text), (group["key"], language, field)
            assert not PHONE.search(text), (group["key"], language, field, PHONE.search(text))
            assert not URL.search(text), (group["key"], language, field)


def test_the_regexes_would_catch_contact_details():
    assert EMAIL.search("schrijf naar coordinator@bin-voorbeeld.be")
    assert PHONE.search("bel 0471 23 45 67") and PHONE.search("tél. 02/123.45.67") and PHONE.search("+32 2 123 45 67")
    assert not PHONE.search("101, 112, 2.500 keer, 2023–2024, 86 000 euros")


def test_monitored_and_evaluated_practices_give_figures(groups):
    for group, language, version in versions(groups):
        if group["evidence_level"] != EvidenceLevel.ANECDOTAL:
            assert len(re.findall(r"\d+", version["results"])) >= 2, (group["key"], language)


def test_texts_keep_the_domain_rules(groups):
    # The corpus as a whole keeps repeating the key rules: urgent matters go to 101 / 112.
    corpus = " ".join(version[f] for _, _, version in versions(groups) for f in VERSION_FIELDS)
    assert corpus.count("101") >= 15
    assert "112" in corpus
    # Contacts are roles: no "Mr/Mrs/Herr/Frau" and never a personal name pattern like "Jan Peeters".
    for group, language, version in versions(groups):
        assert not re.search(r"\b(dhr|mevr|M\.|Mme|Herr|Frau)\b", version["contact"]), (group["key"], language)


def test_the_cached_loader_reads_the_same_file(groups):
    assert [group["key"] for group in load_demo_groups()] == [group["key"] for group in groups]
