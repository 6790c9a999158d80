"""Cut a Document into slides: a title slide, section dividers and content slides.

The rules are the authoring conventions of DESIGN.md: the title heading (or the
front matter) makes the title slide; each ``##`` starts a slide; a later ``#``
makes a section divider; ``---`` starts a new slide that keeps the title; notes
comments become the speaker notes of the slide they sit in. Blocks between the
title and the first ``##`` (or between a ``#`` and the next heading) stay with
the title or divider slide: the planner decides whether they fit there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msgspec.structs import replace

from decks.model import Block, Columns, Document, Heading, Inline, Notes, Slide, Text, ThematicBreak, plain_text


@dataclass
class _Draft:
    """A slide being filled while walking the blocks; ``from_break`` slides vanish when empty."""

    kind: str
    title: tuple[Inline, ...]
    line: int
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    from_break: bool = False

    def freeze(self) -> Slide:
        return Slide(
            kind=self.kind,  # type: ignore[arg-type]
            title=self.title,
            blocks=tuple(self.blocks),
            notes=tuple(self.notes),
            line=self.line,
        )


def outline(document: Document) -> list[Slide]:
    """One Slide per title, section and content slide, in order, before any fitting."""
    title_heading = _title_heading(document)
    cover_title = title_heading.children if title_heading else (Text(document.meta.title),)
    drafts = [_Draft("title", cover_title, document.title_line or 1)]
    for block in document.blocks:
        current = drafts[-1]
        if block is title_heading:
            continue
        if isinstance(block, Heading) and block.level <= 2:
            kind = "section" if block.level == 1 else "content"
            drafts.append(_Draft(kind, block.children, block.line))
        elif isinstance(block, ThematicBreak):
            drafts.append(_Draft("content", current.title, block.line, from_break=True))
        else:
            content, notes = _take_notes(block)
            current.blocks.extend(content)
            current.notes.extend(notes)
    return [draft.freeze() for draft in drafts if not (draft.from_break and not draft.blocks and not draft.notes)]


def _title_heading(document: Document) -> Heading | None:
    """The ``#`` heading that the title slide stands for, if the title came from one.

    That is the heading on ``document.title_line``, or else a first ``#`` heading
    that repeats the front matter's title before any slide starts.
    """
    for block in document.blocks:
        if not isinstance(block, Heading) or block.level > 2:
            continue
        on_title_line = bool(document.title_line) and block.line == document.title_line
        same_text = plain_text(block.children).strip() == document.meta.title.strip()
        return block if block.level == 1 and (on_title_line or same_text) else None
    return None


def _take_notes(block: Block) -> tuple[list[Block], list[Block]]:
    """The block without its notes comments, and those notes' blocks (columns may hold notes too)."""
    if isinstance(block, Notes):
        return [], list(block.blocks)
    if isinstance(block, Columns):
        notes: list[Block] = []
        columns = []
        for column in block.columns:
            kept: list[Block] = []
            for child in column:
                content, found = _take_notes(child)
                kept.extend(content)
                notes.extend(found)
            columns.append(tuple(kept))
        return [replace(block, columns=tuple(columns))], notes
    return [block], []
