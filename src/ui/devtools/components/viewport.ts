// Scroll position and height of a scrolling element, for the virtual list and tree.
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Viewport {
  scrollTop: number;
  height: number;
}

export function useViewport(ref: RefObject<HTMLElement | null>): [Viewport, () => void] {
  const [viewport, setViewport] = useState<Viewport>({ scrollTop: 0, height: 600 });
  const measure = (): void => {
    const el = ref.current;
    if (!el) return;
    setViewport((old) => (old.scrollTop === el.scrollTop && old.height === el.clientHeight ? old : { scrollTop: el.scrollTop, height: el.clientHeight }));
  };
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref.current]);
  return [viewport, measure];
}
