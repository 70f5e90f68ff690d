// Which Debian mirror to download from: the one the machine's apt is configured with
// (or $IOCTL_ABI_DEBIAN_MIRROR), so no host is ever written into the project.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIRROR_ENV = 'IOCTL_ABI_DEBIAN_MIRROR';

/** One apt source as either file format states it. */
export interface AptSource {
  file: string;
  /** 1-based line where the stanza or line starts. */
  line: number;
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  /** Keyring paths or fingerprints; 'embedded' for an inline key block. */
  signedBy: string[];
  enabled: boolean;
}

// Every Debian release name and suite alias; a suite built on one of them (bookworm-updates,
// bookworm-backports) is served by the main archive too, except the -security ones.
const DEBIAN_SUITES = new Set([
  'buzz', 'rex', 'bo', 'hamm', 'slink', 'potato', 'woody', 'sarge', 'etch', 'lenny', 'squeeze',
  'wheezy', 'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke', 'sid',
  'oldoldstable', 'oldstable', 'stable', 'testing', 'unstable', 'experimental', 'rc-buggy',
]);
const ARCHIVE_SUFFIXES = ['-updates', '-backports', '-backports-sloppy', '-proposed-updates'];
// Schemes both apt-get and debootstrap can fetch from.
const USABLE_SCHEME = /^(https?|ftp|file):/;

function splitWords(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}

/** Parses a deb822 .sources file: stanzas split by blank lines, '#' lines ignored, folded values. */
export function parseDeb822(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  let fields = new Map<string, string>();
  let start = 0;
  let last: string | undefined;
  const flush = (): void => {
    if (fields.size > 0) out.push(fromDeb822(fields, file, start));
    fields = new Map();
    last = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.startsWith('#')) return;
    if (raw.trim() === '') return flush();
    if (/^[ \t]/.test(raw)) {
      // Continuation: ' .' stands for an empty line (inside an embedded key).
      if (last !== undefined) fields.set(last, `${fields.get(last) ?? ''}\n${raw.trim() === '.' ? '' : raw.trim()}`);
      return;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) return;
    if (fields.size === 0) start = i + 1;
    last = raw.slice(0, colon).trim().toLowerCase();
    fields.set(last, raw.slice(colon + 1).trim());
  });
  flush();
  return out;
}

function fromDeb822(fields: Map<string, string>, file: string, line: number): AptSource {
  const signed = fields.get('signed-by') ?? '';
  return {
    file,
    line,
    types: splitWords(fields.get('types') ?? ''),
    uris: splitWords(fields.get('uris') ?? ''),
    suites: splitWords(fields.get('suites') ?? ''),
    components: splitWords(fields.get('components') ?? ''),
    signedBy: signed.includes('BEGIN PGP') ? ['embedded'] : splitWords(signed.replace(/,/g, ' ')),
    enabled: !/^(no|false|0)$/i.test(fields.get('enabled') ?? 'yes'),
  };
}

/** Parses one-line sources.list text: `deb [opt=v ...] URI SUITE [COMPONENT...]`, '#' starts a comment. */
export function parseOneLine(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    let rest = raw.replace(/#.*/, '').trim();
    const type = /^(deb|deb-src)\s+/.exec(rest);
    if (!type?.[1]) return;
    rest = rest.slice(type[0].length);
    const options = new Map<string, string>();
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) return;
      for (const opt of splitWords(rest.slice(1, close))) {
        const eq = opt.indexOf('=');
        if (eq > 0) options.set(opt.slice(0, eq).replace(/[+-]$/, '').toLowerCase(), opt.slice(eq + 1));
      }
      rest = rest.slice(close + 1);
    }
    const [uri, suite, ...components] = splitWords(rest);
    if (!uri || !suite) return;
    out.push({
      file,
      line: i + 1,
      types: [type[1]],
      uris: [uri],
      suites: [suite],
      components,
      signedBy: splitWords((options.get('signed-by') ?? '').replace(/,/g, ' ')),
      enabled: true,
    });
  });
  return out;
}

/** The apt source files apt itself would read under `etcApt`, in apt's order. */
export function aptSourceFiles(etcApt: string): { read: string[]; sources: AptSource[] } {
  const read: string[] = [];
  const sources: AptSource[] = [];
  const main = join(etcApt, 'sources.list');
  if (existsSync(main)) {
    read.push(main);
    sources.push(...parseOneLine(readFileSync(main, 'utf8'), main));
  }
  const parts = join(etcApt, 'sources.list.d');
  const names = existsSync(parts) ? readdirSync(parts).sort() : [];
  // apt reads only these names: other suffixes (.disabled, .save, ...) are switched off.
  for (const name of names.filter((n) => /^[A-Za-z0-9_.-]+\.(list|sources)$/.test(n))) {
    const path = join(parts, name);
    read.push(path);
    const text = readFileSync(path, 'utf8');
    sources.push(...(name.endsWith('.sources') ? parseDeb822(text, path) : parseOneLine(text, path)));
  }
  return { read, sources };
}

