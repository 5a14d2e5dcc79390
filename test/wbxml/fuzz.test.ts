// Fuzzing that reaches deep into the parser: real captures mutated, a large document built from
// them corrupted at one random point, and generated token streams that are well formed until a
// planted fault. Every input gives a tree or a WbxmlError (never another exception), the direct
// XML path agrees with the tree path, both outcomes occur, and an error is never reported before
// the first byte that differs from a valid document: the offsets prove how deep the parser got.
// Seeded (the seed is printed), so a failure repeats.

import { describe, expect, it } from 'vitest';
import { CODE_PAGES, createDocument, decode, Decoder, decodeToXml, elementFor, encode, toXml, WbxmlError, type DecodeOptions, type WbxmlNode } from '../../src/wbxml/index.js';
import { elementsOf, everyTagDocument, fixtures, random } from './helpers.js';

type Outcome = { xml: string } | { code: string; offset: number };

function outcome(run: () => string): Outcome {
  try {
    return { xml: run() };
  } catch (error) {
    if (!(error instanceof WbxmlError)) throw error;
    return { code: error.code, offset: error.offset };
  }
}

/** Both paths on one input: the same XML, or the same error at the same offset, within the input. */
function check(bytes: Uint8Array, options: DecodeOptions): Outcome {
  const viaTree = outcome(() => toXml(decode(bytes, options)));
  const direct = outcome(() => decodeToXml(bytes, options));
  expect(direct).toEqual(viaTree);
  if ('offset' in direct) {
    expect(direct.offset).toBeGreaterThanOrEqual(0);
    expect(direct.offset).toBeLessThanOrEqual(bytes.length);
  }
  return direct;
}

/** A seeded PRNG whose seed is printed, so that a failing run can be repeated. */
function seeded(name: string, seed: number): () => number {
  console.info(`fuzz seed for "${name}": ${seed}`);
  return random(seed);
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x40, 0x43, 0x80, 0x83, 0xc3, 0xc4, 0xff];

/** Edits a copy of `source`; returns it and the first offset where it differs from the source. */
function mutate(source: Uint8Array, next: () => number, donors: readonly Uint8Array[] = []): { bytes: Uint8Array; first: number } {
  const bytes = [...source];
  let first = Infinity;
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const kind = Math.floor(next() * 7);
    const byte = next() < 0.5 ? Math.floor(next() * 256) : pick(next, INTERESTING);
    first = Math.min(first, at);
    if (kind === 0)
      bytes[at] = byte; // replace
    else if (kind === 1)
      bytes.splice(at, 0, byte); // insert
    else if (kind === 2)
      bytes.splice(at, 1); // delete
    else if (kind === 3)
      bytes.length = at; // truncate
    else if (kind === 4)
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(next() * 8)); // flip a bit
    else if (kind === 5)
      bytes.splice(at, 0, ...bytes.slice(Math.floor(next() * bytes.length), Math.floor(next() * bytes.length))); // copy a piece of itself
    else if (donors.length > 0) {
      // Splice in a piece of another real capture's body (skipping its header).
      const donor = pick(next, donors);
      const from = Math.floor(next() * donor.length);
      bytes.splice(at, Math.floor(next() * 8), ...donor.subarray(from, from + 1 + Math.floor(next() * (donor.length - from))));
    }
  }
  // Edits may cancel out (a byte replaced by itself): compare to find the real first difference.
  const out = Uint8Array.from(bytes);
  let diff = 0;
  while (diff < out.length && diff < source.length && out[diff] === source[diff]) diff++;
  return { bytes: out, first: out.length === source.length && diff === out.length ? Infinity : Math.min(diff, first) };
}

interface Tally {
  decoded: number;
  failed: number;
  codes: Map<string, number>;
  /** Error offsets as a fraction of the input's length. */
  depths: number[];
}

const tally = (): Tally => ({ decoded: 0, failed: 0, codes: new Map(), depths: [] });

