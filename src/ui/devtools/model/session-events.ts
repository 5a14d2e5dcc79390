// Timeline events from the background's session watcher. The background pushes the current
// SessionView of every watched origin on each change (SESSIONS_PORT); what changed between two
// views of the inspected origin becomes events: the watcher's own sign-ins (made from the
// worker, so DevTools never sees their traffic), expiry, and cookie changes seen through the
// cookies API (which Chrome's DevTools entries can miss).
import type { SessionView } from '../../../messages/protocol';
import type { TimelineEvent } from './timeline';

const LIVE = new Set(['signed-in', 'expiring']);

export function sessionViewEvents(prev: SessionView | undefined, next: SessionView, at: number): TimelineEvent[] {
  if (!prev || prev.origin !== next.origin) return [];
  const base = { at, source: 'extension' as const, origin: next.origin };
  const events: TimelineEvent[] = [];
  if (prev.status !== next.status) {
    if (next.status === 'signing-in') events.push({ ...base, kind: 'sign-in-started', detail: '' });
    else if (prev.status === 'signing-in' && LIVE.has(next.status)) events.push({ ...base, kind: 'sign-in-succeeded', detail: '' });
    else if (next.status === 'sign-in-failed') events.push({ ...base, kind: 'sign-in-failed', detail: '', ...(next.failure ? { failure: next.failure } : {}) });
    else if (next.status === 'expired' && (LIVE.has(prev.status) || prev.status === 'signed-out')) {
      events.push({ ...base, kind: 'session-expired', detail: '', ...(next.lastReason !== null ? { reason: next.lastReason } : {}) });
    }
  }
  const before = new Set(prev.cookies);
  const after = new Set(next.cookies);
  const set = next.cookies.filter((c) => !before.has(c));
  const cleared = prev.cookies.filter((c) => !after.has(c));
  if (set.length > 0) events.push({ ...base, kind: 'cookie-set', detail: set.join(', ') });
  if (cleared.length > 0) events.push({ ...base, kind: 'cookie-cleared', detail: cleared.join(', ') });
  return events;
}
