// Imported first by index.tsx, so it runs before Preact and the app are evaluated: the mark
// splits the popup's opening time into the browser's share (creating the page, up to here) and
// ours (evaluating the bundle, rendering, the worker's first reply).
performance.mark('popup-script-start');
