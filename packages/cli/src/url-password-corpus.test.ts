// Issue 9 item 6: a password in a malformed etcd endpoint URL reaches no output — not the usage error,
// not the options handed to the daemon — whether given as a flag or as FLANNELD_ETCD_ENDPOINTS.
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

const MARK = 'SEKRITMARK';

/** Malformed (and a few well-formed) endpoint values, each carrying the marker where a password would be. */
const CORPUS = [
  `http://u:${MARK}/x@host:2379`,
  `http://u:${MARK} x@x:1`,
  `http://u:${MARK}@x@[::1`,
  `http://u:${MARK}@[::1`,
  `http://u:${MARK}@host:99999`,
  `http://u:${MARK}@host:2379/`,
  `https://u:${MARK}@host:2379`,
  `http://u:${MARK},x@host:2379`,
  `http://u:${MARK}"x@host:2379`,
  `http://u:${MARK}\\x@host:2379`,
  `http://u:${MARK}@`,
  `http://:${MARK}@host`,
  `http:/u:${MARK}@host:2379`,
  `http:u:${MARK}@host:2379`,
  `ftp://u:${MARK}@host:2379`,
  `http://u:${MARK}@host:2379,http://v:${MARK}@other:2379`,
  `http://ok:2379,http://u:${MARK}@bad host`,
  `u:${MARK}@host:2379`,
  `//u:${MARK}@host:2379`,
  `http://u:${MARK}%zz@host`,
  `http://u:${MARK}\n@host`,
  `http://u:${MARK}\t@host`,
  `unix://u:${MARK}@/run/etcd.sock`,
  `http://u:${MARK}@host:2379\u0000`,
];

async function run(argv: string[], env: Record<string, string> = {}) {
  let output = '';
  const io: CliIo = { stdout: { write: (text: string) => (output += text) }, stderr: { write: (text: string) => (output += text) }, env };
  const status = await main(argv, io, {
    signal: AbortSignal.abort(),
    runDaemon: async (options) => {
      output += JSON.stringify(options);
      return 0;
    },
  });
  return { status, output };
}

describe('usage errors and malformed endpoint URLs', () => {
  it.each(CORPUS)('never print the password of %j given as a flag', async (value) => {
    const { output } = await run([`--etcd-endpoints=${value}`, '--etcd-password=pw']);
    expect(output).not.toContain(MARK);
  });

  it.each(CORPUS)('never print the password of %j given in the environment', async (value) => {
    const { output } = await run([], { FLANNELD_ETCD_ENDPOINTS: value });
    expect(output).not.toContain(MARK);
  });

  it('still names the flag and the rule', async () => {
    const { status, output } = await run([`--etcd-endpoints=http://u:${MARK}@x@[::1`]);
    expect(status).toBe(2);
    expect(output).toContain('--etcd-endpoints');
    expect(output).toContain('must be a comma-separated list of http://host:port, https://host:port or host:port');
  });

  it('keeps the scheme and the rule readable when a bad entry with a password follows a good one', async () => {
    const { status, output } = await run([`--etcd-endpoints=http://ok:2379,http://u:${MARK}@host:99999`]);
    expect(status).toBe(2);
    expect(output).not.toContain(MARK);
    expect(output).toContain('must be a comma-separated list of http://host:port, https://host:port or host:port');
    expect(output).toContain('"http://u:[REDACTED]@host:99999" is not one');
  });
});
