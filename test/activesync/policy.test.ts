import { describe, expect, it } from 'vitest';
import { parseEasProvisionDoc, parsePolicyData, parseWapProvisioningXml } from '../../src/activesync/policy';
import { POLICY_SETTINGS, type PolicySettingName } from '../../src/activesync/policy-settings';
import { element as el } from '../../src/wbxml';

const doc = (...settings: Array<[string, ...Array<string | ReturnType<typeof el>>]>) =>
  el('Provision:EASProvisionDoc', ...settings.map(([name, ...children]) => el(`Provision:${name}`, ...children)));

describe('EASProvisionDoc', () => {
  it('types and explains every MS-ASPROV setting', () => {
    const values: Record<PolicySettingName, string | ReturnType<typeof el>[]> = {
      DevicePasswordEnabled: '1',
      AlphanumericDevicePasswordRequired: '1',
      PasswordRecoveryEnabled: '1',
      RequireStorageCardEncryption: '1',
      AttachmentsEnabled: '0',
      MinDevicePasswordLength: '8',
      MaxInactivityTimeDeviceLock: '900',
      MaxDevicePasswordFailedAttempts: '10',
      MaxAttachmentSize: '1048576',
      AllowSimpleDevicePassword: '0',
      DevicePasswordExpiration: '90',
      DevicePasswordHistory: '5',
      AllowStorageCard: '0',
      AllowCamera: '0',
      RequireDeviceEncryption: '1',
      AllowUnsignedApplications: '0',
      AllowUnsignedInstallationPackages: '0',
      MinDevicePasswordComplexCharacters: '3',
      AllowWiFi: '1',
      AllowTextMessaging: '1',
      AllowPOPIMAPEmail: '0',
      AllowBluetooth: '1',
      AllowIrDA: '0',
      RequireManualSyncWhenRoaming: '1',
      AllowDesktopSync: '0',
      MaxCalendarAgeFilter: '5',
      AllowHTMLEmail: '0',
      MaxEmailAgeFilter: '3',
      MaxEmailBodyTruncationSize: '-1',
      MaxEmailHTMLBodyTruncationSize: '0',
      RequireSignedSMIMEMessages: '1',
      RequireEncryptedSMIMEMessages: '1',
      RequireSignedSMIMEAlgorithm: '0',
      RequireEncryptionSMIMEAlgorithm: '2',
      AllowSMIMEEncryptionAlgorithmNegotiation: '1',
      AllowSMIMESoftCerts: '0',
      AllowBrowser: '0',
      AllowConsumerEmail: '0',
      AllowRemoteDesktop: '0',
      AllowInternetSharing: '0',
      UnapprovedInROMApplicationList: [el('Provision:ApplicationName', 'Solitaire'), el('Provision:ApplicationName', 'Camera')],
      ApprovedApplicationList: [el('Provision:Hash', 'AB12'), el('Provision:Hash', 'CD34')],
    };
    const parsed = parseEasProvisionDoc(doc(...Object.entries(values).map(([name, v]): [string, ...Array<string | ReturnType<typeof el>>] => [name, ...(Array.isArray(v) ? v : [v])])));
    expect(Object.keys(parsed.settings).sort()).toEqual(Object.keys(POLICY_SETTINGS).sort());
    expect(parsed.warnings).toEqual([]);
    expect(parsed.settings).toMatchObject({
      DevicePasswordEnabled: true,
      AttachmentsEnabled: false,
      MinDevicePasswordLength: 8,
      MaxEmailBodyTruncationSize: -1,
      AllowBluetooth: 1,
      UnapprovedInROMApplicationList: ['Solitaire', 'Camera'],
      ApprovedApplicationList: ['AB12', 'CD34'],
    });
    const say = Object.fromEntries(parsed.entries.map((e) => [e.name, e.explanation]));
    expect(say.MinDevicePasswordLength).toBe('The device password must be at least 8 characters long.');
    expect(say.MaxInactivityTimeDeviceLock).toBe('The device must lock itself after 15 minutes without use.');
    expect(say.MaxAttachmentSize).toBe('Attachments larger than 1 MiB are not downloaded.');
    expect(say.AllowBluetooth).toBe('Bluetooth is disabled except for hands-free profiles.');
    expect(say.MaxCalendarAgeFilter).toBe('Only the last month of calendar items may be synchronized.');
    expect(say.MaxEmailHTMLBodyTruncationSize).toMatch(/Only the headers of HTML email/);
    expect(say.RequireEncryptionSMIMEAlgorithm).toBe('S/MIME encryption must use RC2 128-bit.');
    expect(say.ApprovedApplicationList).toBe('2 application hash(es) are approved to run: AB12, CD34.');
    expect(say.AllowCamera).toBe('The camera must be disabled.');
    for (const entry of parsed.entries) {
      expect(entry.explanation, entry.name).toMatch(/\.$/);
      expect(entry.since, entry.name).toMatch(/^12\.[01]$/);
    }
  });

  it('reads empty limits as "no limit" and other names for the same token', () => {
    const parsed = parseEasProvisionDoc(doc(['MaxAttachmentSize'], ['DeviceEncryptionEnabled', '1'], ['MaxInactivityTimeDeviceLock', '9999']));
    expect(parsed.settings).toEqual({ MaxAttachmentSize: null, RequireStorageCardEncryption: true, MaxInactivityTimeDeviceLock: 9999 });
    expect(parsed.entries.map((e) => e.explanation)).toEqual([
      'No limit on attachment size.',
      'Data on the storage card must be encrypted (protocol 12.0 calls this DeviceEncryptionEnabled).',
      'No inactivity lock (9999 or more means unlimited).',
    ]);
  });

  it('keeps what it cannot read, and says why', () => {
    const parsed = parseEasProvisionDoc(
      doc(['AllowCamera', 'yes'], ['MaxCalendarAgeFilter', '2'], ['DocumentBrowseEnabled', '1'], ['AlphanumericDevicePasswordRequired', '2'], ['AlphanumericDevicePasswordRequired', '1']),
    );
    expect(parsed.settings).toEqual({ AlphanumericDevicePasswordRequired: true });
    expect(parsed.entries[0]).toMatchObject({ name: 'AllowCamera', raw: 'yes', problem: '"yes" is not a boolean (0 or 1)' });
    expect(parsed.entries[1]?.problem).toBe('2 is not one of the defined values (0, 4, 5, 6, 7)');
    expect(parsed.entries[2]).toMatchObject({ name: 'DocumentBrowseEnabled', raw: '1' });
    expect(parsed.entries[2]?.explanation).toMatch(/not an MS-ASPROV setting/);
    expect(parsed.entries[4]?.problem).toMatch(/appears more than once; the last value counts/);
    expect(parsed.warnings).toHaveLength(2);
  });
});

