import { render } from 'preact';
import '../shared/base.css';
import '../shared/page.css';
import './options.css';
import { connector } from '../connect';
import { Options } from './Options';

render(<Options connector={connector} />, document.getElementById('app')!);
