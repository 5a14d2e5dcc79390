// The `owa-inspector` command line.
import { activeSyncCommands } from './activesync';

const [, , command, ...args] = process.argv;
const activeSync = command === undefined ? undefined : activeSyncCommands[command];
if (activeSync) {
  // exitCode rather than exit(): stdout may still be draining into a pipe.
  process.exitCode = await activeSync(args);
} else {
  process.stderr.write(`owa-inspector: unknown command ${command ?? '(none)'}\n`);
  process.exitCode = 2;
}
