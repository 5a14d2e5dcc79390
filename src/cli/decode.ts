// owa-inspector decode FILE: WBXML to readable XML.

import { decodeToXmlBytes, WbxmlError } from '../wbxml/index.js';
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
      // Input that starts like a SWITCH_PAGE (0x00, also WBXML 1.0) or a tag token, not like
      // ActiveSync's 1.3 header, may be a header-less fragment.
      const first = bytes[0] ?? 0x03;
      const hint = !values.fragment && (first === 0x00 || first > 0x0f) ? ' (a header-less fragment? try --fragment)' : '';
      printError('decode', `${file}: ${error.message} [${error.code}]${hint}`);
      return 1;
    }
  },
};
