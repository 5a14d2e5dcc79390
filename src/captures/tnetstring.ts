// tnetstrings (https://tnetstrings.info) as mitmproxy writes them (mitmproxy/io/tnetstring.py):
// `LENGTH:DATA` and a type byte: `,` bytes, `;` text (mitmproxy's addition), `#` integer,
// `^` float, `!` boolean, `~` null, `]` list, `}` dictionary (key, value, key, value...).

export type TNetValue = null | boolean | number | string | Uint8Array | TNetValue[] | TNetDict;
export type TNetDict = Map<string, TNetValue>;

export class TNetError extends Error {
  constructor(
    message: string,
    /** Offset in the bytes given to the parser. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is not a flow (mitmproxy's own are about 5 deep). */
const MAX_DEPTH = 64;
/** A length prefix has at most 12 digits (mitmproxy refuses longer ones too). */
const MAX_PREFIX_DIGITS = 12;

/** Reads the `LENGTH:` prefix at `at`: the length and where the data starts, or undefined when there are too few bytes. */
export function readPrefix(bytes: Uint8Array, at: number): { length: number; dataStart: number } | undefined {
  let length = 0;
  let i = at;
  for (; i < bytes.length && i - at <= MAX_PREFIX_DIGITS; i++) {
    const c = bytes[i]!;
    if (c === 0x3a) {
      if (i === at) throw new TNetError('a tnetstring length is missing', at);
      return { length, dataStart: i + 1 };
    }
    if (c < 0x30 || c > 0x39) throw new TNetError(`not a tnetstring: byte 0x${c.toString(16).padStart(2, '0')} where a length digit or ':' belongs`, i);
    length = length * 10 + (c - 0x30);
  }
  if (i - at > MAX_PREFIX_DIGITS) throw new TNetError('not a tnetstring: absurdly long length prefix', at);
  return undefined;
}

function parseAt(bytes: Uint8Array, at: number, depth: number): { value: TNetValue; next: number } {
  if (depth > MAX_DEPTH) throw new TNetError('nested deeper than a flow can be', at);
  const prefix = readPrefix(bytes, at);
  if (!prefix) throw new TNetError('cut short inside a length prefix', at);
  const { length, dataStart } = prefix;
  const end = dataStart + length;
  if (end >= bytes.length) throw new TNetError(`a value claims ${length} bytes, only ${Math.max(0, bytes.length - dataStart - 1)} are left`, at);
  const type = bytes[end]!;
  const data = bytes.subarray(dataStart, end);
  const text = (): string => new TextDecoder().decode(data);
  switch (type) {
    case 0x2c: // , bytes
      return { value: data, next: end + 1 };
    case 0x3b: // ; text
      return { value: text(), next: end + 1 };
    case 0x23: // # integer
    case 0x5e: {
      // ^ float
      const value = Number(text());
      if (!Number.isFinite(value)) throw new TNetError(`not a number: ${JSON.stringify(text().slice(0, 20))}`, dataStart);
      return { value, next: end + 1 };
    }
    case 0x21: // ! boolean
      return { value: text() === 'true', next: end + 1 };
    case 0x7e: // ~ null
      return { value: null, next: end + 1 };
    case 0x5d: {
      // ] list
      const list: TNetValue[] = [];
      for (let p = dataStart; p < end;) {
        const item = parseAt(bytes.subarray(0, end + 1), p, depth + 1);
        if (item.next > end) throw new TNetError('a list item runs past its list', p);
        list.push(item.value);
        p = item.next;
      }
      return { value: list, next: end + 1 };
    }
    case 0x7d: {
      // } dictionary
      const dict: TNetDict = new Map();
      for (let p = dataStart; p < end;) {
        const key = parseAt(bytes.subarray(0, end + 1), p, depth + 1);
        const value = parseAt(bytes.subarray(0, end + 1), key.next, depth + 1);
        if (value.next > end) throw new TNetError('a dictionary entry runs past its dictionary', p);
        const name = typeof key.value === 'string' ? key.value : key.value instanceof Uint8Array ? new TextDecoder().decode(key.value) : String(key.value);
        dict.set(name, value.value);
        p = value.next;
      }
      return { value: dict, next: end + 1 };
    }
    default:
      throw new TNetError(`unknown tnetstring type byte 0x${type.toString(16).padStart(2, '0')}`, end);
  }
}

/** Parses one tnetstring that fills `bytes` exactly. Throws TNetError with an offset. */
export function parseTNetString(bytes: Uint8Array): TNetValue {
  const { value, next } = parseAt(bytes, 0, 0);
  if (next !== bytes.length) throw new TNetError(`${bytes.length - next} bytes after the value`, next);
  return value;
}
