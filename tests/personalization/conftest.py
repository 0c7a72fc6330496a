"""Shared fixtures of the personalization tests."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc

AT = pendulum.datetime(2024, 3, 5, 9, 0, tz="UTC")


@pytest.fixture(name="customer")
def _customer() -> sc.Customer:
    return sc.Customer(
        id="cu-1",
        name="Lena Meier",
        locale="de_CH",
        time_zone="Europe/Zurich",
        tier="vip",
        tags=["beta"],
        preferred_channel="chat",
        attributes={"plan": "pro"},
    )


@pytest.fixture(name="at")
def _at() -> pendulum.DateTime:
    return AT
