"""The reading script: an article as the utterances a voice speaks, with pauses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Article
from .voice import VoiceProfile

Normaliser = Callable[[str], str]

TITLE = "title"
BYLINE = "byline"
STANDFIRST = "standfirst"
HEADING = "heading"
SENTENCE = "sentence"


@dataclass(frozen=True)
class Utterance:
    """One clip to synthesise, then the silence that follows it."""

    text: str  # original wording, for transcripts and cues
    spoken: str  # normalised text handed to the engine
    kind: str  # title / byline / standfirst / heading / sentence
    pause_ms: int  # silence after this utterance
    voice: str | None = None  # engine voice override (headings)

    @property
    def speakable(self) -> bool:
        """False when normalisation left nothing an engine could say."""
        return any(ch.isalnum() for ch in self.spoken)


@dataclass(frozen=True)
class ScriptSection:
    """One chapter of the script: its title and everything spoken in it."""

    title: str
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True)
class ArticleScript:
    title: str
    sections: tuple[ScriptSection, ...]

    @property
    def utterances(self) -> tuple[Utterance, ...]:
        return tuple(u for s in self.sections for u in s.utterances)


def join_names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' — names as a listener hears them."""
    names = [n.strip() for n in names if n.strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def byline(article: Article) -> str | None:
    """'By A. Translated by B.' from the article's credits, or None when it has none."""
    parts = []
    if article.authors:
        parts.append(f"By {join_names(article.authors)}.")
    if article.translators:
        parts.append(f"Translated by {join_names(article.translators)}.")
    return " ".join(parts) or None


def script_article(
    article: Article, profile: VoiceProfile, normalise: Normaliser, voice: str | None = None
) -> ArticleScript:
    """Turn an article into sections of utterances with the profile's pauses.

    `voice` reads the whole article, headings too, when it is not in the profile's language
    (audiobook.synthesise.voices.voice_for_language); None keeps the profile's voices.

    The opening chapter starts with the title, byline and standfirst. Each
    section's heading is read (in the heading voice) unless the profile says
    not to or the section is the untitled opening one named after the article.
    The last utterance of the article has no pause: silence between articles
    belongs to the edition, not to each file.
    """
    pauses = profile.pauses
    heads = profile.headings
    sections: list[ScriptSection] = []
    n_sections = len(article.sections)

    heading_voice = heads.voice if voice is None else voice  # the heading voice speaks the profile's language

    def utter(text: str, kind: str, pause_ms: int, own: str | None = voice) -> Utterance:
        return Utterance(text=text, spoken=normalise(text), kind=kind, pause_ms=pause_ms, voice=own)

    opening = [utter(article.title, TITLE, heads.pause_ms, heading_voice)]
    credit = byline(article)
    if credit:
        opening.append(utter(credit, BYLINE, pauses.paragraph_ms))
    if article.standfirst and article.standfirst.strip():
        opening.append(utter(article.standfirst.strip(), STANDFIRST, pauses.paragraph_ms))

    for s_index, section in enumerate(article.sections):
        items: list[Utterance] = opening if s_index == 0 else []
        last_section = s_index == n_sections - 1
        if section.announce_title and heads.announce and section.title.strip():
            items.append(utter(section.title.strip(), HEADING, heads.pause_ms, heading_voice))
        n_paras = len(section.paragraphs)
        for p_index, para in enumerate(section.paragraphs):
            last_para = p_index == n_paras - 1
            sentences = [s for s in para.sentences if s.strip()] or ([para.text] if para.text.strip() else [])
            for k, sentence in enumerate(sentences):
                if k < len(sentences) - 1:
                    pause = pauses.sentence_ms
                elif not last_para:
                    pause = pauses.paragraph_ms
                elif not last_section:
                    pause = pauses.section_ms
                else:
                    pause = 0
                items.append(utter(sentence.strip(), SENTENCE, pause))
        if items and items[-1].kind != SENTENCE and not last_section:
            # A section with a heading but no text still needs its section pause.
            last = items[-1]
            items[-1] = Utterance(last.text, last.spoken, last.kind, max(last.pause_ms, pauses.section_ms), last.voice)
        sections.append(ScriptSection(title=section.title.strip() or article.title, utterances=tuple(items)))

    if not sections:
        sections.append(ScriptSection(title=article.title, utterances=tuple(opening)))
    # The very end of the article: no trailing silence inside the file.
    last_sec = sections[-1]
    if last_sec.utterances:
        u = last_sec.utterances[-1]
        sections[-1] = ScriptSection(
            last_sec.title, last_sec.utterances[:-1] + (Utterance(u.text, u.spoken, u.kind, 0, u.voice),)
        )
    return ArticleScript(title=article.title, sections=tuple(sections))
