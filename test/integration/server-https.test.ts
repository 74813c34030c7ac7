import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentServer, type PaymentServer } from '../../src-main/hosts/server';
import { testApp } from '../support/stores';

/** Given a certificate and key, the payment server speaks only HTTPS (design document 5.1.1). */
describe('payment server over HTTPS', () => {
  let server: PaymentServer;
  let close: () => Promise<void>;
  let cert: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pay-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const t = await testApp('sqlite');
    close = t.close;
    server = await startPaymentServer({ app: t.app, port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8') }, clients: new Map(), log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    await close();
  });

  it('answers over TLS with the trusted certificate, and not over plain HTTP', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${server.url}/healthz`, { ca: cert }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', database: 'ok' });
    await expect(fetch(server.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
  });
});
