// The policy a server hands out in Provision phase 1, read into the typed object of
// policy-settings.ts: every EASProvisionDoc setting of MS-ASPROV 2.2.2.28 (12.0/12.1 onwards,
// unchanged through 16.1), the approved and unapproved application lists, and the Windows Mobile
// provisioning XML of protocol 2.5.
import { SaxesParser } from 'saxes';
import { findChild, findChildren, textOf, type WbxmlElement } from '../wbxml';
import { explainSetting, explainWapParm } from './policy-explain';
import { POLICY_SETTINGS, type EasPolicy, type ParsedPolicy, type PolicyEntry, type PolicySettingName, type PolicyValue, type SettingSpec, type WapParm } from './policy-settings';
import { childElements } from './tree';

// The codec names every token by Microsoft's table, so other implementations' names for the same
// token (12.0's DeviceEncryptionEnabled for RequireStorageCardEncryption) arrive already mapped.
function settingFor(name: string): PolicySettingName | undefined {
  return Object.hasOwn(POLICY_SETTINGS, name) ? (name as PolicySettingName) : undefined;
}

/** Reads `Provision:EASProvisionDoc` (protocol 12.0 and later). */
export function parseEasProvisionDoc(doc: WbxmlElement): ParsedPolicy {
  const settings: EasPolicy = {};
  const entries: PolicyEntry[] = [];
  const warnings: string[] = [];
  const seen = new Set<PolicySettingName>();

  for (const element of childElements(doc)) {
    const setting = settingFor(element.name);
    if (!setting) {
      const raw = textOf(element);
      entries.push({ name: element.name, raw, explanation: explainSetting(undefined, element.name, raw) });
      warnings.push(`${element.name} is not an MS-ASPROV policy setting; shown as sent`);
      continue;
    }
    const spec: SettingSpec = POLICY_SETTINGS[setting];
    const entry: PolicyEntry = { name: element.name, setting, raw: '', explanation: '', since: spec.since };
    if (spec.type === 'list') {
      const items = findChildren(element, spec.item).map((item) => textOf(item));
      entry.raw = items.join(', ');
      entry.value = items;
    } else {
      entry.raw = textOf(element).trim();
      const parsed = parseScalar(spec, entry.raw);
      if (typeof parsed === 'string') entry.problem = parsed;
      else entry.value = parsed.value;
    }
    if (seen.has(setting)) {
      const note = `${element.name} appears more than once; the last value counts`;
      entry.problem = entry.problem ? `${entry.problem}; ${note}` : note;
      warnings.push(note);
    }
    seen.add(setting);
    if (entry.value !== undefined) (settings as Record<string, PolicyValue>)[setting] = entry.value;
    entry.explanation = explainSetting(setting, element.name, entry.raw, entry.value);
    entries.push(entry);
  }
  return { policyType: 'MS-EAS-Provisioning-WBXML', settings, entries, warnings };
}

/** A value, or a string saying why the text is not one. */
function parseScalar(spec: SettingSpec, raw: string): { value: PolicyValue } | string {
  switch (spec.type) {
    case 'boolean':
      if (raw === '1' || raw.toLowerCase() === 'true') return { value: true };
      if (raw === '0' || raw.toLowerCase() === 'false') return { value: false };
      return `"${raw}" is not a boolean (0 or 1)`;
    case 'integer':
      if (raw === '') return { value: null };
      if (!(spec.signed ? /^-?\d+$/ : /^\d+$/).test(raw)) return `"${raw}" is not ${spec.signed ? 'an integer' : 'an unsigned integer'}`;
      return { value: Number(raw) };
    case 'enum': {
      if (!/^\d+$/.test(raw)) return `"${raw}" is not a number`;
      const value = Number(raw);
      return spec.values.includes(value) ? { value } : `${raw} is not one of the defined values (${spec.values.join(', ')})`;
    }
    case 'list':
      return 'lists have no scalar value';
  }
}

/**
 * Reads the Windows Mobile provisioning XML that protocol 2.5 puts in Data as text
 * (MS-ASPROV 2.2.2.24.2), and maps its parms onto the same settings as the WBXML form.
 */
export function parseWapProvisioningXml(xml: string): ParsedPolicy {
  const wapParms: WapParm[] = [];
  const stack: string[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const attr = (name: string): string => {
      const value: unknown = tag.attributes[name];
      return typeof value === 'string' ? value : '';
    };
    if (tag.name === 'characteristic') stack.push(attr('type'));
    else if (tag.name === 'parm') wapParms.push({ characteristic: stack.at(-1) ?? '', name: attr('name'), value: attr('value') });
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'characteristic') stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    throw new Error(`the 2.5 provisioning XML is not well-formed: ${(error as Error).message}`, { cause: error });
  }

  const settings: EasPolicy = {};
  const warnings: string[] = [];
  const lockType = wapParms.find((p) => p.name === 'AEFrequencyType')?.value;
  const entries = wapParms.map((parm): PolicyEntry => {
    const entry: PolicyEntry = { name: parm.name, raw: parm.value, explanation: explainWapParm(parm, lockType) };
    const number = /^-?\d+$/.test(parm.value) ? Number(parm.value) : undefined;
    const map = (setting: PolicySettingName, value: PolicyValue | undefined): void => {
      entry.setting = setting;
      if (value === undefined) {
        entry.problem = `"${parm.value}" is not a number`;
        return;
      }
      entry.value = value;
      (settings as Record<string, PolicyValue>)[setting] = value;
    };
    switch (parm.name) {
      case '4131':
        map('DevicePasswordEnabled', number === undefined ? undefined : number === 0);
        break;
      case 'AEFrequencyValue':
        // Minutes in the 2.5 form; the typed policy uses seconds, like the WBXML form.
        if (lockType === '1') map('MaxInactivityTimeDeviceLock', number === undefined ? undefined : number * 60);
        break;
      case 'DeviceWipeThreshold':
        map('MaxDevicePasswordFailedAttempts', number);
        break;
      case 'MinimumPasswordLength':
        map('MinDevicePasswordLength', number);
        break;
      case 'PasswordComplexity':
        map('AlphanumericDevicePasswordRequired', number === undefined ? undefined : number === 0);
        break;
    }
    return entry;
  });
  if (wapParms.length === 0) warnings.push('the provisioning XML holds no parm elements');
  return { policyType: 'MS-WAP-Provisioning-XML', settings, entries, wapParms, warnings };
}

/** Reads the Data element of a Policy, whichever form the PolicyType names. */
export function parsePolicyData(policyType: string | undefined, data: WbxmlElement): ParsedPolicy {
  const doc = findChild(data, 'EASProvisionDoc');
  if (doc) return parseEasProvisionDoc(doc);
  // Text, or opaque bytes from servers that send it so: textOf reads both.
  const xml = textOf(data);
  if (policyType === 'MS-WAP-Provisioning-XML' || xml.trimStart().startsWith('<')) return parseWapProvisioningXml(xml);
  throw new Error(`Data holds neither an EASProvisionDoc nor provisioning XML (PolicyType ${policyType ?? 'missing'})`);
}
