// The DevTools panel page. Opened outside DevTools (in a tab), it still offers the decode box.
import { render } from 'preact';
import '../shared/base.css';
import './panel.css';
import { connector } from '../connect';
import { App } from './App';
import { devtoolsApi } from './devtools-api';

render(<App api={devtoolsApi()} background={connector} />, document.getElementById('app')!);
