// How one automatic sign-in ended, and what each ending means for the relogin record, the
// session model and the words shown: pure, so the background only wires it to storage and UIs.
import type { FormsUnavailableKind } from './detection';
import type { Generation } from './generation';
import type { ComputerKind } from './settings';
import { failureWords, formsUnavailableWords } from './labels';
import type { ReloginOutcome } from './relogin-policy';
import type { SignInFailure } from './session-model';
import { msg, type Words } from '../shared/words';

/** A session cookie as the browser set it, kept (in memory only) to put it back. */
export interface CaughtCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  hostOnly: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  expirationDate?: number;
  storeId?: string;
}

export type SignInResult =
  | {
      outcome: 'success';
      generation: Generation;
      posted: boolean;
      cookies?: readonly CaughtCookie[];
      /** The kind of session the POST asked for (what the server's timeout depends on); absent when nothing was posted. */
      computer?: ComputerKind;
    }
  | { outcome: 'rejected' }
  | { outcome: 'blocked'; reason: number }
  | { outcome: 'forms-unavailable'; why: FormsUnavailableKind }
  /** The server sent the POST elsewhere (another origin, or plain HTTP): never followed, never retried. */
  | { outcome: 'unsafe-redirect'; status: number; location: string }
  /** What went wrong, as words (a server's or the browser's own message is a substitution). */
  | { outcome: 'error'; detail: Words };

/**
 * What the relogin policy hears. A server that sends the password elsewhere is treated as a
 * refused password: nothing is tried again until the user enters the credentials again.
 */
export function reloginOutcomeOf(result: SignInResult): ReloginOutcome {
  if (result.outcome === 'success') return 'success';
  return result.outcome === 'rejected' || result.outcome === 'unsafe-redirect' ? 'rejected' : 'error';
}

/**
 * Whether no other attempt may follow: the policy's own verdict, or an ending that retrying
 * cannot mend (a blocked account, no forms logon, a POST sent elsewhere).
 */
export function isFinalResult(result: SignInResult, policyFinal: boolean): boolean {
  return policyFinal || result.outcome === 'blocked' || result.outcome === 'forms-unavailable' || result.outcome === 'unsafe-redirect';
}

/** The session model's failure for an ending that is neither a success nor "no forms logon". */
export function failureOf(result: SignInResult): SignInFailure {
  return result.outcome === 'rejected' || result.outcome === 'blocked' || result.outcome === 'unsafe-redirect' ? result.outcome : 'error';
}

/** Words for the popup's "last sign-in" and the timeline. */
export function signInDetail(result: SignInResult): Words {
  switch (result.outcome) {
    case 'success':
      return msg(result.posted ? 'bg_sign_in_again' : 'bg_sign_in_already');
    case 'rejected':
      return failureWords('rejected');
    case 'blocked':
      return msg('bg_sign_in_blocked', failureWords('blocked'), result.reason);
    case 'forms-unavailable':
      return formsUnavailableWords(result.why);
    case 'unsafe-redirect':
      return msg('bg_sign_in_unsafe_redirect', failureWords('unsafe-redirect'), result.status, result.location);
    case 'error':
      return result.detail;
  }
}
