// C spellings for kernel code: identifiers from spec names, and kernel integer types.
import { formatCType, type CType } from '../../src/model/index.ts';

/** A spec name as a C identifier: vhost-vdpa-net -> vhost_vdpa_net. */
export function cIdent(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** A handler's name part: the request without its family prefix (VHOST_VDPA_GET_CONFIG -> get_config, VHOST_MDEV_GET_STATUS -> get_status). */
export function shortName(request: string): string {
  return request.replace(/^(?:VHOST_VDPA|VHOST_MDEV|VHOST|VDUSE|VFIO)_/, '').toLowerCase();
}

// Kernel code spells the fixed-width types without underscores (checkpatch: PREFER_KERNEL_TYPES).
const KERNEL_PRIM: Record<string, string> = {
  __u8: 'u8', __u16: 'u16', __u32: 'u32', __u64: 'u64', __s8: 's8', __s16: 's16', __s32: 's32', __s64: 's64',
};

/** The kernel spelling of a C type from the spec. */
export function kernelType(t: CType): string {
  if (t.kind === 'prim') return KERNEL_PRIM[t.name] ?? t.name;
  if (t.kind === 'pointer') return `${kernelType(t.to)} *`;
  return formatCType(t);
}

/** `type name` or `type *name`, spaced the kernel's way. */
export function declare(type: string, name: string): string {
  return type.endsWith('*') ? `${type}${name}` : `${type} ${name}`;
}
