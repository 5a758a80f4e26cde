import { describe, expect, it } from 'vitest';
import { renderRestorePayload } from './restore-payload.js';

describe('renderRestorePayload', () => {
  it('renders one block per table and quotes comment values (flannel TestRules)', () => {
    const spec = ['-s', '127.0.0.1', '!', '-d', '224.0.0.0/4', '-m', 'comment', '--comment', 'flanneld masq', '-j', 'MASQUERADE', '--random-fully'];
    const operations = [
      { action: '-A' as const, chain: 'INPUT', spec: ['-s', '127.0.0.1', '-d', '127.0.0.1', '-j', 'RETURN'] },
      { action: '-A' as const, chain: 'INPUT', spec },
    ];
    expect(renderRestorePayload([{ table: 'filter', operations }, { table: 'nat', operations }])).toBe(
      '*filter\n' +
        '-A INPUT -s 127.0.0.1 -d 127.0.0.1 -j RETURN\n' +
        '-A INPUT -s 127.0.0.1 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n' +
        'COMMIT\n' +
        '*nat\n' +
        '-A INPUT -s 127.0.0.1 -d 127.0.0.1 -j RETURN\n' +
        '-A INPUT -s 127.0.0.1 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n' +
        'COMMIT\n',
    );
  });

  it('declares chains before operations and passes raw specs through', () => {
    expect(
      renderRestorePayload([
        {
          table: 'nat',
          declareChains: ['FLANNEL-POSTRTG'],
          operations: [
            { action: '-D', chain: 'POSTROUTING', rawSpec: '-m comment --comment "flanneld masq" -j FLANNEL-POSTRTG' },
            { action: '-F', chain: 'FLANNEL-POSTRTG' },
            { action: '-X', chain: 'FLANNEL-POSTRTG' },
          ],
        },
      ]),
    ).toBe(
      '*nat\n:FLANNEL-POSTRTG - [0:0]\n-D POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG\n' +
        '-F FLANNEL-POSTRTG\n-X FLANNEL-POSTRTG\nCOMMIT\n',
    );
  });

  it('skips empty transactions entirely', () => {
    expect(renderRestorePayload([{ table: 'nat', operations: [] }])).toBe('');
  });
});
