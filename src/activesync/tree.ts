// Readings the codec's tree helpers (src/wbxml: findChild, textOf) leave to their callers.
import { findChild, textOf, type WbxmlElement } from '../wbxml';

export function childElements(element: WbxmlElement): WbxmlElement[] {
  return element.children.filter((child): child is WbxmlElement => child.kind === 'element');
}

/** The text of the first child named `name`, or undefined when there is no such child. */
export function childText(parent: WbxmlElement | undefined, name: string): string | undefined {
  const found = parent && findChild(parent, name);
  return found ? textOf(found).trim() : undefined;
}

/** The value of the first child named `name` when it is an unsigned number (Status elements). */
export function childNumber(parent: WbxmlElement | undefined, name: string): number | undefined {
  const value = childText(parent, name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
