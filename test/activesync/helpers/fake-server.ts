// An in-memory ActiveSync server for unit tests, behaving like the real one the integration tests
// run (Horde): 449 (and Status 142 above 12.1) before provisioning, a temporary then a final key,
// Policy Status 5 for a wrong key. It speaks real WBXML through the project's codec, and tests
// can make it answer anything by hand.
import type { FetchInit, FetchLike } from '../../../src/activesync/http';
import { decodeQuery } from '../../../src/activesync/query-string';
import { basicAuthorization } from '../../../src/activesync/request';
import { childText } from '../../../src/activesync/tree';
import { compareVersions } from '../../../src/activesync/versions';
import { decode, element as el, encode, findPath, type WbxmlElement } from '../../../src/wbxml';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  command?: string;
  policyKey?: string;
  body?: WbxmlElement;
}

export interface FakeServerOptions {
  user?: string;
  password?: string;
  /** The EASProvisionDoc handed out at 12.0 and later. */
  policyDoc?: WbxmlElement;
  /** The provisioning XML handed out at 2.5. */
  wapXml?: string;
  remoteWipe?: 'device' | 'account';
  /** Answer a request by hand; return undefined to let the server handle it. */
  intercept?: (request: RecordedRequest) => Response | undefined;
}

export const defaultPolicyDoc = el('Provision:EASProvisionDoc', el('Provision:DevicePasswordEnabled', '1'), el('Provision:MinDevicePasswordLength', '6'), el('Provision:AllowCamera', '0'));

export function wbxmlResponse(root: WbxmlElement, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(encode(root) as BodyInit, {
    status,
    headers: { 'Content-Type': 'application/vnd.ms-sync.wbxml', ...headers },
  });
}

function provisionResponse(policy: WbxmlElement[], wipe: WbxmlElement[]): Response {
  return wbxmlResponse(el('Provision:Provision', el('Provision:Status', '1'), el('Provision:Policies', el('Provision:Policy', ...policy)), ...wipe));
}

export function fakeServer(options: FakeServerOptions = {}) {
  const user = options.user ?? 'alice';
  const password = options.password ?? 's3cret';
  const requests: RecordedRequest[] = [];
  let counter = 1000;
  const state = { temporaryKey: undefined as string | undefined, finalKey: undefined as string | undefined };

  function handle(url: string, init: FetchInit): Response {
    const headers: Record<string, string> = {};
    for (const [name, value] of init.headers) headers[name.toLowerCase()] = value;
    const record: RecordedRequest = { method: init.method, url, headers };
    const search = new URL(url).search.slice(1);
    let version = headers['ms-asprotocolversion'] ?? '';
    if (search) {
      const query = decodeQuery(search);
      record.command = query.command;
      record.policyKey = query.encoding === 'base64' ? query.policyKey : headers['x-ms-policykey'];
      if (query.protocolVersion) version = query.protocolVersion;
    }
    if (init.body) record.body = decode(init.body).root;
    requests.push(record);

    const manual = options.intercept?.(record);
    if (manual) return manual;
    if (headers.authorization !== basicAuthorization(user, password)) {
      return new Response(null, { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': 'Basic realm="test"' } });
    }
    if (init.method === 'OPTIONS') {
      return new Response(null, {
        status: 200,
        headers: {
          'MS-Server-ActiveSync': '14.1',
          'MS-ASProtocolVersions': '2.5,12.0,12.1,14.0,14.1',
          'MS-ASProtocolCommands': 'Sync,FolderSync,Provision,Settings,Ping',
        },
      });
    }
    if (record.command === 'Provision') {
      const asked = findPath(record.body as WbxmlElement, 'Policies/Policy');
      const policyType = childText(asked, 'PolicyType') ?? '';
      const ackKey = childText(asked, 'PolicyKey');
      const wipe = options.remoteWipe === 'device' ? [el('Provision:RemoteWipe')] : options.remoteWipe === 'account' ? [el('Provision:AccountOnlyRemoteWipe')] : [];
      if (ackKey === undefined) {
        state.temporaryKey = String(++counter);
        const data =
          policyType === 'MS-WAP-Provisioning-XML' ? el('Provision:Data', options.wapXml ?? '<wap-provisioningdoc/>') : el('Provision:Data', options.policyDoc ?? defaultPolicyDoc);
        const policy = [el('Provision:PolicyType', policyType), el('Provision:Status', '1'), el('Provision:PolicyKey', state.temporaryKey), data];
        return provisionResponse(policy, wipe);
      }
      const accepted = ackKey === state.temporaryKey;
      if (accepted) state.finalKey = String(++counter);
      const policy = [el('Provision:PolicyType', policyType), el('Provision:Status', accepted ? '1' : '5'), el('Provision:PolicyKey', accepted ? (state.finalKey as string) : ackKey)];
      return provisionResponse(policy, wipe);
    }
    if (state.finalKey === undefined || record.policyKey !== state.finalKey) {
      // Like Horde: 449 at every version, and above 12.1 also a body whose Status is on the AirSync
      // page. Unlike Horde (142 for both) it tells a stale key (144) from none (142), as MS-ASCMD does.
      const body = compareVersions(version, '12.1') > 0 ? encode(el(`FolderHierarchy:FolderSync`, el('AirSync:Status', record.policyKey && record.policyKey !== '0' ? '144' : '142'))) : null;
      return new Response(body as BodyInit | null, { status: 449, statusText: 'Retry after sending a PROVISION command', headers: { 'Content-Type': 'application/vnd.ms-sync.wbxml' } });
    }
    return wbxmlResponse(el('FolderHierarchy:FolderSync', el('FolderHierarchy:Status', '1'), el('FolderHierarchy:SyncKey', '1')));
  }

  const fetch: FetchLike = async (url, init) => handle(url, init);
  return {
    fetch,
    requests,
    state,
    /** Forgets the final key, as a server does when it wants the device to provision again. */
    invalidateKey(): void {
      state.finalKey = String(++counter);
    },
  };
}
