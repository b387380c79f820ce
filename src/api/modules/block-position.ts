// Where in its block the indexer wrote a row, read from the row id (src/indexer/route.ts rowId:
// `<chain>/<height>/<tx index | begin | end>/<msg>/<event>[/suffix]`): begin-block events first, then
// the txs in order, then end-block events; within them the event index. Ordering by
// (height, tx position, event index, id) is the chain's own order of events, which the id alone
// (text) is not: "10" sorts before "2".

/** SQL expressions [tx position, event index] of table alias `t` (columns id, chain_id, height). */
export function blockPosition(t: string): [tx: string, event: string] {
  const rest = `substr(${t}.id, length(${t}.chain_id) + length(${t}.height::text) + 3)`;
  const tx = `split_part(${rest}, '/', 1)`;
  const ev = `split_part(${rest}, '/', 3)`;
  const int = (x: string, otherwise: string) => `(CASE WHEN ${x} ~ '^[0-9]{1,9}$' THEN ${x}::int ELSE ${otherwise} END)`;
  return [`(CASE ${tx} WHEN 'begin' THEN -1 ELSE ${int(tx, '2147483647')} END)`, int(ev, '0')];
}
