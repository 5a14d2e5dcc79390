// Which Exchange generation serves an origin, guessed from URL paths and cookie names.
// The logon form's action is the strongest clue (it names the endpoint the server expects);
// paths and cookies are used until a form has been read.

export type Generation = '2003' | '2007' | '2010+' | 'unknown';

export const LOGON_POST_PATHS: Readonly<Record<Exclude<Generation, 'unknown'>, string>> = {
  '2003': '/exchweb/bin/auth/owaauth.dll',
  '2007': '/owa/auth/owaauth.dll',
  '2010+': '/owa/auth.owa',
};

/** Where a signed-out browser starts: the server redirects it from here to its logon page. */
export const ENTRY_PATHS: Readonly<Record<Generation, string>> = {
  '2003': '/exchange/',
  '2007': '/owa/',
  '2010+': '/owa/',
  unknown: '/owa/',
};

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.toLowerCase();
  } catch {
    return '';
  }
}

/** The generation a logon POST target implies. */
export function generationFromLogonAction(url: string): Generation {
  const path = pathOf(url);
  if (path.startsWith('/exchweb/bin/auth/owaauth.dll')) return '2003';
  if (path.startsWith('/owa/auth/owaauth.dll')) return '2007';
  if (path.startsWith('/owa/auth.owa')) return '2010+';
  return 'unknown';
}

/** The generation any URL of the server implies, or 'unknown' when it says nothing. */
export function generationFromUrl(url: string): Generation {
  const fromAction = generationFromLogonAction(url);
  if (fromAction !== 'unknown') return fromAction;
  const path = pathOf(url);
  if (path.startsWith('/exchweb/') || path === '/exchange' || path.startsWith('/exchange/')) return '2003';
  // logon.aspx is shared by 2007 and 2010+; *.owa handlers exist only from 2010 on.
  if (/^\/owa\/.*\.owa$/.test(path) || path.startsWith('/owa/service.svc')) return '2010+';
  return 'unknown';
}

/** Cookies that only some generations set. */
export function generationFromCookie(name: string): Generation {
  const lower = name.toLowerCase();
  if (lower === 'cadatakey' || lower === 'cadataiv' || lower === 'cadatasig' || lower === 'cadatattl') return '2010+';
  if (lower === 'x-owa-canary' || lower === 'uc') return '2010+';
  return 'unknown';
}

/** Combine what we knew with a new clue: a known generation is only replaced by a stronger one. */
export function mergeGeneration(known: Generation, clue: Generation, clueIsLogonAction = false): Generation {
  if (clue === 'unknown') return known;
  if (known === 'unknown' || clueIsLogonAction) return clue;
  return known;
}