// What Exchange writes for protocol 2.5 (its own generator: 4133, minutes, codeword frequency).
const EXCHANGE_WAP =
  '<wap-provisioningdoc><characteristic type="SecurityPolicy"><parm name="4131" value="0"/><parm name="4133" value="0"/></characteristic>' +
  '<characteristic type="Registry"><characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\AE\\{50C13377-C66D-400C-889E-C316FC4AB374}">' +
  '<parm name="AEFrequencyType" value="1"/><parm name="AEFrequencyValue" value="15"/></characteristic>' +
  '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD"><parm name="DeviceWipeThreshold" value="8"/></characteristic>' +
  '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD"><parm name="CodewordFrequency" value="4"/></characteristic>' +
  '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\LAP\\lap_pw"><parm name="MinimumPasswordLength" value="6"/></characteristic>' +
  '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\LAP\\lap_pw"><parm name="PasswordComplexity" value="0"/></characteristic>' +
  '</characteristic></wap-provisioningdoc>';

describe('protocol 2.5 provisioning XML', () => {
  it('maps the parms onto the same typed settings, with minutes turned into seconds', () => {
    const parsed = parseWapProvisioningXml(EXCHANGE_WAP);
    expect(parsed.policyType).toBe('MS-WAP-Provisioning-XML');
    expect(parsed.settings).toEqual({
      DevicePasswordEnabled: true,
      MaxInactivityTimeDeviceLock: 900,
      MaxDevicePasswordFailedAttempts: 8,
      MinDevicePasswordLength: 6,
      AlphanumericDevicePasswordRequired: true,
    });
    expect(parsed.wapParms).toHaveLength(8);
    expect(parsed.wapParms?.[2]).toEqual({
      characteristic: 'HKLM\\Comm\\Security\\Policy\\LASSD\\AE\\{50C13377-C66D-400C-889E-C316FC4AB374}',
      name: 'AEFrequencyType',
      value: '1',
    });
    const say = Object.fromEntries(parsed.entries.map((e) => [e.name, e.explanation]));
    expect(say['4131']).toBe('A device password is required (security policy 4131 = 0).');
    expect(say.AEFrequencyValue).toBe('The device must lock itself after 15 minute(s) without use.');
    expect(say.CodewordFrequency).toBe('After 4 wrong password attempts the user must type a code word before trying again.');
    expect(say.PasswordComplexity).toBe('The device password must be alphanumeric (PasswordComplexity = 0).');
  });

  it('ignores the lock time when no inactivity lock is enforced, and reports bad XML', () => {
    const parsed = parseWapProvisioningXml(
      '<wap-provisioningdoc><characteristic type="SecurityPolicy"><parm name="4131" value="1"/></characteristic>' +
        '<characteristic type="Registry"><characteristic type="AE"><parm name="AEFrequencyType" value="0"/><parm name="AEFrequencyValue" value="0"/></characteristic></characteristic></wap-provisioningdoc>',
    );
    expect(parsed.settings).toEqual({ DevicePasswordEnabled: false });
    expect(() => parseWapProvisioningXml('<wap-provisioningdoc><parm')).toThrow(/not well-formed/);
  });

  it('is found through the Data element, either form', () => {
    expect(parsePolicyData('MS-WAP-Provisioning-XML', el('Provision:Data', EXCHANGE_WAP)).policyType).toBe('MS-WAP-Provisioning-XML');
    expect(parsePolicyData('MS-EAS-Provisioning-WBXML', el('Provision:Data', doc(['AllowCamera', '1']))).settings).toEqual({ AllowCamera: true });
    expect(() => parsePolicyData('MS-EAS-Provisioning-WBXML', el('Provision:Data'))).toThrow(/neither an EASProvisionDoc nor provisioning XML/);
  });
});
