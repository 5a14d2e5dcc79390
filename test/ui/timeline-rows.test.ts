import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/messages/protocol';
import { msg } from '../../src/shared/words';
import { collapseRepeats, groupCookies } from '../../src/ui/shared/timeline-rows';

const at = (s: number) => 1_000_000 + s * 1000;
const the440 = (s: number): TimelineEvent => ({ at: at(s), kind: '440', detail: msg('bg_timeline_login_timeout'), url: 'https://m.example.com/owa/service.svc?action=GetFolder&n=' + s });

describe('timeline rows (popup and panel)', () => {
  it('a refused password retried every 5 s by the page is one row with its count, not a screenful', () => {
    const events = Array.from({ length: 12 }, (_, i) => the440(i * 5));
    const rows = collapseRepeats(events);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.repeat).toEqual({ count: 12, lastAt: at(55) });
  });

  it('another event in between, another path, or more than a minute apart starts a new row', () => {
    const failed: TimelineEvent = { at: at(6), kind: 'sign-in-failed', detail: msg('bg_timeline_login_timeout') };
    expect(collapseRepeats([the440(0), failed, the440(10)])).toHaveLength(3);
    const other = { ...the440(5), url: 'https://m.example.com/owa/ev.owa2' };
    expect(collapseRepeats([the440(0), other])).toHaveLength(2);
    expect(collapseRepeats([the440(0), the440(61)])).toHaveLength(2);
    expect(collapseRepeats([the440(0), the440(30), the440(60)])[0]!.repeat?.count).toBe(3);
  });

  it("one moment's cookies share a row, and a burst of them is grouped before it is counted", () => {
    const set = (s: number, name: string): TimelineEvent => ({ at: at(s), kind: 'cookie-set', detail: msg('bg_cookie', name) });
    const rows = groupCookies([set(0, 'cadata'), set(0.2, 'cadatakey'), set(0.4, 'uc')]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toEqual(msg('bg_cookie', 'cadata, cadatakey, uc'));
  });
});
