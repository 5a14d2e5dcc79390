// A summary of everything in the panel's list (captures, the tab's traffic, the extension's runs):
// devices, users, protocol versions, commands, failures by HTTP status and protocol Status,
// policy keys and when they changed, re-provisioning loops. The figures are src/captures'
// summarizeCapture, the same as `owa-inspector inspect --summary`; a reference to an exchange
// opens that row.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { summarizeCapture, type CaptureSummary } from '../../../captures/summary';
import { t, type MessageKey } from '../../shared/i18n';
import { exchangeFromRecord } from '../model/compare';
import { formatTime } from '../model/format';
import type { EasRecord } from '../model/record';

/** Captures span days or years: the overview gives the date too (local, as the rows' times). */
function dateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}

type Ref = CaptureSummary['policyKeys'][number]['first'];

interface SummaryViewProps {
  records: readonly EasRecord[];
  /** Shows one row of the list in detail. */
  onShow(id: number): void;
}

function Section({ id, title, count, wide = false, children }: { id: string; title: string; count: number; wide?: boolean; children: ComponentChildren }) {
  return (
    <section class={`summary-section${wide ? ' wide' : ''}`} data-section={id}>
      <h3>{title}</h3>
      {count === 0 ? <p class="muted none">{t('panel_summary_none')}</p> : children}
    </section>
  );
}

function Table({ head, rows }: { head: MessageKey[]; rows: ComponentChildren[][] }) {
  return (
    <table class="summary-table">
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col">{t(h)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells) => (
          <tr>
            {cells.map((c) => (
              <td>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SummaryView({ records, onShow }: SummaryViewProps) {
  // Only while the view is open: the summary reads every response's Status again.
  const summary = useMemo(() => summarizeCapture(records.map(exchangeFromRecord)), [records]);
  // The summary names exchanges as the captures do (file and index); the rows know their ids.
  const ids = useMemo(() => {
    const map = new Map<string, number>();
    for (const r of records) {
      const e = exchangeFromRecord(r);
      map.set(`${e.file}\u0000${e.index}`, r.id);
    }
    return map;
  }, [records]);

  const RefLink = ({ at }: { at: Ref }) => {
    const id = ids.get(`${at.file}\u0000${at.index}`);
    const text = t('panel_summary_ref', at.file, at.index, at.at === undefined ? '—' : formatTime(at.at));
    return id === undefined ? (
      <span>{text}</span>
    ) : (
      <button type="button" class="link ref" onClick={() => onShow(id)}>
        {text}
      </button>
    );
  };

  if (records.length === 0) {
    return (
      <section class="summary-view" aria-label={t('panel_summary')}>
        <p class="empty">{t('panel_summary_empty')}</p>
      </section>
    );
  }
  const s = summary;
  return (
    <section class="summary-view" aria-label={t('panel_summary')}>
      <p class="summary-overview">{t('panel_summary_overview', s.exchanges, s.firstAt === undefined ? '—' : dateTime(s.firstAt), s.lastAt === undefined ? '—' : dateTime(s.lastAt))}</p>
      <div class="summary-grid">
        <Section id="devices" title={t('panel_summary_devices')} count={s.devices.length}>
          <Table
            head={['panel_summary_col_device', 'panel_summary_col_type', 'panel_summary_col_users', 'panel_summary_col_exchanges']}
            rows={s.devices.map((d) => [<span class="mono">{d.deviceId}</span>, d.deviceType ?? '—', d.users.join(', ') || '—', d.exchanges])}
          />
        </Section>
        <Section id="users" title={t('panel_summary_users')} count={s.users.length}>
          <Table head={['panel_summary_col_user', 'panel_summary_col_exchanges']} rows={s.users.map((u) => [u.user, u.exchanges])} />
        </Section>
        <Section id="versions" title={t('panel_summary_versions')} count={s.protocolVersions.length}>
          <Table head={['panel_summary_col_version', 'panel_summary_col_exchanges']} rows={s.protocolVersions.map((v) => [v.version, v.exchanges])} />
        </Section>
        <Section id="commands" title={t('panel_summary_commands')} count={s.commands.length}>
          <Table
            head={['panel_summary_col_command', 'panel_summary_col_exchanges', 'panel_summary_col_failures']}
            rows={s.commands.map((c) => [c.command, c.exchanges, c.failures > 0 ? <span class="bad">{c.failures}</span> : 0])}
          />
        </Section>
        <Section id="http-failures" title={t('panel_summary_http_failures')} count={s.httpFailures.length}>
          <Table
            head={['panel_summary_col_http', 'panel_summary_col_exchanges']}
            rows={s.httpFailures.map((f) => [<span class="bad">{`${f.httpStatus} ${f.name}`.trim()}</span>, f.exchanges])}
          />
        </Section>
        <Section id="status-failures" title={t('panel_summary_status_failures')} count={s.statusFailures.length}>
          <Table
            head={['panel_summary_col_command', 'panel_summary_col_status', 'panel_summary_col_exchanges']}
            rows={s.statusFailures.map((f) => [f.command, <span class="bad">{f.name}</span>, f.exchanges])}
          />
        </Section>
        <Section id="policy-keys" title={t('panel_summary_policy_keys')} wide count={s.policyKeys.length}>
          <Table
            head={['panel_summary_col_device', 'panel_summary_col_key', 'panel_summary_col_first', 'panel_summary_col_last', 'panel_summary_col_exchanges']}
            rows={s.policyKeys.map((k) => [<span class="mono">{k.deviceId}</span>, <span class="mono">{k.key}</span>, <RefLink at={k.first} />, <RefLink at={k.last} />, k.exchanges])}
          />
        </Section>
        <Section id="key-changes" title={t('panel_summary_key_changes')} wide count={s.policyKeyChanges.length}>
          <Table
            head={['panel_summary_col_device', 'panel_summary_col_from', 'panel_summary_col_to', 'panel_summary_col_at']}
            rows={s.policyKeyChanges.map((c) => [<span class="mono">{c.deviceId}</span>, <span class="mono">{c.from}</span>, <span class="mono">{c.to}</span>, <RefLink at={c.at} />])}
          />
        </Section>
        <Section id="loops" title={t('panel_summary_loops')} wide count={s.reprovisionLoops.length}>
          <p class="muted">{t('panel_summary_loops_help')}</p>
          <Table
            head={['panel_summary_col_device', 'panel_summary_col_cycles', 'panel_summary_col_first', 'panel_summary_col_last']}
            rows={s.reprovisionLoops.map((l) => [<span class="mono">{l.deviceId}</span>, <span class="bad">{l.cycles}</span>, <RefLink at={l.first} />, <RefLink at={l.last} />])}
          />
        </Section>
      </div>
    </section>
  );
}
