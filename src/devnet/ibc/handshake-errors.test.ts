// A refused channel handshake or close fails with the text ibc-go's msg server wraps around the
// error: the channel keeper's as "channel handshake <step> failed: …", the app callback's as "channel
// <step> callback failed for port ID: …, channel ID: …: …" (a contract's error as wasmd's
// ErrExecuteFailed). On close the callback runs before the keeper's checks, as in ibc-go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModuleError } from '../chain/types.ts';
import { ConsumerKit } from '../contracts/consumer.testkit.ts';
import { parseScenario, runScenario } from '../scenario/runner.ts';
import { portOf } from './ibc.ts';

const failsWith = (codespace: string, code: number, message: RegExp) => (e: unknown) =>
  e instanceof ModuleError && e.codespace === codespace && e.code === code && message.test(e.message);

test('the channel keeper refusing a step: channel handshake <step> failed', () => {
  const k = new ConsumerKit();
  const port = portOf(k.converter);
  const atomic = (fn: () => unknown) => () => k.chain.journal.atomic(fn);
  assert.throws(atomic(() => k.ibc.openInit(port, 'connection-9', 'wasm.x', 'v')), failsWith('connection', 3, /^channel handshake open init failed: connection-9: connection not found$/));
  assert.throws(atomic(() => k.ibc.openTry(port, 'connection-9', 'wasm.x', 'channel-7', 'v')), failsWith('connection', 3, /^channel handshake open try failed: connection-9: connection not found$/));
  assert.throws(atomic(() => k.ibc.openAck(port, k.channel, 'channel-7', 'v')), failsWith('channel', 5, /^channel handshake open ack failed: channel state should be INIT \(got STATE_OPEN\): invalid channel state$/));
  assert.throws(atomic(() => k.ibc.openConfirm(port, k.channel)), failsWith('channel', 5, /^channel handshake open confirm failed: channel state is not TRYOPEN \(got STATE_OPEN\): invalid channel state$/));
  k.chain.journal.atomic(() => k.ibc.closeInit(port, k.channel));
  assert.throws(atomic(() => k.ibc.closeInit(port, k.channel)), failsWith('channel', 5, /^channel handshake close init failed: channel is already CLOSED: invalid channel state$/));
});

test("the app refusing a step: channel <step> callback failed for port ID, channel ID, with the contract's error (wasm 5)", () => {
  // the consumer closes; external staking refuses CloseConfirm on the provider (spec §2.1)
  const chains = {
    provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }] },
    consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
  };
  const run = runScenario(parseScenario({ name: 'close from the consumer', chains, pairings: { main: { provider: 'provider', consumer: 'consumer' } }, steps: [{ close_channel: { pairing: 'main', side: 'consumer' } }] }));
  const provider = [...run.devnet.world.chains.values()].find((c) => c.id === 'provider')!;
  // message 0 updates the provider's client to the consumer's closing block
  const r = provider.blocks.at(-1)!.txResults[0]!;
  const p = [...run.devnet.pairings.values()][0]!;
  assert.deepEqual([r.code, r.codespace], [5, 'wasm']);
  assert.equal(
    r.log,
    `failed to execute message; message index: 1: channel close confirm callback failed for port ID: ${portOf(p.externalStaking)}, channel ID: ${p.providerChannel}: You must start the channel close on this side: execute wasm contract failed`,
  );
});
