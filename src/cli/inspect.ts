// owa-inspector inspect FILE…: the ActiveSync exchanges in captures from other tools (HAR, Fiddler
// SAZ, mitmproxy flows, Exchange mailbox logs, text logs with WBXML), one line each; one in full;
// as JSON; a summary; a diff of two. Reading is src/captures, the same as the panel's.
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { diffExchanges, exchangeFacts, matchesFilter, parseFilterWords, readCapture, summarizeCapture, type CaptureProblem, type CaptureReadResult } from '../captures/index.js';
import { printError, UsageError, writeOutput, type Command } from './command.js';
import { maskHeader, maskUrl } from './inspect-mask.js';
import { bodyForOutput, fileHeading, listHeading, listLine, showDiff, showExchange, showSummary, type Row } from './inspect-print.js';
import { readSecret, refusePasswordOption } from './secret.js';

/** Where `inspect` takes the password of a password-protected SAZ from (besides --password-stdin). */
export const SAZ_PASSWORD_ENV = 'OWA_INSPECTOR_SAZ_PASSWORD';
const HOW_TO_GIVE = `give its password with --password-stdin (a pipe; a terminal gets a prompt without echo) or the ${SAZ_PASSWORD_ENV} environment variable`;

const USAGE = `usage: owa-inspector inspect [options] FILE...

Lists the ActiveSync exchanges in captures, one line each: time, command, protocol version, HTTP
status, protocol Status with its name, request and response sizes. Each FILE is a HAR (Chrome,
Firefox, Fiddler, Charles, mitmproxy), a Fiddler .saz, a mitmproxy flow file (mitmdump -w), the
text of an Exchange mailbox log (Get-MobileDeviceStatistics -GetMailboxLog), or any text log with
WBXML written as hex or base64; the format is read from the content. Other HTTP traffic is counted.

Options:
  --show N             print exchange N with its headers and both bodies as XML; N is the number
                       in the list (counted across all FILEs), or FILE:N for the Nth of FILE
  --json               print a JSON array, one object per exchange (file, index, command,
                       httpStatus, status, requestXml, responseXml, ...)
  --filter WORD        keep exchanges that pass the panel's filters; may repeat: problems,
                       http:449, status:142, cmd:Sync, or text to find in the URL and the bodies
  --summary            devices, users, protocol versions, commands, failures by Status, policy
                       keys and their changes, re-provisioning loops (449/142 again and again)
  --diff A B           compare the decoded bodies of exchanges A and B (numbered as for --show)
  --show-credentials   print Authorization headers, cookies and <Password> values in clear
                       (by default Basic auth shows the user name only)
  --password-stdin     the password of password-protected SAZ files (WinZip AES or ZipCrypto),
                       from standard input (a terminal gets a prompt without echo), or set
                       ${SAZ_PASSWORD_ENV}; it is never printed, logged or stored, and
                       --password on the command line is refused

Exit status:
  0  every file was read whole
  1  a file could not be opened, is not a capture, or is damaged (what was read is still shown;
     each problem is printed to standard error with the file and where); a password-protected
     SAZ without its password, or with a wrong one, is such a file
  2  bad arguments (an unknown option, --show or --diff naming no exchange)`;

interface Options {
  files: string[];
  show: string | undefined;
  json: boolean;
  filter: string[];
  summary: boolean;
  diff: [string, string] | undefined;
  clear: boolean;
  passwordStdin: boolean;
}