function isDebianSuite(suite: string, release: string | undefined): boolean {
  if (suite.endsWith('-security') || suite.includes('/')) return false;
  const base = ARCHIVE_SUFFIXES.reduce((s, suf) => (s.endsWith(suf) ? s.slice(0, -suf.length) : s), suite);
  return DEBIAN_SUITES.has(base) || base === release;
}

/** Why a source cannot be the Debian archive, or undefined when it can. */
export function rejectReason(src: AptSource, release?: string): string | undefined {
  if (!src.enabled) return 'Enabled: no';
  if (!src.types.includes('deb')) return 'no deb type';
  if (src.suites.some((s) => s.endsWith('-security'))) return 'security suite';
  if (!src.suites.some((s) => isDebianSuite(s, release))) return `suites ${src.suites.join(' ') || '(none)'} are not Debian's`;
  if (!src.components.includes('main')) return 'no main component';
  // A keyring other than Debian's means a third-party archive that reuses Debian's suite names.
  if (src.signedBy.length > 0 && !src.signedBy.some(isDebianKeyring)) return `signed by ${src.signedBy.join(' ')}`;
  if (!src.uris.some((u) => USABLE_SCHEME.test(u))) return `no http(s)/ftp/file URI in ${src.uris.join(' ')}`;
  return undefined;
}

function isDebianKeyring(entry: string): boolean {
  return /(^|\/)debian-archive-[^/]*\.(gpg|asc|pgp)$/.test(entry);
}

/** The URI of the Debian main archive among `sources`: one signed by Debian's keyring first, then the first usable one. */
export function pickDebianMirror(sources: AptSource[], release?: string): string | undefined {
  const ok = sources.filter((s) => rejectReason(s, release) === undefined);
  const best = ok.find((s) => s.signedBy.some(isDebianKeyring)) ?? ok[0];
  const uri = best?.uris.find((u) => USABLE_SCHEME.test(u));
  return uri?.replace(/\/+$/, '');
}

/** VERSION_CODENAME of a Debian machine (other distributions' names say nothing about Debian's archive). */
export function debianRelease(osRelease: string): string | undefined {
  const field = (k: string): string | undefined => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1];
  return field('ID') === 'debian' ? field('VERSION_CODENAME') || undefined : undefined;
}

export interface MirrorLookup {
  env?: NodeJS.ProcessEnv;
  /** The apt configuration directory (default /etc/apt). */
  etcApt?: string;
  /** Text of os-release (default /etc/os-release, if present). */
  osRelease?: string;
}

/**
 * The Debian mirror URI (no trailing slash): $IOCTL_ABI_DEBIAN_MIRROR if set, else the main
 * archive of the machine's apt sources. Throws naming the files read and the override.
 */
export function debianMirror(opts: MirrorLookup = {}): string {
  const override = (opts.env ?? process.env)[MIRROR_ENV]?.trim();
  if (override) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(override)) {
      throw new Error(`${MIRROR_ENV}=${override} is not a URL (expected e.g. http://HOST/debian)`);
    }
    return override.replace(/\/+$/, '');
  }
  const etcApt = opts.etcApt ?? '/etc/apt';
  const osPath = '/etc/os-release';
  const release = debianRelease(opts.osRelease ?? (existsSync(osPath) ? readFileSync(osPath, 'utf8') : ''));
  const { read, sources } = aptSourceFiles(etcApt);
  const uri = pickDebianMirror(sources, release);
  if (uri) return uri;
  const skipped = sources.map((s) => `  ${s.file}:${s.line} ${s.uris.join(' ')} ${s.suites.join(' ')}: ${rejectReason(s, release)}`);
  throw new Error([
    `no Debian archive mirror found in the machine's apt sources.`,
    `Read: ${read.length ? read.join(', ') : `nothing (no ${join(etcApt, 'sources.list')}, no *.list or *.sources in ${join(etcApt, 'sources.list.d')})`}.`,
    ...(skipped.length ? ['Skipped:', ...skipped] : []),
    `Set ${MIRROR_ENV} to a Debian mirror that serves bullseye to experimental (e.g. ${MIRROR_ENV}=http://HOST/debian).`,
  ].join('\n'));
}

let memo: { override: string | undefined; uri: string } | undefined;

/** debianMirror() of this machine, looked up again only when the override changes. */
export function machineDebianMirror(): string {
  const override = process.env[MIRROR_ENV];
  if (!memo || memo.override !== override) memo = { override, uri: debianMirror() };
  return memo.uri;
}
