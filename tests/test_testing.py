import subprocess
import sys

from hypothesis import given, settings

import servicecore as sc
from servicecore import testing


class TestImport:
    def test_servicecore_does_not_import_hypothesis(self):
        """Importing servicecore leaves hypothesis unloaded."""
        code = "import sys, servicecore; print('hypothesis' in sys.modules)"
        out = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "False"


class TestStrategies:
    @settings(max_examples=30)
    @given(customer=testing.customers())
    def test_customers(self, customer):
        """Drawn customers are valid and hashable."""
        assert isinstance(customer, sc.Customer)
        assert customer.locale in testing.LOCALES
        hash(customer)

    @settings(max_examples=30)
    @given(agent=testing.agents(), team=testing.teams())
    def test_agents_and_teams(self, agent, team):
        """Drawn agents and teams are valid."""
        assert isinstance(agent, sc.Agent)
        assert isinstance(team, sc.Team)

    @settings(max_examples=30)
    @given(interaction=testing.interactions(0, 100))
    def test_interactions_within_bounds(self, interaction):
        """Interactions fall between the bounds given."""
        assert 0 <= interaction.at_s <= 100

    @settings(max_examples=30)
    @given(response=testing.survey_responses())
    def test_survey_responses(self, response):
        """Survey scores are on their scales."""
        assert response.scale_min <= response.score <= response.scale_max

    @settings(max_examples=30)
    @given(events=testing.case_events("k", max_events=8))
    def test_case_events_make_a_valid_log(self, events):
        """A drawn event list is a valid case log."""
        assert 1 <= len(events) <= 8
        case = sc.Case(
            id="k", customer=sc.Customer(id="c"), channel="web", events=events
        )
        assert case.events[0].kind is sc.EventKind.CREATED

    @settings(max_examples=20)
    @given(moment=testing.moments(0, 10))
    def test_moments_are_aware(self, moment):
        """Moments are aware pendulum DateTimes."""
        assert moment.tzinfo is not None
        assert moment.timezone_name in testing.TIME_ZONES
