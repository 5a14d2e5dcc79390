import { render } from 'preact';
import '../shared/base.css';
import { connector } from '../connect';
import { SessionsSection } from './sessions';

function Options() {
  return (
    <main>
      <h1>OWA Inspector</h1>
      <SessionsSection connector={connector} />
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
