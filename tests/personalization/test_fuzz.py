import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        ["formal", "vip", "08:00-20:00", "14d", "de_CH", "chat", "xx", ""]
    ),
    st.text(max_size=8),
)
_KEYS = st.sampled_from(
    [
        "name",
        "when",
        "set",
        "final",
        "tone",
        "locale",
        "time_zone",
        "queue",
        "priority_boost",
        "contact_window",
        "survey_suppression",
        "template",
        "greeting",
        "field",
        "op",
        "value",
        "all",
        "any",
        "hours",
        "days",
        "rules",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_KEYS, inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=80)
@given(section=_VALUES)
def test_rule_loading_raises_only_our_errors(section):
    """No personalization section makes loading raise a foreign exception."""
    with contextlib.suppress(sc.ServiceCoreError):
        sc.Personalizer.from_dict(
            {"schema_version": 1, "personalization": section}
        )


@settings(max_examples=60)
@given(
    text=st.text(max_size=30),
    template=st.sampled_from(["greeting.formal", "resolution", "nope"]),
    locale=st.sampled_from(["de", "fr_CA", "ja", "xx", "de-CH", ""]),
)
def test_translations_raise_only_our_errors(text, template, locale):
    """No override text, template or locale raises a foreign exception."""
    with contextlib.suppress(sc.ServiceCoreError):
        sc.personalization.MessageCatalog.default().with_translation(
            locale, template, text
        )


@settings(max_examples=60)
@given(data=st.binary(max_size=200))
def test_po_reading_raises_only_our_errors(data):
    """No bytes make reading a .po file raise a foreign exception."""
    with contextlib.suppress(sc.ServiceCoreError):
        sc.personalization.MessageCatalog.default().with_po(
            io.BytesIO(data), locale="de"
        )
