// A failing ack or timeout callback fails the relayer's message with the text ibc-go's msg server and
// wasmd's IBC handler wrap around the contract's error, and keeps the packet committed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModuleError } from '../chain/types.ts';
import { ConsumerKit } from '../contracts/consumer.testkit.ts';
import { ackWrittenBy, counterpartyEnd } from './counterparty.testkit.ts';
import { portOf } from './ibc.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function sent(): { k: ConsumerKit; p: ReturnType<ConsumerKit['pending']>[number]['packet'] } {
  const k = new ConsumerKit({ open: false });
  k.openChannel();
  return { k, p: k.pending()[0]!.packet };
}

test('a contract error in the ack callback: acknowledge packet callback failed: on ack: …: execute wasm contract failed (wasm 5)', () => {
  const { k, p } = sent();
  const garbage = utf8('not an ack');
  ackWrittenBy(k.provider, p, garbage);
  assert.throws(
    () => k.chain.journal.atomic(() => k.ibc.acknowledgePacket(p, garbage, k.relayer)),
    (e: unknown) =>
      e instanceof ModuleError &&
      e.codespace === 'wasm' &&
      e.code === 5 &&
      /^acknowledge packet callback failed: on ack: Error parsing into type mesh_apis::ibc::AckWrapper: .+: execute wasm contract failed$/.test(e.message),
  );
  assert.equal(k.pending().length, 1, 'the commitment stays');
});

test("a module error from the timeout callback's messages keeps its code under the on-close prefix", () => {
  const { k, p } = sent();
  // both ends closed: the converter's re-send of its valset in the callback fails on its own closed end
  k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
  counterpartyEnd(k.provider, k.ibc.channel(portOf(k.converter), k.channel), 'STATE_CLOSED');
  assert.throws(
    () => k.chain.journal.atomic(() => k.ibc.timeoutOnClose(p, k.relayer)),
    (e: unknown) => e instanceof ModuleError && e.codespace === 'channel' && e.code === 5 && /^timeout on close callback failed: on timeout: .*channel is not OPEN \(got STATE_CLOSED\): invalid channel state$/.test(e.message),
  );
  assert.equal(k.pending().length, 1);
});
