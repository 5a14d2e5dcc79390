// The demo Exchange: a local imitation of OWA forms logon (2003 and 2010+ generations) and a
// minimal ActiveSync endpoint, for `npm start` and the end-to-end tests. A test and demo tool,
// not a real server.
export { startDemoExchange } from './server';
export type { DemoExchange, DemoExchangeOptions } from './types';
