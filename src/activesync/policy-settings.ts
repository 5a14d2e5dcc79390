// The vocabulary of a policy, shared by the parser (policy.ts) and the plain-words readings
// (policy-explain.ts): every EASProvisionDoc setting of MS-ASPROV 2.2.2.28 with its value kind
// and first version, and the shapes a parsed policy takes.
import type { ProtocolVersion } from './versions';

export type SettingSpec =
  | { type: 'boolean'; since: ProtocolVersion }
  | { type: 'integer'; since: ProtocolVersion; signed?: boolean }
  | { type: 'enum'; since: ProtocolVersion; values: readonly number[] }
  | { type: 'list'; since: ProtocolVersion; item: 'Hash' | 'ApplicationName' };

/** Every EASProvisionDoc setting, with its value type and the first version that has it. */
export const POLICY_SETTINGS = {
  DevicePasswordEnabled: { type: 'boolean', since: '12.0' },
  AlphanumericDevicePasswordRequired: { type: 'boolean', since: '12.0' },
  PasswordRecoveryEnabled: { type: 'boolean', since: '12.0' },
  RequireStorageCardEncryption: { type: 'boolean', since: '12.0' },
  AttachmentsEnabled: { type: 'boolean', since: '12.0' },
  MinDevicePasswordLength: { type: 'integer', since: '12.0' },
  MaxInactivityTimeDeviceLock: { type: 'integer', since: '12.0' },
  MaxDevicePasswordFailedAttempts: { type: 'integer', since: '12.0' },
  MaxAttachmentSize: { type: 'integer', since: '12.0' },
  AllowSimpleDevicePassword: { type: 'boolean', since: '12.0' },
  DevicePasswordExpiration: { type: 'integer', since: '12.0' },
  DevicePasswordHistory: { type: 'integer', since: '12.0' },
  AllowStorageCard: { type: 'boolean', since: '12.1' },
  AllowCamera: { type: 'boolean', since: '12.1' },
  RequireDeviceEncryption: { type: 'boolean', since: '12.1' },
  AllowUnsignedApplications: { type: 'boolean', since: '12.1' },
  AllowUnsignedInstallationPackages: { type: 'boolean', since: '12.1' },
  MinDevicePasswordComplexCharacters: { type: 'integer', since: '12.1' },
  AllowWiFi: { type: 'boolean', since: '12.1' },
  AllowTextMessaging: { type: 'boolean', since: '12.1' },
  AllowPOPIMAPEmail: { type: 'boolean', since: '12.1' },
  AllowBluetooth: { type: 'enum', since: '12.1', values: [0, 1, 2] },
  AllowIrDA: { type: 'boolean', since: '12.1' },
  RequireManualSyncWhenRoaming: { type: 'boolean', since: '12.1' },
  AllowDesktopSync: { type: 'boolean', since: '12.1' },
  MaxCalendarAgeFilter: { type: 'enum', since: '12.1', values: [0, 4, 5, 6, 7] },
  AllowHTMLEmail: { type: 'boolean', since: '12.1' },
  MaxEmailAgeFilter: { type: 'enum', since: '12.1', values: [0, 1, 2, 3, 4, 5] },
  MaxEmailBodyTruncationSize: { type: 'integer', since: '12.1', signed: true },
  MaxEmailHTMLBodyTruncationSize: { type: 'integer', since: '12.1', signed: true },
  RequireSignedSMIMEMessages: { type: 'boolean', since: '12.1' },
  RequireEncryptedSMIMEMessages: { type: 'boolean', since: '12.1' },
  RequireSignedSMIMEAlgorithm: { type: 'enum', since: '12.1', values: [0, 1] },
  RequireEncryptionSMIMEAlgorithm: { type: 'enum', since: '12.1', values: [0, 1, 2, 3, 4] },
  AllowSMIMEEncryptionAlgorithmNegotiation: { type: 'enum', since: '12.1', values: [0, 1, 2] },
  AllowSMIMESoftCerts: { type: 'boolean', since: '12.1' },
  AllowBrowser: { type: 'boolean', since: '12.1' },
  AllowConsumerEmail: { type: 'boolean', since: '12.1' },
  AllowRemoteDesktop: { type: 'boolean', since: '12.1' },
  AllowInternetSharing: { type: 'boolean', since: '12.1' },
  UnapprovedInROMApplicationList: { type: 'list', since: '12.1', item: 'ApplicationName' },
  ApprovedApplicationList: { type: 'list', since: '12.1', item: 'Hash' },
} as const satisfies Record<string, SettingSpec>;

export type PolicySettingName = keyof typeof POLICY_SETTINGS;

type ValueOf<S extends SettingSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'list' ? string[] : S['type'] extends 'enum' ? number : number | null;

/**
 * The policy as typed values. A setting the server did not send is absent; an integer setting
 * sent empty (which MS-ASPROV uses for "no limit" / "not set") is null.
 */
export type EasPolicy = { -readonly [K in PolicySettingName]?: ValueOf<(typeof POLICY_SETTINGS)[K]> };

export type PolicyValue = boolean | number | null | string[];

/** One setting as received, in document order, with its plain-words reading. */
export interface PolicyEntry {
  /** The element (or, for 2.5, parm) name as the server sent it. */
  name: string;
  /** The MS-ASPROV setting it maps to, if any. */
  setting?: PolicySettingName;
  /** The text as sent ('' for an empty element; items joined by ", " for lists). */
  raw: string;
  value?: PolicyValue;
  explanation: string;
  since?: ProtocolVersion;
  /** Why the value could not be read, or a note such as a duplicate. */
  problem?: string;
}

export interface WapParm {
  /** The innermost characteristic type, e.g. "SecurityPolicy" or "HKLM\Comm\Security\Policy\LASSD". */
  characteristic: string;
  name: string;
  value: string;
}

export interface ParsedPolicy {
  policyType: 'MS-EAS-Provisioning-WBXML' | 'MS-WAP-Provisioning-XML';
  settings: EasPolicy;
  entries: PolicyEntry[];
  /** Protocol 2.5: the parms of the provisioning XML, as sent. */
  wapParms?: WapParm[];
  warnings: string[];
}
