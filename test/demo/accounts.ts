// The demo's user directory. Exchange accepts one account under three spellings:
// 'alice', 'CONTOSO\alice' (down-level logon name) and 'alice@contoso.com' (UPN).

export const DEFAULT_USERS: Readonly<Record<string, string>> = {
  alice: 'Demo-Passw0rd',
  bob: 'Bob-Passw0rd',
};

export const DEMO_DOMAIN = 'CONTOSO';
export const DEMO_MAIL_DOMAIN = 'contoso.com';

/** The account a logon name refers to: any domain part is dropped, case is ignored. */
export function accountName(logonName: string): string {
  let name = logonName.trim();
  const backslash = name.lastIndexOf('\\');
  if (backslash >= 0) name = name.slice(backslash + 1);
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  return name.toLowerCase();
}

export class Accounts {
  readonly #passwords = new Map<string, string>();

  constructor(users: Record<string, string>) {
    for (const [user, password] of Object.entries(users)) this.setPassword(user, password);
  }

  setPassword(user: string, password: string): void {
    const name = accountName(user);
    if (!name) throw new Error('an account needs a name');
    this.#passwords.set(name, password);
  }

  /** The account name when the credentials are right, else undefined. */
  verify(logonName: string, password: string): string | undefined {
    const name = accountName(logonName);
    const expected = this.#passwords.get(name);
    return expected !== undefined && expected === password ? name : undefined;
  }
}
