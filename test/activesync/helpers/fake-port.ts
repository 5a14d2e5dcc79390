// A stand-in WBXML codec for unit tests of the client's logic: the WBXML header followed by the
// tree as JSON. Real WBXML bytes are proven against Horde in the integration tests.
import type { EasElement, EasNode } from '../../../src/activesync/tree';
import type { WbxmlPort } from '../../../src/activesync/wbxml-port';

const HEADER = [0x03, 0x01, 0x6a, 0x00];

class FakeDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function toXml(node: EasNode, indent = ''): string {
  if (node.kind === 'text') return `${indent}${node.value}`;
  if (node.kind === 'opaque') return `${indent}[${node.bytes.length} opaque bytes]`;
  if (node.children.length === 0) return `${indent}<${node.name} xmlns="${node.namespace}:"/>`;
  const only = node.children[0];
  if (node.children.length === 1 && only?.kind === 'text') {
    return `${indent}<${node.name} xmlns="${node.namespace}:">${only.value}</${node.name}>`;
  }
  const inner = node.children.map((c) => toXml(c, `${indent}  `)).join('\n');
  return `${indent}<${node.name} xmlns="${node.namespace}:">\n${inner}\n${indent}</${node.name}>`;
}

export const fakePort: WbxmlPort = {
  encode(root: EasElement): Uint8Array {
    return Uint8Array.from([...HEADER, ...new TextEncoder().encode(JSON.stringify(root))]);
  },
  decode(bytes: Uint8Array): EasElement {
    HEADER.forEach((b, i) => {
      if (bytes[i] !== b) throw new FakeDecodeError(`bad header byte 0x${(bytes[i] ?? 0).toString(16)}`, i);
    });
    try {
      return JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER.length))) as EasElement;
    } catch (error) {
      throw new FakeDecodeError(`unexpected end of data: ${(error as Error).message}`, bytes.length);
    }
  },
  toXml: (root) => toXml(root),
  encodeXml(): Uint8Array {
    throw new Error('the fake codec cannot read XML');
  },
};
