// packet(id) and packets(...) on a workload run that has acknowledged, error-acknowledged and timed-out
// packets: both halves, the outcome, payload and latency equal the ibc_packets rows; the connection's
// filters and pages equal the same selections in SQL, with no gap or duplicate across pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GqlResult, apiOverWorkload } from './api.testkit.ts';

const FIELDS = /* GraphQL */ `
  id pairingId sequence kind payload era timeoutTimestamp outcome latencyMs
  source { chainId port channel } destination { chainId port channel }
  send { chainId height time txHash }
  receive { chainId height time txHash success ack error }
  acknowledgement { chainId height time txHash success ack error }
  timeout { chainId height time txHash }`;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The API's packet as the SQL row says it must be. */
function expected(r: Record<string, any>) {
  return {
    id: r.id,
    pairingId: r.pairing_id,
    sequence: r.sequence,
    kind: r.kind,
    payload: r.payload,
    era: r.era,
    timeoutTimestamp: r.timeout_timestamp,
    outcome: r.outcome.toUpperCase(),
    latencyMs: r.latency_ms,
    source: { chainId: r.source_chain_id, port: r.source_port, channel: r.source_channel },
    destination: { chainId: r.dest_chain_id, port: r.dest_port, channel: r.dest_channel },
    send: r.send_height === null ? null : { chainId: r.source_chain_id, height: r.send_height, time: iso(r.send_time), txHash: r.send_tx_hash },
    receive: r.recv_height === null ? null : { chainId: r.dest_chain_id, height: r.recv_height, time: iso(r.recv_time), txHash: r.recv_tx_hash, success: r.recv_success, ack: r.ack, error: r.ack_error },
    acknowledgement:
      r.ack_height === null ? null : { chainId: r.source_chain_id, height: r.ack_height, time: iso(r.ack_time), txHash: r.ack_tx_hash, success: r.ack_error === null, ack: r.ack, error: r.ack_error },
    timeout: r.timeout_height === null ? null : { chainId: r.source_chain_id, height: r.timeout_height, time: iso(r.timeout_time), txHash: r.timeout_tx_hash },
  };
}

test('packets: both halves and the outcome of acknowledged, error-acked and timed-out packets equal SQL', async (t) => {
  const h = await apiOverWorkload({ blocks: 300, users: 8 });
  t.after(() => h.close());
  const sql = async (q: string, p: unknown[] = []) => (await h.pool.query(q, p)).rows;
  const counts = Object.fromEntries((await sql('SELECT outcome, count(*)::int AS n FROM ibc_packets GROUP BY 1')).map((r) => [r.outcome, r.n]));
  for (const o of ['acknowledged', 'error', 'timed_out']) assert.ok(counts[o] > 0, `the workload run has ${o} packets`);

  for (const outcome of ['acknowledged', 'error', 'timed_out']) {
    const rows = await sql(`SELECT * FROM (SELECT *, sequence::text AS sequence, timeout_timestamp::text AS timeout_timestamp, payload -> kind ->> 'tx_id' AS tx_id_text,
                                     row_number() OVER (PARTITION BY kind ORDER BY id) AS n FROM ibc_packets WHERE outcome = $1) x WHERE n <= 2 ORDER BY kind, id`, [outcome]);
    for (const { n: _, ...row } of rows) {
      const r = await h.gql(`query ($id: ID!) { packet(id: $id) { ${FIELDS} } }`, { id: row.id });
      assert.equal(r.errors, undefined);
      const { payload, ...p } = r.data!.packet;
      const { payload: want, ...rest } = expected(row);
      assert.deepEqual(p, rest, row.id);
      // the payload's u64 tx_id exactly as jsonb stores it (pg's JSON.parse would round ids ≥ 2^53)
      const body = (x: any) => x?.[row.kind];
      assert.equal(body(payload)?.tx_id === undefined ? null : String(body(payload).tx_id), row.tx_id_text, row.id);
      const strip = (x: any) => (body(x) && 'tx_id' in body(x) ? { ...x, [row.kind]: { ...body(x), tx_id: null } } : x);
      assert.deepEqual(strip(payload), strip(want), row.id);
      // what each outcome means for the halves (spec §2.3–2.5)
      if (outcome === 'acknowledged') assert.ok(p.send && p.receive?.success === true && p.acknowledgement?.success === true && p.acknowledgement.ack === '{"result":"e30="}' && p.timeout === null);
      if (outcome === 'error') assert.ok(p.receive?.success === false && p.receive.error.length > 0);
      if (outcome === 'timed_out') assert.ok(p.send && p.receive === null && p.timeout !== null && p.acknowledgement === null);
    }
    const c = await h.gql(`{ packets(filter: { outcome: ${outcome.toUpperCase()} }, first: 1) { totalCount } }`);
    assert.equal(c.data!.packets.totalCount, counts[outcome]);
  }

  // every page of a filtered connection, forwards then backwards: the SQL selection in the same order
  const pairing = (await sql('SELECT pairing_id FROM ibc_packets WHERE pairing_id IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 1'))[0].pairing_id;
  const want = (
    await sql(
      `SELECT id FROM ibc_packets WHERE pairing_id = $1 AND kind = 'stake' ORDER BY coalesce(send_time, recv_time, ack_time, timeout_time) DESC, id DESC`,
      [pairing],
    )
  ).map((r) => r.id);
  assert.ok(want.length > 50);
  const walk = async (dir: 'forward' | 'backward') => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const args: string = dir === 'forward' ? `first: 23${cursor ? `, after: "${cursor}"` : ''}` : `last: 23${cursor ? `, before: "${cursor}"` : ''}`;
      const r: GqlResult = await h.gql(`query ($p: String!) { packets(filter: { pairingId: $p, kind: "stake" }, ${args}) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, { p: pairing });
      assert.equal(r.errors, undefined);
      const c = r.data!.packets;
      const page = c.edges.map((e: any) => e.node.id);
      if (dir === 'forward') ids.push(...page);
      else ids.unshift(...page);
      const more = dir === 'forward' ? c.pageInfo.hasNextPage : c.pageInfo.hasPreviousPage;
      if (!more) return ids;
      cursor = dir === 'forward' ? c.pageInfo.endCursor : c.pageInfo.startCursor;
    }
  };
  assert.deepEqual(await walk('forward'), want);
  assert.deepEqual(await walk('backward'), want);

  // chain and height filters: a source chain's packets sent in a height range
  const src = (await sql('SELECT source_chain_id AS c, min(send_height) AS lo, max(send_height) AS hi FROM ibc_packets WHERE send_height IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 1'))[0];
  const lo = src.lo + 20;
  const hi = src.lo + 60;
  const n = (await sql('SELECT count(*)::int AS n FROM ibc_packets WHERE source_chain_id = $1 AND send_height BETWEEN $2 AND $3', [src.c, lo, hi]))[0].n;
  const r = await h.gql(`{ packets(filter: { sourceChainId: "${src.c}", height: { from: ${lo}, to: ${hi} } }) { totalCount edges { node { send { height } } } } }`);
  assert.equal(r.data!.packets.totalCount, n);
  assert.ok(r.data!.packets.edges.every((e: any) => e.node.send.height >= lo && e.node.send.height <= hi));

  // malformed and unknown ids, bad ranges
  const bad = await h.gql('{ packet(id: "not a packet") { id } }');
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const unknown = await h.gql('{ packet(id: "osmo-devnet-1/wasm.x/channel-9/1") { id } }');
  assert.deepEqual(unknown.data, { packet: null });
  const range = await h.gql('{ packets(filter: { height: { from: 9, to: 3 } }) { totalCount } }');
  assert.equal(range.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});
