// `flannel-ts install-cni`: what kube-flannel's init containers do (`install-cni-plugin` copies the
// `flannel` binary to /opt/cni/bin, `install-cni` copies cni-conf.json to /etc/cni/net.d/10-flannel.conflist),
// each file written atomically and left alone when already up to date.
//
// Which executable is installed: the self-contained one (`dist/flannel-sea`, a Node single executable
// application made by `pnpm build:sea`, needs no Node.js on the host) when it exists, else the bundled
// script (`dist/flannel.cjs`, `#!/usr/bin/env node`, needs Node.js ≥ 20 on the host's PATH). `kind`
// forces one.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFileAtomically } from './atomic-install.js';

/** Which build of the plugin to install. */
export type PluginKind = 'sea' | 'script';

/** Options of {@link installCni}. */
export interface InstallCniOptions {
  /** The CNI bin directory (`/opt/cni/bin`); created if missing. */
  readonly binDir: string;
  /** A conflist to install (kube-flannel's `cni-conf.json`); none when absent. */
  readonly conf?: string;
  /** Where the conflist goes (default `/etc/cni/net.d`); created if missing. */
  readonly confDir?: string;
  /** The installed conflist's file name (default `10-flannel.conflist`). */
  readonly confName?: string;
  /** Force the self-contained executable or the node script (default: `sea` when it was built). */
  readonly kind?: PluginKind;
  /** The directory holding `flannel.cjs` / `flannel-sea` (default: this package's `dist`). */
  readonly artifactsDir?: string;
}

/** What {@link installCni} did. */
export interface InstallCniResult {
  readonly plugin: { readonly path: string; readonly kind: PluginKind; readonly changed: boolean };
  readonly conflist?: { readonly path: string; readonly changed: boolean };
}

/** This package's `dist` directory, from the built module or the sources. */
export function defaultArtifactsDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@flannel-ts/cni-plugin') return join(directory, 'dist');
    const parent = dirname(directory);
    if (parent === directory) throw new Error('cannot find the @flannel-ts/cni-plugin package directory');
    directory = parent;
  }
}

/** Checks a conflist enough that a runtime will load it and call flannel: JSON, a name, a flannel plugin. */
export function checkConflist(text: string, source: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`conflist ${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const list = value as { name?: unknown; plugins?: unknown } | null;
  if (typeof list !== 'object' || list === null || Array.isArray(list)) throw new Error(`conflist ${source} is invalid: must be a JSON object`);
  if (typeof list.name !== 'string' || list.name === '') throw new Error(`conflist ${source} is invalid: "name" must be a non-empty string`);
  if (!Array.isArray(list.plugins) || list.plugins.length === 0) throw new Error(`conflist ${source} is invalid: "plugins" must be a non-empty array`);
  if (!list.plugins.some((plugin) => (plugin as { type?: unknown } | null)?.type === 'flannel')) throw new Error(`conflist ${source} is invalid: no plugin has "type": "flannel"`);
}

/**
 * Installs the `flannel` plugin into `binDir` and, with `conf`, the conflist into `confDir`. Everything is
 * read and checked before anything is written. Idempotent.
 *
 * @example
 * ```ts
 * installCni({ binDir: '/opt/cni/bin', conf: '/etc/kube-flannel/cni-conf.json', confDir: '/etc/cni/net.d' });
 * ```
 */
export function installCni(options: InstallCniOptions): InstallCniResult {
  const artifacts = options.artifactsDir ?? defaultArtifactsDir();
  const sea = join(artifacts, 'flannel-sea');
  const script = join(artifacts, 'flannel.cjs');
  const kind: PluginKind = options.kind ?? (existsSync(sea) ? 'sea' : 'script');
  const source = kind === 'sea' ? sea : script;
  if (!existsSync(source)) {
    throw new Error(kind === 'sea' ? `the self-contained plugin ${sea} was not built: run pnpm --filter @flannel-ts/cni-plugin build:sea` : `the plugin script ${script} was not built: run pnpm build`);
  }
  const pluginBytes = readFileSync(source);
  let conflist: { bytes: Buffer; mode: number; path: string } | undefined;
  if (options.conf !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(options.conf);
    } catch (error) {
      throw new Error(`conflist ${options.conf} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    checkConflist(bytes.toString('utf8'), options.conf);
    conflist = { bytes, mode: statSync(options.conf).mode & 0o777, path: join(options.confDir ?? '/etc/cni/net.d', options.confName ?? '10-flannel.conflist') };
  }
  mkdirSync(options.binDir, { recursive: true, mode: 0o755 });
  const pluginPath = join(options.binDir, 'flannel');
  const pluginChanged = installFileAtomically(pluginPath, pluginBytes, 0o755);
  if (conflist === undefined) return { plugin: { path: pluginPath, kind, changed: pluginChanged } };
  mkdirSync(dirname(conflist.path), { recursive: true, mode: 0o755 });
  const confChanged = installFileAtomically(conflist.path, conflist.bytes, conflist.mode);
  return { plugin: { path: pluginPath, kind, changed: pluginChanged }, conflist: { path: conflist.path, changed: confChanged } };
}
