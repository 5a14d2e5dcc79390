// The demo's web ActiveSync client, without the page: what a new phone does against
// /Microsoft-Server-ActiveSync, with fetch and the project's own WBXML codec. OPTIONS, a
// FolderSync refused with 449 (not provisioned), Provision phase 1 (policy and temporary key)
// and phase 2 (acknowledgement, final key), FolderSync, then Sync of the Inbox (prime, then
// items). Runs in the demo's page (bundled by esbuild) and in Node tests.
import { decode, encodeXml, findChild, findChildren, findPath, textOf, type WbxmlElement } from '../../../src/wbxml';

export interface EasStep {
  /** e.g. 'OPTIONS', 'FolderSync', 'Provision (phase 1)'. */
  name: string;
  status: number;
  /** One line for people: what the answer said. */
  summary: string;
}

export interface EasRunOptions {
  /** Origin of the server, '' for the page's own. */
  base: string;
  user: string;
  password: string;
  /** A new one per run, so the server asks for Provision (the 449) every time. */
  deviceId: string;
  protocolVersion?: string;
  fetch?: typeof fetch;
  onStep?: (step: EasStep) => void;
}

export interface EasRunResult {
  steps: EasStep[];
  folders: string[];
  messages: string[];
  policyKey: string;
}

const EAS_PATH = '/Microsoft-Server-ActiveSync';
const WBXML = 'application/vnd.ms-sync.wbxml';
const POLICY_TYPE = 'MS-EAS-Provisioning-WBXML';

export async function runEasDemo(options: EasRunOptions): Promise<EasRunResult> {
  const doFetch = options.fetch ?? fetch;
  const version = options.protocolVersion ?? '14.1';
  const authorization = `Basic ${base64(`${options.user}:${options.password}`)}`;
  const steps: EasStep[] = [];
  const step = (name: string, status: number, summary: string) => {
    const s = { name, status, summary };
    steps.push(s);
    options.onStep?.(s);
  };
  let policyKey = '0';

  async function command(cmd: string, xml: string, label = cmd): Promise<{ status: number; root: WbxmlElement | undefined }> {
    const query = new URLSearchParams({ Cmd: cmd, User: options.user, DeviceId: options.deviceId, DeviceType: 'WebDemo' });
    const response = await doFetch(`${options.base}${EAS_PATH}?${query}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'MS-ASProtocolVersion': version, 'X-MS-PolicyKey': policyKey, 'Content-Type': WBXML },
      body: encodeXml(xml) as Uint8Array<ArrayBuffer>,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const root = bytes.length > 0 && (response.headers.get('content-type') ?? '').startsWith(WBXML) ? decode(bytes).root : undefined;
    if (response.status === 401) throw new EasRunError(label, 401, 'the user name or password was refused', steps);
    return { status: response.status, root };
  }
  const text = (root: WbxmlElement | undefined, path: string) => {
    const el = root && findPath(root, path);
    return el ? textOf(el) : '';
  };

  const options1 = await doFetch(`${options.base}${EAS_PATH}`, { method: 'OPTIONS', headers: { Authorization: authorization } });
  if (options1.status === 401) throw new EasRunError('OPTIONS', 401, 'the user name or password was refused', steps);
  step('OPTIONS', options1.status, `versions ${options1.headers.get('MS-ASProtocolVersions') ?? '?'}`);

  const folderSyncXml = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
  const refused = await command('FolderSync', folderSyncXml, 'FolderSync (before Provision)');
  step('FolderSync', refused.status, refused.status === 449 ? `449 Retry With: provision first (Status ${text(refused.root, 'Status') || 'none'})` : 'expected 449');

  const phase1 = await command('Provision', `<Provision xmlns="Provision:"><Policies><Policy><PolicyType>${POLICY_TYPE}</PolicyType></Policy></Policies></Provision>`);
  const temporaryKey = text(phase1.root, 'Policies/Policy/PolicyKey');
  const doc = phase1.root && findPath(phase1.root, 'Policies/Policy/Data/EASProvisionDoc');
  step('Provision (phase 1)', phase1.status, `policy with ${doc ? doc.children.length : 0} settings, temporary key ${temporaryKey}`);
  policyKey = temporaryKey;

  const phase2 = await command(
    'Provision',
    `<Provision xmlns="Provision:"><Policies><Policy><PolicyType>${POLICY_TYPE}</PolicyType><PolicyKey>${temporaryKey}</PolicyKey><Status>1</Status></Policy></Policies></Provision>`,
  );
  policyKey = text(phase2.root, 'Policies/Policy/PolicyKey');
  step('Provision (phase 2)', phase2.status, `acknowledged, final key ${policyKey}`);

  const hierarchy = await command('FolderSync', folderSyncXml);
  const changes = hierarchy.root && findChild(hierarchy.root, 'Changes');
  const folders = changes ? findChildren(changes, 'Add').map((add) => text(add, 'DisplayName')) : [];
  step('FolderSync', hierarchy.status, `${folders.length} folders: ${folders.join(', ')}`);

  const inbox = '1';
  const syncXml = (key: string) =>
    `<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>${key}</SyncKey><CollectionId>${inbox}</CollectionId>${key === '0' ? '' : '<GetChanges>1</GetChanges><WindowSize>25</WindowSize>'}</Collection></Collections></Sync>`;
  const prime = await command('Sync', syncXml('0'), 'Sync (prime)');
  const key = text(prime.root, 'Collections/Collection/SyncKey');
  step('Sync', prime.status, `Inbox primed, SyncKey ${key}`);

  const items = await command('Sync', syncXml(key), 'Sync (items)');
  const commands = items.root && findPath(items.root, 'Collections/Collection/Commands');
  const messages = commands ? findChildren(commands, 'Add').map((add) => text(add, 'ApplicationData/Email:Subject')) : [];
  step('Sync', items.status, `${messages.length} messages, SyncKey ${text(items.root, 'Collections/Collection/SyncKey')}`);

  return { steps, folders, messages, policyKey };
}

export class EasRunError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    detail: string,
    readonly steps: EasStep[],
  ) {
    super(`${step}: ${status}, ${detail}`);
  }
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
