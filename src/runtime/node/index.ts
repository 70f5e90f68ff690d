// ioctl-abi/runtime/node: the Node-only half of the runtime — the kernel transport over koffi
// and the helpers the examples need to find their kernel version.
export { koffiTransport, withExplainer, type KoffiTransport } from './koffi.ts';
export { specVersionFor } from './kernel.ts';
export { UnixSocket, MAX_FDS, type UnixSocketOptions } from './unix-socket.ts';
export { GuestMemory } from './guest-memory.ts';
export { EventFd } from './eventfd.ts';