/** `--diff A B` takes two values; parseArgs takes one, so the pair is taken out first. */
function parse(args: string[]): Options {
  refusePasswordOption(args, SAZ_PASSWORD_ENV);
  const rest = [...args];
  let diff: [string, string] | undefined;
  const at = rest.indexOf('--diff');
  if (at >= 0) {
    const [a, b] = rest.slice(at + 1, at + 3);
    if (a === undefined || b === undefined || a.startsWith('--') || b.startsWith('--')) throw new UsageError('--diff takes two exchanges: --diff A B');
    diff = [a, b];
    rest.splice(at, 3);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      show: { type: 'string' },
      json: { type: 'boolean' },
      filter: { type: 'string', multiple: true },
      summary: { type: 'boolean' },
      'show-credentials': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new UsageError('inspect takes at least one FILE');
  if (values['password-stdin'] && positionals.includes('-')) {
    throw new UsageError(`--password-stdin and FILE - both read standard input: give the file by name, or the password in ${SAZ_PASSWORD_ENV}`);
  }
  const modes = [values.show !== undefined, values.summary === true, diff !== undefined].filter(Boolean).length;
  if (modes > 1) throw new UsageError('--show, --summary and --diff exclude each other');
  return {
    files: positionals,
    show: values.show,
    json: values.json ?? false,
    filter: values.filter ?? [],
    summary: values.summary ?? false,
    diff,
    clear: values['show-credentials'] ?? false,
    passwordStdin: values['password-stdin'] ?? false,
  };
}

async function read(file: string, password: string | undefined): Promise<CaptureReadResult> {
  let blob: Blob;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    blob = new Blob([Buffer.concat(chunks)]);
  } else {
    try {
      // openAsBlob says only "Unable to open file as blob": stat first for the reason.
      if ((await stat(file)).isDirectory()) throw Object.assign(new Error('a directory, not a file'), { code: 'EISDIR' });
      blob = await openAsBlob(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
      return { file, format: undefined, exchanges: [], otherRequests: 0, problems: [{ file, where: 'the whole file', message }] };
    }
  }
  // A progress line for big files, only where a person watches.
  const progress =
    process.stderr.isTTY && blob.size > 64 * 1024 * 1024
      ? (done: number, total: number): void => void process.stderr.write(`\rreading ${file}: ${Math.floor((done / total) * 100)}%${done >= total ? '\r\x1b[K' : ''}`)
      : undefined;
  return readCapture(file, blob, { ...(progress ? { onProgress: progress } : {}), ...(password !== undefined ? { password } : {}) });
}

/** A problem as printed: a password problem says how to give the password, or where the wrong one came from. */
function problemText(problem: CaptureProblem, fromStdin: boolean): string {
  if (problem.code === 'password-missing') return `the SAZ is password-protected: ${HOW_TO_GIVE}`;
  if (problem.code === 'password-wrong') {
    return `the password ${fromStdin ? 'from --password-stdin' : `in ${SAZ_PASSWORD_ENV}`} is wrong: no entry of the SAZ could be decrypted with it`;
  }
  return problem.message;
}

/** Finds "N" (across files) or "FILE:N". */
function pick(rows: readonly Row[], name: string, option: string): Row {
  const local = /^(.*):(\d+)$/.exec(name);
  const row = local ? rows.find((r) => r.exchange.file === local[1] && r.exchange.index === Number(local[2])) : /^\d+$/.test(name) ? rows[Number(name) - 1] : undefined;
  if (!row) throw new UsageError(`${option} ${name}: no such exchange (${rows.length} listed; use a number from the list, or FILE:N)`);
  return row;
}

function jsonOf(row: Row, clear: boolean): Record<string, unknown> {
  const { exchange: e, facts: f } = row;
  const request = bodyForOutput(e, 'request', clear);
  const response = bodyForOutput(e, 'response', clear);
  const headers = (list: typeof e.requestHeaders) => (clear ? list : list.map(maskHeader));
  return {
    file: e.file,
    index: e.index,
    number: row.number,
    format: e.format,
    startedAt: e.startedAt === undefined ? null : new Date(e.startedAt).toISOString(),
    durationMs: e.durationMs ?? null,
    method: e.method,
    url: clear ? e.url : maskUrl(e.url),
    command: f.command,
    protocolVersion: f.protocolVersion ?? null,
    policyKey: f.policyKey ?? null,
    deviceId: f.deviceId ?? null,
    deviceType: f.deviceType ?? null,
    user: f.user ?? null,
    httpStatus: e.httpStatus ?? null,
    httpStatusText: e.httpStatusText,
    status: f.status?.code ?? null,
    statusName: f.statusName ?? null,
    requestSize: f.requestSize ?? null,
    responseSize: f.responseSize ?? null,
    requestHeaders: headers(e.requestHeaders),
    responseHeaders: headers(e.responseHeaders),
    requestXml: request.xml,
    responseXml: response.xml,
    requestNote: request.note,
    responseNote: response.note,
  };
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'list the ActiveSync exchanges in captures (HAR, SAZ, mitmproxy, mailbox logs, hex logs)',
  usage: USAGE,

  async run(args) {
    const options = parse(args);
    // Only a secret: passed to the readers, never printed (a wrong one is said so, not shown).
    const password = await readSecret({ stdin: options.passwordStdin, env: SAZ_PASSWORD_ENV, prompt: 'SAZ password: ' });
    const results: CaptureReadResult[] = [];
    for (const file of options.files) results.push(await read(file, password));
    let failed = false;
    for (const result of results) {
      for (const p of result.problems) {
        printError('inspect', `${p.file}: ${p.where}: ${problemText(p, options.passwordStdin)}`);
        failed = true;
      }
    }
    const rows: Row[] = [];
    for (const result of results) for (const exchange of result.exchanges) rows.push({ number: rows.length + 1, exchange, facts: exchangeFacts(exchange) });
    const filter = parseFilterWords(options.filter);
    const shown = options.filter.length > 0 ? rows.filter((r) => matchesFilter(r.exchange, r.facts, filter)) : rows;
    const json = (value: unknown): Promise<void> => writeOutput(`${JSON.stringify(value, null, 2)}\n`);

    if (options.show !== undefined) {
      const row = pick(rows, options.show, '--show');
      await (options.json ? json([jsonOf(row, options.clear)]) : writeOutput(`${showExchange(row, options.clear)}\n`));
    } else if (options.diff) {
      const [a, b] = [pick(rows, options.diff[0], '--diff'), pick(rows, options.diff[1], '--diff')];
      const diff = diffExchanges(a.exchange, b.exchange);
      await (options.json
        ? json({ a: { file: a.exchange.file, index: a.exchange.index }, b: { file: b.exchange.file, index: b.exchange.index }, ...diff })
        : writeOutput(`${showDiff(a, b, diff, options.clear)}\n`));
    } else if (options.summary) {
      const summary = summarizeCapture(shown.map((r) => r.exchange));
      await (options.json ? json(summary) : writeOutput(`${showSummary(summary)}\n`));
    } else if (options.json) {
      await json(shown.map((r) => jsonOf(r, options.clear)));
    } else {
      const width = Math.max(1, String(rows.length).length);
      const lines: string[] = [];
      for (const result of results) {
        const mine = shown.filter((r) => r.exchange.file === result.file);
        lines.push(fileHeading(result, mine.length));
        if (mine.length > 0) lines.push(listHeading(width), ...mine.map((r) => listLine(r, width)));
      }
      await writeOutput(`${lines.join('\n')}\n`);
    }
    return failed ? 1 : 0;
  },
};
