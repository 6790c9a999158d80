"""The pre-pass rewrites GitHub-flavoured Markdown into Markdown Python-Markdown reads the same way."""

from __future__ import annotations

from decks.gfm_prepass import prepass


def rewritten(text: str) -> str:
    return prepass(text).text


def test_a_child_item_at_its_parents_text_column_moves_to_four_spaces() -> None:
    assert rewritten("- a\n  - b\n    - c\n- d") == "- a\n    - b\n        - c\n- d"


def test_an_ordered_parent_nests_at_its_wider_text_column() -> None:
    assert rewritten("1. a\n   - b\n10. c\n    - d") == "1. a\n    - b\n10. c\n    - d"


def test_a_wide_marker_keeps_its_children() -> None:
    assert rewritten("-   item\n    continued\n    -   child") == "- item\n    continued\n    - child"


def test_four_space_nesting_stays_as_it_is() -> None:
    assert rewritten("- a\n    - b\n        - c") == "- a\n    - b\n        - c"


def test_an_item_not_indented_enough_is_a_sibling() -> None:
    assert rewritten("- a\n - b") == "- a\n- b"


def test_a_list_under_a_paragraph_line_gets_a_blank_line() -> None:
    assert rewritten("Steps:\n1. one\n2. two") == "Steps:\n\n1. one\n2. two"


def test_a_list_under_an_items_first_line_needs_no_blank_line() -> None:
    assert rewritten("- a\n  - b") == "- a\n    - b"


def test_an_ordered_list_not_starting_at_1_does_not_interrupt_a_paragraph() -> None:
    assert rewritten("In\n2019. it rained") == "In\n2019. it rained"


def test_a_lazy_line_continues_its_items_paragraph() -> None:
    assert rewritten("- a\nlazy\n- b") == "- a\n    lazy\n- b"


def test_a_loose_list_gets_a_blank_line_between_all_its_items() -> None:
    assert rewritten("- a\n- b\n\n- c") == "- a\n\n- b\n\n- c"


def test_a_blank_line_inside_a_nested_list_leaves_the_outer_list_tight() -> None:
    assert rewritten("- a\n  - b\n\n  - c") == "- a\n    - b\n\n    - c"


def test_code_inside_a_fence_is_never_touched() -> None:
    text = "- item\n  ```py\n  - not a list\n      deep\n  # not a heading\n  ```\n- next"
    assert rewritten(text) == "- item\n    ```py\n    - not a list\n        deep\n    # not a heading\n    ```\n- next"


def test_a_fence_under_a_paragraph_stands_apart() -> None:
    assert rewritten("text\n```\ncode\n```\nafter") == "text\n\n```\ncode\n```\n\nafter"


def test_a_fence_keeps_only_its_language() -> None:
    assert rewritten("``` python title=x {.a}\nx\n```") == "```python\nx\n```"


def test_an_unclosed_fence_is_closed_and_reported() -> None:
    passed = prepass("```\ncode")
    assert passed.text == "```\ncode\n```"
    assert passed.problems == ((0, "code fence is never closed; it runs to the end of its block"),)


def test_display_math_stands_apart_and_its_lines_are_not_markdown() -> None:
    assert rewritten("where\n$$\n- x\n# y\n$$\nholds") == "where\n\n$$\n- x\n# y\n$$\n\nholds"


def test_dollars_that_never_close_are_text() -> None:
    assert rewritten("$$ costs\n- item") == "$$ costs\n\n- item"


def test_details_with_a_blank_line_inside_read_markdown() -> None:
    assert rewritten("<details><summary>S</summary>\n\n- a\n</details>") == (
        '<details markdown="1"><summary>S</summary>\n\n- a\n\n</details>'
    )


def test_details_closed_before_any_blank_line_stay_raw() -> None:
    text = "<details><summary>S</summary>\nraw\n</details>"
    assert rewritten(text) == text


def test_a_hash_without_a_space_is_text() -> None:
    assert rewritten("#hashtag\n\n# Heading") == "\\#hashtag\n\n# Heading"


def test_quotes_a_blank_line_apart_stay_apart() -> None:
    assert rewritten("> a\n\n> b") == "> a\n\n<!-- -->\n\n> b"


def test_a_list_inside_a_quote_nests_by_its_text_column() -> None:
    assert rewritten("> - a\n>   - b") == "> - a\n>     - b"


def test_a_paren_ordered_marker_becomes_a_dot() -> None:
    assert rewritten("1) one\n2) two") == "1. one\n2. two"


def test_a_thematic_break_is_never_read_as_a_heading_underline() -> None:
    assert rewritten("***\n---") == "***\n\n---"


def test_nesting_past_eight_levels_is_folded_and_reported() -> None:
    passed = prepass("\n".join("  " * depth + "- x" for depth in range(9)))
    assert passed.text.split("\n")[-1] == " " * 28 + "- x"
    assert passed.problems == ((8, "nesting deeper than 8 levels folded into level 8"),)


def test_every_output_line_knows_its_input_line() -> None:
    passed = prepass("text\n- a\n- b\n\n- c")
    assert passed.text == "text\n\n- a\n\n- b\n\n- c"
    assert passed.origins == (0, 1, 1, 2, 2, 3, 4)


def test_tabs_count_as_four_columns() -> None:
    assert rewritten("- a\n\t- b") == "- a\n    - b"


def test_carriage_returns_are_dropped() -> None:
    assert rewritten("- a\r\n  - b\r") == "- a\n    - b"
