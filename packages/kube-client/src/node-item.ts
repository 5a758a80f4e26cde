import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  INCOMPLETE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  expectByte,
  invalid,
  skipSpace,
  skipString,
  skipValue,
  stringEquals,
  stringStartsWith,
  stringValue,
} from './json-bytes.js';

// The part of one Node of a list that flannel reads (`pkg/subnet/kube/kube.go`), taken from its UTF-8 bytes:
// metadata.name, .uid, .resourceVersion and .annotations (those with the wanted prefix), spec.podCIDR and
// .podCIDRs. Every other member is skipped over without being built. The result keeps the shape of a Node so
// `projectNode` checks the kept fields exactly as it checks a Node from a watch or a GET.

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const METADATA = utf8('metadata');
const SPEC = utf8('spec');
const NAME = utf8('name');
const UID = utf8('uid');
const RESOURCE_VERSION = utf8('resourceVersion');
const ANNOTATIONS = utf8('annotations');
const POD_CIDR = utf8('podCIDR');
const POD_CIDRS = utf8('podCIDRs');

/** A member name as read: where it lies and, when it holds an escape, its text. */
interface Key {
  readonly start: number;
  readonly end: number;
  readonly text: string | undefined;
}

/** Reads one Node of a list into the few fields flannel needs. */
export class NodeItemReader {
  readonly #prefix: Uint8Array;
  readonly #prefixText: string;
  readonly #stack = new Uint8Array(256);

  /** `annotationPrefix`: keep only annotations whose name starts with it (`''` keeps all). */
  constructor(annotationPrefix: string) {
    this.#prefixText = annotationPrefix;
    this.#prefix = utf8(annotationPrefix);
  }

  /**
   * Reads the value starting at or after `i`; returns it (a Node object cut down to the kept fields, or, when
   * it is not an object, the value itself for `projectNode` to reject) and the index after it. Throws
   * INCOMPLETE when the bytes end first.
   */
  read(bytes: Uint8Array, i: number): { readonly value: unknown; readonly end: number } {
    i = skipSpace(bytes, i);
    if (bytes[i] !== OPEN_BRACE) return this.#whole(bytes, i);
    const node: Record<string, unknown> = {};
    i = this.#members(bytes, i + 1, (key, at) => {
      if (this.#is(bytes, key, METADATA, 'metadata')) return this.#object(bytes, at, node, 'metadata', (k, j, into) => this.#metadataMember(bytes, k, j, into));
      if (this.#is(bytes, key, SPEC, 'spec')) return this.#object(bytes, at, node, 'spec', (k, j, into) => this.#specMember(bytes, k, j, into));
      return skipValue(bytes, at, this.#stack);
    });
    return { value: node, end: i };
  }

  #metadataMember(bytes: Uint8Array, key: Key, i: number, into: Record<string, unknown>): number {
    if (this.#is(bytes, key, NAME, 'name')) return this.#scalar(bytes, i, into, 'name');
    if (this.#is(bytes, key, UID, 'uid')) return this.#scalar(bytes, i, into, 'uid');
    if (this.#is(bytes, key, RESOURCE_VERSION, 'resourceVersion')) return this.#scalar(bytes, i, into, 'resourceVersion');
    if (this.#is(bytes, key, ANNOTATIONS, 'annotations')) {
      return this.#object(bytes, i, into, 'annotations', (k, j, annotations) => {
        const wanted = k.text === undefined ? stringStartsWith(bytes, k.start, k.end, this.#prefix) : k.text.startsWith(this.#prefixText);
        if (!wanted) return skipValue(bytes, j, this.#stack);
        return this.#scalar(bytes, j, annotations, k.text ?? stringValue(bytes, k.start, k.end, false));
      });
    }
    return skipValue(bytes, i, this.#stack);
  }

  #specMember(bytes: Uint8Array, key: Key, i: number, into: Record<string, unknown>): number {
    if (this.#is(bytes, key, POD_CIDR, 'podCIDR')) return this.#scalar(bytes, i, into, 'podCIDR');
    if (this.#is(bytes, key, POD_CIDRS, 'podCIDRs')) return this.#scalar(bytes, i, into, 'podCIDRs');
    return skipValue(bytes, i, this.#stack);
  }

  #is(bytes: Uint8Array, key: Key, name: Uint8Array, text: string): boolean {
    return key.text === undefined ? stringEquals(bytes, key.start, key.end, name) : key.text === text;
  }

  /**
   * The members of the object whose `{` is at `i - 1`: `onMember(key, index after the colon)` reads the
   * value and returns the index after it. Returns the index after the closing brace.
   */
  #members(bytes: Uint8Array, i: number, onMember: (key: Key, at: number) => number): number {
    i = skipSpace(bytes, i);
    if (bytes[i] === CLOSE_BRACE) return i + 1;
    for (;;) {
      if (bytes[i] !== QUOTE) invalid(`expected a member name at byte ${i}`);
      const start = i;
      const after = skipString(bytes, i + 1);
      const end = after < 0 ? -after - 1 : after;
      const key: Key = { start, end, text: after < 0 ? stringValue(bytes, start, end, true) : undefined };
      i = onMember(key, expectByte(bytes, end, COLON, "expected ':' after a member name"));
      i = skipSpace(bytes, i);
      const c = bytes[i];
      if (c === CLOSE_BRACE) return i + 1;
      if (c !== COMMA) invalid(`expected ',' or '}' at byte ${i}`);
      i = skipSpace(bytes, i + 1);
    }
  }

  /** A member that should hold an object: read selectively when it does, whole (for the checks) when not. */
  #object(
    bytes: Uint8Array,
    i: number,
    parent: Record<string, unknown>,
    name: string,
    onMember: (key: Key, at: number, into: Record<string, unknown>) => number,
  ): number {
    i = skipSpace(bytes, i);
    if (bytes[i] !== OPEN_BRACE) return this.#scalar(bytes, i, parent, name);
    const into: Record<string, unknown> = {};
    parent[name] = into;
    return this.#members(bytes, i + 1, (key, at) => onMember(key, at, into));
  }

  /** A kept value other than an object we look into: a string read in place, anything else parsed. */
  #scalar(bytes: Uint8Array, i: number, into: Record<string, unknown>, name: string): number {
    i = skipSpace(bytes, i);
    if (bytes[i] === QUOTE) {
      const after = skipString(bytes, i + 1);
      const end = after < 0 ? -after - 1 : after;
      into[name] = stringValue(bytes, i, end, after < 0);
      return end;
    }
    const { value, end } = this.#whole(bytes, i);
    into[name] = value;
    return end;
  }

  /** A value parsed whole (small kept values such as `podCIDRs`, or a wrong type for the checks to name). */
  #whole(bytes: Uint8Array, i: number): { readonly value: unknown; readonly end: number } {
    const end = skipValue(bytes, i, this.#stack);
    try {
      return { value: JSON.parse(new TextDecoder().decode(bytes.subarray(i, end))), end };
    } catch (error) {
      return invalid((error as Error).message);
    }
  }
}

export { INCOMPLETE, OPEN_BRACKET, CLOSE_BRACKET };
