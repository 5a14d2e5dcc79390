// The demo Exchange over HTTPS on a host name, with a certificate made at test time.
import { request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgsFor, createTestCertificate, spkiSha256, startDemoExchange, type DemoExchange, type TestCertificate } from './index';

let certificate: TestCertificate;
let demo: DemoExchange;

beforeAll(async () => {
  certificate = createTestCertificate('mail.contoso.test');
  demo = await startDemoExchange({ generation: '2016', host: '127.0.0.1', hostname: certificate.hostname, tls: certificate });
});
afterAll(() => demo?.close());

/** A GET to the demo by name, the name resolved to its address and the certificate trusted by itself alone. */
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: demo.address.host,
        port: demo.address.port,
        path,
        servername: certificate.hostname,
        headers: { host: new URL(demo.origin).host },
        ca: certificate.cert,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('demo Exchange over HTTPS on a host name', () => {
  it('names itself https://mail.contoso.test:<port> and redirects to its logon page there', async () => {
    expect(demo.origin).toBe(`https://mail.contoso.test:${demo.address.port}`);
    const response = await get('/owa/');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${demo.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo.origin}/owa/`)}&reason=0`);
  });

  it('sets Secure auth cookies over HTTPS', async () => {
    const body = new URLSearchParams({ destination: `${demo.origin}/owa/`, flags: '4', username: 'alice', password: 'Demo-Passw0rd' }).toString();
    const cookies = await new Promise<string[]>((resolve, reject) => {
      const req = request(
        {
          host: demo.address.host,
          port: demo.address.port,
          path: '/owa/auth.owa',
          method: 'POST',
          servername: certificate.hostname,
          ca: certificate.cert,
          headers: { host: new URL(demo.origin).host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve(res.headers['set-cookie'] ?? []);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(cookies.length).toBeGreaterThanOrEqual(5);
    for (const line of cookies) expect(line).toMatch(/; Secure$/);
  });

  it('presents the certificate whose SPKI hash the Chromium flags name', async () => {
    const spki = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: demo.address.host, port: demo.address.port, servername: certificate.hostname, ca: certificate.cert }, () => {
        const peer = socket.getPeerX509Certificate();
        socket.end();
        if (!peer) reject(new Error('no peer certificate'));
        else resolve(peer.toString());
      });
      socket.on('error', reject);
    });
    expect(spkiSha256(spki)).toBe(certificate.spkiSha256);
    expect(chromiumArgsFor(certificate, demo.address.host)).toEqual([
      '--host-resolver-rules=MAP mail.contoso.test 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`,
    ]);
    expect(certificate.spkiSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
