"""Languages: `--language` codes, and detecting the language of an article that does not declare one."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import UsageError
from audiobook.ingest import read_edition
from audiobook.language import KNOWN, check_language, detect_language, language_of

# One real paragraph each, picked by bench_language.py's hash from the Debian Reference 2.100 and
# the Debian FAQ 11.1 translations (tests/benchmarks/language/README.md: sources, licences, and
# the accuracy on 2,100 paragraphs).
PARAGRAPHS = {
    # debian-reference-de ch05
    "de": "Die Maximum Segment Size (MSS) wird als alternative Messmethode für die Paketgröße verwendet. "
    "Der Zusammenhang zwischen MSS und MTU ist wie folgt:",
    # debian-faq ftparchives
    "en": "The basic Debian documentation, such as this FAQ, the bug reporting system instructions, etc.",
    # debian-reference-es ch09
    "es": "Aquí discutiremos la manipulación directa de datos binarios en medios de almacenamiento.",
    # debian-reference-fr ch02
    "fr": "C’est déclaré lorsque ce paquet fournit tous les fichiers et les fonctionnalités des paquets cités.",
    # debian-reference-it ch09
    "it": "Dato che QEMU puro è molto lento, è raccomandata la sua velocizzazione con KVM quando il sistema host lo permette.",
    # debian-faq-nl support
    "nl": "Op de website. Een exemplaar van de instructies is te vinden op https://www.debian.org/Bugs/Reporting.",
    # debian-reference-pt ch03 (the command names are not in the page's text)
    "pt": "*.timer descreve o temporizador controlado e supervisionado pelo para activação baseada-em-temporização. Veja (5).",
}


@pytest.mark.parametrize(("language", "text"), sorted(PARAGRAPHS.items()))
def test_one_sentence_is_enough_to_tell(language: str, text: str) -> None:
    assert detect_language(text) == language


def test_a_few_words_are_too_few() -> None:
    assert detect_language("Chapitre 3") is None
    assert detect_language("see § 5.6.12 and 4.10") is None


def test_what_the_document_declares_wins_over_detection() -> None:
    assert language_of([PARAGRAPHS["fr"]], declared="de") == "de"
    assert language_of([PARAGRAPHS["fr"]]) == "fr"
    assert language_of(["Chapitre 3"], default="en") == "en"


def test_language_codes_are_checked_and_tidied() -> None:
    assert check_language("fr") == "fr"
    assert check_language("en_us") == "en-US"
    assert check_language(" DE ") == "de"
    with pytest.raises(UsageError) as caught:
        check_language("xx")
    message = str(caught.value)
    assert "\n" not in message and "'xx'" in message
    assert all(code in message for code in KNOWN)


FIXTURES = Path(__file__).parent / "fixtures" / "language"
FRENCH_TEXT = FIXTURES / "debian-reference-fr-ch01.txt"


def test_a_french_plain_text_with_no_language_line_is_read_as_french() -> None:
    [article] = read_edition([FRENCH_TEXT]).articles
    assert article.language == "fr"


def test_markdown_front_matter_wins_and_its_absence_means_detection(tmp_path: Path) -> None:
    body = FRENCH_TEXT.read_text(encoding="utf-8").replace("Didacticiels GNU/Linux", "# Didacticiels GNU/Linux")
    (tmp_path / "declared.md").write_text("---\nlang: fr-CA\n---\n" + body, encoding="utf-8")
    (tmp_path / "plain.md").write_text(body, encoding="utf-8")
    assert [a.language for a in read_edition([tmp_path / "declared.md"]).articles] == ["fr-CA"]
    assert [a.language for a in read_edition([tmp_path / "plain.md"]).articles] == ["fr"]


def test_each_article_has_its_own_language(tmp_path: Path) -> None:
    english = "\n\n".join([
        "An English piece",
        "The basic Debian documentation, such as this FAQ, the bug reporting system instructions, and more, "
        "is installed with the system. Read it before you ask on the mailing lists.",
    ])
    (tmp_path / "english.txt").write_text(english + "\n", encoding="utf-8")
    articles = read_edition([FRENCH_TEXT, tmp_path / "english.txt"]).articles
    assert [(a.title, a.language) for a in articles] == [
        ("Didacticiels GNU/Linux", "fr"), ("An English piece", "en")]
