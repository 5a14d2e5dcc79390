// The product's version, for what it names itself with (HAR creator, User-Agent). A test keeps it
// equal to package.json and manifest.json, so a release bumps all three or the suite fails.
export const VERSION = '0.1.0';

/** What OWA Inspector sends as User-Agent unless the user sets one. */
export const PRODUCT_USER_AGENT = `OWA-Inspector/${VERSION}`;
