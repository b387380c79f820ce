// A MsgTimeoutOnClose (a stake in flight when the consumer closes the channel) is indexed like a
// MsgTimeout: the packet's row is timed out at that tx, its kind decoded from the message's packet.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { indexedScenario } from '../indexer/scenario.testkit.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('a stake timed out with MsgTimeoutOnClose is indexed as timed out at that tx', { skip: noServer }, async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'mesh-toc-')), 'close-in-flight.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'close with a stake in flight',
      chains: {
        provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }], accounts: { alice: 1000000000 } },
        consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
      },
      pairings: { main: { provider: 'provider', consumer: 'consumer' } },
      steps: [{ bond: { user: 'alice', amount: 100000000 } }, { stake_remote: { user: 'alice', validator: 'val1', amount: 50000000 } }, { close_channel: { pairing: 'main', side: 'consumer' } }, { timeout: { pairing: 'main' } }],
    }),
  );
  const s = await indexedScenario(file);
  t.after(() => s.close());
  await s.index('tip');
  const provider = s.chain('provider');
  const block = provider.blocks.at(-1)!;
  assert.deepEqual(
    block.txs.flatMap((x) => x.msgs.map((m) => m.typeUrl)),
    ['/ibc.core.client.v1.MsgUpdateClient', '/ibc.core.channel.v1.MsgTimeoutOnClose'],
  );
  const rows = await s.rows<{ kind: string; outcome: string; timeout_height: number; recv_height: number | null }>(
    `SELECT kind, outcome, timeout_height, recv_height FROM ibc_packets WHERE source_chain_id = 'provider' AND kind = 'stake'`,
  );
  assert.deepEqual(rows, [{ kind: 'stake', outcome: 'timed_out', timeout_height: Number(block.height), recv_height: null }]);
});
