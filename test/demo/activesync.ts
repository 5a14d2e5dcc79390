// A minimal Exchange ActiveSync endpoint: OPTIONS, Basic auth, the Provision dance (449 before
// provisioning, phase 1 with a temporary key, acknowledgement with the final key, 449 for a
// stale key), FolderSync and a one-way Sync of the demo inbox. Enough for the extension's
// Provision and WBXML features and for the demo's web ActiveSync client; every other command
// answers 501.
import type { ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import { decode, encodeXml, findChild, findPath, textOf, WbxmlError, type WbxmlElement } from '../../src/wbxml';
import { EAS_POLICY_TYPE, easProvisionDoc, WAP_POLICY_TYPE, wapProvisioningDoc } from './activesync-policy';
import type { ExchangeContext, Route } from './context';
import { escapeHtml, header, send, sendError, type DemoRequest } from './http';
import { inboxOf } from './mailbox-data';

const EAS_PATH = '/microsoft-server-activesync';
const PROTOCOL_VERSIONS = ['2.5', '12.0', '12.1', '14.0', '14.1', '16.0', '16.1'] as const;
const COMMANDS = [
  'Sync',
  'SendMail',
  'SmartForward',
  'SmartReply',
  'GetAttachment',
  'GetHierarchy',
  'CreateCollection',
  'DeleteCollection',
  'MoveCollection',
  'FolderSync',
  'FolderCreate',
  'FolderDelete',
  'FolderUpdate',
  'MoveItems',
  'GetItemEstimate',
  'MeetingResponse',
  'Search',
  'Settings',
  'Ping',
  'ItemOperations',
  'Provision',
  'ResolveRecipients',
  'ValidateCert',
  'Find',
];
const WBXML = 'application/vnd.ms-sync.wbxml';

/** The response root of each command, for the Status 142/144 body sent with 449 above 12.1. */
const COMMAND_ROOTS: Record<string, string> = {
  FolderSync: 'FolderHierarchy:FolderSync',
  FolderCreate: 'FolderHierarchy:FolderCreate',
  FolderDelete: 'FolderHierarchy:FolderDelete',
  FolderUpdate: 'FolderHierarchy:FolderUpdate',
  Sync: 'AirSync:Sync',
  GetItemEstimate: 'GetItemEstimate:GetItemEstimate',
  MoveItems: 'Move:MoveItems',
  Ping: 'Ping:Ping',
  Settings: 'Settings:Settings',
  Search: 'Search:Search',
  ItemOperations: 'ItemOperations:ItemOperations',
  ResolveRecipients: 'ResolveRecipients:ResolveRecipients',
  SendMail: 'ComposeMail:SendMail',
  SmartReply: 'ComposeMail:SmartReply',
  SmartForward: 'ComposeMail:SmartForward',
};

/** Global status codes of MS-ASCMD used here. */
const STATUS_DEVICE_NOT_PROVISIONED = 142;
const STATUS_INVALID_POLICY_KEY = 144;

const FOLDERS: ReadonlyArray<readonly [id: string, name: string, type: number]> = [
  ['1', 'Inbox', 2],
  ['2', 'Drafts', 3],
  ['3', 'Deleted Items', 4],
  ['4', 'Sent Items', 5],
  ['5', 'Outbox', 6],
  ['6', 'Tasks', 7],
  ['7', 'Calendar', 8],
  ['8', 'Contacts', 9],
];

interface Device {
  /** The key handed out by Provision phase 1, waiting for its acknowledgement. */
  temporaryKey?: string;
  /** The key commands must carry. */
  finalKey?: string;
  folderSyncKey?: number;
  /** The Sync key of each collection (folder ServerId). */
  syncKeys?: Map<string, number>;
}

/** Device state per server, keyed by user and DeviceId. */
const devicesByContext = new WeakMap<ExchangeContext, Map<string, Device>>();

export const activeSync: Route = (ctx, req, res) => {
  const path = req.url.pathname.toLowerCase().replace(/\/+$/, '');
  if (path !== EAS_PATH) return false;
  const user = basicUser(ctx, req);
  if (!user) {
    send(res, 401, '', 'text/html', { 'WWW-Authenticate': `Basic realm="${new URL(req.selfOrigin).hostname}"` });
    return true;
  }
  res.setHeader('MS-Server-ActiveSync', '15.1');
  if (req.method === 'OPTIONS') {
    res.writeHead(200, 'OK', {
      Allow: 'OPTIONS,POST',
      Public: 'OPTIONS,POST',
      'MS-ASProtocolVersions': PROTOCOL_VERSIONS.join(','),
      'MS-ASProtocolCommands': COMMANDS.join(','),
      'Content-Length': 0,
    });
    res.end();
    return true;
  }
  if (req.method !== 'POST') {
    sendError(res, 405, { Allow: 'OPTIONS,POST' });
    return true;
  }
  command(ctx, req, res, user);
  return true;
};

function basicUser(ctx: ExchangeContext, req: DemoRequest): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return ctx.accounts.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
}

