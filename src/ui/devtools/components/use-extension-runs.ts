// The extension's own ActiveSync runs as records of the panel: the runs come on EAS_PORT (bodies
// as XML); their raw bodies, while the worker still holds them, are asked for once per change
// (`ui-bg-eas-bodies`), so the bodies show as trees like the tab's.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EasRunView } from '../../../messages/protocol';
import { recordsFromRuns, type StepBytes } from '../model/extension-record';
import type { EasRecord } from '../model/record';
import type { BackgroundSource } from '../session-watch';

export function useExtensionRuns(background: BackgroundSource | null, newId: () => number): EasRecord[] {
  const [records, setRecords] = useState<EasRecord[]>([]);
  const ids = useRef(new Map<string, number>());

  useEffect(() => {
    if (!background) return undefined;
    let latest = 0;
    const idOf = (key: string): number => {
      let id = ids.current.get(key);
      if (id === undefined) {
        id = newId();
        ids.current.set(key, id);
      }
      return id;
    };
    const onRuns = (runs: EasRunView[]): void => {
      const asked = ++latest;
      setRecords(recordsFromRuns(runs, idOf));
      void background
        .send({ type: 'ui-bg-eas-bodies' })
        .then((reply) => {
          if (asked !== latest || reply.type !== 'bg-ui-eas-bodies') return;
          const bytes = new Map<string, StepBytes>();
          for (const b of reply.bodies) bytes.set(`${b.runId}:${b.step}`, { ...(b.request ? { request: b.request } : {}), ...(b.response ? { response: b.response } : {}) });
          setRecords(recordsFromRuns(runs, idOf, bytes));
        })
        .catch(() => undefined);
    };
    try {
      return background.subscribeEas(onRuns);
    } catch {
      return undefined;
    }
  }, [background]);

  return records;
}
