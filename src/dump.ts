// A stable, sorted, versioned JSON snapshot of the model at one version.
// The compatibility checker and the lock file read this shape; bump DUMP_FORMAT on any change.
import { ABIS, type Abi } from './model/abi.ts';
import { MACRO_OF } from './model/ioc.ts';
import type { VersionModel } from './model/project.ts';
import type { AggregateItem, FieldMember } from './model/types.ts';

export const DUMP_FORMAT = 'ioctl-abi-dump/1';

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

function sortedObject<T>(entries: Array<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function dumpModel(vm: VersionModel, abis: readonly Abi[] = ABIS): unknown {
  const constants = sortedObject(
    [...vm.constants.values()].map((c) => [c.name, {
      kind: c.kind,
      ...(c.value !== undefined ? { value: c.value >= 0n && c.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(c.value) : c.value.toString() } : {}),
      ...(c.string !== undefined ? { string: c.string } : {}),
      ...(c.set && c.set.kind === 'set' ? { set: c.set.id } : {}),
      family: c.family,
    }]),
  );
  const types = sortedObject(
    [...vm.aggregates.values()].map((e) => [e.key, {
      family: e.family,
      ...(e.item.packed ? { packed: true } : {}),
      members: e.item.members.filter((m): m is FieldMember | AggregateItem => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union').map((m) => (m.kind === 'field' ? { name: m.name, type: m.type, ...(m.dims.length ? { dims: m.dims.map((d) => (typeof d === 'string' ? (d === 'flex' ? '[]' : '[0]') : d.text)) } : {}) } : { name: m.name ?? null, type: `${m.kind} ${m.tag ?? '(anonymous)'}` })),
      layout: sortedObject(abis.map((abi) => {
        const l = vm.aggregateLayout(abi, e.key);
        return [abi.name, { size: l.size, align: l.align, offsets: sortedObject(l.fields.filter((f) => f.path).map((f) => [f.path, f.offset])) }];
      })),
    }]),
  );
  const requests = sortedObject(
    vm.requests.map((r) => [r.item.name, {
      family: r.family,
      macro: MACRO_OF[r.item.encoding],
      type: hex(r.type),
      nr: hex(r.nr),
      ...(r.item.arg ? { arg: r.item.arg } : {}),
      pass: r.item.pass,
      data: r.item.data,
      scope: [...r.item.scope].sort(),
      ...(r.item.quirk ? { quirk: true } : {}),
      number: sortedObject(abis.map((abi) => [abi.name, hex(vm.requestNumber(r, abi))])),
    }]),
  );
  const sets = sortedObject([...vm.sets.values()].map(({ item, family }) => [item.id, { kind: item.set, family, values: item.values.map((v) => v.name), ...(item.reserved ? { reserved: item.reserved } : {}) }]));
  const families = vm.families.map((f) => f.name).sort();
  const fds = sortedObject(vm.families.flatMap((f) => f.fds).map((fd) => [fd.name, {
    ...(fd.status ? { status: fd.status } : {}),
    rules: fd.rules.map((r) => ({ requests: r.requests, requires: r.requires, forbids: r.forbids, ...(r.transition ? { transition: r.transition } : {}), owner: r.owner, unowned: r.unowned, error: r.error })),
    quirks: fd.quirks.map((q) => ({ name: q.name, requests: q.requests, ...(q.unknownRequests ? { unknownRequests: true } : {}), errno: q.errno })),
    ...(fd.unknownRequest ? { unknownRequest: fd.unknownRequest } : {}),
  }]));
  const devices = sortedObject(vm.families.flatMap((f) => f.devices).map((d) => [d.name, {
    fd: d.fd, ...(d.deviceId ? { deviceId: d.deviceId } : {}), requestSets: d.requestSets, requests: d.requests, features: d.features,
    ...(d.featureBlacklist ? { featureBlacklist: [...d.featureBlacklist].sort() } : {}),
    ...(d.featureAllowlist ? { featureAllowlist: [...d.featureAllowlist].sort() } : {}),
  }]));
  const channels = sortedObject(vm.families.flatMap((f) => f.channels).map((c) => [c.name, { fds: [...c.fds].sort(), records: c.records.map((r) => ({ type: r.type, direction: r.direction })) }]));
  return { format: DUMP_FORMAT, version: vm.version, abis: abis.map((a) => a.name), families, constants, sets, types, requests, fds, devices, channels };
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
