// The options page: watched sites with their permissions and settings, how credentials are
// kept, the ActiveSync device identity, and export/import of the settings (never credentials).
import { useEffect, useState } from 'preact/hooks';
import { PROTOCOL_VERSIONS } from '../../activesync/versions';
import type { DeviceIdentity } from '../../activesync/device-identity';
import type { BgResponse, ImportReport } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { Unlock } from '../shared/Credentials';
import { useSessions, useSettings } from '../shared/hooks';
import { say, t, type MessageKey } from '../shared/i18n';
import { Alert, DEVICE_FIELDS, errorOf } from '../shared/bits';
import { Site } from './Site';

function Sites({ connector, rememberByDefault, pending }: { connector: Connector; rememberByDefault: boolean; pending: string[] }) {
  const update = useSessions(connector);
  const [address, setAddress] = useState('');
  const [message, setMessage] = useState('');
  const onReply = (reply: BgResponse) => setMessage(errorOf(reply));
  return (
    <section id="sites" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t('options_sites')}</h2>
      <p class="hint">{t('options_sites_hint')}</p>
      <form
        class="row add-site"
        onSubmit={(e) => {
          e.preventDefault();
          // watchOrigin asks for the permission first thing, inside this submit (a user gesture).
          void connector.watchOrigin(address).then((reply) => {
            onReply(reply);
            if (reply.type === 'bg-ui-ok') setAddress('');
          });
        }}
      >
        <label>
          {t('options_site_address')}
          <input id="watch-origin" placeholder="https://mail.example.com" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
        </label>
        <button id="watch-button" type="submit" class="primary">
          {t('popup_watch_this_site')}
        </button>
      </form>
      {pending.length > 0 && (
        <div class="pending note warn">
          <p>{t('options_pending')}</p>
          <ul>
            {pending.map((origin) => (
              <li key={origin} data-pending={origin}>
                {origin}{' '}
                <button type="button" class="primary" onClick={() => void connector.watchOrigin(origin).then(onReply)}>
                  {t('options_grant_and_watch')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {update?.vault === 'locked' && <Unlock connector={connector} onReply={onReply} />}
      <Alert error={message} />
      {update === null ? (
        <p class="hint">{t('common_loading')}</p>
      ) : update.sessions.length === 0 ? (
        <p class="empty">{t('options_no_sites')}</p>
      ) : (
        update.sessions.map((view) => <Site key={view.origin} view={view} vault={update.vault} rememberByDefault={rememberByDefault} connector={connector} />)
      )}
    </section>
  );
}

function CredentialStorage({ connector, mode }: { connector: Connector; mode: 'memory' | 'encrypted' }) {
  const [error, setError] = useState('');
  const choose = (credentialStorage: 'memory' | 'encrypted') => void connector.send({ type: 'ui-bg-set-prefs', prefs: { credentialStorage } }).then((r) => setError(errorOf(r)));
  return (
    <section id="credential-storage" aria-labelledby="storage-heading">
      <h2 id="storage-heading">{t('options_storage')}</h2>
      <fieldset>
        <legend>{t('options_storage_legend')}</legend>
        <label class="check">
          <input type="radio" name="credentialStorage" value="memory" checked={mode === 'memory'} onChange={() => choose('memory')} />
          {t('options_storage_memory')}
        </label>
        <label class="check">
          <input type="radio" name="credentialStorage" value="encrypted" checked={mode === 'encrypted'} onChange={() => choose('encrypted')} />
          {t('options_storage_encrypted')}
        </label>
        <p class="hint">{t('options_storage_hint')}</p>
      </fieldset>
      <Alert error={error} />
    </section>
  );
}

function Device({ connector, device }: { connector: Connector; device: DeviceIdentity }) {
  const [draft, setDraft] = useState(device);
  const [status, setStatus] = useState('');
  // A push of other settings must not reset what is being typed here.
  useEffect(() => setDraft(device), [JSON.stringify(device)]);
  return (
    <section id="activesync" aria-labelledby="device-heading">
      <h2 id="device-heading">{t('options_device')}</h2>
      <p class="hint">{t('options_device_hint')}</p>
      <form
        class="device-form"
        onSubmit={(e) => {
          e.preventDefault();
          void connector.send({ type: 'ui-bg-set-device', device: draft }).then((r) => setStatus(r.type === 'bg-ui-error' ? say(r.error) : t('options_saved')));
        }}
      >
        <div class="grid">
          {DEVICE_FIELDS.map(([key, label]) => (
            <label key={key}>
              {t(label)}
              <input name={key} value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} />
            </label>
          ))}
          <label>
            {t('options_default_version')}
            <select
              name="protocolVersion"
              value={draft.protocolVersion}
              onChange={(e) => setDraft({ ...draft, protocolVersion: e.currentTarget.value as DeviceIdentity['protocolVersion'] })}
            >
              {PROTOCOL_VERSIONS.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" id="save-device">
            {t('common_save')}
          </button>
          <button type="button" id="new-device-id" onClick={() => void connector.send({ type: 'ui-bg-new-device-id' }).then((r) => setStatus(errorOf(r)))}>
            {t('options_new_device_id')}
          </button>
        </div>
        {status && (
          <p role="status" class="hint">
            {status}
          </p>
        )}
      </form>
    </section>
  );
}

function Transfer({ connector }: { connector: Connector }) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');
  const exportSettings = async () => {
    const reply = await connector.send({ type: 'ui-bg-export-settings' });
    if (reply.type !== 'bg-ui-export') return setError(errorOf(reply));
    // A download from a Blob: no `downloads` permission needed.
    const url = URL.createObjectURL(new Blob([reply.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = reply.filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const reply = await connector.send({ type: 'ui-bg-import-settings', json: await file.text() });
    if (reply.type === 'bg-ui-import') {
      setReport(reply.report);
      setError('');
    } else setError(errorOf(reply));
  };
  return (
    <section id="transfer" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">{t('options_transfer')}</h2>
      <p class="hint">{t('options_transfer_hint')}</p>
      <div class="actions">
        <button type="button" id="export" onClick={() => void exportSettings()}>
          {t('options_export')}
        </button>
        <label class="file">
          {t('options_import')}
          <input type="file" id="import" accept="application/json,.json" onChange={(e) => void importFile(e.currentTarget.files?.[0])} />
        </label>
      </div>
      <Alert error={error} />
      {report && (
        <div class="import-report" role="status">
          <h3>{t('options_import_report')}</h3>
          {[
            ['applied', 'options_import_applied', report.applied],
            ['refused', 'options_import_refused', report.refused],
            ['needs-permission', 'options_import_needs_permission', report.needsPermission],
          ].map(([kind, label, items]) =>
            (items as string[]).length ? (
              <div key={kind as string} data-report={kind as string}>
                <p>{t(label as MessageKey)}</p>
                <ul>
                  {(items as string[]).map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              </div>
            ) : null,
          )}
          {!report.applied.length && !report.refused.length && !report.needsPermission.length && <p>{t('options_import_nothing')}</p>}
        </div>
      )}
    </section>
  );
}

export function Options({ connector }: { connector: Connector }) {
  const settings = useSettings(connector);
  return (
    <main class="options">
      <h1>{t('options_title')}</h1>
      <Sites connector={connector} rememberByDefault={settings?.prefs.credentialStorage === 'encrypted'} pending={settings?.pending ?? []} />
      {settings && <CredentialStorage connector={connector} mode={settings.prefs.credentialStorage} />}
      {settings && <Device connector={connector} device={settings.device} />}
      <Transfer connector={connector} />
      <section id="captures" aria-labelledby="captures-heading">
        <h2 id="captures-heading">{t('options_captures_title')}</h2>
        <p class="hint">{t('options_captures_help')}</p>
        {/* The panel page, in a tab of its own: a plain link from one extension page to another. */}
        <a href="panel.html" target="_blank" rel="noopener" id="open-capture">
          {t('options_open_capture')}
        </a>
      </section>
    </main>
  );
}
