// The demo Exchange's ActiveSync endpoint: OPTIONS, Basic auth, 449 before provisioning,
// both Provision phases, stale keys, FolderSync. Bodies go through the project's WBXML codec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encodeXml, findChild, findChildren, findPath, textOf, type WbxmlElement } from '../../src/wbxml';
import { startDemoExchange, type DemoExchange } from '../demo';

let demo: DemoExchange;
beforeAll(async () => {
  demo = await startDemoExchange({ generation: '2010', activesync: true });
});
afterAll(() => demo.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE = basic('CONTOSO\\alice', 'Demo-Passw0rd');
let deviceCounter = 0;
const newDevice = () => `DEMODEVICE${++deviceCounter}`;

async function eas(cmd: string, device: string, xml: string | undefined, options: { version?: string; key?: string; auth?: string } = {}) {
  const response = await fetch(`${demo.origin}/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=alice&DeviceId=${device}&DeviceType=DemoPhone`, {
    method: 'POST',
    headers: {
      authorization: options.auth ?? ALICE,
      'content-type': 'application/vnd.ms-sync.wbxml',
      'ms-asprotocolversion': options.version ?? '14.1',
      ...(options.key !== undefined ? { 'x-ms-policykey': options.key } : {}),
    },
    ...(xml !== undefined ? { body: Buffer.from(encodeXml(xml)) } : {}),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const wbxml = response.headers.get('content-type') === 'application/vnd.ms-sync.wbxml';
  return { response, root: wbxml ? decode(bytes).root : undefined };
}

const PROVISION_REQUEST = `<Provision xmlns="Provision:" xmlns:settings="Settings:">
  <settings:DeviceInformation><settings:Set><settings:Model>Demo</settings:Model></settings:Set></settings:DeviceInformation>
  <Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>`;
const ack = (key: string) =>
  `<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>${key}</PolicyKey><Status>1</Status></Policy></Policies></Provision>`;
const FOLDER_SYNC = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';

function text(root: WbxmlElement | undefined, path: string): string | undefined {
  const el = root && findPath(root, path);
  return el && textOf(el);
}

async function provisioned(device: string): Promise<{ temporary: string; final: string }> {
  const phase1 = await eas('Provision', device, PROVISION_REQUEST, { key: '0' });
  const temporary = text(phase1.root, 'Policies/Policy/PolicyKey') ?? '';
  const phase2 = await eas('Provision', device, ack(temporary), { key: temporary });
  return { temporary, final: text(phase2.root, 'Policies/Policy/PolicyKey') ?? '' };
}

describe('demo Exchange ActiveSync', () => {
  it('answers OPTIONS with the protocol versions and commands, after Basic auth', async () => {
    const anonymous = await fetch(`${demo.origin}/Microsoft-Server-ActiveSync`, { method: 'OPTIONS' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="127.0.0.1"');
    const wrong = await fetch(`${demo.origin}/Microsoft-Server-ActiveSync`, { method: 'OPTIONS', headers: { authorization: basic('alice', 'nope') } });
    expect(wrong.status).toBe(401);

    const options = await fetch(`${demo.origin}/Microsoft-Server-ActiveSync`, { method: 'OPTIONS', headers: { authorization: basic('alice@contoso.com', 'Demo-Passw0rd') } });
    expect(options.status).toBe(200);
    expect(options.headers.get('ms-asprotocolversions')).toBe('2.5,12.0,12.1,14.0,14.1,16.0,16.1');
    expect(options.headers.get('ms-asprotocolcommands')?.split(',')).toEqual(expect.arrayContaining(['FolderSync', 'Provision', 'Sync', 'Ping']));
    expect(options.headers.get('ms-server-activesync')).toBe('15.1');
  });

  it('answers a command before provisioning with 449, and above 12.1 with Status 142 in WBXML', async () => {
    const modern = await eas('FolderSync', newDevice(), FOLDER_SYNC, { version: '14.1' });
    expect(modern.response.status).toBe(449);
    expect(modern.response.statusText).toBe('Retry With');
    expect(modern.root?.name).toBe('FolderSync');
    expect(text(modern.root, 'Status')).toBe('142');

    const old = await eas('FolderSync', newDevice(), FOLDER_SYNC, { version: '12.1' });
    expect(old.response.status).toBe(449);
    expect(old.response.headers.get('content-length')).toBe('0');
  });

  it('provisions in two phases: policy with a temporary key, then a final key for the acknowledgement', async () => {
    const device = newDevice();
    const phase1 = await eas('Provision', device, PROVISION_REQUEST, { key: '0' });
    expect(phase1.response.status).toBe(200);
    expect(phase1.response.headers.get('content-type')).toBe('application/vnd.ms-sync.wbxml');
    const root = phase1.root;
    expect(text(root, 'Status')).toBe('1');
    expect(text(root, 'Settings:DeviceInformation/Settings:Status')).toBe('1');
    expect(text(root, 'Policies/Policy/Status')).toBe('1');
    const temporary = text(root, 'Policies/Policy/PolicyKey') ?? '';
    expect(temporary).toMatch(/^[1-9]\d*$/);
    const doc = root && findPath(root, 'Policies/Policy/Data/EASProvisionDoc');
    const policy = Object.fromEntries((doc?.children ?? []).flatMap((c) => (c.kind === 'element' ? [[c.name, textOf(c)]] : [])));
    expect(policy).toMatchObject({ DevicePasswordEnabled: '1', MinDevicePasswordLength: '6', MaxInactivityTimeDeviceLock: '900', AllowCamera: '0' });

    // The temporary key is not good enough for a command.
    expect((await eas('FolderSync', device, FOLDER_SYNC, { key: temporary })).response.status).toBe(449);

    const phase2 = await eas('Provision', device, ack(temporary), { key: temporary });
    const final = text(phase2.root, 'Policies/Policy/PolicyKey') ?? '';
    expect(text(phase2.root, 'Policies/Policy/Status')).toBe('1');
    expect(final).toMatch(/^[1-9]\d*$/);
    expect(final).not.toBe(temporary);
    expect(phase2.root && findPath(phase2.root, 'Policies/Policy/Data')).toBeUndefined();
  });

  it('answers FolderSync with the final key with a folder hierarchy', async () => {
    const device = newDevice();
    const { final } = await provisioned(device);
    const sync = await eas('FolderSync', device, FOLDER_SYNC, { key: final });
    expect(sync.response.status).toBe(200);
    expect(text(sync.root, 'Status')).toBe('1');
    expect(text(sync.root, 'SyncKey')).toBe('1');
    const changes = sync.root && findChild(sync.root, 'Changes');
    expect(text(changes, 'Count')).toBe('8');
    const folders = changes ? findChildren(changes, 'Add').map((add) => [text(add, 'DisplayName'), text(add, 'Type')]) : [];
    expect(folders).toContainEqual(['Inbox', '2']);
    expect(folders).toContainEqual(['Calendar', '8']);

    const again = await eas('FolderSync', device, '<FolderSync xmlns="FolderHierarchy:"><SyncKey>1</SyncKey></FolderSync>', { key: final });
    expect(text(again.root, 'Changes/Count')).toBe('0');
  });

  it('treats a superseded final key as stale (449, Status 144) and refuses a wrong acknowledgement (Policy Status 5)', async () => {
    const device = newDevice();
    const first = await provisioned(device);
    const second = await provisioned(device);
    expect(second.final).not.toBe(first.final);
    const stale = await eas('FolderSync', device, FOLDER_SYNC, { key: first.final });
    expect(stale.response.status).toBe(449);
    expect(text(stale.root, 'Status')).toBe('144');
    expect((await eas('FolderSync', device, FOLDER_SYNC, { key: second.final })).response.status).toBe(200);

    const other = newDevice();
    await eas('Provision', other, PROVISION_REQUEST, { key: '0' });
    const wrong = await eas('Provision', other, ack('12345'), { key: '12345' });
    expect(text(wrong.root, 'Policies/Policy/Status')).toBe('5');
  });

  it('serves the 2.5 policy as WAP provisioning XML', async () => {
    const phase1 = await eas('Provision', newDevice(), '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-WAP-Provisioning-XML</PolicyType></Policy></Policies></Provision>', {
      version: '2.5',
    });
    expect(text(phase1.root, 'Policies/Policy/Data')).toMatch(/^<wap-provisioningdoc>/);
  });

  it('answers 400 to a request without a known command, DeviceId or protocol version', async () => {
    expect((await eas('Frobnicate', newDevice(), undefined)).response.status).toBe(400);
    expect((await eas('FolderSync', newDevice(), FOLDER_SYNC, { version: '99.0' })).response.status).toBe(400);
  });
});
