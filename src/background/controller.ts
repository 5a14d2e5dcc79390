// The background's parts, put together once: browser events arrive as observations
// (session-watch.ts), timeouts lead to sign-ins (relogin-runner.ts), the tick moves estimates
// (ticker.ts), the pages are fed (ui-feeds.ts), and the user's actions land in sites.ts and
// device-prefs.ts; messages reach those through one table (message-table.ts). index.ts passes
// the real browser APIs; tests pass fakes.
import type { DeviceIdentity } from '../activesync/device-identity';
import type { SessionView } from '../messages/protocol';
import type { BackgroundDeps, Observation, SettingsView } from './deps';
import { DeviceAndPrefs } from './device-prefs';
import { FreshCookies } from './fresh-cookies';
import { CHECK_ALARM, ReloginRunner, RETRY_ALARM } from './relogin-runner';
import { SessionWatch } from './session-watch';
import { Sites } from './sites';
import { TICK_ALARM, Ticker } from './ticker';
import type { TimelineLog } from './timeline';
import { UiFeeds } from './ui-feeds';

export class Controller {
  readonly feeds: UiFeeds;
  readonly ticker: Ticker;
  readonly relogin: ReloginRunner;
  readonly watch: SessionWatch;
  readonly sites: Sites;
  readonly devicePrefs: DeviceAndPrefs;
  readonly timeline: TimelineLog;

  constructor(private readonly deps: BackgroundDeps) {
    const fresh = new FreshCookies(deps.signIn.restoreCookies, deps.log);
    this.feeds = new UiFeeds(deps);
    const refreshUi = () => this.feeds.refresh();
    this.ticker = new Ticker(deps, refreshUi);
    const ensureTick = () => this.ticker.ensure();
    this.relogin = new ReloginRunner(deps, fresh, ensureTick, refreshUi);
    this.watch = new SessionWatch(deps, fresh, this.relogin, ensureTick, refreshUi);
    this.sites = new Sites(deps, { fresh, watch: this.watch, relogin: this.relogin, ticker: this.ticker, feeds: this.feeds });
    this.devicePrefs = new DeviceAndPrefs(deps, this.feeds);
    this.timeline = deps.timeline;
  }

  watchedOrigins(): readonly string[] {
    return this.deps.store.current.watched;
  }

  isWatched(origin: string): boolean {
    return this.deps.store.current.watched.includes(origin);
  }

  observe(obs: Observation): Promise<void> {
    return this.watch.observe(obs);
  }

  async onAlarm(name: string): Promise<void> {
    if (name === TICK_ALARM) return this.ticker.tick();
    if (name.startsWith(RETRY_ALARM)) return this.relogin.retry(name.slice(RETRY_ALARM.length));
    if (name.startsWith(CHECK_ALARM)) return this.relogin.checkStale(name.slice(CHECK_ALARM.length));
  }

  settleCutOffSignIns(): Promise<void> {
    return this.relogin.settleCutOffSignIns();
  }

  tick(): Promise<void> {
    return this.ticker.tick();
  }

  ensureTick(): void {
    this.ticker.ensure();
  }

  views(): SessionView[] {
    return this.feeds.views();
  }

  settingsView(): SettingsView {
    return this.feeds.settingsView();
  }

  device(): DeviceIdentity {
    return this.devicePrefs.device();
  }

  ensureDevice(): Promise<void> {
    return this.devicePrefs.ensureDevice();
  }

  refreshPermissions(): Promise<void> {
    return this.feeds.refreshPermissions();
  }
}
