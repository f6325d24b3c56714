"""The token buckets of api/rate_limit.py: refill, Retry-After, bounded memory, address grouping
(a clock is passed in, so no test waits; the real-server behaviour is in test_translation_load.py)."""

from __future__ import annotations

from api.rate_limit import RateLimiter, client_key


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_rate_and_says_when_the_next_token_comes() -> None:
    clock = _Clock()
    limiter = RateLimiter(6, clock=clock)  # one token every 10 s
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6
    assert limiter.take("a") == 10.0
    assert limiter.take("b") == 0.0, "another address has its own bucket"
    clock.now += 10
    assert limiter.take("a") == 0.0 and limiter.take("a") == 10.0
    clock.now += 3600
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6, "refilled to the burst, not beyond"
    assert limiter.take("a") > 0


def test_memory_is_bounded_however_many_addresses_come() -> None:
    limiter = RateLimiter(1, max_clients=100, clock=_Clock())
    for n in range(20_000):
        limiter.take(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    assert len(limiter) == 100


def test_ipv6_clients_are_counted_by_their_64_network() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1" and client_key("192.0.2.1") == "192.0.2.1"
    assert client_key(None) == ""