function command(ctx: ExchangeContext, req: DemoRequest, res: ServerResponse, user: string): void {
  const cmd = req.url.searchParams.get('Cmd') ?? '';
  const deviceId = req.url.searchParams.get('DeviceId') ?? '';
  const version = header(req, 'ms-asprotocolversion') ?? '';
  if (!COMMANDS.includes(cmd) || !deviceId || !(PROTOCOL_VERSIONS as readonly string[]).includes(version)) {
    sendError(res, 400);
    return;
  }
  let body: WbxmlElement | undefined;
  if (req.body.length > 0) {
    try {
      body = decode(req.body).root;
    } catch (error) {
      if (!(error instanceof WbxmlError)) throw error;
      sendError(res, 400);
      return;
    }
  }
  const devices = devicesByContext.get(ctx) ?? new Map<string, Device>();
  devicesByContext.set(ctx, devices);
  const deviceKey = `${user}\n${deviceId}`;
  const device = devices.get(deviceKey) ?? {};
  devices.set(deviceKey, device);
  const numericVersion = Number(version);

  if (cmd === 'Provision') {
    provision(res, device, body, numericVersion);
    return;
  }
  const key = header(req, 'x-ms-policykey') ?? '0';
  if (!device.finalKey || key !== device.finalKey) {
    const status = key === '0' || !device.finalKey ? STATUS_DEVICE_NOT_PROVISIONED : STATUS_INVALID_POLICY_KEY;
    const root = COMMAND_ROOTS[cmd];
    // Up to 12.1 a client learns it only from the status code; later versions also get a Status.
    if (numericVersion > 12.1 && root) sendWbxml(res, 449, wrap(root, `<Status>${status}</Status>`));
    else send(res, 449, '', 'text/html');
    return;
  }
  if (cmd === 'FolderSync') {
    folderSync(res, device, body);
    return;
  }
  if (cmd === 'Sync') {
    sync(res, device, body, user);
    return;
  }
  sendError(res, 501);
}

function provision(res: ServerResponse, device: Device, body: WbxmlElement | undefined, version: number): void {
  const policy = body && findPath(body, 'Policies/Policy');
  const policyType = policy ? textOf(findChild(policy, 'PolicyType') ?? policy) : '';
  if (!body || !policy || !findChild(policy, 'PolicyType')) {
    sendError(res, 400);
    return;
  }
  const deviceInformation = findChild(body, 'Settings:DeviceInformation') ? '<settings:DeviceInformation><settings:Status>1</settings:Status></settings:DeviceInformation>' : '';
  const wanted = version < 12 ? WAP_POLICY_TYPE : EAS_POLICY_TYPE;
  if (policyType !== wanted) {
    sendWbxml(res, 200, provisionXml(deviceInformation, `<Policy><PolicyType>${escapeHtml(policyType)}</PolicyType><Status>3</Status></Policy>`));
    return;
  }
  const acknowledged = findChild(policy, 'PolicyKey');
  if (acknowledged) {
    // Phase 2: the client acknowledges the temporary key and gets the final one.
    if (!device.temporaryKey || textOf(acknowledged) !== device.temporaryKey) {
      sendWbxml(res, 200, provisionXml(deviceInformation, `<Policy><PolicyType>${policyType}</PolicyType><Status>5</Status></Policy>`));
      return;
    }
    device.temporaryKey = undefined;
    device.finalKey = policyKey();
    sendWbxml(res, 200, provisionXml(deviceInformation, `<Policy><PolicyType>${policyType}</PolicyType><Status>1</Status><PolicyKey>${device.finalKey}</PolicyKey></Policy>`));
    return;
  }
  // Phase 1: the policy and a temporary key; any earlier final key is now stale.
  device.temporaryKey = policyKey();
  device.finalKey = undefined;
  const data = version < 12 ? escapeHtml(wapProvisioningDoc()) : easProvisionDoc(version);
  sendWbxml(
    res,
    200,
    provisionXml(deviceInformation, `<Policy><PolicyType>${policyType}</PolicyType><Status>1</Status><PolicyKey>${device.temporaryKey}</PolicyKey><Data>${data}</Data></Policy>`),
  );
}

function provisionXml(deviceInformation: string, policy: string): string {
  return wrap('Provision:Provision', `${deviceInformation}<Status>1</Status><Policies>${policy}</Policies>`);
}

