// owa-inspector send: any command with the stored policy key, e.g. FolderSync, Settings or Ping,
// to prove the final key works. On HTTP 449 or Status 142/143/144 it provisions once and retries.
import { readFileSync } from 'node:fs';
import { encodeXml, encodeXmlBytes, WbxmlError } from '../wbxml';
import { ActiveSyncError } from '../activesync/errors';
import { readError, UsageError, type Command } from './command';
import { checkStateFile, connect, CONNECTION_HELP, negotiateVersion, parse, readPassword, warnIfNotOffered } from './eas-args';
import { print, printJson, runActiveSync, type ActiveSyncRun } from './eas-run';
import { formatTrace } from './eas-print';
import { EXIT, EXIT_CODE_HELP } from './exit-codes';

const USAGE = `usage: owa-inspector send URL COMMAND [FILE.xml] --user USER --password-stdin [options]

Sends COMMAND (FolderSync, Settings, Ping, Sync, …) with the policy key stored by provision. The
body is FILE.xml (XML as in a trace, xmlns="FolderHierarchy:" style), turned into WBXML; without a
file, FolderSync sends <SyncKey>0</SyncKey> and other commands send no body. If the server demands
provisioning (HTTP 449, Status 142/143/144) it provisions once and retries once. The protocol
version is --as, else the one the key was stored with, else what OPTIONS offers; the first two
are checked against what OPTIONS offers: a version it does not list is a warning before sending.

Options:
      --no-reprovision     report a provisioning demand instead of provisioning
      --param NAME=VALUE   a command parameter (CollectionId, ItemId, …); may repeat

${CONNECTION_HELP}

${EXIT_CODE_HELP}`;

const DEFAULT_BODIES: Readonly<Record<string, string>> = {
  FolderSync: '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>',
};

const send: ActiveSyncRun = async (args, context) => {
  const { values, positionals, urlIndex } = parse(args, {
    'no-reprovision': { type: 'boolean' },
    param: { type: 'string', multiple: true },
  });
  context.urlIndex = urlIndex;
  const [url, command, file] = positionals;
  if (!command) throw new UsageError('the command to send is missing (e.g. FolderSync)');
  if (positionals.length > 3) throw new UsageError(`unexpected argument ${positionals[3]}`);
  checkStateFile(values);

  let body: Uint8Array | undefined;
  // Bytes, read in the encoding the XML declares (as encode does): 'utf8' would turn what is not
  // UTF-8 into U+FFFD and send that.
  let xml: string | Uint8Array | undefined = DEFAULT_BODIES[command];
  if (file !== undefined) {
    try {
      xml = new Uint8Array(readFileSync(file));
    } catch (error) {
      const named = readError(file, error) as Error;
      throw new UsageError(named === error ? `cannot read ${file}: ${named.message}` : named.message);
    }
  }
  if (xml !== undefined) {
    try {
      body = typeof xml === 'string' ? encodeXml(xml) : encodeXmlBytes(xml);
    } catch (error) {
      if (!(error instanceof WbxmlError)) throw error;
      // The message names the line and column already (once: they were printed twice).
      throw new ActiveSyncError('invalid-input', `${file ?? 'the default body'}: cannot encode as WBXML: ${error.message}`, {
        offset: error.offset,
      });
    }
  }
  const parameters: Record<string, string> = {};
  for (const pair of (values.param as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param takes NAME=VALUE, got "${pair}"`);
    parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  const password = await readPassword(values);
  let version = values.as;
  if (version) {
    const probe = connect(url, values, password, version);
    await warnIfNotOffered(probe, version, 'send');
    context.earlierSteps.push(...probe.client.trace);
  } else {
    const probe = connect(url, values, password, '14.1');
    version = (await probe.keyStore.get(probe.client.account))?.protocolVersion;
    // The stored key's version is checked as --as is: the server may have dropped it since.
    if (version) await warnIfNotOffered(probe, version, 'send', ', the version its policy key was stored with');
    else version = await negotiateVersion(probe);
    context.earlierSteps.push(...probe.client.trace);
  }
  const { client } = connect(url, values, password, version);
  context.deviceId = client.deviceId;
  const result = await client.send(command, body, {
    reprovision: !values['no-reprovision'],
    ...(Object.keys(parameters).length ? { parameters } : {}),
  });
  const trace = [...context.earlierSteps, ...client.trace];
  const failed = result.status !== undefined && result.status !== 1 && !(command === 'Ping' && result.status === 2);

  if (values.json) {
    const { root: _root, ...rest } = result;
    printJson({ command: 'send', url: client.url, user: client.user, deviceId: client.deviceId, protocolVersion: version, result: rest, trace });
  } else {
    print(formatTrace(trace));
    print(
      `\n${command}: HTTP ${result.httpStatus}` +
        (result.status !== undefined ? `, Status ${result.statusMeaning}` : '') +
        `\nPolicy key ${result.policyKey}${result.reprovisioned ? ' (provisioned again on the way)' : ''}`,
    );
  }
  return failed ? EXIT.commandStatus : EXIT.ok;
};

export const sendCommand: Command = {
  name: 'send',
  summary: 'send any ActiveSync command (FolderSync, Settings, Ping, ...) with the stored policy key',
  usage: USAGE,
  run: (args) => runActiveSync('send', send, args),
};
