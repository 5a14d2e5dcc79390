// The DevTools panel: the inspected tab's ActiveSync requests, one in detail, the OWA session
// timeline beside them, and a box to decode WBXML by hand. Opened in a tab (or inside DevTools)
// it also shows capture files the user opens or drops, and the extension's own ActiveSync runs.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CaptureFiles } from './components/CaptureFiles';
import { DecodeBox } from './components/DecodeBox';
import { DiffView } from './components/DiffView';
import { CREATOR, Detail } from './components/Detail';
import { RequestList } from './components/RequestList';
import { SummaryView } from './components/SummaryView';
import { Timeline, type WatcherState } from './components/Timeline';
import { saveFile } from './components/actions';
import { useCaptures, type CaptureReader } from './components/use-captures';
import { useExtensionRuns } from './components/use-extension-runs';
import { useSearch } from './components/use-search';
import { byTime } from './model/capture-files';
import { harEntries, inspectedOrigin, watchRequests, type CapturedRequest, type DevtoolsApi } from './devtools-api';
import { t } from '../shared/i18n';
import { DecodeCache } from './model/decoded';
import { toHar } from './model/export';
import { filterChoices, filterRecords, matchesSource, NO_FILTER, sourceChoices, type Filter, type SourceFilter } from './model/filter';
import { isActiveSyncUrl, recordFromEntry, withResponseContent } from './model/record';
import { addRecord, EMPTY_LOG, updateRecord, type RequestLog } from './model/request-log';
import { addPageEvents, originTimeline, timelineFromEntry, type PageEvent } from './model/timeline';
import { collapseRepeats, groupCookies } from '../shared/timeline-rows';
import { watchWatchedOrigins, type BackgroundSource } from './session-watch';
import type { TimelineEvent } from '../../messages/protocol';
import { normalizeOrigin } from '../../owa/origin';

type View = 'traffic' | 'summary' | 'decode';

export interface AppProps {
  /** chrome.devtools, or null when the page is not running as a DevTools panel. */
  api: DevtoolsApi | null;
  /** The background (src/ui/connect): watched origins and their session timelines; null without one. */
  background: BackgroundSource | null;
  /** Reads a capture file: in the capture worker (capture-read.ts) unless a test gives another reader. */
  readCapture?: CaptureReader;
}

