import { describe, expect, it } from 'vitest';
import { signIn } from '../../src/background/sign-in';
import { FakeOwa, LOGON_2010, LOGON_2016, ORIGIN } from './fakes';

const request = { origin: ORIGIN, generation: '2010+' as const, logonUrl: null, credential: { username: 'alice', password: 'right-password' }, privateComputer: true };

describe('signIn', () => {
  it('loads the logon page, posts the real form and sees fresh cookies', async () => {
    const owa = new FakeOwa();
    const result = await signIn(owa.signInDeps(), request);
    expect(result).toEqual({ outcome: 'success', generation: '2010+', posted: true, computer: 'private' });
    expect(owa.requests[0]).toBe(`GET ${ORIGIN}/owa/`);
    expect(owa.posts).toHaveLength(1);
    const body = new URLSearchParams(owa.posts[0]!.body);
    expect(owa.posts[0]!.url).toBe(`${ORIGIN}/owa/auth.owa`);
    expect(body.get('flags')).toBe('4');
    expect(body.get('destination')).toBe(`${ORIGIN}/owa/`);
    expect(owa.posts[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it("keeps a 2013 SP1+ page's private session: hidden flags=4 is posted even when the setting says public", async () => {
    const owa = new FakeOwa();
    owa.logonHtml = LOGON_2016;
    const result = await signIn(owa.signInDeps(), { ...request, privateComputer: false });
    expect(result).toMatchObject({ outcome: 'success' });
    const body = new URLSearchParams(owa.posts[0]!.body);
    expect(body.get('flags')).toBe('4');
    expect(body.has('trusted')).toBe(false);
  });

  it('where the page offers the choice, the setting decides (public here)', async () => {
    const owa = new FakeOwa();
    await signIn(owa.signInDeps(), { ...request, privateComputer: false });
    const body = new URLSearchParams(owa.posts[0]!.body);
    expect(body.get('flags')).toBe('0');
    expect(body.get('trusted')).toBe('0');
  });

  it('judges by the cookies the POST set: a late 440 clearing them at once does not fail the sign-in, and they are put back', async () => {
    const owa = new FakeOwa();
    // A 440 answering a tab's earlier request clears the fresh cookie as soon as it is set.
    owa.afterPost = () => owa.jar.delete('cadata');
    const result = await signIn(owa.signInDeps({ catching: true }), request);
    expect(result).toMatchObject({ outcome: 'success', posted: true, cookies: [{ name: 'cadata', value: 'fresh-cadata-1' }] });
    expect(owa.jar.get('cadata')).toBe('fresh-cadata-1');
    expect(owa.restored).toEqual(['cadata']);
    expect(owa.posts).toHaveLength(1);
  });

  it('waits for every cookie the answer set when the browser reports them after the POST settled, and puts all back', async () => {
    const owa = new FakeOwa();
    owa.postCookies = ['cadata', 'cadataKey', 'X-OWA-CANARY'];
    // The late 440 clears them all before the worker hears of any.
    owa.afterPost = () => owa.jar.clear();
    const result = await signIn(owa.signInDeps({ catching: true, lateEvents: true }), request);
    expect(result).toMatchObject({ outcome: 'success', posted: true });
    expect(result.outcome === 'success' && result.cookies?.map((c) => c.name).sort()).toEqual(['X-OWA-CANARY', 'cadata', 'cadataKey']);
    expect([...owa.jar.keys()].sort()).toEqual(['X-OWA-CANARY', 'cadata', 'cadataKey']);
    expect(owa.restored.sort()).toEqual(['X-OWA-CANARY', 'cadata', 'cadataKey']);
  });

  it("waits for the tabs' unanswered requests before it posts, not before it reads the form", async () => {
    const owa = new FakeOwa();
    const deps = owa.signInDeps();
    const order: string[] = [];
    const fetch = deps.fetch;
    await signIn(
      {
        ...deps,
        fetch: (input, init) => {
          order.push(init?.method ?? 'GET');
          return fetch(input, init);
        },
        waitForTabRequests: async () => void order.push('wait'),
      },
      request,
    );
    expect(order).toEqual(['GET', 'wait', 'POST']);
  });

  it('without cookie catching, the same late clearing is a failed attempt (what the jar alone shows)', async () => {
    const owa = new FakeOwa();
    owa.afterPost = () => owa.jar.delete('cadata');
    expect(await signIn(owa.signInDeps(), request)).toEqual({ outcome: 'error', detail: { key: 'bg_error_no_fresh_cookies' } });
  });

  it('a rejected password catches nothing and restores nothing', async () => {
    const owa = new FakeOwa();
    owa.password = 'changed';
    expect(await signIn(owa.signInDeps({ catching: true }), request)).toEqual({ outcome: 'rejected' });
    expect(owa.restored).toEqual([]);
  });

  it('reports reason=2 as rejected', async () => {
    const owa = new FakeOwa();
    owa.password = 'changed';
    expect(await signIn(owa.signInDeps(), request)).toEqual({ outcome: 'rejected' });
    expect(owa.posts).toHaveLength(1);
  });

  it('posts nothing when sent to AD FS, Entra ID or an HTTP logon page', async () => {
    for (const [page, why] of [
      ['https://sts.example.com/adfs/ls/?wa=wsignin1.0', 'adfs'],
      ['https://login.microsoftonline.com/common/oauth2/authorize', 'entra'],
      [`${ORIGIN}/CookieAuth.dll?GetLogon?curl=Z2Fowa`, 'tmg'],
    ] as const) {
      const owa = new FakeOwa();
      owa.logonPage = page;
      expect(await signIn(owa.signInDeps(), request)).toEqual({ outcome: 'forms-unavailable', why });
      expect(owa.posts).toEqual([]);
    }
    const owa = new FakeOwa();
    expect(await signIn(owa.signInDeps(), { ...request, origin: 'http://mail.example.com' })).toEqual({ outcome: 'forms-unavailable', why: 'insecure-http' });
    expect(owa.requests).toEqual([]);
  });

  it('posts nothing when the logon page sends the form elsewhere', async () => {
    const owa = new FakeOwa();
    const original = owa.fetch;
    owa.fetch = async (input, init) => {
      const response = await original(input, init);
      if (init?.method === 'POST') return response;
      const evil = new Response(LOGON_2010.replace('/owa/auth.owa', 'https://evil.example/owa/auth.owa'));
      Object.defineProperty(evil, 'url', { value: response.url });
      return evil;
    };
    expect(await signIn({ fetch: owa.fetch, cookies: owa.cookies }, request)).toMatchObject({ outcome: 'error', detail: { key: 'bg_error_form_refused', subs: ['foreign-action'] } });
    expect(owa.posts).toEqual([]);
  });

  it('does not post when the session is already back (signed in elsewhere)', async () => {
    const owa = new FakeOwa();
    owa.jar.set('cadata', 'existing');
    expect(await signIn(owa.signInDeps(), request)).toEqual({ outcome: 'success', generation: '2010+', posted: false });
    expect(owa.posts).toEqual([]);
  });

  it('wants fresh cookies: an answer that sets none is an error', async () => {
    const owa = new FakeOwa();
    const original = owa.fetch;
    owa.fetch = async (input, init) => {
      const response = await original(input, init);
      if (init?.method === 'POST') owa.jar.delete('cadata');
      return response;
    };
    expect(await signIn({ fetch: owa.fetch, cookies: owa.cookies }, request)).toMatchObject({ outcome: 'error' });
  });

  it('sets Origin/Referer only around the POST', async () => {
    const owa = new FakeOwa();
    const calls: string[] = [];
    const deps = {
      ...owa.signInDeps(),
      spoofFormOrigin: async (action: string, origin: string, referer: string) => {
        calls.push(`on ${action} ${origin} ${referer}`);
        return async () => void calls.push('off');
      },
    };
    await signIn(deps, request);
    expect(calls).toEqual([`on ${ORIGIN}/owa/auth.owa ${ORIGIN} ${owa.logonPage}`, 'off']);
  });

  describe('a redirect answering the logon POST (a hostile or misconfigured front end)', () => {
    const foreign = [
      [307, 'http://collector.example/steal'],
      [308, 'https://collector.example/owa/auth.owa'],
      [307, 'http://mail.example.com/owa/auth.owa'],
      [302, 'https://collector.example/owa/'],
    ] as const;
    it.each(foreign)('HTTP %i to %s: the password goes nowhere else, and the outcome says where it was sent', async (status, location) => {
      const owa = new FakeOwa();
      owa.postRedirect = { status, location };
      const result = await signIn(owa.signInDeps({ catching: true }), request);
      expect(result).toEqual({ outcome: 'unsafe-redirect', status, location: `${new URL(location).origin}${new URL(location).pathname}` });
      expect(owa.posts.map((p) => p.url)).toEqual([`${ORIGIN}/owa/auth.owa`]);
      expect(owa.requests.filter((r) => !r.includes('//mail.example.com/'))).toEqual([]);
    });

    it('a relative 307 to the same origin is not followed; fresh cookies make it a success', async () => {
      const owa = new FakeOwa();
      const original = owa.fetch;
      owa.fetch = async (input, init) => {
        if (init?.method !== 'POST') return original(input, init);
        owa.posts.push({ url: String(input), body: String(init.body), headers: {} });
        owa.set('cadata', 'fresh-after-307');
        return new Response(null, { status: 307, headers: { location: '/owa/auth.owa?again=1' } });
      };
      expect(await signIn(owa.signInDeps({ catching: true }), request)).toMatchObject({ outcome: 'success', posted: true });
      expect(owa.posts).toHaveLength(1);
    });

    it("a browser's opaque redirect is judged by what the browser saw of it (watchAnswer)", async () => {
      for (const [location, expected] of [
        [`${ORIGIN}/owa/auth/logon.aspx?reason=2`, { outcome: 'rejected' }],
        ['http://collector.example/x?user=alice', { outcome: 'unsafe-redirect', status: 307, location: 'http://collector.example/x' }],
      ] as const) {
        const owa = new FakeOwa();
        const original = owa.fetch;
        owa.fetch = async (input, init) => {
          if (init?.method !== 'POST') return original(input, init);
          expect(init.redirect).toBe('manual');
          return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
        };
        const watched: string[] = [];
        const deps = {
          ...owa.signInDeps(),
          watchAnswer: (action: string) => {
            watched.push(action);
            return async () => ({ status: location.startsWith('http://') ? 307 : 302, location, cookies: [] });
          },
        };
        expect(await signIn(deps, request)).toEqual(expected);
        expect(watched).toEqual([`${ORIGIN}/owa/auth.owa`]);
      }
    });

    it('an opaque redirect nobody saw: fresh cookies decide, nothing is followed', async () => {
      const owa = new FakeOwa();
      const original = owa.fetch;
      owa.fetch = async (input, init) => {
        if (init?.method !== 'POST') return original(input, init);
        return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
      };
      expect(await signIn(owa.signInDeps(), request)).toMatchObject({ outcome: 'error', detail: { key: 'bg_error_redirect_unknown' } });
    });
  });
});
