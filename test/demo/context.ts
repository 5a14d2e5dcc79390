// What every imitated endpoint shares: resolved options, the clock, users and sessions.
import type { ServerResponse } from 'node:http';
import type { Accounts } from './accounts';
import type { DemoRequest } from './http';
import type { SessionStore } from './sessions';
import type { FbaMode, Generation } from './types';

export interface ExchangeContext {
  generation: Generation;
  fbaMode: FbaMode;
  checkOrigin: boolean;
  /** /Microsoft-Server-ActiveSync is mounted (the mailbox then links the ActiveSync client page). */
  activesync: boolean;
  /** How long '2016' holds the ev.owa2 long-poll, in ms. */
  notificationHoldMs: number;
  publicTimeoutSeconds: number;
  privateTimeoutSeconds: number;
  now(): number;
  accounts: Accounts;
  sessions: SessionStore;
  /** 440 answers kept back (see DemoExchange.holdLoginTimeouts): how many more to keep, and the kept ones. */
  heldTimeouts: { toHold: number; held: Array<() => void> };
}

/** A route answers and returns true, or returns false to let the next one try. */
export type Route = (ctx: ExchangeContext, req: DemoRequest, res: ServerResponse) => boolean | Promise<boolean>;
