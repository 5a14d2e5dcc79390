// The decoded WBXML tree. Every node carries `offset`: the position of its first byte in the
// decoded input (or -1 for nodes built in code or parsed from XML).

/**
 * SWITCH_PAGE tokens read before a node where the encoder would not write them by itself (to the
 * current page, several in a row, before content or END), kept so that encoding gives the same
 * bytes. Absent in every ordinary document.
 */
interface Switched {
  switches?: number[];
}

/** An element: a tag token (or a LITERAL name) with its attributes and content. */
export interface WbxmlElement extends Switched {
  kind: 'element';
  /** Code page the tag token belongs to. */
  page: number;
  /** Tag token without its attribute and content bits (0x05 to 0x3F), or -1 for a LITERAL name. */
  token: number;
  /** Microsoft's tag name; `TOKEN_0x3F` for an unknown token; the string for a LITERAL. */
  name: string;
  /** Code page name, e.g. "AirSync"; `CodePage30` for a page ActiveSync does not define. */
  namespace: string;
  /** Whether the code-page table knows this page and token. */
  known: boolean;
  attributes: WbxmlAttribute[];
  /** The content, in order; empty (and shared, frozen) when the content is in `text`. */
  children: WbxmlNode[];
  /**
   * The content when it is one plain string, as the decoder keeps it: STR_I text read right after
   * the tag (no attributes, no SWITCH_PAGE, no marker needed), not empty, alone in the element.
   * `children` is then empty. It stands for the text node `{ kind: 'text', value: text, offset:
   * offset + 1 }`, which `contentOf`, `walk` and `textOf` give back; encoding writes it as that
   * node. 86k of the 118k elements of a 10 MB Sync response hold one string: without a node and
   * an array of its own for each, the tree is a quarter smaller and decodes faster. Trees built
   * in code or read from XML have their text in `children`; both forms encode the same.
   */
  text?: string;
  /** String-table index of a LITERAL name, as read (encoding a decoded document reuses it). */
  index?: number;
  /**
   * Read with the content flag but closed at once (`<X>` END, where `<X/>` is the usual form).
   * Set only then, so that encoding gives back the same bytes.
   */
  emptyContent?: true;
  /** Read with the attribute flag but no attribute before END; kept like `emptyContent`. */
  emptyAttributes?: true;
  /** SWITCH_PAGE tokens read just before this element's END (see `switches`). */
  switchesBeforeEnd?: number[];
  /** SWITCH_PAGE tokens read just before the END of its attribute list. */
  attributeSwitchesBeforeEnd?: number[];
  offset: number;
}

/**
 * Text from STR_I (inline) or STR_T (string table reference).
 *
 * `carried` says how the text was written when the encoder would not write it that way by
 * itself: `'table'` for STR_T (with `index`), `'inline'` for STR_I text inside a byte-array
 * element (`Email2:ConversationId` sent as a string, a server's mistake that the encoder would
 * otherwise turn into OPAQUE). Absent for ordinary STR_I text and for text built in code.
 */
export interface WbxmlText extends Switched {
  kind: 'text';
  value: string;
  carried?: 'inline' | 'table';
  /** The string-table index of STR_T text. */
  index?: number;
  offset: number;
}

/** OPAQUE data: bytes kept as they are. */
export interface WbxmlOpaque extends Switched {
  kind: 'opaque';
  bytes: Uint8Array;
  offset: number;
}

/** ENTITY: a character given by its UCS-4 code. */
export interface WbxmlEntity extends Switched {
  kind: 'entity';
  code: number;
  offset: number;
}

/**
 * An extension token. `inline` (EXT_I_n) carries a string, `table` (EXT_T_n) a number (by
 * convention a string-table index), `token` (EXT_n) nothing.
 */
export interface WbxmlExtension extends Switched {
  kind: 'ext';
  /** Which of the three extensions: 0, 1 or 2. */
  ext: 0 | 1 | 2;
  form: 'inline' | 'table' | 'token';
  /** The string of EXT_I_n. */
  text?: string;
  /** The number of EXT_T_n. */
  index?: number;
  offset: number;
}

/** An ATTRVALUE token (attribute value tokens ≥ 0x80). ActiveSync defines none. */
export interface WbxmlAttrValueToken extends Switched {
  kind: 'attrvalue';
  page: number;
  token: number;
  offset: number;
}

/** One part of an attribute or processing-instruction value. */
export type WbxmlValuePart = WbxmlText | WbxmlOpaque | WbxmlEntity | WbxmlExtension | WbxmlAttrValueToken;

/**
 * An attribute: an ATTRSTART token (ActiveSync defines none, so named `ATTR_0x05`) or a LITERAL
 * name, and its value parts.
 */
export interface WbxmlAttribute extends Switched {
  /** The LITERAL name, or `ATTR_0x05` style for an attribute-start token. */
  name: string;
  /** Attribute code page of the token. */
  page: number;
  /** ATTRSTART token (0x05 to 0x7F), or -1 for a LITERAL name. */
  token: number;
  value: WbxmlValuePart[];
  /** String-table index of a LITERAL name, as read. */
  index?: number;
  offset: number;
}

/** A processing instruction: PI, a target (like an attribute name) and a value. */
export interface WbxmlPi extends Switched {
  kind: 'pi';
  target: WbxmlAttribute;
  /** SWITCH_PAGE tokens read just before the PI's END. */
  switchesBeforeEnd?: number[];
  offset: number;
}

export type WbxmlNode = WbxmlElement | WbxmlText | WbxmlOpaque | WbxmlEntity | WbxmlExtension | WbxmlPi;

export interface WbxmlDocument {
  /** WBXML version byte: 0x03 is 1.3 (what ActiveSync uses). */
  version: number;
  /** Public identifier: 1 (unknown) for ActiveSync; 0 when it is given as a string (`publicIdText`). */
  publicId: number;
  /** The public identifier given by reference to the string table, e.g. libwbxml's DTD name. */
  publicIdText?: string;
  /** The string-table index of `publicIdText`. */
  publicIdIndex?: number;
  /**
   * What the document is when its public identifier is not ActiveSync's (e.g. "SyncML 1.1"):
   * set only when it was decoded anyway (`{ anyDocument: true }`), with ActiveSync's names.
   */
  otherDocument?: string;
  /** Character set (IANA MIBenum): 106 is UTF-8. */
  charset: number;
  /** The raw string table (empty for what real clients and Exchange send). */
  stringTable: Uint8Array;
  /** The first top-level element. */
  root: WbxmlElement;
  /**
   * Every top-level node in order: processing instructions around the root and, in a
   * header-less fragment, any further elements and content.
   */
  body: WbxmlNode[];
  /** Decoded without a header (`decode(bytes, { fragment: true })`); encoded without one too. */
  fragment: boolean;
  /** SWITCH_PAGE tokens read after everything else (see `switches`). */
  trailingSwitches?: number[];
}
