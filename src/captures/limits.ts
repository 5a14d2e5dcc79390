// The sizes a reader refuses to go past, so that a damaged or hostile file cannot make it
// allocate without bound (a 4 GB length in a SAZ header, a zip bomb, a 10 GB chunk size).

/** Most bytes one body may have once transfer and content encodings are undone. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * Most bytes one HAR entry, mitmproxy flow or log record may have before it is parsed. V8 cannot
 * hold a string of more than about 512 M characters; an entry is decoded to one string.
 */
export const MAX_RECORD_BYTES = 384 * 1024 * 1024;

/** Most problems kept per file: a file damaged everywhere says so once per place, up to this. */
export const MAX_PROBLEMS = 200;
