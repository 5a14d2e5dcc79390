import { render } from 'preact';
import '../shared/base.css';

function Popup() {
  return (
    <main>
      <h1>OWA Inspector</h1>
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);
