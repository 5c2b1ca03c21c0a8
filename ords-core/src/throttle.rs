//! A pure rule for throttling failed client authentications.
//!
//! The caller keeps a [`FailState`] per client (or per client id presented)
//! and, atomically with respect to other callers (under one lock), calls
//! [`reserve`] **before** checking credentials: a reservation counts as a
//! failure at once, so concurrent attempts see it and at most
//! `free_attempts` verifications of one name are ever in flight or evaluated
//! within a lock window. After the check it calls [`settle_failure`] or
//! [`settle_success`] (the latter resets the count, except for other
//! reservations still in flight). [`retry_after`], [`record_failure`] and
//! [`record_success`] are the underlying, non-reserving rule.
//!
//! Time is in unix seconds and all arithmetic saturates: no input can make
//! these functions panic or overflow.

/// Failure history of one client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailState {
    /// Consecutive failures since the last success or reset.
    pub failures: u32,
    /// Time of the last failure, in unix seconds.
    pub last_failure: i64,
    /// Reservations made by [`reserve`] and not yet settled (each is also
    /// counted in `failures`, so `pending <= failures`).
    pub pending: u32,
}

/// Throttling parameters.
///
/// Negative durations are treated as zero.
#[derive(Clone, Copy, Debug)]
pub struct ThrottleRule {
    /// Failures allowed before any lock applies.
    pub free_attempts: u32,
    /// Lock length after the first failure beyond the free ones, in seconds;
    /// doubles with each further failure.
    pub base_delay_s: i64,
    /// Upper bound of the lock length, in seconds.
    pub max_delay_s: i64,
    /// After this many seconds without a failure the state counts as clean.
    pub reset_after_s: i64,
}

impl Default for ThrottleRule {
    /// 5 free attempts, then 1 s doubling up to 300 s; clean after 900 s.
    fn default() -> Self {
        ThrottleRule {
            free_attempts: 5,
            base_delay_s: 1,
            max_delay_s: 300,
            reset_after_s: 900,
        }
    }
}

/// True when the state is old enough (or empty) to count as clean.
fn is_stale(rule: &ThrottleRule, st: &FailState, now: i64) -> bool {
    st.failures == 0 || now.saturating_sub(st.last_failure) >= rule.reset_after_s.max(0)
}

/// Lock length, in seconds, that follows the last of `failures` failures:
/// `0` while `failures < free_attempts`, then
/// `min(max_delay_s, base_delay_s * 2^(failures - free_attempts))`.
pub fn lock_duration(rule: &ThrottleRule, failures: u32) -> i64 {
    if failures < rule.free_attempts {
        return 0;
    }
    let max = rule.max_delay_s.max(0);
    let base = rule.base_delay_s.max(0);
    let exp = failures - rule.free_attempts;
    let delay = if base == 0 {
        0
    } else if exp >= 62 {
        max
    } else {
        base.checked_mul(1i64 << exp).unwrap_or(i64::MAX)
    };
    delay.min(max)
}

/// Decides whether an authentication attempt may proceed at `now`.
///
/// Returns `None` when it may, or `Some(seconds)` (at least 1) to wait
/// before the next attempt, suitable for a `Retry-After` header.
///
/// The rule: if `now - last_failure >= reset_after_s` the state counts as
/// clean (no lock). While `failures < free_attempts` there is no lock.
/// Beyond that, the lock starting at `last_failure` lasts
/// `min(max_delay_s, base_delay_s * 2^(failures - free_attempts))` seconds
/// (overflow-safe). If the clock went backwards (`now < last_failure`) the
/// wait is capped at the lock length.
pub fn retry_after(rule: &ThrottleRule, st: &FailState, now: i64) -> Option<i64> {
    if is_stale(rule, st, now) {
        return None;
    }
    let delay = lock_duration(rule, st.failures);
    if delay == 0 {
        return None;
    }
    let unlock_at = st.last_failure.saturating_add(delay);
    if now >= unlock_at {
        return None;
    }
    let wait = unlock_at.saturating_sub(now).min(delay);
    if wait > 0 { Some(wait) } else { None }
}

/// Returns the state after a failed attempt at `now`.
///
/// A stale state (see [`retry_after`]) is reset first, so the count starts
/// again at 1. The counter saturates at `u32::MAX`. `last_failure` becomes
/// `now`, or stays at the previous value if that is later (clock going
/// backwards never shortens a lock).
///
/// On a **successful** attempt, reset the state to [`FailState::default()`]
/// (what [`record_success`] returns).
pub fn record_failure(rule: &ThrottleRule, st: &FailState, now: i64) -> FailState {
    if is_stale(rule, st, now) {
        return FailState {
            failures: 1,
            last_failure: now,
            pending: 0,
        };
    }
    FailState {
        failures: st.failures.saturating_add(1),
        last_failure: now.max(st.last_failure),
        pending: st.pending.min(st.failures),
    }
}

