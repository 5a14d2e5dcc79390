// The ActiveSync requests of the inspected tab: one row each, virtual like the tree (a Ping
// every few minutes for a day is thousands of rows).
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../../shared/i18n';
import { formatBytes, formatDuration, formatTime } from '../model/format';
import { httpStatusMeaning, isProblem, protocolStatusMeaning, type EasRecord } from '../model/record';
import { MAX_RECORDS } from '../model/request-log';
import { listKey } from '../model/tree-keys';
import { atListEnd, pageSize, rowWindow, scrollToRow } from '../model/virtual-window';
import { useViewport } from './viewport';

export const LIST_ROW_HEIGHT = 24;

interface RequestListProps {
  records: readonly EasRecord[];
  /** Requests captured, before filtering. */
  total: number;
  /** How many of the oldest requests were dropped to keep the list bounded. */
  dropped: number;
  selectedId: number | null;
  /** The row compared with the selected one, if any. */
  compareId?: number | null;
  /** `compare`: Ctrl/Cmd-click, to compare the row with the selected one. */
  onSelect(id: number, compare?: boolean): void;
}

/** "142 DeviceNotProvisioned" from "142 DeviceNotProvisioned: The device …". */
export function shortMeaning(text: string): string {
  const colon = text.indexOf(': ');
  return colon < 0 ? text : text.slice(0, colon);
}

export function RequestList({ records, total, dropped, selectedId, compareId = null, onSelect }: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, measure] = useViewport(scroller);
  const selectedIndex = records.findIndex((r) => r.id === selectedId);
  const view = rowWindow(viewport.scrollTop, viewport.height, LIST_ROW_HEIGHT, records.length);
  // A column naming each row's file (or the extension) once the list holds more than the tab's traffic.
  const withSource = records.some((r) => r.source !== undefined);

  // Whether the user had the list at its end before the last rows came: then it follows them.
  const atEnd = useRef(false);
  const lastId = records.length > 0 ? records[records.length - 1]!.id : null;
  const onScroll = (): void => {
    const el = scroller.current;
    if (el) atEnd.current = atListEnd(el.scrollTop, el.clientHeight, LIST_ROW_HEIGHT, records.length);
    measure();
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !atEnd.current) return;
    el.scrollTop = Math.max(0, records.length * LIST_ROW_HEIGHT - el.clientHeight);
    measure();
  }, [lastId]);

  // Keep the selected row in view when it changes.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    el.scrollTop = scrollToRow(selectedIndex, el.scrollTop, el.clientHeight, LIST_ROW_HEIGHT);
    measure();
  }, [selectedIndex]);

  const onKeyDown = (event: KeyboardEvent): void => {
    const next = listKey(event.key, selectedIndex, records.length, pageSize(viewport.height, LIST_ROW_HEIGHT));
    if (next === null) return;
    event.preventDefault();
    onSelect(records[next]!.id);
  };

  const rows = [];
  for (let i = view.start; i < view.end; i++) {
    const record = records[i]!;
    rows.push(
      <ListRow
        key={record.id}
        record={record}
        top={i * LIST_ROW_HEIGHT}
        odd={i % 2 === 1}
        selected={record.id === selectedId}
        compared={record.id === compareId}
        withSource={withSource}
        onSelect={onSelect}
      />,
    );
  }

  return (
    <div class={`request-list${withSource ? ' with-source' : ''}`}>
      <div class="list-header" aria-hidden="true">
        <span>{t('panel_col_time')}</span>
        <span>{t('panel_col_command')}</span>
        <span>{t('panel_col_version')}</span>
        <span>{t('panel_col_policy_key')}</span>
        <span>{t('panel_col_http')}</span>
        <span>{t('panel_col_status')}</span>
        <span class="num">{t('panel_col_size')}</span>
        <span class="num">{t('panel_col_duration')}</span>
        {withSource && <span>{t('panel_col_source')}</span>}
      </div>
      {dropped > 0 && (
        <p class="list-note" role="note">
          {t('panel_dropped_oldest', dropped, MAX_RECORDS)}
        </p>
      )}
      <div
        class="list-body"
        role="listbox"
        aria-label={t('panel_requests')}
        tabIndex={0}
        ref={scroller}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        aria-activedescendant={selectedId !== null && selectedIndex >= 0 ? `request-${selectedId}` : undefined}
        data-row-count={records.length}
      >
        {records.length === 0 ? (
          <p class="empty">{total === 0 ? t('panel_waiting') : t('panel_no_requests')}</p>
        ) : (
          <div class="list-spacer" style={{ height: `${records.length * LIST_ROW_HEIGHT}px` }}>
            {rows}
          </div>
        )}
      </div>
    </div>
  );
}

/** Which file a row came from, or that the extension sent it; nothing for the tab's own traffic. */
function SourceChip({ record }: { record: EasRecord }) {
  const source = record.source;
  if (!source) return null;
  if (source.kind === 'extension') {
    return (
      <span class="chip source extension" title={t('panel_source_extension_title', source.step)}>
        {t('panel_source_extension')}
      </span>
    );
  }
  return (
    <span class="chip source" title={t('panel_source_file_title', source.file, source.index)}>
      {source.file}
    </span>
  );
}

function ListRow({
  record,
  top,
  odd,
  selected,
  compared,
  withSource,
  onSelect,
}: {
  record: EasRecord;
  top: number;
  odd: boolean;
  selected: boolean;
  compared: boolean;
  withSource: boolean;
  onSelect(id: number, compare?: boolean): void;
}) {
  const protocol = protocolStatusMeaning(record);
  const http = httpStatusMeaning(record);
  const httpBad = record.httpStatus < 200 || record.httpStatus >= 300;
  return (
    <div
      role="option"
      id={`request-${record.id}`}
      class={`list-row${odd ? ' odd' : ''}${selected ? ' selected' : ''}${compared ? ' compared' : ''}${isProblem(record) ? ' problem' : ''}`}
      style={{ top: `${top}px` }}
      aria-selected={selected}
      data-command={record.command}
      data-source={record.source?.kind === 'capture' ? record.source.file : record.source?.kind}
      onClick={(e) => onSelect(record.id, e.ctrlKey || e.metaKey)}
    >
      <span class="time">{formatTime(record.startedAt)}</span>
      <span class="command" title={record.url}>
        {record.command}
      </span>
      <span>{record.protocolVersion ?? ''}</span>
      <span class="mono" title={record.policyKey}>
        {record.policyKey ?? ''}
      </span>
      <span class={`http${httpBad ? ' bad' : ''}`} title={http}>
        {record.httpStatus || '—'}
      </span>
      <span class="status" title={protocol ?? ''}>
        {record.responseBody === undefined ? '…' : protocol ? shortMeaning(protocol) : ''}
      </span>
      <span class="num">{formatBytes(record.responseSize)}</span>
      <span class="num">{formatDuration(record.durationMs)}</span>
      {withSource && (
        <span class="source">
          <SourceChip record={record} />
        </span>
      )}
    </div>
  );
}
