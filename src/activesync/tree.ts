// The small slice of the WBXML tree the ActiveSync core reads and builds. It is shaped like the
// codec's own nodes (src/wbxml: kind, namespace = code page name, name, children), so a decoded
// document can be read directly and a built one handed to the codec's encoder.

export interface EasElement {
  kind: 'element';
  /** The code page name, e.g. "Provision", "Settings", "AirSync". */
  namespace: string;
  name: string;
  children: EasNode[];
}
export interface EasText {
  kind: 'text';
  value: string;
}
export interface EasOpaque {
  kind: 'opaque';
  bytes: Uint8Array;
}
export type EasNode = EasElement | EasText | EasOpaque;

/** `el('Provision:PolicyType', 'MS-EAS-Provisioning-WBXML')`: an element from "Page:Name". */
export function el(qualifiedName: string, ...children: Array<EasNode | string | undefined>): EasElement {
  const colon = qualifiedName.indexOf(':');
  if (colon <= 0) throw new Error(`element name "${qualifiedName}" needs its code page, as in "Provision:Status"`);
  return {
    kind: 'element',
    namespace: qualifiedName.slice(0, colon),
    name: qualifiedName.slice(colon + 1),
    children: children
      .filter((child): child is EasNode | string => child !== undefined)
      .map((child) => (typeof child === 'string' ? { kind: 'text', value: child } : child)),
  };
}

export function childElements(element: EasElement): EasElement[] {
  return element.children.filter((child): child is EasElement => child.kind === 'element');
}

/** First child named `name` ("Status") or `Page:Name` ("AirSync:Status"). */
export function child(element: EasElement, name: string): EasElement | undefined {
  const colon = name.indexOf(':');
  const page = colon > 0 ? name.slice(0, colon) : undefined;
  const local = colon > 0 ? name.slice(colon + 1) : name;
  return childElements(element).find((c) => c.name === local && (page === undefined || c.namespace === page));
}

/** The text content of an element (its text children joined), or undefined when it has none. */
export function text(element: EasElement | undefined): string | undefined {
  if (!element) return undefined;
  const parts = element.children.filter((c): c is EasText => c.kind === 'text').map((c) => c.value);
  return parts.length ? parts.join('') : undefined;
}
