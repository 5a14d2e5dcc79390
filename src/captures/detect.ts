// Which reader a file needs, from its first bytes (the name only breaks a tie): users rename
// files, and a mailbox log arrives as .txt as often as .log.
import { looksLikeMailboxLog } from './mailbox-log.js';
import { isZip } from './zip.js';
import type { CaptureFormat } from './types.js';

/** Bytes looked at to tell the formats apart. */
export const SNIFF_BYTES = 64 * 1024;

export type Detected = CaptureFormat | 'binary' | 'empty';

function firstNonSpace(head: Uint8Array): number {
  let i = 0;
  // A UTF-8 byte-order mark, then white space.
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return i;
}

function isMostlyText(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  return control <= head.length / 100;
}

/** The format of a file from its first SNIFF_BYTES bytes and its name. */
export function detectFormat(head: Uint8Array, name: string): Detected {
  if (head.length === 0) return 'empty';
  if (isZip(head)) return 'saz';
  const start = firstNonSpace(head);
  // A tnetstring flow: "1234:" then a dictionary whose keys a flow has.
  const prefix = /^(\d{1,12}):/.exec(new TextDecoder('latin1').decode(head.subarray(0, 16)));
  if (prefix) {
    const text = new TextDecoder('latin1').decode(head.subarray(0, 4096));
    if (/\d+:(version|type|id|request|client_conn)[;,]/.test(text)) return 'mitmproxy';
  }
  if (head[start] === 0x7b) return 'har';
  if (!isMostlyText(head)) return /\.(har)$/i.test(name) ? 'har' : /\.(saz)$/i.test(name) ? 'saz' : /\.(flow|mitm|dump)$/i.test(name) ? 'mitmproxy' : 'binary';
  const text = new TextDecoder().decode(head);
  if (looksLikeMailboxLog(text)) return 'mailbox-log';
  return 'hex-log';
}
