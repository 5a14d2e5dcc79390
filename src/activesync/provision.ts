// The Provision command (MS-ASPROV): the two request bodies a client sends and what the server's
// answers hold. Phase 1 asks for the policy and gets a temporary key; the acknowledgement sends
// that key back and gets the final key every later request carries.
import { parsePolicyData, type ParsedPolicy } from './policy';
import { child, childElements, el, text, type EasElement } from './tree';
import { atLeast, compareVersions } from './versions';

export type PolicyType = 'MS-WAP-Provisioning-XML' | 'MS-EAS-Provisioning-WBXML';

/** 2.5 gets the Windows Mobile XML form; 12.0 and later the WBXML form. */
export function policyTypeFor(protocolVersion: string): PolicyType {
  return compareVersions(protocolVersion, '12.0') < 0 ? 'MS-WAP-Provisioning-XML' : 'MS-EAS-Provisioning-WBXML';
}

/** Settings:DeviceInformation, sent inside Provision from protocol 14.1 on (MS-ASPROV 2.2.2.53). */
export interface DeviceInformation {
  model?: string;
  imei?: string;
  friendlyName?: string;
  os?: string;
  osLanguage?: string;
  phoneNumber?: string;
  mobileOperator?: string;
  userAgent?: string;
  enableOutboundSMS?: boolean;
}

export const DEFAULT_DEVICE_INFORMATION: Readonly<DeviceInformation> = {
  model: 'OWA Inspector',
  friendlyName: 'OWA Inspector',
  os: 'OWA Inspector',
  osLanguage: 'English',
};

function deviceInformationElement(info: DeviceInformation, userAgent: string | undefined): EasElement {
  const field = (name: string, value: string | undefined) => (value === undefined ? undefined : el(`Settings:${name}`, value));
  return el(
    'Settings:DeviceInformation',
    el(
      'Settings:Set',
      field('Model', info.model),
      field('IMEI', info.imei),
      field('FriendlyName', info.friendlyName),
      field('OS', info.os),
      field('OSLanguage', info.osLanguage),
      field('PhoneNumber', info.phoneNumber),
      field('UserAgent', info.userAgent ?? userAgent),
      field('EnableOutboundSMS', info.enableOutboundSMS === undefined ? undefined : info.enableOutboundSMS ? '1' : '0'),
      field('MobileOperator', info.mobileOperator),
    ),
  );
}

export interface PolicyRequestOptions {
  protocolVersion: string;
  /** Sent from 14.1 on; DEFAULT_DEVICE_INFORMATION when omitted. */
  deviceInformation?: DeviceInformation;
  userAgent?: string;
}

/** Phase 1: `<Provision><Policies><Policy><PolicyType>…` (with DeviceInformation from 14.1). */
export function buildPolicyRequest(options: PolicyRequestOptions): EasElement {
  const info = atLeast(options.protocolVersion, '14.1')
    ? deviceInformationElement(options.deviceInformation ?? DEFAULT_DEVICE_INFORMATION, options.userAgent)
    : undefined;
  return el(
    'Provision:Provision',
    info,
    el('Provision:Policies', el('Provision:Policy', el('Provision:PolicyType', policyTypeFor(options.protocolVersion)))),
  );
}

/**
 * The acknowledgement: the temporary key, and Status 1 (the policy was applied). A tool that
 * applies nothing still says 1, as a client under test would; other values are for experiments.
 */
export function buildAcknowledgement(protocolVersion: string, temporaryKey: string, status = 1): EasElement {
  return el(
    'Provision:Provision',
    el(
      'Provision:Policies',
      el(
        'Provision:Policy',
        el('Provision:PolicyType', policyTypeFor(protocolVersion)),
        el('Provision:PolicyKey', temporaryKey),
        el('Provision:Status', String(status)),
      ),
    ),
  );
}

export type RemoteWipeKind = 'device' | 'account';

export interface ProvisionResponse {
  /** Status of the Provision element (1 = success); undefined when the server sent none. */
  status?: number;
  policyType?: string;
  /** Status of the Policy element (1 = success, 5 = wrong key acknowledged). */
  policyStatus?: number;
  policyKey?: string;
  /** Phase 1 only. */
  policy?: ParsedPolicy;
  /** Why Data could not be read, if it could not. */
  policyError?: string;
  /** RemoteWipe asks for a full device wipe; AccountOnlyRemoteWipe (16.1) for the account's data only. */
  remoteWipe?: RemoteWipeKind;
  /** Status of settings:DeviceInformation when the server answered it. */
  deviceInformationStatus?: number;
}

function numberOf(element: EasElement | undefined): number | undefined {
  const value = text(element)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Reads a Provision response; throws when the root is not Provision. */
export function parseProvisionResponse(root: EasElement): ProvisionResponse {
  if (root.name !== 'Provision') throw new Error(`expected a Provision response, got ${root.namespace}:${root.name}`);
  const response: ProvisionResponse = {};
  const status = numberOf(child(root, 'Provision:Status'));
  if (status !== undefined) response.status = status;
  const info = child(root, 'DeviceInformation');
  const infoStatus = info ? numberOf(child(info, 'Status')) : undefined;
  if (infoStatus !== undefined) response.deviceInformationStatus = infoStatus;
  if (child(root, 'RemoteWipe')) response.remoteWipe = 'device';
  else if (child(root, 'AccountOnlyRemoteWipe')) response.remoteWipe = 'account';

  const policy = childElements(child(root, 'Policies') ?? root).find((c) => c.name === 'Policy');
  if (policy) {
    const policyType = text(child(policy, 'PolicyType'))?.trim();
    if (policyType !== undefined) response.policyType = policyType;
    const policyStatus = numberOf(child(policy, 'Status'));
    if (policyStatus !== undefined) response.policyStatus = policyStatus;
    const key = text(child(policy, 'PolicyKey'))?.trim();
    if (key !== undefined) response.policyKey = key;
    const data = child(policy, 'Data');
    if (data) {
      try {
        response.policy = parsePolicyData(policyType, data);
      } catch (error) {
        response.policyError = (error as Error).message;
      }
    }
  }
  return response;
}
