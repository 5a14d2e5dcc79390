// One watched OWA origin: its state, the countdown, the last 440 and the last automatic
// sign-in, auto-relogin on/off and the credentials.
import { useState } from 'preact/hooks';
import type { BgResponse, SessionView } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { Credentials } from '../shared/Credentials';
import { span, timeOfDay } from '../shared/format';
import { Alert, errorOf } from '../shared/bits';
import { say, t } from '../shared/i18n';
import { failureText, OUTCOME_KEYS, statusText, unavailableText } from '../shared/labels';
import { Timeline } from '../shared/Timeline';
import { Expiry } from './Expiry';
import { TimeoutSuggestion } from '../shared/TimeoutSuggestion';
import { timeoutField } from '../../owa/settings';

interface Props {
  view: SessionView;
  vault: 'none' | 'locked' | 'unlocked';
  rememberByDefault: boolean;
  now: number;
  connector: Connector;
}

export function SessionCard({ view, vault, rememberByDefault, now, connector }: Props) {
  const [error, setError] = useState('');
  const [timelineOpen, setTimelineOpen] = useState(false);
  const onReply = (reply: BgResponse) => setError(errorOf(reply));
  const host = new URL(view.origin).host;
  const headingId = `card-${host.replace(/[^a-z0-9]/gi, '-')}`;
  const live = view.status === 'signed-in' || view.status === 'expiring';
  const haveCredentials = view.credentials === 'session' || view.credentials === 'remembered';
  return (
    <article class="card" data-origin={view.origin} data-status={view.status} aria-labelledby={headingId}>
      <header class="card-head">
        <h2 id={headingId} title={view.origin}>
          {host}
        </h2>
        <span class={`pill status-${view.status}`}>{statusText(view.status)}</span>
      </header>
      {live && <Expiry view={view} now={now} />}
      {!view.hostPermission && <p class="note warn">{t('common_no_permission')}</p>}
      {view.formsUnavailable && <p class="note">{unavailableText(view.formsUnavailable)}</p>}
      {view.failure && <p class="note warn">{failureText(view.failure)}</p>}
      <dl class="facts">
        <dt>{t('popup_last_440')}</dt>
        <dd class="last-440">{view.last440 ? t('popup_ago', timeOfDay(view.last440, now), span(now - view.last440)) : t('popup_none_seen')}</dd>
        <dt>{t('popup_last_sign_in')}</dt>
        <dd class="last-sign-in" data-outcome={view.lastSignIn?.outcome ?? ''}>
          {view.lastSignIn ? (
            <>
              {timeOfDay(view.lastSignIn.at, now)} — <strong>{t(OUTCOME_KEYS[view.lastSignIn.outcome])}</strong>
              {view.lastSignIn.detail ? `: ${say(view.lastSignIn.detail)}` : ''}
            </>
          ) : (
            t('popup_none_yet')
          )}
        </dd>
        <dt>{t('popup_exchange')}</dt>
        <dd>
          {t(
            'popup_exchange_value',
            view.generation === 'unknown' ? t('common_generation_unknown') : view.generation,
            String(view.timeoutMinutes),
            view.settings.computer === 'private' ? t('common_computer_private') : t('common_computer_public'),
          )}{' '}
          <span class="timeout-source" data-source={view.timeoutSource}>
            {view.timeoutSource === 'learned'
              ? t('common_timeout_learned', String(view.timeoutObservations))
              : view.timeoutSource === 'set'
                ? t('common_timeout_set')
                : t('common_timeout_default')}
          </span>
          {view.suggestedTimeoutMinutes !== null && (
            <TimeoutSuggestion
              look="card"
              minutes={view.suggestedTimeoutMinutes}
              onUse={() =>
                void connector.send({ type: 'ui-bg-set-settings', origin: view.origin, settings: { [timeoutField(view.timeoutComputer)]: view.suggestedTimeoutMinutes } }).then(onReply)
              }
            />
          )}
        </dd>
      </dl>
      <label class="check switch">
        <input
          type="checkbox"
          role="switch"
          name="autoRelogin"
          // Where forms logon is not available (AD FS, Entra ID, TMG), automatic sign-in is off
          // whatever the setting says: the switch shows that, and cannot be turned on.
          checked={view.settings.autoRelogin && !view.formsUnavailable}
          disabled={view.formsUnavailable !== null}
          onChange={(e) => void connector.send({ type: 'ui-bg-set-settings', origin: view.origin, settings: { autoRelogin: e.currentTarget.checked } }).then(onReply)}
        />
        {t('common_auto_relogin')}
      </label>
      <Credentials view={view} vault={vault} rememberByDefault={rememberByDefault} connector={connector} onReply={onReply} />
      {haveCredentials && !live && view.status !== 'signing-in' && view.status !== 'forms-unavailable' && (
        <div class="actions">
          <button type="button" onClick={() => void connector.send({ type: 'ui-bg-relogin-now', origin: view.origin }).then(onReply)}>
            {t('common_sign_in_now')}
          </button>
        </div>
      )}
      <details class="timeline-box" onToggle={(e) => setTimelineOpen(e.currentTarget.open)}>
        <summary>{t('popup_timeline')}</summary>
        {timelineOpen && <Timeline connector={connector} origin={view.origin} now={now} />}
      </details>
      <Alert error={error} />
    </article>
  );
}
