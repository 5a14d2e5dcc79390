// One request in detail: what it was, its query string read in either form, headers, and the
// request and response bodies decoded to a tree; copy as XML or curl, save as XML or HAR.
import { useEffect, useState } from 'preact/hooks';
import type { DecodedQuery } from '../../../activesync/query-string';
import { t, type MessageKey } from '../../shared/i18n';
import type { Body } from '../model/body';
import type { DecodeCache, Decoded, Which } from '../model/decoded';
import { fileName, toCurl, toHar, toXmlDocument } from '../model/export';
import { formatBytes, formatDuration, formatTime, hexAround } from '../model/format';
import type { HarHeader } from '../model/har';
import { httpStatusMeaning, protocolStatusMeaning, searchOf, type EasRecord } from '../model/record';
import { copyText, saveFile } from './actions';
import { XmlTree } from './XmlTree';
import { VERSION } from '../../../shared/version';

type Tab = 'response' | 'request' | 'headers' | 'query';
const TABS: ReadonlyArray<[Tab, MessageKey]> = [
  ['response', 'panel_tab_response'],
  ['request', 'panel_tab_request'],
  ['headers', 'panel_tab_headers'],
  ['query', 'panel_tab_query'],
];

export const CREATOR = { name: 'OWA Inspector', version: VERSION };

interface DetailProps {
  record: EasRecord;
  cache: DecodeCache;
  onMessage(text: string): void;
  /** "Compare with…": the next row clicked is compared with this one. */
  onCompare?(): void;
  /** Whether the panel waits for that click. */
  picking?: boolean;
}

