"""How hard the property tests search: a fixed, repeatable search in the suite; a long random one on demand.

The suite (``make test``, so CI) derandomizes Hypothesis, so that a run on an
unchanged tree finds what the last run found, and a red CI always means a
change, never a lucky draw. ``make fuzz`` (``DECKS_FUZZ=<factor>``) searches
with fresh random examples, ``<factor>`` times as many; what it finds is kept
as a plain example test. The explain phase is off in both: it traces every
line, which makes a whole-deck example run for minutes and then fail on its
own time limit, burying the real failure.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

FACTOR = int(os.environ.get("DECKS_FUZZ") or 0)
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)

settings.register_profile("suite", derandomize=True, phases=PHASES, print_blob=True)
settings.register_profile("fuzz", phases=PHASES, print_blob=True)
settings.load_profile("fuzz" if FACTOR else "suite")


def examples(count: int) -> int:
    """``count`` examples in the suite, ``count * DECKS_FUZZ`` when fuzzing."""
    return count * FACTOR if FACTOR else count
