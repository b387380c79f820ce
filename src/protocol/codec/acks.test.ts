import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AckWrapper, SUCCESS_ACK_JSON, decodeAck, encodeIbcGoAck, errorAck, ibcGoErrorAck, isEmptySuccessAck, successAck,
} from './acks.ts';
import { encodeJson } from './schema.ts';

test('the control-channel success ack is {"result":"e30="} (spec §2.3)', () => {
  assert.equal(successAck(), SUCCESS_ACK_JSON);
  const ack = decodeAck(SUCCESS_ACK_JSON);
  assert.deepEqual(ack, { kind: 'result', value: new TextEncoder().encode('{}') });
  assert.ok(isEmptySuccessAck(ack));
  assert.equal(encodeJson(AckWrapper, ack), SUCCESS_ACK_JSON);
  assert.equal(encodeIbcGoAck(ack), SUCCESS_ACK_JSON);
  assert.ok(!isEmptySuccessAck(decodeAck('{"result":"AQ=="}'))); // ICS20 success: 0x01
});

test('error acks from contracts and from ibc-go', () => {
  assert.equal(errorAck('Price data is outdated'), '{"error":"Price data is outdated"}');
  assert.equal(ibcGoErrorAck(5), '{"error":"ABCI code: 5: error handling packet: see events for details"}');
  assert.equal(ibcGoErrorAck(5, 'wasm'), '{"error":"ABCI error: wasm/5: error handling packet: see events for details"}');
  // wasmd ≥ v0.32 writes the contract's own message through ibc-go: Go escaping applies
  assert.equal(encodeIbcGoAck({ kind: 'error', value: 'Insufficient bond: 1 < 2 & more' }), '{"error":"Insufficient bond: 1 \\u003c 2 \\u0026 more"}');
  const back = decodeAck('{"error":"Insufficient bond: 1 \\u003c 2 \\u0026 more"}');
  assert.deepEqual(back, { kind: 'error', value: 'Insufficient bond: 1 < 2 & more' });
  assert.ok(!isEmptySuccessAck(back));
});

test('malformed acks are rejected', () => {
  assert.throws(() => decodeAck('{"result":"e30"}'), /invalid base64: e30 at \$\.result/);
  assert.throws(() => decodeAck('{"ok":true}'), /unknown variant `ok`, expected `result` or `error`/);
  assert.throws(() => decodeAck('{"result":"e30=","error":"x"}'), /invalid length 2/);
});
