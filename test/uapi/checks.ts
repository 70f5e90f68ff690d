// What the model says about one version on one ABI, as C checks a compiler can verify:
// every numeric constant, every request number, every struct/union size, alignment and offset.
import type { Abi } from '../../src/model/index.ts';
import type { AbiView as VersionModel } from '../../src/model/index.ts';
import type { Check } from '../oracle/probe.ts';
import { layoutOk } from '../support/spec.ts';

export function modelChecks(vm: VersionModel, abi: Abi): Check[] {
  const checks: Check[] = [];
  // A wire family (vhost-user) is a socket protocol, not kernel UAPI: no kernel header has it.
  const wire = new Set(vm.families.filter((f) => f.wire).map((f) => f.name));
  for (const c of vm.constants.values()) {
    if (c.value === undefined || wire.has(c.family)) continue;
    checks.push({ id: c.name, expr: c.name, expected: c.value });
  }
  for (const r of vm.requests) checks.push({ id: r.item.name, expr: r.item.name, expected: BigInt(vm.number(r, abi)) });
  for (const { key, family } of vm.types.values()) {
    if (wire.has(family)) continue;
    const l = layoutOk(vm, abi, key);
    checks.push({ id: `sizeof(${key})`, expr: `sizeof(${key})`, expected: BigInt(l.size) });
    checks.push({ id: `alignof(${key})`, expr: `__alignof__(${key})`, expected: BigInt(l.align) });
    for (const f of l.fields) {
      if (f.path) checks.push({ id: `offsetof(${key}, ${f.path})`, expr: `__builtin_offsetof(${key}, ${f.path})`, expected: BigInt(f.offset) });
    }
  }
  return checks;
}

/** #include lines for every header the model emits at this version. */
export function includesFor(vm: VersionModel): string {
  return `${['linux/ioctl.h', ...vm.families.filter((f) => f.header).map((f) => f.header as string)].map((h) => `#include <${h}>`).join('\n')}\n`;
}
