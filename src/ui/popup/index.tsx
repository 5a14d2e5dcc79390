import './started';
import { render } from 'preact';
import '../shared/base.css';
import '../shared/page.css';
import './popup.css';
import { connector, openOptions } from '../connect';
import { App } from './App';

/**
 * Time from the start of navigation to the first render with the worker's data, and the part of
 * it after our script started: left on the document for the end-to-end test to print (the
 * popup users open logs nothing), never asserted.
 */
function interactive(): void {
  const ms = performance.now();
  const own = ms - (performance.getEntriesByName('popup-script-start')[0]?.startTime ?? 0);
  document.documentElement.dataset.interactiveMs = ms.toFixed(1);
  document.documentElement.dataset.ownMs = own.toFixed(1);
}

render(<App connector={connector} openOptions={openOptions} onInteractive={interactive} />, document.getElementById('app')!);
