// Small pieces both pages use.
import type { DeviceIdentity } from '../../activesync/device-identity';
import type { BgResponse } from '../../messages/protocol';
import { say, type MessageKey } from './i18n';

/** The device identity's text fields with their labels, in the order both pages show them. */
export const DEVICE_FIELDS: ReadonlyArray<[keyof Omit<DeviceIdentity, 'protocolVersion'>, MessageKey]> = [
  ['deviceId', 'common_device_id'],
  ['deviceType', 'common_device_type'],
  ['model', 'common_device_model'],
  ['friendlyName', 'common_device_friendly_name'],
  ['os', 'common_device_os'],
  ['userAgent', 'common_device_user_agent'],
];

/** The worker's error, worded, or '' when the reply is not an error. */
export function errorOf(reply: BgResponse): string {
  return reply.type === 'bg-ui-error' ? say(reply.error) : '';
}

/** An error the worker sent back, announced to screen readers; nothing when there is none. */
export function Alert({ error }: { error: string }) {
  return error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : null;
}
