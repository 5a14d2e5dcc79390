// The protocol Status of a body known only as XML text (Exchange's mailbox log prints decoded
// bodies): the same rule as protocol-status.ts, read from the tags without parsing the XML whole.
import type { ProtocolStatus } from './protocol-status';

const TAG = /<(\/?)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/g;

/**
 * The first Status in the root element's namespace (an unprefixed Status, the default
 * namespace being the root's), else the first Status at all. The namespace is the root's
 * `xmlns` without its colon ("FolderHierarchy:" → "FolderHierarchy"), or the root's name.
 */
export function findXmlStatus(xml: string): ProtocolStatus | undefined {
  const stack: string[] = [];
  let rootNamespace: string | undefined;
  let first: ProtocolStatus | undefined;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(xml); match; match = TAG.exec(xml)) {
    const [, closing, prefix, name, attributes, selfClosing] = match as unknown as [string, string, string | undefined, string, string, string];
    if (closing) {
      stack.pop();
      continue;
    }
    if (rootNamespace === undefined) rootNamespace = /\sxmlns\s*=\s*["']([^"':]*):?["']/.exec(attributes)?.[1] ?? name;
    if (name === 'Status' && !selfClosing) {
      const end = xml.indexOf('<', TAG.lastIndex);
      const value = xml.slice(TAG.lastIndex, end < 0 ? undefined : end).trim();
      if (/^\d{1,9}$/.test(value)) {
        const status: ProtocolStatus = { code: Number(value), namespace: prefix ? prefix.slice(0, -1) : rootNamespace, parent: stack[stack.length - 1] ?? '' };
        if (!prefix) return status;
        first ??= status;
      }
    }
    if (!selfClosing) stack.push(name);
  }
  return first;
}
