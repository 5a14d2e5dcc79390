// The search box's work: the filtered records searched inside their decoded bodies, slice by
// slice (model/search.ts), with progress and a cancel; a new search cancels the one running.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EasRecord } from '../model/record';
import { searchBodies } from '../model/search';

export interface SearchState {
  /** Matching ids, so far while `running`; null when there is nothing to search for. */
  matches: ReadonlySet<number> | null;
  running: boolean;
  cancelled: boolean;
  done: number;
  total: number;
}

const IDLE: SearchState = { matches: null, running: false, cancelled: false, done: 0, total: 0 };

export function useSearch(records: readonly EasRecord[], needle: string, bodyText: (record: EasRecord) => string): [SearchState, () => void] {
  const [state, setState] = useState<SearchState>(IDLE);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (needle.trim() === '') {
      setState(IDLE);
      return undefined;
    }
    const current = new AbortController();
    let shownAt = performance.now();
    let latest: { done: number; matches: ReadonlySet<number> } = { done: 0, matches: new Set() };
    controller.current = current;
    setState({ matches: new Set(), running: true, cancelled: false, done: 0, total: records.length });
    searchBodies(records, needle, bodyText, {
      signal: current.signal,
      onProgress: ({ done, total, matches }) => {
        if (current.signal.aborted) return;
        latest = { done, matches };
        // A re-render filters the whole list: ten a second are plenty for a progress bar.
        const now = performance.now();
        if (done < total && now - shownAt < 100) return;
        shownAt = now;
        setState({ matches, running: done < total, cancelled: false, done, total });
      },
    }).catch(() => {
      // Cancelled: the matches found so far stay shown, marked as such.
      setState((old) => (controller.current === current ? { ...old, ...latest, running: false, cancelled: true } : old));
    });
    return () => current.abort();
  }, [records, needle]);

  return [state, () => controller.current?.abort()];
}
