// owa-inspector encode FILE.xml: XML to the WBXML bytes real clients send.

import { encodeXmlBytes, WbxmlError } from '../wbxml/index.js';
import { toBase64, toHex } from '../shared/base64.js';
import { parseFileCommand, printError, readInput, writeOutput, type Command } from './command.js';

export const encodeCommand: Command = {
  name: 'encode',
  summary: 'encode XML (a file, or - for standard input) to WBXML on standard output',
  usage: `usage: owa-inspector encode [options] FILE.xml
  FILE.xml         an XML file, or - for standard input, in the encoding its declaration
                   names (UTF-8 by default; UTF-16 with a byte-order mark, ISO-8859-1, ...)
  --hex            write hex text instead of bytes
  --base64         write base64 text instead of bytes
  --literals       allow tag names no code page defines (written as WBXML LITERALs)
  -o, --output F   write to file F instead of standard output
Binary output is not written to a terminal: redirect it, or use --hex.`,

  async run(args) {
    const { file, values } = parseFileCommand('encode', args, { literals: { type: 'boolean' } });
    const binary = !values.hex && !values.base64;
    if (binary && values.output === undefined && process.stdout.isTTY) {
      printError('encode', 'not writing binary WBXML to a terminal: redirect standard output, use -o FILE, or --hex');
      return 2;
    }
    const xml = await readInput(file);
    let bytes: Uint8Array;
    try {
      // In the encoding the XML declares: a lossy decode would turn bytes into U+FFFD.
      bytes = encodeXmlBytes(xml, { literals: values.literals ?? false });
    } catch (error) {
      if (!(error instanceof WbxmlError)) throw error;
      printError('encode', `${file}: ${error.message} [${error.code}]`);
      return 1;
    }
    await writeOutput(binary ? bytes : `${values.hex ? toHex(bytes) : toBase64(bytes)}\n`, values.output);
    return 0;
  },
};