/// Returns the state after a successful attempt: always
/// [`FailState::default()`].
pub fn record_success() -> FailState {
    FailState::default()
}

/// Reserves one verification at `now`: `Err(seconds)` (at least 1) when the
/// state is locked out (see [`retry_after`]); else the new state, in which the
/// attempt already counts as a failure and as pending. Store it before
/// verifying, under the same lock as the read.
///
/// A stale state starts again from one failure and one pending reservation
/// (reservations older than `reset_after_s` are taken as abandoned).
pub fn reserve(rule: &ThrottleRule, st: &FailState, now: i64) -> Result<FailState, i64> {
    if let Some(wait) = retry_after(rule, st, now) {
        return Err(wait);
    }
    let mut next = record_failure(rule, st, now);
    next.pending = next.pending.saturating_add(1).min(next.failures);
    Ok(next)
}

/// The state after a reserved verification failed at `now`: it stays counted
/// as a failure, is no longer pending, and the lock runs from `now` (the end
/// of the failed check, as if the failure had been recorded then; never
/// earlier than before).
pub fn settle_failure(st: &FailState, now: i64) -> FailState {
    FailState {
        pending: st.pending.saturating_sub(1),
        last_failure: st.last_failure.max(now),
        ..*st
    }
}

/// The state after a reserved verification succeeded: the failures are
/// forgotten, except the other reservations still in flight, which stay
/// counted (so a success cannot open the door to more parallel guesses
/// than the rule allows). With none in flight this is
/// [`FailState::default()`].
pub fn settle_success(st: &FailState) -> FailState {
    let others = st.pending.saturating_sub(1);
    if others == 0 {
        return FailState::default();
    }
    FailState {
        failures: others,
        last_failure: st.last_failure,
        pending: others,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn st(failures: u32, last_failure: i64) -> FailState {
        FailState {
            failures,
            last_failure,
            pending: 0,
        }
    }

    #[test]
    fn reservations_bound_parallel_verifications() {
        // 30 callers arrive together: 5 reserve (counted as failures at once),
        // the 25 others are refused before any verification.
        let r = ThrottleRule::default();
        let now = 1_000;
        let mut s = FailState::default();
        let mut granted = 0;
        for _ in 0..30 {
            if let Ok(n) = reserve(&r, &s, now) {
                s = n;
                granted += 1;
            }
        }
        assert_eq!(granted, 5);
        assert_eq!((s.failures, s.pending), (5, 5));
        // One of them succeeds: the four still in flight stay counted.
        s = settle_success(&s);
        assert_eq!((s.failures, s.pending), (4, 4));
        assert!(reserve(&r, &s, now).is_ok());
        // The others fail: the count stays, nothing is pending.
        let mut s2 = s;
        for _ in 0..4 {
            s2 = settle_failure(&s2, now);
        }
        assert_eq!((s2.failures, s2.pending), (4, 0));
        // A lone success resets everything.
        let one = reserve(&r, &FailState::default(), now).unwrap();
        assert_eq!(settle_success(&one), FailState::default());
    }

    #[test]
    fn lock_runs_from_the_end_of_the_failed_check() {
        let r = ThrottleRule {
            free_attempts: 1,
            ..ThrottleRule::default()
        };
        let s = reserve(&r, &FailState::default(), 100).unwrap();
        // The check took 3 s: the 1 s lock starts when it failed, not when it began.
        let s = settle_failure(&s, 103);
        assert_eq!(retry_after(&r, &s, 103), Some(1));
        assert_eq!(retry_after(&r, &s, 104), None);
        // A clock going backwards never moves the lock earlier.
        assert_eq!(settle_failure(&s, 50).last_failure, 103);
    }

    #[test]
    fn reserve_refuses_while_locked() {
        let r = ThrottleRule::default();
        let t = 1_000_000;
        assert_eq!(reserve(&r, &st(5, t), t), Err(1));
        assert_eq!(reserve(&r, &st(7, t), t + 1), Err(3));
        let n = reserve(&r, &st(5, t), t + 1).unwrap();
        assert_eq!((n.failures, n.pending, n.last_failure), (6, 1, t + 1));
        // Stale: starts again, abandoned reservations forgotten.
        let old = FailState {
            failures: 9,
            last_failure: t,
            pending: 3,
        };
        let n = reserve(&r, &old, t + 900).unwrap();
        assert_eq!((n.failures, n.pending), (1, 1));
    }

    #[test]
    fn defaults() {
        let r = ThrottleRule::default();
        assert_eq!(
            (
                r.free_attempts,
                r.base_delay_s,
                r.max_delay_s,
                r.reset_after_s
            ),
            (5, 1, 300, 900)
        );
        assert_eq!(FailState::default(), st(0, 0));
        assert_eq!(record_success(), FailState::default());
    }

    #[test]
    fn free_attempts_never_lock() {
        let r = ThrottleRule::default();
        for f in 0..5 {
            assert_eq!(retry_after(&r, &st(f, 1000), 1000), None, "failures {f}");
        }
    }

    #[test]
    fn exponential_lock() {
        let r = ThrottleRule::default();
        let t = 1_000_000;
        assert_eq!(retry_after(&r, &st(5, t), t), Some(1));
        assert_eq!(retry_after(&r, &st(5, t), t + 1), None);
        assert_eq!(retry_after(&r, &st(6, t), t), Some(2));
        assert_eq!(retry_after(&r, &st(6, t), t + 1), Some(1));
        assert_eq!(retry_after(&r, &st(7, t), t), Some(4));
        assert_eq!(retry_after(&r, &st(13, t), t), Some(256));
        assert_eq!(retry_after(&r, &st(14, t), t), Some(300));
        assert_eq!(retry_after(&r, &st(u32::MAX, t), t), Some(300));
        assert_eq!(retry_after(&r, &st(u32::MAX, t), t + 299), Some(1));
        assert_eq!(retry_after(&r, &st(u32::MAX, t), t + 300), None);
    }

    #[test]
    fn lock_duration_values() {
        let r = ThrottleRule::default();
        assert_eq!(lock_duration(&r, 0), 0);
        assert_eq!(lock_duration(&r, 4), 0);
        assert_eq!(lock_duration(&r, 5), 1);
        assert_eq!(lock_duration(&r, 8), 8);
        assert_eq!(lock_duration(&r, 66), 300);
        assert_eq!(lock_duration(&r, 67), 300);
        let big = ThrottleRule {
            base_delay_s: i64::MAX,
            max_delay_s: i64::MAX,
            ..r
        };
        assert_eq!(lock_duration(&big, 5), i64::MAX);
        assert_eq!(lock_duration(&big, 6), i64::MAX);
        let neg = ThrottleRule {
            base_delay_s: -5,
            max_delay_s: -1,
            ..r
        };
        assert_eq!(lock_duration(&neg, 10), 0);
    }

    #[test]
    fn reset_after_quiet_period() {
        let r = ThrottleRule::default();
        let t = 1_000_000;
        // Would be locked for 300 s, but 900 s have passed: clean.
        assert_eq!(retry_after(&r, &st(40, t), t + 899), None);
        assert_eq!(retry_after(&r, &st(40, t), t + 900), None);
        // And the next failure starts counting from 1 again.
        assert_eq!(record_failure(&r, &st(40, t), t + 900), st(1, t + 900));
        assert_eq!(record_failure(&r, &st(40, t), t + 899), st(41, t + 899));
    }

    #[test]
    fn reset_wins_over_longer_lock() {
        // Misconfiguration: lock longer than the reset window. Reset wins.
        let r = ThrottleRule {
            max_delay_s: 10_000,
            base_delay_s: 10_000,
            ..Default::default()
        };
        assert_eq!(retry_after(&r, &st(5, 0), 899), Some(10_000 - 899));
        assert_eq!(retry_after(&r, &st(5, 0), 900), None);
    }

    #[test]
    fn record_failure_sequence() {
        let r = ThrottleRule::default();
        let mut s = FailState::default();
        let now = 5_000;
        for i in 1..=5 {
            assert_eq!(retry_after(&r, &s, now), None);
            s = record_failure(&r, &s, now);
            assert_eq!(s.failures, i);
        }
        assert_eq!(retry_after(&r, &s, now), Some(1));
        s = record_failure(&r, &s, now + 1);
        assert_eq!(retry_after(&r, &s, now + 1), Some(2));
        s = record_success();
        assert_eq!(retry_after(&r, &s, now + 1), None);
    }

    #[test]
    fn clock_going_backwards() {
        let r = ThrottleRule::default();
        let t = 1_000_000;
        // now < last_failure: wait is capped at the lock length.
        assert_eq!(retry_after(&r, &st(14, t), t - 10_000), Some(300));
        // record_failure never moves last_failure backwards.
        assert_eq!(record_failure(&r, &st(6, t), t - 5), st(7, t));
    }

    #[test]
    fn extreme_times() {
        let r = ThrottleRule::default();
        assert_eq!(retry_after(&r, &st(10, i64::MAX), i64::MIN), Some(32));
        assert_eq!(retry_after(&r, &st(10, i64::MIN), i64::MAX), None);
        assert_eq!(retry_after(&r, &st(10, i64::MAX), i64::MAX), None);
        assert_eq!(record_failure(&r, &st(u32::MAX, 0), 0), st(u32::MAX, 0));
    }

    fn any_rule() -> impl Strategy<Value = ThrottleRule> {
        (any::<u32>(), any::<i64>(), any::<i64>(), any::<i64>()).prop_map(|(f, b, m, r)| {
            ThrottleRule {
                free_attempts: f,
                base_delay_s: b,
                max_delay_s: m,
                reset_after_s: r,
            }
        })
    }

    fn sane_rule() -> impl Strategy<Value = ThrottleRule> {
        (0u32..10, 0i64..100, 0i64..10_000, 0i64..100_000).prop_map(|(f, b, m, r)| ThrottleRule {
            free_attempts: f,
            base_delay_s: b,
            max_delay_s: m,
            reset_after_s: r,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(1000)))]

        #[test]
        fn never_panics(rule in any_rule(), f in any::<u32>(), last in any::<i64>(), now in any::<i64>()) {
            let s = st(f, last);
            if let Some(w) = retry_after(&rule, &s, now) {
                prop_assert!(w >= 1);
                prop_assert!(w <= rule.max_delay_s.max(0));
            }
            let n = record_failure(&rule, &s, now);
            prop_assert!(n.failures >= 1);
        }

        #[test]
        fn wait_is_bounded_and_expires(rule in sane_rule(), f in 0u32..100, last in -1_000_000i64..1_000_000, dt in 0i64..20_000) {
            let s = st(f, last);
            let now = last + dt;
            if let Some(w) = retry_after(&rule, &s, now) {
                prop_assert!(w >= 1 && w <= rule.max_delay_s);
                prop_assert_eq!(retry_after(&rule, &s, now + w), None);
                // One second earlier it is still locked, unless the state
                // has gone stale by then (reset wins over a longer lock).
                if w > 1 && (now + w - 1) - last < rule.reset_after_s {
                    prop_assert!(retry_after(&rule, &s, now + w - 1).is_some());
                }
            }
        }

        #[test]
        fn more_failures_never_wait_less(rule in sane_rule(), f in 0u32..100, last in -1_000i64..1_000, dt in 0i64..2_000) {
            let now = last + dt;
            let a = retry_after(&rule, &st(f, last), now).unwrap_or(0);
            let b = retry_after(&rule, &st(f + 1, last), now).unwrap_or(0);
            prop_assert!(b >= a);
        }

        /// Whatever the interleaving of reservations and settlements at one
        /// instant, verifications in flight never exceed the free attempts,
        /// and without a success no more than the free attempts are granted.
        #[test]
        fn reservations_never_exceed_free_attempts(free in 0u32..8, ops in proptest::collection::vec(0u8..3, 0..200)) {
            let rule = ThrottleRule { free_attempts: free, ..ThrottleRule::default() };
            let now = 10_000;
            let mut s = FailState::default();
            let mut in_flight = 0u32;
            let mut granted_since_success = 0u32;
            for op in ops {
                match op {
                    0 => if let Ok(n) = reserve(&rule, &s, now) {
                        s = n;
                        in_flight += 1;
                        granted_since_success += 1;
                    },
                    1 if in_flight > 0 => { s = settle_failure(&s, now); in_flight -= 1; }
                    2 if in_flight > 0 => { s = settle_success(&s); in_flight -= 1; granted_since_success = in_flight; }
                    _ => {}
                }
                prop_assert!(in_flight <= free.max(1));
                prop_assert!(s.pending <= s.failures);
                prop_assert_eq!(s.pending, in_flight);
                prop_assert!(granted_since_success <= free.max(1));
            }
        }

        #[test]
        fn failure_then_wait_lets_through(rule in sane_rule(), f in 0u32..50, last in 0i64..1_000, dt in 0i64..2_000) {
            let now = last + dt;
            let n = record_failure(&rule, &st(f, last), now);
            prop_assert_eq!(n.last_failure, now);
            match retry_after(&rule, &n, now) {
                None => {}
                Some(w) => prop_assert_eq!(retry_after(&rule, &n, now + w), None),
            }
        }
    }
}
