import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { MsgChannelOpenInit, MsgChannelOpenInitResponse, MsgRecvPacketResponse, ResponseResultType } from 'cosmjs-types/ibc/core/channel/v1/tx';
import { decodeMsg, encodeMsg } from './msg-registry.ts';
import { MsgSetPriceFeedContract, MsgSetVirtualStakingMaxCap, MsgUpdateProviderParams } from '../../protocol/proto/mesh.ts';
import { encodeTx, encodeTxMsgData, eventsPerMessage, txHash } from './tx-encoding.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const attr = (key: string, value: string) => ({ key, value });

test('MsgSend tx: TxRaw with body, SignerInfo(secp256k1, DIRECT, sequence), fee and a 64-byte signature (§2.1)', () => {
  const tx = {
    signer: 'wasm1alice',
    msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: 'wasm1alice', toAddress: 'wasm1bob', amount: [{ denom: 'ustake', amount: 100n }] } }],
    memo: 'hi',
    fee: { amount: [{ denom: 'ustake', amount: 5000n }], gasLimit: 200_000n },
    sequence: 7n,
  };
  const enc = encodeTx(tx, { chainId: 'c-1', sequence: 0n });
  assert.equal(enc.hash, createHash('sha256').update(enc.bytes).digest('hex').toUpperCase());
  assert.equal(txHash(enc.bytes), enc.hash);
  const raw = TxRaw.decode(enc.bytes);
  assert.equal(raw.signatures.length, 1);
  assert.equal(raw.signatures[0]!.length, 64);
  const body = TxBody.decode(raw.bodyBytes);
  assert.equal(body.memo, 'hi');
  assert.equal(body.messages[0]!.typeUrl, '/cosmos.bank.v1beta1.MsgSend');
  assert.deepEqual(MsgSend.decode(body.messages[0]!.value), { fromAddress: 'wasm1alice', toAddress: 'wasm1bob', amount: [{ denom: 'ustake', amount: '100' }] });
  const auth = AuthInfo.decode(raw.authInfoBytes);
  const si = auth.signerInfos[0]!;
  assert.equal(si.publicKey!.typeUrl, '/cosmos.crypto.secp256k1.PubKey');
  assert.equal(PubKey.decode(si.publicKey!.value).key.length, 33);
  assert.equal(si.modeInfo!.single!.mode, SignMode.SIGN_MODE_DIRECT);
  assert.equal(si.sequence, 7n);
  assert.deepEqual(auth.fee!.amount, [{ denom: 'ustake', amount: '5000' }]);
  assert.equal(auth.fee!.gasLimit, 200_000n);
  // deterministic
  assert.equal(encodeTx(tx, { chainId: 'c-1', sequence: 0n }).hash, enc.hash);
  // a signature handed in (the chain's `tx{signature}` event) is used as is
  const sig = new Uint8Array(64).fill(9);
  assert.deepEqual(TxRaw.decode(encodeTx(tx, { chainId: 'c-1', sequence: 0n, signature: sig }).bytes).signatures[0], sig);
});

test('wasm msg bytes: JSON objects and Uint8Array both become the raw JSON text (§2.2)', () => {
  const a = MsgExecuteContract.decode(encodeMsg('/cosmwasm.wasm.v1.MsgExecuteContract', { sender: 's', contract: 'c', msg: { bond: {} }, funds: [{ denom: 'u', amount: 3n }] }));
  const b = MsgExecuteContract.decode(encodeMsg('/cosmwasm.wasm.v1.MsgExecuteContract', { sender: 's', contract: 'c', msg: new TextEncoder().encode('{"bond":{}}'), funds: [] }));
  assert.equal(Buffer.from(a.msg).toString(), '{"bond":{}}');
  assert.deepEqual(a.msg, b.msg);
  assert.deepEqual(a.funds, [{ denom: 'u', amount: '3' }]);
});

test('mesh messages: field numbers of mesh-security-sdk tx.proto', () => {
  const maxCap = MsgSetVirtualStakingMaxCap.encode(MsgSetVirtualStakingMaxCap.fromPartial({ authority: 'g', contract: 'c', maxCap: { denom: 'd', amount: '5' } })).finish();
  // 1:authority "g", 2:contract "c", 3:max_cap {1:"d", 2:"5"}
  assert.equal(hex(maxCap), '0a01671201631a060a0164120135');
  assert.deepEqual(decodeMsg('/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap', maxCap), { authority: 'g', contract: 'c', maxCap: { denom: 'd', amount: '5' } });
  const feed = encodeMsg('/osmosis.meshsecurity.v1beta1.MsgSetPriceFeedContract', { authority: 'g', contract: 'c' });
  assert.equal(hex(feed), '0a0167120163');
  assert.deepEqual(MsgSetPriceFeedContract.decode(feed), { authority: 'g', contract: 'c' });
  const params = encodeMsg('/osmosis.meshsecurityprovider.MsgUpdateParams', { authority: 'g', params: { vaultAddress: 'v', nativeStakingAddress: 'n' } });
  assert.equal(hex(params), '0a016712060a017612016e');
  assert.deepEqual(MsgUpdateProviderParams.decode(params), { authority: 'g', params: { vaultAddress: 'v', nativeStakingAddress: 'n' } });
  // bigint coin amounts from the chain
  assert.deepEqual(decodeMsg('/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap', encodeMsg('/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap', { authority: 'g', contract: 'c', maxCap: { denom: 'd', amount: 10n ** 20n } })), {
    authority: 'g',
    contract: 'c',
    maxCap: { denom: 'd', amount: '100000000000000000000' },
  });
});

