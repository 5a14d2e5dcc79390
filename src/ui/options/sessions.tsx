// A minimal form for the OWA session watcher: watch an origin (asking for its host
// permission in the click), see each session's state, opt in to automatic sign-in, and give
// credentials. A later issue builds the real options page; this one only drives the protocol.
import { useEffect, useState } from 'preact/hooks';
import type { BgResponse, SessionView } from '../../messages/protocol';
import { describeWindow } from '../../owa/expiry';
import { failureLabel, formsUnavailableLabel, statusLabel } from '../../owa/labels';
import type { Connector, SessionsUpdate } from '../connect/connector';

function useSessions(connector: Connector): SessionsUpdate {
  const [update, setUpdate] = useState<SessionsUpdate>({ sessions: [], vault: 'none' });
  useEffect(() => connector.subscribeSessions(setUpdate), [connector]);
  return update;
}

function errorOf(reply: BgResponse): string {
  return reply.type === 'bg-ui-error' ? reply.error : '';
}

function Session({ view, connector, onReply }: { view: SessionView; connector: Connector; onReply: (r: BgResponse) => void }) {
  const [username, setUsername] = useState(view.username ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const send = async (promise: Promise<BgResponse>) => onReply(await promise);
  return (
    <li class="session" data-origin={view.origin} data-status={view.status}>
      <strong>{view.origin}</strong> — <span class="status">{statusLabel(view.status)}</span>
      {view.expiry && <span class="expiry"> (ends in {describeWindow(view.expiry, Date.now())} without activity)</span>}
      {view.formsUnavailable && <p class="note">{formsUnavailableLabel(view.formsUnavailable)}</p>}
      {view.failure && <p class="note">{failureLabel(view.failure)}</p>}
      <p>
        Exchange {view.generation === 'unknown' ? '(version not yet known)' : view.generation}, timeout {view.timeoutMinutes} min; credentials: {view.credentials}
        {view.username ? ` (${view.username})` : ''}
      </p>
      <label>
        <input
          type="checkbox"
          name="autoRelogin"
          checked={view.settings.autoRelogin}
          onChange={(e) => void send(connector.send({ type: 'ui-bg-set-settings', origin: view.origin, settings: { autoRelogin: e.currentTarget.checked } }))}
        />{' '}
        Sign in again by itself after a timeout
      </label>{' '}
      <label>
        <input
          type="checkbox"
          name="private"
          checked={view.settings.computer === 'private'}
          onChange={(e) => void send(connector.send({ type: 'ui-bg-set-settings', origin: view.origin, settings: { computer: e.currentTarget.checked ? 'private' : 'public' } }))}
        />{' '}
        Private computer
      </label>{' '}
      <label>
        <input type="checkbox" name="notify" checked={view.settings.notify} onChange={(e) => void send(connector.setNotify(view.origin, e.currentTarget.checked))} />{' '}
        Notify me {view.settings.warnMinutes} min before it may end
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send(
            connector.send({ type: 'ui-bg-set-credentials', origin: view.origin, username, password, remember, ...(remember && passphrase ? { passphrase } : {}) }),
          ).then(() => setPassword(''));
        }}
      >
        <input name="username" placeholder="DOMAIN\user" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />{' '}
        <input name="password" type="password" placeholder="password" autocomplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />{' '}
        <label>
          <input type="checkbox" name="remember" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} /> remember on this device
        </label>{' '}
        {remember && (
          <input name="passphrase" type="password" placeholder="passphrase (encrypts them)" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        )}{' '}
        <button type="submit">Save credentials</button>
      </form>
      <button type="button" onClick={() => void send(connector.send({ type: 'ui-bg-relogin-now', origin: view.origin }))}>Sign in now</button>{' '}
      <button type="button" onClick={() => void send(connector.send({ type: 'ui-bg-forget-credentials', origin: view.origin }))}>Forget credentials</button>{' '}
      <button type="button" onClick={() => void send(connector.send({ type: 'ui-bg-unwatch-origin', origin: view.origin }))}>Stop watching</button>
    </li>
  );
}

export function SessionsSection({ connector }: { connector: Connector }) {
  const { sessions, vault } = useSessions(connector);
  const [address, setAddress] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [message, setMessage] = useState('');
  const onReply = (reply: BgResponse) => setMessage(errorOf(reply));
  return (
    <section id="owa-sessions">
      <h2>OWA sessions</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          // watchOrigin asks for the permission first thing, inside this submit (a user gesture).
          void connector.watchOrigin(address).then(onReply);
        }}
      >
        <input id="watch-origin" placeholder="https://mail.example.com" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />{' '}
        <button id="watch-button" type="submit">Watch this site</button>
      </form>
      {vault === 'locked' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void connector.send({ type: 'ui-bg-unlock', passphrase }).then((r) => {
              setPassphrase('');
              onReply(r);
            });
          }}
        >
          Stored credentials are locked: <input name="unlock" type="password" placeholder="passphrase" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />{' '}
          <button type="submit">Unlock</button>
        </form>
      )}
      {message && <p role="alert" class="error">{message}</p>}
      <ul>
        {sessions.map((view) => (
          <Session key={view.origin} view={view} connector={connector} onReply={onReply} />
        ))}
      </ul>
    </section>
  );
}
