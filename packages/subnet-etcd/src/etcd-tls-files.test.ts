import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlannelError } from '@flannel-ts/core';
import { createTestPki, type TestPki } from '@flannel-ts/etcd-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEtcdTlsFiles } from './etcd-tls-files.js';

const MARKER = 'KEYMATERIALmustNEVERbePRINTED';
let pki: TestPki;
const file = (name: string): string => pki.file(name);
const write = (name: string, content: string): string => {
  const path = join(pki.dir, name);
  writeFileSync(path, content);
  return path;
};

function errorOf(call: () => unknown): FlannelError {
  try {
    call();
  } catch (error) {
    if (FlannelError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FlannelError');
}

/** The message and every cause's message, as a log line would show them. */
function everything(error: FlannelError): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message, String(current.stack));
  return parts.join('\n');
}

beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki?.remove());

describe('readEtcdTlsFiles', () => {
  it('returns the key pair and the CA of a valid set of files', () => {
    const tls = readEtcdTlsFiles({ keyFile: file('client.key'), certFile: file('client.crt'), caFile: file('ca.crt') });
    expect(tls.key).toEqual(readFileSync(file('client.key')));
    expect(tls.cert).toEqual(readFileSync(file('client.crt')));
    expect(tls.ca).toEqual(readFileSync(file('ca.crt')));
  });

  it('refuses a key file that is no PEM private key, naming the flag and file, never the content', () => {
    const keyFile = write('garbled.key', `-----BEGIN PRIVATE KEY-----\n${MARKER}==\n-----END PRIVATE KEY-----\n`);
    const error = errorOf(() => readEtcdTlsFiles({ keyFile, certFile: file('client.crt') }));
    expect(error.code).toBe('FLAG_INVALID');
    expect(error.message).toMatch(/^etcd keyfile \S+garbled\.key is invalid: must be a PEM private key, unencrypted \(error:[0-9A-F]{8}:DECODER routines::unsupported\)$/u);
    expect(everything(error)).not.toContain(MARKER);
  });

  it('refuses a certificate file that holds a key instead', () => {
    const error = errorOf(() => readEtcdTlsFiles({ keyFile: file('client.key'), certFile: file('client.key') }));
    expect(error.message).toMatch(/^etcd certfile \S+client\.key is invalid: must be a PEM certificate \(error:[0-9A-F]{8}:PEM routines::no start line\)$/u);
    expect(everything(error)).not.toContain(readFileSync(file('client.key'), 'latin1').split('\n')[1]);
  });

  it('refuses a key that is not the certificate\'s', () => {
    const error = errorOf(() => readEtcdTlsFiles({ keyFile: file('server.key'), certFile: file('client.crt') }));
    expect(error.message.startsWith(`etcd keyfile ${file('server.key')} is invalid: must be the private key of etcd certfile ${file('client.crt')} (error:`)).toBe(true);
    expect(error.message).toMatch(/ routines::key values mismatch\)$/u);
  });

  it('refuses a CA file without any certificate, and one whose certificate does not parse', () => {
    const empty = write('empty-ca.crt', `not a certificate ${MARKER}\n`);
    expect(errorOf(() => readEtcdTlsFiles({ caFile: empty })).message).toBe(
      `etcd cafile ${empty} is invalid: must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
    const broken = write('broken-ca.crt', `${readFileSync(file('ca.crt'), 'latin1')}-----BEGIN CERTIFICATE-----\n${MARKER}\n-----END CERTIFICATE-----\n`);
    const error = errorOf(() => readEtcdTlsFiles({ caFile: broken }));
    expect(error.message).toMatch(/^etcd cafile \S+broken-ca\.crt is invalid: certificate 2 must be a valid PEM certificate \(/u);
    expect(everything(error)).not.toContain(MARKER);
  });

  it('names the unreadable file', () => {
    expect(errorOf(() => readEtcdTlsFiles({ keyFile: file('nope.key'), certFile: file('client.crt') })).message).toMatch(
      /^etcd keyfile \S+nope\.key is invalid: cannot read it \(ENOENT\)$/u,
    );
  });
});
