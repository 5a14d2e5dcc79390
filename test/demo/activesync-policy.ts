// The security policy the demo's ActiveSync endpoint hands out in Provision: a few values set
// away from their defaults, so a client (or the extension's panel) has something to show.

export const EAS_POLICY_TYPE = 'MS-EAS-Provisioning-WBXML';
/** Protocol 2.5 asks for the policy as WAP provisioning XML instead. */
export const WAP_POLICY_TYPE = 'MS-WAP-Provisioning-XML';

/** [tag, value, first protocol version that knows the tag]. */
const SETTINGS: ReadonlyArray<readonly [string, string, number]> = [
  ['DevicePasswordEnabled', '1', 12.0],
  ['AlphanumericDevicePasswordRequired', '0', 12.0],
  ['PasswordRecoveryEnabled', '0', 12.0],
  ['RequireStorageCardEncryption', '0', 12.0],
  ['AttachmentsEnabled', '1', 12.0],
  ['MinDevicePasswordLength', '6', 12.0],
  ['MaxInactivityTimeDeviceLock', '900', 12.0],
  ['MaxDevicePasswordFailedAttempts', '8', 12.0],
  ['AllowSimpleDevicePassword', '0', 12.0],
  ['DevicePasswordExpiration', '0', 12.1],
  ['DevicePasswordHistory', '0', 12.1],
  ['AllowStorageCard', '1', 12.1],
  ['AllowCamera', '0', 12.1],
  ['RequireDeviceEncryption', '1', 12.1],
  ['AllowWiFi', '1', 12.1],
  ['AllowBrowser', '1', 12.1],
];

/** The EASProvisionDoc element (Provision namespace) for a protocol version. */
export function easProvisionDoc(version: number): string {
  const settings = SETTINGS.filter(([, , since]) => version >= since)
    .map(([tag, value]) => `<${tag}>${value}</${tag}>`)
    .join('');
  return `<EASProvisionDoc>${settings}</EASProvisionDoc>`;
}

/** The 2.5 policy: a WAP provisioning document carried as text. */
export function wapProvisioningDoc(): string {
  return (
    '<wap-provisioningdoc><characteristic type="SecurityPolicy"><parm name="4131" value="0"/></characteristic>' +
    '<characteristic type="Registry"><characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\AE\\{50C13377-C66D-400C-889E-C316FC4AB374}">' +
    '<parm name="AEFrequencyType" value="1"/><parm name="AEFrequencyValue" value="15"/></characteristic>' +
    '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD"><parm name="DeviceWipeThreshold" value="8"/></characteristic>' +
    '<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\LAP\\lap_pw"><parm name="MinimumPasswordLength" value="6"/></characteristic>' +
    '</characteristic></wap-provisioningdoc>'
  );
}
