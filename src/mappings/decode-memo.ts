// A bounded memo of pure decodes keyed by their input text. A packet's JSON is decoded at its send,
// again at its ack or timeout, and by the external-staking mapping for the packets it sent: the
// same text a few blocks apart. Results are shared between callers, so they must not be mutated
// (rows hold them by reference, as they hold any value).
export class DecodeMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max = 1024) {}

  get(key: string, decode: () => V): V {
    let v = this.map.get(key);
    if (v === undefined && !this.map.has(key)) {
      v = decode();
      // oldest first out (Map keeps insertion order)
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
      this.map.set(key, v);
    }
    return v as V;
  }
}
