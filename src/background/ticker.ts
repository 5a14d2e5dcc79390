// The expiry tick: every 30 s while a session is live, moves sessions through their estimated
// window and warns once per activity when one enters the warning lead.
import type { TimelineEvent } from '../messages/protocol';
import { expiryPhase, expiryWindow } from '../owa/expiry';
import { isLive, reduceSession } from '../owa/session-model';
import { DEFAULT_SETTINGS } from '../owa/settings';
import { timeoutInEffect } from '../owa/timeout-learning';
import { msg, spell } from '../shared/words';
import type { BackgroundDeps } from './deps';
import { timelineEntries } from './timeline';
import { sessionComputerOf } from './store';

export const TICK_ALARM = 'owa-tick';
const TICK_MS = 30_000;

export class Ticker {
  constructor(
    private readonly deps: BackgroundDeps,
    private readonly refreshUi: () => void,
  ) {}

  /** Makes sure a tick is due; a pending one is left alone (a busy page must not keep pushing it back). */
  ensure(): void {
    this.deps.alarms.ensure(TICK_ALARM, this.deps.now() + TICK_MS);
  }

  async tick(): Promise<void> {
    const now = this.deps.now();
    const warnings: Array<{ origin: string; minutes: number }> = [];
    const entries: Array<[string, TimelineEvent[]]> = [];
    const anyLive = await this.deps.store.update((draft) => {
      let live = false;
      for (const origin of draft.watched) {
        const session = draft.sessions[origin];
        if (!session || !isLive(session) || session.lastActivity === null) continue;
        const settings = draft.settings[origin] ?? DEFAULT_SETTINGS;
        const window = expiryWindow(session.lastActivity, timeoutInEffect(settings, session.generation, draft.learned[origin], sessionComputerOf(draft, origin)).minutes, session.lastIssued);
        const phase = expiryPhase(window, now, settings.warnMinutes);
        const tickEvent = { type: 'tick', phase, at: now } as const;
        const next = reduceSession(session, tickEvent);
        draft.sessions[origin] = next;
        entries.push([origin, timelineEntries(tickEvent, session, next)]);
        if (isLive(next)) live = true;
        if (phase === 'warn' && settings.notify && draft.warned[origin] !== session.lastActivity) {
          draft.warned[origin] = session.lastActivity;
          warnings.push({ origin, minutes: Math.max(0, Math.round((window.earliest - now) / 60_000)) });
        }
      }
      return live;
    });
    for (const [origin, list] of entries) void this.deps.timeline.append(origin, list);
    for (const w of warnings) await this.deps.ui.notify(w.origin, spell(this.deps.words, msg('bg_notify_expiring', w.minutes)));
    // The tick alarm has just fired (or the settings changed): schedule the next one.
    if (anyLive) this.deps.alarms.set(TICK_ALARM, now + TICK_MS);
    this.refreshUi();
  }
}
