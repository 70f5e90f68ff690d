// The generated UAPI headers pass the kernel's own style checkers: scripts/checkpatch.pl
// --strict and scripts/kernel-doc, both from Debian's linux-source package (test/support/
// checkpatch.ts). Since the headers are token-identical to the kernel's, a few findings are
// about the tokens themselves; those must be (a) listed with a justification in
// docs/checkpatch.md and (b) found in the kernel's own header of the same version too.
// Prints, per version, errors/warnings/checks for ours and for the kernel's.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { KERNEL_VERSIONS, kernelHeadersRoot } from '../oracle/kernels.ts';
import { mapLimit } from '../oracle/probe.ts';
import { checkpatchTool, type CheckpatchTool } from '../support/checkpatch.ts';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pipeline = openOk(join(import.meta.dirname, '../../spec'));
const work = mkdtempSync(join(tmpdir(), 'ioctl-abi-checkpatch-'));

interface Finding {
  level: 'ERROR' | 'WARNING' | 'CHECK';
  type: string;
  message: string;
  line: number;
}

/**
 * The finding types docs/checkpatch.md justifies: the first column of the table under
 * "## Remaining findings", written `TYPE` (checkpatch's --show-types name).
 */
function justifiedTypes(): Set<string> {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/checkpatch.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Remaining findings')) ?? '';
  return new Set([...section.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1] as string));
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * checkpatch on `rel` (include/uapi/linux/X.h) inside the mini tree `root`. The path matters:
 * checkpatch skips the checks that do not apply to UAPI headers (BIT(), __packed,
 * __aligned, C99 types, __inline) for files under include/uapi/ (see docs/checkpatch.md).
 */
async function checkpatch(tool: CheckpatchTool, root: string, rel: string): Promise<Finding[]> {
  const r = await run('perl', [tool.checkpatch, '--strict', '--no-tree', `--root=${root}`, '--terse', '--show-types', '-f', rel], root);
  const findings: Finding[] = [];
  let total: number | undefined;
  for (const line of r.stdout.split('\n')) {
    const m = /^[^:]+:(\d+): (ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$/.exec(line);
    if (m) findings.push({ line: Number(m[1]), level: m[2] as Finding['level'], type: m[3] as string, message: m[4] as string });
    const t = /^total: (\d+) errors, (\d+) warnings, (\d+) checks/.exec(line);
    if (t) total = Number(t[1]) + Number(t[2]) + Number(t[3]);
  }
  const sane = r.code >= 0 && r.code <= 1 && r.stderr.trim() === '' && findings.length === (total ?? 0);
  if (!sane) throw new Error(`checkpatch ${rel} (exit ${r.code}): unexpected output\n${r.stdout}\n${r.stderr}`);
  return findings;
}

/** kernel-doc's warnings (-none: check only, -Wall: every warning) for `rel` under `root`. */
async function kernelDoc(tool: CheckpatchTool, root: string, rel: string): Promise<string[]> {
  const r = await run('perl', [tool.kernelDoc, '-none', '-Wall', rel], root);
  if (r.code < 0 || r.stdout.trim()) throw new Error(`kernel-doc ${rel} (exit ${r.code}): unexpected output\n${r.stdout}\n${r.stderr}`);
  return r.stderr.split('\n').filter((l) => l.trim() !== '');
}

function key(f: Finding): string {
  return `${f.level}:${f.type}: ${f.message}`;
}

function counts(findings: readonly Finding[]): { errors: number; warnings: number; checks: number } {
  return {
    errors: findings.filter((f) => f.level === 'ERROR').length,
    warnings: findings.filter((f) => f.level === 'WARNING').length,
    checks: findings.filter((f) => f.level === 'CHECK').length,
  };
}

interface Row { version: string; headers: number; ours: Finding[]; kernels: Finding[]; oursDoc: number; kernelDoc: number }
const rows: Row[] = [];
const seenTypes = new Set<string>();
let tool: CheckpatchTool | undefined;
let unavailable = '';

beforeAll(() => {
  try {
    tool = checkpatchTool();
  } catch (err) {
    unavailable = (err as Error).message;
    console.warn(`checkpatch unavailable${ci ? '' : ' (not CI: tests skipped)'}: ${unavailable}`);
  }
}, 30 * 60_000);

/** The checker, or a skip; in CI a missing checker fails every test, never skips it. */
function requireTool(ctx: { skip: () => never }): CheckpatchTool {
  if (tool) return tool;
  if (ci) throw new Error(`checkpatch unavailable in CI: ${unavailable}`);
  return ctx.skip();
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (!rows.length || !tool) return;
  const cell = (f: Finding[]): string => { const c = counts(f); return `${c.errors}/${c.warnings}/${c.checks}`; };
  const lines = [
    `checkpatch --strict (scripts/checkpatch.pl of ${tool.debVersion}), errors/warnings/checks; kernel-doc -Wall warnings`,
    'version  headers  ours      kernel     ours kdoc  kernel kdoc',
    ...rows.map((r) => `${r.version.padEnd(7)}  ${String(r.headers).padStart(7)}  ${cell(r.ours).padEnd(8)}  ${cell(r.kernels).padEnd(9)}  ${String(r.oursDoc).padStart(9)}  ${String(r.kernelDoc).padStart(11)}`),
  ];
  console.log(lines.join('\n'));
});

