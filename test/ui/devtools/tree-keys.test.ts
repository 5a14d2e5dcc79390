import { describe, expect, it } from 'vitest';
import { expandAll, flatten, toggle, visibleRows } from '../../../src/ui/devtools/model/flat-tree';
import { listKey, treeKey } from '../../../src/ui/devtools/model/tree-keys';
import { decode, encodeXml } from '../../../src/wbxml';
import { FOLDERSYNC_RESPONSE } from './fixtures';

describe('tree keyboard', () => {
  const tree = flatten(decode(encodeXml(FOLDERSYNC_RESPONSE)));
  const open = expandAll(tree);
  const state = (focused: number, collapsed = open) => ({ tree, collapsed, rows: visibleRows(tree, collapsed), focused, page: 3 });

  it('moves with arrows, Home, End and pages', () => {
    expect(treeKey('ArrowDown', state(0))).toEqual({ focus: 1 });
    expect(treeKey('ArrowUp', state(0))).toEqual({ focus: 0 });
    expect(treeKey('End', state(0))).toEqual({ focus: 14 });
    expect(treeKey('Home', state(9))).toEqual({ focus: 0 });
    expect(treeKey('PageDown', state(0))).toEqual({ focus: 3 });
    // Down from a collapsed Add jumps over its children.
    expect(treeKey('ArrowDown', state(5, toggle(open, 5)))).toEqual({ focus: 10 });
  });

  it('Right opens or enters, Left closes or goes to the parent', () => {
    expect(treeKey('ArrowRight', state(5, toggle(open, 5)))).toEqual({ expand: 5 });
    expect(treeKey('ArrowRight', state(5))).toEqual({ focus: 6 });
    expect(treeKey('ArrowRight', state(6))).toBeNull();
    expect(treeKey('ArrowLeft', state(5))).toEqual({ collapse: 5 });
    expect(treeKey('ArrowLeft', state(8))).toEqual({ focus: 5 });
    expect(treeKey('ArrowLeft', state(0, toggle(open, 0)))).toBeNull();
  });

  it('Enter and Space toggle', () => {
    expect(treeKey('Enter', state(3))).toEqual({ toggle: 3 });
    expect(treeKey(' ', state(3))).toEqual({ toggle: 3 });
    expect(treeKey('Enter', state(4))).toBeNull();
    expect(treeKey('x', state(4))).toBeNull();
  });
});

describe('list keyboard', () => {
  it('moves and clamps', () => {
    expect(listKey('ArrowDown', -1, 5, 2)).toBe(0);
    expect(listKey('ArrowDown', 4, 5, 2)).toBe(4);
    expect(listKey('ArrowUp', -1, 5, 2)).toBe(4);
    expect(listKey('PageDown', 1, 5, 2)).toBe(3);
    expect(listKey('End', 0, 5, 2)).toBe(4);
    expect(listKey('Home', 3, 5, 2)).toBe(0);
    expect(listKey('ArrowDown', 0, 0, 2)).toBeNull();
    expect(listKey('a', 0, 5, 2)).toBeNull();
  });
});
