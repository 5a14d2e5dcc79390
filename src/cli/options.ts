// owa-inspector options: what a server offers (MS-ASProtocolVersions, MS-ASProtocolCommands,
// MS-Server-ActiveSync) and the highest version both sides speak. Credentials are optional.
import type { Command } from './command';
import { connect, notOfferedWarning, parse, readPassword } from './eas-args';
import { print, printJson, runActiveSync, type ActiveSyncRun } from './eas-run';
import { formatTrace } from './eas-print';
import { EXIT } from './exit-codes';

const USAGE = `usage: owa-inspector options URL [--user USER --password-stdin] [--as VERSION] [--insecure] [--timeout S] [--json]

Sends OPTIONS and prints the protocol versions and commands the server offers, its
MS-Server-ActiveSync version, and the highest version both it and this client speak.
Without --user the request carries no credentials (most servers still list what they offer;
Exchange answers a bare 401, exit 4: run again with --user). With --as, a version the server
does not list is a warning.`;

const options: ActiveSyncRun = async (args, context) => {
  const { values, positionals, urlIndex } = parse(args);
  context.urlIndex = urlIndex;
  const password = values.user ? await readPassword(values) : undefined;
  const { client } = connect(positionals[0], values, password, '14.1');
  const result = await client.options();
  const refused = result.httpStatus === 401 && password !== undefined;
  if (values.json) {
    printJson({ command: 'options', url: client.url, ...result, trace: client.trace });
  } else {
    print(formatTrace(client.trace));
    print(`
Server                  ${client.url}
HTTP status             ${result.httpStatus}${result.httpStatus === 401 ? (refused ? ' (credentials refused)' : ' (credentials required for commands)') : ''}
MS-Server-ActiveSync    ${result.serverVersion ?? '(not sent)'}
Protocol versions       ${result.versions.join(', ') || '(none advertised)'}
Highest common version  ${result.highestCommonVersion ?? '(none)'}
Commands (${result.commands.length})${result.commands.length ? `\n  ${result.commands.join(', ')}` : ''}`);
  }
  // --as names the version another command would send: say whether this server offers it.
  if (values.as && result.versions.length > 0 && !result.versions.includes(values.as)) process.stderr.write(notOfferedWarning('options', values.as, result.versions));
  if (refused) {
    process.stderr.write(`owa-inspector options: OPTIONS: HTTP 401: the server refused the credentials of ${client.user}\n`);
    return EXIT.auth;
  }
  if (result.httpStatus === 401 && result.versions.length === 0) {
    // Exchange behind IIS answers an anonymous OPTIONS with a bare 401: the server is likely
    // fine, it only lists its versions to a signed-in user.
    process.stderr.write(
      'owa-inspector options: OPTIONS: HTTP 401 without MS-ASProtocolVersions: this server lists what it offers only to a signed-in user; run again with --user USER --password-stdin\n',
    );
    return EXIT.auth;
  }
  if (result.versions.length === 0) {
    process.stderr.write('owa-inspector options: the server advertises no ActiveSync protocol versions: is this an ActiveSync endpoint?\n');
    return EXIT.badResponse;
  }
  return EXIT.ok;
};

export const optionsCommand: Command = {
  name: 'options',
  summary: 'ask an ActiveSync server (OPTIONS) which protocol versions and commands it offers',
  usage: USAGE,
  run: (args) => runActiveSync('options', options, args),
};
