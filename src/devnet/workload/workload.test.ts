import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { UserInfo } from '../../protocol/vault.ts';
import { recordedSource } from '../node/block-source.ts';
import { BlockStore } from '../node/block-store.ts';
import type { Chain } from '../chain/chain.ts';
import type { Ibc } from '../ibc/ibc.ts';
import { packetInto } from '../ibc/counterparty.testkit.ts';
import { timeout } from '../ibc/relayer-msgs.ts';
import { key, splitKey } from '../state/journal.ts';
import { encodeBlock, loadBlockDir } from './block-file.ts';
import { vaultState } from './invariants.ts';
import { Workload, formatReport, runWorkload } from './run.ts';
import { relayerTx } from './txs.ts';

const errorAcks = (acks: Record<string, { ok: number; error: number }>): number => Object.values(acks).reduce((s, a) => s + a.error, 0);
const okAcks = (acks: Record<string, { ok: number; error: number }>, type: string): number => acks[type]?.ok ?? 0;

describe('workload: same seed, same bytes', () => {
  it('two runs with one seed produce identical blocks; another seed does not', async () => {
    const a = await runWorkload({ seed: 11, blocks: 60, hash: true });
    const b = await runWorkload({ seed: 11, blocks: 60, hash: true });
    const c = await runWorkload({ seed: 12, blocks: 60, hash: true });
    assert.ok(a.hash && a.hash.length === 64);
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, c.hash);
    assert.ok(a.meshTxs > 60 * 2 * 10, `only ${a.meshTxs} mesh txs`);
  });

  it('live mode produces the same blocks as fast mode (chain time is the simulated clock)', async () => {
    const fast = await runWorkload({ seed: 5, blocks: 4, hash: true });
    const live = await runWorkload({ seed: 5, blocks: 4, hash: true, mode: 'live', blockTimeMs: 5 });
    assert.equal(live.mode, 'live');
    assert.equal(live.rounds, 4);
    assert.equal(live.hash, fast.hash);
  });

  it('live mode stops when its signal aborts', async () => {
    const ac = new AbortController();
    let blocks = 0;
    const r = await runWorkload({
      seed: 5,
      mode: 'live',
      blockTimeMs: 1,
      signal: ac.signal,
      onBlock: () => {
        if (++blocks === 6) ac.abort();
      },
    });
    assert.equal(r.rounds, 3);
  });

  it('live mode behind its block time still lets the event loop turn (regression: npm start --block-time 5 froze: no RPC, no Ctrl-C)', async () => {
    // a round takes several ms, so a 1 ms block time is always behind
    let ticks = 0;
    let rounds = 0;
    const timer = setInterval(() => ticks++, 1);
    const r = await runWorkload({ seed: 5, mode: 'live', blocks: 60, blockTimeMs: 1, invariants: false, drain: false, onBlock: () => void rounds++ });
    clearInterval(timer);
    assert.equal(r.rounds, 60);
    assert.equal(rounds, 120);
    // a turn of the event loop between rounds at least (a 1 ms timer fires on each)
    assert.ok(ticks >= 59, `the timer ran ${ticks} times in 60 rounds`);
  });
});

describe('workload fast-forward (a resume\'s replay)', () => {
  it('reports 0 as it starts, then rounds done in order, ending on the total', async () => {
    const w = new Workload({ seed: 5, invariants: false, drain: false });
    const seen: number[] = [];
    await w.fastForward(12, (done) => seen.push(done));
    assert.equal(seen[0], 0);
    assert.equal(seen.at(-1), 12);
    assert.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]!), seen.join(','));
    assert.equal(w.round, 12);
  });
});

describe('workload state history', () => {
  it('stateHistory drops older state versions as a pruning node does, and changes no block', () => {
    const all = new Workload({ seed: 6, invariants: false, drain: false, hash: true });
    const pruned = new Workload({ seed: 6, invariants: false, drain: false, hash: true, stateHistory: 5 });
    const deployed = pruned.chains.map((c) => c.height);
    assert.equal(pruned.runFast(130).hash, all.runFast(130).hash);
    pruned.chains.forEach((c, i) => {
      // pruned at round 128, the last multiple of 64
      assert.equal(c.journal.prunedBelow, deployed[i]! + 128n - 5n);
      assert.throws(() => c.queryAt(1n, () => 0), /failed to load state at height 1; version does not exist/);
      assert.equal(c.queryAt(c.height - 3n, () => 'read'), 'read');
    });
    for (const c of all.chains) assert.equal(c.journal.prunedBelow, 0n);
  });

  it('refuses a stateHistory that is not a whole number of heights', () => {
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => new Workload({ seed: 6, stateHistory: bad }), /stateHistory must be a whole number of heights ≥ 0/);
  });
});

