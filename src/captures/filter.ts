// The panel's filters (src/ui/devtools/model/filter.ts) for captures: a command, a status
// ('problems', 'http:449', 'status:142') and text searched in the URL, the command and the
// decoded bodies. `inspect --filter WORD` takes the same words.
import { isCommandSuccess } from '../activesync/status.js';
import { NO_FILTER, type Filter } from '../ui/devtools/model/filter.js';
import { bodyXml } from './body-xml.js';
import type { ExchangeFacts } from './facts.js';
import type { CaptureExchange } from './types.js';

/**
 * Words to a Filter: `problems`, `http:N`, `status:N`, `cmd:NAME` (or `command:NAME`), and any
 * other word is text to search for (several are joined with spaces, as typed in the panel).
 */
export function parseFilterWords(words: readonly string[]): Filter {
  const filter: Filter = { ...NO_FILTER };
  const text: string[] = [];
  for (const word of words) {
    if (word === 'problems' || /^(http|status):\d+$/.test(word)) filter.status = word;
    else if (/^(cmd|command):/.test(word)) filter.command = word.slice(word.indexOf(':') + 1);
    else text.push(word);
  }
  filter.search = text.join(' ');
  return filter;
}

function isProblem(exchange: CaptureExchange, facts: ExchangeFacts): boolean {
  const http = exchange.httpStatus;
  if (http !== undefined && (http < 200 || http >= 300)) return true;
  return facts.status !== undefined && !isCommandSuccess(facts.command, facts.status.code);
}

function bodyText(exchange: CaptureExchange): string {
  const parts = [exchange.request, exchange.response].map((body) => {
    const shown = bodyXml(body);
    return shown.kind === 'xml' ? shown.xml : shown.kind === 'text' ? shown.text : '';
  });
  return parts.join('\n').toLowerCase();
}

/** Whether an exchange passes the filter; bodies are decoded only when the cheaper tests pass and text is searched. */
export function matchesFilter(exchange: CaptureExchange, facts: ExchangeFacts, filter: Filter): boolean {
  if (filter.command !== '' && facts.command.toLowerCase() !== filter.command.toLowerCase()) return false;
  if (filter.status === 'problems' && !isProblem(exchange, facts)) return false;
  const [kind, value] = filter.status.split(':');
  if (kind === 'http' && String(exchange.httpStatus) !== value) return false;
  if (kind === 'status' && (facts.status === undefined || String(facts.status.code) !== value)) return false;
  const needle = filter.search.trim().toLowerCase();
  if (needle === '') return true;
  if (exchange.url.toLowerCase().includes(needle) || facts.command.toLowerCase().includes(needle)) return true;
  return bodyText(exchange).includes(needle);
}
