// What the panel's session timeline shows, read the same way in Chromium's and Firefox's
// DevTools, and the checks both browsers' tests make of it.
import { expect } from 'vitest';

/** One row of `.timeline .event`, from its data attributes and text. */
export interface Shown {
  kind: string;
  source: string;
  text: string;
}

/** For the page side of `$$eval` / `inPanel`: the rows as plain objects. */
export const SHOWN_EVENTS_SELECTOR = '.timeline .event';

/** The event of `kind` the background recorded (not the tab's own view of it). */
export function fromBackground(shown: Shown[], kind: string): Shown | undefined {
  return shown.find((e) => e.kind === kind && e.source === 'extension');
}

/**
 * Whether the background's view of a sign-in by hand is shown yet: the logon page, the POST, the
 * cookies. The cookies come one event each and join the first one's row as they come (within a
 * second): waiting for the first alone read the row before `cadatakey` had joined it (Firefox, CI).
 */
export function showsSignInByHand(shown: Shown[]): boolean {
  return ['logon-redirect', 'logon-post'].every((kind) => fromBackground(shown, kind) !== undefined) && /\bcadatakey\b/.test(fromBackground(shown, 'cookie-set')?.text ?? '');
}

/**
 * Opening OWA without a session sent the tab to the logon page (reason=0); the form posted by
 * hand is shown once (the tab's own POST is the background's event too), and the session
 * cookies its answer set on one row, names only.
 */
export function expectSignInByHand(events: Shown[]): void {
  expect(fromBackground(events, 'logon-redirect')!.text).toContain('reason=0');
  expect(fromBackground(events, 'logon-post')!.text).toContain('Logon form posted by hand');
  // textContent runs kind and detail together.
  expect(fromBackground(events, 'cookie-set')!.text).toMatch(/Session cookie setcadata, cadatakey\b/);
  expect(events.filter((e) => e.kind === 'logon-post')).toHaveLength(1);
}

/** Whether the background's 440 and its automatic sign-in's success are both shown yet. */
export function showsSignInAfter440(shown: Shown[]): boolean {
  return fromBackground(shown, '440') !== undefined && fromBackground(shown, 'sign-in-succeeded') !== undefined;
}

/**
 * The 440 a service call got, shown once (the background's, though the tab saw it too), then
 * the session cookies cleared and the automatic sign-in, started and succeeded, in that order.
 */
export function expectSignInAfter440(events: Shown[]): void {
  expect(events.filter((e) => e.kind === '440')).toEqual([expect.objectContaining({ source: 'extension' })]);
  expect(fromBackground(events, '440')!.text).toContain('440 Login Timeout');
  expect(fromBackground(events, '440')!.text).toContain('/owa/service.svc');
  expect(fromBackground(events, 'cookie-cleared')!.text).toContain('cadata');
  expect(fromBackground(events, 'sign-in-started')!.text).toContain('Automatic sign-in started');
  expect(fromBackground(events, 'sign-in-succeeded')!.text).toContain('Automatic sign-in succeeded');
  const kinds = events.map((e) => e.kind);
  expect(kinds.lastIndexOf('440')).toBeLessThan(kinds.lastIndexOf('sign-in-started'));
  expect(kinds.lastIndexOf('sign-in-started')).toBeLessThan(kinds.lastIndexOf('sign-in-succeeded'));
}
