"""One retry policy for providers and eval: the server's retry-after is never undercut."""

from __future__ import annotations

import pytest

from core.eval.settings import EvalSettings
from core.providers.retries import RetryPolicy
from core.providers.settings import ProviderSettings

PLANES = [
    RetryPolicy.for_providers(ProviderSettings()),
    RetryPolicy.for_eval(EvalSettings(retries=2)),
]


@pytest.mark.parametrize("policy", PLANES, ids=["providers", "eval"])
def test_both_planes_read_the_same_defaults(policy: RetryPolicy) -> None:
    assert policy == RetryPolicy(max_attempts=3, max_retry_after_seconds=60.0)


@pytest.mark.parametrize("policy", PLANES, ids=["providers", "eval"])
def test_retry_after_is_honoured_or_the_request_is_not_retried(policy: RetryPolicy) -> None:
    assert policy.next_delay(1, status=429, headers={"Retry-After": "2"}) == 2
    assert policy.next_delay(1, status=503, headers={"retry-after-ms": "1500"}) == 1.5
    # 120 s asked, 60 s allowed: neither 0.46 s of backoff nor 60 s and an early retry
    assert policy.next_delay(1, status=429, headers={"Retry-After": "120"}) is None


@pytest.mark.parametrize("policy", PLANES, ids=["providers", "eval"])
def test_what_is_retried(policy: RetryPolicy) -> None:
    assert policy.next_delay(1) is not None  # a transport failure
    for status in (408, 429, 500, 502, 503, 504, 599):
        assert policy.next_delay(1, status=status) is not None
    for status in (400, 401, 403, 404, 409, 412, 422):
        assert policy.next_delay(1, status=status) is None
    assert policy.next_delay(policy.max_attempts, status=503) is None


def test_backoff_doubles_with_upward_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_initial_seconds=0.5, backoff_max_seconds=8)
    for _ in range(200):
        delays = [policy.backoff(attempt) for attempt in range(1, 8)]
        assert 0.5 <= delays[0] <= 0.625 and 1.0 <= delays[1] <= 1.25
        assert all(delay <= 8 for delay in delays) and delays[-1] == 8


def test_delay_scale_shrinks_every_wait() -> None:
    policy = RetryPolicy.for_providers(ProviderSettings(delay_scale=0.001))
    assert policy.next_delay(1, status=429, headers={"retry-after": "2"}) == pytest.approx(0.002)
    assert policy.backoff(1) <= 0.000625
