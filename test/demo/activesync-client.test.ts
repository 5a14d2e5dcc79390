// The demo's web ActiveSync client: its flow against the demo's endpoint, and its page.
import { afterEach, describe, expect, it } from 'vitest';
import { client } from '../integration/helpers/http-client';
import { runEasDemo } from './client/eas-web-client';
import { startDemoExchange, type DemoExchange } from './index';

let demo: DemoExchange | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

describe('the web ActiveSync client', () => {
  it.each(['14.1', '12.1', '16.1'])('runs OPTIONS, a 449, Provision in two phases, FolderSync and Sync (protocol %s)', async (version) => {
    demo = await startDemoExchange({ generation: '2016', activesync: true });
    const result = await runEasDemo({ base: demo.origin, user: 'alice', password: 'Demo-Passw0rd', deviceId: 'WEBDEMOTEST1', protocolVersion: version });
    expect(result.steps.map((s) => `${s.name} ${s.status}`)).toEqual([
      'OPTIONS 200',
      'FolderSync 449',
      'Provision (phase 1) 200',
      'Provision (phase 2) 200',
      'FolderSync 200',
      'Sync 200',
      'Sync 200',
    ]);
    expect(result.steps[1]?.summary).toContain(version === '12.1' ? 'Status none' : 'Status 142');
    expect(result.policyKey).toMatch(/^[1-9]\d*$/);
    expect(result.folders).toEqual(['Inbox', 'Drafts', 'Deleted Items', 'Sent Items', 'Outbox', 'Tasks', 'Calendar', 'Contacts']);
    expect(result.messages).toHaveLength(3);
    expect(result.messages[0]).toContain('Welcome, alice');
    const eas = demo.requests.filter((r) => r.url.startsWith('/Microsoft-Server-ActiveSync'));
    expect(eas.map((r) => `${r.method} ${new URL(r.url, demo?.origin).searchParams.get('Cmd') ?? ''}`)).toEqual([
      'OPTIONS ',
      'POST FolderSync',
      'POST Provision',
      'POST Provision',
      'POST FolderSync',
      'POST Sync',
      'POST Sync',
    ]);
    expect(eas.every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('stops at a refused password', async () => {
    demo = await startDemoExchange({ generation: '2010', activesync: true });
    await expect(runEasDemo({ base: demo.origin, user: 'alice', password: 'wrong', deviceId: 'X1' })).rejects.toThrow(/OPTIONS: 401/);
  });

  it('is a page of the mailbox, linked from it when the server has ActiveSync; its script is bundled', async () => {
    demo = await startDemoExchange({ generation: '2016', activesync: true });
    const c = client(demo.origin);
    expect((await c.get('/owa/activesync-client.aspx')).status).toBe(302);
    await c.post('/owa/auth.owa', new URLSearchParams({ destination: `${demo.origin}/owa/`, flags: '4', username: 'alice', password: 'Demo-Passw0rd' }));
    expect(await (await c.get('/owa/')).text()).toContain('data-activesync="on"');
    const page = await (await c.get('/owa/activesync-client.aspx')).text();
    expect(page).toContain('id="easRunButton"');
    expect(page).toContain('value="alice"');
    const script = await c.get('/owa/15.1.2507/scripts/activesync-client.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    const code = await script.text();
    expect(code).toContain('Microsoft-Server-ActiveSync');
    expect(code).not.toMatch(/^\s*import /m);
  });

  it('is not there without ActiveSync', async () => {
    demo = await startDemoExchange({ generation: '2016' });
    const c = client(demo.origin);
    await c.post('/owa/auth.owa', new URLSearchParams({ destination: `${demo.origin}/owa/`, flags: '4', username: 'alice', password: 'Demo-Passw0rd' }));
    expect(await (await c.get('/owa/')).text()).toContain('data-activesync=""');
    expect((await c.get('/owa/activesync-client.aspx')).status).toBe(404);
  });
});
