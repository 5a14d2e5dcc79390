// Decodes WBXML pasted as hex or base64, or dropped (or chosen) as a file.
import { useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../shared/i18n';
import { decodeBytes } from '../model/decoded';
import { toXmlDocument } from '../model/export';
import { formatBytes, hexAround } from '../model/format';
import { parseFile, parsePasted, type PastedInput } from '../../../shared/paste';
import { copyText, saveFile } from './actions';
import { XmlTree } from './XmlTree';

export function DecodeBox({ onMessage }: { onMessage(text: string): void }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ name: string; input: PastedInput } | undefined>(undefined);
  const [dragging, setDragging] = useState(false);

  const input = useMemo<PastedInput | undefined>(() => file?.input ?? (text.trim() === '' ? undefined : parsePasted(text)), [text, file]);
  const decodeCount = useRef(0);
  const decoded = useMemo(() => {
    decodeCount.current++;
    return input?.ok ? decodeBytes(input.bytes) : undefined;
  }, [input]);

  const readFile = async (f: File | undefined): Promise<void> => {
    if (!f) return;
    const bytes = new Uint8Array(await f.arrayBuffer());
    setFile({ name: f.name, input: parseFile(bytes) });
  };

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    void readFile(event.dataTransfer?.files[0]);
  };

  return (
    <section
      class={`decode-box${dragging ? ' dragging' : ''}`}
      aria-label={t('panel_decode_title')}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2>{t('panel_decode_title')}</h2>
      <p class="muted">{t('panel_decode_help')}</p>
      <div class="decode-input">
        <textarea
          id="decode-text"
          aria-label={t('panel_decode_input')}
          placeholder="03 01 6A 00 00 07 56 52 03 30 00 01 01   /   AwFqAAAHVlIDMAABAQ=="
          spellcheck={false}
          value={file ? '' : text}
          onInput={(e) => {
            setFile(undefined);
            setText((e.target as HTMLTextAreaElement).value);
          }}
        />
        <div class="decode-buttons">
          <label class="button">
            {t('panel_choose_file')}
            <input type="file" class="visually-hidden" onChange={(e) => void readFile((e.target as HTMLInputElement).files?.[0])} />
          </label>
          <button
            type="button"
            onClick={() => {
              setText('');
              setFile(undefined);
            }}
          >
            {t('panel_clear')}
          </button>
        </div>
      </div>
      <div class="decode-result" role="status">
        {file && <p class="muted">{t('panel_decode_file', file.name)}</p>}
        {input && !input.ok && <p class="note bad">{t(input.error === 'empty' ? 'panel_decode_empty' : 'panel_decode_not_hex')}</p>}
        {input?.ok && (
          <p class="muted">
            {t(input.format === 'hex' ? 'panel_decode_read_hex' : input.format === 'base64' ? 'panel_decode_read_base64' : 'panel_decode_read_binary', formatBytes(input.bytes.length))}
          </p>
        )}
      </div>
      {decoded?.kind === 'error' && (
        <div class="body-view">
          <p class="note bad">{t('panel_decode_error', decoded.error.code, decoded.error.offset, decoded.error.message)}</p>
          <pre class="hex">{hexAround(decoded.bytes, decoded.error.offset)}</pre>
        </div>
      )}
      {decoded?.kind === 'wbxml' && (
        <div class="body-view">
          <div class="body-actions">
            <button
              type="button"
              onClick={async () => {
                const ok = await copyText(toXmlDocument(decoded) ?? '');
                onMessage(ok ? t('panel_copied_xml') : t('panel_copy_failed'));
              }}
            >
              {t('panel_copy_xml')}
            </button>
            <button type="button" onClick={() => saveFile('decoded.xml', toXmlDocument(decoded) ?? '', 'application/xml')}>
              {t('panel_save_xml')}
            </button>
          </div>
          <XmlTree key={decodeCount.current} tree={decoded.tree} label={t('panel_decoded_tree')} idPrefix="decoded" />
        </div>
      )}
    </section>
  );
}