export function Detail({ record, cache, onMessage, onCompare, picking = false }: DetailProps) {
  const [tab, setTab] = useState<Tab>('response');
  const protocol = protocolStatusMeaning(record);

  const copyCurl = async (): Promise<void> => {
    const body = record.requestBody.state === 'bytes' ? record.requestBody.bytes : undefined;
    const missing = record.requestBody.state === 'unavailable' ? t('panel_curl_body_missing') : record.requestBody.state === 'xml' ? t('panel_curl_body_xml_only') : undefined;
    const ok = await copyText(toCurl(record, { ...(body ? { body } : {}), ...(missing ? { missingBody: missing } : {}) }));
    onMessage(ok ? t('panel_copied_curl') : t('panel_copy_failed'));
  };

  const onTabKey = (event: KeyboardEvent): void => {
    const index = TABS.findIndex(([id]) => id === tab);
    let next: number;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index + TABS.length - 1) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    else return;
    event.preventDefault();
    setTab(TABS[next]![0]);
    document.getElementById(`tab-${TABS[next]![0]}`)?.focus();
  };

  return (
    <section class="detail" aria-label={t('panel_detail')}>
      <header class="detail-header">
        <div class="detail-title">
          <strong>{record.command}</strong>
          {record.method !== record.command && <span class="muted">{record.method}</span>}
          <span class="muted">{formatTime(record.startedAt)}</span>
          <span class="muted">{formatDuration(record.durationMs)}</span>
        </div>
        <dl class="facts">
          <dt>{t('panel_col_http')}</dt>
          <dd class={record.httpStatus >= 400 ? 'bad' : ''}>{httpStatusMeaning(record)}</dd>
          {protocol && (
            <>
              <dt>{t('panel_protocol_status')}</dt>
              <dd class="protocol-status">
                {protocol}
                {record.protocolStatus && record.protocolStatus.parent && (
                  <span class="muted"> ({t('panel_status_in', `${record.protocolStatus.namespace}:${record.protocolStatus.parent}`)})</span>
                )}
              </dd>
            </>
          )}
          <dt>{t('panel_col_version')}</dt>
          <dd>{record.protocolVersion ?? '—'}</dd>
          <dt>{t('panel_col_policy_key')}</dt>
          <dd class="mono">{record.policyKey ?? '—'}</dd>
          <dt>{t('panel_col_size')}</dt>
          <dd>{t('panel_sizes', formatBytes(record.requestSize) || '0 B', formatBytes(record.responseSize) || '—')}</dd>
        </dl>
        <div class="detail-actions">
          <button type="button" onClick={() => void copyCurl()}>
            {t('panel_copy_curl')}
          </button>
          <button
            type="button"
            onClick={() => {
              saveFile(fileName(record, `${record.id}.har`), toHar([record], CREATOR), 'application/json');
              onMessage(t('panel_saved_har'));
            }}
          >
            {t('panel_save_entry_har')}
          </button>
          {onCompare && (
            <button type="button" class="compare-with" aria-pressed={picking} onClick={onCompare}>
              {t('panel_compare_with')}
            </button>
          )}
        </div>
        {picking && (
          <p class="note compare-pick" role="status">
            {t('panel_compare_pick')}
          </p>
        )}
      </header>
      <div class="tabs" role="tablist" aria-label={t('panel_detail')} onKeyDown={onTabKey}>
        {TABS.map(([id, key]) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`tabpanel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            class={tab === id ? 'active' : ''}
            onClick={() => setTab(id)}
          >
            {t(key)}
          </button>
        ))}
      </div>
      <div class="tabpanel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'response' && <BodyView record={record} which="response" cache={cache} onMessage={onMessage} />}
        {tab === 'request' && <BodyView record={record} which="request" cache={cache} onMessage={onMessage} />}
        {tab === 'headers' && <Headers record={record} />}
        {tab === 'query' && <Query record={record} />}
      </div>
    </section>
  );
}

const unavailableText: Record<string, MessageKey> = {
  'not-captured': 'panel_body_not_captured',
  lossy: 'panel_body_lossy',
  truncated: 'panel_body_truncated',
};

/** Bodies above this size are decoded after a first paint that says so. */
const LARGE = 512 * 1024;

function BodyView({ record, which, cache, onMessage }: { record: EasRecord; which: Which; cache: DecodeCache; onMessage(text: string): void }) {
  const body: Body | undefined = which === 'request' ? record.requestBody : record.responseBody;
  const size = body?.state === 'bytes' ? body.bytes.length : 0;
  const small = body?.state === 'bytes' && size < LARGE;
  const key = `${record.id}:${which}:${body?.state ?? 'pending'}`;
  const [large, setLarge] = useState<{ key: string; decoded: Decoded } | undefined>(undefined);

  useEffect(() => {
    if (body?.state !== 'bytes' || small || large?.key === key) return undefined;
    // Paint "Decoding…" first; a 10 MB Sync response takes a few hundred ms.
    const timer = setTimeout(() => {
      const started = performance.now();
      const decoded = cache.get(record, which);
      console.debug(`OWA Inspector: decoded ${size} bytes in ${Math.round(performance.now() - started)} ms`);
      setLarge({ key, decoded });
    }, 30);
    return () => clearTimeout(timer);
  }, [key]);

  const decoded = small ? cache.get(record, which) : large?.key === key ? large.decoded : undefined;

  if (body === undefined) return <p class="note">{t('panel_loading_body')}</p>;
  if (body.state === 'empty') return <p class="note">{t('panel_body_empty')}</p>;
  if (body.state === 'unavailable') {
    if (body.reason === 'capture') return <p class="note warn">{t('panel_body_not_in_capture', body.detail ?? '')}</p>;
    return <p class="note warn">{t(unavailableText[body.reason] ?? 'panel_body_not_captured')}</p>;
  }
  if (body.state === 'xml') return <XmlText xml={body.xml} which={which} record={record} onMessage={onMessage} />;
  if (!decoded) return <p class="note">{t('panel_decoding', formatBytes(size))}</p>;

  const unverified = body.state === 'bytes' && body.unverified ? <p class="note warn">{t('panel_body_unverified')}</p> : null;
  if (decoded.kind === 'text') {
    return (
      <div class="body-view">
        {unverified}
        <pre class="text-body">{decoded.text}</pre>
      </div>
    );
  }
  if (decoded.kind === 'error') {
    return (
      <div class="body-view">
        {unverified}
        <p class="note bad">{t('panel_decode_error', decoded.error.code, decoded.error.offset, decoded.error.message)}</p>
        <pre class="hex">{hexAround(decoded.bytes, decoded.error.offset)}</pre>
      </div>
    );
  }
  if (decoded.kind !== 'wbxml') return null;
  const copyXml = async (): Promise<void> => {
    const ok = await copyText(toXmlDocument(decoded) ?? '');
    onMessage(ok ? t('panel_copied_xml') : t('panel_copy_failed'));
  };
  return (
    <div class="body-view">
      {unverified}
      <div class="body-actions">
        <button type="button" onClick={() => void copyXml()}>
          {t('panel_copy_xml')}
        </button>
        <button
          type="button"
          onClick={() => {
            saveFile(fileName(record, `${which}-${record.id}.xml`), toXmlDocument(decoded) ?? '', 'application/xml');
            onMessage(t('panel_saved_xml'));
          }}
        >
          {t('panel_save_xml')}
        </button>
        <span class="muted">{t('panel_wbxml_size', formatBytes(size))}</span>
      </div>
      <XmlTree key={`${which}-${record.id}`} tree={decoded.tree} label={t(which === 'request' ? 'panel_request_body' : 'panel_response_body')} idPrefix={`${which}-${record.id}`} />
    </div>
  );
}

/** A body the capture holds only as XML text (Exchange's mailbox log): shown as it is. */
function XmlText({ xml, which, record, onMessage }: { xml: string; which: Which; record: EasRecord; onMessage(text: string): void }) {
  return (
    <div class="body-view">
      <p class="note">{t('panel_body_xml_only')}</p>
      <div class="body-actions">
        <button
          type="button"
          onClick={() => {
            void copyText(xml).then((ok) => onMessage(ok ? t('panel_copied_xml') : t('panel_copy_failed')));
          }}
        >
          {t('panel_copy_xml')}
        </button>
        <button
          type="button"
          onClick={() => {
            saveFile(fileName(record, `${which}-${record.id}.xml`), xml, 'application/xml');
            onMessage(t('panel_saved_xml'));
          }}
        >
          {t('panel_save_xml')}
        </button>
      </div>
      <pre class="text-body xml-body">{xml}</pre>
    </div>
  );
}

function HeaderTable({ title, headers }: { title: string; headers: readonly HarHeader[] }) {
  return (
    <table class="kv">
      <caption>{title}</caption>
      <tbody>
        {headers.map((h) => (
          <tr>
            <th scope="row">{h.name}</th>
            <td class="mono">{displayHeader(h)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Authorization is shown with its scheme and user name, never the password. */
function displayHeader(h: HarHeader): string {
  const name = h.name.toLowerCase();
  if (name === 'authorization' || name === 'proxy-authorization') {
    const scheme = h.value.split(/\s+/)[0] ?? '';
    return t('panel_redacted_auth', scheme);
  }
  return h.value;
}

function Headers({ record }: { record: EasRecord }) {
  return (
    <div class="headers">
      <p class="mono url">
        {record.method} {record.url}
      </p>
      <HeaderTable title={t('panel_request_headers')} headers={record.entry.request.headers} />
      <HeaderTable title={t('panel_response_headers', record.httpStatus, record.httpStatusText)} headers={record.entry.response.headers} />
    </div>
  );
}

function queryRows(query: DecodedQuery): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    [t('panel_query_encoding'), query.encoding === 'base64' ? t('panel_query_base64') : t('panel_query_plain')],
    ['Cmd', query.command],
    ['User', query.user ?? ''],
    ['DeviceId', query.deviceId],
  ];
  if (query.deviceIdHex !== undefined && query.deviceIdHex !== query.deviceId) rows.push([t('panel_device_id_hex'), query.deviceIdHex]);
  rows.push(['DeviceType', query.deviceType]);
  if (query.protocolVersion !== undefined) rows.push([t('panel_col_version'), query.protocolVersion]);
  if (query.locale !== undefined) rows.push([t('panel_locale'), `0x${query.locale.toString(16).padStart(4, '0')}`]);
  if (query.policyKey !== undefined) rows.push([t('panel_col_policy_key'), query.policyKey]);
  for (const [name, value] of Object.entries(query.parameters ?? {})) rows.push([name, value]);
  if (query.options) {
    rows.push(['SaveInSent', query.options.saveInSent ? 'T' : 'F'], ['AcceptMultiPart', query.options.acceptMultiPart ? 'T' : 'F']);
  }
  for (const unknown of query.unknownParameters ?? []) rows.push([t('panel_unknown_parameter', unknown.tag), unknown.hex]);
  return rows;
}

function Query({ record }: { record: EasRecord }) {
  const search = searchOf(record.url);
  return (
    <div class="query">
      <p class="mono url">{search || t('panel_no_query')}</p>
      {record.queryError && <p class="note bad">{record.queryError}</p>}
      {record.query && (
        <table class="kv">
          <tbody>
            {queryRows(record.query).map(([name, value]) => (
              <tr>
                <th scope="row">{name}</th>
                <td class="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
