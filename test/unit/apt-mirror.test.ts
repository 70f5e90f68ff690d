// The Debian mirror comes from the machine's apt configuration (or the override), never
// from the code: the parser on fixture texts, the choice among sources, and the private
// sources.list that test/support/debian.ts writes from it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  aptSourceFiles, debianMirror, debianRelease, MIRROR_ENV, parseDeb822, parseOneLine, pickDebianMirror,
} from '../support/apt-mirror.ts';

// Hosts under .test (RFC 2606): never resolvable, so nothing here can reach a real mirror.
const DEB822 = `# Debian, as the installer writes it
Types: deb deb-src
URIs: http://mirror-a.test/debian/
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# the security archive is another host and has no kernels of other suites
URIs: http://security.test/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://disabled.test/debian
Suites: sid
Components: main
Enabled: no
`;

const ONE_LINE = `# comment line
deb-src http://src-only.test/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://vendor.test/apt bookworm main
deb [ arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg ] http://mirror-b.test/debian trixie main non-free-firmware # trailing comment
deb http://mirror-b.test/debian-security trixie-security main
`;

const NODESOURCE = `Types: deb
URIs: https://nodesource.test/node_20.x
Suites: nodistro
Components: main
Architectures: amd64
Signed-By: /usr/share/keyrings/nodesource.gpg
`;
const GOOGLE = 'deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://google.test/apt cloud-sdk-bookworm main\n';
const DOCKER = 'deb https://docker.test/linux/debian bookworm stable\n';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

