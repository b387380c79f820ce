import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toBech32 } from '@cosmjs/encoding';
import * as bank from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import * as distribution from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import * as slashing from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import * as staking from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import * as wasm from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import * as channel from 'cosmjs-types/ibc/core/channel/v1/tx';
import * as client from 'cosmjs-types/ibc/core/client/v1/tx';
import { Order, State } from 'cosmjs-types/ibc/core/channel/v1/channel';
import { MsgSetPriceFeedContract, MsgSetVirtualStakingMaxCap, MsgUpdateProviderParams } from '../../protocol/proto/mesh.ts';
import { decodeBlock } from './block.ts';
import { anyOf, blockOf, type Codec, txBytes, utf8 } from './decode.testkit.ts';
import { decodableTypeUrls } from './registry.ts';

const addr = (prefix: string, n: number): string => toBech32(prefix, new Uint8Array(20).fill(n));

const user = addr('osmo', 1);
const contract = addr('osmo', 2);
const valoper = addr('osmovaloper', 3);
const packet = {
  sequence: 5n,
  sourcePort: `wasm.${contract}`,
  sourceChannel: 'channel-0',
  destinationPort: `wasm.${addr('juno', 4)}`,
  destinationChannel: 'channel-1',
  data: utf8('{"stake":{"tx_id":1}}'),
  timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
  timeoutTimestamp: 1_767_225_900_000_000_000n,
};
const proofHeight = { revisionNumber: 1n, revisionHeight: 77n };
const chan = { state: State.STATE_INIT, ordering: Order.ORDER_UNORDERED, counterparty: { portId: 'wasm.x', channelId: '' }, connectionHops: ['connection-0'], version: '{"version":"1"}' };

// [codec, message, expected signer when no ante events tell it]
const CASES: Array<[Codec, Record<string, unknown>, string]> = [
  [wasm.MsgExecuteContract, { sender: user, contract, msg: utf8('{"bond":{}}'), funds: [{ denom: 'uosmo', amount: '10' }] }, user],
  [wasm.MsgInstantiateContract, { sender: user, admin: user, codeId: 3n, label: 'vault', msg: utf8('{"denom":"uosmo"}'), funds: [] }, user],
  [wasm.MsgInstantiateContract2, { sender: user, codeId: 3n, label: 'v2', msg: utf8('{}'), salt: utf8('s'), fixMsg: false }, user],
  [wasm.MsgMigrateContract, { sender: user, contract, codeId: 4n, msg: utf8('{"migrate":{}}') }, user],
  [bank.MsgSend, { fromAddress: user, toAddress: contract, amount: [{ denom: 'uosmo', amount: '5' }] }, user],
  [staking.MsgDelegate, { delegatorAddress: user, validatorAddress: valoper, amount: { denom: 'uosmo', amount: '9' } }, user],
  [staking.MsgUndelegate, { delegatorAddress: user, validatorAddress: valoper, amount: { denom: 'uosmo', amount: '9' } }, user],
  [staking.MsgBeginRedelegate, { delegatorAddress: user, validatorSrcAddress: valoper, validatorDstAddress: addr('osmovaloper', 5), amount: { denom: 'uosmo', amount: '1' } }, user],
  [distribution.MsgWithdrawDelegatorReward, { delegatorAddress: user, validatorAddress: valoper }, user],
  [slashing.MsgUnjail, { validatorAddr: valoper }, addr('osmo', 3)],
  [client.MsgUpdateClient, { clientId: '07-tendermint-0', clientMessage: { typeUrl: '/ibc.lightclients.tendermint.v1.Header', value: new Uint8Array([1, 2]) }, signer: user }, user],
  [channel.MsgChannelOpenInit, { portId: `wasm.${contract}`, channel: chan, signer: user }, user],
  [channel.MsgChannelOpenTry, { portId: `wasm.${contract}`, channel: chan, counterpartyVersion: '{}', proofInit: new Uint8Array([1]), proofHeight, signer: user }, user],
  [channel.MsgChannelOpenAck, { portId: `wasm.${contract}`, channelId: 'channel-0', counterpartyChannelId: 'channel-1', counterpartyVersion: '{}', proofTry: new Uint8Array([1]), proofHeight, signer: user }, user],
  [channel.MsgChannelOpenConfirm, { portId: `wasm.${contract}`, channelId: 'channel-0', proofAck: new Uint8Array([1]), proofHeight, signer: user }, user],
  [channel.MsgRecvPacket, { packet, proofCommitment: new Uint8Array([1]), proofHeight, signer: user }, user],
  [channel.MsgAcknowledgement, { packet, acknowledgement: utf8('{"result":"e30="}'), proofAcked: new Uint8Array([1]), proofHeight, signer: user }, user],
  [channel.MsgTimeout, { packet, proofUnreceived: new Uint8Array([1]), proofHeight, nextSequenceRecv: 5n, signer: user }, user],
  [channel.MsgTimeoutOnClose, { packet, proofUnreceived: new Uint8Array([1]), proofClose: new Uint8Array([2]), proofHeight, nextSequenceRecv: 5n, signer: user }, user],
  [MsgSetVirtualStakingMaxCap as Codec, { authority: addr('osmo', 9), contract, maxCap: { denom: 'uosmo', amount: '1000' } }, addr('osmo', 9)],
  [MsgSetPriceFeedContract as Codec, { authority: addr('osmo', 9), contract }, addr('osmo', 9)],
  [MsgUpdateProviderParams as Codec, { authority: addr('osmo', 9), params: { vaultAddress: contract, nativeStakingAddress: addr('osmo', 6) } }, addr('osmo', 9)],
];

test('every message type the indexer needs decodes to its cosmjs-types value, wasm messages with their JSON', () => {
  const txs = CASES.map(([codec, m]) => txBytes([anyOf(codec, m)]));
  const d = decodeBlock(blockOf(txs), { chainId: 'osmo-devnet-1' });
  assert.deepEqual(d.problems, []);
  for (const [i, [codec, m, signer]] of CASES.entries()) {
    const [msg] = d.txs[i]!.msgs;
    assert.equal(msg!.typeUrl, codec.typeUrl);
    assert.deepEqual(msg!.value, codec.fromPartial(m), codec.typeUrl);
    if (codec.typeUrl.startsWith('/cosmwasm.')) assert.deepEqual(msg!.json, JSON.parse(Buffer.from(m.msg as Uint8Array).toString()));
    else assert.equal(msg!.json, undefined);
    // no events: the signer comes from the message's own signer field
    assert.equal(d.txs[i]!.signer, signer, codec.typeUrl);
  }
  for (const [codec] of CASES) assert.ok(decodableTypeUrls().includes(codec.typeUrl));
  assert.equal(d.time.toISOString(), '2026-01-01T00:00:00.123Z');
});

test('an unknown type URL is kept undecoded, next to the messages that decode', () => {
  const tx = txBytes([{ typeUrl: '/cosmos.authz.v1beta1.MsgExec', value: new Uint8Array([10, 3, 1, 2, 3]) }, anyOf(bank.MsgSend, { fromAddress: user, toAddress: contract, amount: [] })]);
  const d = decodeBlock(blockOf([tx]), { chainId: 'c' });
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.txs[0]!.msgs[0], { typeUrl: '/cosmos.authz.v1beta1.MsgExec' });
  assert.equal((d.txs[0]!.msgs[1]!.value as { fromAddress: string }).fromAddress, user);
});
