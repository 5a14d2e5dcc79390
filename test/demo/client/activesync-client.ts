// The demo's web ActiveSync client page (activesync-client.html): a Run button drives
// runEasDemo() against this server, one line per request, so the extension's DevTools panel has
// ActiveSync traffic to show. Bundled for the browser (see pages.ts browserScript).
import { EasRunError, runEasDemo, type EasStep } from './eas-web-client';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}

function setStatus(text: string, state: 'running' | 'done' | 'error'): void {
  const status = $('easStatus');
  status.textContent = text;
  status.dataset.state = state;
}

function deviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `WEBDEMO${Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

async function run(event: Event): Promise<void> {
  event.preventDefault();
  const log = $('easLog');
  log.textContent = '';
  const button = $('easRunButton') as HTMLButtonElement;
  button.disabled = true;
  const onStep = (step: EasStep) => {
    const li = document.createElement('li');
    li.dataset.status = String(step.status);
    li.textContent = `${step.name} — ${step.status}: ${step.summary}`;
    log.appendChild(li);
  };
  setStatus('running…', 'running');
  try {
    const result = await runEasDemo({
      base: '',
      user: ($('easUser') as HTMLInputElement).value,
      password: ($('easPassword') as HTMLInputElement).value,
      deviceId: deviceId(),
      protocolVersion: ($('easVersion') as HTMLSelectElement).value,
      onStep,
    });
    setStatus(`done: provisioned (policy key ${result.policyKey}), ${result.folders.length} folders, ${result.messages.length} messages`, 'done');
  } catch (error) {
    setStatus(error instanceof EasRunError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('easForm').addEventListener('submit', (event) => void run(event));
});
