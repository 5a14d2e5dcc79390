// WBXML 1.3 global tokens (section 7.1): the same in every code page and both code spaces.

export const SWITCH_PAGE = 0x00;
export const END = 0x01;
export const ENTITY = 0x02;
export const STR_I = 0x03;
export const LITERAL = 0x04;
export const EXT_I_0 = 0x40;
export const EXT_I_2 = 0x42;
export const PI = 0x43;
export const LITERAL_C = 0x44;
export const EXT_T_0 = 0x80;
export const EXT_T_2 = 0x82;
export const STR_T = 0x83;
export const LITERAL_A = 0x84;
export const EXT_0 = 0xc0;
export const OPAQUE = 0xc3;
export const LITERAL_AC = 0xc4;

/** Tag token bit: the element has attributes. */
export const HAS_ATTRIBUTES = 0x80;
/** Tag token bit: the element has content. */
export const HAS_CONTENT = 0x40;
/** Tag token bits that identify the tag. */
export const TAG_MASK = 0x3f;

/** Character sets (IANA MIBenum) the decoder reads. */
export const CHARSET_UTF8 = 106;
export const CHARSET_ASCII = 3;
export const CHARSET_LATIN1 = 4;
export const CHARSET_UNKNOWN = 0;
