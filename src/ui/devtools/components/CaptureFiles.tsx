// The capture files opened in the panel, one line each: reading (with progress and Cancel), or
// what was read, what was left out and where the file was damaged. A bad file never stops the others.
// A password-protected SAZ asks for its password on its line; a wrong one says so and asks again.
import type { TargetedEvent } from 'preact';
import { t } from '../../shared/i18n';
import type { CaptureFile } from '../model/capture-files';
import { formatBytes } from '../model/format';

const MAX_PROBLEMS_SHOWN = 20;

/** The password form of a locked SAZ: the typed password goes to `onUnlock` and is cleared from the field at once. */
function PasswordForm({ file, onUnlock }: { file: CaptureFile; onUnlock(key: number, password: string): void }) {
  const submit = (event: TargetedEvent<HTMLFormElement, SubmitEvent>): void => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('saz-password') as HTMLInputElement | null;
    if (!input || input.value === '') return;
    const password = input.value;
    input.value = '';
    onUnlock(file.key, password);
  };
  return (
    <form class="saz-password" onSubmit={submit}>
      <span class={`note ${file.password === 'wrong' ? 'bad' : 'warn'}`} role={file.password === 'wrong' ? 'alert' : undefined}>
        {t(file.password === 'wrong' ? 'panel_saz_password_wrong' : 'panel_saz_password_needed')}
      </span>
      <input type="password" name="saz-password" autocomplete="off" spellcheck={false} aria-label={t('panel_saz_password_label', file.name)} />
      <button type="submit">{t('panel_saz_password_open')}</button>
    </form>
  );
}

export function CaptureFiles({ files, onCancel, onUnlock }: { files: readonly CaptureFile[]; onCancel(key: number): void; onUnlock(key: number, password: string): void }) {
  if (files.length === 0) return null;
  return (
    <ul class="capture-files" aria-label={t('panel_capture_files')}>
      {files.map((file) => (
        <li class={`capture-file ${file.state}`} data-file={file.name} data-state={file.state} data-read-in={file.readIn} key={file.key}>
          <span class="chip source">{file.name}</span>
          {file.state === 'reading' && (
            <>
              <progress max={file.size || 1} value={file.readBytes} aria-label={t('panel_reading_file', file.name)} />
              <span class="muted">{t('panel_read_of', formatBytes(file.readBytes) || '0 B', formatBytes(file.size) || '0 B')}</span>
              <button type="button" class="cancel-read" onClick={() => onCancel(file.key)}>
                {t('panel_cancel')}
              </button>
            </>
          )}
          {file.state === 'cancelled' && <span class="note warn">{t('panel_read_cancelled')}</span>}
          {file.state === 'failed' && <span class="note bad">{t('panel_read_failed', file.error ?? '')}</span>}
          {file.state === 'read' && file.password && <PasswordForm file={file} onUnlock={onUnlock} />}
          {file.state === 'read' && !file.password && (
            <span class="summary">
              {file.format === undefined ? t('panel_not_a_capture') : t('panel_capture_summary', file.exchanges, file.format)}
              {file.otherRequests > 0 && <span class="muted"> {t('panel_other_requests', file.otherRequests)}</span>}
            </span>
          )}
          {file.problems.length > 0 && (
            <ul class="problems">
              {file.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => (
                <li class="problem">{t('panel_capture_problem', p.where, p.message)}</li>
              ))}
              {file.problems.length > MAX_PROBLEMS_SHOWN && <li class="muted">{t('panel_more_problems', file.problems.length - MAX_PROBLEMS_SHOWN)}</li>}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
