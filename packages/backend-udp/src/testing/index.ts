export { createRecordingUdpBoundaries, formatUdpRoute } from './recording-udp-boundaries.js';
export type { RecordingUdpBoundaries } from './recording-udp-boundaries.js';
