import pickle

import pytest

import servicecore as sc
from servicecore import errors

ALL_ERRORS = [
    getattr(errors, name)
    for name in errors.__all__
    if issubclass(getattr(errors, name), sc.ServiceCoreError)
]


@pytest.mark.parametrize("cls", ALL_ERRORS)
def test_every_error_is_a_servicecore_error(cls):
    """Each error class is rooted at ServiceCoreError and pickles intact."""
    assert issubclass(cls, sc.ServiceCoreError)
    err = cls("where", "what")
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.location, copy.problem) == (
        "where: what",
        "where",
        "what",
    )


def test_message_without_location():
    """An error with no location is its problem alone."""
    assert str(sc.errors.ModelError("", "bad")) == "bad"


def test_validation_error_collects_problems():
    """Several problems of one document are reported together, in order."""
    first = sc.errors.UnknownFieldError.for_name(
        "when.all[0]", "case.prio", ["case.priority"]
    )
    second = sc.errors.InvalidValueError(
        "when.all[1].value", "'hgh' is not a priority"
    )
    err = sc.errors.PolicyValidationError.collect(
        "policy.toml", [first, second]
    )
    assert err.errors == (first, second)
    assert str(err) == (
        "policy.toml: 2 problems:\n"
        "  when.all[0]: unknown field 'case.prio'; did you mean 'case.priority'?\n"
        "  when.all[1].value: 'hgh' is not a priority"
    )


def test_plugin_error_names_the_plugin():
    """PluginError keeps the plugin's name apart from the message."""
    err = sc.errors.PluginError("entry point 'acme'", "boom", plugin="acme")
    assert err.plugin == "acme"


def test_warnings_are_user_warnings():
    """Users see our deprecation warnings by default."""
    assert issubclass(sc.errors.ServiceCoreDeprecationWarning, UserWarning)
