// The two query forms of MS-ASHTTP 2.2.1.1.1: plain text (Cmd=…&User=…&DeviceId=…&DeviceType=…)
// and the base64-encoded byte sequence that iOS, Windows Mobile and others send instead, which
// also carries the protocol version, locale and policy key in place of headers.
import { ActiveSyncError } from './errors';
import { fromBase64, fromHex, toBase64, toHex } from '../shared/base64';
import { decodeUtf8Lossy, encodeUtf8 } from '../wbxml/utils/utf8';

/** MS-ASHTTP 2.2.1.1.1.1.2: the command codes of the base64 form. */
export const COMMAND_CODES: Readonly<Record<string, number>> = {
  Sync: 0,
  SendMail: 1,
  SmartForward: 2,
  SmartReply: 3,
  GetAttachment: 4,
  FolderSync: 9,
  FolderCreate: 10,
  FolderDelete: 11,
  FolderUpdate: 12,
  MoveItems: 13,
  GetItemEstimate: 14,
  MeetingResponse: 15,
  Search: 16,
  Settings: 17,
  Ping: 18,
  ItemOperations: 19,
  Provision: 20,
  ResolveRecipients: 21,
  ValidateCert: 22,
};

/** MS-ASHTTP 2.2.1.1.1.1.3: command parameter tags (Options, tag 7, is a bitmask, below). */
export const PARAMETER_TAGS: Readonly<Record<string, number>> = {
  AttachmentName: 0,
  CollectionId: 1,
  ItemId: 3,
  LongId: 4,
  Occurrence: 6,
  User: 8,
};
const OPTIONS_TAG = 7;
const SAVE_IN_SENT = 0x01;
const ACCEPT_MULTIPART = 0x02;

const commandNames = new Map(Object.entries(COMMAND_CODES).map(([name, code]) => [code, name]));
const parameterNames = new Map(Object.entries(PARAMETER_TAGS).map(([name, tag]) => [tag, name]));

export interface QueryOptionsFlags {
  saveInSent: boolean;
  acceptMultiPart: boolean;
}

/** What a request's query carries, in either form. */
export interface EasQuery {
  command: string;
  deviceId: string;
  deviceType: string;
  /** Plain form: the User parameter; base64 form: the optional User command parameter. */
  user?: string;
  /** Base64 form only (the plain form uses the MS-ASProtocolVersion header). */
  protocolVersion?: string;
  /** Base64 form only: a Windows LCID, e.g. 0x0409 for en-US. */
  locale?: number;
  /** Base64 form only (the plain form uses X-MS-PolicyKey): a 32-bit unsigned key, in decimal. */
  policyKey?: string;
  /** Command parameters: AttachmentName, CollectionId, ItemId, LongId, Occurrence. */
  parameters?: Readonly<Record<string, string>>;
  options?: QueryOptionsFlags;
}

export interface DecodedQuery extends EasQuery {
  encoding: 'plain' | 'base64';
  /** Base64 form: the device id bytes in hex, since a device id may be a binary GUID. */
  deviceIdHex?: string;
  /** Base64 form: parameters with tags this client does not know, by tag number. */
  unknownParameters?: ReadonlyArray<{ tag: number; hex: string }>;
}

