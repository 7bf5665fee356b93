/**
 * A throwaway self-signed certificate for 127.0.0.1, made with `openssl` at run time: RSA
 * 2048 like api.telegram.org's, so a TLS handshake costs about what it costs there.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface CertFiles {
  key: string;
  cert: string;
}

/** Writes key.pem and cert.pem into `dir`; throws with a hint when openssl is missing. */
export function makeLoopbackCert(dir: string): CertFiles {
  const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    files.key,
    '-out',
    files.cert,
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ];
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'openssl is not on PATH' : String((err as Error).message);
    throw new Error(`could not make a TLS certificate for the emulator: ${why}`);
  }
  return files;
}
