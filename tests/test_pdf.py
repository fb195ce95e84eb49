"""PDF input (issue 19): reading order, headings from typography and the outline, furniture, bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from audiobook.errors import InputError
from audiobook.ingest import read_edition
from audiobook.ingest.pdf import (
    OUTLINE_EVIDENCE,
    Extracted,
    Line,
    OutlineEntry,
    Page,
    PdfMeta,
    build_articles,
    expand_ligatures,
    join_fragments,
    order_lines,
    pdf_date,
    real_authors,
    real_title,
)
from audiobook.ingest.reader import detect_format
from audiobook.ingest.rules import Repair

PDF = FIXTURES / "pdf"
REPAIR = Repair()


def _plan(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "audiobook", "plan", *args], capture_output=True)


def _texts(path: Path) -> list[str]:
    edition = read_edition([path])
    return [p.text for a in edition.articles for s in a.sections for p in s.paragraphs]


# --- Real PDFs made by Chromium (tests/fixtures/pdf/README.md) -----------------------------------


def test_magazine_two_articles_headings_by_size_and_bylines() -> None:
    edition = read_edition([PDF / "magazine.pdf"])
    assert [a.title for a in edition.articles] == ["The Harbour at Dawn", "A Lighthouse Keeper Remembers"]
    first, second = edition.articles
    assert [s.title for s in first.sections] == ["The Harbour at Dawn", "The Market", "The Weather"]
    assert first.sections[1].evidence == "font 12pt bold, body 9pt"
    assert "font 20pt bold, body 9pt" in first.title_evidence
    assert first.authors == ("Jane Example",) and second.authors == ("Tom Sample",)
    assert "over a byline" in second.title_evidence
    assert first.language == "en"


def test_two_columns_are_read_column_by_column_and_run_on_across_them() -> None:
    texts = _texts(PDF / "magazine.pdf")
    # The paragraph leaves the left column at "The buyers" and goes on at the top of the right one.
    assert ("By seven the auctioneer had sold the whole catch. The buyers loaded their vans, the fishermen "
            "counted their money") in " ".join(texts)
    assert any(t.startswith("Fog is the enemy of every harbour. When it rolls in") for t in texts)
    assert any(t.endswith("went for less than the cod, and the cod for less than the crabs, which were always "
                          "the first to go.") for t in texts)  # the footnote mark is not said


def test_hyphens_rejoined_and_ligatures_expanded() -> None:
    text = " ".join(_texts(PDF / "magazine.pdf"))
    assert "the harbour master writes" in text and "har-" not in text
    assert "The accommodation on the upper floor" in text
    assert "Every fisherman knew" in text and "the flat barrows" in text
    assert "\ufb01" not in text and "\ufb02" not in text


def test_running_heads_page_numbers_footnotes_captions_are_listed_not_read() -> None:
    edition = read_edition([PDF / "magazine.pdf"])
    listed = {(n.text, n.reason) for n in edition.not_read}
    reasons = {n.reason for n in edition.not_read}
    assert ("1/3", "page number, not read (on 3 pages)") in listed
    assert ("Microsoft Word - draft3.docx", "running head or footer, not read (on 3 pages)") in listed
    assert ("Figure 1: The quay at six in the morning.", "caption, not read") in listed
    assert ("1. Crab prices are set separately by the cooperative.", "footnote, not read") in listed
    assert "credit, kept as metadata" in reasons
    spoken = " ".join(_texts(PDF / "magazine.pdf"))
    for furniture in ("draft3", "file:", "1/3", "Figure 1", "Crab prices"):
        assert furniture not in spoken


def test_drop_capital_joins_its_word_and_pull_quote_is_listed() -> None:
    edition = read_edition([PDF / "magazine.pdf"])
    second = edition.articles[1]
    assert second.sections[0].paragraphs[0].text.startswith("For thirty years the light on the point")
    assert [s.title for s in second.sections] == ["A Lighthouse Keeper Remembers", "The Last Night"]
    quote = "the night the lamp went out in a storm and the keeper held a lantern in the window"
    assert (quote, "pull quote (repeats the text), not read") in {(n.text, n.reason) for n in edition.not_read}
    spoken = " ".join(p.text for s in second.sections for p in s.paragraphs)
    assert spoken.count("held a lantern in the window") == 1


def test_junk_metadata_title_is_ignored() -> None:
    # The Info title is "Microsoft Word - draft3.docx": the printed title wins, and no article
    # or edition is named after the junk.
    proc = _plan(str(PDF / "magazine.pdf"), "--explain")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "1. The Harbour at Dawn" in out and "Edition: Microsoft" not in out


def test_tags_decide_headings_in_a_tagged_pdf() -> None:
    edition = read_edition([PDF / "manual.pdf"])
    [article] = edition.articles
    assert article.title == "Tidewatch User Manual" and "PDF tags (H1)" in article.title_evidence
    assert [(s.title, s.evidence) for s in article.sections if s.announce_title][:2] == [
        ("1 Installation", "PDF tags (H2)"), ("1.1 Requirements", "PDF tags (H3)")]


def test_outline_decides_headings_when_present() -> None:
    edition = read_edition([PDF / "manual-untagged.pdf"])
    [article] = edition.articles
    assert article.title == "Tidewatch User Manual"
    titles = [s.title for s in article.sections if s.announce_title]
    assert titles == ["1 Installation", "1.1 Requirements", "1.2 Upgrading", "2 Daily Use", "2.1 Warnings",
                      "3 Troubleshooting"]
    assert all(s.evidence == OUTLINE_EVIDENCE for s in article.sections if s.announce_title)
    assert not edition.not_read


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scanned.pdf", "needs OCR"),
        ("encrypted.pdf", "encrypted PDF"),
        ("truncated.pdf", "not a readable PDF"),
        ("header-only.pdf", "not a readable PDF"),
    ],
)
def test_bad_pdf_is_one_line_exit_2_nothing_written(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name == "truncated.pdf":
        path.write_bytes((PDF / "manual.pdf").read_bytes()[:3000])
    elif name == "header-only.pdf":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
    else:
        path.write_bytes((PDF / name).read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = _plan(str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("audiobook: error: ") and message in err, err
    assert proc.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_pdf_found_by_content_whatever_its_name() -> None:
    raw = (PDF / "manual.pdf").read_bytes()
    assert detect_format(raw, "download").name == "pdf"
    assert detect_format(raw, "notes.txt").name == "pdf"


def test_pdf_in_a_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes((PDF / "manual.pdf").read_bytes())
    (tmp_path / "b.pdf").write_bytes((PDF / "scanned.pdf").read_bytes())
    edition = read_edition([tmp_path])
    assert [a.title for a in edition.articles] == ["Tidewatch User Manual"]
    assert any("needs OCR" in n.reason for n in edition.not_read)


# --- Pure layout logic on made-up lines ------------------------------------------------------------


def _line(page: int, x0: float, top: float, text: str, *, size: float = 10.0, width: float = 200.0,
          box: int = 0, bold: bool = False) -> Line:
    return Line(page, x0, top, x0 + width, top + size, text, size, bold, False, box)


def _page(number: int, lines: list[Line], height: float = 800.0) -> Page:
    return Page(number, 600.0, height, tuple(lines))


def test_columns_then_down_the_page() -> None:
    left = [_line(1, 50, 100 + 12 * i, f"left {i}", box=1) for i in range(5)]
    right = [_line(1, 300, 100 + 12 * i, f"right {i}", box=2) for i in range(5)]
    title = [_line(1, 50, 60, "Wide title over both", size=20, width=450, box=0)]
    page = _page(1, [*right, *left, *title])
    assert [ln.text for ln in order_lines(page)] == ["Wide title over both", *(f"left {i}" for i in range(5)),
                                                      *(f"right {i}" for i in range(5))]


def test_justified_pieces_join_but_a_gutter_does_not() -> None:
    column = [_line(1, 50, 100 + 12 * i, f"text line {i}", width=200) for i in range(3)]
    pieces = [_line(1, 50, 136, "Nobody", width=40), _line(1, 150, 136, "could", width=100)]
    other = [_line(1, 300, 136, "other column", width=200)]
    joined = join_fragments([*column, *pieces, *other])
    texts = sorted(ln.text for ln in joined)
    assert "Nobody could" in texts and "other column" in texts


def test_hyphen_across_a_page_break_is_rejoined_only_for_a_word() -> None:
    body = "The harbour was quiet that morning and the boats were all in before the light came up over the"
    pages = [
        _page(1, [_line(1, 50, 100, body, width=450, box=0), _line(1, 50, 112, "sea, and every fisherman had a bas-",
                                                                    width=450, box=0)]),
        _page(2, [_line(2, 50, 100, "ket of fish to sell at the market. Then the well-", width=450, box=0),
                  _line(2, 50, 112, "known auctioneer arrived.", width=200, box=0)]),
    ]
    articles, _ = build_articles(Extracted(tuple(pages)), "x.pdf", REPAIR)
    [paragraph] = articles[0].sections[0].paragraphs
    assert "every fisherman had a basket of fish" in paragraph.text
    assert "the well-known auctioneer" in paragraph.text


def test_running_head_by_repetition_not_by_position() -> None:
    pages = []
    for n in range(1, 5):
        lines = [_line(n, 50, 20, "THE HARBOUR REVIEW", box=0), _line(n, 50, 780, str(n), width=10, box=9)]
        lines += [_line(n, 50, 100 + 12 * i, f"Body text of page {n}, line {i}, which goes on.", width=450, box=1)
                  for i in range(3)]
        pages.append(_page(n, lines))
    # Page one's title sits in the top margin too, but only once: it is read.
    pages[0] = _page(1, [_line(1, 50, 40, "A Title Once", size=20, box=5), *pages[0].lines])
    articles, not_read = build_articles(Extracted(tuple(pages)), "x.pdf", REPAIR)
    assert articles[0].title == "A Title Once"
    reasons = {(n.text, n.reason) for n in not_read}
    assert ("THE HARBOUR REVIEW", "running head or footer, not read (on 4 pages)") in reasons
    assert ("1", "page number, not read (on 4 pages)") in reasons
    spoken = " ".join(p.text for s in articles[0].sections for p in s.paragraphs)
    assert "HARBOUR REVIEW" not in spoken


def test_outline_entry_names_the_heading_even_at_body_size() -> None:
    lines = [_line(1, 50, 100, "Introduction", box=0),
             _line(1, 50, 120, "Some text that opens the document and goes on for a while.", width=450, box=1),
             _line(1, 50, 150, "Method", box=2),
             _line(1, 50, 170, "More text about the method, at some length here.", width=450, box=3)]
    outline = (OutlineEntry(1, "Introduction", 1), OutlineEntry(1, "Method", 1))
    articles, _ = build_articles(Extracted((_page(1, lines),), outline), "x.pdf", REPAIR)
    titles = [s.title for s in articles[0].sections]
    assert "Method" in titles and articles[0].title == "Introduction"


def test_text_less_pdf_needs_ocr() -> None:
    with pytest.raises(InputError, match="needs OCR"):
        build_articles(Extracted((Page(1, 600, 800, (), has_text=False),)), "scan.pdf", REPAIR)


def test_ligatures() -> None:
    assert expand_ligatures("\ufb01rst \ufb02oor e\ufb00ort o\ufb03ce") == "first floor effort office"


@pytest.mark.parametrize("junk", ["Microsoft Word - draft3.docx", "untitled", "Document1", "report_final_v2.pdf",
                                  "2019-03-01 12.33.01", ""])
def test_producer_junk_is_no_title(junk: str) -> None:
    assert real_title(junk) is None


def test_metadata_values() -> None:
    assert real_title("The Harbour Review, Spring 2024") == "The Harbour Review, Spring 2024"
    assert real_authors("Administrator") == ()
    assert real_authors("Jane Example; Tom Sample") == ("Jane Example", "Tom Sample")
    assert str(pdf_date("D:20240131120000+01'00'")) == "2024-01-31"
    assert str(pdf_date("2023-05-04T10:00:00Z")) == "2023-05-04"
    assert pdf_date("D:0000") is None


def test_metadata_title_used_when_nothing_is_printed_larger() -> None:
    lines = [_line(1, 50, 100 + 12 * i, f"Plain text line {i} of a memo.", width=450, box=0) for i in range(4)]
    meta = PdfMeta(title="Quarterly Memo", authors=("Jane Example",))
    [article], _ = build_articles(Extracted((_page(1, lines),), meta=meta), "x.pdf", REPAIR)
    assert article.title == "Quarterly Memo" and article.authors == ("Jane Example",)


def test_table_of_contents_is_listed_not_read_nor_made_headings() -> None:
    toc = [_line(1, 50, 60, "Contents", size=20, box=0)]
    for k, (title, page) in enumerate([("1 Introduction", 1), ("1.1 In the Beginning", 1), ("2 Leadership", 3),
                                       ("3 Releases", 5)]):
        toc.append(_line(1, 50, 100 + 14 * k, f"{title} . . . . . . . . . . . .", width=400, box=1 + 2 * k,
                         bold=title[1] == " "))
        toc.append(_line(1, 520, 100 + 14 * k, str(page), width=8, box=2 + 2 * k))
    body = [_line(2, 50, 60, "Chapter 1", size=20, box=0), _line(2, 50, 90, "Introduction", size=24, box=1),
            _line(2, 50, 130, "The project is a group of volunteers who make an operating system.", width=400,
                  box=2)]
    articles, not_read = build_articles(Extracted((_page(1, toc), _page(2, body))), "x.pdf", REPAIR)
    assert [(n.text, n.reason) for n in not_read] == [("Contents", "table of contents, not read (9 lines)")]
    assert [a.title for a in articles] == ["Chapter 1: Introduction"]
    assert "Leadership" not in " ".join(p.text for a in articles for s in a.sections for p in s.paragraphs)


def test_outline_titles_match_numbered_headings() -> None:
    lines = [_line(1, 50, 60, "A Manual", size=24, box=0),
             _line(1, 50, 100, "1.1 In the Beginning", size=14, bold=True, box=1),
             _line(1, 50, 130, "Some text that opens the chapter and goes on for a while.", width=450, box=2)]
    outline = (OutlineEntry(1, "A Manual", 1), OutlineEntry(2, "In the Beginning", 1))
    [article], _ = build_articles(Extracted((_page(1, lines),), outline), "x.pdf", REPAIR)
    assert [(s.title, s.evidence) for s in article.sections] == [("1.1 In the Beginning", OUTLINE_EVIDENCE)]


def test_real_debian_pdf() -> None:
    edition = read_edition([PDF / "debian-history-pages-1-9.pdf"])
    [article] = edition.articles
    assert article.title == "A Brief History of Debian"
    titles = [s.title for s in article.sections if s.announce_title]
    assert titles[-5:] == ["Chapter 1: Introduction -- What is the Debian Project?", "1.1 In the Beginning",
                           "1.2 Pronouncing Debian", "Chapter 2: Leadership", "Chapter 3: Debian Releases"]
    reasons = [(n.text, n.reason) for n in edition.not_read]
    assert ("A Brief History of Debian", "running head or footer, not read (on 7 pages)") in reasons
    assert any(r.startswith("page number, not read (on") for _, r in reasons)
    assert any(r.startswith("table of contents, not read") for _, r in reasons)
    spoken = " ".join(p.text for s in article.sections for p in s.paragraphs)
    assert "The Debian Project is a worldwide group of volunteers" in spoken
    assert ". . . ." not in spoken


def test_xmp_metadata() -> None:
    from audiobook.ingest.pdf import _xmp

    packet = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmp:CreateDate="2024-03-05T10:00:00Z">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">The Harbour Review</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Jane Example</rdf:li><rdf:li>Tom Sample</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""
    found = _xmp(packet)
    assert found == {"title": "The Harbour Review", "author": "Jane Example, Tom Sample", "language": "fr-FR",
                     "date": "2024-03-05T10:00:00Z"}
    assert _xmp(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>") == {}


def test_tagged_artifacts_captions_and_notes_are_listed() -> None:
    lines = [
        Line(1, 50, 20, 250, 30, "Quarterly Report, printed 3 May", 10.0, artifact=True),
        Line(1, 50, 60, 450, 84, "Quarterly Report", 24.0, bold=True, box=1, tag="H1"),
        Line(1, 50, 100, 450, 110, "Sales rose in every region this quarter, led by the north.", 10.0, box=2, tag="P"),
        Line(1, 50, 120, 450, 128, "Sales by region, in thousands.", 8.0, box=3, tag="Caption"),
        Line(1, 50, 700, 450, 708, "Figures are unaudited.", 8.0, box=4, tag="Note"),
    ]
    [article], not_read = build_articles(Extracted((_page(1, lines),)), "x.pdf", REPAIR)
    assert article.title == "Quarterly Report" and article.title_evidence.endswith("(PDF tags (H1))")
    assert {(n.text, n.reason) for n in not_read} == {
        ("Quarterly Report, printed 3 May", "running head or footer, not read"),
        ("Sales by region, in thousands.", "caption, not read"),
        ("Figures are unaudited.", "footnote, not read"),
    }


def test_text_inside_a_form_over_a_scan_is_read() -> None:
    edition = read_edition([PDF / "text-over-scan.pdf"])
    [article] = edition.articles
    assert article.title == "Tidewatch User Manual"
    assert "1 Installation" in [s.title for s in article.sections]


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    # Reading aloud is what the permission flags' accessibility exemption is for.
    [article] = read_edition([PDF / "restricted.pdf"]).articles
    assert article.title == "Tidewatch User Manual"


def test_a_page_with_no_text_layer_is_listed() -> None:
    text = [_line(1, 50, 100 + 12 * i, f"Body text line {i} of the first page, which goes on.", width=450)
            for i in range(3)]
    pages = (_page(1, text), Page(2, 600, 800, (), has_text=False))
    [article], not_read = build_articles(Extracted(pages), "x.pdf", REPAIR)
    assert [(n.line, n.reason) for n in not_read] == [(2, "page has no text layer (a scanned image): needs OCR")]


def test_paragraph_runs_on_past_a_footnote_at_the_page_foot() -> None:
    pages = [
        _page(1, [_line(1, 50, 100, "The harbour was quiet that morning and the boats were all in before the light",
                        width=450, box=0),
                  _line(1, 50, 112, "came up over the sea, and every fisherman had a bas-", width=450, box=0),
                  _line(1, 50, 700, "1. The market opens at six.", size=7, width=200, box=1)]),
        _page(2, [_line(2, 50, 100, "ket of fish to sell at the market.", width=300, box=0)]),
    ]
    [article], not_read = build_articles(Extracted(tuple(pages)), "x.pdf", REPAIR)
    [paragraph] = article.sections[0].paragraphs
    assert paragraph.text.endswith("every fisherman had a basket of fish to sell at the market.")
    assert ("1. The market opens at six.", "footnote, not read") in {(n.text, n.reason) for n in not_read}


def test_three_columns_with_a_heading_at_a_column_foot() -> None:
    columns = [[_line(1, 40 + 180 * c, 100 + 12 * i, f"col {c} line {i}", width=160, box=c) for i in range(4)]
               for c in range(3)]
    foot = _line(1, 40, 160, "Heading at the foot", size=12, width=100, box=9)
    page = _page(1, [line for column in reversed(columns) for line in column] + [foot])
    assert [ln.text for ln in order_lines(page)] == [*(f"col 0 line {i}" for i in range(4)), "Heading at the foot",
                                                      *(f"col {c} line {i}" for c in (1, 2) for i in range(4))]


def test_outline_titles_join_a_wrapped_heading_and_cut_two_set_as_one() -> None:
    text = "Text under the heading, which goes on for a while and then ends here."
    lines = [
        _line(1, 50, 100, "1 Concepts and User-Defined", size=12, bold=True, box=0),
        _line(1, 300, 100, "Keywords", size=12, bold=True, box=1),  # wrapped into the next column
        _line(1, 300, 120, text, width=250, box=2),
        _line(1, 300, 160, "A Research Methods", size=12, bold=True, box=3),
        _line(1, 300, 175, "A.1 Part One", size=12, bold=True, box=3),  # one block with the line above
        _line(1, 300, 195, text, width=250, box=4),
    ]
    outline = (OutlineEntry(1, "1 Concepts and User-Defined Keywords", 1), OutlineEntry(1, "A Research Methods", 1),
               OutlineEntry(2, "A.1 Part One", 1))
    articles, _ = build_articles(Extracted((_page(1, lines),), outline), "x.pdf", REPAIR)
    titles = [s.title for a in articles for s in a.sections]
    assert titles[-3:] == ["1 Concepts and User-Defined Keywords", "A Research Methods", "A.1 Part One"], titles
    # Without the outline the layout's blocks stand: the evidence for the cut and the join is the outline.
    articles, _ = build_articles(Extracted((_page(1, lines),)), "x.pdf", REPAIR)
    assert "A Research Methods A.1 Part One" in [s.title for a in articles for s in a.sections]


def test_text_that_mentions_the_pdf_header_is_text_and_junk_before_a_header_is_a_pdf() -> None:
    article = b"The PDF format\n\nEvery PDF file begins with a header such as %PDF-1.7, then its objects.\n"
    assert detect_format(article, "about-pdf.txt").name == "text"
    assert detect_format(article, "about-pdf").name == "text"
    assert detect_format(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x").name == "pdf"
    assert detect_format(b"\x00\x05junk\x80\x81%PDF-1.4\n", "x").name == "pdf"  # a wrapper's binary header first
