// The shared Backend conformance suite, with a recording command runner (no processes).
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createExtensionBackend } from './extension-backend.js';
import { createRecordingCommandRunner } from './testing/index.js';

testBackend('extension', () => ({ createBackend: createExtensionBackend({ runCommand: createRecordingCommandRunner().run }) }), {
  ipv6: true,
  backendConfig: { Type: 'extension', SubnetAddCommand: '/add.sh $SUBNET', SubnetRemoveCommand: '/del.sh $SUBNET' },
  invalidBackendConfig: { config: { Type: 'extension', SubnetAddCommand: 7 } },
});
