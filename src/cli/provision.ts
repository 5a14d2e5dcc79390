// owa-inspector provision: the whole Provision dance against a server, printed step by step,
// then the policy in plain words and the final key, which is stored for `send`.
import type { Command } from './command';
import { checkStateFile, connect, CONNECTION_HELP, negotiateVersion, parse, readPassword, warnIfNotOffered } from './eas-args';
import { print, printJson, runActiveSync, type ActiveSyncRun } from './eas-run';
import { formatPolicy, formatTrace, wipeBanner } from './eas-print';
import { EXIT, EXIT_CODE_HELP } from './exit-codes';

const USAGE = `usage: owa-inspector provision URL --user USER --password-stdin [options]

Asks the server for its policy with policy key 0 (phase 1), acknowledges the temporary key it
returns, and stores the final key for later commands. Without --as, OPTIONS picks the highest
version both sides speak; with --as, OPTIONS is asked too, and a version it does not list is a
warning before anything is sent with it. A RemoteWipe in the answer stops everything: it is shown, never
acknowledged.

${CONNECTION_HELP}

${EXIT_CODE_HELP}`;

const provision: ActiveSyncRun = async (args, context) => {
  const { values, positionals, urlIndex } = parse(args);
  context.urlIndex = urlIndex;
  checkStateFile(values);
  const password = await readPassword(values);
  let version = values.as;
  if (!version) {
    const probe = connect(positionals[0], values, password, '14.1');
    version = await negotiateVersion(probe);
    context.earlierSteps.push(...probe.client.trace);
  } else {
    const probe = connect(positionals[0], values, password, version);
    await warnIfNotOffered(probe, version, 'provision');
    context.earlierSteps.push(...probe.client.trace);
  }
  const { client, keyStore } = connect(positionals[0], values, password, version);
  context.deviceId = client.deviceId;
  const trace = () => [...context.earlierSteps, ...client.trace];
  /** What every JSON answer starts with. */
  const jsonHead = () => ({ command: 'provision', url: client.url, user: client.user, deviceId: client.deviceId, protocolVersion: version });

  const phase1 = await client.requestPolicy();
  if (phase1.remoteWipe) {
    if (values.json) {
      printJson({
        ...jsonHead(),
        remoteWipe: phase1.remoteWipe,
        policy: phase1.policy,
        trace: trace(),
      });
    } else {
      print(formatTrace(trace()));
      if (phase1.policy) print(`\n${formatPolicy(phase1.policy)}`);
      print(`\n${wipeBanner(client.deviceId, phase1.remoteWipe)}`);
    }
    const what = phase1.remoteWipe === 'device' ? 'a REMOTE WIPE' : 'an ACCOUNT-ONLY REMOTE WIPE';
    process.stderr.write(`owa-inspector provision: the server requests ${what}; stopped without acknowledging it\n`);
    return EXIT.remoteWipe;
  }
  const temporaryKey = phase1.temporaryKey as string;
  const ack = await client.acknowledge(temporaryKey);

  if (values.json) {
    printJson({
      ...jsonHead(),
      policy: phase1.policy,
      temporaryKey,
      finalKey: ack.finalKey,
      stateFile: keyStore.path,
      trace: trace(),
    });
    return EXIT.ok;
  }
  print(formatTrace(trace()));
  print(`\nServer    ${client.url}\nUser      ${client.user}\nDevice    ${client.deviceId} (${client.deviceType}), protocol ${version}`);
  if (phase1.policy) print(`\n${formatPolicy(phase1.policy)}`);
  print(`\nTemporary key  ${temporaryKey}\nFinal key      ${ack.finalKey}  (stored in ${keyStore.path})`);
  return EXIT.ok;
};

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'fetch and acknowledge an ActiveSync policy; print the trace, the policy and the final key',
  usage: USAGE,
  run: (args) => runActiveSync('provision', provision, args),
};
