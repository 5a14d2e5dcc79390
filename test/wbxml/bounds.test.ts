// Hostile input is bounded (issue 12, items 5 and 6): nodes of a tree, bytes of XML, depth and
// nodes of XML read back; every failure a WbxmlError (`too-large`, `too-deep`, `xml-syntax`),
// with limits callers can raise. Figures (memory, time) are printed, never asserted on time.

import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { decode, decodeToXmlBytes, DEFAULT_MAX_NODES, fromXml, toXmlBytes, WbxmlError } from '../../src/wbxml/index.js';

/** 03 01 6A 00, `depth` open <Sync> elements, `count` one-byte empty <Sync/> tags, the ENDs. */
function emptyTags(count: number, depth = 1): Uint8Array {
  const bytes = new Uint8Array(4 + depth * 2 + count);
  bytes.set([0x03, 0x01, 0x6a, 0x00]);
  bytes.fill(0x45, 4, 4 + depth);
  bytes.fill(0x05, 4 + depth, 4 + depth + count);
  bytes.fill(0x01, 4 + depth + count);
  return bytes;
}

function thrown(run: () => unknown): WbxmlError {
  try {
    run();
  } catch (error) {
    if (error instanceof WbxmlError) return error;
    throw error;
  }
  throw new Error('no error');
}

const MB = 1 << 20;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

describe('limits on decoding', () => {
  it('a tree holds at most maxNodes nodes (one-byte empty tags made it 170 times the input)', () => {
    const error = thrown(() => decode(emptyTags(100_000), { maxNodes: 50_000 }));
    expect(error.code).toBe('too-large');
    expect(error.offset).toBe(4 + 1 + 49_999);
    expect(error.message).toMatch(/more than 50000 nodes .*raise maxNodes/);
    expect(decode(emptyTags(100_000), { maxNodes: 100_001 }).root.children).toHaveLength(100_000);
  });

  it('the default stops a document of more than 2^21 nodes, measured', () => {
    const input = emptyTags(DEFAULT_MAX_NODES + 10);
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    const error = thrown(() => decode(input));
    expect(error.code).toBe('too-large');
    console.log(
      `decode of ${mb(input.length)} of empty tags: too-large after ${DEFAULT_MAX_NODES} nodes in ${(performance.now() - start).toFixed(0)} ms; ` +
        `heap ${mb(process.memoryUsage().heapUsed - before)} above the start when it threw (garbage included)`,
    );
  });

  it('XML written is at most maxOutput bytes (indent 16 at depth 99 wrote 1.6 GB for 1 MB)', () => {
    const input = emptyTags(MB, 99);
    const error = thrown(() => decodeToXmlBytes(input, { indent: 16, maxOutput: 8 * MB }));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/larger than 8388608 bytes; raise maxOutput/);
    const small = decode(emptyTags(1000, 3));
    expect(() => toXmlBytes(small, { maxOutput: 1000 })).toThrow(/larger than 1000 bytes/);
    expect(toXmlBytes(small, { maxOutput: 100_000 }).length).toBeLessThan(100_000);
    // The default: 16 times the input plus 64 MiB.
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    const byDefault = thrown(() => decodeToXmlBytes(input, { indent: 16 }));
    expect(byDefault.code).toBe('too-large');
    expect(byDefault.offset).toBeLessThanOrEqual(16 * input.length + 64 * MB + MB);
    console.log(
      `decodeToXmlBytes of ${mb(input.length)} at depth 99, indent 16: too-large at ${mb(byDefault.offset)} of XML in ` +
        `${(performance.now() - start).toFixed(0)} ms; array buffers ${mb(process.memoryUsage().arrayBuffers - before)} above the start`,
    );
  });
});

describe('limits on reading XML', () => {
  const nested = (depth: number): string => '<Sync xmlns="AirSync:">'.repeat(depth) + '</Sync>'.repeat(depth);

  it('nesting deeper than maxDepth (100) is too-deep, found before saxes resolves the namespaces', () => {
    const error = thrown(() => fromXml(nested(5000)));
    expect(error).toMatchObject({ code: 'too-deep', line: 1, column: 100 * 23 + 1 });
    expect(fromXml(nested(100)).root.name).toBe('Sync');
    expect(() => fromXml(nested(150), { maxDepth: 200 })).not.toThrow();
    // 64k levels took 91 s (quadratic in saxes); now the depth limit ends it early.
    const start = performance.now();
    expect(thrown(() => fromXml(nested(65_536))).code).toBe('too-deep');
    console.log(`fromXml of 65536 nested levels: too-deep after ${(performance.now() - start).toFixed(1)} ms`);
  });

  it('at most maxNodes nodes', () => {
    const xml = `<Sync xmlns="AirSync:">${'<SyncKey>1</SyncKey>'.repeat(100)}</Sync>`;
    expect(thrown(() => fromXml(xml, { maxNodes: 50 })).code).toBe('too-large');
    expect(fromXml(xml, { maxNodes: 201 }).root.children).toHaveLength(100);
  });

  it("wraps the XML reader's own errors: a RangeError for <! and a lone surrogate", () => {
    const error = thrown(() => fromXml('<!\ud800'));
    expect(error.code).toBe('xml-syntax');
    expect(error.message).toMatch(/^XML error at line 1, column \d+: /);
  });
});
