// The protocol Status of an ActiveSync body and what it means, read without building a tree:
// the list shows it for every request, and a 10 MB Sync response should not be decoded whole
// just for that.
import { leadingBytes } from '../../../captures/lazy-bytes';
import { describeCommandStatus, describeProvisionStatus, isCommonStatus, POLICY_STATUS, PROVISION_STATUS } from '../../../activesync/status';
// The codec's modules, not its index: the index also brings fromXml and its XML parser (saxes),
// which the panel does not need (about 25 kB).
import { CODE_PAGES, tagName } from '../../../wbxml/codepages';
import { Parser, type ParseHandler } from '../../../wbxml/Parser';
import type { WbxmlAttribute } from '../../../wbxml/types';
import { decodeUtf8Lossy } from '../../../wbxml/utils/utf8';

export interface ProtocolStatus {
  code: number;
  /** Code page name of the Status element, e.g. "FolderHierarchy". */
  namespace: string;
  /** Name of the element the Status is in, e.g. "Collection", "Policy". */
  parent: string;
}

/** Parse handler that stops at the first Status in the root element's namespace. */
class StatusFinder implements ParseHandler {
  rootPage = -1;
  found: ProtocolStatus | undefined;
  firstOther: ProtocolStatus | undefined;
  private readonly stack: Array<{ page: number; token: number; name: string }> = [];
  private buffer = '';
  private collecting = false;

  openElement(page: number, token: number, literal: string | undefined, _attributes: WbxmlAttribute[], hasContent: boolean): void {
    if (this.rootPage < 0) this.rootPage = page;
    const name = literal ?? tagName(page, token) ?? '';
    if (!hasContent) return;
    this.stack.push({ page, token, name });
    this.collecting = name === 'Status';
    this.buffer = '';
  }

  /** True (stop) once the Status is found: a plain return, where a thrown exception cost ~10 µs per body. */
  closeElement(): boolean {
    const el = this.stack.pop();
    if (el && el.name === 'Status' && this.collecting) {
      this.collecting = false;
      const value = this.buffer.trim();
      if (!/^\d{1,9}$/.test(value)) return false;
      const status: ProtocolStatus = {
        code: Number(value),
        namespace: CODE_PAGES[el.page]?.name ?? `CodePage${el.page}`,
        parent: this.stack[this.stack.length - 1]?.name ?? '',
      };
      if (el.page === this.rootPage) {
        this.found = status;
        return true;
      }
      this.firstOther ??= status;
    }
    this.collecting = false;
    return false;
  }

  text(input: Uint8Array, start: number, end: number): void {
    if (this.collecting && this.buffer.length < 32) this.buffer += decodeUtf8Lossy(input.subarray(start, Math.min(end, start + 32)));
  }

  opaque(): void {}
  other(): void {}
}

/**
 * The first Status element in the root element's namespace, in document order: the command's
 * own outcome (Provision, FolderSync, Ping: the root's Status; Sync: the first Collection's;
 * GetItemEstimate, MoveItems: the first Response's). A Status of another page (Settings inside
 * Provision's DeviceInformation) counts only when there is no other. Undefined when there is
 * none or the bytes are not WBXML.
 */
export function findProtocolStatus(bytes: Uint8Array): ProtocolStatus | undefined {
  const finder = new StatusFinder();
  try {
    new Parser().parse(bytes, finder);
  } catch {
    // Not WBXML, or damaged after a Status of another page: that one, if any.
    return finder.found ?? finder.firstOther;
  }
  return finder.found ?? finder.firstOther;
}

/**
 * Bytes of a lazy body (src/captures/lazy-bytes.ts) decoded to look for its Status before the
 * whole: the Status of a Sync, FolderSync or Ping response is within its first hundred bytes.
 */
const STATUS_HEADS = [128, 2048];

/**
 * findProtocolStatus of a body's bytes, decoding only the first bytes of a capture's lazy body
 * when its Status is there: parsing is in document order, so a Status of the root's page found
 * in the first bytes is the one the whole body gives. Otherwise the whole body is decoded.
 */
export function findBodyProtocolStatus(body: { readonly bytes: Uint8Array }): ProtocolStatus | undefined {
  for (const count of STATUS_HEADS) {
    const head = leadingBytes(body, count);
    if (head.whole) break;
    const finder = new StatusFinder();
    try {
      new Parser().parse(head.bytes, finder);
    } catch {
      // The head ends inside the document: only a Status found before that counts.
    }
    if (finder.found) return finder.found;
  }
  return findProtocolStatus(body.bytes);
}

/** "142 DeviceNotProvisioned: …" for the list and the detail view, from src/activesync/status. */
export function describeProtocolStatus(command: string, status: ProtocolStatus): string {
  if (status.namespace === 'Provision' && !isCommonStatus(status.code)) {
    return describeProvisionStatus(status.code, status.parent === 'Policy' ? POLICY_STATUS : PROVISION_STATUS);
  }
  return describeCommandStatus(command, status.code);
}
