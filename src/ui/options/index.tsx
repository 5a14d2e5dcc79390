import { render } from 'preact';
import '../shared/base.css';

function Options() {
  return (
    <main>
      <h1>OWA Inspector</h1>
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
