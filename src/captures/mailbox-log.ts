// The text of Exchange's ActiveSync mailbox log (Get-MobileDeviceStatistics -GetMailboxLog, or
// Get-ActiveSyncDeviceStatistics on Exchange 2010): one record per request, each a list of
// "Name : value" sections, the value on the same line or on the lines below:
//
//   RequestTime : 2013-10-04T18:35:03.123Z       (local time on some versions: 10/4/2013 6:35:03 PM)
//   ServerName / AssemblyVersion / Identifier : ...
//   RequestHeader : POST /Microsoft-Server-ActiveSync/default.eas?Cmd=... HTTP/1.1, then headers
//   RequestBody : the request already decoded to XML (data replaced by bytes="N" unless verbose)
//   ResponseHeader : HTTP/1.1 200 OK, then headers
//   ResponseBody : the response as XML
//   ResultsLogData / LogicalRequest / AccessState ... : Exchange's own notes, left out
//
// Sections are recognised by name at the start of a line; a record starts at RequestTime (or at
// RequestHeader when a log has no times).
import { absoluteUrl } from './activesync-url.js';
import { blobLines } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import { headerValue } from './headers.js';
import type { CaptureBody, CaptureHeader, CaptureReadResult, ReadOptions } from './types.js';

const SECTION =
  /^\s*(RequestTime|ServerName|AssemblyVersion|Identifier|RequestHeader|RequestBody|ResponseHeader|ResponseBody|ResultsLogData|LogicalRequest|AccessState|AccessStateReason|DeviceAccessControlRule|HttpStatus|LogName|Identity|LogData)\s*:\s?(.*)$/;

/** Whether text looks like a mailbox log: the section names only it writes. */
export function looksLikeMailboxLog(text: string): boolean {
  return /^\s*RequestHeader\s*:/m.test(text) && /^\s*(ResponseHeader|RequestBody|RequestTime)\s*:/m.test(text);
}

interface LogRecord {
  line: number;
  sections: Map<string, string[]>;
}

function headersOf(lines: readonly string[]): { first: string; headers: CaptureHeader[] } {
  const content = lines.map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const first = content.shift()?.trim() ?? '';
  const headers: CaptureHeader[] = [];
  for (const line of content) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { first, headers };
}

function xmlBody(lines: readonly string[] | undefined): CaptureBody {
  if (lines === undefined) return { kind: 'missing', reason: 'the mailbox log has no body section here' };
  const text = lines.join('\n').trim();
  // Exchange writes "[No XmlRequest]" / "[No XmlResponse]" for an empty body.
  if (text === '' || /^\[No Xml(Request|Response)\]$/i.test(text)) return { kind: 'empty' };
  return { kind: 'xml', xml: text };
}

function addRecord(builder: CaptureBuilder, record: LogRecord): void {
  const where = `line ${record.line}`;
  const requestHeader = record.sections.get('RequestHeader');
  if (!requestHeader) {
    builder.problem(where, 'a mailbox log record without a RequestHeader section; left out');
    return;
  }
  const request = headersOf(requestHeader);
  const [method = '', target = ''] = request.first.split(/\s+/);
  const responseHeader = record.sections.get('ResponseHeader');
  const response = responseHeader ? headersOf(responseHeader) : undefined;
  const statusLine = response && /^HTTP\/\S+\s+(\d{3})\s*(.*)$/i.exec(response.first);
  const statusSection = record.sections.get('HttpStatus')?.join(' ').trim();
  const time = record.sections.get('RequestTime')?.join(' ').trim();
  const started = time ? Date.parse(time) : NaN;
  builder.add({
    startedAt: Number.isNaN(started) ? undefined : started,
    durationMs: undefined,
    method,
    url: absoluteUrl(target, headerValue(request.headers, 'host')),
    requestHeaders: request.headers,
    responseHeaders: response?.headers ?? [],
    httpStatus: statusLine ? Number(statusLine[1]) : statusSection && /^\d{3}$/.test(statusSection) ? Number(statusSection) : undefined,
    httpStatusText: statusLine?.[2]?.trim() ?? '',
    request: xmlBody(record.sections.get('RequestBody')),
    response: xmlBody(record.sections.get('ResponseBody')),
  });
}

export async function readMailboxLog(file: string, blob: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  const builder = new CaptureBuilder(file, 'mailbox-log');
  let record: LogRecord | undefined;
  let current: string[] | undefined;
  for await (const { line, number } of blobLines(blob, options)) {
    const section = SECTION.exec(line);
    if (section) {
      const name = section[1]!;
      const startsRecord = name === 'RequestTime' || (name === 'RequestHeader' && record?.sections.has('RequestHeader') === true);
      if (startsRecord && record) addRecord(builder, record);
      if (startsRecord || !record) record = { line: number, sections: new Map() };
      current = [];
      if (section[2]!.trim() !== '') current.push(section[2]!);
      record.sections.set(name, current);
      continue;
    }
    current?.push(line);
  }
  if (record) addRecord(builder, record);
  if (builder.exchangeCount === 0) {
    builder.setFormat(undefined);
    builder.problem('the whole file', 'no RequestHeader sections: not an Exchange mailbox log');
  }
  return builder.result();
}
