"""How many examples a property test runs, and whether they are random.

CI runs a fixed, reproducible set of examples (hypothesis derandomized), so a run on main
fails or passes the same way every time. ``LISTLINT_EXPLORE=N`` runs N random examples
per test instead, to hunt for bugs; keep what such a run finds as an ``@example``::

    LISTLINT_EXPLORE=5000 pytest tests/test_properties.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXPLORE = int(os.environ.get("LISTLINT_EXPLORE", "0"))


def explored(examples: int, *allowed: HealthCheck) -> settings:
    """Settings for a property test: ``examples`` fixed ones, or ``LISTLINT_EXPLORE`` random.

    ``allowed`` are health checks this test is known to trip besides ``too_slow`` (every
    test here renders with cmark-gfm or parses, which hypothesis finds slow).
    """
    return settings(
        max_examples=EXPLORE or examples,
        deadline=None,
        derandomize=not EXPLORE,
        suppress_health_check=[HealthCheck.too_slow, *allowed],
    )
