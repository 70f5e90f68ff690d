// generators/abi: the ABI lock files, generated/abi/<family>.json (lock.ts). Every version the
// spec checks, not only the one gen emits: a change to any version's ABI shows in review.
import type { EmitOptions, Emitter, GeneratedFile } from '../../src/emit/index.ts';
import { ABIS, snapshot, SNAPSHOT_FORMAT, type AbiSnapshot, type AbiView } from '../../src/model/index.ts';
import { familyPart, LOCK_FORMAT, lockText, segments, type FamilyItems } from './lock.ts';

/** The views to lock: every version the spec checks (gen passes the spec), else those it lists. */
function views(view: AbiView, options: EmitOptions): AbiView[] {
  const versions = options.spec ? options.spec.checkedVersions : view.specVersions;
  return versions.map((v) => (options.spec ? options.spec.at(options.spec.checkedVersions.find((k) => k === v) ?? options.spec.newest) : view.atVersion(v))).filter((v): v is AbiView => v !== undefined);
}

export const abiEmitter: Emitter = {
  name: 'abi',
  owns: 'abi',
  emit(view, options): GeneratedFile[] {
    const all = views(view, options);
    const snaps = new Map<string, { snap: AbiSnapshot; view: AbiView }>(all.map((v) => [v.version, { snap: snapshot(v, ABIS), view: v }]));
    const names = [...new Set(all.flatMap((v) => v.families.map((f) => f.name)))].sort();
    return names.map((family) => {
      const file = all.flatMap((v) => v.families).find((f) => f.name === family)?.file ?? family;
      const versions = [...snaps].flatMap(([version, { snap, view: v }]) => {
        const f = v.families.find((x) => x.name === family);
        if (!f) return [];
        const items: FamilyItems = { fds: new Set(f.fds.map((x) => x.name)), devices: new Set(f.devices.map((x) => x.name)), channels: new Set(f.channels.map((x) => x.name)) };
        return [[version, familyPart(snap, family, items)] as const];
      });
      const head = {
        generatedBy: `${options.command}; do not edit: review its diff (ioctl-abi diff explains it)`,
        format: LOCK_FORMAT,
        snapshot: SNAPSHOT_FORMAT,
        family,
        abis: ABIS.map((a) => a.name).join(' '),
        versions: all.map((v) => v.version).join(' '),
      };
      return { path: `abi/${family}.json`, syntax: 'json' as const, sources: [file], mode: `ABI lock of ${family}`, body: lockText(head, segments(versions)) };
    });
  },
};
