// generated/ts/api/<name>.ts: one module per fd family (vhost, vduse, vfio) that re-exports the
// family modules it stands on, for the package subpaths ioctl-abi/vhost and the like. The name is
// the family whose requests its fd kinds serve most.
import type { GeneratedFile } from '../../src/emit/index.ts';
import type { AbiView, Family } from '../../src/model/index.ts';

function closure(view: AbiView, family: Family): Family[] {
  const out = new Map<string, Family>();
  const visit = (f: Family): void => {
    if (out.has(f.name)) return;
    out.set(f.name, f);
    for (const name of f.imports) {
      const dep = view.families.find((x) => x.name === name);
      if (dep) visit(dep);
    }
  };
  visit(family);
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function entryName(view: AbiView, family: Family): string {
  const fds = new Set(family.fds.map((f) => f.name));
  const count = new Map<string, number>();
  for (const r of view.requests) if (r.item.scope.some((s) => fds.has(s))) count.set(r.family, (count.get(r.family) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? family.name;
}

/**
 * One module per socket protocol (ioctl-abi/vhost-user): its family, what that imports, and the
 * wire families whose structs travel in its messages' payloads or buffers (virtio-blk).
 */
function protocolEntries(view: AbiView, render: (path: string, statements: string[]) => string): GeneratedFile[] {
  return [...view.protocols.values()].map((p) => {
    const home = view.families.find((f) => f.name === p.family) as Family;
    const members = new Map<string, Family>();
    for (const f of [home, ...view.families.filter((x) => x.wire && x !== home)]) for (const m of closure(view, f)) members.set(m.name, m);
    const sorted = [...members.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const statements = [`// The ${p.item.name} bindings: ${sorted.map((m) => m.name).join(', ')}.`, "export * from '../abi.ts';", "export * from '../message.ts';", ...sorted.map((m) => `export * from '../${m.name}.ts';`)];
    return { path: `ts/api/${p.item.name}.ts`, syntax: 'ts' as const, sources: sorted.map((m) => m.file), mode: `TypeScript entry ${p.item.name}, kernel ${view.version}`, body: render(`api/${p.item.name}.ts`, statements) };
  });
}

export function entryFiles(view: AbiView, render: (path: string, statements: string[]) => string): GeneratedFile[] {
  return [...ioctlEntries(view, render), ...protocolEntries(view, render)];
}

function ioctlEntries(view: AbiView, render: (path: string, statements: string[]) => string): GeneratedFile[] {
  return view.families.filter((f) => f.fds.length > 0).map((f) => {
    const members = closure(view, f);
    const name = entryName(view, f);
    const statements = [`// The ${name} bindings: ${members.map((m) => m.name).join(', ')}.`, "export * from '../abi.ts';", "export * from '../client.ts';", ...members.map((m) => `export * from '../${m.name}.ts';`)];
    return { path: `ts/api/${name}.ts`, syntax: 'ts' as const, sources: members.map((m) => m.file), mode: `TypeScript entry ${name}, kernel ${view.version}`, body: render(`api/${name}.ts`, statements) };
  });
}
