// What pages see of each watched origin: state, estimate, settings, and the credentials'
// status (never the password).
import type { CredentialStatus, SessionView } from '../messages/protocol';
import { expiryWindow } from '../owa/expiry';
import { initialSession, isLive } from '../owa/session-model';
import { DEFAULT_SETTINGS } from '../owa/settings';
import { timeoutInEffect } from '../owa/timeout-learning';
import { sessionComputerOf, type State } from './store';

export function credentialStatus(state: Readonly<State>, origin: string): CredentialStatus {
  const { secrets, vault } = state;
  if (secrets.credentials[origin]) return secrets.remembered.includes(origin) ? 'remembered' : 'session';
  // Locked: the vault may hold them, unless they were forgotten since.
  return vault && !secrets.vaultKey && !state.forgotten.includes(origin) ? 'locked' : 'none';
}

export function sessionViews(state: Readonly<State>, now: number, hostPermissions: ReadonlyMap<string, boolean>): SessionView[] {
  return state.watched.map((origin) => {
    const session = state.sessions[origin] ?? initialSession(origin, now);
    const settings = state.settings[origin] ?? { ...DEFAULT_SETTINGS };
    const timeoutComputer = sessionComputerOf(state, origin);
    const timeout = timeoutInEffect(settings, session.generation, state.learned[origin], timeoutComputer);
    const timeoutMinutes = timeout.minutes;
    const live = isLive(session) && session.lastActivity !== null;
    return {
      origin,
      status: session.status,
      generation: session.generation,
      formsUnavailable: session.formsUnavailable,
      failure: session.failure,
      lastReason: session.lastReason,
      lastActivity: session.lastActivity,
      cookies: session.cookies,
      expiry: live ? expiryWindow(session.lastActivity!, timeoutMinutes, session.lastIssued) : null,
      timeoutMinutes,
      timeoutComputer,
      timeoutSource: timeout.source,
      timeoutObservations: timeout.observations,
      suggestedTimeoutMinutes: timeout.suggestion,
      settings,
      credentials: credentialStatus(state, origin),
      username: state.secrets.credentials[origin]?.username ?? null,
      hostPermission: hostPermissions.get(origin) ?? true,
      last440: state.marks[origin]?.last440 ?? null,
      lastSignIn: state.marks[origin]?.lastSignIn ?? null,
    };
  });
}
