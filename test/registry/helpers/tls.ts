// Self-signed certificates for the tests, made with openssl (Debian's openssl package).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

/** An RSA key and a self-signed certificate valid for two days, with the given subject alternative names. */
export function selfSignedCert(dir: string, name: string, cn: string, altNames: string[] = []): TestCert {
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${cn}`];
  if (altNames.length) args.push('-addext', `subjectAltName=${altNames.join(',')}`);
  execFileSync('openssl', args, { stdio: 'pipe' });
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}
