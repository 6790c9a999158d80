"""Keys of the build cache: what a kept result depends on."""

from __future__ import annotations

from collections import Counter
from importlib import metadata

from decks import diskcache


def test_a_fingerprint_reads_the_versions_importlib_metadata_reports():
    installed = list(metadata.distributions())
    once = {name for name, count in Counter(diskcache._normalised(d.metadata["Name"]) for d in installed).items()
            if count == 1}  # a distribution installed twice on the path: the first one found counts
    for distribution in installed:
        name = diskcache._normalised(distribution.metadata["Name"])
        if name in once:
            assert diskcache._installed()[name] == distribution.version, name


def test_a_distribution_is_found_however_its_name_is_spelt():
    assert diskcache._normalised("Python_PPTX") == diskcache._normalised("python-pptx") == "python-pptx"
    assert diskcache.fingerprint(["PyYAML"], []) == diskcache.fingerprint(["pyyaml"], [])
    assert diskcache.fingerprint(["PyYAML"], []) != diskcache.fingerprint(["no-such-distribution"], [])
