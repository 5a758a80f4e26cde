import { INCOMPLETE, COMMA, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE, expectByte, invalid, skipSpace, skipString, skipValue, stringEquals, stringValue } from './json-bytes.js';
import { KubeError } from './kube-error.js';
import { NodeItemReader } from './node-item.js';

/** The largest single value (one Node, or another top-level member) a list may hold. */
export const MAX_LIST_VALUE_BYTES = 16 << 20;

const ITEMS = new TextEncoder().encode('items');
const METADATA = new TextEncoder().encode('metadata');

/** Where the decoder stands between two values of the response. */
type State = 'start' | 'first-member' | 'member' | 'after-member' | 'first-item' | 'item' | 'after-item' | 'done';

/** Options of {@link NodeListDecoder}. */
export interface NodeListDecoderOptions {
  /** Called with each element of `items`, cut down to what `projectNode` reads. */
  readonly onItem: (node: unknown) => void;
  /** Keep only annotations whose name starts with this (default `''`: all). */
  readonly annotationPrefix?: string;
}

/**
 * A streaming decoder for a Kubernetes `NodeList` response (`{"kind":…,"metadata":{…},"items":[{…},…]}`)
 * that works on the response's bytes as they arrive: each Node is read in place, keeping metadata.name,
 * .uid, .resourceVersion, the annotations with the wanted prefix and spec.podCIDR(s), and skipping every
 * other member (status, managedFields, labels…) without building it — no string per chunk, no per-Node
 * `JSON.parse`. Only the bytes of a Node that straddles two chunks are carried over; a value larger than
 * {@link MAX_LIST_VALUE_BYTES} is rejected. The top-level `metadata` is parsed (for `resourceVersion`),
 * other top-level members are skipped. Skipped values are checked for structure (strings, nesting at most
 * 256 deep, separators), kept ones fully.
 *
 * @example
 * ```ts
 * const decoder = new NodeListDecoder({ onItem: (item) => nodes.push(projectNode(item)), annotationPrefix: 'flannel.alpha.coreos.com/' });
 * for await (const chunk of response) decoder.write(chunk);
 * const { resourceVersion } = decoder.end().metadata;
 * ```
 */
export class NodeListDecoder {
  readonly #onItem: (node: unknown) => void;
  readonly #reader: NodeItemReader;
  readonly #stack = new Uint8Array(256);
  #state: State = 'start';
  /**
   * The carry: bytes received but not yet consumed (the start of a value that was incomplete) at the start of
   * a buffer reused for the whole response, so a chunk is never copied whole and no buffer is allocated per
   * chunk.
   */
  #scratch: Buffer = Buffer.allocUnsafeSlow(65_536);
  #held = 0;
  /**
   * Try the carried value again only once this many bytes are at hand (twice the last failed attempt, so a
   * value spread over many chunks costs linear time), or once more than {@link MAX_LIST_VALUE_BYTES} are held.
   */
  #retryAt = 0;
  #metadata: Record<string, unknown> = {};

  constructor(options: NodeListDecoderOptions) {
    this.#onItem = options.onItem;
    this.#reader = new NodeItemReader(options.annotationPrefix ?? '');
  }

