//! One time budget for everything done to one file: parsing, the node walk, the structural
//! query, builtins and the flow analysis. Hostile input (a 100,000-deep `else if` chain) can
//! make each of them slow in its own way; a per-stage budget let the stages add up past what a
//! guardrail may take. A file that runs out is reported as not fully scanned, which fails a
//! `check` and denies a guardrail edit: never a silent pass.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// When analysis of the current file must stop. Checked in hot loops, so the clock is read
/// only every [`Deadline::STRIDE`] calls; once passed it stays passed.
#[derive(Debug)]
pub struct Deadline {
    at: Option<Instant>,
    /// Another thread's request to stop (see [`crate::ScanOptions::cancel`]).
    cancel: Option<Arc<AtomicBool>>,
    calls: Cell<u32>,
    passed: Cell<bool>,
}

impl Deadline {
    const STRIDE: u32 = 128;

    /// A deadline `budget` from now (saturating: a huge budget never passes).
    pub fn after(budget: Duration) -> Self {
        Self {
            at: Instant::now().checked_add(budget),
            cancel: None,
            calls: Cell::new(0),
            passed: Cell::new(false),
        }
    }

    /// A deadline that never passes (tests, fixtures).
    pub fn never() -> Self {
        Self {
            at: None,
            cancel: None,
            calls: Cell::new(0),
            passed: Cell::new(false),
        }
    }

    /// The deadline of one file's scan: its time budget, or sooner if the scan is cancelled.
    pub fn for_scan(options: &crate::ScanOptions) -> Self {
        Self {
            cancel: options.cancel.clone(),
            ..Self::after(options.file_timeout)
        }
    }

    /// True once the budget is spent or the scan cancelled. Cheap: reads the clock and the
    /// cancel flag every `STRIDE` calls.
    pub fn passed(&self) -> bool {
        if self.passed.get() {
            return true;
        }
        let calls = self.calls.get().wrapping_add(1);
        self.calls.set(calls);
        if calls.is_multiple_of(Self::STRIDE)
            && (self.at.is_some_and(|at| Instant::now() >= at)
                || self
                    .cancel
                    .as_ref()
                    .is_some_and(|c| c.load(Ordering::Relaxed)))
        {
            self.passed.set(true);
        }
        self.passed.get()
    }

    /// True if the budget was found spent by an earlier [`Deadline::passed`] call.
    pub fn was_passed(&self) -> bool {
        self.passed.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_only_after_the_budget_and_stays_passed() {
        let never = Deadline::never();
        assert!((0..10_000).all(|_| !never.passed()));
        let zero = Deadline::after(Duration::ZERO);
        // The clock is read every STRIDE calls, so it passes within the first stride.
        assert!((0..=Deadline::STRIDE).any(|_| zero.passed()));
        assert!(zero.passed() && zero.was_passed());
        let long = Deadline::after(Duration::from_secs(3600));
        assert!((0..10_000).all(|_| !long.passed()));
        let huge = Deadline::after(Duration::MAX);
        assert!((0..1_000).all(|_| !huge.passed()));
    }

    #[test]
    fn a_cancelled_scan_passes_its_deadline() {
        let cancel = Arc::new(AtomicBool::new(false));
        let options = crate::ScanOptions {
            cancel: Some(cancel.clone()),
            ..crate::ScanOptions::default()
        };
        let deadline = Deadline::for_scan(&options);
        assert!((0..10_000).all(|_| !deadline.passed()));
        cancel.store(true, Ordering::Relaxed);
        assert!((0..=Deadline::STRIDE).any(|_| deadline.passed()));
    }
}
