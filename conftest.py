"""Shared pytest set-up: hypothesis profiles and the doctest namespace."""

from __future__ import annotations

import os

import pendulum
import pytest
from hypothesis import settings

import servicecore

settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, object]) -> None:
    """Give every doctest ``sc`` and ``pendulum``, as the docs import them."""
    doctest_namespace["sc"] = servicecore
    doctest_namespace["pendulum"] = pendulum
