// The toolbar badge: the most urgent watched session, as a state letter or the minutes left
// until the earliest possible expiry.
import { formatTimeLeft, minutesUntil } from '../owa/expiry';
import type { SessionStatus } from '../owa/session-model';
import type { SessionView } from '../messages/protocol';
import { statusWords } from '../owa/labels';
import { msg, spell, type Wording } from '../shared/words';

export interface Badge {
  text: string;
  color: string;
  title: string;
}

const URGENCY: Record<SessionStatus, number> = {
  'sign-in-failed': 6,
  expired: 5,
  'signing-in': 4,
  expiring: 3,
  'signed-in': 2,
  'forms-unavailable': 1,
  'signed-out': 0,
};

const COLORS: Record<SessionStatus, string> = {
  'sign-in-failed': '#b00020',
  expired: '#b00020',
  'signing-in': '#1565c0',
  expiring: '#e65100',
  'signed-in': '#2e7d32',
  'forms-unavailable': '#616161',
  'signed-out': '#616161',
};

function textFor(view: SessionView, now: number, words: Wording): string {
  switch (view.status) {
    case 'signed-in':
    case 'expiring':
      return view.expiry ? formatTimeLeft(view.expiry.earliest, now) : spell(words, msg('bg_badge_on'));
    case 'expired':
      return spell(words, msg('bg_badge_expired'));
    case 'signing-in':
      return '…';
    case 'sign-in-failed':
      return '!';
    case 'forms-unavailable':
      return '–';
    case 'signed-out':
      return '';
  }
}

/** The badge; its title (the tooltip) worded with `words`, the worker's `i18n.getMessage`. */
export function badgeFor(views: readonly SessionView[], now: number, words: Wording): Badge {
  const lines = views.map((v) => {
    const host = new URL(v.origin).host;
    const status = statusWords(v.status);
    return spell(
      words,
      v.expiry && (v.status === 'signed-in' || v.status === 'expiring')
        ? msg('bg_badge_line_ends', host, status, minutesUntil(v.expiry.earliest, now), minutesUntil(v.expiry.latest, now))
        : msg('bg_badge_line', host, status),
    );
  });
  const name = spell(words, msg('actionTitle'));
  const top = [...views].sort((a, b) => URGENCY[b.status] - URGENCY[a.status])[0];
  if (!top) return { text: '', color: COLORS['signed-out'], title: name };
  return { text: textFor(top, now, words), color: COLORS[top.status], title: [name, ...lines].join('\n') };
}