function folderSync(res: ServerResponse, device: Device, body: WbxmlElement | undefined): void {
  const syncKey = body && findChild(body, 'SyncKey');
  if (!syncKey) {
    sendError(res, 400);
    return;
  }
  const key = textOf(syncKey);
  if (key === '0') {
    device.folderSyncKey = 1;
    const adds = FOLDERS.map(([id, name, type]) => `<Add><ServerId>${id}</ServerId><ParentId>0</ParentId><DisplayName>${name}</DisplayName><Type>${type}</Type></Add>`).join('');
    sendWbxml(res, 200, wrap('FolderHierarchy:FolderSync', `<Status>1</Status><SyncKey>1</SyncKey><Changes><Count>${FOLDERS.length}</Count>${adds}</Changes>`));
    return;
  }
  if (device.folderSyncKey !== undefined && key === String(device.folderSyncKey)) {
    sendWbxml(res, 200, wrap('FolderHierarchy:FolderSync', `<Status>1</Status><SyncKey>${key}</SyncKey><Changes><Count>0</Count></Changes>`));
    return;
  }
  // Status 9: the client's folder sync key is not the server's; it must start again from 0.
  sendWbxml(res, 200, wrap('FolderHierarchy:FolderSync', '<Status>9</Status>'));
}

/**
 * Sync, one way: SyncKey 0 primes a collection (a new key, no items); the next Sync sends the
 * demo inbox as Adds (other folders stay empty); after that nothing changes. A key that is not
 * the server's gets Status 3 (invalid synchronization key).
 */
function sync(res: ServerResponse, device: Device, body: WbxmlElement | undefined, user: string): void {
  const collections = body && findChild(body, 'Collections');
  if (!collections) {
    sendError(res, 400);
    return;
  }
  device.syncKeys ??= new Map();
  const answers: string[] = [];
  for (const collection of collections.children) {
    if (typeof collection !== 'object' || !('children' in collection)) continue;
    const id = textOf(findChild(collection, 'CollectionId') ?? collection);
    const keyElement = findChild(collection, 'SyncKey');
    const key = keyElement ? textOf(keyElement) : '';
    const current = device.syncKeys.get(id);
    const head = (status: number, syncKey: string) => `<SyncKey>${syncKey}</SyncKey><CollectionId>${escapeHtml(id)}</CollectionId><Status>${status}</Status>`;
    if (!FOLDERS.some(([folderId]) => folderId === id)) {
      answers.push(`<Collection>${head(8, key)}</Collection>`);
    } else if (key === '0') {
      device.syncKeys.set(id, 1);
      answers.push(`<Collection>${head(1, '1')}</Collection>`);
    } else if (current === undefined || key !== String(current)) {
      answers.push(`<Collection>${head(3, '0')}</Collection>`);
    } else if (current === 1 && id === '1') {
      device.syncKeys.set(id, 2);
      const received = new Date(Date.UTC(2025, 0, 6, 8, 0, 0));
      const adds = inboxOf(user)
        .map((m, i) => {
          const at = new Date(received.getTime() - i * 3_600_000).toISOString();
          return `<Add><ServerId>1:${i + 1}</ServerId><ApplicationData><email:To>${escapeHtml(user)}@contoso.com</email:To><email:From>${escapeHtml(m.from)}</email:From><email:Subject>${escapeHtml(m.subject)}</email:Subject><email:DateReceived>${at}</email:DateReceived><email:Read>${m.read ? 1 : 0}</email:Read></ApplicationData></Add>`;
        })
        .join('');
      answers.push(`<Collection>${head(1, '2')}<Commands>${adds}</Commands></Collection>`);
    } else {
      answers.push(`<Collection>${head(1, key)}</Collection>`);
    }
  }
  sendWbxml(res, 200, `<?xml version="1.0" encoding="utf-8"?><Sync xmlns="AirSync:" xmlns:email="Email:"><Collections>${answers.join('')}</Collections></Sync>`);
}

/** Wraps content in a root element given as 'Namespace:Name'; the Settings prefix serves DeviceInformation. */
function wrap(root: string, content: string): string {
  const [namespace, name] = root.split(':') as [string, string];
  return `<?xml version="1.0" encoding="utf-8"?><${name} xmlns="${namespace}:" xmlns:settings="Settings:">${content}</${name}>`;
}

function sendWbxml(res: ServerResponse, status: number, xml: string): void {
  send(res, status, encodeXml(xml), WBXML);
}

/** Exchange's policy keys are unsigned 32-bit numbers written in decimal; 0 means "none". */
function policyKey(): string {
  return String(randomInt(1, 2 ** 32 - 1));
}
