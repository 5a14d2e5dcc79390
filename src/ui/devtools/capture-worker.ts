// The panel's capture worker (capture-worker.js in the package): reads one capture file the page
// posts and posts back what capture-read.ts says. The page ends it when done or cancelled.
import { serveCaptureRead, type ReadMessage, type ReadRequest } from './capture-read';

const scope = self as unknown as { onmessage: ((event: MessageEvent<ReadRequest>) => void) | null; postMessage(message: ReadMessage, transfer: Transferable[]): void };

scope.onmessage = (event) => {
  void serveCaptureRead(event.data, (message, transfer) => scope.postMessage(message, transfer));
};
