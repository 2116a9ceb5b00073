"""The one verdict every screen shows for an integration, judged from what last happened."""

from datetime import UTC, datetime, timedelta

import pytest

from integrations.status import IntegrationStatus, Verdict

EARLIER = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = EARLIER + timedelta(hours=2)


def status(**fields) -> IntegrationStatus:
    return IntegrationStatus(name="Facebook", service="facebook", **{"configured": True, **fields})


def test_without_settings_it_is_not_configured_whatever_happened_before():
    assert status(configured=False, last_error_at=LATER).verdict == Verdict.NOT_CONFIGURED


def test_configured_but_never_reached_is_not_verified_yet():
    assert status().verdict == Verdict.NOT_VERIFIED


def test_configured_with_every_call_failed_is_failing():
    failed = status(last_error_at=LATER, last_error="could not reach graph.facebook.com")
    assert failed.verdict == Verdict.FAILING


def test_a_failure_after_the_last_success_is_failing():
    assert status(last_success_at=EARLIER, last_error_at=LATER).verdict == Verdict.FAILING


def test_a_success_after_the_last_failure_is_working():
    assert status(last_success_at=LATER, last_error_at=EARLIER).verdict == Verdict.WORKING


def test_a_success_with_no_failure_is_working():
    assert status(last_success_at=LATER).verdict == Verdict.WORKING


@pytest.mark.parametrize(
    "fields",
    [
        {"problems": ["The Page token expires in 3 days: renew it."]},
        {"failed": 2},
        {"token_ok": False},
    ],
)
def test_a_working_service_with_something_waiting_on_staff_needs_attention(fields):
    assert status(last_success_at=LATER, **fields).verdict == Verdict.ATTENTION


def test_a_standing_problem_outranks_not_verified_yet():
    # A missing credentials file is worth fixing before anything is ever tried.
    never_reached = status(problems=["The credentials file /x.json does not exist."])
    assert never_reached.verdict == Verdict.ATTENTION


def test_failing_outranks_the_problems_it_may_also_list():
    failing = status(last_error_at=LATER, problems=["2 event(s) failed to sync"], failed=2)
    assert failing.verdict == Verdict.FAILING


def test_only_failing_and_attention_count_as_needing_attention():
    assert {v for v in Verdict if v.needs_attention} == {Verdict.FAILING, Verdict.ATTENTION}


def test_every_verdict_has_a_label_for_staff():
    assert [v.label for v in Verdict] == [
        "not configured",
        "failing",
        "needs attention",
        "not verified yet",
        "working",
    ]
