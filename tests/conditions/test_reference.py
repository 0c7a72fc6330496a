"""docs/conditions.md lists exactly what the default registry holds."""

from __future__ import annotations

from pathlib import Path

import servicecore as sc
from servicecore.conditions import _reference

PAGE = Path(__file__).parents[2] / "docs" / "conditions.md"


class TestGeneratedPage:
    def test_page_holds_the_generated_reference(self):
        """The generated part of the page equals the registry's reference."""
        text = PAGE.read_text(encoding="utf-8")
        assert (
            _reference.update_page(
                text, _reference.render_reference(sc.Registry())
            )
            == text
        ), (
            "docs/conditions.md is stale: run "
            "python -m servicecore.conditions._reference docs/conditions.md"
        )

    def test_every_field_and_operator_is_listed(self):
        """Each registered field and operator has a row of the reference."""
        registry = sc.Registry()
        text = _reference.render_reference(registry)
        names = registry.field_names() + registry.operator_names()
        assert [name for name in names if f"| `{name}` |" not in text] == []

    def test_main_rewrites_a_stale_page(self, tmp_path):
        """The regeneration command replaces a stale reference in place."""
        page = tmp_path / "conditions.md"
        page.write_text(
            f"intro\n{_reference.BEGIN}\nSTALE ROWS\n{_reference.END}\nend\n",
            encoding="utf-8",
        )
        assert _reference.main([str(page)]) == 0
        text = page.read_text(encoding="utf-8")
        assert text.startswith(f"intro\n{_reference.BEGIN}\n\n### Operators")
        assert text.endswith(f"{_reference.END}\nend\n")
        assert "STALE ROWS" not in text
