// ActiveSync Provision from the popup: choose the server (the current tab's origin by default),
// discover its versions with OPTIONS, set the device identity, run it. The run happens in the
// worker (the popup may close meanwhile); its steps, policy and keys come back over the EAS
// port, so a re-opened popup shows the last run.
import { useEffect, useState } from 'preact/hooks';
import { PROTOCOL_VERSIONS } from '../../activesync/versions';
import type { DeviceIdentity } from '../../activesync/device-identity';
import type { BgResponse, EasRunRequest, EasRunView } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { originFromInput } from '../../owa/origin';
import { t, type MessageKey } from '../shared/i18n';
import { PolicyTable } from '../shared/PolicyTable';
import { Trace } from '../shared/Trace';
import { Alert, DEVICE_FIELDS, errorOf } from '../shared/bits';

type DeviceFields = Omit<DeviceIdentity, 'protocolVersion'>;

const STATE_KEYS: Record<EasRunView['state'], MessageKey> = {
  running: 'popup_run_running',
  'awaiting-ack': 'popup_run_awaiting_ack',
  done: 'popup_run_done',
  failed: 'popup_run_failed',
  'remote-wipe': 'popup_run_remote_wipe',
  interrupted: 'popup_run_interrupted',
};

const KIND_KEYS: Record<EasRunView['kind'], MessageKey> = {
  options: 'popup_run_kind_options',
  provision: 'popup_run_kind_provision',
  send: 'popup_run_kind_send',
};

interface Props {
  connector: Connector;
  runs: EasRunView[];
  device: DeviceIdentity | null;
  /** The current tab's origin (or a watched one), to start from. */
  suggestedServer: string;
}

/** The versions to offer: what OPTIONS said the server speaks (and we do), else every version. */
export function versionChoices(run: EasRunView | undefined): string[] {
  const offered = run?.options?.versions.filter((v) => (PROTOCOL_VERSIONS as readonly string[]).includes(v));
  return offered?.length ? offered : [...PROTOCOL_VERSIONS];
}

/** The default version: the preferred one if offered, else the highest both speak. */
export function defaultVersion(choices: readonly string[], preferred: string, highest: string | undefined): string {
  if (choices.includes(preferred)) return preferred;
  return highest && choices.includes(highest) ? highest : (choices.at(-1) ?? preferred);
}

