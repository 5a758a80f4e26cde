import { KubeError } from './kube-error.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COLON = 0x3a;

/**
 * An incremental scanner for a Kubernetes `List` response (`{"kind":…,"metadata":{…},"items":[{…},…]}`):
 * text is fed in chunks as it arrives, and each element of the top-level `items` array is handed to
 * `onItem` as its own JSON text as soon as it is complete. Only one item's text is held at a time, so a
 * 50 MB NodeList is decoded in the memory of one Node. The top-level `metadata` is kept (for
 * `resourceVersion`); every other top-level member is skipped.
 *
 * It tracks strings, escapes and nesting only; the texts it hands out are checked by `JSON.parse`.
 *
 * @example
 * ```ts
 * const scanner = new JsonListScanner((item) => nodes.push(projectNode(JSON.parse(item))));
 * for await (const chunk of response) scanner.write(chunk);
 * const { resourceVersion } = scanner.end().metadata;
 * ```
 */
export class JsonListScanner {
  readonly #onItem: (text: string) => void;
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** The last string seen at depth 1 (a key once a colon follows). */
  #keyParts: string[] = [];
  #key = '';
  #member = '';
  /** Capture of the current item or of the top-level metadata. */
  #capture: 'item' | 'metadata' | undefined;
  #captureDepth = 0;
  #parts: string[] = [];
  #inItems = false;
  #metadataText: string | undefined;
  #sawRoot = false;
  #done = false;

  constructor(onItem: (text: string) => void) {
    this.#onItem = onItem;
  }

  /** Feeds the next chunk of the response text. */
  write(text: string): void {
    let captureStart = this.#capture === undefined ? -1 : 0;
    let keyStart = this.#inString && this.#depth === 1 ? 0 : -1;
    // Jump from one significant character to the next with native regex scans instead of a loop per
    // character: inside a string only `"` and `\` matter, outside only quotes, brackets and colons.
    const inString = /["\\]/g;
    const outside = /["{}[\]:]/g;
    let i = 0;
    if (this.#escaped && text.length > 0) {
      this.#escaped = false;
      i = 1;
    }
    while (i < text.length) {
      if (this.#inString) {
        inString.lastIndex = i;
        const found = inString.exec(text);
        if (found === null) break;
        i = found.index;
        if (text.charCodeAt(i) === BACKSLASH) {
          if (i + 1 >= text.length) {
            this.#escaped = true;
            break;
          }
          i += 2;
          continue;
        }
        this.#inString = false;
        if (keyStart >= 0) {
          this.#keyParts.push(text.slice(keyStart, i));
          this.#key = this.#keyParts.join('');
          this.#keyParts = [];
          keyStart = -1;
        }
        i += 1;
        continue;
      }
      outside.lastIndex = i;
      const found = outside.exec(text);
      if (found === null) break;
      i = found.index;
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.#inString = true;
        if (this.#depth === 1) keyStart = i + 1;
      } else if (c === COLON) {
        // In valid JSON a colon at depth 1 always follows a member name.
        if (this.#depth === 1) this.#member = this.#key;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.#depth === 0) {
          if (c !== OPEN_BRACE || this.#sawRoot) throw new KubeError('PROTOCOL', 'list response is not a JSON object');
          this.#sawRoot = true;
        } else if (this.#depth === 1 && this.#member === 'items' && c === OPEN_BRACKET) {
          this.#inItems = true;
        } else if (this.#depth === 1 && this.#member === 'metadata' && c === OPEN_BRACE) {
          this.#capture = 'metadata';
          this.#captureDepth = 1;
          captureStart = i;
        } else if (this.#depth === 2 && this.#inItems && this.#capture === undefined) {
          this.#capture = 'item';
          this.#captureDepth = 2;
          captureStart = i;
        }
        this.#depth++;
      } else {
        // A closing brace or bracket (the only characters left in the pattern).
        this.#depth--;
        if (this.#depth < 0) throw new KubeError('PROTOCOL', 'list response has unbalanced brackets');
        if (this.#capture !== undefined && this.#depth === this.#captureDepth) {
          this.#parts.push(text.slice(captureStart, i + 1));
          const captured = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
          this.#parts = [];
          const kind = this.#capture;
          this.#capture = undefined;
          captureStart = -1;
          if (kind === 'item') this.#onItem(captured);
          else this.#metadataText = captured;
        } else if (this.#depth === 1 && this.#inItems) {
          this.#inItems = false;
        } else if (this.#depth === 0) {
          this.#done = true;
        }
      }
      i += 1;
    }
    if (captureStart >= 0 && this.#capture !== undefined) this.#parts.push(text.slice(captureStart));
    if (keyStart >= 0) this.#keyParts.push(text.slice(keyStart));
  }

  /** Checks the response was complete and returns its top-level `metadata`. */
  end(): { readonly metadata: Record<string, unknown> } {
    if (!this.#done || this.#inString) throw new KubeError('PROTOCOL', 'list response ended before its closing bracket');
    let metadata: unknown = {};
    if (this.#metadataText !== undefined) {
      try {
        metadata = JSON.parse(this.#metadataText);
      } catch (error) {
        throw new KubeError('PROTOCOL', `list metadata is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    }
    return { metadata: metadata as Record<string, unknown> };
  }
}