test("the devnet's flat channel handshake values become MsgChannelOpenInit{channel}", () => {
  const m = MsgChannelOpenInit.decode(encodeMsg('/ibc.core.channel.v1.MsgChannelOpenInit', { portId: 'wasm.a', connectionId: 'connection-0', counterpartyPortId: 'wasm.b', version: 'v1', signer: 'r' }));
  assert.equal(m.portId, 'wasm.a');
  assert.equal(m.signer, 'r');
  assert.deepEqual(m.channel!.connectionHops, ['connection-0']);
  assert.equal(m.channel!.counterparty!.portId, 'wasm.b');
  assert.equal(m.channel!.version, 'v1');
});

test('TxMsgData: the spec examples for MsgSend and an execute with empty data (§2.1)', () => {
  const ok = { code: 0, codespace: '', log: '', events: [], data: [new Uint8Array()] };
  const sendTx = { signer: 'a', msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: {} }] };
  assert.equal(b64(encodeTxMsgData(sendTx, ok)!), 'EiYKJC9jb3Ntb3MuYmFuay52MWJldGExLk1zZ1NlbmRSZXNwb25zZQ==');
  const execTx = { signer: 'a', msgs: [{ typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract', value: { sender: 'a', contract: 'c', msg: {} } }] };
  assert.equal(b64(encodeTxMsgData(execTx, ok)!), 'Ei4KLC9jb3Ntd2FzbS53YXNtLnYxLk1zZ0V4ZWN1dGVDb250cmFjdFJlc3BvbnNl');
  assert.equal(encodeTxMsgData(sendTx, { ...ok, code: 5 }), undefined);
});

test('TxMsgData: channel id/version from handler data and events; NOOP for a recv without recv_packet', () => {
  const tx = {
    signer: 'r',
    msgs: [
      { typeUrl: '/ibc.core.channel.v1.MsgChannelOpenInit', value: {} },
      { typeUrl: '/ibc.core.channel.v1.MsgRecvPacket', value: {} },
      { typeUrl: '/ibc.core.channel.v1.MsgRecvPacket', value: {} },
    ],
  };
  const events = [
    { type: 'message', attributes: [attr('action', '/ibc.core.channel.v1.MsgChannelOpenInit'), attr('msg_index', '0')] },
    { type: 'channel_open_init', attributes: [attr('channel_id', 'channel-3'), attr('version', 'v9'), attr('msg_index', '0')] },
    { type: 'message', attributes: [attr('action', '/ibc.core.channel.v1.MsgRecvPacket'), attr('msg_index', '1')] },
    { type: 'recv_packet', attributes: [attr('packet_sequence', '1'), attr('msg_index', '1')] },
    { type: 'message', attributes: [attr('action', '/ibc.core.channel.v1.MsgRecvPacket'), attr('msg_index', '2')] },
  ];
  const data = TxMsgData.decode(encodeTxMsgData(tx, { code: 0, codespace: '', log: '', events, data: [new TextEncoder().encode('channel-3'), new Uint8Array(), new Uint8Array()] })!);
  assert.deepEqual(
    data.msgResponses.map((a) => a.typeUrl),
    ['/ibc.core.channel.v1.MsgChannelOpenInitResponse', '/ibc.core.channel.v1.MsgRecvPacketResponse', '/ibc.core.channel.v1.MsgRecvPacketResponse'],
  );
  assert.deepEqual(MsgChannelOpenInitResponse.decode(data.msgResponses[0]!.value), { channelId: 'channel-3', version: 'v9' });
  assert.equal(MsgRecvPacketResponse.decode(data.msgResponses[1]!.value).result, ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS);
  assert.equal(MsgRecvPacketResponse.decode(data.msgResponses[2]!.value).result, ResponseResultType.RESPONSE_RESULT_TYPE_NOOP);
});

test('eventsPerMessage: by msg_index (SDK 0.50) or by leading message{action} (SDK 0.47)', () => {
  const ante = { type: 'tx', attributes: [attr('acc_seq', 'a/1')] };
  const m0 = { type: 'message', attributes: [attr('action', '/x.MsgA'), attr('sender', 'a')] };
  const e0 = { type: 'transfer', attributes: [attr('amount', '1u')] };
  const m1 = { type: 'message', attributes: [attr('action', '/x.MsgB'), attr('sender', 'a')] };
  assert.deepEqual(eventsPerMessage([ante, m0, e0, m1], 2), [[m0, e0], [m1]]);
  assert.equal(eventsPerMessage([ante], 1), undefined);
});
