// Enter, see and forget one origin's credentials. The password goes to the worker once, on
// save, and the field is emptied; the worker sends back only the username and how it is kept.
import { useState } from 'preact/hooks';
import type { BgResponse, SessionView } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { t } from './i18n';

interface Props {
  view: SessionView;
  vault: 'none' | 'locked' | 'unlocked';
  /** Whether "remember on this device" starts ticked (the storage-mode preference). */
  rememberByDefault: boolean;
  connector: Connector;
  onReply(reply: BgResponse): void;
}

export function Credentials({ view, vault, rememberByDefault, connector, onReply }: Props) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState(view.username ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(rememberByDefault);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const id = `cred-${view.origin.replace(/[^a-z0-9]/gi, '-')}`;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const reply = await connector.send({
      type: 'ui-bg-set-credentials',
      origin: view.origin,
      username,
      password,
      remember,
      ...(remember && passphrase ? { passphrase } : {}),
    });
    // The page keeps no copy of what it sent.
    setPassword('');
    setPassphrase('');
    setBusy(false);
    if (reply.type === 'bg-ui-ok') setOpen(false);
    onReply(reply);
  };

  const forget = async () => onReply(await connector.send({ type: 'ui-bg-forget-credentials', origin: view.origin }));

  const status =
    view.credentials === 'session'
      ? t('common_credentials_session', view.username ?? '')
      : view.credentials === 'remembered'
        ? t('common_credentials_remembered', view.username ?? '')
        : view.credentials === 'locked'
          ? t('common_credentials_locked')
          : t('common_credentials_none');

  return (
    <div class="credentials">
      <p class="credentials-status" data-credentials={view.credentials}>
        {status}{' '}
        {(view.credentials === 'session' || view.credentials === 'remembered') && (
          <button type="button" class="link" onClick={() => void forget()}>
            {t('common_forget')}
          </button>
        )}{' '}
        {!open && view.credentials !== 'locked' && (
          <button
            type="button"
            class="link"
            aria-expanded="false"
            aria-controls={id}
            onClick={() => {
              // The storage preference may have arrived after this card first rendered.
              setRemember(rememberByDefault);
              setOpen(true);
            }}
          >
            {view.credentials === 'none' ? t('common_enter_credentials') : t('common_change_credentials')}
          </button>
        )}
      </p>
      {open && (
        <form id={id} class="credentials-form" onSubmit={(e) => void save(e)}>
          <label>
            {t('common_username')}
            <input name="username" autocomplete="off" required placeholder="DOMAIN\user" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </label>
          <label>
            {t('common_password')}
            <input name="password" type="password" autocomplete="off" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <label class="check">
            <input name="remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
            {t('common_remember')}
          </label>
          {remember && vault !== 'unlocked' && (
            <label>
              {vault === 'none' ? t('common_passphrase_new') : t('common_passphrase_existing')}
              <input name="passphrase" type="password" autocomplete="new-password" required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
            </label>
          )}
          <p class="hint">{remember ? t('common_remember_hint') : t('common_session_hint')}</p>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('common_save')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('common_cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** "Stored credentials are locked": one passphrase opens them for this browser session. */
export function Unlock({ connector, onReply }: { connector: Connector; onReply(reply: BgResponse): void }) {
  const [passphrase, setPassphrase] = useState('');
  return (
    <form
      class="unlock"
      onSubmit={(e) => {
        e.preventDefault();
        void connector.send({ type: 'ui-bg-unlock', passphrase }).then((reply) => {
          setPassphrase('');
          onReply(reply);
        });
      }}
    >
      <label>
        {t('common_unlock_label')}
        <input name="unlock" type="password" autocomplete="current-password" required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">
        {t('common_unlock')}
      </button>
    </form>
  );
}
