// The public identifier of a WBXML document (section 5.4): which DTD, and so which token tables,
// the document uses. ActiveSync documents say 1 ("unknown", [MS-ASWBXML] 2.1.2.1.1) or, as
// libwbxml writes them, the string "-//MICROSOFT//DTD ActiveSync//EN". Anything else is another
// language (SyncML, WML, …) whose tokens mean something else: read with ActiveSync's code pages it
// gives meaningless names, so the decoder refuses it unless asked (`anyDocument`).

/** Well-known public identifiers from the WAP Forum / OMNA registry (WBXML 1.3, section 7.2). */
const KNOWN_PUBLIC_IDS: ReadonlyMap<number, string> = new Map([
  [0x02, 'WML 1.0'],
  [0x03, 'WTA Event 1.0'],
  [0x04, 'WML 1.1'],
  [0x05, 'Service Indication 1.0'],
  [0x06, 'Service Loading 1.0'],
  [0x07, 'Cache Operation 1.0'],
  [0x08, 'Channel 1.1'],
  [0x09, 'WML 1.2'],
  [0x0a, 'WML 1.3'],
  [0x0b, 'Provisioning 1.0'],
  [0x0c, 'WTA-WML 1.2'],
  [0x0d, 'Channel 1.2'],
  [0x0fd1, 'SyncML 1.0'],
  [0x0fd2, 'SyncML DevInf 1.0'],
  [0x0fd3, 'SyncML 1.1'],
  [0x0fd4, 'SyncML DevInf 1.1'],
  [0x1201, 'SyncML 1.2'],
  [0x1202, 'SyncML MetInf 1.2'],
  [0x1203, 'SyncML DevInf 1.2'],
]);

/** The public identifier ActiveSync uses: 1, "unknown or missing". */
export const ACTIVESYNC_PUBLIC_ID = 1;

/**
 * What a public identifier names: undefined for ActiveSync (1, or a string naming ActiveSync),
 * else a description such as `SyncML 1.1 (public identifier 0xfd3)`.
 */
export function otherDocumentKind(publicId: number, publicIdText?: string): string | undefined {
  if (publicId === ACTIVESYNC_PUBLIC_ID) return undefined;
  if (publicId === 0 && publicIdText !== undefined) {
    if (/\bActiveSync\b/i.test(publicIdText)) return undefined;
    const syncml = /SyncML (\d\.\d)/i.exec(publicIdText);
    const what = syncml ? `${/DevInf/i.test(publicIdText) ? 'SyncML DevInf' : /MetInf/i.test(publicIdText) ? 'SyncML MetInf' : 'SyncML'} ${syncml[1]}` : 'a document';
    return `${what} (public identifier ${JSON.stringify(publicIdText)})`;
  }
  const known = KNOWN_PUBLIC_IDS.get(publicId);
  return `${known ?? 'an unknown document type'} (public identifier 0x${publicId.toString(16)})`;
}
