// The decoded body as a collapsible XML tree that stays responsive on a 10 MB Sync response:
// a flat row table (model/flat-tree), only the rows in view in the DOM (model/virtual-window),
// at a fixed height, absolutely placed and keyed by row id.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CODE_PAGES } from '../../../wbxml/codepages';
import type { WbxmlElement } from '../../../wbxml/types';
import { t } from '../../shared/i18n';
import {
  collapseAll,
  expandAll,
  findRow,
  hasChildren,
  initialCollapsed,
  pathTo,
  reveal,
  rowLabel,
  toggle,
  visibleRows,
  type Collapsed,
  type FlatTree,
  type RowLabel,
} from '../model/flat-tree';
import { treeKey } from '../model/tree-keys';
import { pageSize, rowWindow, scrollToRow } from '../model/virtual-window';
import { useViewport } from './viewport';

export const TREE_ROW_HEIGHT = 20;
/** Characters of a value shown on its row; the whole value shows below the tree. */
const ROW_TEXT = 240;
const INDENT = 14;

interface XmlTreeProps {
  tree: FlatTree;
  /** Accessible name, e.g. "Response body". */
  label: string;
  /** Prefix for row ids (aria-activedescendant). */
  idPrefix: string;
}

/** Give each document its own instance (`key`): state such as the focused row belongs to one tree. */
export function XmlTree({ tree, label, idPrefix }: XmlTreeProps) {
  const [collapsed, setCollapsed] = useState<Collapsed>(() => initialCollapsed(tree));
  const [focusedState, setFocused] = useState(0);
  const focused = focusedState < tree.size ? focusedState : 0;
  /** A row to scroll into view once the rows it needs are rendered. */
  const pendingScroll = useRef<number | null>(null);
  const [query, setQuery] = useState('');
  const [notFound, setNotFound] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, measure] = useViewport(scroller);

  useEffect(() => {
    setCollapsed(initialCollapsed(tree));
    setFocused(0);
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [tree]);

  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const view = rowWindow(viewport.scrollTop, viewport.height, TREE_ROW_HEIGHT, rows.length);

  // After the rows (and the spacer's height) are rendered, bring the pending row into view.
  useLayoutEffect(() => {
    const row = pendingScroll.current;
    const el = scroller.current;
    if (row === null || !el) return;
    pendingScroll.current = null;
    const position = indexOf(rows, row);
    if (position < 0) return;
    el.scrollTop = scrollToRow(position, el.scrollTop, el.clientHeight, TREE_ROW_HEIGHT);
    measure();
  }, [rows, focused]);

  /** Focuses a row, opening its ancestors and scrolling it into view. */
  const focusRow = (row: number): void => {
    if (isHidden(tree, collapsed, row)) setCollapsed(reveal(tree, collapsed, row));
    setFocused(row);
    pendingScroll.current = row;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const action = treeKey(event.key, { tree, collapsed, rows, focused, page: pageSize(viewport.height, TREE_ROW_HEIGHT) });
    if (!action) return;
    event.preventDefault();
    if ('focus' in action) focusRow(action.focus);
    else if ('toggle' in action) setCollapsed(toggle(collapsed, action.toggle));
    else if ('expand' in action) setCollapsed(toggle(collapsed, action.expand));
    else setCollapsed(toggle(collapsed, action.collapse));
  };

  const find = (direction: 1 | -1): void => {
    const row = findRow(tree, query, focused + direction, direction);
    setNotFound(row < 0);
    if (row >= 0) focusRow(row);
  };

  const slice: Array<[row: number, position: number]> = [];
  for (let i = view.start; i < view.end; i++) slice.push([rows[i]!, i]);
  const focusedLabel = tree.size > 0 ? rowLabel(tree, focused) : undefined;

  return (
    <div class="xml-tree">
      <div class="tree-toolbar" role="toolbar" aria-label={t('panel_tree_toolbar')}>
        <button type="button" onClick={() => setCollapsed(expandAll(tree))}>
          {t('panel_expand_all')}
        </button>
        <button type="button" onClick={() => setCollapsed(collapseAll(tree))}>
          {t('panel_collapse_all')}
        </button>
        <input
          type="search"
          class="tree-find"
          placeholder={t('panel_find_in_tree')}
          aria-label={t('panel_find_in_tree')}
          value={query}
          onInput={(e) => {
            setQuery((e.target as HTMLInputElement).value);
            setNotFound(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              find(e.shiftKey ? -1 : 1);
            }
          }}
        />
        <button type="button" onClick={() => find(-1)} aria-label={t('panel_find_previous')} title={t('panel_find_previous')}>
          ↑
        </button>
        <button type="button" onClick={() => find(1)} aria-label={t('panel_find_next')} title={t('panel_find_next')}>
          ↓
        </button>
        <span class="muted" role="status">
          {notFound ? t('panel_not_found') : t('panel_tree_size', tree.size.toLocaleString('en'), rows.length.toLocaleString('en'))}
        </span>
      </div>
      <div
        class="tree"
        role="tree"
        aria-label={label}
        tabIndex={0}
        ref={scroller}
        onScroll={measure}
        onKeyDown={onKeyDown}
        aria-activedescendant={tree.size > 0 ? `${idPrefix}-${focused}` : undefined}
        data-node-count={tree.size}
        data-visible-count={rows.length}
      >
        <div class="tree-spacer" style={{ height: `${rows.length * TREE_ROW_HEIGHT}px` }}>
          {slice.map(([row, position]) => (
            <TreeRow
              key={row}
              tree={tree}
              row={row}
              top={position * TREE_ROW_HEIGHT}
              collapsed={collapsed[row] === 1}
              focused={row === focused}
              id={`${idPrefix}-${row}`}
              onFocus={() => setFocused(row)}
              onToggle={() => setCollapsed(toggle(collapsed, row))}
            />
          ))}
        </div>
      </div>
      {focusedLabel && <NodeDetails tree={tree} row={focused} label={focusedLabel} />}
    </div>
  );
}

