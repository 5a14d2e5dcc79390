// What the ActiveSync commands (provision, options, send) share: their options, reading the
// password without ever echoing or storing it, the default device id, and building the client.
import { createHash } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ActiveSyncClient } from '../activesync/client';
import type { ClientConfig } from '../activesync/connection';
import { ActiveSyncError } from '../activesync/errors';
import { activeSyncUrl } from '../activesync/request';
import { isProtocolVersion, PROTOCOL_VERSIONS } from '../activesync/versions';
import { UsageError } from './command';
import { defaultStateFile, FileKeyStore, stateFileProblem } from './file-key-store';
import { readSecret, refusePasswordOption } from './secret';
import { PRODUCT_USER_AGENT } from '../shared/version';

export const PASSWORD_ENV = 'OWA_INSPECTOR_PASSWORD';

export const CONNECTION_OPTIONS = {
  user: { type: 'string', short: 'u' },
  'password-stdin': { type: 'boolean' },
  as: { type: 'string' },
  'device-id': { type: 'string' },
  'device-type': { type: 'string' },
  'user-agent': { type: 'string' },
  model: { type: 'string' },
  'friendly-name': { type: 'string' },
  os: { type: 'string' },
  state: { type: 'string' },
  'base64-query': { type: 'boolean' },
  insecure: { type: 'boolean' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export const CONNECTION_HELP = `Connection options:
  -u, --user USER          DOMAIN\\user, user@domain or user
      --password-stdin     read the password from standard input (or set ${PASSWORD_ENV});
                           it is never printed, logged or stored
      --as VERSION         protocol version (2.5, 12.0, 12.1, 14.0, 14.1, 16.0, 16.1)
      --device-id ID       default: derived from the URL and user, the same on every run
      --device-type TYPE   default: OWAInspector
      --user-agent UA      default: ${PRODUCT_USER_AGENT}
      --model, --friendly-name, --os   Settings:DeviceInformation sent in Provision from 14.1 on
      --state FILE         policy-key file (default: ${defaultStateFile()})
      --base64-query       send the query in MS-ASHTTP's base64 form (12.1 and later)
      --insecure           allow the password over plain HTTP to a host that is not loopback
      --timeout SECONDS    per request (default 30)
      --json               print the result and the trace as JSON`;

export type ConnectionValues = {
  [K in keyof typeof CONNECTION_OPTIONS]?: (typeof CONNECTION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Unknown options throw parseArgs' ERR_PARSE_ARGS errors, which the dispatcher reports as usage
 * errors. `urlIndex` is where the URL (the first positional) stands in `args`, so that a failure
 * can print the same command line with another URL.
 */
export function parse(args: string[], extra: ParseArgsConfig['options'] = {}) {
  // Before parseArgs, whose "Unknown option '--password'. To specify a positional argument…"
  // says nothing of why, or of what to use instead. The value itself is never repeated.
  refusePasswordOption(args, PASSWORD_ENV);
  const { values, positionals, tokens } = parseArgs({ args, options: { ...CONNECTION_OPTIONS, ...extra }, allowPositionals: true, strict: true, tokens: true });
  const urlIndex = tokens.find((token) => token.kind === 'positional')?.index;
  // Only versions that exist: "15.0" or "14" would go out as MS-ASProtocolVersion unchecked.
  if (typeof values.as === 'string' && !isProtocolVersion(values.as)) {
    throw new UsageError(`--as ${JSON.stringify(values.as)} is no ActiveSync protocol version; use one of ${PROTOCOL_VERSIONS.join(', ')}`);
  }
  return { values: values as ConnectionValues & Record<string, string | boolean | undefined>, positionals, urlIndex };
}

/** The same id for the same server and user on every run, so `send` finds the key `provision` stored. */
export function defaultDeviceId(url: string, user: string): string {
  return `OWAI${createHash('sha256').update(`${url}\n${user.toLowerCase()}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** The password from the environment or standard input; a terminal gets a prompt without echo. */
export async function readPassword(values: ConnectionValues): Promise<string> {
  const password = await readSecret({ stdin: values['password-stdin'] ?? false, env: PASSWORD_ENV, prompt: 'Password: ' });
  if (password === undefined) throw new UsageError(`give the password with --password-stdin (e.g. a pipe) or the ${PASSWORD_ENV} environment variable`);
  return password;
}

export interface Connection {
  client: ActiveSyncClient;
  keyStore: FileKeyStore;
}

/**
 * Builds the client from the options; `protocolVersion` is decided by the caller. Without a
 * password the client is anonymous and can only send OPTIONS.
 */
export function connect(urlArgument: string | undefined, values: ConnectionValues, password: string | undefined, protocolVersion: string): Connection {
  if (!urlArgument) throw new UsageError('the server URL is missing');
  if (password !== undefined && !values.user) throw new UsageError('--user is required');
  const url = activeSyncUrl(urlArgument);
  const timeoutSeconds = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError('--timeout takes a number of seconds greater than 0');
  const keyStore = new FileKeyStore(values.state ?? defaultStateFile());
  const config: ClientConfig = {
    url,
    deviceId: values['device-id'] ?? defaultDeviceId(url, values.user ?? ''),
    protocolVersion,
    fetch: globalThis.fetch,
    keyStore,
    timeoutMs: timeoutSeconds * 1000,
    queryEncoding: values['base64-query'] ? 'base64' : 'plain',
    allowInsecure: values.insecure ?? false,
  };
  if (password !== undefined) {
    config.user = values.user;
    config.password = password;
  }
  if (values['device-type']) config.deviceType = values['device-type'];
  if (values['user-agent']) config.userAgent = values['user-agent'];
  if (values.model || values['friendly-name'] || values.os) {
    config.deviceInformation = {
      ...(values.model ? { model: values.model } : {}),
      ...(values['friendly-name'] ? { friendlyName: values['friendly-name'] } : {}),
      ...(values.os ? { os: values.os } : {}),
    };
  }
  return { client: new ActiveSyncClient(config), keyStore };
}

/**
 * For the commands that read or store policy keys (provision, send): refuses a --state (or default
 * state file) that cannot be one, as a usage error (exit 2) naming it, before anything is sent.
 */
export function checkStateFile(values: ConnectionValues): void {
  const problem =
    values.state === undefined
      ? stateFileProblem(defaultStateFile(), `the policy-key file ${defaultStateFile()} (choose another with --state FILE)`)
      : stateFileProblem(values.state, `--state ${values.state}`);
  if (problem !== undefined) throw new UsageError(problem);
}

/** Asks OPTIONS for the highest version both sides speak, for commands run without --as. */
export async function negotiateVersion(connection: Connection): Promise<string> {
  const options = await connection.client.options();
  if (options.httpStatus === 401) {
    throw new ActiveSyncError('unauthorized', `OPTIONS: HTTP 401: the server refused the credentials of ${connection.client.user}`, {
      step: 'OPTIONS',
      httpStatus: 401,
      trace: connection.client.trace,
    });
  }
  if (!options.highestCommonVersion) {
    throw new ActiveSyncError(
      'malformed-response',
      `OPTIONS: the server offers no version this client speaks (${options.versions.join(', ') || 'no MS-ASProtocolVersions header'}); pass --as`,
      { step: 'OPTIONS', trace: connection.client.trace },
    );
  }
  return options.highestCommonVersion;
}

/**
 * The warning for a version (--as, or the one a stored key was made with: `why` says so) that
 * the server's OPTIONS answer does not list.
 */
export function notOfferedWarning(command: string, version: string, offered: readonly string[], why = ''): string {
  return (
    `owa-inspector ${command}: warning: the server does not offer protocol ${version}${why} (its OPTIONS answer lists ${offered.join(', ')}; ` +
    `\`owa-inspector options URL\` shows what it offers); sending with ${version} anyway\n`
  );
}

/**
 * For commands run with --as (and `send` with a stored key's version): asks OPTIONS whether the server offers that version, and warns
 * before anything is sent with it when it does not (a server may answer a version it does not
 * list with errors that do not say why). Only advice: a failed OPTIONS is left to the command
 * itself, which meets the same failure and reports it; its steps stay in the trace.
 */
export async function warnIfNotOffered(connection: Connection, version: string, command: string, why = ''): Promise<void> {
  let offered: string[];
  try {
    offered = (await connection.client.options()).versions;
  } catch (error) {
    if (error instanceof ActiveSyncError) return;
    throw error;
  }
  // An empty list (a bare 401) says nothing either way.
  if (offered.length > 0 && !offered.includes(version)) process.stderr.write(notOfferedWarning(command, version, offered, why));
}
