// An ActiveSync trace as a list: each step's request and response, with the notes (statuses
// and what they mean) always in view and the headers and bodies one click away.
import type { HeaderList, TraceBody, TraceStep } from '../../activesync/trace';
import { t } from './i18n';

function Headers({ headers }: { headers: HeaderList }) {
  return <pre class="headers">{headers.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>;
}

function Body({ body }: { body: TraceBody | undefined }) {
  if (!body || body.byteLength === 0) return null;
  const text = body.xml ?? body.text;
  return (
    <>
      <p class="hint">{t('common_trace_body', String(body.byteLength), body.contentType ?? '')}</p>
      {body.decodeError && <p class="error">{body.decodeError.message}</p>}
      {text && <pre class="body">{text}</pre>}
    </>
  );
}

export function statusLine(step: TraceStep): string {
  if (!step.response) return step.error ? step.error.message : '';
  return `HTTP ${step.response.status} ${step.response.statusText} (${step.durationMs} ms)`;
}

export function Trace({ steps }: { steps: readonly TraceStep[] }) {
  if (!steps.length) return null;
  return (
    <ol class="trace">
      {steps.map((step, i) => (
        <li key={i} class="step" data-status={step.response?.status ?? 0}>
          <details>
            <summary>
              <span class="step-name">{step.step}</span> <span class="step-status">{statusLine(step)}</span>
            </summary>
            <p class="request-line">
              &gt; {step.request.method} {step.request.url}
            </p>
            <Headers headers={step.request.headers} />
            <Body body={step.request.body} />
            {step.response && (
              <>
                <p class="request-line">
                  &lt; HTTP {step.response.status} {step.response.statusText}
                </p>
                <Headers headers={step.response.headers} />
                <Body body={step.response.body} />
              </>
            )}
          </details>
          {step.notes.length > 0 && (
            <ul class="notes">
              {step.notes.map((note, j) => (
                <li key={j}>{note}</li>
              ))}
            </ul>
          )}
          {step.error && <p class="error">{step.error.message}</p>}
        </li>
      ))}
    </ol>
  );
}
