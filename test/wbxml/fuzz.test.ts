// Mutated real captures: the result is always a tree or a WbxmlError (never another exception,
// a hang or a crash), the direct XML path agrees with the tree path, and the decoder works
// normally afterwards. Seeded, so a failure repeats.

import { describe, expect, it } from 'vitest';
import { decode, Decoder, decodeToXml, encode, toXml, WbxmlError, type DecodeOptions } from '../../src/wbxml/index.js';
import { everyTagDocument, fixtures, random } from './helpers.js';

type Outcome = { xml: string } | { code: string; offset: number };

function outcome(run: () => string): Outcome {
  try {
    return { xml: run() };
  } catch (error) {
    if (!(error instanceof WbxmlError)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
    return { code: error.code, offset: error.offset };
  }
}

/** Both paths on one input: the same XML, or the same error at the same offset. */
function check(bytes: Uint8Array, options: DecodeOptions): Outcome {
  const viaTree = outcome(() => toXml(decode(bytes, options)));
  const direct = outcome(() => decodeToXml(bytes, options));
  expect(direct).toEqual(viaTree);
  return direct;
}

function mutate(source: Uint8Array, next: () => number): Uint8Array {
  const bytes = [...source];
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const kind = Math.floor(next() * 6);
    const byte = next() < 0.5 ? Math.floor(next() * 256) : [0x00, 0x01, 0x02, 0x03, 0x04, 0x40, 0x43, 0x80, 0x83, 0xc3, 0xc4, 0xff][Math.floor(next() * 12)]!;
    if (kind === 0) bytes[at] = byte; // replace
    else if (kind === 1) bytes.splice(at, 0, byte); // insert
    else if (kind === 2) bytes.splice(at, 1); // delete
    else if (kind === 3) bytes.length = at; // truncate
    else if (kind === 4) bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(next() * 8)); // flip a bit
    else bytes.splice(at, 0, ...bytes.slice(Math.floor(next() * bytes.length), Math.floor(next() * bytes.length))); // splice a copy
  }
  return Uint8Array.from(bytes);
}

describe('fuzzing', () => {
  const corpus = [...fixtures(), { name: 'every tag', bytes: encode(everyTagDocument()).subarray(0, 6000), fragment: false }];

  it('mutated captures give a tree or a WbxmlError, the same by both paths', () => {
    const next = random(20240601);
    const seen = { decoded: 0, errors: new Map<string, number>() };
    for (let round = 0; round < 120; round++) {
      for (const fixture of corpus) {
        const result = check(mutate(fixture.bytes, next), { fragment: fixture.fragment });
        if ('xml' in result) seen.decoded++;
        else seen.errors.set(result.code, (seen.errors.get(result.code) ?? 0) + 1);
      }
    }
    // The mutations reach both outcomes and many kinds of error.
    expect(seen.decoded).toBeGreaterThan(100);
    expect(seen.errors.size).toBeGreaterThanOrEqual(8);
  });

  it('1 MB of random bytes is rejected or decoded, as a document and as a fragment', () => {
    const next = random(7);
    const bytes = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(next() * 256));
    check(bytes, {});
    check(bytes, { fragment: true });
    // The same after a valid header.
    bytes.set([0x03, 0x01, 0x6a, 0x00]);
    check(bytes, {});
  });

  it('random token soup after a valid header (mostly tags, text and page switches)', () => {
    const next = random(99);
    const soup = [0x00, 0x01, 0x01, 0x03, 0x61, 0x00, 0x45, 0x46, 0x05, 0x83, 0xc3, 0x02, 0x43, 0xc5, 0x85, 0x04];
    for (let round = 0; round < 300; round++) {
      const body = Array.from({ length: 5 + Math.floor(next() * 60) }, () => soup[Math.floor(next() * soup.length)]!);
      const table = next() < 0.5 ? [] : [0x61, 0x00, 0x62, 0x00];
      check(Uint8Array.from([0x03, 0x01, 0x6a, table.length, ...table, ...body]), {});
    }
  });

  it('the decoder works normally after all that, also a Decoder instance reused across errors', () => {
    for (const fixture of fixtures()) expect(() => decode(fixture.bytes, { fragment: fixture.fragment })).not.toThrow();
    const decoder = new Decoder();
    const good = fixtures().find((f) => f.name === 'syncroton_simple.wbxml')!.bytes;
    const expected = toXml(decoder.decode(good));
    const next = random(3);
    for (let i = 0; i < 50; i++) {
      try {
        decoder.decode(mutate(good, next));
      } catch (error) {
        expect(error).toBeInstanceOf(WbxmlError);
      }
      expect(toXml(decoder.decode(good))).toBe(expected);
    }
  });
});
