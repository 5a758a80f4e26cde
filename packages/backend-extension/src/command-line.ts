// How flannel's extension backend turns a configured command into argv (pkg/backend/extension/extension.go,
// since commit 08bc9a4c): Go's strings.Fields splits on Unicode white space — no quoting, no shell —
// then every field, argv[0] included, goes through Go's os.Expand with the process environment overlaid
// by the command's own variables. Unknown variables become "".

/** Go's `unicode.IsSpace` set: what `strings.Fields` splits on and `strings.TrimSpace` trims. */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const FIELDS = new RegExp(`[^${GO_SPACE}]+`, 'g');
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/**
 * Splits `command` on white space as Go's `strings.Fields` does: no quoting, so `"a b"` is two fields
 * and `&&` is a field like any other.
 *
 * @example
 * ```ts
 * splitCommandFields('/bin/add.sh  $SUBNET && x'); // ['/bin/add.sh', '$SUBNET', '&&', 'x']
 * ```
 */
export function splitCommandFields(command: string): string[] {
  return command.match(FIELDS) ?? [];
}

/**
 * Trims leading and trailing white space as Go's `strings.TrimSpace` does (Unicode white space, not
 * JavaScript's `\s`, which differs at U+0085 and U+FEFF).
 *
 * @example
 * ```ts
 * trimGoSpace('\n {"a":1}\r\n'); // '{"a":1}'
 * ```
 */
export function trimGoSpace(text: string): string {
  return text.replace(TRIM, '');
}

const SPECIAL = new Set(['*', '#', '$', '@', '!', '?', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

function isNameCharacter(character: string): boolean {
  return character === '_' || (character >= '0' && character <= '9') || (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

/** Go's `getShellName`: the name after `$` and how many characters it spans (name "" + width > 0: bad syntax). */
function shellName(text: string): { name: string; width: number } {
  if (text[0] === '{') {
    if (text.length > 2 && SPECIAL.has(text[1]!) && text[2] === '}') return { name: text[1]!, width: 3 };
    for (let index = 1; index < text.length; index += 1) {
      if (text[index] === '}') return index === 1 ? { name: '', width: 2 } : { name: text.slice(1, index), width: index + 1 };
    }
    return { name: '', width: 1 };
  }
  if (SPECIAL.has(text[0]!)) return { name: text[0]!, width: 1 };
  let index = 0;
  while (index < text.length && isNameCharacter(text[index]!)) index += 1;
  return { name: text.slice(0, index), width: index };
}

/**
 * Expands `$NAME` and `${NAME}` in `text` exactly as Go's `os.Expand`: a missing variable becomes "",
 * `$` followed by nothing that names a variable stays, bad syntax (`${`, `${}`) is dropped, and the
 * single-character shell specials (`$1`, `$?`) are names too.
 *
 * @example
 * ```ts
 * expandVariables('${SUBNET}-$PUBLIC_IP-$NOPE', { SUBNET: '10.5.1.0/24', PUBLIC_IP: '192.168.1.2' });
 * // '10.5.1.0/24-192.168.1.2-'
 * ```
 */
export function expandVariables(text: string, variables: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let copied = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] !== '$' || index + 1 >= text.length) continue;
    out += text.slice(copied, index);
    const { name, width } = shellName(text.slice(index + 1));
    if (name === '' && width > 0) {
      // bad syntax: the characters are eaten
    } else if (name === '') {
      out += '$';
    } else {
      out += Object.hasOwn(variables, name) ? (variables[name] ?? '') : '';
    }
    index += width;
    copied = index + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The argv flannel runs for `command`: its fields, each expanded against `variables`.
 *
 * @example
 * ```ts
 * commandArgv('/etc/flannel/add.sh $SUBNET ${PUBLIC_IP}', { SUBNET: '10.5.1.0/24', PUBLIC_IP: '192.168.1.2' });
 * // ['/etc/flannel/add.sh', '10.5.1.0/24', '192.168.1.2']
 * ```
 */
export function commandArgv(command: string, variables: Readonly<Record<string, string | undefined>>): string[] {
  return splitCommandFields(command).map((field) => expandVariables(field, variables));
}
