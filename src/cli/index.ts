// The `owa-inspector` command line.
const [, , command] = process.argv;
process.stderr.write(`owa-inspector: unknown command ${command ?? '(none)'}\n`);
process.exit(2);
