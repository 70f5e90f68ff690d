// Guest memory for a vhost-user front end: a memfd (so the back end can map it from the fd sent
// with SET_MEM_TABLE), mapped shared into this process and exposed as a Uint8Array over the
// mapping itself (koffi.view: no copy, both sides see every store).
import koffi from 'koffi';
import { MAP_SHARED, MFD_CLOEXEC, PROT_READ_WRITE, lastErrno, loadLibc } from './libc.ts';

export class GuestMemory {
  /** The memfd: send it with the memory table. */
  readonly fd: number;
  readonly size: number;
  /** The mapping's address in this process (a region's user_addr). */
  readonly userAddr: bigint;
  /** The mapped bytes. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly pointer: unknown;
  private closed = false;

  private constructor(fd: number, size: number, pointer: unknown) {
    this.fd = fd;
    this.size = size;
    this.pointer = pointer;
    this.userAddr = koffi.address(pointer);
    const buffer = koffi.view(pointer, size);
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
  }

  /** A zeroed memfd of `size` bytes (a multiple of the page size), mapped read-write and shared. */
  static create(name: string, size: number): GuestMemory {
    const c = loadLibc();
    if (!Number.isSafeInteger(size) || size <= 0 || size % 4096 !== 0) throw new RangeError(`guest memory: ${size} bytes (a positive multiple of 4096)`);
    const fd = c.memfdCreate(name, MFD_CLOEXEC) as number;
    if (fd < 0) throw new Error(`memfd_create: errno ${-lastErrno()}`);
    if ((c.ftruncate(fd, size) as number) < 0) {
      const errno = -lastErrno();
      c.close(fd);
      throw new Error(`ftruncate memfd to ${size}: errno ${errno}`);
    }
    const pointer = c.mmap(null, size, PROT_READ_WRITE, MAP_SHARED, fd, 0) as unknown;
    // MAP_FAILED is (void *)-1
    if (koffi.address(pointer) === (1n << BigInt(8 * koffi.sizeof('void *'))) - 1n) {
      const errno = -lastErrno();
      c.close(fd);
      throw new Error(`mmap memfd of ${size} bytes: errno ${errno}`);
    }
    return new GuestMemory(fd, size, pointer);
  }

  /** Unmaps and closes the memfd (once). The bytes must not be touched afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const c = loadLibc();
    c.munmap(this.pointer, this.size);
    c.close(this.fd);
  }
}