describe('workload: settled packets', () => {
  it('forgets receipts and acks only of packets acknowledged on the source and past their timeout, and changes no block', () => {
    // 30 s blocks: the provider's 600 s packet timeouts pass within 20 rounds
    const opts = { seed: 8, invariants: false, drain: false, hash: true, stateHistory: 5, topologyOptions: { blockTimeSec: 30n } } as const;
    const kept = new Workload(opts);
    const swept = new Workload({ ...opts, forgetSettledPackets: true });
    assert.equal(swept.runFast(300).hash, kept.runFast(300).hash);
    for (const [i, c] of swept.chains.entries()) {
      const ibc = c.module<Ibc>('ibc');
      const all = kept.chains[i]!.module<Ibc>('ibc');
      assert.ok(ibc.receipts.size < all.receipts.size / 2, `${ibc.receipts.size} of ${all.receipts.size} receipts kept`);
      assert.equal(ibc.acks.size, ibc.receipts.size);
      // what was forgotten was settled and expired at the last sweep (round 256)
      for (const [k, timeout] of all.receipts.unordered()) {
        if (ibc.receipts.has(k)) continue;
        assert.ok(timeout > 0n && timeout <= c.time, `${k} forgotten before its timeout`);
        const [port, channel, seq] = splitKey(k);
        const ch = ibc.channel(port!, channel!);
        const source = swept.chains.find((x) => x !== c)!.module<Ibc>('ibc');
        assert.ok(!source.commitments.has(key(ch.counterpartyPortId, ch.counterpartyChannelId, seq!)), `${k} forgotten while its commitment is pending`);
      }
    }
  });

  it('regression: a MsgTimeout of an acknowledged packet is a NOOP (ibc-go checks the commitment before the receipt), receipt forgotten or not', () => {
    const opts = { seed: 8, invariants: false, drain: false, stateHistory: 5, topologyOptions: { blockTimeSec: 30n } } as const;
    const results = [false, true].map((forgetSettledPackets) => {
      const w = new Workload({ ...opts, forgetSettledPackets });
      w.runFast(260);
      const [src, dest] = w.chains as [Chain, Chain];
      // the first packet dest received from src: acknowledged and expired long ago
      const ch = dest.module<Ibc>('ibc').allChannels().find((c) => c.state === 'STATE_OPEN' && c.counterpartyPortId.startsWith('wasm.'))!;
      const packet = packetInto(ch, 1n, new Uint8Array(), src.time - 3_600n * 10n ** 9n);
      const received = dest.module<Ibc>('ibc').hasReceipt(ch.portId, ch.channelId, 1n);
      const world = w.devnet.world;
      const r = world.block(src, [relayerTx(src, world.relayerName, src.module<Ibc>('ibc').clientOfEnd(packet.sourcePort, packet.sourceChannel), dest, (signer) => [timeout(packet, signer, dest, packet.sequence)])]).txResults[0]!;
      return { received, code: r.code, log: r.log, timeouts: r.events.filter((e) => e.type === 'timeout_packet').length };
    });
    assert.deepEqual(results, [
      { received: true, code: 0, log: '', timeouts: 0 },
      { received: false, code: 0, log: '', timeouts: 0 },
    ]);
  });
});

