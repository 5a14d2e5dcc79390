// How the tree names what the code-page table does not: unknown pages and tokens, attribute
// tokens. The same names are understood by fromXml, so such documents survive a trip through XML.

import { CODE_PAGES } from './codepages.js';

const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

const NAMESPACES: string[] = [];
const UNKNOWN_TAGS: string[] = [];
for (let i = 0; i < 256; i++) {
  NAMESPACES.push(CODE_PAGES[i]?.name ?? `CodePage${i}`);
  UNKNOWN_TAGS.push(`TOKEN_0x${hex2(i)}`);
}

/** The namespace (code page name) of a page: "AirSync", or "CodePage30" for an undefined page. */
export function namespaceOf(page: number): string {
  return NAMESPACES[page] ?? `CodePage${page}`;
}

/** The name given to a tag token the table does not know: "TOKEN_0x3F". */
export function unknownTagName(token: number): string {
  return UNKNOWN_TAGS[token] ?? `TOKEN_0x${hex2(token)}`;
}

/** The name given to an attribute-start token: "ATTR_0x05", or "ATTR_p1_0x05" on page 1. */
export function attributeTokenName(page: number, token: number): string {
  return page === 0 ? `ATTR_0x${hex2(token)}` : `ATTR_p${page}_0x${hex2(token)}`;
}

/** Reads back a name made by `unknownTagName`. */
export function parseUnknownTagName(name: string): number | undefined {
  const match = /^TOKEN_0x([0-9A-Fa-f]{2})$/.exec(name);
  return match ? parseInt(match[1]!, 16) : undefined;
}

/** Reads back a page namespace made by `namespaceOf` for an undefined page ("CodePage30"). */
export function parseUnknownNamespace(namespace: string): number | undefined {
  const match = /^CodePage(\d{1,3}):?$/i.exec(namespace);
  const page = match ? Number(match[1]) : NaN;
  return page >= 0 && page < 256 ? page : undefined;
}

/** Reads back a name made by `attributeTokenName`. */
export function parseAttributeTokenName(name: string): { page: number; token: number } | undefined {
  const match = /^ATTR_(?:p(\d{1,3})_)?0x([0-9A-Fa-f]{2})$/.exec(name);
  if (!match) return undefined;
  const page = Number(match[1] ?? 0);
  const token = parseInt(match[2]!, 16);
  return page < 256 && token >= 0x05 && token < 0x80 ? { page, token } : undefined;
}
