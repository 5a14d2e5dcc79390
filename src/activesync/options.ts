// The OPTIONS request (MS-ASHTTP 2.2.3, 2.2.4): which protocol versions and commands a server
// offers, and the highest version both sides speak.
import type { Connection } from './connection';
import { failHttp } from './http-failure';
import { buildOptionsRequest } from './request';
import { headerValue, type HeaderList } from './trace';
import { CLIENT_VERSIONS, highestCommonVersion, type ProtocolVersion } from './versions';

export interface ServerOptions {
  httpStatus: number;
  /** MS-ASProtocolVersions, in the server's order. */
  versions: string[];
  /** MS-ASProtocolCommands. */
  commands: string[];
  /** MS-Server-ActiveSync: the server's own build or version, when sent. */
  serverVersion?: string;
  /** The highest version in both the server's list and this client's. */
  highestCommonVersion?: ProtocolVersion;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reads the OPTIONS headers. Servers send them even with a 401, so any status is read. */
export function parseOptions(httpStatus: number, headers: HeaderList, clientVersions = CLIENT_VERSIONS): ServerOptions {
  const result: ServerOptions = {
    httpStatus,
    versions: list(headerValue(headers, 'MS-ASProtocolVersions')),
    commands: list(headerValue(headers, 'MS-ASProtocolCommands')),
  };
  const serverVersion = headerValue(headers, 'MS-Server-ActiveSync');
  if (serverVersion) result.serverVersion = serverVersion.trim();
  const common = highestCommonVersion(result.versions, clientVersions);
  if (common) result.highestCommonVersion = common;
  return result;
}

/**
 * Sends OPTIONS, with credentials when the connection has them. Servers answer 401 with the
 * headers too, so a 401 is returned, not thrown.
 */
export async function requestOptions(connection: Connection): Promise<ServerOptions> {
  return connection.guard(async () => {
    const ex = await connection.roundTrip('OPTIONS', (url) => buildOptionsRequest(url, connection.userAgent, connection.authorization));
    if (ex.status !== 200 && ex.status !== 401) failHttp(ex, connection.user, connection.trace);
    const result = parseOptions(ex.status, ex.headers);
    if (result.versions.length === 0) ex.step.notes.push('No MS-ASProtocolVersions header: is this an ActiveSync server?');
    else ex.step.notes.push(`Highest common version: ${result.highestCommonVersion ?? 'none'}`);
    return result;
  });
}