describe('workload on the default topology (osmo ⇄ juno)', () => {
  it('a seeded run of 300 blocks keeps collateral ≥ max(max lien, total slashable) and settles every packet', () => {
    const w = new Workload({ seed: 1, blocks: 300 });
    const r = w.runFast();
    assert.deepEqual(r.failures, [], formatReport(r));
    assert.ok(r.settled, formatReport(r));
    // cross-stakes work in both directions despite the different bech32 prefixes (spec §7 Q6)
    assert.ok(okAcks(r.generator.acks, 'stake') > 500, formatReport(r));
    assert.ok(okAcks(r.generator.acks, 'unstake') > 50, formatReport(r));
    assert.ok(okAcks(r.generator.acks, 'transfer_rewards') > 20, formatReport(r));
    assert.ok(okAcks(r.generator.acks, 'distribute_batch') > 10, formatReport(r));
    for (const kind of ['bond', 'stake_local', 'stake_remote', 'unbond', 'withdraw_rewards', 'unstake_local']) {
      assert.ok((r.generator.byKind[kind]?.ok ?? 0) > 0, `no successful ${kind}`);
    }
    // deliberately invalid txs fail
    for (const kind of ['invalid_unbond', 'invalid_stake_remote']) assert.equal(r.generator.byKind[kind]?.ok ?? 0, 0, kind);
    assert.ok(r.meshTxsPerBlock > 15 && r.meshTxsPerBlock < 25, `mesh txs per block ${r.meshTxsPerBlock}`);
    // the same check through the vault's smart queries, for every user
    assert.deepEqual(w.invariants!.checkAllByQuery(), []);
    for (const [chain, h] of Object.entries(r.heights)) assert.ok(BigInt(h) >= 300n, `${chain} at ${h}`);
    // SDK 0.50: every message event carries its msg_index exactly once, the ante events (fee, `tx`)
    // none (the chain appends it in place; an event object shared between txs would collect several)
    let checked = 0;
    for (const c of w.chains) {
      for (const b of c.blocks) {
        for (const tr of b.txResults) {
          const firstMsg = tr.events.findIndex((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action'));
          tr.events.forEach((e, i) => {
            const n = e.attributes.filter((a) => a.key === 'msg_index').length;
            assert.equal(n, firstMsg >= 0 && i >= firstMsg ? 1 : 0, `${c.id}@${b.height} ${e.type}: ${n} msg_index`);
            checked++;
          });
        }
      }
    }
    assert.ok(checked > 100_000, `${checked} events`);
  });

  it('every kind of event happens and settles: jail, tombstone, max cap to zero and back, price changes, timeouts, error acks, channel close', () => {
    const w = new Workload({
      seed: 3,
      blocks: 450,
      generator: {
        events: { jailPerBlock: 1 / 60, tombstoneMinBlocks: 300, zeroMaxCapMinBlocks: 100, closeChannelMinBlocks: 300, dropProviderPacket: 0.03, priceChangePerBlock: 1 / 25 },
      },
    });
    const r = w.runFast();
    const report = formatReport(r);
    assert.deepEqual(r.failures, [], report);
    assert.ok(r.settled, report);
    assert.deepEqual(r.generator.skipped, [], report);
    assert.ok(r.generator.jails >= 1, report);
    assert.equal(r.generator.tombstones, 2, report);
    assert.ok(r.generator.maxCapChanges >= 4, report); // both pairings to zero and back
    assert.ok(okAcks(r.generator.acks, 'internal_unstake') > 0, report);
    assert.ok(r.generator.priceChanges >= 1, report);
    assert.ok(r.relayer.timedOut >= 1, report);
    assert.ok(errorAcks(r.generator.acks) >= 1, report);
    assert.equal(r.generator.channelCloses, 1, report);
    assert.deepEqual(r.channels, { 'osmo-juno': 'open', 'juno-osmo': 'closed' });
    assert.equal(r.generator.byKind.close_init?.ok, 1, report);
    assert.equal(r.generator.byKind.close_confirm?.ok, 1, report);
    assert.ok((r.generator.byKind.unjail?.ok ?? 0) >= 1, report);
  });

  it('the invariant check reports a broken user with chain, height and address', () => {
    const w = new Workload({ seed: 2, blocks: 5, drain: false });
    for (let i = 0; i < 5; i++) w.step();
    const chain = w.chains[0]!;
    const vault = vaultState(chain, w.devnet.providers.get(chain.id)!.vault);
    const user = chain.addr('user0001');
    const broken: UserInfo = { collateral: 10n, maxLien: { l: 20n, h: 20n }, totalSlashable: { l: 0n, h: 0n } };
    chain.journal.atomic(() => vault.users.set(user, broken));
    const f = w.invariants!.afterBlock(chain);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.chain, chain.id);
    assert.equal(f[0]!.user, user);
    assert.equal(f[0]!.height, chain.height);
    assert.match(f[0]!.message, /collateral 10, max_lien \{l:20, h:20\}/);
  });

  it('without the final drain, packets in flight are reported as unsettled', () => {
    const w = new Workload({ seed: 2, blocks: 30, drain: false });
    const r = w.runFast();
    assert.equal(r.settled, false);
    assert.ok(r.failures.some((f) => /neither acknowledged nor timed out/.test(f.message)));
  });
});

describe('workload on the seeds mesh (osmosis → juno, osmosis → stargaze, akash → juno)', () => {
  it('cross-stakes on all three pairings, keeps the invariant and settles', () => {
    const w = new Workload({ topology: 'seeds-mesh', topologyOptions: { users: 300 }, seed: 4, blocks: 150 });
    const r = w.runFast();
    assert.deepEqual(r.failures, [], formatReport(r));
    assert.ok(r.settled, formatReport(r));
    for (const p of w.devnet.pairings.values()) {
      const es = p.provider.wasm.contract(p.externalStaking).instance as unknown as { distribution: { values(): Array<{ totalStake: bigint }> } };
      const total = es.distribution.values().reduce((s, d) => s + d.totalStake, 0n);
      assert.ok(total > 0n, `no committed cross stake on ${p.config.name}`);
    }
  });
});

describe('workload block files', () => {
  it('writes every block of every chain to a directory and loads them back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workload-blocks-'));
    try {
      const w = new Workload({ seed: 8, blocks: 25, outDir: dir });
      w.runFast();
      const loaded = loadBlockDir(dir);
      assert.deepEqual([...loaded.keys()].sort(), w.chains.map((c) => c.id).sort());
      for (const c of w.chains) {
        const l = loaded.get(c.id)!;
        assert.equal(l.header.chainId, c.id);
        assert.equal(l.header.prefix, c.params.prefix);
        assert.equal(BigInt(l.header.blockTimeNs), c.params.blockTimeNs);
        assert.equal(l.blocks.length, c.blocks.length);
        l.blocks.forEach((b, i) => assert.equal(encodeBlock(b), encodeBlock(c.blocks[i]!), `block ${i + 1} of ${c.id}`));
        assert.equal(l.blocks[0]!.height, 1n);
        assert.ok(l.blocks[5]!.txs.length > 0);
        // the node's block store serves recorded blocks
        const store = new BlockStore(recordedSource(l));
        assert.equal(store.height, c.height);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
