// The toolbar badge: the most urgent watched session, as a state letter or the minutes left
// until the earliest possible expiry.
import { formatMinutesLeft, minutesUntil } from '../owa/expiry';
import type { SessionStatus } from '../owa/session-model';
import type { SessionView } from '../messages/protocol';
import { statusLabel } from '../owa/labels';

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

function textFor(view: SessionView, now: number): string {
  switch (view.status) {
    case 'signed-in':
    case 'expiring':
      return view.expiry ? formatMinutesLeft(minutesUntil(view.expiry.earliest, now)) : 'on';
    case 'expired':
      return 'exp';
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

export function badgeFor(views: readonly SessionView[], now: number): Badge {
  const lines = views.map((v) => {
    const left = v.expiry && (v.status === 'signed-in' || v.status === 'expiring')
      ? ` (ends in ${minutesUntil(v.expiry.earliest, now)}–${minutesUntil(v.expiry.latest, now)} min)`
      : '';
    return `${new URL(v.origin).host}: ${statusLabel(v.status)}${left}`;
  });
  const top = [...views].sort((a, b) => URGENCY[b.status] - URGENCY[a.status])[0];
  if (!top) return { text: '', color: COLORS['signed-out'], title: 'OWA Inspector' };
  return { text: textFor(top, now), color: COLORS[top.status], title: ['OWA Inspector', ...lines].join('\n') };
}