describe('checkpatch --strict and kernel-doc on the generated UAPI headers', () => {
  it('docs/checkpatch.md justifies at least one finding type', () => {
    expect(justifiedTypes().size).toBeGreaterThan(0);
  });

  for (const version of KERNEL_VERSIONS) {
    it(`kernel ${version}: only justified findings, each also in the kernel's own header`, async (ctx) => {
      const t = requireTool(ctx);
      const justified = justifiedTypes();
      const ours = join(work, 'generated', version);
      const theirs = join(work, 'kernel', version);
      const headers: string[] = [];
      for (const f of uapiFiles(viewAt(pipeline, version))) {
        const rel = join('include', f.path); // uapi/linux/X.h -> include/uapi/linux/X.h
        const real = join(kernelHeadersRoot(version), 'usr/include', f.path.replace(/^uapi\//, ''));
        expect(existsSync(real), `${version}: the kernel has no ${f.path}`).toBe(true);
        for (const [root, write] of [[ours, (p: string) => writeFileSync(p, f.content)], [theirs, (p: string) => copyFileSync(real, p)]] as const) {
          mkdirSync(dirname(join(root, rel)), { recursive: true });
          write(join(root, rel));
        }
        headers.push(rel);
      }
      const results = await mapLimit(headers, async (rel) => ({
        rel,
        ours: await checkpatch(t, ours, rel),
        kernels: await checkpatch(t, theirs, rel),
        oursDoc: await kernelDoc(t, ours, rel),
        kernelDoc: await kernelDoc(t, theirs, rel),
      }));
      const problems: string[] = [];
      for (const r of results) {
        const kernelKeys = new Map<string, number>();
        for (const f of r.kernels) kernelKeys.set(key(f), (kernelKeys.get(key(f)) ?? 0) + 1);
        for (const f of r.ours) {
          seenTypes.add(f.type);
          if (!justified.has(f.type)) problems.push(`${r.rel}:${f.line}: ${key(f)} (not justified in docs/checkpatch.md)`);
          const left = kernelKeys.get(key(f)) ?? 0;
          if (left === 0) problems.push(`${r.rel}:${f.line}: ${key(f)} (not in the kernel's own ${r.rel} of ${version})`);
          else kernelKeys.set(key(f), left - 1);
        }
        for (const w of r.oursDoc) problems.push(`kernel-doc: ${w}`);
      }
      rows.push({
        version,
        headers: headers.length,
        ours: results.flatMap((r) => r.ours),
        kernels: results.flatMap((r) => r.kernels),
        oursDoc: results.reduce((n, r) => n + r.oursDoc.length, 0),
        kernelDoc: results.reduce((n, r) => n + r.kernelDoc.length, 0),
      });
      expect(problems).toEqual([]);
    }, 600_000);
  }

  it('every justified finding type still occurs (docs/checkpatch.md has no stale entries)', (ctx) => {
    requireTool(ctx);
    if (rows.length !== KERNEL_VERSIONS.length) return ctx.skip(); // a version failed: reported there
    expect([...justifiedTypes()].filter((t) => !seenTypes.has(t))).toEqual([]);
  });
});
