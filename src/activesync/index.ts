// The ActiveSync client core: pure (fetch, timers and storage are passed in; WBXML comes from src/wbxml).
export { ActiveSyncClient } from './client';
export type { CommandResult, SendOptions } from './command';
export type { ClientConfig } from './connection';
export type { AcknowledgementPhase, PolicyPhase, ProvisionResult } from './provision-phases';
export { ActiveSyncError } from './errors';
export type { ActiveSyncErrorKind } from './errors';
export type { FetchLike, FetchInit, ResponseLike, Timers } from './http';
export { accountKey, MemoryKeyStore } from './key-store';
export type { AccountId, PolicyKeyStore, StoredPolicyKey } from './key-store';
export { parseOptions } from './options';
export type { ServerOptions } from './options';
export { parseEasProvisionDoc, parsePolicyData, parseWapProvisioningXml } from './policy';
export { POLICY_SETTINGS } from './policy-settings';
export type { EasPolicy, ParsedPolicy, PolicyEntry, PolicySettingName, PolicyValue, WapParm } from './policy-settings';
export { explainSetting, explainWapParm } from './policy-explain';
export {
  buildAcknowledgement,
  buildPolicyRequest,
  DEFAULT_DEVICE_INFORMATION,
  parseProvisionResponse,
  policyTypeFor,
} from './provision';
export type { DeviceInformation, PolicyType, ProvisionResponse, RemoteWipeKind } from './provision';
export { COMMAND_CODES, decodeBase64Query, decodeQuery, encodeBase64Query, encodePlainQuery, PARAMETER_TAGS } from './query-string';
export type { DecodedQuery, EasQuery } from './query-string';
export { activeSyncUrl, basicAuthorization, checkTransportSecurity, isLoopbackHost } from './request';
export * from './status';
export { redactHeaders, REDACTED_AUTHORIZATION } from './trace';
export type { HeaderList, TraceBody, TraceStep } from './trace';
export { compareVersions, highestCommonVersion, isProtocolVersion, PROTOCOL_VERSIONS } from './versions';
export type { ProtocolVersion } from './versions';
