// HTTPS on a host name for the demo Exchange, as a real server is reached: a self-signed test
// certificate made at run time (with Debian's openssl; Node cannot write X.509 certificates),
// and the Chromium flags that send the name to loopback and accept that one certificate by the
// SHA-256 of its public key (no CA is installed, nothing else is trusted).
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo's usual host name: the reserved .test top-level domain never resolves for real. */
export const DEMO_HOSTNAME = 'mail.contoso.test';

export interface TestCertificate {
  hostname: string;
  /** PEM. */
  key: string;
  /** PEM, self-signed, with the host name as CN and subjectAltName. */
  cert: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what --ignore-certificate-errors-spki-list takes. */
  spkiSha256: string;
}

/** A fresh P-256 key and a self-signed certificate for `hostname`, valid for two days. */
export function createTestCertificate(hostname = DEMO_HOSTNAME): TestCertificate {
  if (!/^[a-z0-9.-]+$/i.test(hostname)) throw new Error(`not a host name: ${hostname}`);
  const dir = mkdtempSync(join(tmpdir(), 'demo-exchange-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '2',
          '-subj',
          `/CN=${hostname}`,
          '-addext',
          `subjectAltName=DNS:${hostname}`,
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error("openssl is needed to make the demo Exchange's test certificate. Install it with: apt-get install -y openssl", { cause: error });
      }
      throw error;
    }
    const cert = readFileSync(certFile, 'utf8');
    return { hostname, key: readFileSync(keyFile, 'utf8'), cert, spkiSha256: spkiSha256(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** base64 SHA-256 of a PEM certificate's public key (DER SubjectPublicKeyInfo). */
export function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * Chromium arguments (one array element each, no shell quoting) that resolve `hostname` to
 * `address` (any port) and accept the certificate whose key has this SPKI hash. Chromium honours
 * the SPKI list only with --user-data-dir set, which the test harness always sets.
 */
export function chromiumArgsFor(certificate: Pick<TestCertificate, 'hostname' | 'spkiSha256'>, address = '127.0.0.1'): string[] {
  return [`--host-resolver-rules=MAP ${certificate.hostname} ${address}`, `--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`];
}
