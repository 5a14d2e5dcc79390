// Two exchanges compared on their decoded trees (request with request, response with response):
// the same Sync in two captures, or a request and the next. The changes are src/captures'
// diffExchanges, one line each with its path: added, removed or changed, with the values.
import { useMemo } from 'preact/hooks';
import { diffExchanges, type TreeChange } from '../../../captures/tree-diff';
import { t, type MessageKey } from '../../shared/i18n';
import { exchangeFromRecord, sourceName } from '../model/compare';
import { formatTime } from '../model/format';
import type { EasRecord } from '../model/record';

interface DiffViewProps {
  first: EasRecord;
  second: EasRecord;
  onClose(): void;
}

const MARK: Record<TreeChange['kind'], string> = { added: '+', removed: '−', changed: '~' };
const KIND_WORD: Record<TreeChange['kind'], MessageKey> = { added: 'panel_diff_added', removed: 'panel_diff_removed', changed: 'panel_diff_changed' };

/** "Sync · phone.har #3 · 09:00:01.000": enough to tell the two apart. */
export function recordLabel(record: EasRecord): string {
  const where = record.source?.kind === 'capture' ? `${sourceName(record)} #${record.source.index}` : sourceName(record);
  return [record.command, where, formatTime(record.startedAt)].filter(Boolean).join(' · ');
}

function Changes({ side, changes, note }: { side: 'request' | 'response'; changes: readonly TreeChange[]; note: string | undefined }) {
  const count = (kind: TreeChange['kind']): number => changes.filter((c) => c.kind === kind).length;
  return (
    <section class="diff-side" data-side={side}>
      <h3>
        {t(side === 'request' ? 'panel_diff_request' : 'panel_diff_response')} <span class="muted">{t('panel_diff_count', count('added'), count('removed'), count('changed'))}</span>
      </h3>
      {note !== undefined && <p class="note warn">{t('panel_diff_note', note)}</p>}
      {changes.length === 0 && note === undefined && <p class="muted none">{t('panel_diff_none')}</p>}
      {changes.length > 0 && (
        <ul class="diff-changes">
          {changes.map((c) => (
            <li class={`diff-change ${c.kind}`} data-kind={c.kind} data-path={c.path}>
              <span class="mark" title={t(KIND_WORD[c.kind])} aria-label={t(KIND_WORD[c.kind])}>
                {MARK[c.kind]}
              </span>
              <span class="path mono">{c.path}</span>
              {c.kind === 'changed' && (
                <span class="values mono">
                  <del>{c.before}</del> → <ins>{c.after}</ins>
                </span>
              )}
              {c.kind === 'removed' && (
                <span class="values mono">
                  <del>{c.before}</del>
                </span>
              )}
              {c.kind === 'added' && (
                <span class="values mono">
                  <ins>{c.after}</ins>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DiffView({ first, second, onClose }: DiffViewProps) {
  // Decodes both bodies of both exchanges: only for the pair shown, never for the list.
  const diff = useMemo(() => diffExchanges(exchangeFromRecord(first), exchangeFromRecord(second)), [first, second]);
  return (
    <section class="detail diff-view" aria-label={t('panel_diff')}>
      <header class="detail-header">
        <div class="detail-title">
          <strong>{t('panel_diff')}</strong>
          <button type="button" class="close-diff" onClick={onClose}>
            {t('panel_diff_close')}
          </button>
        </div>
        <p class="diff-pair">
          <span class="diff-first">{recordLabel(first)}</span> → <span class="diff-second">{recordLabel(second)}</span>
        </p>
      </header>
      <div class="diff-body">
        <Changes side="request" changes={diff.request} note={diff.requestNote} />
        <Changes side="response" changes={diff.response} note={diff.responseNote} />
      </div>
    </section>
  );
}
