// Long work of the panel (mapping a capture's exchanges, searching every body) runs in slices of
// a few milliseconds with the event loop given back in between, so that input and paint come first.

interface Scheduler {
  yield?: () => Promise<void>;
}

/**
 * Gives the event loop back. scheduler.yield (Chrome 129+, Firefox 142+) resumes right after
 * pending input and paint; setTimeout(0) is the fallback, though nested timeouts wait at least
 * 4 ms each: half a second over the hundred-odd slices of 20,000 exchanges, more for a search.
 */
export function giveBack(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