const dirs: string[] = [];
function etcApt(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ioctl-abi-apt-'));
  dirs.push(root);
  mkdirSync(join(root, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('apt source parsing', () => {
  it('deb822: several stanzas, comments inside a stanza, Enabled: no, field values split', () => {
    const s = parseDeb822(DEB822, 'debian.sources');
    expect(s.map((x) => [x.line, x.types, x.uris, x.suites, x.components, x.enabled])).toEqual([
      [2, ['deb', 'deb-src'], ['http://mirror-a.test/debian/'], ['bookworm', 'bookworm-updates'], ['main', 'contrib'], true],
      [8, ['deb'], ['http://security.test/debian-security'], ['bookworm-security'], ['main'], true],
      [15, ['deb'], ['http://disabled.test/debian'], ['sid'], ['main'], false],
    ]);
    expect(s[0]?.signedBy).toEqual(['/usr/share/keyrings/debian-archive-keyring.gpg']);
  });

  it('deb822: folded values, case-insensitive keys and an embedded key block', () => {
    const s = parseDeb822(
      'types: deb\nURIS: http://a.test/debian\n  http://b.test/debian\nSuites: trixie\nComponents: main\n'
      + 'Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBF\n -----END PGP PUBLIC KEY BLOCK-----\n',
      'x.sources',
    );
    expect(s).toHaveLength(1);
    expect(s[0]?.uris).toEqual(['http://a.test/debian', 'http://b.test/debian']);
    expect(s[0]?.signedBy).toEqual(['embedded']);
  });

  it('one-line: [options] with and without inner spaces, deb-src, trailing comments', () => {
    const s = parseOneLine(ONE_LINE, 'sources.list');
    expect(s.map((x) => [x.line, x.types[0], x.uris[0], x.suites, x.components, x.signedBy])).toEqual([
      [2, 'deb-src', 'http://src-only.test/debian', ['bookworm'], ['main'], []],
      [3, 'deb', 'https://vendor.test/apt', ['bookworm'], ['main'], ['/usr/share/keyrings/hashicorp-archive-keyring.gpg']],
      [4, 'deb', 'http://mirror-b.test/debian', ['trixie'], ['main', 'non-free-firmware'], ['/usr/share/keyrings/debian-archive-keyring.gpg']],
      [5, 'deb', 'http://mirror-b.test/debian-security', ['trixie-security'], ['main'], []],
    ]);
  });

  it('reads only the file names apt reads, sources.list first', () => {
    const root = etcApt({
      'sources.list': ONE_LINE,
      'sources.list.d/b.sources': DEB822,
      'sources.list.d/a.list': GOOGLE,
      'sources.list.d/nodesource.sources.disabled-by-farm': NODESOURCE,
      'sources.list.d/old.list.save': DOCKER,
    });
    const { read, sources } = aptSourceFiles(root);
    expect(read).toEqual(['sources.list', 'sources.list.d/a.list', 'sources.list.d/b.sources'].map((f) => join(root, f)));
    expect(sources).toHaveLength(4 + 1 + 3);
  });
});

describe('choosing the Debian archive', () => {
  it('deb822: the enabled main-archive stanza, not security, not the disabled one', () => {
    expect(pickDebianMirror(parseDeb822(DEB822, 'd.sources'), 'bookworm')).toBe('http://mirror-a.test/debian');
  });

  it('one-line: skips deb-src and a vendor keyring, takes the Debian-signed line', () => {
    expect(pickDebianMirror(parseOneLine(ONE_LINE, 'sources.list'), 'bookworm')).toBe('http://mirror-b.test/debian');
  });

  it('prefers a source signed by the Debian keyring over an unsigned one', () => {
    const unsigned = parseOneLine('deb http://plain.test/debian bookworm main\n', 'a.list');
    const signed = parseDeb822(DEB822, 'b.sources');
    expect(pickDebianMirror([...unsigned, ...signed])).toBe('http://mirror-a.test/debian');
    expect(pickDebianMirror(unsigned)).toBe('http://plain.test/debian');
  });

  it("the machine's own release counts as a Debian suite, another distribution's does not", () => {
    const future = parseOneLine('deb http://m.test/debian nextone main\n', 'a.list');
    expect(pickDebianMirror(future)).toBeUndefined();
    expect(pickDebianMirror(future, 'nextone')).toBe('http://m.test/debian');
    expect(debianRelease(OS_RELEASE)).toBe('bookworm');
    expect(debianRelease('ID=ubuntu\nVERSION_CODENAME=noble\n')).toBeUndefined();
  });

  it('third-party repositories only: an error naming the files read, why each was skipped, and the override', () => {
    const root = etcApt({
      'sources.list.d/nodesource.sources': NODESOURCE,
      'sources.list.d/google-cloud-sdk.list': GOOGLE,
      'sources.list.d/docker.list': DOCKER,
    });
    let message = '';
    try {
      debianMirror({ env: {}, etcApt: root, osRelease: OS_RELEASE });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('no Debian archive mirror found');
    for (const f of ['docker.list', 'google-cloud-sdk.list', 'nodesource.sources']) expect(message).toContain(join(root, 'sources.list.d', f));
    expect(message).toContain('nodistro');
    expect(message).toContain('no main component');
    expect(message).toContain(`Set ${MIRROR_ENV}`);
  });

  it('no apt sources at all: the error says which paths were looked at', () => {
    const root = etcApt({});
    expect(() => debianMirror({ env: {}, etcApt: root, osRelease: OS_RELEASE })).toThrow(join(root, 'sources.list'));
  });

  it('the override wins over the configuration and must be a URL', () => {
    const root = etcApt({ 'sources.list.d/debian.sources': DEB822 });
    expect(debianMirror({ env: {}, etcApt: root, osRelease: OS_RELEASE })).toBe('http://mirror-a.test/debian');
    expect(debianMirror({ env: { [MIRROR_ENV]: 'http://override.test/debian/' }, etcApt: root })).toBe('http://override.test/debian');
    expect(() => debianMirror({ env: { [MIRROR_ENV]: 'mirror.test' }, etcApt: root })).toThrow(MIRROR_ENV);
  });

  it("this machine's apt configuration yields a mirror that one of its source files names", () => {
    const { read } = aptSourceFiles('/etc/apt');
    const uri = debianMirror({ env: {} });
    expect(uri).toMatch(/^(https?|ftp|file):\/\//);
    expect(read.some((f) => readFileSync(f, 'utf8').includes(uri))).toBe(true);
  });
});

describe('the private sources.list of test/support/debian.ts', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'ioctl-abi-cache-'));
    dirs.push(cache);
    vi.stubEnv('IOCTL_ABI_CACHE', cache);
    vi.resetModules();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names the configured mirror for every suite', async () => {
    vi.stubEnv(MIRROR_ENV, 'http://configured.test/debian');
    const { aptDir } = await import('../support/debian.ts');
    const list = readFileSync(join(aptDir(), 'sources.list'), 'utf8');
    expect(list).toBe(['bullseye', 'bookworm', 'trixie', 'sid', 'experimental']
      .map((s) => `deb http://configured.test/debian ${s} main\n`).join(''));
  });

  it('is rewritten when the mirror changes, and the indexes are marked stale', async () => {
    const dir = join(cache, 'apt');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'sources.list'), 'deb http://old-host.test/debian bullseye main\n');
    writeFileSync(join(dir, 'state', 'updated'), new Date().toISOString());
    vi.stubEnv(MIRROR_ENV, 'http://new-host.test/debian');
    const { aptDir } = await import('../support/debian.ts');
    const list = readFileSync(join(aptDir(), 'sources.list'), 'utf8');
    expect(list).not.toContain('old-host');
    expect(list.split('\n').filter(Boolean).every((l) => l.startsWith('deb http://new-host.test/debian '))).toBe(true);
    expect(existsSync(join(dir, 'state', 'updated'))).toBe(false);
    // Same mirror again: the list and a fresh stamp are left alone.
    writeFileSync(join(dir, 'state', 'updated'), 'now');
    aptDir();
    expect(existsSync(join(dir, 'state', 'updated'))).toBe(true);
  });

  it("without the override it names this machine's mirror", async () => {
    vi.stubEnv(MIRROR_ENV, '');
    const { aptDir } = await import('../support/debian.ts');
    const list = readFileSync(join(aptDir(), 'sources.list'), 'utf8');
    expect(list).toContain(`deb ${debianMirror({ env: {} })} trixie main\n`);
  });
});
