"""Transcript and chapters builders against exact text."""

from __future__ import annotations

import json

from audiobook.manifest import Cue, SectionEntry
from audiobook.publish.chapters import build_chapters_json
from audiobook.publish.text import clock
from audiobook.publish.transcript import (
    build_srt,
    build_transcript_json,
    build_vtt,
    caption_cues,
    srt_timestamp,
    vtt_timestamp,
    wrap_words,
)

CUES = (
    Cue(0.0, 1.2345, "Hello, world."),
    Cue(1.5, 3661.0005, "Tom & Jerry <b>bold</b> --> next\n\nline"),
    Cue(3662.0, 3661.0, "Ends before it starts."),
    Cue(3663.0, 3664.0, "  \n "),
)


def test_timestamps() -> None:
    assert vtt_timestamp(0) == "00:00:00.000"
    assert vtt_timestamp(3723.4567) == "01:02:03.457"
    assert srt_timestamp(59.9996) == "00:01:00,000"
    assert srt_timestamp(-0.2) == "00:00:00,000"
    assert vtt_timestamp(36000) == "10:00:00.000"


def test_vtt_exact() -> None:
    assert build_vtt(CUES) == (
        "WEBVTT\n"
        "\n"
        "1\n00:00:00.000 --> 00:00:01.234\nHello, world.\n"
        "\n"
        "2\n00:00:01.500 --> 01:01:01.000\nTom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; --&gt; next line\n"
        "\n"
        "3\n01:01:02.000 --> 01:01:02.000\nEnds before it starts.\n"
    )


def test_vtt_of_nothing_is_a_valid_empty_file() -> None:
    assert build_vtt(()) == "WEBVTT\n"


def test_srt_exact() -> None:
    assert build_srt(CUES[:2]) == (
        "1\n00:00:00,000 --> 00:00:01,234\nHello, world.\n"
        "\n"
        "2\n00:00:01,500 --> 01:01:01,000\nTom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; --&gt; next line\n"
    )


def test_transcript_json_keeps_original_wording() -> None:
    text = build_transcript_json(CUES)
    assert json.loads(text) == {
        "version": "1.0.0",
        "segments": [
            {"startTime": 0.0, "endTime": 1.234, "body": "Hello, world."},
            {"startTime": 1.5, "endTime": 3661.0, "body": "Tom & Jerry <b>bold</b> --> next line"},
            {"startTime": 3662.0, "endTime": 3662.0, "body": "Ends before it starts."},
        ],
    }
    assert text.endswith("}\n")
    assert "<" not in text and ">" not in text and "&" not in text


def test_control_characters_are_dropped_not_the_text() -> None:
    # U+2028 is whitespace to Python, so it folds to a space; NUL and ESC vanish.
    assert build_vtt([Cue(0, 1, "a\x00b\x1bc\u2028d")]).endswith("\nabc d\n")


def test_chapters_json_exact() -> None:
    sections = (
        SectionEntry("chp0", "Opening", 0.0, 12.3456, 100.0, 112.3456),
        SectionEntry("chp1", "The <HQ> & \"more\"", 12.3456, 30.0, 112.3456, 130.0),
    )
    assert build_chapters_json(sections) == (
        "{\n"
        ' "version": "1.2.0",\n'
        ' "chapters": [\n'
        "  {\n"
        '   "startTime": 0.0,\n'
        '   "endTime": 12.346,\n'
        '   "title": "Opening"\n'
        "  },\n"
        "  {\n"
        '   "startTime": 12.346,\n'
        '   "endTime": 30.0,\n'
        '   "title": "The \\u003cHQ\\u003e \\u0026 \\"more\\""\n'
        "  }\n"
        " ]\n"
        "}\n"
    )


def test_clock() -> None:
    assert clock(0) == "0:00"
    assert clock(65.4) == "1:05"
    assert clock(3725) == "1:02:05"


LONG = (
    "In 2005 the suburbs of Paris burned for three weeks, and the young people who set "
    "the cars alight were called scum by the interior minister."
)


def test_long_sentences_become_captions_of_two_lines_of_42() -> None:
    assert build_vtt([Cue(10.0, 19.0, LONG)]) == (
        "WEBVTT\n"
        "\n"
        "1\n00:00:10.000 --> 00:00:15.255\nIn 2005 the suburbs of Paris burned for\nthree weeks, and the young people who set\n"
        "\n"
        "2\n00:00:15.255 --> 00:00:19.000\nthe cars alight were called scum by the\ninterior minister.\n"
    )  # 80 of 137 characters: 80/137 of the sentence's 9 s
    assert build_srt([Cue(10.0, 19.0, LONG)]).startswith(
        "1\n00:00:10,000 --> 00:00:15,255\nIn 2005 the suburbs of Paris burned for\nthree weeks, and the young people who set\n\n2\n"
    )
    # The JSON transcript keeps one segment per sentence (the page's player and EPUB overlays read it).
    assert json.loads(build_transcript_json([Cue(10.0, 19.0, LONG)]))["segments"] == [
        {"startTime": 10.0, "endTime": 19.0, "body": LONG}
    ]


def test_three_lines_split_two_and_one_and_long_words_are_cut() -> None:
    text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    assert caption_cues([Cue(0.0, 3.0, text)]) == [
        (0.0, 2.756, ["one two three four five six seven eight", "nine ten eleven twelve thirteen fourteen"]),
        (2.756, 3.0, ["fifteen"]),
    ]  # 79 of 86 characters
    assert wrap_words("see https://example.org/" + "a" * 40 + " now") == ["see", "https://example.org/" + "a" * 22, "a" * 18 + " now"]
    assert wrap_words("  ") == []


def test_captions_tile_each_sentence() -> None:
    cues = [Cue(0.0, 9.0, LONG), Cue(9.5, 10.0, "Short."), Cue(10.0, 30.0, LONG + " " + LONG)]
    captions = caption_cues(cues)
    assert all(len(lines) <= 2 and all(len(line) <= 42 for line in lines) for _, _, lines in captions)
    assert [(a, b) for a, b, _ in captions][:3] == [(0.0, 5.255), (5.255, 9.0), (9.5, 10.0)]
    assert captions[-1][1] == 30.0 and all(a <= b for a, b, _ in captions)
    assert " ".join(line for _, _, lines in captions for line in lines) == " ".join(c.text for c in cues)