/** `Cmd=FolderSync&User=…&DeviceId=…&DeviceType=…` plus any command parameters. */
export function encodePlainQuery(query: EasQuery): string {
  const pairs: Array<[string, string]> = [
    ['Cmd', query.command],
    ['User', query.user ?? ''],
    ['DeviceId', query.deviceId],
    ['DeviceType', query.deviceType],
  ];
  for (const [name, value] of Object.entries(query.parameters ?? {})) pairs.push([name, value]);
  if (query.options?.saveInSent) pairs.push(['SaveInSent', 'T']);
  if (query.options?.acceptMultiPart) pairs.push(['AcceptMultiPart', 'T']);
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export interface Base64EncodeOptions {
  /**
   * How the device id becomes bytes. 'text' (the default) sends its UTF-8 bytes, as the
   * specification's own example does ("v140Device"); 'hex' sends the bytes a hex string spells,
   * as Windows Mobile does with its GUIDs.
   */
  deviceIdEncoding?: 'text' | 'hex';
}

/** The base64-encoded query value; its characters need no percent-encoding in a URL. */
export function encodeBase64Query(query: EasQuery, options: Base64EncodeOptions = {}): string {
  const fail = (message: string): never => {
    throw new ActiveSyncError('invalid-input', `base64 query: ${message}`);
  };
  const version = query.protocolVersion ?? fail('a protocol version is required');
  if (!/^\d{1,2}\.\d$/.test(version)) fail(`protocol version "${version}" is not major.minor`);
  const versionByte = Number(version.replace('.', ''));
  if (versionByte > 255) fail(`protocol version "${version}" does not fit in one byte`);
  const command = COMMAND_CODES[query.command] ?? fail(`command "${query.command}" has no base64 command code`);

  const deviceId = options.deviceIdEncoding === 'hex' ? hexToBytes(query.deviceId, fail) : encodeUtf8(query.deviceId);
  if (deviceId.length === 0 || deviceId.length > 255) fail('the device id must be 1 to 255 bytes');
  const deviceType = encodeUtf8(query.deviceType);
  if (deviceType.length > 255) fail('the device type must be at most 255 bytes');

  const bytes: number[] = [versionByte, command];
  const locale = query.locale ?? 0x0409;
  bytes.push(locale & 0xff, (locale >> 8) & 0xff);
  bytes.push(deviceId.length, ...deviceId);
  if (query.policyKey === undefined) {
    bytes.push(0);
  } else {
    if (!/^\d+$/.test(query.policyKey) || Number(query.policyKey) > 0xffffffff) {
      fail(`policy key "${query.policyKey}" is not a 32-bit unsigned integer`);
    }
    const key = Number(query.policyKey);
    bytes.push(4, key & 0xff, (key >>> 8) & 0xff, (key >>> 16) & 0xff, (key >>> 24) & 0xff);
  }
  bytes.push(deviceType.length, ...deviceType);

  const parameters: Record<string, string> = { ...query.parameters };
  if (query.user !== undefined && query.user !== '') parameters.User = query.user;
  for (const [name, value] of Object.entries(parameters)) {
    const tag = PARAMETER_TAGS[name] ?? fail(`command parameter "${name}" has no base64 tag`);
    const encoded = encodeUtf8(value);
    if (encoded.length > 255) fail(`command parameter ${name} is longer than 255 bytes`);
    bytes.push(tag, encoded.length, ...encoded);
  }
  if (query.options) {
    const flags = (query.options.saveInSent ? SAVE_IN_SENT : 0) | (query.options.acceptMultiPart ? ACCEPT_MULTIPART : 0);
    bytes.push(OPTIONS_TAG, 1, flags);
  }
  return toBase64(Uint8Array.from(bytes));
}

/**
 * Decodes either form. A query with a `Cmd=` or `DeviceId=` pair is plain text; anything else is
 * taken as base64. Errors name the byte offset where the base64 form went wrong.
 */
export function decodeQuery(queryString: string): DecodedQuery {
  const query = queryString.startsWith('?') ? queryString.slice(1) : queryString;
  if (/(^|&)(Cmd|DeviceId|DeviceType)=/i.test(query)) return decodePlainQuery(query);
  return decodeBase64Query(query);
}

function decodePlainQuery(query: string): DecodedQuery {
  // One pass over the pairs (URLSearchParams' iterator is slow in browsers, and the list decodes
  // the query of every exchange of a capture): the first value of each name, without case.
  const first = new Map<string, string>();
  const known = new Set(['cmd', 'user', 'deviceid', 'devicetype', 'saveinsent', 'acceptmultipart']);
  const parameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const lower = key.toLowerCase();
    if (!first.has(lower)) first.set(lower, value);
    if (!known.has(lower)) parameters[key] = value;
  }
  const take = (name: string): string | undefined => first.get(name);
  const result: DecodedQuery = {
    encoding: 'plain',
    command: take('cmd') ?? '',
    deviceId: take('deviceid') ?? '',
    deviceType: take('devicetype') ?? '',
    parameters,
  };
  const user = take('user');
  if (user !== undefined) result.user = user;
  const saveInSent = take('saveinsent');
  const acceptMultiPart = take('acceptmultipart');
  if (saveInSent !== undefined || acceptMultiPart !== undefined) {
    result.options = { saveInSent: saveInSent === 'T', acceptMultiPart: acceptMultiPart === 'T' };
  }
  return result;
}

