// Keyboard moves in the tree (WAI-ARIA tree pattern): arrows, Home, End, Page Up/Down,
// Enter/Space to toggle. Pure: from the focused row and the visible rows to what happens.
import { hasChildren, type Collapsed, type FlatTree } from './flat-tree';

export type TreeAction = { focus: number } | { toggle: number } | { expand: number } | { collapse: number } | null;

export interface TreeKeyState {
  tree: FlatTree;
  collapsed: Collapsed;
  /** Visible rows (tree row numbers) in order. */
  rows: Int32Array;
  /** Focused tree row. */
  focused: number;
  /** Rows per page. */
  page: number;
}

function positionOf(rows: Int32Array, row: number): number {
  // Visible rows are in document order: binary search.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = rows[mid]!;
    if (value === row) return mid;
    if (value < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function treeKey(key: string, state: TreeKeyState): TreeAction {
  const { tree, collapsed, rows, focused, page } = state;
  if (rows.length === 0) return null;
  const at = Math.max(0, positionOf(rows, focused));
  const move = (to: number): TreeAction => ({ focus: rows[Math.max(0, Math.min(rows.length - 1, to))]! });
  switch (key) {
    case 'ArrowDown':
      return move(at + 1);
    case 'ArrowUp':
      return move(at - 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(rows.length - 1);
    case 'PageDown':
      return move(at + page);
    case 'PageUp':
      return move(at - page);
    case 'ArrowRight':
      if (!hasChildren(tree, focused)) return null;
      return collapsed[focused] ? { expand: focused } : { focus: focused + 1 };
    case 'ArrowLeft':
      if (hasChildren(tree, focused) && !collapsed[focused]) return { collapse: focused };
      return tree.parent[focused]! >= 0 ? { focus: tree.parent[focused]! } : null;
    case 'Enter':
    case ' ':
      return hasChildren(tree, focused) ? { toggle: focused } : null;
    default:
      return null;
  }
}

/** Keyboard moves in a flat list: the index to select next, or null. */
export function listKey(key: string, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index < 0 ? count - 1 : index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return clamp(index + page);
    case 'PageUp':
      return clamp(index - page);
    default:
      return null;
  }
}
