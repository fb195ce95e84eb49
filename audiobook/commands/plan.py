"""The `plan` command: show how the inputs will be read, without synthesising anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..events import Event, Notice
from . import checks


def plan(
    inputs: Annotated[list[str], typer.Argument(help="Text, Markdown, HTML, EPUB or PDF files, directories, or - for standard input.", metavar="INPUT", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the tree.")] = False,
    spoken: Annotated[bool, typer.Option("--spoken", help="Also show each section as the speech engine will get it.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say beside each title, heading and line not read which rule or evidence decided it.")] = False,
    rules: Annotated[Optional[Path], typer.Option("--rules", metavar="FILE", help="A rules file extending the plain-text segmentation rules.", show_default="none")] = None,  # noqa: UP007
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT", help="Edition title.", show_default="from the text")] = None,  # noqa: UP007
    publication: Annotated[Optional[str], typer.Option("--publication", metavar="NAME", help="Publication name.", show_default="from the text")] = None,  # noqa: UP007
    date: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="Issue date, e.g. 2017-03-23.", show_default="from the text")] = None,  # noqa: UP007
    voice: Annotated[Optional[str], typer.Option("--voice", metavar="NAME|FILE", help="Voice profile (default: default): its measured pace gives the times, its lexicons the --spoken text.", show_default=False)] = None,  # noqa: UP007
    language: Annotated[Optional[str], typer.Option("--language", metavar="CODE", help="The language of every article, e.g. fr or en-US, over what the documents say and what detection finds.", show_default="declared, else detected per article")] = None,  # noqa: UP007
) -> None:
    """Show how INPUTs will be read: articles, sections, words, listening time, and what is not read."""
    _validate(inputs, rules, date, voice)
    tag = checks.check_language(language)  # before reading: a large input takes a while
    from ..ingest.summary import render_plan
    from ..pipeline import plan_view

    def note(event: Event) -> None:
        if isinstance(event, Notice):
            typer.echo(f"audiobook: note: {event.message}", err=True)

    data = plan_view(inputs, rules, title, publication, date, voice, spoken, language=tag, sink=note)
    if json_output:
        # Streamed, so a 20 MB edition's plan never sits in memory twice.
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif sys.stdout.isatty() and not explain:
        _draw(data)
    else:
        sys.stdout.write(render_plan(data, explain=explain) + "\n")


def _validate(inputs: list[str], rules: Path | None, date: str | None, voice: str | None) -> None:
    """Every argument checked before reading (a large input takes a while): one line, exit 2."""
    checks.check_inputs(inputs)
    checks.check_rules(rules)
    checks.check_date(date)
    if voice is not None:
        checks.check_voice(voice, check_voices=False)  # only its rate and lexicons are used here


def _draw(data: dict[str, Any]) -> None:
    """A coloured tree for a terminal."""
    from ..ingest.summary import NO_HEADINGS, describe_not_read, format_duration, no_headings, plural
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    ed = data["edition"]
    prov = ed["provenance"]
    root = Tree(
        f"[bold]{escape(str(ed['title']))}[/] [dim]({prov.get('title')})[/] — {escape(str(ed['publication']))} "
        f"[dim]({prov.get('publication')})[/], {ed['issue_date'] or 'no date'} [dim]({prov.get('issue_date')})[/]\n"
        f"{plural(len(data['articles']), 'article')}, {plural(ed['words'], 'word')}, about {format_duration(ed['estimated_seconds'])}"
    )
    for article in data["articles"]:
        label = f"[bold]{escape(article['title'])}[/]  [dim]{plural(article['words'], 'word')}, {format_duration(article['estimated_seconds'])}[/]"
        credits = ", ".join(article["authors"])
        if article["translators"]:
            credits += f" (translated by {', '.join(article['translators'])})"
        if credits:
            label += f"\n[italic]{escape(credits)}[/]"
        if article["standfirst"]:
            label += f"\n[dim]{escape(article['standfirst'][:160])}[/]"
        if str(article.get("language") or "en").split("-")[0].lower() != "en":
            label += f"\n[dim]language: {escape(str(article['language']))}[/]"
        if no_headings(article, len(data["articles"]) == 1):
            label += f"\n[dim]({escape(NO_HEADINGS)})[/]"
        branch = root.add(label)
        for section in article["sections"]:
            name = section["title"] if section["announce_title"] else f"({section['title']}, opening)"
            node = branch.add(f"{escape(name)}  [dim]{plural(section['words'], 'word')}, {format_duration(section['estimated_seconds'])}[/]")
            if "spoken" in section:
                node.add(f"[green]{escape(section['spoken'])}[/]")  # whole: the exact text the voice gets
    console = Console()
    console.print(root)
    if data["not_read"]:
        console.print(f"\n[bold]Not read aloud[/] ({len(data['not_read'])}):")
        for item in data["not_read"]:
            where, what = describe_not_read(item)
            console.print(f"  [dim]{escape(where)}[/] {escape(what)}")
    if data.get("unreadable"):
        console.print(escape(data["unreadable"]))
