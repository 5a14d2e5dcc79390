// Bodies kept as base64 until read (lazy-bytes.ts): their size and first bytes without decoding
// them whole, their bytes as the shared decoder gives them, and the Status the list shows the
// same as findProtocolStatus of the whole body, whether it is in the first kilobyte or not.
import { describe, expect, it } from 'vitest';
import { byteLength, lazyBase64Body, leadingBytes, shareLazyBytes } from '../../src/captures/lazy-bytes.js';
import { findBodyProtocolStatus, findProtocolStatus } from '../../src/ui/devtools/model/protocol-status.js';
import { fromBase64, toBase64 } from '../../src/shared/base64.js';
import { FOLDER_SYNC_142, hex } from './helpers.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const lazy = (bytes: Uint8Array): { kind: 'bytes'; bytes: Uint8Array } => lazyBase64Body(ascii(toBase64(bytes)), bytes.length);
const text = (s: string): string => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** <FolderSync xmlns="FolderHierarchy:"><SyncKey>{key}</SyncKey><Status>{status}</Status></FolderSync>, by hand (page 7: SyncKey 0x52, Status 0x4c). */
const folderSync = (key: string, status: string): Uint8Array => hex(`03 01 6a 00 00 07 56 52 03 ${text(key)} 00 01 4c 03 ${text(status)} 00 01 01`);

describe('lazy base64 bodies', () => {
  it('tell their size and first bytes without decoding, and decode once to the shared decoder’s bytes', () => {
    const bytes = Uint8Array.from({ length: 5001 }, (_, i) => (i * 131) % 256);
    const body = lazy(bytes);
    expect(byteLength(body)).toBe(5001);
    const head = leadingBytes(body, 10);
    expect(head.whole).toBe(false);
    expect(head.bytes.subarray(0, 10)).toEqual(bytes.subarray(0, 10));
    expect(body.bytes).toEqual(fromBase64(toBase64(bytes)));
    expect(body.bytes).toBe(body.bytes);
    // Once decoded, the first bytes are those bytes.
    expect(leadingBytes(body, 10)).toEqual({ bytes: body.bytes, whole: true });
    const small = lazy(Uint8Array.of(1, 2));
    expect(leadingBytes(small, 10)).toEqual({ bytes: Uint8Array.of(1, 2), whole: true });
  });

  it('are shared with another object that reads the same bytes', () => {
    const body = lazy(FOLDER_SYNC_142);
    const view = {
      get bytes(): Uint8Array {
        return body.bytes;
      },
    };
    shareLazyBytes(view, body);
    expect(byteLength(view)).toBe(FOLDER_SYNC_142.length);
    expect(findBodyProtocolStatus(view)).toEqual(findProtocolStatus(FOLDER_SYNC_142));
  });

  it('give the Status of the whole body, found in the first bytes or after them', () => {
    for (const key of ['1', 'k'.repeat(110), 'k'.repeat(120), 'k'.repeat(1000), 'k'.repeat(2030), 'k'.repeat(5000)]) {
      for (const status of ['142', '1', 'x']) {
        const bytes = folderSync(key, status);
        const expected = findProtocolStatus(bytes);
        expect(findBodyProtocolStatus(lazy(bytes)), `${key.length} ${status}`).toEqual(expected);
        expect(expected?.code).toBe(status === 'x' ? undefined : Number(status));
      }
    }
    // Not WBXML at all: no Status, as for the bytes themselves.
    const noise = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    expect(findBodyProtocolStatus(lazy(noise))).toEqual(findProtocolStatus(noise));
  });
});
