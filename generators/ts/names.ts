// How spec names become TypeScript names: types in PascalCase, values and fields in camelCase,
// request functions after their request. One place, so codecs, clients and tests agree.

const words = (name: string): string[] => name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/** 'vhost_vring_addr' -> 'VhostVringAddr'. */
export const pascal = (name: string): string => words(name).map(cap).join('');

/** 'desc_user_addr' -> 'descUserAddr'. */
export function camel(name: string): string {
  const p = pascal(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

/** The TypeScript name of a struct or union key ('struct vhost_vring_addr' -> 'VhostVringAddr'). */
export const typeName = (key: string): string => pascal(key.replace(/^(struct|union) /, ''));

/** Codec variable of a type ('struct vhost_vring_addr' -> 'vhostVringAddrCodec'). */
export const codecName = (key: string): string => `${camel(key.replace(/^(struct|union) /, ''))}Codec`;

/** A client method: the request's name without its first word ('VHOST_VDPA_GET_VRING_NUM' -> 'vdpaGetVringNum'). */
export const methodName = (request: string): string => camel(words(request).slice(1).join('_'));

/** The constant-style name of a set ('virtio-device-status' -> 'VirtioDeviceStatus'). */
export const setName = (id: string): string => pascal(id);

/** File of a family's module, relative to generated/ts ('vhost-types' -> './vhost-types.ts'). */
export const familyModule = (family: string): string => `./${family}.ts`;
