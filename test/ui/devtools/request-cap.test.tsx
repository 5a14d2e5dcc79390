// @vitest-environment happy-dom
// The panel's request list past its bound: it keeps the newest MAX_RECORDS, says how many of the
// oldest it dropped, and a selected row that is dropped leaves nothing selected.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/devtools/App';
import { MAX_RECORDS } from '../../../src/ui/devtools/model/request-log';
import { settle, useMountRoot } from '../setup-dom';
import { stubDevtools } from './stub-devtools';

let root: HTMLElement;
useMountRoot((el) => (root = el));

const listBody = () => root.querySelector<HTMLElement>('.list-body')!;
const note = () => root.querySelector('.request-list .list-note');
const firstRow = () => root.querySelector<HTMLElement>('.list-row');

async function mount() {
  const devtools = stubDevtools();
  await act(async () => {
    render(<App api={devtools.api} background={null} />, root);
    await settle();
  });
  return devtools;
}

describe('the request list past its bound', () => {
  it(`keeps the newest ${MAX_RECORDS}, drops the oldest and says how many`, async () => {
    const { finishPings } = await mount();
    await act(async () => {
      finishPings(MAX_RECORDS);
      await settle();
    });
    expect(listBody().dataset.rowCount).toBe(String(MAX_RECORDS));
    expect(note()).toBeNull();
    expect(firstRow()!.id).toBe('request-1');

    await act(async () => {
      finishPings(7);
      await settle();
    });
    expect(listBody().dataset.rowCount).toBe(String(MAX_RECORDS));
    expect(firstRow()!.id).toBe('request-8');
    expect(root.querySelector('#request-7')).toBeNull();
    expect(note()!.textContent).toBe(`Oldest 7 dropped: the list keeps the latest ${MAX_RECORDS} requests.`);
    expect(root.querySelector('.count')!.textContent).toBe(`${MAX_RECORDS} of ${MAX_RECORDS}`);

    // Clear starts over: no note.
    await act(async () => {
      [...root.querySelectorAll<HTMLButtonElement>('.toolbar button')].find((b) => b.textContent === 'Clear')!.click();
      await settle();
    });
    expect(listBody().dataset.rowCount).toBe('0');
    expect(note()).toBeNull();
  });

  it('a selected row that is dropped leaves nothing selected; one that stays stays selected', async () => {
    const { finishPings } = await mount();
    await act(async () => {
      finishPings(MAX_RECORDS);
      await settle();
    });
    const select = async (id: number) =>
      act(async () => {
        root.querySelector<HTMLElement>(`#request-${id}`)!.click();
        await settle();
      });
    await select(3);
    expect(root.querySelector('.list-row.selected')!.id).toBe('request-3');
    expect(root.querySelector('.detail-title')).not.toBeNull();

    await act(async () => {
      finishPings(2);
      await settle();
    });
    expect(root.querySelector('.list-row.selected')!.id).toBe('request-3');

    await act(async () => {
      finishPings(1);
      await settle();
    });
    expect(note()!.textContent).toContain('Oldest 3 dropped');
    expect(root.querySelector('.list-row.selected')).toBeNull();
    expect(listBody().getAttribute('aria-activedescendant')).toBeNull();
    expect(root.querySelector('.detail-title')).toBeNull();
    expect(root.querySelector('.empty-detail')!.textContent).toBe('Select a request to see it decoded.');
    // The keyboard starts again from the list as it is now.
    await act(async () => {
      listBody().dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
      await settle();
    });
    expect(root.querySelector('.list-row.selected')!.id).toBe('request-4');
  });
});
