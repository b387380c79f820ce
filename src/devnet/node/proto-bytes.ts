// BinaryWriter → exactly-sized bytes. cosmjs-types' `finish()` builds a fresh 8 KiB pool slab per
// call and returns a view into it, so every small message would allocate (and a kept tx pin) 8 KiB.
import type { BinaryWriter } from 'cosmjs-types/binary';

export function toBytes(w: BinaryWriter): Uint8Array {
  const buf = new Uint8Array(w.len);
  let pos = 0;
  for (let op = w.head.next; op; op = op.next) {
    op.proceed(buf, pos);
    pos += op.len;
  }
  return buf;
}
