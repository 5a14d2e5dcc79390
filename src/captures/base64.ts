// Base64 bodies are most of a HAR's bytes: decoding them is most of the time reading one takes.
// The platform's own decoder is used where there is one (Uint8Array.fromBase64 in Firefox 133+
// and Chrome 140+, Buffer in Node), after the same strict check the shared decoder makes, so the
// answer is the same everywhere; src/shared/base64.ts (a JS loop) is the fallback.
import { fromBase64 } from '../shared/base64.js';

type NativeFromBase64 = (text: string) => Uint8Array;
type NodeBuffer = { from(text: string, encoding: 'base64'): Uint8Array };

const uint8FromBase64 = (Uint8Array as unknown as { fromBase64?: NativeFromBase64 }).fromBase64;
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** A character outside the standard alphabet, padding and white space. */
const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/;

/** Decodes base64, or undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  // Short texts, other alphabets and anything odd go to the shared decoder, which decides.
  if (text.length < 1024 || NOT_BASE64.test(text)) return fromBase64(text);
  const padding = text.indexOf('=');
  if (padding >= 0 && (text.length - padding > 8 || !/^=={0,1}\s*$/.test(text.slice(padding)))) return fromBase64(text);
  // A final group of one character is not base64 (the shared decoder refuses it too).
  const digits = /\s/.test(text) ? text.replace(/\s+/g, '').replace(/=+$/, '').length : padding >= 0 ? padding : text.length;
  if (digits % 4 === 1) return undefined;
  try {
    if (uint8FromBase64) return uint8FromBase64(text);
    if (nodeBuffer) return new Uint8Array(nodeBuffer.from(text, 'base64'));
  } catch {
    return fromBase64(text);
  }
  return fromBase64(text);
}
