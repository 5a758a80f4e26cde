import { randomBytes } from 'node:crypto';

/**
 * Every name a lab creates (namespaces, root-namespace links, temp dirs) starts with its run id: `ft` followed
 * by four lowercase letters or digits, then `-`. Keeping it this short leaves room under Linux's 15-character
 * limit for interface and namespace names (`ft3k9a-h12`).
 */
export const RUN_NAME_PATTERN = /^ft[a-z0-9]{4}-/;

/** Prefix of the lab's temporary directories (`/tmp/flannel-ts-testlab-<runId>-XXXXXX`). */
export const TEMP_DIR_PREFIX = 'flannel-ts-testlab-';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh run id such as `ft3k9a`, drawn from a 36⁴ space. */
export function newRunId(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(4);
  let id = 'ft';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** The run id a lab-created name belongs to, or `undefined` if the name is not the lab's. */
export function runIdOf(name: string): string | undefined {
  return RUN_NAME_PATTERN.test(name) ? name.slice(0, 6) : undefined;
}

/** Linux's limit on interface and (by convention here) namespace names. */
export const MAX_NAME_LENGTH = 15;
