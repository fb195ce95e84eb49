"""Plain-text structure from layout: underlines, numbering, capitals, contents lists, Gutenberg wrappers, issues."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from audiobook.ingest.outline import entry_key, roman_value, survey, title_key
from audiobook.ingest.rules import load_rules
from audiobook.ingest.text import parse_plain_text

PROSE = ("The archive holds every package that the project distributes, and each of them has to meet "
         "the rules that this chapter sets out in some detail.")


def _structure(text: str) -> list[tuple[str, list[str]]]:
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    return [(a.title, [s.title for s in a.sections if s.announce_title]) for a in articles]


def _not_read(text: str) -> list[tuple[int, str]]:
    _, not_read = parse_plain_text(text, "doc.txt", load_rules())
    return [(n.line, n.reason) for n in not_read]


def test_keys_ignore_bullets_page_numbers_and_numbering() -> None:
    assert entry_key("  * 3.1. The package name ........ 12") == "3 1 the package name"
    assert title_key("   I. A Scandal in Bohemia") == "a scandal in bohemia"
    assert title_key("ADVENTURE II. THE RED-HEADED LEAGUE") == "the red headed league"
    assert entry_key("8.1._Das_Gebietsschema_(Locale)") == "8 1 das gebietsschema locale"
    assert [roman_value(r) for r in ("I", "IV", "IX", "XIV", "XL", "MCMXC")] == [1, 4, 9, 14, 40, 1990]


def test_restructuredtext_underlines_and_overlines_make_headings() -> None:
    text = (
        "*****************\nDebian Policy Manual\n*****************\n\n"
        f"{PROSE}\n\n"
        "1. About this manual\n********************\n\n"
        f"{PROSE}\n\n"
        "1.1. Scope\n==========\n\n"
        f"{PROSE}\n\n"
        "1.1.1. Early history\n--------------------\n\n"
        f"{PROSE}\n"
    )
    assert _structure(text) == [
        ("Debian Policy Manual", ["1. About this manual", "1.1. Scope", "1.1.1. Early history"])
    ]
    marks = survey(text.split("\n"), load_rules()).marks
    assert marks[2].evidence == "over- and underlined with *** (style 1)"
    assert marks[7].evidence.startswith("underlined with *** (style 2)")
    # The rule lines are layout, not words: nothing to list.
    assert _not_read(text) == []


def test_a_contents_list_is_not_read_and_names_the_headings() -> None:
    text = (
        "Chapitre\u00a02.\u00a0Premiers pas\n\n"
        "Table des matières\n\n"
        "2.1. Processus de construction\n2.2. Choix du programme\n\n"
        f"{PROSE}\n\n"
        "2.1.\u00a0Processus de construction\n\n"
        f"{PROSE}\n\n"
        "2.2.\u00a0Choix du programme\n\n"
        f"{PROSE}\n"
    )
    assert _structure(text) == [
        ("Chapitre 2. Premiers pas", ["2.1. Processus de construction", "2.2. Choix du programme"])
    ]
    articles, not_read = parse_plain_text(text, "doc.txt", load_rules())
    assert [(n.line, n.reason, n.rule) for n in not_read] == [
        (3, "table of contents", "[layout] contents_heading")
    ]
    assert not_read[0].text == "Table des matières\n2.1. Processus de construction\n2.2. Choix du programme"
    assert "named by the table of contents" in articles[0].sections[1].evidence


def test_an_untitled_listing_is_contents_only_when_its_entries_come_back_as_headings() -> None:
    listing = "* 1. About this manual\n\n  * 1.1. Scope\n\n* 2. The archive\n\n"
    body = f"1. About this manual\n\n{PROSE}\n\n1.1. Scope\n\n{PROSE}\n\n2. The archive\n\n{PROSE}\n"
    assert _not_read(listing + body) == [(1, "table of contents (its entries are headings below)")]
    # Dialogue repeats short lines too, but it is no listing.
    dialogue = f'{PROSE}\n\n"Yes."\n\n"Entirely."\n\n"Yes?"\n\n{PROSE}\n\n"Yes."\n\n"Entirely."\n\n"Yes?"\n'
    assert _not_read(dialogue) == []


def test_a_gutenberg_book_reads_as_its_header_says() -> None:
    text = (
        "The Project Gutenberg eBook of The Adventures of Sherlock Holmes, by Arthur Conan Doyle\n\n"
        "This eBook is for the use of anyone anywhere in the United States and most other parts of\n"
        "the world at no cost and with almost no restrictions whatsoever.\n\n"
        "Title: The Adventures of Sherlock Holmes\n\nAuthor: Arthur Conan Doyle\n\nLanguage: English\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK THE ADVENTURES OF SHERLOCK HOLMES ***\n\n"
        "Produced by an anonymous Project Gutenberg volunteer and Jose Menendez\n\n\n"
        "THE ADVENTURES OF SHERLOCK HOLMES\n\nby\n\nSIR ARTHUR CONAN DOYLE\n\n\n"
        "   I. A Scandal in Bohemia\n  II. The Red-headed League\n III. A Case of Identity\n\n\n"
        "ADVENTURE I. A SCANDAL IN BOHEMIA\n\nI.\n\n"
        f"To Sherlock Holmes she is always THE woman. {PROSE}\n\n"
        "II.\n\n"
        f"At three o'clock precisely I was at Baker Street. {PROSE}\n\n"
        "ADVENTURE II. THE RED-HEADED LEAGUE\n\n"
        f"I had called upon my friend. {PROSE}\n\n"
        "THE RED-HEADED LEAGUE\n\nIS\n\nDISSOLVED.\n\n"
        f"October 9, 1890. {PROSE}\n\n"
        "III. A CASE OF IDENTITY\n\n"
        f"My dear fellow, said Sherlock Holmes. {PROSE}\n\n"
        "End of the Project Gutenberg EBook of The Adventures of Sherlock Holmes\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK THE ADVENTURES OF SHERLOCK HOLMES ***\n\n"
        "Updated editions will replace the previous one--the old editions will be renamed.\n"
    )
    articles, not_read = parse_plain_text(text, "pg1661.txt", load_rules())
    [book] = articles
    assert (book.title, book.authors, book.language) == (
        "The Adventures of Sherlock Holmes", ("Arthur Conan Doyle",), "en")
    assert [s.title for s in book.sections if s.announce_title] == [
        "ADVENTURE I. A SCANDAL IN BOHEMIA: I.", "II.", "ADVENTURE II. THE RED-HEADED LEAGUE",
        "III. A CASE OF IDENTITY"]
    reasons = [n.reason for n in not_read]
    assert reasons == [
        "Project Gutenberg header (title and author kept as metadata)", "transcriber's credit",
        "title page, kept as metadata", "title page, kept as metadata", "title page, kept as metadata",
        "table of contents (its entries are headings below)", "Project Gutenberg licence and end matter"]
    spoken = " ".join(s.text for s in book.sections).replace("\n\n", " ")
    # The sign in the story is text, and so is a letter's date.
    assert "THE RED-HEADED LEAGUE IS DISSOLVED." in spoken and "October 9, 1890." in spoken
    assert "Updated editions" not in spoken and "Produced by" not in spoken


def test_an_issue_of_pieces_under_capitals_between_asterisks_is_an_edition_of_articles() -> None:
    text = (
        "PUNCH, OR THE LONDON CHARIVARI.\n\nVOL. 93, JULY 9, 1887.\n\n\n"
        f"THE AVENGERS.\n\n{PROSE}\n\nBy evening the vicar had given up his study to them.\n\n"
        "*       *       *       *       *\n\n"
        f"A MODEST PROPOSAL.\n\n{PROSE}\n\nThe committee will meet on Thursday.\n\n"
        "*       *       *       *       *\n\n"
        f"OUR BOOKING-OFFICE.\n\n{PROSE}\n\nThe Baron recommends three novels.\n"
    )
    articles, not_read = parse_plain_text(text, "punch.txt", load_rules())
    assert [a.title for a in articles] == ["THE AVENGERS.", "A MODEST PROPOSAL.", "OUR BOOKING-OFFICE."]
    assert {a.issue_title for a in articles} == {"PUNCH, OR THE LONDON CHARIVARI"}
    assert [(n.line, n.reason) for n in not_read] == [
        (1, "issue masthead, kept as metadata"), (3, "issue masthead, kept as metadata"),
        (12, "section break"), (20, "section break")]


def test_numbered_chapters_in_any_language_and_dumps_without_blank_lines() -> None:
    de = f"Kapitel 8. I18N und L10N\nInhaltsverzeichnis\n   8.1._Das_Gebietsschema\n{PROSE}\n8.1. Das Gebietsschema\n{PROSE}\n"
    assert _structure(de) == [("Kapitel 8. I18N und L10N", ["8.1. Das Gebietsschema"])]
    book = f"CHAPTER IV.\n\n{PROSE}\n\nChapitre 5\n\n{PROSE}\n\nAnnexe A.\n\n{PROSE}\n"
    assert _structure(book)[0][1] == ["Chapitre 5", "Annexe A."]


def test_web_page_chrome_in_a_text_dump_is_listed() -> None:
    text = (
        "[ ] Logo\n\nNavigation\n\n  • index\n  • modules |\n  • Python »\n\n"
        f"16. Appendix¶\n\n{PROSE}\n\n16.1. Interactive Mode¶\n\n{PROSE}\n\n"
        "© Copyright 2001-2026, Python Software Foundation.\nLast updated on October 07, 2026.\n"
        "Created using Sphinx 5.3.0.\n"
    )
    assert _structure(text) == [("16. Appendix", ["16.1. Interactive Mode"])]
    assert [r for _, r in _not_read(text)] == ["form control or image placeholder", "page navigation", "page footer"]


def test_plan_explain_says_why_and_a_document_without_headings_says_so(tmp_path: Path) -> None:
    doc = tmp_path / "manual.txt"
    doc.write_text(f"Manual\n******\n\n{PROSE}\n\nScope\n=====\n\n{PROSE}\n\nHistory\n=======\n\n{PROSE}\n",
                   encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "audiobook", "plan", "--explain", str(doc)],
                         capture_output=True, text=True, check=True).stdout
    assert "why a title: underlined with *** (style 1)" in out
    assert "why a heading: underlined with === (style 2)" in out
    flat = tmp_path / "flat.txt"
    flat.write_text(f"{PROSE} {PROSE}\n\n{PROSE}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "audiobook", "plan", str(flat)],
                         capture_output=True, text=True, check=True).stdout
    assert "no section headings found" in out


def test_a_user_rule_adds_a_heading_pattern(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text("[[heading]]\npattern = '^Story \\d+$'\nevidence = 'a story number'\n", encoding="utf-8")
    text = f"Stories\n\n{PROSE}\n\nStory 1\n\n{PROSE}\n\nStory 2\n\n{PROSE}\n"
    articles, _ = parse_plain_text(text, "doc.txt", load_rules(rules))
    sections = [s for s in articles[0].sections if s.announce_title]
    assert [s.title for s in sections] == ["Story 1", "Story 2"]
    assert sections[0].evidence == f"a story number ({rules} [[heading]] 1)"


def test_newsletter_titles_between_ornaments_and_a_saved_pages_header() -> None:
    text = (f"NTK now\n\n\n>> HARD NEWS <<\nlife-long pursuits\n\n{PROSE}\n\n"
            f">> EVENT QUEUE <<\ngoto's considered non-harmful\n\n{PROSE}\n")
    assert _structure(text)[0][1] == ["HARD NEWS", "EVENT QUEUE"]  # the straplines under them are read
    page = (f"Download the ebook\n\nProduct Site Documentation Site\n\n  • Prev\n  • The Handbook\n  • Next\n\n"
            f"6. Acknowledgments\n\n{PROSE}\n\n6.1. A Bit of History\n\n{PROSE}\n")
    assert _structure(page) == [("6. Acknowledgments", ["6.1. A Bit of History"])]
    assert _not_read(page) == [(1, "page header (banner and navigation links)")]


def test_page_headers_with_numbers_a_legal_page_and_mail_digests_are_listed() -> None:
    manual = (
        "A Short History of the Project\n\nVersion: 2.28 (2023-02-15)\n\n"
        "Copyright © 1999-2020 The Documentation Team\n\n"
        "This document may be freely redistributed or modified in any form provided your changes are clearly documented.\n\n"
        f"1. Introduction\n\n{PROSE}\n\nThe Guidebook                                  1\n\n{PROSE}\n\n"
        f"The Guidebook                                  2\n\n2. Leadership\n\n{PROSE}\n\n"
        f"The Guidebook                                  3\n\n{PROSE}\n"
    )
    assert _structure(manual) == [("A Short History of the Project", ["1. Introduction", "2. Leadership"])]
    reasons = [r for _, r in _not_read(manual)]
    assert reasons == ["front matter (version, copyright and licence)"] + ["running head (page header or footer)"] * 3
    digest = (
        "Announce Digest #180\n\n------------------------------\n\n"
        f"From: Jane Doe <jane@example.org>\nSubject: Release 2.1 available\nDate: 8 Sep 2002 01:25:28 GMT\n\n{PROSE}\n\n"
        "------------------------------\n\n"
        f"From: John Roe <john@example.org>\nSubject: A new mirror in Oslo\nDate: 8 Sep 2002 01:25:32 GMT\n\n{PROSE}\n"
    )
    articles, not_read = parse_plain_text(digest, "digest.txt", load_rules())
    assert [a.title for a in articles] == ["Release 2.1 available", "A new mirror in Oslo"]
    assert [n.reason for n in not_read].count("mail header") == 4


def test_program_names_and_badges_in_a_saved_project_page() -> None:
    text = (f"Build Status Package version Supported Python versions\n\nmytool\n\n{PROSE}\n\n"
            f"git-buildpackage\n\n{PROSE}\n\ndebhelper\n\n{PROSE}\n")
    assert _structure(text) == [("mytool", ["git-buildpackage", "debhelper"])]
    assert _not_read(text) == [(1, "badges")]


def test_a_paragraph_opening_like_a_chapter_is_text() -> None:
    text = f"Report\n\n{PROSE}\n\nChapter 3 of the report describes\nthe method in some detail.\n\n{PROSE}\n"
    assert _structure(text) == [("Report", [])]
    wrapped = f"FAQ\n\n{PROSE}\n\n3.1.1. Sie haben mir empfohlen, Stable zu installieren. Was soll\nich tun?\n\n{PROSE}\n"
    assert _structure(wrapped)[0][1] == ["3.1.1. Sie haben mir empfohlen, Stable zu installieren. Was soll ich tun?"]


def test_a_release_digest_with_bracketed_items_bylines_and_a_listing() -> None:
    items = ["[001] - abcm2ps 3.1.1 (Development)", "[002] - amSynth 1.0 beta 5", "[003] - CherryPy 0.4"]
    listing = "\n".join(items)
    body = "".join(
        f"{item}\n  by A. Developer (http://example.org/users/a/)\n  Tuesday, July 30th 2002 03:48\n\n"
        f"Multimedia :: Sound/Audio :: Conversion\n\nAbout: {PROSE}\n\nLicense: GNU General Public License (GPL)\n\n"
        "                        - %  - %  - % - % -\n\n"
        for item in items
    )
    text = f"::: R E L E A S E   H E A D L I N E S (3) :::\n\n{listing}\n\n::: R E L E A S E   D E T A I L S :::\n\n{body}"
    articles, not_read = parse_plain_text(text, "digest.txt", load_rules())
    headings = [s.title for a in articles for s in a.sections if s.announce_title]
    # Letter-spaced titles are set solid: a voice would spell "R E L E A S E" letter by letter.
    assert [a.title for a in articles] == ["RELEASE DETAILS"]
    assert headings == items  # the byline under each item is not part of its title
    listing = [n for n in not_read if n.reason.startswith("table of contents")]
    assert [n.line for n in listing] == [1] and listing[0].text.endswith("[003] - CherryPy 0.4")


def test_pointers_and_signatures_are_not_headings_and_a_subject_may_trail_off() -> None:
    text = (f"Subject: The Linux Counter...\n\n{PROSE}\n\nSee http://www.example.org/news/2002/isis.shtml\n\n{PROSE}\n\n"
            f"Internet: list-request@example.org\n\n{PROSE}\n\nCheck out the sites at\n\n{PROSE}\n")
    assert _structure(text) == [("The Linux Counter...", [])]


def test_a_newsletters_notices_and_drawn_logo_are_listed_but_prose_about_lists_is_read() -> None:
    logo = (" _   _  _______        _______ \n| \\ | || ____\\ \\      / / ____|\n"
            "|  \\| ||  _|  \\ \\ /\\ / /\\___ \\ \n| |\\  || |___  \\ V  V /  ___) |\n"
            "|_| \\_||_____|  \\_/\\_/  |____/ \n")
    text = (f"{logo}\n>> HARD NEWS <<\n\n{PROSE}\n\n"
            "You are subscribed to Weekly Fables as:\nreader@example.org\n"
            "If you would like to unsubscribe, click on the link below.\n\n"
            "Compilation copyright 2002 by A. Editor, all rights reserved.\n\n"
            "Much of the conversation between developers is managed through a wide array of mailing lists. "
            "To find out more on how to subscribe or unsubscribe, how to post and how not to post, where to "
            "find old posts and how to search them, please read the pages about the lists on our web site, "
            "which also explain which of the lists are of particular interest to developers and translators.\n")
    reasons = [r for _, r in _not_read(text)]
    assert reasons == ["ASCII art (a logo drawn in characters)"] + ["newsletter notice (subscription, sponsors, copyright)"] * 2
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    assert articles[0].sections[-1].paragraphs[-1].text.startswith("Much of the conversation")


def test_titles_run_into_their_paragraphs_in_capitals() -> None:
    text = ("Neat Tricks Weekly, Issue 131\n\nIN THIS ISSUE:\n\n01. Secure IE\n02. Disk cleanup on XP\n\n"
            "01. SECURE IE.  For the past month or so, our review panel has been\ntesting a browser add-on.\n\n"
            "02. DISK CLEANUP ON XP.  Windows XP users can do some fast cleaning\nchores with Disk Cleanup.\n\n"
            "NOTE:  This is a label, not a title.\n")
    articles, not_read = parse_plain_text(text, "nnt.txt", load_rules())
    # The masthead names the issue, so the first run-in title opens its first piece.
    headings = [(articles[0].title, articles[0].standfirst)]
    headings += [(s.title, s.paragraphs[0].text) for a in articles for s in a.sections if s.announce_title]
    assert headings == [
        ("01. SECURE IE", "For the past month or so, our review panel has been testing a browser add-on."),
        ("02. DISK CLEANUP ON XP", "Windows XP users can do some fast cleaning chores with Disk Cleanup."),
    ]
    assert articles[0].issue_title == "Neat Tricks Weekly, Issue 131"
    assert [n.reason for n in not_read] == ["issue masthead, kept as metadata", "table of contents"]
    # One such paragraph is no layout: a paragraph that opens in capitals stays whole.
    one = f"Report\n\n{PROSE}\n\nWORLD NEWS TODAY.  The markets rose again this week.\n"
    assert _structure(one) == [("Report", [])]


def test_a_manual_pages_navigation_row_and_a_cut_books_transcriber_credit_are_listed() -> None:
    page = ("                8.4. Das System zur E-Mail-Nutzung einrichten\n"
            "Zurück           Kapitel 8. Die nächsten Schritte und welche           Weiter\n"
            "                       Seiten Sie noch besuchen sollten\n\n"
            f"8.4. Das System zur E-Mail-Nutzung einrichten\n\n{PROSE}\n\n8.4.1. Standard-Konfiguration\n\n{PROSE}\n")
    assert _structure(page) == [("8.4. Das System zur E-Mail-Nutzung einrichten", ["8.4.1. Standard-Konfiguration"])]
    assert _not_read(page) == [(1, "page header (banner and navigation links)")]
    book = f"Produced by David Widger. The previous edition was updated by Jose\nMenendez.\n\n\nCHAPTER I\n\n{PROSE}\n"
    assert _not_read(book) == [(1, "transcriber's credit")]


def test_a_section_titled_as_an_advertisement_is_listed_to_the_next_rule() -> None:
    text = (f"Weekly News\n\n::: A D V E R T I S I N G :::\n\nSponsored by the Security Symposium\n\n"
            "Learn how to improve the security of your systems and networks! Register today.\n\n"
            "http://www.example.org/sec02\n\n-.------.---.---- -.------.--.- --.-.- - -\n\n"
            f"::: R E L E A S E   D E T A I L S :::\n\n{PROSE}\n")
    assert _structure(text) == [("Weekly News", ["RELEASE DETAILS"])]
    assert "advertisement" in [r for _, r in _not_read(text)]
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    spoken = " ".join(p.text for a in articles for s in a.sections for p in s.paragraphs)
    assert "Symposium" not in spoken and "Register" not in spoken and spoken.startswith("The archive holds")


def test_mail_signatures_quoted_or_not_are_listed_and_banners_between_rules_are_not_titles() -> None:
    text = (f"Subject: QOS\n\n{PROSE}\n\n--\nA. Sender, Example AB\nPhone: +46 660 29 92 00\n\n"
            f"> {PROSE}\n> >>-- \n> >>Firewalls mailing list - [ list@example.org ]\n> >>To leave: http://example.org/l\n\n"
            f"{PROSE}\n")
    assert [r for _, r in _not_read(text)] == ["mail signature", "mail signature"]
    banners = ("Weekly Spam News\n________\n"
               "Weekly Spam News is sponsored by ACME http://example.org/p?c=1\n________\n"
               f"{PROSE}\n")
    assert _structure(banners) == [("Weekly Spam News", [])]
    assert ["newsletter notice (subscription, sponsors, copyright)"] == [
        r for _, r in _not_read(banners) if r.startswith("newsletter")]


def test_disclaimers_and_boxed_offers_are_notices_but_a_story_about_a_price_is_read() -> None:
    text = (f"Tips Weekly\n\n{PROSE}\n\n"
            "TW makes no endorsement or warranty, expressed or implied, with regard to\nfeatured products.\n\n"
            "----------\nDisk Doctor 2002 $29.95, 90% Off Retail!!\nhttp://ads.example.org/dir.php?a=1\n----------\n\n"
            "The new player costs $199 and ships in May; see http://www.example.org/player for details.\n")
    reasons = [r for _, r in _not_read(text) if r.startswith("newsletter")]
    assert len(reasons) == 2
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    assert articles[0].sections[-1].paragraphs[-1].text.startswith("The new player costs")


def test_a_lone_sentence_under_a_marked_title_is_text_but_a_lone_subhead_stays() -> None:
    book = f"I. THE RIVER BANK\n\n{PROSE}\n\nIt was the Water Rat!\n\n{PROSE}\n"
    assert _structure(book) == [("I. THE RIVER BANK", [])]
    piece = f"Preparing Files\n===============\n\n{PROSE}\n\nPreparing a stick from an image\n\n{PROSE}\n"
    assert _structure(piece) == [("Preparing Files", ["Preparing a stick from an image"])]


def test_a_newsletters_department_about_itself_is_listed_but_a_manuals_is_read() -> None:
    letter = (f"Weekly Notes\n============\n\nSTORY ONE\n=========\n\n{PROSE}\n\n"
              "NEWSLETTER REMINDER\n===================\n\nWe hope you found this issue useful.\n\n"
              "Subscription is free; to unsubscribe, reply with a blank message.\n")
    assert _structure(letter) == [("Weekly Notes", ["STORY ONE"])]
    assert (9, "newsletter notice (a department about the newsletter itself)") in _not_read(letter)
    named = letter.replace("NEWSLETTER REMINDER\n===================", "SUBSCRIPTION INFORMATION FOR THE WEEKLY NOTES\n" + "=" * 45)
    assert _structure(named) == [("Weekly Notes", ["STORY ONE"])]
    advertise = letter.replace("NEWSLETTER REMINDER\n===================", "HOW TO ADVERTISE\n" + "-" * 16).replace(
        "to unsubscribe, reply with a blank message", "for advertising in this newsletter, write to us")
    assert _structure(advertise) == [("Weekly Notes", ["STORY ONE"])]
    manual = (f"Guide\n=====\n\n2.1. Setting up\n\n{PROSE}\n\n2.2. How to contribute\n\n"
              "Send your patches through the bug tracker; the subscription to its reports is free.\n")
    assert _structure(manual) == [("Guide", ["2.1. Setting up", "2.2. How to contribute"])]


def test_a_clear_signed_issue_with_bulleted_titles_named_by_its_contents() -> None:
    text = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nIn this issue:\n\n* Progress of the bill\n"
            "* Europe bans spam\n\n- ------------------------------\n\n* Progress of the bill\n\n"
            f"{PROSE}\n\n- ------------------------------\n\n* Europe bans spam\n\nEUROPEAN VOTE APPLAUDED\n\n"
            f"{PROSE}\n\n-----BEGIN PGP SIGNATURE-----\nVersion: GnuPG v1.0.6\n\niEYEARECAAYFAjz+Ey4ACgkQ\n"
            "=3DL1WX\n-----END PGP SIGNATURE-----\n")
    assert [t for t, _ in _structure(text)] == ["Progress of the bill", "Europe bans spam"]
    reasons = [r for _, r in _not_read(text)]
    assert reasons.count("digital signature (OpenPGP)") == 2
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    spoken = " ".join(p.text for a in articles for s in a.sections for p in s.paragraphs)
    assert "PGP" not in spoken and "iEYE" not in spoken and "- -" not in spoken
    # A bulleted list whose items the contents names, with no prose under each, stays a list.
    listed = "In this issue:\n\n* Alpha news\n* Beta news\n\nStory\n\n* Alpha news\n\n* Beta news\n"
    assert all(not sections for _, sections in _structure(listed))


def test_numbered_departments_named_loosely_by_the_contents_and_a_lists_last_item() -> None:
    text = ("Download Dispatch\n\nIN THIS ISSUE:\n\n1. Top Downloads\n2. Pick of the Week: Deck\n"
            "3. Updates & Drivers\n4. The Week in Reviews: Mac OS X prices\n\n<-------Advertisement------->\n\nThin PCs - starting at $1,499!\n\n"
            "http://ads.example.org/q\n\n<--------------------------->\n\n1. Top Downloads\n\n"
            "   1. LimeWire 2.4.4               5,715 downloads\n  10. DivX for OS X 1.1.8        1,602 downloads\n\n"
            f"{PROSE}\n\n2. Pick of the Week\n\n{PROSE}\n\n3. Updates & Drivers: Stay on Top of Bug Fixes\n\n{PROSE}\n\n"
            f"4. The Week in Reviews:\n\nMac OS X prices\n\n{PROSE}\n")
    assert _structure(text) == [("Download Dispatch", [
        "1. Top Downloads", "2. Pick of the Week", "3. Updates & Drivers: Stay on Top of Bug Fixes",
        "4. The Week in Reviews: Mac OS X prices"])]
    assert "advertisement" in [r for _, r in _not_read(text)]


def test_html2text_asterisked_headings_need_no_blank_lines_but_a_navigation_row_is_not_one() -> None:
    text = (f"Package Lint Tools\n\n{PROSE}\n***** lintian *****\nlintian dissects Debian packages and emits "
            "information about bugs.\n***** piuparts *****\npiuparts tests that packages install and remove.\n")
    assert _structure(text) == [("Package Lint Tools", ["lintian", "piuparts"])]
    nav = f"Live manual\n<< previous toc next >>\nLive Systems\n\n{PROSE}\n"
    assert all("previous toc next" not in sections for _, sections in _structure(nav))


def test_a_manual_pages_name_line_heads_its_section_and_a_line_ending_with_a_preposition_does_not() -> None:
    text = (f"TOOLS FOR SOURCE PACKAGES\n\n{PROSE}\n\ndpkg-source - packs and unpacks Debian source packages\n\n"
            f"{PROSE}\n\nTo unpack a package it is typically invoked with\n\n{PROSE}\n")
    assert _structure(text) == [("TOOLS FOR SOURCE PACKAGES", ["dpkg-source - packs and unpacks Debian source packages"])]


def test_a_periodicals_name_over_its_issue_line_is_metadata_and_contents_titles_with_articles_are_not_numbered() -> None:
    text = ("Open Source Quarterly\nNo. 38 — 23 March 1999\n\n\nCONTENTS\n\n"
            "Using a Virtual Machine for Testing ......................... 2\n"
            "Tweaking Candidate Version .................................. 3\n"
            "Getting a Little More Advanced .............................. 5\n"
            "Porting Infrastructure and Automation ....................... 7\n\n\n"
            f"Using a Virtual Machine for Testing\n\n{PROSE}\n\n(Contributed by A. Author.)\n\n{PROSE}\n\n"
            f"Tweaking Candidate Version\n\n{PROSE}\n\nGetting a Little More Advanced\n\n{PROSE}\n\n"
            f"Porting Infrastructure and Automation\n\n{PROSE}\n")
    articles, not_read = parse_plain_text(text, "doc.txt", load_rules())
    titles = [a.title for a in articles] + [s.title for a in articles for s in a.sections if s.announce_title]
    assert "Using a Virtual Machine for Testing" in titles and "(Contributed by A. Author.)" not in titles
    assert {(a.publication, a.issue_date.isoformat() if a.issue_date else None, a.issue_title) for a in articles} == {
        ("Open Source Quarterly", "1999-03-23", "Open Source Quarterly, No. 38")}
    assert [(n.line, n.reason) for n in not_read][:2] == [(1, "issue masthead, kept as metadata"), (5, "table of contents")]
    spoken = " ".join(p.text for a in articles for s in a.sections for p in s.paragraphs)
    assert "Porting Infrastructure and Automation 7" not in spoken and "....." not in spoken


def test_plain_subheads_under_pieces_titled_only_in_capitals_are_headings() -> None:
    # (the contents list makes the titles strong marks: the document "marks its headings")
    pieces = "CONTENTS\n\nFIRST NEWS ........ 1\nSECOND NEWS ....... 2\nTHIRD NEWS ........ 3\n\n\n" + "".join(
        f"{title}\n\n{PROSE}\n\n{sub}\n\n{PROSE}\n\n\n\n"
        for title, sub in (("FIRST NEWS", "Packaging"), ("SECOND NEWS", "Performance"), ("THIRD NEWS", "Tooling")))
    found = [s for _, sections in _structure(pieces) for s in sections]
    assert {"Packaging", "Performance", "Tooling"} <= set(found)


def test_plain_subheads_under_pieces_titled_only_by_underlines_are_headings() -> None:
    pieces = "".join(f"{title}\n{'=' * len(title)}\n\n{PROSE}\n\n{sub}\n\n{PROSE}\n\n\n\n"
                     for title, sub in (("Les versions 2.x", "Gestion de clés"), ("Optimisation du disque", "Test d'une image"),
                                        ("Infrastructure de sécurité", "La somme de contrôle")))
    found = [s for _, sections in _structure(pieces) for s in sections]
    assert {"Gestion de clés", "Test d'une image", "La somme de contrôle"} <= set(found)


def test_a_numbered_lists_items_and_a_for_example_line_are_not_headings() -> None:
    text = (f"Things You Never Hear\n\n{PROSE}\n\n1. I just love how he sings, don't you\n\n"
            "2. Honey, I'm going to the store and will be back by six tonight, with the shopping.\n\n"
            f"For example, try the following\n\n{PROSE}\n")
    assert _structure(text) == [("Things You Never Hear", [])]


def test_a_short_line_over_a_list_of_short_items_then_prose_is_a_heading() -> None:
    text = (f"Installing over a cable\n\n{PROSE}\n\nPrerequisites\n\n  ● A target machine\n\n  ● an installation medium\n\n"
            f"{PROSE}\n")
    assert _structure(text) == [("Installing over a cable", ["Prerequisites"])]


def test_a_line_of_code_or_configuration_is_not_a_heading() -> None:
    for line in ("Enable=false", "ENCRYPT_METHOD SHA512", "Foo () { bar }", "AUTO_DEBSIGN=${AUTO_DEBSIGN:-no}"):
        assert _structure(f"Settings\n\n{PROSE}\n\n{line}\n\n{PROSE}\n") == [("Settings", [])], line


def test_a_company_name_ending_in_an_abbreviation_can_head_a_section() -> None:
    text = f"Vendor Information\n\n{PROSE}\n\nRed Hat Inc.\n\n{PROSE}\n\nSuSE Inc.\n\n{PROSE}\n"
    assert _structure(text) == [("Vendor Information", ["Red Hat Inc.", "SuSE Inc."])]


def test_a_title_in_capitals_with_no_blank_line_under_it_after_a_rule_or_over_a_card_of_fields() -> None:
    text = (f"Weekly Tools Digest\n\n{PROSE}\n\n--------------------\nFASTER BUILDS THIS MONTH\n"
            "Our build farm now compiles twice as many packages a day, and the queue is short.\n"
            "The maintainers thank everyone who lent a machine.\n\n"
            "   RIVERSYNC\n   Version: 2.1\n   File size: 3.4MB\n   License: Free\n\n"
            f"{PROSE}\n\n")
    assert _structure(text) == [("Weekly Tools Digest", ["FASTER BUILDS THIS MONTH", "RIVERSYNC"])]
    # A term in capitals over its definition is an entry of a list, not a section: after a
    # blank line, or when its description is indented under it.
    terms = (f"Ways In\n\n{PROSE}\n\nThe techniques include:\n\nBAITING\nThis involves asking a variety of "
             "questions designed to catch the right answers, and it often works.\n\n"
             "  HACKDIR\n    Default location of the files the game needs, set when it is installed.\n\n"
             f"{PROSE}\n")
    assert _structure(terms) == [("Ways In", [])]
    mime = (f"Ways In\n\n{PROSE}\n\n--------------06986E0E1E196312E032AFBC\nContent-Type: text/plain; charset=us-ascii\n"
            f"Content-Transfer-Encoding: 7bit\n\n{PROSE}\n")
    assert _structure(mime)[0][1] == []


def test_in_an_issue_of_pieces_a_title_after_asterisks_heads_its_piece_whatever_is_under_it() -> None:
    text = (f"CONFERENCE NEWS\n\n{PROSE}\n\n***\n\nHIGHLIGHTS\n\n{PROSE}\n\n***\n\nDETAILS\n\n"
            "Keynote Speakers\n\nFreeing Culture\nA. Speaker, A University\n\n***\n\nVENUE\n\n"
            f"{PROSE}\n")
    titles = [t for article in _structure(text) for t in [article[0], *article[1]]]
    assert "DETAILS" in titles


def test_a_saved_pages_header_when_lynx_wraps_its_link_titles_or_the_page_is_short() -> None:
    lynx = ("   #Das Handbuch Kapitel 7. Probleme lösen und relevante Informationen finden Kapitel 8.\n"
            "   Basis-Konfigurierung: Netzwerk, Benutzerkonten, Drucken...\n\n   Download the ebook\n\n"
            "     * Zurück\n     * Das Handbuch\n     * Weiter\n\n7.2. Allgemeine Verfahren\n\n"
            f"   {PROSE}\n\n7.3. Weitere Verfahren\n\n   {PROSE}\n")
    assert _not_read(lynx)[0] == (1, "page header (banner and navigation links)")
    assert _structure(lynx) == [("7.2. Allgemeine Verfahren", ["7.3. Weitere Verfahren"])]
    # A page so short that its bottom row is among its first lines: the header still ends at the text.
    short = ("Download the ebook\n\n  • Prev\n  • The Handbook\n  • Next\n\nA.13. A Distribution\n\n"
             f"{PROSE}\n\n  • PrevA.12. Another\n  • Up\n  • Home\n  • NextA.14. More\n")
    assert _not_read(short)[0] == (1, "page header (banner and navigation links)")


def test_short_lines_set_flush_left_over_indented_entries_are_headings_like_their_siblings() -> None:
    story = "    A long headline about what the committee decided on Tuesday afternoon\n    It said so at length, and then it said it again to everyone.\n        http://www.example.org/1\n"
    brief = "    Port closes\n    Rain\n        http://www.example.org/2\n"
    text = (f"Today's Headlines\n-----------------\n\nSoftware\n\n{story}\nHardware\n\n{story}\nSecurity\n\n{brief}\n"
            f"Business\n\n{story}\nBootnotes\n\n{brief}")
    assert _structure(text) == [("Today's Headlines", ["Software", "Hardware", "Security", "Business", "Bootnotes"])]
    # A term over its definition in lower case is an entry of a list: the rule does not reach it.
    terms = (f"Building the Package\n\n{PROSE}\n\n" + "".join(
        f"{name}\n\n    contains {what} for the kernel and the modules built with it, as the build makes them,\n\n"
        for name, what in [("linux-image", "the image"), ("linux-headers", "the headers"), ("linux-doc", "the manual"),
                           ("linux-dbg", "the symbols")]) + "linux-libc-dev\n\n    contains headers\n")
    assert "linux-libc-dev" not in _structure(terms)[0][1]


def test_a_title_in_capitals_over_its_pages_address_heads_the_prose_below_but_a_list_of_links_is_text() -> None:
    text = (f"CONFERENCE NEWS\n\n{PROSE}\n\n***\n\nHIGHLIGHTS\n\n{PROSE}\n\n***\n\n"
            f"SEE & DO\nhttp://example.org/see_do.html\n\n{PROSE}\n")
    titles = [t for article in _structure(text) for t in [article[0], *article[1]]]
    assert "SEE & DO" in titles
    links = (f"Seminar Notes\n\n{PROSE}\n\nSTART PAGE\nhttp://example.org/1\n\nORIENTATION\nhttp://example.org/2\n\n"
             "DOWNLOADS\nhttp://example.org/3\n")
    assert _structure(links) == [("Seminar Notes", [])]


def test_titles_between_dashes_or_dash_equals_ornaments_but_not_mail_markers_or_program_output() -> None:
    for form in ("--- {} ---", "-= {} =-", "-----{}-----", "-=[ {} ]=-", "|| {} ||", "// {} //", ".oO  {} Oo."):
        text = f"Weekly Digest\n\n{PROSE}\n\n" + "".join(f"{form.format(n)}\n\n{PROSE}\n\n" for n in ("Releases", "Letters"))
        assert _structure(text) == [("Weekly Digest", ["Releases", "Letters"])], form
    quoted = f"Weekly Digest\n\n{PROSE}\n\n-----Original Message-----\n\n{PROSE}\n\n"
    output = f"Weekly Digest\n\n{PROSE}\n\n---  ping statistics ---\n1 packets transmitted, 1 received\n\n{PROSE}\n"
    assert _structure(quoted) == _structure(output) == [("Weekly Digest", [])]


def test_a_departments_name_over_a_storys_title_in_capitals_typed_straight_over_its_text() -> None:
    text = (f"Weekly Money\n\n{PROSE}\n\n--------------------\nYOUR MONEY\n\nRESOLUTIONS YOU CAN KEEP\n"
            "Let's face it, resolutions are mostly nightmares that hang over our heads all year.\n"
            "We fail to keep them because they are vague.\n\n--------------------\nSPOTLIGHT\n\n"
            f"SHOULD ALL MY SAVINGS BE IN STOCKS?\nUm, no.\n\n{PROSE}\n")
    # (a department with no text of its own joins its first story's title, as a part joins its chapter)
    assert _structure(text) == [("Weekly Money", ["YOUR MONEY: RESOLUTIONS YOU CAN KEEP",
                                                  "SPOTLIGHT: SHOULD ALL MY SAVINGS BE IN STOCKS?"])]


def test_titles_between_rules_of_two_marks_wrapped_or_not_and_a_contents_list_worded_a_little_differently() -> None:
    eq, dash = "=" * 60, "-" * 60
    text = (f"{dash}\n1. Reader 3.25 for Palm OS, Pocket PC, and Windows enters beta\n"
            "2. Reader 3.25 for Handheld PC enters beta\n3. Converter 3.25 for Mac OS enters beta\n"
            f"4. Command-line converter 3.25 for Windows, Linux, FreeBSD,\n   and Solaris enters beta\n{dash}\n\n"
            f"{eq}\n1. Reader 3.25 for Palm OS and Pocket PC enters beta\n{dash}\n{PROSE}\n\n"
            f"{eq}\n2. Reader 3.25 for Handheld PC enters beta\n{dash}\n{PROSE}\n\n"
            f"{eq}\n3. Converter 3.25 for Mac OS enters beta\n{dash}\n{PROSE}\n\n"
            f"{eq}\n4. Command-line converter 3.25 for Windows, Linux, FreeBSD,\n   and Solaris enter beta\n{dash}\n{PROSE}\n\n"
            f"{eq}\n[1] A footnote between rules is a sentence.\n{dash}\n")
    titles = [t for article in _structure(text) for t in [article[0], *article[1]]]
    assert titles == ["1. Reader 3.25 for Palm OS and Pocket PC enters beta", "2. Reader 3.25 for Handheld PC enters beta",
                      "3. Converter 3.25 for Mac OS enters beta",
                      "4. Command-line converter 3.25 for Windows, Linux, FreeBSD, and Solaris enter beta"]
    assert (2, "table of contents (its entries are headings below)") in _not_read(text)
    # An advertisement and its address between rules is no title wrapped over two lines.
    banner = f"{dash}\nSuite Pro 2002 $29.95, 90% Off Retail!!\nhttp://ads.example.com/dir.php?a=1\n{dash}\n\nWeekly Fables\n\n{PROSE}\n"
    assert _structure(banner)[0][0] == "Weekly Fables"


def test_a_contents_heading_with_a_kicker_after_a_bar() -> None:
    text = (f"IN THIS ISSUE | Table of Contents\n\n1. VOICE TIPS\n   - Troubleshooting voice\n   - Understanding delay\n\n"
            f"TROUBLESHOOTING VOICE\n\n{PROSE}\n\nUNDERSTANDING DELAY\n\n{PROSE}\n")
    assert _not_read(text)[0] == (1, "table of contents")


def test_a_box_between_rules_that_sells_is_an_advertisement_but_a_story_about_prices_is_read() -> None:
    rule = "-" * 60
    ad = ("We are giving a FREE flag with every order for the commemorative pin.\n"
          "You can order your pin today for $29.99.\nOrder today!\n  http://ads.example.com/a?aid=1\n"
          '<a href="http://ads.example.com/a?aid=1">\nClick Here</a>')
    story = ("Prices fell again: a loaf now costs $2.10, and the bakers say they cannot save much more.\n"
             "Some shops give bread away free at closing time.")
    text = f"The Week\n\n{PROSE}\n\n{rule}\n\n{ad}\n\n{rule}\n\n{story}\n\n{rule}\n\n{PROSE}\n"
    assert [r for _, r in _not_read(text)].count("advertisement") == 1
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    assert any(p.text.startswith("Prices fell") for s in articles[0].sections for p in s.paragraphs)


def test_a_sentence_over_a_page_wide_rule_or_text_between_rules_is_not_a_title() -> None:
    eq = "=" * 64
    text = (f"Weekly Finds\n{eq}\n\n{PROSE}\n\n{eq}\nAT THE MUSEUM\n{eq}\n... can't seem to connect today (hmm...)\n"
            f"{eq}\nREVIEWS\n{eq}\n{PROSE}\n\nSimple receiver suitable for testing the logger.\n{'-' * 64}\n\n{PROSE}\n")
    titles = [t for article in _structure(text) for t in [article[0], *article[1]]]
    assert titles == ["Weekly Finds", "AT THE MUSEUM", "REVIEWS"]


def test_a_note_about_the_message_itself_is_a_notice() -> None:
    text = (f"Weekly Notes\n\n{PROSE}\n\nThis newsletter is sent from an automated account. Replies to this\n"
            f"address will not be read.\n\n{PROSE}\n")
    assert (5, "newsletter notice (subscription, sponsors, copyright)") in _not_read(text)


def test_headings_numbered_with_a_hash_or_in_brackets() -> None:
    for form in ("#{}: {}", "({}) {}", "[{}] {}"):
        text = f"Weekly Digest\n\n{PROSE}\n\n" + "".join(
            f"{form.format(k, name)}\n\n{PROSE}\n\n" for k, name in ((1, "Release news"), (2, "Community events")))
        assert _structure(text) == [("Weekly Digest", [form.format(1, "Release news"), form.format(2, "Community events")])]


def test_a_row_of_badges_over_a_rule_is_listed_not_a_heading() -> None:
    text = (f"FastThing\n\n{PROSE}\n\n     Test Coverage Package version Supported Python versions\n"
            f"  {'_' * 60}\n\n{PROSE}\n\nInstallation\n============\n\n{PROSE}\n")
    assert _structure(text) == [("FastThing", ["Installation"])]
    assert any(reason == "badges" for _, reason in _not_read(text))


def test_a_newsletters_masthead_with_its_date_names_the_issue() -> None:
    text = (f"SEARCHWIDGETS | Widget News\nJuly 23, 2002\n\nLEAD STORY\n\n{PROSE}\n\n"
            f"OTHER STORIES\n\n{PROSE}\n\nPOLL RESULTS\n\n{PROSE}\n")
    articles, not_read = parse_plain_text(text, "doc.txt", load_rules())
    assert [a.title for a in articles][:1] == ["LEAD STORY"]
    assert articles[0].issue_title == "SEARCHWIDGETS | Widget News, July 23, 2002"
    assert (not_read[0].line, not_read[0].reason) == (1, "issue masthead, kept as metadata")
    # One line: the name, then the date, with or without a mark between them.
    one = f"THE . WIDGET  Monday, August 19th, 2002\n\nLEAD STORY\n\n{PROSE}\n\nOTHER STORIES\n\n{PROSE}\n\nLETTERS\n\n{PROSE}\n"
    assert _structure(one)[0][0] == "LEAD STORY"
    # A single article's title with its date under it stays its title.
    single = f"A Walk in the Hills\nJuly 23, 2002\n\n{PROSE}\n"
    assert _structure(single)[0][0].startswith("A Walk in the Hills")


def test_a_title_over_its_byline_opens_a_piece_however_long() -> None:
    long = ("DEBIAN CLAIMS TO BE ABLE TO UPDATE A RUNNING PROGRAM WHILE IT RUNS, AND EVEN ITS LIBRARIES; "
            "HOW IS THIS ACCOMPLISHED?")
    text = (f"FIRST PIECE\n\nBy Ann Smith\n\n{PROSE}\n\n\n\n{long}\n\nBy Bob Jones\n\n{PROSE}\n\n\n\n"
            f"THIRD PIECE\n\nBy Cy Brown\n\n{PROSE}\n")
    articles, _ = parse_plain_text(text, "doc.txt", load_rules())
    assert [(a.title, a.authors) for a in articles] == [
        ("FIRST PIECE", ("Ann Smith",)), (long, ("Bob Jones",)), ("THIRD PIECE", ("Cy Brown",))]


def test_a_long_title_in_capitals_after_asterisks_is_a_pieces_title() -> None:
    question = "SOME USERS LIKE ONE EDITOR, OTHERS LIKE ANOTHER; SOME LIKE THIS READER, OTHERS THAT; HOW DOES IT COPE?"
    text = f"FIRST PIECE\n\n{PROSE}\n\n* * * * *\n\n{question}\n\n{PROSE}\n\n* * * * *\n\nLAST PIECE\n\n{PROSE}\n"
    assert [t for t, _ in _structure(text)] == ["FIRST PIECE", question, "LAST PIECE"]
    # Without the break above it, such a line is text in capitals.
    assert question not in [t for t, _ in _structure(text.replace("* * * * *\n\n" + question, question))]


def test_labels_ending_in_a_colon_head_an_advisorys_sections() -> None:
    text = (f"Widget Advisory\n\nOverview:\n\n{PROSE}\n\nDetails:\n\n{PROSE}\n\n"
            f"Vendor Response:\nThe vendor released a fixed version of the widget on the same day.\n\n"
            f"Technical Description:\nThe data header is roughly made out to:\n\n[signature][version][length]\n\n{PROSE}\n")
    assert _structure(text) == [("Widget Advisory", ["Overview", "Details", "Vendor Response", "Technical Description"])]
    # One label, or the same one twice over a program's output, is text.
    once = f"Widget Advisory\n\nOverview:\n\n{PROSE}\n\n{PROSE}\n"
    assert _structure(once) == [("Widget Advisory", [])]
    output = f"Usage\n\n{PROSE}\n\nOutput:\n$ prog 4 2\n16\n\n{PROSE}\n\nOutput:\n$ prog 1\n1\n"
    assert _structure(output) == [("Usage", [])]
    # A play's speakers come back: labels that repeat are no outline.
    play = f"Act One\n\nHAMLET:\n{PROSE}\n\nHORATIO:\n{PROSE}\n\nHAMLET:\n{PROSE}\n"
    assert _structure(play) == [("Act One", [])]


def test_a_press_releases_date_between_rules_is_its_date_not_a_heading() -> None:
    from audiobook.ingest.meta import parse_date_line

    assert parse_date_line("For release: July 25, 2002") == parse_date_line("For immediate release: 25 July 2002")
    text = ("==========\nNEWS FROM THE WIDGET PARTY\nWorld Wide Web: http://www.example.org\n==========\n"
            f"For release: July 25, 2002\n==========\n\nPentagon Spending\n\n{PROSE}\n")
    headings = [h for title, sections in _structure(text) for h in (title, *sections)]
    assert "Pentagon Spending" in headings and not any(h.startswith("For release") for h in headings)


def test_titles_in_boxes_drawn_in_characters_open_their_pieces() -> None:
    edge = "+" + "-" * 40 + "+"

    def box(title: str) -> str:
        return f"{edge}\n| {title:<38} |\n|   posted by ann on Friday July 19        |\n{edge}\n\n{PROSE}\n\n"

    text = f"Daily Newsletter\n\n{PROSE}\n\n{box('Perl 5.8.0 Released')}{box('Parrot 0.0.7 Released')}"
    articles, not_read = parse_plain_text(text, "doc.txt", load_rules())
    assert [a.title for a in articles][-2:] == ["Perl 5.8.0 Released", "Parrot 0.0.7 Released"]
    assert sum(n.reason == "a boxed title's details (poster, date, address)" for n in not_read) == 2
    # One box alone is a notice, not an outline.
    assert "Perl 5.8.0 Released" not in [t for t, _ in _structure(f"Daily Newsletter\n\n{PROSE}\n\n{box('Perl 5.8.0 Released')}")]


def test_what_follows_a_press_releases_end_mark_is_listed_not_read() -> None:
    release = (f"MARKETS FALL AGAIN\n\n{PROSE}\n\n{PROSE}\n\n###   ###   ###\n\n"
               "Contact: Ann Lee\nPhone: (949) 222-6550\n\nTo leave this list, write to us.\n")
    articles, not_read = parse_plain_text(release, "doc.txt", load_rules())
    assert [articles[0].standfirst, *(p.text for s in articles[0].sections for p in s.paragraphs)] == [PROSE, PROSE]
    reason = "after a press release's end mark: contacts and notes to editors"
    assert [(n.line, n.reason) for n in not_read] == [(7, reason)]
    assert not_read[0].text.endswith("Contact: Ann Lee\nPhone: (949) 222-6550\nTo leave this list, write to us.")
    # Where the text goes on past the mark, under a heading of its own, the mark ends nothing.
    goes_on = release.replace("Contact: Ann Lee", f"SECOND STORY\n\n{PROSE}\n\nContact: Ann Lee")
    assert "SECOND STORY" in _structure(goes_on)[0][1]
    assert all(r != reason for _, r in _not_read(goes_on))


def test_a_term_over_its_indented_definition_is_not_a_heading() -> None:
    text = (f"Building\n\n{PROSE}\n\nlinux-image-version\n\n    contains the kernel image and the associated modules,\n\n"
            "linux-libc-dev\n\n    contains headers relevant to some user-space libraries.\n\n"
            f"Installing\n\n{PROSE}\n")
    assert _structure(text) == [("Building", ["Installing"])]


def test_a_storys_title_in_capitals_glued_over_its_text_may_name_its_source_after_a_bar() -> None:
    rule, wrapped = "_" * 60, textwrap.fill(PROSE, 70)
    text = (f"WIRE | Security News\nJuly 23, 2002\n{rule}\nLEAD STORY\n\n"
            f"PHP FLAW COULD CRASH WEB SERVERS | News: Wire\n{wrapped}\n\n{rule}\n"
            f"OTHER STORIES\n\nSPAM LAW PASSES | News: Wire\n{wrapped}\n")
    # (the department with no text of its own joins its first story's title; the masthead is not a story)
    assert [t for _, sections in _structure(text) for t in sections] == [
        "PHP FLAW COULD CRASH WEB SERVERS | News: Wire", "OTHER STORIES: SPAM LAW PASSES | News: Wire"]


def test_a_tables_row_is_no_numbered_heading_and_a_labels_short_text_is_its_text() -> None:
    table = (f"Systems\n\n{PROSE}\n\nRelease   Arch       Profile Name\n--------  --------   ------------\n"
             f"7.3       i686       jalapeno\n\n\n{PROSE}\n")
    assert _structure(table) == [("Systems", [])]
    advisory = (f"Advisory\n\n{PROSE}\n\nSummary:\nNew kernel update available, fixes several security issues\n\n"
                f"{PROSE}\n\nDescription:\n{PROSE}\n")
    assert _structure(advisory) == [("Advisory", ["Summary", "Description"])]


def test_where_most_labels_head_prose_the_others_head_their_sections_too() -> None:
    advisory = (f"Advisory\n\n{PROSE}\n\nOverview:\n\n{PROSE}\n\nDetails:\n\n{PROSE}\n\nVendor Response:\n\n"
                "   22 July 2002 - An updated version was released and can be downloaded at:\n\n"
                f"      http://www.example.org/downloads\n\nRecommendation:\n\n{PROSE}\n\nGPG-Key:\n\n"
                "   http://example.org/key.asc\n")
    assert _structure(advisory) == [("Advisory", ["Overview", "Details", "Vendor Response", "Recommendation", "GPG-Key"])]
    # Two labels over prose are too few to vouch for a third over something else.
    few = advisory.replace(f"Recommendation:\n\n{PROSE}\n\n", "")
    assert _structure(few) == [("Advisory", ["Overview", "Details"])]


def test_a_list_printed_again_under_each_command_is_no_contents_and_its_last_step_no_heading() -> None:
    def steps(first: str, rest: list[str]) -> str:
        return "\n".join(f"    {n}.  {s}\n" for n, s in enumerate([first, *rest], 1))

    common = ["Resolve the dependencies of the package", "Fetch the binary package from the archive", "Unpack the binary packages",
              "Run the preinst script", "Install the binary files", "Run the postinst script"]  # fmt: skip
    text = (f"Package Tools\n\n{PROSE}\n\n-   Upgrade:\n\n{steps('Choose the candidate version of every package', common)}\n"
            f"-   Install:\n\n{steps('Choose the packages named', common[:1] + common[2:])}\n-   Remove:\n\n"
            f"{steps('Choose the packages named', common[:1] + ['Run the prerm script', 'Remove the installed files', 'Run the postrm script'])}\n"
            f"{PROSE}\n")
    articles, not_read = parse_plain_text(text, "doc.txt", load_rules())
    # (the later lists' steps are no headings the first list names: they stand over the next step)
    assert [(a.title, [s.title for s in a.sections if s.announce_title]) for a in articles] == [("Package Tools", [])]
    assert not_read == []
    assert sum("Resolve the dependencies" in p.text for s in articles[0].sections for p in s.paragraphs) == 3