/** `whole`: the length depths are measured against (the uncorrupted document's, by default the input's). */
function record(seen: Tally, result: Outcome, bytes: Uint8Array, first: number, whole = bytes.length): void {
  if ('xml' in result) {
    seen.decoded++;
    return;
  }
  seen.failed++;
  seen.codes.set(result.code, (seen.codes.get(result.code) ?? 0) + 1);
  seen.depths.push(whole === 0 ? 0 : result.offset / whole);
  // Up to the first changed byte the input is a valid document's prefix: nothing is wrong there,
  // except that a bad UTF-8 sequence is reported where its character starts (up to 3 bytes back).
  expect(result.offset, `${result.code} reported before the first changed byte ${first}`).toBeGreaterThanOrEqual(Math.min(first, bytes.length) - 3);
}

/** How many of the tenths of the input an error offset fell in. */
const tenthsHit = (depths: number[]) => new Set(depths.map((d) => Math.min(9, Math.floor(d * 10)))).size;

describe('fuzzing', () => {
  const corpus = [...fixtures(), { name: 'every tag', bytes: encode(everyTagDocument()).subarray(0, 6000), fragment: false }];
  const donors = fixtures().map((f) => (f.fragment ? f.bytes : f.bytes.subarray(4)));

  it('mutated captures (bit flips, truncations, splices of other captures) give a tree or a WbxmlError, the same by both paths', () => {
    const next = seeded('mutated captures', 20240601);
    const seen = tally();
    for (let round = 0; round < 120; round++) {
      for (const fixture of corpus) {
        const { bytes, first } = mutate(fixture.bytes, next, donors);
        record(seen, check(bytes, { fragment: fixture.fragment }), bytes, first);
      }
    }
    // Both outcomes, many kinds of error, and errors found all through the inputs, not at the start.
    console.info('mutated captures:', { decoded: seen.decoded, failed: seen.failed, codes: Object.fromEntries(seen.codes), tenths: tenthsHit(seen.depths) });
    expect(seen.decoded).toBeGreaterThan(300);
    expect(seen.failed).toBeGreaterThan(1000);
    expect(seen.codes.size).toBeGreaterThanOrEqual(8);
    expect(tenthsHit(seen.depths)).toBe(10);
    expect(seen.depths.filter((d) => d > 0.5).length / seen.failed).toBeGreaterThan(0.3);
  }, 30_000);

  it('a 100 kB document of real captures, corrupted at one random point, fails there or later, or decodes', () => {
    const next = seeded('one corruption', 7);
    // Every capture's elements, repeated, under one AirSync:Sync root: page switches all through.
    const nodes: WbxmlNode[] = fixtures().flatMap((f) => decode(f.bytes, { fragment: f.fragment }).body);
    const big = encode(createDocument(elementFor(0, 0x05, Array.from({ length: 18 }, () => nodes).flat())));
    expect(big.length).toBeGreaterThan(90_000);
    expect(() => decode(big)).not.toThrow();
    const seen = tally();
    for (let round = 0; round < 120; round++) {
      const at = 4 + Math.floor(next() * (big.length - 4));
      const kind = round % 3;
      let bytes = Uint8Array.from(big);
      if (kind === 0) bytes[at] = bytes[at]! ^ (1 << Math.floor(next() * 8));
      else if (kind === 1) bytes = bytes.subarray(0, at);
      else bytes[at] = pick(next, INTERESTING);
      if (bytes.length === big.length && bytes[at] === big[at]) continue;
      record(seen, check(bytes, {}), bytes, at, big.length);
    }
    console.info('one corruption:', { size: big.length, decoded: seen.decoded, failed: seen.failed, codes: Object.fromEntries(seen.codes), tenths: tenthsHit(seen.depths) });
    expect(seen.decoded).toBeGreaterThan(10);
    expect(seen.failed).toBeGreaterThan(50);
    // Errors are found wherever the corruption is: (nearly) every tenth of the document.
    expect(tenthsHit(seen.depths)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...seen.depths)).toBeGreaterThan(0.95);
  }, 30_000);

  it('generated token streams: well formed ones decode to what was generated; a planted fault fails at or after it', () => {
    const next = seeded('token streams', 99);
    const table = [...new TextEncoder().encode('Inbox'), 0, ...new TextEncoder().encode('Entwürfe'), 0];
    const tagsOf = CODE_PAGES.map((page) => page.tags.flatMap((name, token) => (name === undefined ? [] : [token])));
    const seen = tally();
    let clean = 0;
    for (let round = 0; round < 400; round++) {
      const out: number[] = [0x03, 0x01, 0x6a, table.length, ...table];
      let page = 0;
      let elements = 0;
      let fault = Infinity;
      const faultRate = round % 2 === 0 ? 0 : 0.1;
      const maybeFault = () => {
        if (fault !== Infinity || next() >= faultRate) return;
        fault = out.length;
        const kind = Math.floor(next() * 6);
        if (kind === 0)
          out.push(pick(next, INTERESTING)); // a stray token
        else if (kind === 1)
          out.push(0x83, 0x7f); // STR_T past the table
        else if (kind === 2)
          out.push(0xc3, 0x7f, 1, 2); // OPAQUE longer than what follows (mostly)
        else if (kind === 3)
          out.push(0x03, 0xc3, 0x28, 0x00); // STR_I with bad UTF-8
        else if (kind === 4)
          out.push(0x00, 0x7f); // a page that does not exist
        else out.push(0x01); // an END too many
      };
      const element = (depth: number): void => {
        maybeFault();
        if (next() < 0.2) {
          page = Math.floor(next() * CODE_PAGES.length);
          out.push(0x00, page);
        }
        const token = pick(next, tagsOf[page]!);
        elements++;
        if (depth > 6 || next() < 0.25) {
          out.push(token);
          return;
        }
        out.push(token | 0x40);
        const children = Math.floor(next() * 5);
        for (let c = 0; c < children; c++) {
          maybeFault();
          const kind = Math.floor(next() * 5);
          if (kind <= 1) element(depth + 1);
          else if (kind === 2) out.push(0x03, ...new TextEncoder().encode(`text ${round}.${c} Grüße`), 0);
          else if (kind === 3) out.push(0x83, next() < 0.5 ? 0 : 6);
          else {
            const length = Math.floor(next() * 20);
            out.push(0xc3, length, ...Array.from({ length }, () => Math.floor(next() * 256)));
          }
        }
        maybeFault();
        out.push(0x01);
      };
      element(0);
      const bytes = Uint8Array.from(out);
      const result = check(bytes, {});
      if (fault === Infinity) {
        clean++;
        expect(result, `well-formed stream ${round} refused`).toHaveProperty('xml');
        expect(elementsOf(decode(bytes).root)).toHaveLength(elements);
      }
      record(seen, result, bytes, fault);
    }
    console.info('token streams:', { clean, decoded: seen.decoded, failed: seen.failed, codes: Object.fromEntries(seen.codes), deepest: Math.max(...seen.depths) });
    expect(clean).toBeGreaterThan(200);
    expect(seen.failed).toBeGreaterThan(40);
    expect(seen.decoded).toBeGreaterThan(seen.failed);
    expect(tenthsHit(seen.depths)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...seen.depths)).toBeGreaterThan(0.8);
  });

  it('the decoder works normally after all that, also a Decoder instance reused across errors', () => {
    for (const fixture of fixtures()) expect(() => decode(fixture.bytes, { fragment: fixture.fragment })).not.toThrow();
    const decoder = new Decoder();
    const good = fixtures().find((f) => f.name === 'syncroton_simple.wbxml')!.bytes;
    const expected = toXml(decoder.decode(good));
    const next = seeded('reused decoder', 3);
    let failed = 0;
    for (let i = 0; i < 50; i++) {
      try {
        decoder.decode(mutate(good, next).bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(WbxmlError);
        failed++;
      }
      expect(toXml(decoder.decode(good))).toBe(expected);
    }
    expect(failed).toBeGreaterThan(10);
  });
});
