// Synthetic specs for the scaling benchmark: N requests spread over a few families (one UAPI
// header each), shaped like the real ones — struct arguments with flags fields and their flag
// sets, eventfd fields, requests that return fds, pointers carried in __u64, a VFIO-style argsz
// struct now and then, all four encodings, items added and removed across 5 versions, and a
// family of fd kinds the requests are scoped to. Deterministic: the same N gives the same files.
//   npx tsx bench/synthetic.ts DIR N
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SYNTHETIC_VERSIONS = ['6.1', '6.6', '6.12', '7.2', '7.3'] as const;
const FAMILIES = ['snet', 'sblk', 'scrypto', 'sgpu'];
/** nrs used per ioctl type (of 256): leaves room, as real types do. */
const PER_TYPE = 200;
const ENCODINGS = ['none', 'read', 'write', 'readwrite'] as const;

export interface SyntheticStats {
  requests: number;
  structs: number;
  flagSets: number;
  families: number;
  bytes: number;
}

/** Writes project.yaml, one header family per entry of FAMILIES and an fds family into dir. */
export function writeSyntheticSpec(dir: string, requests: number): SyntheticStats {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'project.yaml': `project: synthetic-${requests}\ndoc: Synthetic spec of ${requests} requests (bench/synthetic.ts).\nversions: [${SYNTHETIC_VERSIONS.join(', ')}]\n`,
  };
  const stats: SyntheticStats = { requests: 0, structs: 0, flagSets: 0, families: FAMILIES.length + 1, bytes: 0 };
  let typeValue = 0x40; // ioctl types (magics) unique across the spec
  FAMILIES.forEach((fam, f) => {
    const count = Math.floor(requests / FAMILIES.length) + (f < requests % FAMILIES.length ? 1 : 0);
    const up = fam.toUpperCase();
    const out: string[] = [
      '# yaml-language-server: $schema=schema/ioctl-abi.schema.json',
      `family: ${fam}`,
      `doc: "Synthetic family ${fam}: ${count} requests on /dev/${fam}."`,
      `header: linux/${fam}.h`,
      'source: bench/synthetic.ts',
      'items:',
      '  - { include: linux/types.h }',
      '  - { include: linux/ioctl.h }',
    ];
    for (let i = 0; i < count; i++) {
      if (i % PER_TYPE === 0) {
        const t = i / PER_TYPE;
        out.push(`  - { define: ${up}_TYPE${t}, value: 0x${(typeValue++).toString(16).toUpperCase()}, ioctl-type: true, doc: "ioctl type of ${fam} requests ${i}..${Math.min(count, i + PER_TYPE) - 1}." }`);
      }
      const name = `${up}_REQ_${i}`;
      const lower = `${fam}_req_${i}`;
      const encoding = ENCODINGS[i % 4] as (typeof ENCODINGS)[number];
      // Lifetimes: some requests are newer than the oldest version, a few were removed.
      const since = i % 10 === 3 ? SYNTHETIC_VERSIONS[1 + (i % 4)] : undefined;
      const until = i % 50 === 7 ? SYNTHETIC_VERSIONS[3] : undefined;
      const lifeBlock = `${since ? `\n    since: ${since}` : ''}${until ? `\n    until: ${until}` : ''}`;
      let arg: string | undefined;
      if (encoding !== 'none' && i % 5 !== 4) {
        const argsz = i % 23 === 0;
        out.push(`  - struct: ${lower}`);
        out.push(`    doc: "Argument of ${name}."`);
        if (argsz) out.push('    argsz: true');
        if (since) out.push(`    since: ${since}`);
        if (until) out.push(`    until: ${until}`);
        out.push('    members:');
        if (argsz) out.push('      - { field: argsz, type: __u32, argsz: true, doc: "size of the argument, set by the caller" }');
        if (i % 10 < 6) {
          const set = `${fam}-req-${i}-flags`;
          out.push(`      - { field: flags, type: __u32, flags: ${set}${argsz ? ', min: true' : ''} }`);
          out.push(`      - flags: ${set}`);
          out.push(`        reserved: reject`);
          out.push('        values:');
          for (let b = 0; b < 4; b++) out.push(`          - { name: ${name}_F_BIT${b}, value: (1 << ${b}), doc: "option ${b}" }`);
          stats.flagSets++;
        } else {
          out.push(`      - { field: index, type: __u32${argsz ? ', min: true' : ''}, doc: "object index" }`);
        }
        if (i % 3 === 0) out.push('      - { field: fd, type: __s32, doc: "an eventfd, or -1" }');
        else out.push('      - { field: count, type: __u32 }');
        if (argsz) out.push('      - { field: reserved, type: __u32, doc: "must be zero" }');
        out.push('      - { field: addr, type: __u64, user-pointer: true, doc: "userspace buffer" }');
        out.push('      - { field: size, type: __u64 }');
        if (i % 7 === 0 && !until) out.push(`      - { field: extra, type: __u64, since: ${SYNTHETIC_VERSIONS[3]}, doc: "appended in ${SYNTHETIC_VERSIONS[3]}" }`);
        stats.structs++;
        arg = `struct ${lower}`;
      } else if (encoding !== 'none') {
        arg = i % 2 ? '__u64' : '__u32';
      }
      out.push(`  - request: ${name}`);
      out.push(`    doc: "Synthetic request ${i} of ${fam}."`);
      out.push(`    type: ${up}_TYPE${Math.floor(i / PER_TYPE)}`);
      out.push(`    nr: 0x${(i % PER_TYPE).toString(16)}`);
      out.push(`    encoding: ${encoding}`);
      if (arg) out.push(`    arg: ${arg}`);
      if (encoding === 'none' && i % 8 === 0) out.push('    returns: a new fd');
      out.push(`    scope: [${fam}]${lifeBlock}`);
      stats.requests++;
    }
    files[`${fam}.yaml`] = `${out.join('\n')}\n`;
  });
  files['synthetic-fds.yaml'] = [
    'family: synthetic-fds',
    'doc: The fd kinds of the synthetic families.',
    `imports: [${FAMILIES.join(', ')}]`,
    'items: []',
    'fds:',
    ...FAMILIES.flatMap((fam) => [`  - fd: ${fam}`, `    doc: /dev/${fam}`, `    path: /dev/${fam}`, '    unknown-request: ENOTTY']),
    '',
  ].join('\n');
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    stats.bytes += Buffer.byteLength(text);
  }
  return stats;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, n] = process.argv.slice(2);
  if (!dir || !n) {
    process.stderr.write('usage: tsx bench/synthetic.ts DIR REQUESTS\n');
    process.exit(2);
  }
  console.log(writeSyntheticSpec(dir, Number(n)));
}
