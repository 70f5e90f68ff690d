// A split virtqueue driven from the front end's side, in guest memory the back end has mapped:
// descriptor table, available ring and used ring at fixed offsets of one memfd region. The
// descriptors, ring headers and used elements go through the generated virtio-ring codecs; the
// layout is virtio 1.x (VERSION_1: little-endian on every host).
import { vringAvailLE, vringDescLE, vringUsedElemLE, VRING_DESC_F_NEXT, VRING_DESC_F_WRITE, type VringUsedElem } from '../../generated/ts/api/vhost.ts';
import type { GuestMemory } from '../../src/runtime/node/index.ts';

/** One buffer of a chain, by guest-physical address. */
export interface ChainBuffer {
  readonly gpa: bigint;
  readonly len: number;
  /** The device writes it (a read's data, a status byte). */
  readonly writable: boolean;
}

/** Where the queue lives: offsets in the region, and the region's guest-physical base. */
export interface QueueLayout {
  readonly size: number;
  readonly descAt: number;
  readonly availAt: number;
  readonly usedAt: number;
  readonly gpaBase: bigint;
}

/** The memory one split queue of `size` entries takes from `at` (desc 16 B, avail 6 + 2n, used 6 + 8n; aligned 16/2/4, here page-aligned for clarity). */
export function queueLayout(size: number, at: number, gpaBase: bigint): QueueLayout {
  const page = (n: number): number => Math.ceil(n / 4096) * 4096;
  const availAt = at + page(16 * size);
  const usedAt = availAt + page(6 + 2 * size);
  return { size, descAt: at, availAt, usedAt, gpaBase };
}

export const queueBytes = (l: QueueLayout): number => l.usedAt - l.descAt + Math.ceil((6 + 8 * l.size) / 4096) * 4096;

export class SplitQueue {
  private readonly free: number[] = [];
  private availIdx = 0;
  private lastUsed = 0;

  constructor(private readonly mem: GuestMemory, readonly layout: QueueLayout) {
    if (layout.size < 1 || layout.size > 32768 || (layout.size & (layout.size - 1)) !== 0) throw new RangeError(`queue size ${layout.size}: a power of two up to 32768`);
    for (let i = layout.size - 1; i >= 0; i--) this.free.push(i);
    mem.bytes.fill(0, layout.descAt, layout.descAt + queueBytes(layout));
    vringAvailLE.encodeInto({ flags: 0n, idx: 0, ring: [] }, mem.bytes, layout.availAt);
  }

  /** The addresses SET_VRING_ADDR takes: the front end's own (user) addresses of the three parts. */
  userAddresses(): { desc: bigint; avail: bigint; used: bigint } {
    const at = (offset: number): bigint => this.mem.userAddr + BigInt(offset);
    return { desc: at(this.layout.descAt), avail: at(this.layout.availAt), used: at(this.layout.usedAt) };
  }

  /** Puts a chain in the descriptor table and offers it to the device; returns its head. */
  offer(chain: readonly ChainBuffer[]): number {
    if (chain.length === 0 || chain.length > this.free.length) throw new RangeError(`a chain of ${chain.length} buffers (${this.free.length} descriptors free)`);
    const ids = chain.map(() => this.free.pop() as number);
    chain.forEach((b, i) => {
      const next = ids[i + 1];
      const flags = (b.writable ? VRING_DESC_F_WRITE : 0) | (next !== undefined ? VRING_DESC_F_NEXT : 0);
      vringDescLE.encodeInto({ addr: b.gpa, len: b.len, flags: BigInt(flags), next: next ?? 0 }, this.mem.bytes, this.layout.descAt + 16 * (ids[i] as number));
    });
    const head = ids[0] as number;
    // the ring entry first, then the index that publishes it
    this.mem.view.setUint16(this.layout.availAt + 4 + 2 * (this.availIdx % this.layout.size), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    vringAvailLE.encodeInto({ flags: 0n, idx: this.availIdx, ring: [] }, this.mem.bytes, this.layout.availAt);
    this.chains.set(head, ids);
    return head;
  }

  /** The next chain the device has used, its descriptors freed; undefined when none is new. */
  takeUsed(): VringUsedElem | undefined {
    const usedIdx = this.mem.view.getUint16(this.layout.usedAt + 2, true);
    if (usedIdx === this.lastUsed) return undefined;
    const elem = vringUsedElemLE.decode(this.mem.bytes, this.layout.usedAt + 4 + 8 * (this.lastUsed % this.layout.size));
    this.lastUsed = (this.lastUsed + 1) & 0xffff;
    const ids = this.chains.get(elem.id);
    if (!ids) throw new Error(`the device used descriptor ${elem.id}, which heads no chain in flight`);
    this.chains.delete(elem.id);
    this.free.push(...ids);
    return elem;
  }

  /** The guest-physical address of a region offset. */
  gpa(offset: number): bigint {
    return this.layout.gpaBase + BigInt(offset);
  }

  private readonly chains = new Map<number, number[]>();
}
