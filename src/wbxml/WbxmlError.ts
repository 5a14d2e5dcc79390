/** What went wrong, as a stable code that callers can switch on. */
export type WbxmlErrorCode =
  /** The input ends in the middle of something (a header, a string, an element). */
  | 'truncated'
  /** A multi-byte integer is longer than 5 bytes or does not fit in 32 bits. */
  | 'bad-mb-uint32'
  /** A string-table reference points outside the table, or at a string with no terminator. */
  | 'string-table-range'
  /** Text is not valid in its character set (UTF-8). */
  | 'invalid-utf8'
  /** Elements nest deeper than `maxDepth`. */
  | 'too-deep'
  /** A declared length (string table, OPAQUE) runs past the end of the input. */
  | 'length-past-end'
  /** A token that is not allowed where it stands (e.g. text before the root element). */
  | 'unexpected-token'
  /** The version byte is not a WBXML 1.x version. */
  | 'unsupported-version'
  /** The header names a character set other than UTF-8, US-ASCII or ISO-8859-1. */
  | 'unsupported-charset'
  /** Bytes follow the end of the root element. */
  | 'trailing-bytes'
  /** The input holds no element. */
  | 'no-root'
  /**
   * The result would exceed a limit: nodes of a tree (`maxNodes`), bytes of XML (`maxOutput`),
   * what string-table references expand to (`maxExpansion`).
   */
  | 'too-large'
  /** The public identifier names another document type (SyncML, WML, …), not ActiveSync. */
  | 'not-activesync'
  /** XML text is not well-formed. */
  | 'xml-syntax'
  /** XML names a tag or namespace that no code page defines. */
  | 'unknown-tag'
  /** XML content that cannot be encoded (bad base64 for a byte-array tag, a bad character). */
  | 'bad-value';

export interface WbxmlErrorDetails {
  /** The token or byte at fault, when there is one. */
  token?: number;
  /** For errors in XML text: 1-based line and column. */
  line?: number;
  column?: number;
}

/**
 * Every error the codec raises for bad input. `offset` is the byte offset in the WBXML input (or
 * the character offset in XML text) where the problem was found.
 */
export class WbxmlError extends Error {
  override readonly name = 'WbxmlError';
  readonly code: WbxmlErrorCode;
  readonly offset: number;
  readonly token: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: WbxmlErrorCode, message: string, offset: number, details: WbxmlErrorDetails = {}) {
    super(message);
    this.code = code;
    this.offset = offset;
    this.token = details.token;
    this.line = details.line;
    this.column = details.column;
  }
}

/** "byte 0x1f (31)": how messages name a position in the input. */
export function at(offset: number): string {
  return `byte 0x${offset.toString(16)} (${offset})`;
}

/** "0xc3": how messages name a token. */
export function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
