// Which rows of a fixed-row-height list are in view: the maths behind the virtual list and tree.

export interface RowWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

/**
 * Rows in view for a scroll position, plus `overscan` rows either side so fast scrolling does
 * not show gaps. Never more than ceil(viewport / rowHeight) + 1 + 2 * overscan rows, however
 * long the list.
 */
export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first, count - 1) - overscan);
  const end = Math.min(count, first + inView + overscan);
  return { start, end: Math.max(start, end) };
}

/** The scroll position that brings a row fully into view, moving as little as possible. */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Rows a Page Up / Page Down moves by. */
export function pageSize(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/**
 * Whether a list is scrolled to its end (its last row shown, within half a row) and longer than
 * its viewport: then rows added at the end keep it at the end, as DevTools' Network panel does
 * for live traffic. A list that still fits, e.g. one being filled from a file, does not follow,
 * so a capture opens at its first row.
 */
export function atListEnd(scrollTop: number, viewportHeight: number, rowHeight: number, count: number): boolean {
  const content = count * rowHeight;
  return viewportHeight > 0 && content > viewportHeight && scrollTop + viewportHeight >= content - rowHeight / 2;
}