export function Provision({ connector, runs, device, suggestedServer }: Props) {
  const [server, setServer] = useState(suggestedServer);
  // Until the user types a server, the form follows the suggestion: the current tab's origin
  // arrives a moment after the watched sites, and must win over them.
  const [serverTyped, setServerTyped] = useState(false);
  /** What the user typed as user name; null until they type (the last run's is shown then). */
  const [typedUser, setUser] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<DeviceFields | null>(null);
  const [acknowledge, setAcknowledge] = useState(true);
  const [keepHost, setKeepHost] = useState(false);
  const [version, setVersion] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!serverTyped && suggestedServer) setServer(suggestedServer);
  }, [suggestedServer]);
  useEffect(() => {
    if (device && !fields) {
      const { protocolVersion: _v, ...rest } = device;
      setFields(rest);
    }
  }, [device]);

  const origin = originFromInput(server);
  const optionsRun = runs.find((r) => r.kind === 'options' && r.state === 'done' && origin !== null && originFromInput(r.server) === origin);
  const choices = versionChoices(optionsRun);
  // A re-opened popup: the user name and version of the last run against this server are filled
  // in again (never the password, which the worker does not keep), until the user types or picks.
  const lastHere = runs.find((r) => origin !== null && originFromInput(r.server) === origin && r.user !== '');
  const user = typedUser ?? lastHere?.user ?? '';
  const remembered = lastHere && lastHere.kind !== 'options' ? lastHere.protocolVersion : null;
  const chosen =
    version && choices.includes(version)
      ? version
      : remembered && choices.includes(remembered)
        ? remembered
        : defaultVersion(choices, device?.protocolVersion ?? '14.1', optionsRun?.options?.highestCommonVersion);
  const latest = runs[0];

  const request = (): EasRunRequest => ({ server, user, password, protocolVersion: chosen, ...(fields ? { device: fields } : {}), keepHost });
  const run = async (start: () => Promise<BgResponse>) => {
    setBusy(true);
    setError('');
    const reply = await start();
    setBusy(false);
    setError(errorOf(reply));
  };

  return (
    <section class="provision" aria-labelledby="provision-heading">
      <h2 id="provision-heading" class="visually-hidden">
        {t('popup_tab_provision')}
      </h2>
      <form
        class="provision-form"
        onSubmit={(e) => {
          e.preventDefault();
          // The connector asks for the server's host permission first thing, inside this submit.
          void run(() => connector.runEas({ type: 'ui-bg-eas-provision', acknowledge, ...request() }));
        }}
      >
        <label>
          {t('popup_server')}
          <input
            name="server"
            required
            placeholder="https://mail.example.com"
            value={server}
            onInput={(e) => {
              setServerTyped(true);
              setServer(e.currentTarget.value);
            }}
          />
        </label>
        <div class="row">
          <label>
            {t('common_username')}
            <input name="easUser" autocomplete="off" placeholder="DOMAIN\user" value={user} onInput={(e) => setUser(e.currentTarget.value)} />
          </label>
          <label>
            {t('common_password')}
            <input name="easPassword" type="password" autocomplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
        </div>
        <div class="row">
          <button
            type="button"
            id="discover"
            disabled={busy}
            onClick={() => void run(() => connector.runEas({ type: 'ui-bg-eas-options', server, ...(user ? { user, password } : {}), ...(fields ? { device: fields } : {}), keepHost }))}
          >
            {t('popup_discover')}
          </button>
          <label>
            {t('popup_version')}
            <select name="version" value={chosen} onChange={(e) => setVersion(e.currentTarget.value)}>
              {choices.map((v) => (
                <option key={v} value={v}>
                  {v}
                  {v === optionsRun?.options?.highestCommonVersion ? ` (${t('popup_highest')})` : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        {optionsRun?.options && <p class="hint versions">{t('popup_versions_offered', optionsRun.options.versions.join(', ') || '—', optionsRun.options.serverVersion ?? '?')}</p>}
        <details class="device">
          <summary>{t('popup_device_identity', fields?.deviceId ?? '…', fields?.deviceType ?? '…')}</summary>
          {fields &&
            DEVICE_FIELDS.map(([key, label]) => (
              <label key={key}>
                {t(label)}
                <input name={key} value={fields[key]} onInput={(e) => setFields({ ...fields, [key]: e.currentTarget.value })} />
              </label>
            ))}
          <p class="hint">{t('popup_device_hint')}</p>
        </details>
        <label class="check">
          <input type="checkbox" name="acknowledge" checked={acknowledge} onChange={(e) => setAcknowledge(e.currentTarget.checked)} />
          {t('popup_acknowledge')}
        </label>
        <label class="check">
          <input type="checkbox" name="keepHost" checked={keepHost} onChange={(e) => setKeepHost(e.currentTarget.checked)} />
          {t('popup_keep_host')}
        </label>
        <p class="hint">{t('popup_keep_host_hint')}</p>
        <div class="actions">
          <button type="submit" class="primary" id="run-provision" disabled={busy}>
            {t('popup_run_provision')}
          </button>
          <button type="button" id="send-foldersync" disabled={busy} onClick={() => void run(() => connector.runEas({ type: 'ui-bg-eas-send', command: 'FolderSync', ...request() }))}>
            {t('popup_send_foldersync')}
          </button>
        </div>
        <Alert error={error} />
      </form>
      {latest && (
        <RunResult
          run={latest}
          connector={connector}
          onError={setError}
          onUseServer={(next) => {
            setServerTyped(true);
            setServer(next);
          }}
        />
      )}
    </section>
  );
}

interface RunResultProps {
  run: EasRunView;
  connector: Connector;
  onError(error: string): void;
  /** Puts a server into the form's field; running against it stays the user's next click. */
  onUseServer(server: string): void;
}

function RunResult({ run, connector, onError, onUseServer }: RunResultProps) {
  // Shown as text, never as a link: the server's answer must not be able to start anything.
  const moved = run.error?.kind === 'redirect-other-origin' ? run.error.location : undefined;
  return (
    <section class="run" data-state={run.state} data-kind={run.kind} aria-live="polite">
      <h3>
        {t(KIND_KEYS[run.kind])} — <span class={`pill run-${run.state}`}>{t(STATE_KEYS[run.state])}</span>
      </h3>
      <p class="hint">{t('popup_run_target', run.server, run.user || '—', run.deviceId, run.protocolVersion)}</p>
      {run.remoteWipe && (
        <div class="wipe-alarm" role="alert">
          <strong>{run.remoteWipe === 'device' ? t('popup_wipe_device') : t('popup_wipe_account')}</strong>
          <p>{t('popup_wipe_not_acknowledged')}</p>
        </div>
      )}
      {run.error && !run.remoteWipe && <p class="error run-error">{run.error.message}</p>}
      {moved && (
        <div class="moved">
          <p>{t('popup_moved', moved)}</p>
          <button type="button" id="use-moved-server" onClick={() => onUseServer(moved)}>
            {t('popup_use_server')}
          </button>
          <p class="hint">{t('popup_use_server_hint')}</p>
        </div>
      )}
      {run.options && run.kind === 'options' && (
        <dl class="facts">
          <dt>{t('popup_versions')}</dt>
          <dd>{run.options.versions.join(', ') || '—'}</dd>
          <dt>{t('popup_highest_common')}</dt>
          <dd>{run.options.highestCommonVersion ?? '—'}</dd>
          <dt>{t('popup_commands')}</dt>
          <dd>{run.options.commands.length}</dd>
        </dl>
      )}
      {(run.temporaryKey || run.finalKey) && (
        <dl class="facts keys">
          {run.temporaryKey && (
            <>
              <dt>{t('popup_temporary_key')}</dt>
              <dd class="temporary-key">{run.temporaryKey}</dd>
            </>
          )}
          {run.finalKey && (
            <>
              <dt>{t('popup_final_key')}</dt>
              <dd class="final-key">
                <strong>{run.finalKey}</strong>
              </dd>
            </>
          )}
        </dl>
      )}
      {run.command && <p class="command-result">{t('popup_command_result', run.command.command, String(run.command.httpStatus), run.command.statusMeaning ?? '—')}</p>}
      {run.state === 'awaiting-ack' && (
        <button type="button" class="primary" id="acknowledge" onClick={() => void connector.runEas({ type: 'ui-bg-eas-acknowledge', runId: run.id }).then((r) => onError(errorOf(r)))}>
          {t('popup_acknowledge_now')}
        </button>
      )}
      {run.policy && <PolicyTable policy={run.policy} />}
      <h4>{t('popup_steps', String(run.steps.length))}</h4>
      <Trace steps={run.steps} />
    </section>
  );
}
