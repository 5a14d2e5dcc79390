// "This server's timeout looks like N min. [Use N min]": what the server's own ends showed, where
// it disagrees with the timeout in use (popup card and options page).
import { t } from './i18n';

interface Props {
  minutes: number;
  onUse(): void;
  /** The popup's card shows the button as a link; the options page as a button in a note. */
  look: 'card' | 'form';
}

export function TimeoutSuggestion({ minutes, onUse, look }: Props) {
  return (
    <p class={look === 'form' ? 'note timeout-suggestion' : 'timeout-suggestion'}>
      {t('common_timeout_suggestion', String(minutes))}{' '}
      <button type="button" class={look === 'card' ? 'link use-timeout' : 'use-timeout'} onClick={onUse}>
        {t('common_timeout_use', String(minutes))}
      </button>
    </p>
  );
}
