// Shared by the capture tests: bodies written by hand from MS-ASWBXML's code pages (not by our
// encoder) and Blobs.
import type { CaptureBody } from '../../src/captures/index.js';

/** Bytes from "03 01 6a …". */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16));
}

// Tokens from MS-ASWBXML 2.1.2.1: FolderHierarchy is page 7 (FolderSync 0x16, Status 0x0C,
// SyncKey 0x12); content flag 0x40; STR_I 0x03; END 0x01; SWITCH_PAGE 0x00.
/** <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync> */
export const FOLDER_SYNC_REQUEST = hex('03 01 6a 00 00 07 56 52 03 30 00 01 01');
/** <FolderSync xmlns="FolderHierarchy:"><Status>142</Status></FolderSync> */
export const FOLDER_SYNC_142 = hex('03 01 6a 00 00 07 56 4c 03 31 34 32 00 01 01');
/** <FolderSync xmlns="FolderHierarchy:"><Status>1</Status><SyncKey>1</SyncKey></FolderSync> */
export const FOLDER_SYNC_OK = hex('03 01 6a 00 00 07 56 4c 03 31 00 01 52 03 31 00 01 01');
// Provision is page 14: Provision 0x05, Policies 0x06, Policy 0x07, PolicyType 0x08, PolicyKey 0x09, Status 0x0B.
/** <Provision xmlns="Provision:"><Status>1</Status><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>NNN</PolicyKey></Policy></Policies></Provision> */
export function provisionResponse(key: string): Uint8Array {
  const text = (s: string): string => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return hex(`03 01 6a 00 00 0e 45 4b 03 31 00 01 46 47 48 03 ${text('MS-EAS-Provisioning-WBXML')} 00 01 4b 03 31 00 01 49 03 ${text(key)} 00 01 01 01 01`);
}

export function blobOf(data: string | Uint8Array): Blob {
  return new Blob([typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data)]);
}

export function bytesOf(body: CaptureBody): Uint8Array | undefined {
  return body.kind === 'bytes' ? body.bytes : undefined;
}
