import { describe, expect, it } from 'vitest';
import { syncResponse } from '../../../benchmark/sync-response';
import {
  collapseAll,
  expandAll,
  findRow,
  flatten,
  hasChildren,
  initialCollapsed,
  opaqueValue,
  pathTo,
  reveal,
  rowLabel,
  toggle,
  visibleRows,
} from '../../../src/ui/devtools/model/flat-tree';
import { rowWindow } from '../../../src/ui/devtools/model/virtual-window';
import { decode, element, encode, encodeXml, fromXml } from '../../../src/wbxml';
import { FOLDERSYNC_RESPONSE } from './fixtures';

const folderSync = () => flatten(decode(encodeXml(FOLDERSYNC_RESPONSE)));

describe('flat node table', () => {
  it('lists rows in document order with depth, parent and subtree end', () => {
    const tree = folderSync();
    const names = Array.from({ length: tree.size }, (_, i) => `${'  '.repeat(tree.depth[i]!)}${rowLabel(tree, i).name}`);
    expect(names).toEqual([
      'FolderSync',
      '  Status',
      '  SyncKey',
      '  Changes',
      '    Count',
      '    Add',
      '      ServerId',
      '      ParentId',
      '      DisplayName',
      '      Type',
      '    Add',
      '      ServerId',
      '      ParentId',
      '      DisplayName',
      '      Type',
    ]);
    expect(tree.parent[5]).toBe(3);
    expect(tree.end[3]).toBe(15);
    expect(tree.end[5]).toBe(10);
    expect(hasChildren(tree, 5)).toBe(true);
    expect(hasChildren(tree, 6)).toBe(false);
  });

  it('shows an element with one text child on one row, with its value', () => {
    const tree = folderSync();
    expect(rowLabel(tree, 13)).toMatchObject({ kind: 'element', name: 'DisplayName', value: { text: 'Entwürfe', kind: 'text' }, namespace: undefined });
    expect(rowLabel(tree, 0)).toMatchObject({ name: 'FolderSync', namespace: 'FolderHierarchy', childCount: 3 });
    expect(pathTo(tree, 13)).toEqual(['FolderSync', 'Changes', 'Add', 'DisplayName']);
  });

  it('gives mixed content rows of its own and shows a namespace where it changes', () => {
    const doc = fromXml('<Sync xmlns="AirSync:" xmlns:email="Email:"><Collections>text<email:To>a@b</email:To></Collections></Sync>');
    const tree = flatten(doc);
    expect(tree.size).toBe(4);
    expect(rowLabel(tree, 2)).toMatchObject({ kind: 'content', value: { text: 'text' } });
    expect(rowLabel(tree, 3)).toMatchObject({ name: 'To', namespace: 'Email', value: { text: 'a@b' } });
  });

  it('shows opaque data as text when it is text, as hex when it is not or the schema says bytes', () => {
    expect(opaqueValue(new TextEncoder().encode('Subject: hi\r\n'), undefined)).toMatchObject({ kind: 'text', text: 'Subject: hi\r\n' });
    expect(opaqueValue(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), undefined)).toEqual({ kind: 'hex', text: 'de ad be ef', bytes: 4 });
    // Search:ConversationId is a byte array even when its bytes happen to be ASCII.
    const id = element('Search:ConversationId', Uint8Array.from([0x41, 0x42]));
    expect(opaqueValue(Uint8Array.from([0x41, 0x42]), id)).toMatchObject({ kind: 'hex', text: '41 42' });
  });

  it('says when a byte-array element held text (a server sending ConversationId as a string)', () => {
    // Sync > Email2:ConversationId > STR_I "8c2f0b48321bff6f" (issue 12, item 1).
    const bytes = Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x45, 0x00, 0x16, 0x49, 0x03, ...new TextEncoder().encode('8c2f0b48321bff6f'), 0x00, 0x01, 0x01]);
    const tree = flatten(decode(bytes));
    expect(rowLabel(tree, 1)).toMatchObject({ name: 'ConversationId', value: { text: '8c2f0b48321bff6f', kind: 'text', carried: 'string' } });
    const binary = flatten(decode(encode(element('Email2:ConversationId', Uint8Array.from([0x41, 0x42])))));
    expect(rowLabel(binary, 0).value.carried).toBeUndefined();
  });

  it('skips collapsed subtrees when listing visible rows', () => {
    const tree = folderSync();
    const all = expandAll(tree);
    expect(Array.from(visibleRows(tree, all))).toEqual(Array.from({ length: 15 }, (_, i) => i));
    const oneAddClosed = toggle(all, 5);
    expect(Array.from(visibleRows(tree, oneAddClosed))).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14]);
    expect(Array.from(visibleRows(tree, collapseAll(tree)))).toEqual([0]);
    // Revealing a row opens its ancestors only.
    const revealed = reveal(tree, collapseAll(tree), 13);
    expect(Array.from(visibleRows(tree, revealed))).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14]);
  });

  it('opens small trees fully and large ones down to a budget', () => {
    const tree = folderSync();
    expect(visibleRows(tree, initialCollapsed(tree)).length).toBe(15);
    expect(Array.from(visibleRows(tree, initialCollapsed(tree, 5)))).toEqual([0, 1, 2, 3]);
  });

  it('finds rows by name or value, wrapping around', () => {
    const tree = folderSync();
    expect(findRow(tree, 'entwürfe', 0)).toBe(13);
    expect(findRow(tree, 'ServerId', 7)).toBe(11);
    expect(findRow(tree, 'ServerId', 12)).toBe(6);
    expect(findRow(tree, 'ServerId', 10, -1)).toBe(6);
    expect(findRow(tree, 'nothing like it', 0)).toBe(-1);
  });

  it('flattens deep trees without recursion', () => {
    let deep = element('Collection');
    for (let i = 0; i < 5000; i++) deep = element('Collection', deep);
    const tree = flatten(deep);
    expect(tree.size).toBe(5001);
    expect(tree.depth[5000]).toBe(5000);
  });
});

describe('a 10 MB Sync response', () => {
  it('has 100k+ rows, yet a view renders a bounded number of them', () => {
    const { bytes, emails } = syncResponse(10 * 1024 * 1024);
    const started = performance.now();
    const tree = flatten(decode(bytes));
    const flattened = performance.now();
    const rows = visibleRows(tree, expandAll(tree));
    const listed = performance.now();
    console.log(
      `10 MB Sync (${bytes.length} bytes, ${emails} emails): decode+flatten ${(flattened - started).toFixed(0)} ms, ` +
        `${tree.size} rows; all-expanded visible rows ${(listed - flattened).toFixed(1)} ms`,
    );
    expect(tree.size).toBeGreaterThan(100_000);
    expect(rows.length).toBe(tree.size);
    // A 900 px viewport at 20 px rows, anywhere in the list: the window stays small.
    for (const scrollTop of [0, 123_456, rows.length * 20 - 900, rows.length * 20 * 10]) {
      const view = rowWindow(scrollTop, 900, 20, rows.length);
      expect(view.end - view.start).toBeLessThanOrEqual(900 / 20 + 1 + 2 * 8);
      expect(view.end).toBeLessThanOrEqual(rows.length);
    }
    // Opened to the budget, the first view is an overview, not 100k rows.
    const initial = visibleRows(tree, initialCollapsed(tree));
    expect(initial.length).toBeLessThanOrEqual(2000);
    expect(rowLabel(tree, initial[initial.length - 1]!).name).toBe('MoreAvailable');
  });
});
