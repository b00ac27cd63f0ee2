"""Generated spellings: romanizations, dropped letters, person forms."""

from __future__ import annotations

from entnorm.keys.variants import MAX_SPELLINGS, dropped_variants, person_forms, spelling_variants


def test_south_slavic_letters_have_both_spellings() -> None:
    assert set(spelling_variants("Vučić")) == {"vucic", "vuchic", "vucich", "vuchich"}
    assert "djokovic" in spelling_variants("Đoković")


def test_serbian_cyrillic_uses_serbian_romanization() -> None:
    spellings = spelling_variants("Александар Вучић")
    assert spellings[0] == "aleksandar vucic"
    assert "aleksandar vuchich" in spellings
    assert not any("y" in s for s in spellings)


def test_ukrainian_and_russian_endings() -> None:
    assert {"zelensky", "zelenskyy", "zelenskiy"} <= set(spelling_variants("Зеленський"))
    assert {"dmitry", "dmitriy", "dmitri"} <= set(spelling_variants("Дмитрий"))
    assert "kyiv" in spelling_variants("Київ")


def test_spellings_are_capped() -> None:
    long_name = "Шшшшш Щщщщщ Жжжжж Ххххх"
    assert len(spelling_variants(long_name)) == MAX_SPELLINGS


def test_plain_ascii_and_unknown_letters_give_nothing() -> None:
    assert spelling_variants("Putin") == []
    assert spelling_variants("Zoë") == []


def test_dropped_letters() -> None:
    assert dropped_variants("Aleksandar Vučić") == ("Aleksandar Vui", "Aleksandar Vu?i?", 2)
    assert dropped_variants("Putin") is None
    assert dropped_variants("Путин") is None


def test_person_forms() -> None:
    assert person_forms("Aleksandar Vučić") == ("Vučić", "Vučić Aleksandar")
    assert person_forms("Ursula von der Leyen") == ("von der Leyen", "von der Leyen Ursula")
    assert person_forms("Madonna") is None