function isHidden(tree: FlatTree, collapsed: Collapsed, row: number): boolean {
  for (let p = tree.parent[row]!; p >= 0; p = tree.parent[p]!) if (collapsed[p]) return true;
  return false;
}

/** Position of a row in the visible rows (which are in document order). */
function indexOf(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] === row) return mid;
    if (rows[mid]! < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function elementName(tree: FlatTree, row: number, name: string): string {
  const node = tree.node[row] as WbxmlElement;
  const rootPage = (tree.node[0] as WbxmlElement | undefined)?.page ?? node.page;
  if (node.page === rootPage || node.token < 0) return name;
  return `${CODE_PAGES[node.page]?.prefix ?? `cp${node.page}`}:${name}`;
}

function describeRow(tree: FlatTree, row: number): string {
  const node = tree.node[row]!;
  const offset = node.offset >= 0 ? t('panel_byte_offset', node.offset) : '';
  if (node.kind !== 'element') return `${node.kind}${offset ? ` — ${offset}` : ''}`;
  const token = node.token >= 0 ? `0x${node.token.toString(16).padStart(2, '0')}` : 'LITERAL';
  return `${node.namespace}:${node.name} — ${t('panel_code_page', node.page, node.namespace)}, ${t('panel_token', token)}${offset ? `, ${offset}` : ''}`;
}

interface TreeRowProps {
  tree: FlatTree;
  row: number;
  top: number;
  collapsed: boolean;
  focused: boolean;
  id: string;
  onFocus(): void;
  onToggle(): void;
}

function TreeRow({ tree, row, top, collapsed, focused, id, onFocus, onToggle }: TreeRowProps) {
  const label = rowLabel(tree, row);
  const children = hasChildren(tree, row);
  const depth = tree.depth[row]!;
  return (
    <div
      role="treeitem"
      id={id}
      class={`tree-row${focused ? ' focused' : ''}`}
      style={{ top: `${top}px`, paddingLeft: `${depth * INDENT + 4}px` }}
      aria-level={depth + 1}
      aria-expanded={children ? !collapsed : undefined}
      aria-selected={focused}
      title={describeRow(tree, row)}
      onClick={onFocus}
      onDblClick={children ? onToggle : undefined}
    >
      <span
        class="twisty"
        aria-hidden="true"
        onClick={
          children
            ? (e) => {
                e.stopPropagation();
                onFocus();
                onToggle();
              }
            : undefined
        }
      >
        {children ? (collapsed ? '▸' : '▾') : ''}
      </span>
      <RowContent tree={tree} row={row} label={label} collapsed={collapsed} children={children} />
    </div>
  );
}

function shorten(text: string): string {
  const oneLine = text.length > ROW_TEXT ? `${text.slice(0, ROW_TEXT)}…` : text;
  return oneLine.replace(/\s*\n\s*/g, ' ⏎ ');
}

function RowContent({ tree, row, label, collapsed, children }: { tree: FlatTree; row: number; label: RowLabel; collapsed: boolean; children: boolean }) {
  if (label.kind === 'content') {
    return <span class={`value ${label.value.kind}`}>{shorten(label.value.text)}</span>;
  }
  const name = elementName(tree, row, label.name);
  const nameClass = label.known ? 'name' : 'name unknown';
  const xmlns = label.namespace && tree.parent[row]! < 0 ? <span class="ns"> xmlns="{label.namespace}:"</span> : null;
  if (label.childCount === 0) {
    return (
      <span class="tag">
        &lt;<span class={nameClass}>{name}</span>
        {xmlns}/&gt;
      </span>
    );
  }
  const open = (
    <span class="tag">
      &lt;<span class={nameClass}>{name}</span>
      {xmlns}&gt;
    </span>
  );
  const close = (
    <span class="tag">
      &lt;/<span class={nameClass}>{name}</span>&gt;
    </span>
  );
  if (!children) {
    return (
      <>
        {open}
        <span class={`value ${label.value.kind}`}>{shorten(label.value.text)}</span>
        {label.value.kind === 'hex' && <span class="chip">{t('panel_hex_bytes', label.value.bytes ?? 0)}</span>}
        {label.value.carried === 'string' && (
          <span class="chip warning" title={t('panel_text_in_bytes_title')}>
            {t('panel_text_in_bytes')}
          </span>
        )}
        {close}
      </>
    );
  }
  return (
    <>
      {open}
      {collapsed && (
        <>
          <span class="ellipsis">…</span>
          {close}
          <span class="count">{t('panel_children', label.childCount.toLocaleString('en'))}</span>
        </>
      )}
    </>
  );
}

/** The focused row's path and, for long or binary values, the whole value. */
function NodeDetails({ tree, row, label }: { tree: FlatTree; row: number; label: RowLabel }) {
  const path = pathTo(tree, row).join(' › ');
  const long = label.value.kind === 'hex' || label.value.text.length > 80 || label.value.text.includes('\n');
  return (
    <div class="node-details">
      <div class="node-path">{path}</div>
      {long && <pre class={`node-value ${label.value.kind}`}>{label.value.text}</pre>}
    </div>
  );
}
