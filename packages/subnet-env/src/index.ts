/**
 * `@flannel-ts/subnet-env`: read and write flannel's `/run/flannel/subnet.env`, byte-compatible with
 * flanneld and its CNI plugin. No dependencies.
 * @packageDocumentation
 */
export { SubnetEnvError } from './subnet-env-error.js';
export type { SubnetEnvErrorCode, SubnetEnvErrorDetails } from './subnet-env-error.js';
export { formatSubnetEnv } from './format-subnet-env.js';
export type { CidrLike, SubnetEnvValues } from './format-subnet-env.js';
export { writeFileAtomic, writeSubnetEnv } from './write-subnet-env.js';
export { parseDotenv } from './parse-dotenv.js';
export { parseSubnetEnv } from './parse-subnet-env.js';
export type { SubnetEnv } from './parse-subnet-env.js';
export { parsePreviousSubnetEnv } from './parse-previous-subnet-env.js';
export type { PreviousSubnetEnv } from './parse-previous-subnet-env.js';
export { readPreviousSubnetEnv, readSmallTextFile, readSubnetEnv } from './read-subnet-env.js';
export type { ReadSubnetEnvOptions } from './read-subnet-env.js';
