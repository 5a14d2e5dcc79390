// @vitest-environment happy-dom
// The request list follows new requests when the user has it at its end, as DevTools' Network
// panel does, and stays where it is when the user scrolled up or never scrolled (a capture file
// being read opens at its first row).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/devtools/App';
import { LIST_ROW_HEIGHT } from '../../../src/ui/devtools/components/RequestList';
import { atListEnd } from '../../../src/ui/devtools/model/virtual-window';
import { settle, useMountRoot } from '../setup-dom';
import { stubDevtools } from './stub-devtools';

/** The list's height: happy-dom lays nothing out, so the test gives it one. */
const HEIGHT = 10 * LIST_ROW_HEIGHT;

let root: HTMLElement;
useMountRoot((el) => (root = el));

const listBody = () => root.querySelector<HTMLElement>('.list-body')!;

async function mountWith(pings: number) {
  const devtools = stubDevtools();
  await act(async () => {
    render(<App api={devtools.api} background={null} />, root);
    await settle();
  });
  await act(async () => {
    devtools.finishPings(pings);
    await settle();
  });
  Object.defineProperty(listBody(), 'clientHeight', { configurable: true, value: HEIGHT });
  return devtools;
}

async function scrollTo(top: number) {
  await act(async () => {
    listBody().scrollTop = top;
    listBody().dispatchEvent(new Event('scroll'));
    await settle();
  });
}

describe('the request list and new requests', () => {
  it('follows them when the user scrolled it to its end', async () => {
    const { finishPings } = await mountWith(30);
    await scrollTo(30 * LIST_ROW_HEIGHT - HEIGHT);
    await act(async () => {
      finishPings(3);
      await settle();
    });
    expect(listBody().dataset.rowCount).toBe('33');
    expect(listBody().scrollTop).toBe(33 * LIST_ROW_HEIGHT - HEIGHT);
    // The newest row is rendered (the virtual window moved with it).
    expect(root.querySelector('#request-33')).not.toBeNull();
  });

  it('stays where the user scrolled up to', async () => {
    const { finishPings } = await mountWith(30);
    await scrollTo(5 * LIST_ROW_HEIGHT);
    await act(async () => {
      finishPings(3);
      await settle();
    });
    expect(listBody().scrollTop).toBe(5 * LIST_ROW_HEIGHT);
  });

  it('does not follow a list that has not been scrolled (it opens at its first row)', async () => {
    const { finishPings } = await mountWith(30);
    await act(async () => {
      finishPings(3);
      await settle();
    });
    expect(listBody().scrollTop).toBe(0);
  });
});

describe('atListEnd', () => {
  it('is true at the end of a list longer than its viewport, within half a row', () => {
    expect(atListEnd(30 * 24 - 240, 240, 24, 30)).toBe(true);
    expect(atListEnd(30 * 24 - 240 - 11, 240, 24, 30)).toBe(true);
    expect(atListEnd(30 * 24 - 240 - 13, 240, 24, 30)).toBe(false);
    expect(atListEnd(0, 240, 24, 10)).toBe(false); // fits: nothing to follow
    expect(atListEnd(0, 0, 24, 30)).toBe(false); // not laid out
  });
});
