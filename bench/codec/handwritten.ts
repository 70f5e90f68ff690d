// What a careful programmer writes by hand for the two structs of the codec benchmark: DataView
// at fixed offsets, little-endian (x86_64), with the same range checks the generated codecs do.
// The reference the generated code must keep up with.

export interface VringAddr {
  readonly index: number;
  readonly flags: bigint;
  readonly descUserAddr: bigint;
  readonly usedUserAddr: bigint;
  readonly availUserAddr: bigint;
  readonly logGuestAddr: bigint;
}

export interface IotlbMsg {
  readonly iova: bigint;
  readonly size: bigint;
  readonly uaddr: bigint;
  readonly perm: number;
  readonly type: number;
}

export interface MsgV2 {
  readonly type: number;
  readonly asid: number;
  readonly iotlb: IotlbMsg;
}

function u32(v: number, what: string): void {
  if (v >>> 0 !== v) throw new RangeError(`${what}: ${v} is not a __u32`);
}
function u64(v: bigint, what: string): void {
  if (BigInt.asUintN(64, v) !== v) throw new RangeError(`${what}: ${v} is not a __u64`);
}
function u8(v: number, what: string): void {
  if ((v & 0xff) !== v) throw new RangeError(`${what}: ${v} is not a __u8`);
}

export function encodeVringAddr(v: VringAddr): Uint8Array {
  u32(v.index, 'index');
  if (BigInt.asUintN(32, v.flags) !== v.flags) throw new RangeError('flags');
  u64(v.descUserAddr, 'desc_user_addr');
  u64(v.usedUserAddr, 'used_user_addr');
  u64(v.availUserAddr, 'avail_user_addr');
  u64(v.logGuestAddr, 'log_guest_addr');
  const bytes = new Uint8Array(40);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, v.index, true);
  dv.setUint32(4, Number(v.flags), true);
  dv.setBigUint64(8, v.descUserAddr, true);
  dv.setBigUint64(16, v.usedUserAddr, true);
  dv.setBigUint64(24, v.availUserAddr, true);
  dv.setBigUint64(32, v.logGuestAddr, true);
  return bytes;
}

export function decodeVringAddr(bytes: Uint8Array): VringAddr {
  if (bytes.byteLength < 40) throw new RangeError('short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    index: dv.getUint32(0, true),
    flags: BigInt(dv.getUint32(4, true)),
    descUserAddr: dv.getBigUint64(8, true),
    usedUserAddr: dv.getBigUint64(16, true),
    availUserAddr: dv.getBigUint64(24, true),
    logGuestAddr: dv.getBigUint64(32, true),
  };
}

export function encodeMsgV2(v: MsgV2): Uint8Array {
  u32(v.type, 'type');
  u32(v.asid, 'asid');
  u64(v.iotlb.iova, 'iova');
  u64(v.iotlb.size, 'size');
  u64(v.iotlb.uaddr, 'uaddr');
  u8(v.iotlb.perm, 'perm');
  u8(v.iotlb.type, 'iotlb type');
  const bytes = new Uint8Array(72);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, v.type, true);
  dv.setUint32(4, v.asid, true);
  dv.setBigUint64(8, v.iotlb.iova, true);
  dv.setBigUint64(16, v.iotlb.size, true);
  dv.setBigUint64(24, v.iotlb.uaddr, true);
  dv.setUint8(32, v.iotlb.perm);
  dv.setUint8(33, v.iotlb.type);
  return bytes;
}

export function decodeMsgV2(bytes: Uint8Array): MsgV2 {
  if (bytes.byteLength < 72) throw new RangeError('short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    type: dv.getUint32(0, true),
    asid: dv.getUint32(4, true),
    iotlb: {
      iova: dv.getBigUint64(8, true),
      size: dv.getBigUint64(16, true),
      uaddr: dv.getBigUint64(24, true),
      perm: dv.getUint8(32),
      type: dv.getUint8(33),
    },
  };
}
