// The demo Exchange: a local imitation of OWA forms logon (2003, 2010+ and 2016 generations) and a
// minimal ActiveSync endpoint, for `npm start` and the end-to-end tests. A test and demo tool,
// not a real server.
export { startDemoExchange, startDemoExchangeOverHttps } from './server';
export { chromiumArgsFor, createTestCertificate, spkiSha256, type TestCertificate } from './tls';
export type { DemoExchange, DemoExchangeOptions } from './types';
