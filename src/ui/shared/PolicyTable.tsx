// The policy a server handed out, as a readable table: each setting as sent, its value, and
// what it asks of the device in plain words; problems (out of range, duplicates) shown, not hidden.
import type { ParsedPolicy } from '../../activesync/policy-settings';
import { t } from './i18n';

/** Long setting names may break only between their words (a zero-width space at each capital). */
export function breakable(name: string): string {
  return name.replace(/([a-z])(?=[A-Z])/g, '$1\u200b');
}

export function PolicyTable({ policy }: { policy: ParsedPolicy }) {
  return (
    <table class="policy">
      <caption>{t('common_policy_caption', policy.policyType, String(policy.entries.length))}</caption>
      <thead>
        <tr>
          <th scope="col">{t('common_policy_setting')}</th>
          <th scope="col">{t('common_policy_value')}</th>
          <th scope="col">{t('common_policy_meaning')}</th>
        </tr>
      </thead>
      <tbody>
        {policy.entries.map((entry, i) => (
          <tr key={i} data-setting={entry.name}>
            <th scope="row">{breakable(entry.name)}</th>
            <td class="value">{entry.raw === '' ? '—' : entry.raw}</td>
            <td>
              {entry.explanation}
              {entry.problem && <span class="problem"> ({entry.problem})</span>}
            </td>
          </tr>
        ))}
      </tbody>
      {policy.warnings.length > 0 && (
        <tfoot>
          {policy.warnings.map((warning, i) => (
            <tr key={i}>
              <td colSpan={3} class="problem">
                {warning}
              </td>
            </tr>
          ))}
        </tfoot>
      )}
    </table>
  );
}
