// One watched site in the options page: its permission, timeouts (public and private),
// automatic sign-in settings, credentials, and stop watching.
import { useEffect, useState } from 'preact/hooks';
import type { BgResponse, SessionView, SettingsPatch } from '../../messages/protocol';
import { defaultTimeoutMinutes, timeoutField, type ComputerKind } from '../../owa/settings';
import type { Connector } from '../connect/connector';
import { Credentials } from '../shared/Credentials';
import { Alert, errorOf } from '../shared/bits';
import { t } from '../shared/i18n';
import { failureText, statusText, unavailableText } from '../shared/labels';
import { TimeoutSuggestion } from '../shared/TimeoutSuggestion';

interface Props {
  view: SessionView;
  vault: 'none' | 'locked' | 'unlocked';
  rememberByDefault: boolean;
  connector: Connector;
}

/** A number field that sends its value when committed (blur or Enter); empty means "Exchange's default". */
function TimeoutField({ label, name, value, placeholder, onCommit }: { label: string; name: string; value: number | null; placeholder: number; onCommit(value: number | null): void }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  return (
    <label>
      {label}
      <input
        type="number"
        name={name}
        min={1}
        max={43200}
        step={1}
        inputMode="numeric"
        placeholder={t('options_timeout_default', String(placeholder))}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => {
          const raw = e.currentTarget.value.trim();
          onCommit(raw === '' ? null : Number(raw));
        }}
      />
    </label>
  );
}

export function Site({ view, vault, rememberByDefault, connector }: Props) {
  const [error, setError] = useState('');
  const onReply = (reply: BgResponse) => setError(errorOf(reply));
  const set = (settings: SettingsPatch) => void connector.send({ type: 'ui-bg-set-settings', origin: view.origin, settings }).then(onReply);
  const s = view.settings;
  const generation = view.generation;
  const fallback = (computer: ComputerKind) => defaultTimeoutMinutes(computer, generation);
  const id = `site-${view.origin.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <section class="site card" data-origin={view.origin} data-status={view.status} aria-labelledby={id}>
      <header class="card-head">
        <h3 id={id}>{view.origin}</h3>
        <span class={`pill status-${view.status}`}>{statusText(view.status)}</span>
      </header>
      <p class="permission" data-granted={String(view.hostPermission)}>
        {view.hostPermission ? t('options_permission_granted', new URL(view.origin).hostname) : t('options_permission_missing', new URL(view.origin).hostname)}{' '}
        {!view.hostPermission && (
          <button type="button" class="primary" name="grant" onClick={() => void connector.watchOrigin(view.origin).then(onReply)}>
            {t('options_grant_again')}
          </button>
        )}
      </p>
      {view.formsUnavailable && <p class="note">{unavailableText(view.formsUnavailable)}</p>}
      {view.failure && <p class="note warn">{failureText(view.failure)}</p>}
      <div class="grid">
        <fieldset>
          <legend>{t('options_timeouts')}</legend>
          <label class="check">
            <input type="radio" name={`${id}-computer`} value="public" checked={s.computer === 'public'} onChange={() => set({ computer: 'public' })} />
            {t('options_computer_public')}
          </label>
          <label class="check">
            <input type="radio" name={`${id}-computer`} value="private" checked={s.computer === 'private'} onChange={() => set({ computer: 'private' })} />
            {t('options_computer_private')}
          </label>
          <p class="hint">{t('options_computer_hint')}</p>
          <TimeoutField
            label={t('options_public_timeout')}
            name="publicTimeoutMinutes"
            value={s.publicTimeoutMinutes}
            placeholder={fallback('public')}
            onCommit={(v) => set({ publicTimeoutMinutes: v })}
          />
          <TimeoutField
            label={t('options_private_timeout')}
            name="privateTimeoutMinutes"
            value={s.privateTimeoutMinutes}
            placeholder={fallback('private')}
            onCommit={(v) => set({ privateTimeoutMinutes: v })}
          />
          <p class="hint">{t('options_timeouts_hint', String(view.timeoutMinutes))}</p>
          <label class="check">
            <input type="checkbox" name="learnTimeout" checked={s.learnTimeout} onChange={(e) => set({ learnTimeout: e.currentTarget.checked })} />
            {t('options_learn_timeout')}
          </label>
          {view.suggestedTimeoutMinutes !== null && (
            <TimeoutSuggestion look="form" minutes={view.suggestedTimeoutMinutes} onUse={() => set({ [timeoutField(view.timeoutComputer)]: view.suggestedTimeoutMinutes })} />
          )}
        </fieldset>
        <fieldset>
          <legend>{t('options_relogin')}</legend>
          <label class="check">
            <input
              type="checkbox"
              name="autoRelogin"
              checked={s.autoRelogin && !view.formsUnavailable}
              disabled={view.formsUnavailable !== null}
              onChange={(e) => set({ autoRelogin: e.currentTarget.checked })}
            />
            {t('common_auto_relogin')}
          </label>
          <label>
            {t('options_bring_back')}
            <select name="bringBack" value={s.bringBack} onChange={(e) => set({ bringBack: e.currentTarget.value as 'reload-unless-typing' | 'tell-only' })}>
              <option value="reload-unless-typing">{t('options_bring_back_reload')}</option>
              <option value="tell-only">{t('options_bring_back_tell')}</option>
            </select>
          </label>
          <label>
            {t('options_warn_minutes')}
            <input type="number" name="warnMinutes" min={0} max={120} value={s.warnMinutes} onChange={(e) => set({ warnMinutes: Number(e.currentTarget.value) })} />
          </label>
          <label class="check">
            <input type="checkbox" name="notify" checked={s.notify} onChange={(e) => void connector.setNotify(view.origin, e.currentTarget.checked).then(onReply)} />
            {t('options_notify')}
          </label>
        </fieldset>
      </div>
      <Credentials view={view} vault={vault} rememberByDefault={rememberByDefault} connector={connector} onReply={onReply} />
      <div class="actions">
        <button
          type="button"
          name="signInNow"
          disabled={view.credentials !== 'session' && view.credentials !== 'remembered'}
          onClick={() => void connector.send({ type: 'ui-bg-relogin-now', origin: view.origin }).then(onReply)}
        >
          {t('common_sign_in_now')}
        </button>
        <button type="button" name="unwatch" class="danger" onClick={() => void connector.send({ type: 'ui-bg-unwatch-origin', origin: view.origin }).then(onReply)}>
          {t('options_unwatch')}
        </button>
      </div>
      <Alert error={error} />
    </section>
  );
}
