// The Provision command (MS-ASPROV): the two request bodies a client sends and what the server's
// answers hold. Phase 1 asks for the policy and gets a temporary key; the acknowledgement sends
// that key back and gets the final key every later request carries.
import { element, findChild, findPath, type WbxmlElement } from '../wbxml';
import { parsePolicyData } from './policy';
import type { ParsedPolicy } from './policy-settings';
import { childNumber, childText } from './tree';
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

function deviceInformationElement(info: DeviceInformation, userAgent: string | undefined): WbxmlElement {
  const fields: Array<[string, string | undefined]> = [
    ['Model', info.model],
    ['IMEI', info.imei],
    ['FriendlyName', info.friendlyName],
    ['OS', info.os],
    ['OSLanguage', info.osLanguage],
    ['PhoneNumber', info.phoneNumber],
    ['UserAgent', info.userAgent ?? userAgent],
    ['EnableOutboundSMS', info.enableOutboundSMS === undefined ? undefined : info.enableOutboundSMS ? '1' : '0'],
    ['MobileOperator', info.mobileOperator],
  ];
  const set = fields.flatMap(([name, value]) => (value === undefined ? [] : [element(`Settings:${name}`, value)]));
  return element('Settings:DeviceInformation', element('Settings:Set', ...set));
}

export interface PolicyRequestOptions {
  protocolVersion: string;
  /** Sent from 14.1 on, over DEFAULT_DEVICE_INFORMATION. */
  deviceInformation?: DeviceInformation;
  userAgent?: string;
}

/** Phase 1: `<Provision><Policies><Policy><PolicyType>…` (with DeviceInformation from 14.1). */
export function buildPolicyRequest(options: PolicyRequestOptions): WbxmlElement {
  const policies = element('Provision:Policies', element('Provision:Policy', element('Provision:PolicyType', policyTypeFor(options.protocolVersion))));
  if (!atLeast(options.protocolVersion, '14.1')) return element('Provision:Provision', policies);
  const info = deviceInformationElement({ ...DEFAULT_DEVICE_INFORMATION, ...options.deviceInformation }, options.userAgent);
  return element('Provision:Provision', info, policies);
}

/**
 * The acknowledgement: the temporary key, and Status 1 (the policy was applied). A tool that
 * applies nothing still says 1, as a client under test would; other values are for experiments.
 */
export function buildAcknowledgement(protocolVersion: string, temporaryKey: string, status = 1): WbxmlElement {
  return element(
    'Provision:Provision',
    element(
      'Provision:Policies',
      element('Provision:Policy', element('Provision:PolicyType', policyTypeFor(protocolVersion)), element('Provision:PolicyKey', temporaryKey), element('Provision:Status', String(status))),
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

/** Reads a Provision response; throws when the root is not Provision. */
export function parseProvisionResponse(root: WbxmlElement): ProvisionResponse {
  if (root.name !== 'Provision') throw new Error(`expected a Provision response, got ${root.namespace}:${root.name}`);
  const response: ProvisionResponse = {};
  const status = childNumber(root, 'Provision:Status');
  if (status !== undefined) response.status = status;
  const infoStatus = childNumber(findChild(root, 'Settings:DeviceInformation'), 'Settings:Status');
  if (infoStatus !== undefined) response.deviceInformationStatus = infoStatus;
  if (findChild(root, 'Provision:RemoteWipe')) response.remoteWipe = 'device';
  else if (findChild(root, 'Provision:AccountOnlyRemoteWipe')) response.remoteWipe = 'account';

  const policy = findPath(root, 'Policies/Policy');
  if (policy) {
    const policyType = childText(policy, 'PolicyType');
    if (policyType !== undefined) response.policyType = policyType;
    const policyStatus = childNumber(policy, 'Status');
    if (policyStatus !== undefined) response.policyStatus = policyStatus;
    const key = childText(policy, 'PolicyKey');
    if (key !== undefined) response.policyKey = key;
    const data = findChild(policy, 'Data');
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
