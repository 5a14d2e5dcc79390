// Plain words for every policy value: what the server asks of the device, as an admin or a
// client developer would say it. Meanings follow MS-ASPROV 2.2.2 and, for 2.5, what Exchange
// itself writes into the provisioning XML.
import type { PolicySettingName, PolicyValue, WapParm } from './policy-settings';

type Explain = (value: PolicyValue) => string;

const yesNo =
  (yes: string, no: string): Explain =>
  (value) =>
    value === true ? yes : no;

const table =
  (meanings: Readonly<Record<number, string>>): Explain =>
  (value) =>
    typeof value === 'number' ? (meanings[value] ?? `${value}: not a defined value`) : 'not set';

const list =
  (what: string, none: string): Explain =>
  (value) =>
    Array.isArray(value) && value.length ? `${value.length} ${what}: ${value.join(', ')}.` : none;

function bytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
}

const truncation =
  (kind: string): Explain =>
  (value) => {
    if (value === null) return `No truncation limit for ${kind} email is set.`;
    if (value === -1) return `${kind} email is not truncated.`;
    if (value === 0) return `Only the headers of ${kind} email are synchronized (bodies are truncated to nothing).`;
    return `${kind} email bodies are truncated to ${bytes(value as number)}.`;
  };

const EXPLAIN: Readonly<Record<PolicySettingName, Explain>> = {
  DevicePasswordEnabled: yesNo('A device password (PIN) is required.', 'No device password is required.'),
  AlphanumericDevicePasswordRequired: yesNo('The device password must contain letters and digits, not digits only.', 'A numeric PIN is enough; letters are not required.'),
  PasswordRecoveryEnabled: yesNo('The device must send a recovery password to the server (Settings command), so the admin can unlock it.', 'No recovery password is sent to the server.'),
  RequireStorageCardEncryption: yesNo('Data on the storage card must be encrypted (protocol 12.0 calls this DeviceEncryptionEnabled).', 'The storage card need not be encrypted.'),
  AttachmentsEnabled: yesNo('Email attachments may be downloaded.', 'Email attachments must not be downloaded.'),
  MinDevicePasswordLength: (v) => (v === null || v === 1 ? 'No minimum password length.' : `The device password must be at least ${v} characters long.`),
  MaxInactivityTimeDeviceLock: (v) =>
    v === null
      ? 'No inactivity lock is set.'
      : (v as number) >= 9999
        ? 'No inactivity lock (9999 or more means unlimited).'
        : `The device must lock itself after ${duration(v as number)} without use.`,
  MaxDevicePasswordFailedAttempts: (v) => (v === null ? 'No limit on wrong password attempts.' : `After ${v} wrong password attempts the device wipes itself or locks out for a time.`),
  MaxAttachmentSize: (v) => (v === null ? 'No limit on attachment size.' : `Attachments larger than ${bytes(v as number)} are not downloaded.`),
  AllowSimpleDevicePassword: yesNo('Simple passwords such as 1111 or 1234 are allowed.', 'Simple passwords (repeated or sequential characters such as 1111 or abcd) are not allowed.'),
  DevicePasswordExpiration: (v) => (v === null || v === 0 ? 'The device password never expires.' : `The device password expires after ${v} days.`),
  DevicePasswordHistory: (v) => (v === null || v === 0 ? 'Earlier passwords may be reused.' : `The last ${v} passwords may not be reused.`),
  AllowStorageCard: yesNo('Storage cards may be used.', 'Storage cards must not be used.'),
  AllowCamera: yesNo('The camera may be used.', 'The camera must be disabled.'),
  RequireDeviceEncryption: yesNo('The device must encrypt its storage.', 'Device encryption is not required.'),
  AllowUnsignedApplications: yesNo('Unsigned applications may run.', 'Unsigned applications must not run.'),
  AllowUnsignedInstallationPackages: yesNo('Unsigned installation packages (.cab) may be installed.', 'Unsigned installation packages (.cab) must not be installed.'),
  MinDevicePasswordComplexCharacters: (v) =>
    v === null ? 'No character groups are required.' : `The password must contain characters from at least ${v} of the groups: lower case, upper case, digits, symbols.`,
  AllowWiFi: yesNo('Wi-Fi may be used.', 'Wi-Fi must be disabled.'),
  AllowTextMessaging: yesNo('SMS / text messaging may be used.', 'SMS / text messaging must be disabled.'),
  AllowPOPIMAPEmail: yesNo('POP and IMAP email accounts may be used.', 'POP and IMAP email accounts must not be used.'),
  AllowBluetooth: table({
    0: 'Bluetooth must be disabled.',
    1: 'Bluetooth is disabled except for hands-free profiles.',
    2: 'Bluetooth is allowed.',
  }),
  AllowIrDA: yesNo('Infrared (IrDA) connections may be used.', 'Infrared (IrDA) connections must be disabled.'),
  RequireManualSyncWhenRoaming: yesNo('While roaming the device must sync only when the user asks (no push).', 'The device may sync automatically while roaming.'),
  AllowDesktopSync: yesNo('Desktop ActiveSync (sync with a PC) is allowed.', 'Desktop ActiveSync (sync with a PC) is not allowed.'),
  MaxCalendarAgeFilter: table({
    0: 'Calendar items of any age may be synchronized.',
    4: 'Only the last 2 weeks of calendar items may be synchronized.',
    5: 'Only the last month of calendar items may be synchronized.',
    6: 'Only the last 3 months of calendar items may be synchronized.',
    7: 'Only the last 6 months of calendar items may be synchronized.',
  }),
  AllowHTMLEmail: yesNo('HTML email is allowed.', 'Email must be shown as plain text only.'),
  MaxEmailAgeFilter: table({
    0: 'Email of any age may be synchronized.',
    1: 'Only the last day of email may be synchronized.',
    2: 'Only the last 3 days of email may be synchronized.',
    3: 'Only the last week of email may be synchronized.',
    4: 'Only the last 2 weeks of email may be synchronized.',
    5: 'Only the last month of email may be synchronized.',
  }),
  MaxEmailBodyTruncationSize: truncation('Plain-text'),
  MaxEmailHTMLBodyTruncationSize: truncation('HTML'),
  RequireSignedSMIMEMessages: yesNo('Outgoing email must be S/MIME signed.', 'S/MIME signing is not required.'),
  RequireEncryptedSMIMEMessages: yesNo('Outgoing email must be S/MIME encrypted.', 'S/MIME encryption is not required.'),
  RequireSignedSMIMEAlgorithm: table({ 0: 'S/MIME signatures must use SHA-1.', 1: 'S/MIME signatures must use MD5.' }),
  RequireEncryptionSMIMEAlgorithm: table({
    0: 'S/MIME encryption must use TripleDES.',
    1: 'S/MIME encryption must use DES.',
    2: 'S/MIME encryption must use RC2 128-bit.',
    3: 'S/MIME encryption must use RC2 64-bit.',
    4: 'S/MIME encryption must use RC2 40-bit.',
  }),
  AllowSMIMEEncryptionAlgorithmNegotiation: table({
    0: 'The S/MIME encryption algorithm must not be negotiated.',
    1: 'Only a strong S/MIME encryption algorithm may be negotiated.',
    2: 'Any S/MIME encryption algorithm may be negotiated.',
  }),
  AllowSMIMESoftCerts: yesNo('Soft (file-based) certificates may be used for S/MIME.', 'Soft (file-based) certificates must not be used for S/MIME.'),
  AllowBrowser: yesNo('The web browser may be used.', 'The web browser must be disabled.'),
  AllowConsumerEmail: yesNo('Personal (consumer) email accounts may be added.', 'Personal (consumer) email accounts must not be added.'),
  AllowRemoteDesktop: yesNo('Remote Desktop may be used.', 'Remote Desktop must be disabled.'),
  AllowInternetSharing: yesNo('Internet sharing (tethering) may be used.', 'Internet sharing (tethering) must be disabled.'),
  UnapprovedInROMApplicationList: list('built-in application(s) must not run', 'No built-in applications are blocked.'),
  ApprovedApplicationList: list('application hash(es) are approved to run', 'No list of approved applications is set.'),
};

