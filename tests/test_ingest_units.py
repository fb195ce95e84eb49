"""Pure ingest pieces against exact values: sentences, repairs, dates, names, rules, metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audiobook.errors import ConfigError, UsageError
from audiobook.ingest import load_rules, make_paragraph, resolve_edition_meta, split_sentences
from audiobook.ingest.meta import merge_names, parse_date, split_names
from audiobook.ingest.repair import clean_spaces, join_lines, rejoin_splits
from audiobook.ingest.summary import estimated_seconds, format_duration
from audiobook.model import Article, Edition, Paragraph, Section

REPAIR = load_rules().repair


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith met Dr. Jones at St. Paul's. They talked.", ("Mr. Smith met Dr. Jones at St. Paul's.", "They talked.")),
        ("It cost 3.5 million. Then No. 10 spoke.", ("It cost 3.5 million.", "Then No. 10 spoke.")),
        ("Use tools, e.g. hammers, i.e. heavy ones. Fine.", ("Use tools, e.g. hammers, i.e. heavy ones.", "Fine.")),
        ("J. K. Rowling wrote it. The U.S. Army read it.", ("J. K. Rowling wrote it.", "The U.S. Army read it.")),
        ("“Trots?” he says, calmly. He is joking.", ("“Trots?” he says, calmly.", "He is joking.")),
        ("He said “Stop.” Then he left.", ("He said “Stop.”", "Then he left.")),
        ("Why? Because! (It was.) “Yes,” she said.", ("Why?", "Because!", "(It was.)", "“Yes,” she said.")),
        ("Born in 1990. Then he moved.", ("Born in 1990.", "Then he moved.")),
        ("1. The Bus", ("1. The Bus",)),
        ("Wait… What happened?", ("Wait…", "What happened?")),
        ("no end", ("no end",)),
        ("", ()),
    ],
)
def test_split_sentences(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


def test_sentences_never_lose_characters() -> None:
    text = "A  b.\u00a0C d?  “E.” F  g"
    assert " ".join(split_sentences(text)) == " ".join(text.split())


def test_make_paragraph_cleans_spaces() -> None:
    p = make_paragraph("\u00a0The bus\u00a0 leaves. It is late. ", 7)
    assert p == Paragraph("The bus leaves. It is late.", ("The bus leaves.", "It is late."), 7)


@pytest.mark.parametrize(
    ("broken", "whole"),
    [
        ("the acci dental deaths", "the accidental deaths"),
        ("was ex acerbated by", "was exacerbated by"),
        ("in fa vour of", "in favour of"),
        ("“Acci dental,” he said", "“Accidental,” he said"),
        ("came to gether.", "came together."),
        # Real word pairs stay apart: both pieces are common words.
        ("a cow in side a part for mat he art", "a cow in side a part for mat he art"),
        # A capitalised second piece is a name, not a split word.
        ("Le Pen and Mc Donald", "Le Pen and Mc Donald"),
    ],
)
def test_rejoin_splits(broken: str, whole: str) -> None:
    assert rejoin_splits(broken, REPAIR) == whole


def test_join_lines_soft_wraps_and_hyphens() -> None:
    lines = ["stable at between 16,750 and", "19,699 in every exam-", "ple, a well-", "known case; his work-",
             "ing life, a long-", "term by-", "election."]
    assert join_lines(lines, REPAIR) == (
        "stable at between 16,750 and 19,699 in every example, a well-known case; his working life, "
        "a long-term by-election."
    )


def test_clean_spaces() -> None:
    assert clean_spaces("\u00a0a\u2009b\u00ad c\u200b ") == "a b c"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("09 April 2007", dt.date(2007, 4, 9)),
        ("23rd March 2017", dt.date(2017, 3, 23)),
        ("March 23, 2017", dt.date(2017, 3, 23)),
        ("Sept 1 2020", dt.date(2020, 9, 1)),
        ("2017-03-23", dt.date(2017, 3, 23)),
        ("31 February 2017", None),
        ("Smarch 3 2017", None),
        ("soon", None),
    ],
)
def test_parse_date(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


def test_names() -> None:
    assert split_names("Ann Lee, Bo Chan and Cy Dee.") == ["Ann Lee", "Bo Chan", "Cy Dee"]
    assert merge_names(["Frederic Niel"], ["Frédéric Niel", "Ann Lee"]) == ("Frédéric Niel", "Ann Lee")
    assert merge_names(["Frédéric Niel"], ["FREDERIC NIEL"]) == ("Frédéric Niel",)


def test_estimates() -> None:
    assert estimated_seconds(160, wpm=160) == 60
    assert estimated_seconds(1000, wpm=200) == 300
    assert format_duration(3725) == "1 h 02 min"
    assert format_duration(125) == "2 min 05 s"
    assert format_duration(9) == "9 s"


def _article(title: str, **kw: object) -> Article:
    section = Section(title, (make_paragraph("Words here.", 3),), 3, False)
    return Article(title, (section,), "x.txt", 1, 3, **kw)  # type: ignore[arg-type]


def test_edition_meta_from_flags_text_and_fallback() -> None:
    shared = Edition((
        _article("A", publication="Mag", issue_date=dt.date(2020, 1, 2), issue_title="Winter"),
        _article("B", publication="Mag", issue_date=dt.date(2020, 1, 2), issue_title="Winter"),
    ))
    ed, prov = resolve_edition_meta(shared)
    assert (ed.title, ed.publication, ed.issue_date) == ("Winter", "Mag", dt.date(2020, 1, 2))
    assert prov == {"title": "text", "publication": "text", "issue_date": "text"}

    bare = Edition((_article("First"), _article("Second")))
    ed, prov = resolve_edition_meta(bare)
    assert (ed.title, ed.publication, ed.issue_date) == ("First", "Audiobook", None)
    assert prov == {"title": "fallback", "publication": "fallback", "issue_date": "fallback"}

    ed, prov = resolve_edition_meta(bare, title="T", publication="P", date="5 May 2021")
    assert (ed.title, ed.publication, ed.issue_date) == ("T", "P", dt.date(2021, 5, 5))
    assert set(prov.values()) == {"flag"}
    # Flags fill articles that name nothing themselves.
    assert all(a.publication == "P" and a.issue_date == dt.date(2021, 5, 5) for a in ed.articles)

    ed, prov = resolve_edition_meta(bare, publication="P", date="2021-05-05")
    assert ed.title == "P 5 May 2021" and prov["title"] == "fallback"

    with pytest.raises(UsageError):
        resolve_edition_meta(bare, date="someday")


def test_user_rules_merge_and_errors(tmp_path: Path) -> None:
    user = tmp_path / "rules.toml"
    user.write_text(
        "[layout]\nheading_max_words = 5\n\n[[boilerplate]]\npattern = '^ADVERT$'\nreason = 'advert'\n",
        encoding="utf-8",
    )
    rules = load_rules(user)
    assert rules.layout.heading_max_words == 5
    assert rules.boilerplate[0].reason == "advert"  # the user's rule is tried first
    assert len(rules.boilerplate) == len(load_rules().boilerplate) + 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[[boilerplate]]\npattern = '(('\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_rules(bad)
    bad.write_text("[layot]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown section"):
        load_rules(bad)
    bad.write_text("not toml = = =\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid TOML"):
        load_rules(bad)


BODY = "The council met on Tuesday and agreed to close the old bridge until the engineers report back.\n\n"


@pytest.mark.parametrize(
    ("line", "authors", "translators"),
    [
        ("By Jane Doe, Political Editor", ("Jane Doe",), ()),
        ("By Jane Doe and Ann Lee", ("Jane Doe", "Ann Lee"), ()),
        ("Words: Jane Doe | 3 May 2021", ("Jane Doe",), ()),
        ("Frédéric Niel is a journalist with La Croix.", ("Frédéric Niel",), ()),
        ("This article was translated from the French by Ana Lima.", (), ("Ana Lima",)),
        ("Translated by Daniel Trilling", (), ("Daniel Trilling",)),
    ],
)
def test_credits_become_metadata(line: str, authors: tuple[str, ...], translators: tuple[str, ...]) -> None:
    from audiobook.ingest.text import parse_plain_text

    [article], not_read = parse_plain_text(f"A title\n\n{BODY}{line}\n\n{BODY}", "x.txt")
    assert (article.authors, article.translators) == (authors, translators)
    assert [(n.text, n.reason) for n in not_read] == [(line, "credit, kept as metadata")]
    assert line not in article.sections[0].text


@pytest.mark.parametrize(
    "line",
    [
        "She is a journalist with the BBC.",
        "By the end of the day it had rained.",
        "Translated by the author herself, the book sold well.",
        "Smith was a journalist for years. Then he became a baker.",
    ],
)
def test_prose_is_not_a_credit(line: str) -> None:
    from audiobook.ingest.text import parse_plain_text

    [article], not_read = parse_plain_text(f"A title\n\n{BODY}{line}\n\n{BODY}", "x.txt")
    assert not article.authors and not article.translators and not not_read
    assert line in article.sections[0].text


def test_title_with_nothing_under_it_is_still_read() -> None:
    from audiobook.ingest.text import parse_plain_text

    articles, _ = parse_plain_text("The\n\nThe the the.\n\nShow Hide image\n\nNext one\n\n" + BODY + BODY, "gen.txt")
    assert articles[0].sections[0].text == "The the the." and articles[0].title == "The"
    assert articles[1].title == "Next one"


def test_date_lines_are_metadata() -> None:
    from audiobook.ingest.text import parse_plain_text

    text = f"A title\n\nPublished Thursday 23 March 2017, 10:30 GMT\n\n{BODY}{BODY}"
    [article], not_read = parse_plain_text(text, "x.txt")
    assert article.issue_date == dt.date(2017, 3, 23) and article.standfirst == BODY.strip()
    assert [(n.line, n.reason) for n in not_read] == [(3, "date line, kept as metadata")]
    assert [s.title for s in article.sections] == ["A title"]
    assert article.authors == ()


def test_a_date_line_over_a_byline_names_only_the_byline() -> None:
    from audiobook.ingest.text import parse_plain_text

    text = f"A title\n\nAugust 25, 2002\n\nBy Riva Atlas\n\n{BODY}{BODY}"
    [article], _ = parse_plain_text(text, "x.txt")
    assert (article.authors, article.issue_date) == (("Riva Atlas",), dt.date(2002, 8, 25))


def test_a_title_over_a_dateline_and_a_byline_opens_a_piece() -> None:
    from audiobook.ingest.text import parse_plain_text

    piece = "{title}\n\nAugust 25, 2002\n\nBy {name}\n\n" + BODY + BODY
    text = piece.format(title="A first story", name="Ann Lee") + piece.format(title="A second story", name="Bo Chen")
    articles, _ = parse_plain_text(text, "x.txt")
    assert [(a.title, a.authors) for a in articles] == [("A first story", ("Ann Lee",)), ("A second story", ("Bo Chen",))]
    trailing = text.replace("A second story", "In the Beginning ...")
    assert [a.title for a in parse_plain_text(trailing, "x.txt")[0]] == ["A first story", "In the Beginning ..."]


@pytest.mark.parametrize(
    ("end", "publication", "date", "issue_title"),
    [
        ("This article first appeared in the 23 March 2017 issue of the New Statesman, Trump's permanent revolution",
         "New Statesman", dt.date(2017, 3, 23), "Trump's permanent revolution"),
        ("This article is from the March 2021 issue of Harper's Magazine.", "Harper's Magazine", dt.date(2021, 3, 1), None),
        ("A version of this article appeared in print on March 5, 2021, Section A, Page 1 of the New York edition "
         "with the headline: Bridge Closed.", None, dt.date(2021, 3, 5), None),
        ("This article was originally published in The Conversation.", "The Conversation", None, None),
    ],
)
def test_end_of_article_lines(end: str, publication: str | None, date: dt.date | None, issue_title: str | None) -> None:
    from audiobook.ingest.text import parse_plain_text

    [article], not_read = parse_plain_text(f"A title\n\n{BODY}{BODY}{end}\n", "x.txt")
    assert (article.publication, article.issue_date, article.issue_title) == (publication, date, issue_title)
    assert [n.reason for n in not_read] == ["end of article, kept as metadata"]


def test_credits_after_the_end_line_belong_to_the_last_article() -> None:
    from audiobook.ingest.text import parse_plain_text

    end = "This article first appeared in the 2 May 2020 issue of the Weekly, Spring"
    text = f"A title\n\n{BODY}{BODY}{end}\n\nAnn Lee is a writer based in Leeds.\n\nTranslated by Bo Chan\n"
    [article], not_read = parse_plain_text(text, "x.txt")
    assert (article.authors, article.translators, article.issue_title) == (("Ann Lee",), ("Bo Chan",), "Spring")
    assert len(not_read) == 3


def test_a_heading_after_an_inline_image_is_not_a_new_article() -> None:
    from audiobook.ingest.text import parse_plain_text

    long_body = BODY.strip() + " " + BODY.strip() * 5 + "\n\n"
    text = f"A title\n\n{BODY}{long_body}Show Hide image\n\nThe aftermath\n\n{long_body}{long_body}"
    [article], _ = parse_plain_text(text, "x.txt")
    assert [s.title for s in article.sections] == ["A title", "The aftermath"]


def test_boilerplate_only_as_a_line_of_its_own() -> None:
    from audiobook.ingest.text import parse_plain_text

    wrapped = "The editor told them all to\nSign up for the newsletter\nand most of them did, the same week.\n\n"
    [article], not_read = parse_plain_text(f"A title\n\n{BODY}{wrapped}Sign up for the newsletter\n\n{BODY}", "x.txt")
    assert "to Sign up for the newsletter and most" in article.sections[0].text
    assert [(n.line, n.reason) for n in not_read] == [(9, "subscribe or navigation line")]


def test_section_breaks_and_page_numbers_are_not_read() -> None:
    from audiobook.ingest.text import parse_plain_text

    [article], not_read = parse_plain_text(f"A title\n\n{BODY}* * *\n\n{BODY}12\n\n{BODY}2017\n\n{BODY}", "x.txt")
    assert [(n.text, n.reason) for n in not_read] == [("* * *", "section break"), ("12", "page number")]
    assert [s.title for s in article.sections] == ["A title", "2017"]  # a year can head a section


@pytest.mark.parametrize(
    ("para", "fixed"),
    [
        ("T he bus left.", "The bus left."),
        ("“W hen did it start?”", "“When did it start?”"),
        ("I e-mailed them.", "I e-mailed them."),
        ("A bout of flu.", "A bout of flu."),
        ("A new day.", "A new day."),
        ("E coli spread.", "E coli spread."),
        ("T shirts sold.", "T shirts sold."),
    ],
)
def test_drop_capitals(para: str, fixed: str) -> None:
    assert join_lines(para.split(" ", 1)[:1] + [para.split(" ", 1)[1]], REPAIR) == fixed


@pytest.mark.parametrize(
    ("head", "title", "standfirst"),
    [
        ("Losing Momentum\nHow the movement ran out of steam.", "Losing Momentum", "How the movement ran out of steam."),
        ("Losing Momentum: how Jeremy\nCorbyn's group ran out of steam", "Losing Momentum: how Jeremy Corbyn's group ran out of steam", None),
        ("Kamini\nRural rapper", "Kamini: Rural rapper", None),
        ("The council met on Tuesday with\nJohn Smith to agree the plan.", "X", None),
    ],
)
def test_two_line_titles(head: str, title: str, standfirst: str | None) -> None:
    from audiobook.ingest.text import parse_plain_text

    long_para = (BODY.strip() + " ") * 8 + "\n\n"
    [article], _ = parse_plain_text(f"{head}\n\n{long_para}{long_para}", "x.txt")
    assert (article.title, article.standfirst) == (title, standfirst)