export function decodeBase64Query(value: string): DecodedQuery {
  let text = value;
  try {
    if (value.includes('%')) text = decodeURIComponent(value);
  } catch {
    // Left as it is: the base64 check below names the problem.
  }
  const bytes = fromBase64(text);
  if (!bytes) throw new ActiveSyncError('invalid-input', `base64 query: "${value}" is not base64`);
  let pos = 0;
  const need = (count: number, field: string): void => {
    if (pos + count > bytes.length) {
      throw new ActiveSyncError('invalid-input', `base64 query: truncated at byte ${pos}: ${field} needs ${count} byte(s), ${bytes.length - pos} left`, { offset: pos });
    }
  };
  const byte = (field: string): number => {
    need(1, field);
    return bytes[pos++] as number;
  };
  const take = (count: number, field: string): Uint8Array => {
    need(count, field);
    const slice = bytes.subarray(pos, pos + count);
    pos += count;
    return slice;
  };

  const versionByte = byte('protocol version');
  const commandCode = byte('command code');
  const locale = byte('locale') | (byte('locale') << 8);
  const deviceIdBytes = take(byte('device id length'), 'device id');
  const keyLength = byte('policy key length');
  let policyKey: string | undefined;
  if (keyLength === 4) {
    const k = take(4, 'policy key');
    policyKey = String(((k[0] as number) | ((k[1] as number) << 8) | ((k[2] as number) << 16) | ((k[3] as number) << 24)) >>> 0);
  } else if (keyLength !== 0) {
    throw new ActiveSyncError('invalid-input', `base64 query: policy key length at byte ${pos - 1} is ${keyLength}, not 0 or 4`, {
      offset: pos - 1,
    });
  }
  const deviceType = decodeUtf8Lossy(take(byte('device type length'), 'device type'));

  const parameters: Record<string, string> = {};
  const unknownParameters: Array<{ tag: number; hex: string }> = [];
  let options: QueryOptionsFlags | undefined;
  let user: string | undefined;
  while (pos < bytes.length) {
    const tag = byte('parameter tag');
    const data = take(byte('parameter length'), `parameter ${tag}`);
    if (tag === OPTIONS_TAG) {
      const flags = data[0] ?? 0;
      options = { saveInSent: (flags & SAVE_IN_SENT) !== 0, acceptMultiPart: (flags & ACCEPT_MULTIPART) !== 0 };
    } else if (tag === PARAMETER_TAGS.User) {
      user = decodeUtf8Lossy(data);
    } else {
      const name = parameterNames.get(tag);
      if (name) parameters[name] = decodeUtf8Lossy(data);
      else unknownParameters.push({ tag, hex: hex(data) });
    }
  }

  const version = `${Math.floor(versionByte / 10)}.${versionByte % 10}`;
  const result: DecodedQuery = {
    encoding: 'base64',
    command: commandNames.get(commandCode) ?? `unknown command code ${commandCode}`,
    deviceId: isPrintableAscii(deviceIdBytes) ? decodeUtf8Lossy(deviceIdBytes) : hex(deviceIdBytes),
    deviceIdHex: hex(deviceIdBytes),
    deviceType,
    protocolVersion: version,
    locale,
    parameters,
  };
  if (policyKey !== undefined) result.policyKey = policyKey;
  if (user !== undefined) result.user = user;
  if (options) result.options = options;
  if (unknownParameters.length) result.unknownParameters = unknownParameters;
  return result;
}

function isPrintableAscii(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes.every((b) => b >= 0x20 && b < 0x7f);
}

/** Hex digits in upper case, as device ids are usually written. */
function hex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** A hex device id, GUID punctuation allowed, as bytes. */
function hexToBytes(id: string, fail: (message: string) => never): Uint8Array {
  return fromHex(id.replace(/[{}-]/g, '')) ?? fail(`device id "${id}" is not hex`);
}
