// Regression: ibc-go emits `timeout_packet` after the contract's timeout callback (TimeoutExecuted runs
// once OnTimeoutPacket succeeded: cosmos/ibc-go modules/core/keeper/msg_server.go), not before it as an
// ack's `acknowledge_packet`. The mapping looked back for it, found nothing on a real chain's order, and
// kept every timed-out packet in the replica, unchecked against the ack's kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ibc } from '../devnet/ibc/ibc.ts';
import { parseScenario, runScenario } from '../devnet/scenario/runner.ts';
import { indexAndCheck } from './external-staking-compare.testkit.ts';
import { ExternalStakingState } from './external-staking-state.ts';

test('regression: timed-out packets are settled from the timeout_packet that follows the callback', async () => {
  const report = runScenario(
    parseScenario({
      name: 'two stakes time out in one relayer tx',
      chains: {
        provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }], accounts: { alice: 1000000000 } },
        consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
      },
      pairings: { main: { provider: 'provider', consumer: 'consumer' } },
      steps: [
        { bond: { user: 'alice', amount: 100000000 } },
        { stake_remote: { user: 'alice', validator: 'val1', amount: 20000000 } },
        { stake_remote: { user: 'alice', validator: 'val1', amount: 30000000 } },
        { timeout: { pairing: 'main', direction: 'to_consumer' } },
      ],
    }),
  );
  assert.deepEqual(report.results.filter((r) => !r.ok).map((r) => r.message), []);
  const p = [...report.devnet.pairings.values()][0]!;
  const chain = p.provider;

  // the chain's order: each message's contract events, then its timeout_packet
  const last = chain.blocks.at(-1)!.txResults.at(-1)!;
  const types = last.events.map((e) => (e.type === 'wasm' ? `wasm:${e.attributes.find((a) => a.key === 'action')?.value}` : e.type));
  const timeouts = types.flatMap((t, i) => (t === 'timeout_packet' ? [i] : []));
  const callbacks = types.flatMap((t, i) => (t === 'wasm:ibc_packet_timeout' ? [i] : []));
  assert.equal(timeouts.length, 2);
  assert.equal(callbacks.length, 2);
  assert.ok(callbacks[0]! < timeouts[0]! && timeouts[0]! < callbacks[1]! && callbacks[1]! < timeouts[1]!, types.join(' '));
  assert.equal(chain.module<Ibc>('ibc').pendingCommitments().length, 0);

  const r = await indexAndCheck(chain);
  assert.deepEqual(r.mismatches, []);
  const st = new ExternalStakingState(r.replica, p.externalStaking);
  const channel = st.channel()!.channelId;
  // both stake packets (sequences 1 and 2 on a fresh channel) are gone from the replica, their txs rolled back
  assert.deepEqual([st.packet(channel, '1'), st.packet(channel, '2')], [undefined, undefined]);
  assert.deepEqual(st.allTxs(), []);
});
