// A Fiddler SAZ archive built the way Fiddler writes one: raw/NN_c.txt and raw/NN_s.txt hold the
// request and response exactly as on the wire, raw/NN_m.xml the session's timers. The layout
// follows Telerik's Fiddler documentation ("SAZ file format") and the sessions of a SAZ saved by
// Fiddler Classic 5: a CONNECT tunnel first, then the decrypted requests with absolute URLs.
// Compression is done with node:zlib, not the code under test. Shared by test/captures/saz.test.ts
// and the panel's end-to-end test (test/e2e/open-capture.test.ts).
import { deflateSync, gzipSync } from 'node:zlib';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST } from './helpers.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const join = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
export const URL_EAS = 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=ABC&DeviceType=iPhone';

export function request(body: Uint8Array, extra = ''): Uint8Array {
  return join(
    enc(
      `POST ${URL_EAS} HTTP/1.1\r\nHost: mail.contoso.com\r\nAuthorization: Basic Q09OVE9TT1xhbGljZTpzZWNyZXQ=\r\nContent-Type: application/vnd.ms-sync.wbxml\r\nMS-ASProtocolVersion: 14.1\r\nContent-Length: ${body.length}\r\n${extra}\r\n`,
    ),
    body,
  );
}

export function response(status: string, headers: string, body: Uint8Array): Uint8Array {
  return join(enc(`HTTP/1.1 ${status}\r\nContent-Type: application/vnd.ms-sync.wbxml\r\n${headers}\r\n`), body);
}

export function chunked(body: Uint8Array, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += size) {
    const piece = body.subarray(at, at + size);
    parts.push(enc(`${piece.length.toString(16)}\r\n`), piece, enc('\r\n'));
  }
  parts.push(enc('0\r\n\r\n'));
  return join(...parts);
}

export const meta = (n: number, begin: string, done: string): Uint8Array =>
  enc(
    `<?xml version="1.0" encoding="utf-8"?>\r\n<Session SID="${n}" BitFlags="0"><SessionTimers ClientConnected="${begin}" ClientBeginRequest="${begin}" ServerGotRequest="${begin}" ClientDoneResponse="${done}" /><SessionFlags><SessionFlag N="x-clientip" V="10.0.0.5" /></SessionFlags></Session>`,
  );

/** The files of the archive: a CONNECT, then FolderSync 449 (Status 142), 200 chunked+gzip, 200 deflate. */
export function saz(): Record<string, Uint8Array> {
  const gz = new Uint8Array(gzipSync(FOLDER_SYNC_OK));
  return {
    '[Content_Types].xml': enc('<?xml version="1.0" encoding="utf-8" ?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'),
    'raw/01_c.txt': enc('CONNECT mail.contoso.com:443 HTTP/1.1\r\nHost: mail.contoso.com:443\r\n\r\n'),
    'raw/01_s.txt': enc('HTTP/1.1 200 Connection Established\r\n\r\n'),
    'raw/02_c.txt': request(FOLDER_SYNC_REQUEST),
    'raw/02_s.txt': response('449 Retry after sending a PROVISION command', `Content-Length: ${FOLDER_SYNC_142.length}\r\n`, FOLDER_SYNC_142),
    'raw/02_m.xml': meta(2, '2013-05-01T10:00:00.1234567+02:00', '2013-05-01T10:00:00.3454567+02:00'),
    'raw/03_c.txt': request(FOLDER_SYNC_REQUEST),
    'raw/03_s.txt': response('200 OK', 'Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n', chunked(gz, 7)),
    'raw/04_c.txt': request(FOLDER_SYNC_REQUEST),
    'raw/04_s.txt': response('200 OK', 'Content-Encoding: deflate\r\n', new Uint8Array(deflateSync(FOLDER_SYNC_OK))),
  };
}
