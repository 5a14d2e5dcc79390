// owa-inspector decode FILE: WBXML to readable XML.

import { decodeToXmlBytes, Parser, WbxmlError, type ParseHandler } from '../wbxml/index.js';
import { findInvalidUtf8 } from '../wbxml/utils/utf8.js';
import { parseBase64Text, parseHexText } from '../shared/paste.js';
import { parseFileCommand, parseLimit, printError, readInput, UsageError, writeOutput, type Command } from './command.js';

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode WBXML (a file, or - for standard input) to XML',
  usage: `usage: owa-inspector decode [options] FILE
  FILE             a WBXML file, or - for standard input
  --hex            the input is hex text, in any form the panel's decode box reads:
                   "03 01 6a 00 ...", 0x03,0x01, \x03\x01, 03:01:6a, xxd output,
                   unpadded "3 1 6a 0" from client logs
  --base64         the input is base64 text (or a data: URL)
  --fragment       the input has no header (starts at a SWITCH_PAGE or a tag)
  --any-document   decode a document whose public identifier is not ActiveSync's
                   (SyncML, WML, ...) with ActiveSync's names, with a warning
  --binary FORMAT  show byte-array tags (ConversationId, ...) as base64 (default) or hex
  --indent N       spaces per level (default 2; 0 for one line)
  --max-output N   most bytes of XML to write (default 16 times the input plus 64M;
                   K, M, G suffixes allowed)
  --max-depth N    deepest element nesting accepted (default 100)
  -o, --output F   write the XML to file F instead of standard output`,

  async run(args) {
    const { file, values } = parseFileCommand('decode', args, {
      fragment: { type: 'boolean' },
      'any-document': { type: 'boolean' },
      binary: { type: 'string' },
      indent: { type: 'string' },
      'max-output': { type: 'string' },
      'max-depth': { type: 'string' },
    });
    const maxOutput = parseLimit('max-output', values['max-output']);
    const maxDepth = parseLimit('max-depth', values['max-depth']);
    if (values.binary !== undefined && values.binary !== 'hex' && values.binary !== 'base64') {
      throw new UsageError('--binary is hex or base64');
    }
    const indent = values.indent === undefined ? 2 : Number(values.indent);
    if (!Number.isInteger(indent) || indent < 0 || indent > 16) throw new UsageError('--indent is a number from 0 to 16');

    const raw = await readInput(file);
    let bytes: Uint8Array | undefined = raw;
    if (values.hex || values.base64) {
      const text = new TextDecoder().decode(raw);
      // The panel's decode box reads the same forms: xxd output, \x.., 03:01:.., "3 1 6a 0".
      bytes = values.hex ? parseHexText(text) : parseBase64Text(text);
      if (bytes === undefined) {
        printError('decode', `${file}: not ${values.hex ? 'hex' : 'base64'} text`);
        return 1;
      }
    }
    try {
      const xml = decodeToXmlBytes(bytes, {
        fragment: values.fragment ?? false,
        anyDocument: values['any-document'] ?? false,
        warn: (message) => printError('decode', `${file}: warning: ${message}`),
        binary: (values.binary as 'hex' | 'base64' | undefined) ?? 'base64',
        indent,
        ...(maxOutput !== undefined ? { maxOutput } : {}),
        ...(maxDepth !== undefined ? { maxDepth } : {}),
      });
      await writeOutput(xml, values.output);
      return 0;
    } catch (error) {
      if (!(error instanceof WbxmlError)) throw error;
      const xml = xmlKind(bytes);
      if (xml !== undefined) {
        printError('decode', `${file}: this is ${xml}, not WBXML; did you mean \`owa-inspector encode\`?`);
        return 1;
      }
      // Suggested only when it is true: random bytes are named as what they are, where they go wrong.
      const limit = error.code === 'too-large' || error.code === 'too-deep';
      const hint = !values.fragment && !limit && decodesAsFragment(bytes) ? ' (it decodes as a header-less fragment: try --fragment)' : '';
      printError('decode', `${file}: ${error.message} [${error.code}]${hint}`);
      return 1;
    }
  },
};

/** "XML" or "XML in UTF-16" when the input is XML text (a byte-order mark, white space, then "<"), else undefined. */
function xmlKind(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'XML in UTF-16';
  if ((bytes[0] === 0x3c && bytes[1] === 0x00) || (bytes[0] === 0x00 && bytes[1] === 0x3c)) return 'XML in UTF-16';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d) i++;
  const next = bytes[i + 1] ?? 0;
  // "<" then a name, "?" (declaration) or "!" (comment, DOCTYPE).
  return bytes[i] === 0x3c && (next === 0x3f || next === 0x21 || next === 0x5f || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a)) ? 'XML' : undefined;
}

/** Checks text for UTF-8, as decoding does, and keeps nothing: no tree, no XML. */
const CHECK: ParseHandler = {
  openElement() {},
  closeElement() {},
  text(input, start, end, latin1) {
    if (!latin1 && findInvalidUtf8(input, start, end) >= 0) throw new Error('invalid UTF-8');
  },
  opaque() {},
  other() {},
};

/** Whether the input reads as a header-less fragment (to suggest --fragment only when it helps). */
function decodesAsFragment(bytes: Uint8Array): boolean {
  try {
    new Parser({ fragment: true }).parse(bytes, CHECK);
    return true;
  } catch {
    return false;
  }
}
