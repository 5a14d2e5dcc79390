// The extension's own ActiveSync runs (Provision, OPTIONS, a command from the popup) as records
// of the panel, marked as the extension's. Steps come from the background's runs (bodies as XML,
// the raw bytes left out of storage) and, while the worker still holds them, their raw bytes
// (`ui-bg-eas-bytes`, memory only): with bytes the body shows as a tree like any other.
import type { HeaderList, TraceBody, TraceStep } from '../../../activesync/trace';
import type { EasRunView } from '../../../messages/protocol';
import { fromBase64 } from '../../../shared/base64';
import type { Body } from './body';
import { recordFromParts } from './capture-record';
import type { EasRecord } from './record';

function bodyOf(body: TraceBody | undefined, raw: string | undefined): Body {
  const bytes = raw !== undefined ? fromBase64(raw) : undefined;
  if (bytes && bytes.length > 0) return { state: 'bytes', bytes, via: 'base64' };
  if (!body || body.byteLength === 0) return { state: 'empty' };
  if (body.xml !== undefined) return { state: 'xml', xml: body.xml };
  if (body.text !== undefined) return { state: 'bytes', bytes: new TextEncoder().encode(body.text), via: 'text' };
  return { state: 'unavailable', reason: 'not-captured' };
}

const headers = (list: HeaderList) => list.map(([name, value]) => ({ name, value }));

/** Raw bodies of one step, base64, when the worker still has them. */
export interface StepBytes {
  request?: string;
  response?: string;
}

/**
 * Records of every step of the runs. `idOf` gives a stable id per run and step (the runs are
 * pushed again on every step); `bytes` the raw bodies by `${runId}:${stepIndex}`.
 */
export function recordsFromRuns(runs: readonly EasRunView[], idOf: (key: string) => number, bytes: ReadonlyMap<string, StepBytes> = new Map()): EasRecord[] {
  return runs.flatMap((run) =>
    run.steps.map((step: TraceStep, i) => {
      const key = `${run.id}:${i}`;
      const raw = bytes.get(key);
      const started = Date.parse(step.startedAt);
      return recordFromParts(
        idOf(key),
        {
          startedAt: Number.isNaN(started) ? run.startedAt : started,
          durationMs: step.durationMs,
          method: step.request.method,
          url: step.request.url,
          requestHeaders: headers(step.request.headers),
          responseHeaders: headers(step.response?.headers ?? []),
          httpStatus: step.response?.status,
          httpStatusText: step.response?.statusText ?? '',
          request: bodyOf(step.request.body, raw?.request),
          response: step.response ? bodyOf(step.response.body, raw?.response) : { state: 'unavailable', reason: 'not-captured' },
        },
        { kind: 'extension', run: run.id, step: step.step },
      );
    }),
  );
}
