"""``AlertMatch``: each condition alone, and all of them together (pure, no server)."""

from __future__ import annotations

import pytest

from fink_gateway.live.events import AlertEvent, decode_events, encode_events
from fink_gateway.live.filters import AlertMatch

EVENT = AlertEvent(b"ZTF21abfmbix_2459000.5", "ZTF21abfmbix", 92.4445778, 35.5722176, 18.2,
                   ("Early SN Ia candidate", "Unknown", "(TNS) SN Ia"))  # fmt: skip


@pytest.mark.parametrize(
    ("match", "wanted"),
    [
        (AlertMatch(), True),
        (AlertMatch(labels=frozenset({"(TNS) SN Ia"})), True),
        (AlertMatch(labels=frozenset({"Kilonova candidate"})), False),
        (AlertMatch(object_ids=frozenset({"ZTF21abfmbix", "ZTF18aaaaaaa"})), True),
        (AlertMatch(object_ids=frozenset({"ZTF18aaaaaaa"})), False),
        (AlertMatch(magpsf_min=18.2, magpsf_max=18.2), True),  # inclusive, mag
        (AlertMatch(magpsf_max=18.0), False),
        (AlertMatch(magpsf_min=19.0), False),
        (AlertMatch(cone=(92.4445778, 35.5732176, 3.7)), True),  # 3.6 arcsec north
        (AlertMatch(cone=(92.4445778, 35.5732176, 3.5)), False),
        (AlertMatch(cone=(272.4445778, -35.5722176, 18000)), False),  # the antipode
    ],
)
def test_alert_match_applies_each_condition(match: AlertMatch, wanted: bool) -> None:
    assert match(EVENT) is wanted


def test_alert_match_needs_a_magnitude_for_a_magnitude_range() -> None:
    faint = AlertEvent(b"k", "ZTF21abfmbix", 0.0, 0.0, None, ())
    assert AlertMatch()(faint)
    assert not AlertMatch(magpsf_max=30.0)(faint)


def test_events_round_trip_and_a_foreign_payload_gives_none() -> None:
    assert decode_events(encode_events([EVENT])) == [EVENT]
    assert decode_events(b"not json") == []
    assert decode_events(b'[{"key": 1}]') == []
