// The toolbar popup: a card per watched OWA origin (and "watch this site" for the tab it was
// opened over), and ActiveSync Provision. Everything shown comes from the worker's pushes.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { BgResponse } from '../../messages/protocol';
import { normalizeOrigin } from '../../owa/origin';
import type { Connector } from '../connect/connector';
import { Unlock } from '../shared/Credentials';
import { useEasRuns, useNow, useSessions, useSettings } from '../shared/hooks';
import { Alert, errorOf } from '../shared/bits';
import { t } from '../shared/i18n';
import { Provision } from './Provision';
import { SessionCard } from './SessionCard';

type Tab = 'sessions' | 'provision';

interface Props {
  connector: Connector;
  openOptions(): void;
  /** Called once, when the first render with the worker's data has committed. */
  onInteractive?(): void;
}

/** The origin of the tab the popup was opened over, when it is a web page. */
function useCurrentOrigin(connector: Connector): string | null {
  const [origin, setOrigin] = useState<string | null>(null);
  // Asked right after the first render (see ../shared/hooks.ts): "watch this site" is part of opening.
  useLayoutEffect(() => {
    void connector.activeTabUrl().then(
      (url) => setOrigin(url ? normalizeOrigin(url) : null),
      () => setOrigin(null),
    );
  }, [connector]);
  return origin;
}

export function App({ connector, openOptions, onInteractive }: Props) {
  const update = useSessions(connector);
  const settings = useSettings(connector);
  const runs = useEasRuns(connector);
  const current = useCurrentOrigin(connector);
  const now = useNow(1000);
  const [tab, setTab] = useState<Tab>('sessions');
  const [message, setMessage] = useState('');
  const reported = useRef(false);
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ sessions: null, provision: null });

  useEffect(() => {
    if (update && !reported.current) {
      reported.current = true;
      onInteractive?.();
    }
  }, [update]);

  const onReply = (reply: BgResponse) => setMessage(errorOf(reply));
  const sessions = update?.sessions ?? [];
  const watchedCurrent = current !== null && sessions.some((s) => s.origin === current);
  const rememberByDefault = settings?.prefs.credentialStorage === 'encrypted';
  const order: Tab[] = ['sessions', 'provision'];
  const onTabKey = (event: KeyboardEvent) => {
    // Arrow keys move between tabs, as in any tab list.
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = order[(order.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length]!;
    setTab(next);
    tabs.current[next]?.focus();
  };

  return (
    <main class="popup">
      <header class="top">
        <h1>{t('extName')}</h1>
        {/* The panel page in a tab of its own, where capture files are opened. */}
        <a class="link" href="panel.html" target="_blank" rel="noopener" id="open-capture">
          {t('popup_open_capture')}
        </a>
        <button type="button" class="link" id="open-options" onClick={openOptions}>
          {t('popup_options')}
        </button>
      </header>
      <div role="tablist" class="tabs" aria-label={t('extName')} onKeyDown={onTabKey}>
        {order.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabs.current[name] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {name === 'sessions' ? t('popup_tab_sessions') : t('popup_tab_provision')}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="panel-sessions" aria-labelledby="tab-sessions" hidden={tab !== 'sessions'}>
        {current && !watchedCurrent && (
          <div class="watch-current">
            <p>{t('popup_current_not_watched', new URL(current).host)}</p>
            <button
              type="button"
              class="primary"
              id="watch-current"
              // watchOrigin asks for the host permission first thing, inside this click.
              onClick={() => void connector.watchOrigin(current).then(onReply)}
            >
              {t('popup_watch_this_site')}
            </button>
          </div>
        )}
        {update?.vault === 'locked' && <Unlock connector={connector} onReply={onReply} />}
        <Alert error={message} />
        {update === null ? (
          <p class="hint">{t('common_loading')}</p>
        ) : sessions.length === 0 ? (
          <p class="empty">{t('popup_nothing_watched')}</p>
        ) : (
          [...sessions]
            // The site of the current tab first.
            .sort((a, b) => Number(b.origin === current) - Number(a.origin === current))
            .map((view) => <SessionCard key={view.origin} view={view} vault={update.vault} rememberByDefault={rememberByDefault} now={now} connector={connector} />)
        )}
      </div>
      <div role="tabpanel" id="panel-provision" aria-labelledby="tab-provision" hidden={tab !== 'provision'}>
        <Provision connector={connector} runs={runs} device={settings?.device ?? null} suggestedServer={current ?? sessions[0]?.origin ?? ''} />
      </div>
    </main>
  );
}