/** One sentence for a setting's value; `setting` undefined means the element is not in MS-ASPROV. */
export function explainSetting(setting: PolicySettingName | undefined, name: string, raw: string, value?: PolicyValue): string {
  if (!setting) return `${name} = "${raw}": not an MS-ASPROV setting; the server sent it anyway.`;
  if (value === undefined) return `${name} = "${raw}": the value cannot be read.`;
  return EXPLAIN[setting](value);
}

/** One sentence for a parm of the 2.5 provisioning XML. `lockType` is the AEFrequencyType sent. */
export function explainWapParm(parm: WapParm, lockType: string | undefined): string {
  const v = parm.value;
  switch (parm.name) {
    case '4131':
      return v === '0' ? 'A device password is required (security policy 4131 = 0).' : 'No device password is required (security policy 4131 = 1).';
    case '4133':
      return v === '0'
        ? 'Security policy 4133 = 0: Exchange sends this when a password is required and wrong attempts are limited.'
        : 'Security policy 4133 = 1: Exchange sends this when no limit on wrong password attempts applies.';
    case 'AEFrequencyType':
      return v === '1' ? 'An inactivity lock is enforced (AEFrequencyType = 1).' : 'No inactivity lock is enforced (AEFrequencyType = 0).';
    case 'AEFrequencyValue':
      return lockType === '1' ? `The device must lock itself after ${v} minute(s) without use.` : `AEFrequencyValue = ${v} minute(s), unused because AEFrequencyType is not 1.`;
    case 'DeviceWipeThreshold':
      return `After ${v} wrong password attempts the device wipes itself.`;
    case 'CodewordFrequency':
      return v === '-1' ? 'The user is never asked for a code word.' : `After ${v} wrong password attempts the user must type a code word before trying again.`;
    case 'MinimumPasswordLength':
      return `The device password must be at least ${v} characters long.`;
    case 'PasswordComplexity':
      return v === '0' ? 'The device password must be alphanumeric (PasswordComplexity = 0).' : `A simple PIN is allowed (PasswordComplexity = ${v}).`;
    default:
      return `${parm.characteristic ? `${parm.characteristic}: ` : ''}${parm.name} = "${v}" (not decoded by this client).`;
  }
}
