// The rule catalog as documented, and the spec's declarations the diff relies on: every struct
// that crosses the ABI boundary (a request argument, a channel record) declares how it may grow.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/diff/rules.ts';
import { openSpec, type Spec } from '../../src/model/index.ts';
import { ROOT } from './support.ts';

describe('docs/compat-rules.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/compat-rules.md'), 'utf8');
  const rows = new Map([...doc.matchAll(/^\| `([a-z-]+)` \| (wire-break|source-break|behaviour-break|behaviour-change|compatible) \|/gm)].map((m) => [m[1] as string, m[2] as string]));
  it('lists every rule with the severity the code gives it, and no other', () => {
    expect(Object.fromEntries([...rows].sort())).toEqual(Object.fromEntries(Object.entries(RULES).map(([id, r]) => [id, r.severity]).sort()));
  });
});

function open(dir: string): Spec {
  const r = openSpec(join(ROOT, dir));
  if (!r.ok) throw new Error(`${dir} does not open`);
  return r.spec;
}

describe('extension protocols declared in the spec', () => {
  for (const dir of ['spec', 'spec/history/vhost-mdev-v1', 'spec/history/vhost-mdev-v2', 'spec/history/vhost-mdev-v3']) {
    it(`${dir}: every request argument, channel record and message payload struct says how it grows`, () => {
      const spec = open(dir);
      const missing = new Set<string>();
      let checked = 0;
      for (const v of spec.checkedVersions) {
        const view = spec.at(v);
        const boundary = [
          ...view.requests.map((r) => r.item.argType).filter((t) => t?.kind === 'struct' || t?.kind === 'union').map((t) => `${t?.kind} ${(t as { tag: string }).tag}`),
          ...[...view.channels.values()].flatMap((c) => c.records.map((r) => r.type)),
          // A protocol message's payloads cross a socket the same way.
          ...view.messages.flatMap((m) => [m.item.payload, m.item.replyPayload]).filter((t): t is string => t?.startsWith('struct ') === true),
        ];
        for (const key of boundary) {
          const t = view.types.get(key);
          checked++;
          if (!t?.item.extension) missing.add(`${key} at ${v}`);
        }
        for (const t of view.types.values()) {
          // VFIO's argsz structs are the argsz protocol; no other struct may claim it.
          if (t.item.argsz !== (t.item.extension === 'argsz')) missing.add(`${t.key}: argsz: ${t.item.argsz} but extension: ${t.item.extension ?? 'none'}`);
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect([...missing]).toEqual([]);
    });
  }
});

describe('sentinels are declared, not guessed', () => {
  it('every count or end marker of the spec (*_NUM_*, *_NUM, *_MAX of a value set, *_NR, *_F_END) is sentinel: true', () => {
    const spec = open('spec');
    const unmarked = new Set<string>();
    for (const v of spec.checkedVersions) {
      for (const c of spec.at(v).constants.values()) {
        // *_MAX defines that are limits (VDUSE_NAME_MAX, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX) are protocol values, not counts.
        // A feature bit named *_MAX (VIRTIO_BLK_F_SIZE_MAX) says the device reports a maximum: a feature, not a count.
        const featureBit = c.set?.kind === 'set' && c.set.set === 'features';
        const marker = /_NUM_(IRQS|REGIONS)$|_NR$|_F_END$|_F_START$/.test(c.name) || (c.kind !== 'define' && !featureBit && /_MAX$/.test(c.name));
        if (marker && !('sentinel' in c.item && c.item.sentinel)) unmarked.add(c.name);
      }
    }
    expect([...unmarked]).toEqual([]);
  });
});

describe('the diff reads models only through the front door', () => {
  it('src/diff, src/cli/diff.ts, generators/abi and test/diff import no file of src/model but index.ts', () => {
    const files = (dir: string): string[] => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|mts)$/.test(f)).map((f) => join(dir, f));
    const all = [...files('src/diff'), 'src/cli/diff.ts', ...files('generators/abi'), ...files('test/diff')];
    const bad = all.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from\s+'([^']+)'|import\('([^']+)'\)/g)]
        .map((m) => (m[1] ?? m[2]) as string)
        .filter((spec) => spec.startsWith('.') && relative(ROOT, join(ROOT, dirname(file), spec)).startsWith('src/model/') && relative(ROOT, join(ROOT, dirname(file), spec)) !== 'src/model/index.ts')
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(all.length).toBeGreaterThan(15);
    expect(bad).toEqual([]);
  });
});
