"""What ``BusinessCalendar.explain`` returns: counted time and closures."""

from __future__ import annotations

import attrs
import pendulum

from servicecore._time import format_duration

__all__ = ["BusinessInterval", "CalendarClosure", "CalendarExplanation"]


def _moment(value: pendulum.DateTime) -> str:
    text = value.strftime("%Y-%m-%d %H:%M")
    return f"{text}:{value.second:02d}" if value.second else text


@attrs.frozen(kw_only=True)
class BusinessInterval:
    """
    A stretch of business time counted by ``explain``.

    >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
    >>> start = pendulum.datetime(2024, 3, 8, 16, tz="UTC")
    >>> cal.explain(start, "30m").counted[0].duration
    Duration(minutes=30)

    Args:
        start: Where counting started (an opening, or the start).
        end: Where it stopped (a closing, or the result).
    """

    start: pendulum.DateTime
    end: pendulum.DateTime

    @property
    def duration(self) -> pendulum.Duration:
        """
        Return the real (and business) time of the interval.

        >>> sc.calendar.BusinessInterval(
        ...     start=pendulum.datetime(2024, 1, 1, 9, tz="UTC"),
        ...     end=pendulum.datetime(2024, 1, 1, 17, tz="UTC"),
        ... ).duration.in_hours()
        8

        Returns:
            ``end - start``.
        """
        return pendulum.duration(
            seconds=int((self.end - self.start).total_seconds())
        )


@attrs.frozen(kw_only=True)
class CalendarClosure:
    """
    A closed stretch skipped by ``explain``, with the reasons.

    Each reason names a local date and why it is closed: a weekday without
    hours, a holiday (with its name), an override; a closure between two
    ordinary working days reads ``"outside business hours"``.

    >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
    >>> start = pendulum.datetime(2024, 3, 8, 16, tz="UTC")
    >>> cal.explain(start, "2h").closures[0].reasons
    ('2024-03-09 Saturday: no business hours', '2024-03-10 Sunday: no business hours')

    Args:
        start: When the calendar closed (or the start, if closed then).
        end: When it opened again.
        reasons: Why, one entry per special date.
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CalendarExplanation:
    """
    How ``BusinessCalendar.add`` reached its result.

    ``counted`` and ``closures`` alternate in time from ``start`` to
    ``end``; the durations of ``counted`` add up to ``duration``.
    ``str()`` gives one line per stretch.

    >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
    >>> start = pendulum.datetime(2024, 3, 8, 16, tz="UTC")
    >>> print(cal.explain(start, "2h"))
    2024-03-08 16:00 + 2h of business time = 2024-03-11 10:00 (UTC)
      counted 2024-03-08 16:00 - 2024-03-08 17:00 (1h)
      closed  2024-03-08 17:00 - 2024-03-11 09:00
              2024-03-09 Saturday: no business hours
              2024-03-10 Sunday: no business hours
      counted 2024-03-11 09:00 - 2024-03-11 10:00 (1h)

    Args:
        start: The start, in the calendar's zone.
        duration: The business time added.
        end: The result of ``add``.
        counted: The business intervals counted, in order.
        closures: The closed stretches skipped, in order.
        time_zone: The calendar's zone.
    """

    start: pendulum.DateTime
    duration: pendulum.Duration
    end: pendulum.DateTime
    counted: tuple[BusinessInterval, ...]
    closures: tuple[CalendarClosure, ...]
    time_zone: str

    def __str__(self) -> str:
        """Return the explanation, one line per stretch, in time order."""
        head = (
            f"{_moment(self.start)} + {format_duration(self.duration)} of "
            f"business time = {_moment(self.end)} ({self.time_zone})"
        )
        rows: list[tuple[pendulum.DateTime, str]] = [
            (
                item.start,
                (
                    f"  counted {_moment(item.start)} - {_moment(item.end)} "
                    f"({format_duration(item.duration)})"
                ),
            )
            for item in self.counted
        ]
        for item in self.closures:
            text = f"  closed  {_moment(item.start)} - {_moment(item.end)}"
            if item.reasons == ("outside business hours",):
                text += ": outside business hours"
            else:
                text += "".join(f"\n          {r}" for r in item.reasons)
            rows.append((item.start, text))
        rows.sort(key=lambda row: (row[0], "closed" in row[1][:9]))
        return "\n".join([head, *(text for _, text in rows)])
