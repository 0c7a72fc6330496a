"""Metrics from elsewhere see every event as a public MetricSignal."""

from __future__ import annotations

import servicecore as sc


def _recorder(seen: list[sc.sla.MetricSignal]) -> sc.sla.MetricDefinition:
    """Return a metric that records each signal its start predicate gets."""

    def starts(signal: sc.sla.MetricSignal) -> bool:
        seen.append(signal)
        return False

    return sc.sla.MetricDefinition(name="recorder", starts=starts)


class TestCustomMetricSignals:
    def test_every_event_reaches_a_custom_metric(self, h):
        """Creation, message, note, tag and status: five MetricSignals."""
        seen: list[sc.sla.MetricSignal] = []
        targets = {"normal": {"first_reply": "4h", "recorder": "1h"}}
        engine = sc.SLAEngine([h.policy(targets)], metrics=[_recorder(seen)])
        case = (
            h.Story()
            .customer_says("10m")
            .agent_says("20m", public=False)
            .tag("30m", "billing")
            .status("40m", "open")
            .case()
        )
        engine.evaluate(case, h.MONDAY.add(hours=1))
        assert [type(s) for s in seen] == [sc.sla.MetricSignal] * 5
        assert [(s.index, s.kind.value) for s in seen] == [
            (0, "created"),
            (1, "message"),
            (2, "message"),
            (3, "tags_changed"),
            (4, "status_changed"),
        ]

    def test_a_custom_metric_sees_the_counters_before_the_event(self, h):
        """The second customer message comes after one reply and one message."""
        seen: list[sc.sla.MetricSignal] = []
        engine = sc.SLAEngine(
            [h.policy({"normal": {"recorder": "1h"}})],
            metrics=[_recorder(seen)],
        )
        case = (
            h.Story()
            .customer_says("10m")
            .agent_says("20m")
            .customer_says("30m")
            .case()
        )
        engine.evaluate(case, h.MONDAY.add(hours=1))
        last = seen[-1]
        assert (
            last.is_customer_message,
            last.agent_replies,
            last.customer_messages,
            last.unanswered_since_s,
        ) == (True, 1, 1, None)
