import { render } from 'preact';
import '../shared/base.css';

function Panel() {
  return (
    <main>
      <h1>OWA Inspector</h1>
    </main>
  );
}

render(<Panel />, document.getElementById('app')!);