  /** Feeds the next chunk of the response body. */
  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let offset = 0;
    if (this.#held > 0) {
      const held = this.#held;
      if (held + chunk.length < this.#retryAt && held + chunk.length <= MAX_LIST_VALUE_BYTES) {
        this.#append(chunk, 0, chunk.length);
        return;
      }
      // Append only as much of the chunk as completes the carried value, then go on in the chunk itself.
      let take = Math.min(chunk.length, Math.max(this.#retryAt - held, 16_384));
      let copied = 0;
      let start = 0;
      for (;;) {
        this.#append(chunk, copied, take);
        copied = take;
        const view = this.#scratch.subarray(0, held + take);
        let i = start;
        try {
          while (i < held) i = this.#step(view, i);
        } catch (error) {
          if (error !== INCOMPLETE) throw error;
        }
        if (i >= held) {
          offset = i - held;
          this.#held = 0;
          break;
        }
        start = i;
        if (take === chunk.length) {
          this.#keep(start);
          return;
        }
        take = Math.min(chunk.length, take * 2);
      }
    }
    let i = offset;
    try {
      for (;;) i = this.#step(chunk, i);
    } catch (error) {
      if (error !== INCOMPLETE) throw error;
    }
    if (i < chunk.length) {
      this.#append(chunk, i, chunk.length);
      this.#retryAt = 2 * this.#held;
    }
  }

  /** Checks the response was complete and returns its top-level `metadata`. */
  end(): { readonly metadata: Record<string, unknown> } {
    if (this.#held > 0) {
      const view = this.#scratch.subarray(0, this.#held);
      let i = 0;
      try {
        for (;;) i = this.#step(view, i);
      } catch (error) {
        if (error !== INCOMPLETE) throw error;
      }
    }
    if (this.#state !== 'done') throw new KubeError('PROTOCOL', 'list response ended before its closing bracket');
    return { metadata: this.#metadata };
  }

  /** Appends `chunk[from, to)` to the carry. */
  #append(chunk: Uint8Array, from: number, to: number): void {
    const needed = this.#held + to - from;
    if (needed > MAX_LIST_VALUE_BYTES) throw new KubeError('PROTOCOL', `node list holds a value larger than ${MAX_LIST_VALUE_BYTES} bytes`);
    if (needed > this.#scratch.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.#scratch.length));
      this.#scratch.copy(grown, 0, 0, this.#held);
      this.#scratch = grown;
    }
    this.#scratch.set(chunk.subarray(from, to), this.#held);
    this.#held = needed;
  }

  /** Keeps the carry's bytes from `start` on (the rest was consumed). */
  #keep(start: number): void {
    const length = this.#held - start;
    if (start > 0) this.#scratch.copyWithin(0, start, this.#held);
    this.#held = length;
    this.#retryAt = 2 * length;
  }

  /** Consumes one structural step at `i`; returns the index after it, or throws INCOMPLETE. */
  #step(bytes: Uint8Array, i: number): number {
    switch (this.#state) {
      case 'start': {
        i = skipSpace(bytes, i);
        if (bytes[i] !== OPEN_BRACE) throw new KubeError('PROTOCOL', 'list response is not a JSON object');
        this.#state = 'first-member';
        return i + 1;
      }
      case 'first-member':
      case 'member': {
        i = skipSpace(bytes, i);
        if (this.#state === 'first-member' && bytes[i] === CLOSE_BRACE) {
          this.#state = 'done';
          return i + 1;
        }
        if (bytes[i] !== QUOTE) invalid(`expected a member name at byte ${i}`);
        const after = skipString(bytes, i + 1);
        const end = after < 0 ? -after - 1 : after;
        const text = after < 0 ? stringValue(bytes, i, end, true) : undefined;
        const at = expectByte(bytes, end, 0x3a, "expected ':' after a member name");
        if (text === undefined ? stringEquals(bytes, i, end, ITEMS) : text === 'items') {
          const open = skipSpace(bytes, at);
          if (bytes[open] === OPEN_BRACKET) {
            this.#state = 'first-item';
            return open + 1;
          }
          // `"items": null` (an empty list as Go writes it) or anything else: checked below as a plain value.
          const valueEnd = skipValue(bytes, open, this.#stack);
          if (!(valueEnd - open === 4 && bytes[open] === 0x6e)) throw new KubeError('PROTOCOL', 'node list items is not a list');
          this.#state = 'after-member';
          return valueEnd;
        }
        if (text === undefined ? stringEquals(bytes, i, end, METADATA) : text === 'metadata') {
          const start = skipSpace(bytes, at);
          const valueEnd = skipValue(bytes, start, this.#stack);
          const metadata = parseMetadata(bytes.subarray(start, valueEnd));
          this.#metadata = metadata;
          this.#state = 'after-member';
          return valueEnd;
        }
        const valueEnd = skipValue(bytes, at, this.#stack);
        this.#state = 'after-member';
        return valueEnd;
      }
      case 'after-member': {
        i = skipSpace(bytes, i);
        if (bytes[i] === COMMA) this.#state = 'member';
        else if (bytes[i] === CLOSE_BRACE) this.#state = 'done';
        else invalid(`expected ',' or '}' at byte ${i}`);
        return i + 1;
      }
      case 'first-item':
      case 'item': {
        i = skipSpace(bytes, i);
        if (this.#state === 'first-item' && bytes[i] === CLOSE_BRACKET) {
          this.#state = 'after-member';
          return i + 1;
        }
        const { value, end } = this.#reader.read(bytes, i);
        this.#state = 'after-item';
        this.#onItem(value);
        return end;
      }
      case 'after-item': {
        i = skipSpace(bytes, i);
        if (bytes[i] === COMMA) this.#state = 'item';
        else if (bytes[i] === CLOSE_BRACKET) this.#state = 'after-member';
        else invalid(`expected ',' or ']' at byte ${i}`);
        return i + 1;
      }
      case 'done': {
        i = skipSpace(bytes, i); // only whitespace may follow; INCOMPLETE once it is all consumed
        throw new KubeError('PROTOCOL', `list response has data after its closing bracket at byte ${i}`);
      }
    }
  }
}

function parseMetadata(bytes: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new KubeError('PROTOCOL', `list metadata is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new KubeError('PROTOCOL', 'list metadata must be an object');
  return parsed as Record<string, unknown>;
}
