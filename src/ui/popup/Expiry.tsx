// The live countdown of one session: to the start of its honest expiry window (T after the
// last activity), with the window itself (up to 1.5 T) drawn as a bar. The worker estimated the
// window; this only counts down to it.
import type { SessionView } from '../../messages/protocol';
import { clock, minutes, timeOfDay } from '../shared/format';
import { t } from '../shared/i18n';

export function Expiry({ view, now }: { view: SessionView; now: number }) {
  const expiry = view.expiry;
  if (!expiry) return null;
  const { earliest, latest } = expiry;
  const start = view.lastActivity ?? earliest - view.timeoutMinutes * 60_000;
  const span = Math.max(1, latest - start);
  const pct = (at: number) => `${Math.min(100, Math.max(0, ((at - start) / span) * 100)).toFixed(2)}%`;
  const inWindow = now >= earliest && now < latest;
  const past = now >= latest;
  // To the half minute: 1.5 T of a 15-minute T is 22.5 min.
  const longest = Math.round((latest - start) / 30_000) / 2;
  return (
    <div class="expiry" data-phase={past ? 'past' : inWindow ? 'window' : 'before'}>
      {past ? (
        <p class="countdown-line">{t('popup_expiry_past')}</p>
      ) : inWindow ? (
        <p class="countdown-line">
          {t('popup_expiry_in_window')}{' '}
          <strong class="countdown" aria-live="off">
            {clock(latest - now)}
          </strong>
        </p>
      ) : (
        <p class="countdown-line">
          {t('popup_expiry_before')}{' '}
          <strong class="countdown" aria-live="off">
            {clock(earliest - now)}
          </strong>
        </p>
      )}
      <div class="window-bar" role="img" aria-label={t('popup_expiry_bar', timeOfDay(earliest, now), timeOfDay(latest, now))}>
        <span class="window-safe" style={{ left: '0%', width: pct(earliest) }} />
        <span class="window-range" style={{ left: pct(earliest), width: `calc(100% - ${pct(earliest)})` }} />
        <span class="window-now" style={{ left: pct(now) }} />
      </div>
      <p class="hint">{t('popup_expiry_window', timeOfDay(earliest, now), timeOfDay(latest, now), minutes(view.timeoutMinutes), minutes(longest))}</p>
    </div>
  );
}