export function App({ api, background, readCapture }: AppProps) {
  const [log, setLog] = useState<RequestLog>(EMPTY_LOG);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  // The second row of a comparison with the selected one, and whether the next click picks it.
  const [compareId, setCompareId] = useState<number | null>(null);
  const [picking, setPicking] = useState(false);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [source, setSource] = useState<SourceFilter>('');
  const [search, setSearch] = useState('');
  const [view, setView] = useState<View>('traffic');
  const [origin, setOrigin] = useState<string | undefined>(undefined);
  const [pageEvents, setPageEvents] = useState<PageEvent[]>([]);
  const [backgroundEvents, setBackgroundEvents] = useState<readonly TimelineEvent[]>([]);
  const [watched, setWatched] = useState<ReadonlySet<string> | null>(null);
  // Outside DevTools there is no inspected origin: the timeline starts hidden.
  const [showTimeline, setShowTimeline] = useState(api !== null);
  const [message, setMessage] = useState('');
  const cache = useMemo(() => new DecodeCache(), []);
  const nextId = useRef(1);
  const newId = (): number => nextId.current++;
  const clearedAt = useRef(0);
  const captures = useCaptures(newId, readCapture);
  const runs = useExtensionRuns(background, newId);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [runsClearedAt, setRunsClearedAt] = useState(0);
  const records = useMemo(
    () =>
      byTime(
        log.records,
        captures.records,
        runs.filter((r) => r.startedAt >= runsClearedAt),
      ),
    [log.records, captures.records, runs, runsClearedAt],
  );

  useEffect(() => {
    if (!api) return undefined;
    const addEvents = (events: PageEvent[]): void => {
      const fresh = events.filter((e) => e.at >= clearedAt.current);
      if (fresh.length > 0) setPageEvents((old) => addPageEvents(old, fresh));
    };
    // Chrome can finish an entry before its Set-Cookie headers arrive (they come separately);
    // a second look a moment later catches the cookie changes of a sign-in or a 440.
    let lookAgain: ReturnType<typeof setTimeout> | undefined;
    const lookAgainSoon = (): void => {
      clearTimeout(lookAgain);
      lookAgain = setTimeout(() => {
        void harEntries(api).then((entries) => addEvents(entries.filter((e) => !isActiveSyncUrl(e.request.url)).flatMap(timelineFromEntry)));
      }, 1000);
    };
    const onRequest = (request: CapturedRequest): void => {
      const { entry } = request;
      if (!isActiveSyncUrl(entry.request.url)) {
        const events = timelineFromEntry(entry);
        if (events.length > 0) {
          addEvents(events);
          lookAgainSoon();
        }
        return;
      }
      const record = recordFromEntry(nextId.current++, entry);
      setLog((old) => addRecord(old, record));
      if (record.responseBody === undefined) {
        void request.content().then(([content, second]) => {
          setLog((old) => updateRecord(old, record.id, (r) => withResponseContent(r, content, second)));
        });
      }
    };
    const stop = watchRequests(api, onRequest);
    // Keyed as the background keys origins, so that its timeline of this origin is found.
    void inspectedOrigin(api).then((o) => {
      const normal = o && normalizeOrigin(o);
      if (normal) setOrigin(normal);
    });
    const onNavigated = (url: string): void => {
      // Not an http(s) page (about:blank, a file): keep the last origin.
      const normal = normalizeOrigin(url);
      if (normal) setOrigin(normal);
    };
    api.network.onNavigated.addListener(onNavigated);
    return () => {
      stop();
      clearTimeout(lookAgain);
      api.network.onNavigated.removeListener(onNavigated);
    };
  }, [api]);

  // Which origins the background watches: for those it keeps the session timeline.
  useEffect(() => {
    if (!api || !background) return undefined;
    try {
      return watchWatchedOrigins(background, setWatched);
    } catch {
      return undefined;
    }
  }, [api, background]);

  // The background's timeline of the inspected origin (empty for an origin it does not watch).
  useEffect(() => {
    setBackgroundEvents([]);
    if (!api || !background || origin === undefined) return undefined;
    try {
      return background.subscribeTimeline(origin, setBackgroundEvents);
    } catch {
      return undefined;
    }
  }, [api, background, origin]);

  // The search box filters after typing pauses: searching decoded bodies can take a moment.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.search === search ? f : { ...f, search })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    if (!message) return undefined;
    const timer = setTimeout(() => setMessage(''), 2500);
    return () => clearTimeout(timer);
  }, [message]);

  // A selected request that was dropped leaves nothing selected, not a detail view of a row the
  // list no longer has; its decoded bodies go from the cache with the others dropped.
  useEffect(() => {
    if (selectedId !== null && !records.some((r) => r.id === selectedId)) setSelectedId(null);
    if (compareId !== null && !records.some((r) => r.id === compareId)) setCompareId(null);
  }, [records, selectedId, compareId]);
  useEffect(() => {
    if (log.dropped > 0) cache.retain(new Set(records.map((r) => r.id)));
  }, [log.dropped]);

  // Command and status first (cheap), then the search inside the bodies, slice by slice.
  const filtered = useMemo(() => filterRecords(records, { ...filter, search: '' }, () => '').filter((r) => matchesSource(r, source)), [records, filter.command, filter.status, source]);
  const [searching, cancelSearch] = useSearch(filtered, filter.search, (r) => cache.searchText(r));
  const shown = useMemo(() => (searching.matches ? filtered.filter((r) => searching.matches!.has(r.id)) : filtered), [filtered, searching.matches]);
  const choices = useMemo(() => filterChoices(records), [records]);
  const sources = useMemo(() => sourceChoices(records), [records]);
  const selected = records.find((r) => r.id === selectedId);
  const compared = selected && compareId !== null ? records.find((r) => r.id === compareId) : undefined;

  // A plain click shows one request; Ctrl/Cmd-click (or a click after "Compare with…") compares
  // the clicked row with the one already selected.
  const select = (id: number, compare = false): void => {
    if ((compare || picking) && selectedId !== null && id !== selectedId) {
      setCompareId(id);
    } else {
      setSelectedId(id);
      setCompareId(null);
    }
    setPicking(false);
  };
  // (clear() empties pageEvents, so this runs again after clearedAt moves.)
  const timeline = useMemo(() => {
    const page = pageEvents.filter((e) => origin === undefined || e.origin === origin);
    const background = backgroundEvents.filter((e) => e.at >= clearedAt.current);
    return collapseRepeats(groupCookies(originTimeline(background, page)));
  }, [pageEvents, backgroundEvents, origin]);
  const watcher: WatcherState = watched === null ? 'unavailable' : origin !== undefined && watched.has(origin) ? 'watching' : 'not-watching';

  const clear = (): void => {
    cache.clear();
    clearedAt.current = Date.now();
    setRunsClearedAt(Date.now());
    captures.clear();
    setLog(EMPTY_LOG);
    setSelectedId(null);
    setCompareId(null);
    setPicking(false);
    setPageEvents([]);
  };

  const openFiles = (list: FileList | null | undefined): void => {
    if (!list || list.length === 0) return;
    captures.open([...list]);
    setView('traffic');
  };

  return (
    <div
      class={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (!e.dataTransfer?.files.length) return;
        e.preventDefault();
        setDragging(false);
        openFiles(e.dataTransfer.files);
      }}
    >
      <div class="toolbar" role="toolbar" aria-label={t('panel_toolbar')}>
        <div class="view-switch" role="group" aria-label={t('panel_view')}>
          <button type="button" aria-pressed={view === 'traffic'} onClick={() => setView('traffic')}>
            {t('panel_view_traffic')}
          </button>
          <button type="button" aria-pressed={view === 'summary'} onClick={() => setView('summary')}>
            {t('panel_view_summary')}
          </button>
          <button type="button" aria-pressed={view === 'decode'} onClick={() => setView('decode')}>
            {t('panel_view_decode')}
          </button>
        </div>
        <button type="button" id="open-capture" onClick={() => fileInput.current?.click()}>
          {t('panel_open_capture')}
        </button>
        <input
          type="file"
          id="capture-input"
          multiple
          hidden
          ref={fileInput}
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            openFiles(input.files);
            // The same file can be opened again.
            input.value = '';
          }}
        />
        {view === 'traffic' && (
          <>
            {(sources.length > 1 || source !== '') && (
              <select id="source-filter" aria-label={t('panel_filter_source')} value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value)}>
                <option value="">{t('panel_all_sources')}</option>
                {sources.map((s) => (
                  <option value={s}>{s === 'tab' ? t('panel_source_tab') : s === 'extension' ? t('panel_source_extension_runs') : s.slice('file:'.length)}</option>
                ))}
              </select>
            )}
            <select aria-label={t('panel_filter_command')} value={filter.command} onChange={(e) => setFilter({ ...filter, command: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('panel_all_commands')}</option>
              {choices.commands.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
            <select aria-label={t('panel_filter_status')} value={filter.status} onChange={(e) => setFilter({ ...filter, status: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('panel_all_statuses')}</option>
              <option value="problems">{t('panel_problems_only')}</option>
              {choices.httpStatuses.map((s) => (
                <option value={`http:${s}`}>{t('panel_http_n', s)}</option>
              ))}
              {choices.protocolStatuses.map((s) => (
                <option value={`status:${s}`}>{t('panel_status_n', s)}</option>
              ))}
            </select>
            <input
              type="search"
              class="search"
              placeholder={t('panel_search')}
              aria-label={t('panel_search')}
              value={search}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
            />
            {searching.running && (
              <span class="search-progress">
                <progress max={searching.total || 1} value={searching.done} aria-label={t('panel_searching')} />
                <button type="button" id="cancel-search" onClick={cancelSearch}>
                  {t('panel_cancel')}
                </button>
              </span>
            )}
            {searching.cancelled && <span class="note warn">{t('panel_search_cancelled', searching.done, searching.total)}</span>}
            <span class="muted count" aria-live="polite">
              {t('panel_shown_count', shown.length, records.length)}
            </span>
            <span class="spacer" />
            <button type="button" aria-pressed={showTimeline} onClick={() => setShowTimeline(!showTimeline)}>
              {t('panel_timeline')}
            </button>
            <button
              type="button"
              disabled={shown.length === 0}
              onClick={() => {
                saveFile('activesync.har', toHar(shown, CREATOR), 'application/json');
                setMessage(t('panel_saved_har'));
              }}
            >
              {t('panel_save_har')}
            </button>
            <button type="button" onClick={clear}>
              {t('panel_clear')}
            </button>
          </>
        )}
        <span class="message" role="status">
          {message}
        </span>
      </div>
      <div class="capture-area">
        {dragging && <p class="note drop-note">{t('panel_drop_files')}</p>}
        <CaptureFiles files={captures.files} onCancel={captures.cancel} onUnlock={captures.unlock} />
      </div>
      {view === 'summary' ? (
        <main class="summary-main">
          <SummaryView
            records={records}
            onShow={(id) => {
              select(id);
              setView('traffic');
            }}
          />
        </main>
      ) : view === 'decode' ? (
        <main class="decode-view">
          {!api && <p class="note">{t('panel_not_in_devtools')}</p>}
          <DecodeBox onMessage={setMessage} />
        </main>
      ) : (
        <main class={`traffic${showTimeline ? ' with-timeline' : ''}`}>
          <RequestList records={shown} total={records.length} dropped={log.dropped} selectedId={selectedId} compareId={compared ? compareId : null} onSelect={select} />
          {selected && compared ? (
            <DiffView first={selected} second={compared} onClose={() => setCompareId(null)} />
          ) : selected ? (
            <Detail
              record={selected}
              cache={cache}
              onMessage={setMessage}
              picking={picking}
              onCompare={() => {
                setPicking(!picking);
              }}
            />
          ) : (
            <section class="detail empty-detail">
              <p class="empty">{records.length > 0 ? t('panel_select_request') : api ? t('panel_help_empty') : t('panel_help_tab')}</p>
            </section>
          )}
          {showTimeline && <Timeline origin={origin} events={timeline} watcher={watcher} />}
        </main>
      )}
    </div>
  );
}
