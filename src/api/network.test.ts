// Network view on a workload run: each pairing's max cap, how much of it x/meshsecurity has delegated,
// total cross-stake, price and discount equal the chains' own answers (module and smart queries), the
// chains' indexed heights equal their tips, and the provider's CRDT view of each consumer validator
// equals external staking's list_validators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../protocol/decimal.ts';
import { moduleQuery } from '../devnet/queries.ts';
import { apiOverWorkload } from './api.testkit.ts';

test('network: chains, pairings (max cap and its use, total cross-stake, price, discount) and validators equal the chains', async (t) => {
  const h = await apiOverWorkload({ blocks: 300, users: 8 });
  t.after(() => h.close());
  const chain = (id: string) => h.chains.find((c) => c.id === id)!;

  const chains = await h.gql('{ chains { chainId bech32Prefix indexedHeight indexedTime lagBlocks lagSeconds pairings { id } } }');
  assert.equal(chains.errors, undefined);
  assert.deepEqual(
    chains.data!.chains.map((c: any) => ({ chainId: c.chainId, prefix: c.bech32Prefix, height: c.indexedHeight, time: c.indexedTime })),
    [...h.chains]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => ({ chainId: c.id, prefix: c.params.prefix, height: Number(c.height), time: new Date(Number(c.blocks.at(-1)!.time / 1_000_000n)).toISOString() })),
  );

  const r = await h.gql(`{ pairings { id state providerChainId consumerChainId externalStaking converter virtualStaking priceFeed
      providerChannel { channelId state counterpartyChannelId } consumerChannel { channelId state }
      price { nativePerForeign } discount maxCap { cap denom used available } totalCrossStake { low high } stakerCount } }`);
  assert.equal(r.errors, undefined);
  const pairings = r.data!.pairings;
  assert.equal(pairings.length, 2); // the default topology: each chain provides to the other
  for (const p of pairings) {
    const provider = chain(p.providerChainId);
    const consumer = chain(p.consumerChainId);
    // x/meshsecurity (spec §3.1): the contract's cap and what it has delegated
    const limit = moduleQuery(consumer, 'meshsecurity', { max_cap_limit: { contract: p.virtualStaking } }) as any;
    assert.deepEqual(p.maxCap, {
      cap: limit.cap.amount,
      denom: limit.cap.denom,
      used: limit.delegated.amount,
      available: (BigInt(limit.cap.amount) - BigInt(limit.delegated.amount)).toString(),
    });
    assert.ok(BigInt(p.maxCap.used) > 0n);
    // external staking (spec §1.4): every vault account's stakes, low and high summed
    const vault = (provider.query(p.externalStaking, { config: {} }) as any).vault as string;
    let low = 0n;
    let high = 0n;
    let stakers = 0;
    let after: string | undefined;
    for (;;) {
      const page = (provider.query(vault, { all_accounts: { start_after: after, limit: 30 } }) as any).accounts as Array<{ user: string }>;
      if (page.length === 0) break;
      for (const { user } of page) {
        const stakes = (provider.query(p.externalStaking, { stakes: { user, limit: 100 } }) as any).stakes as Array<{ stake: { stake: { l: string; h: string } } }>;
        for (const s of stakes) {
          low += BigInt(s.stake.stake.l);
          high += BigInt(s.stake.stake.h);
        }
        if (stakes.some((s) => BigInt(s.stake.stake.h) > 0n)) stakers++;
      }
      after = page.at(-1)!.user;
    }
    assert.deepEqual(p.totalCrossStake, { low: low.toString(), high: high.toString() });
    assert.equal(p.stakerCount, stakers);
    assert.ok(high > 0n);
    // converter and price feed (spec §4.4): discount = 1 − adjustment
    const cfg = consumer.query(p.converter, { config: {} }) as any;
    assert.equal(p.discount, Decimal.one.sub(Decimal.parse(cfg.adjustment)).toFixed18());
    assert.equal(cfg.virtual_staking, p.virtualStaking);
    assert.equal(cfg.price_feed, p.priceFeed);
    const price = consumer.query(p.priceFeed, { price: {} }) as any;
    assert.equal(p.price.nativePerForeign, Decimal.parse(price.native_per_foreign).toFixed18());
    // the channel: external staking's own record of it (spec §2.1)
    const ch = (provider.query(p.externalStaking, { ibc_channel: {} }) as any).channel;
    assert.deepEqual(p.providerChannel, { channelId: ch.endpoint.channel_id, state: 'OPEN', counterpartyChannelId: ch.counterparty_endpoint.channel_id });
    assert.equal(p.consumerChannel.channelId, ch.counterparty_endpoint.channel_id);
    assert.equal(p.state, 'open');

    // validators of the consumer: the provider's CRDT state of each equals list_validators (spec §4.8)
    const listed = new Map(((provider.query(p.externalStaking, { list_validators: { limit: 100 } }) as any).validators as any[]).map((v) => [v.validator, typeof v.state === 'string' ? v.state : Object.keys(v.state)[0]]));
    const vr = await h.gql(`query ($c: String!, $p: String!) { validators(chainId: $c, pairingId: $p, first: 30) { totalCount edges { node { address providerViews { pairingId state { state view } } } } } }`, {
      c: p.consumerChainId,
      p: p.id,
    });
    assert.equal(vr.errors, undefined);
    const seen = new Map<string, string>();
    for (const { node } of vr.data!.validators.edges) {
      const v = node.providerViews.find((x: any) => x.pairingId === p.id);
      if (v) seen.set(node.address, v.state.state);
    }
    assert.deepEqual(new Map([...seen].sort()), new Map([...listed].sort()));
    assert.ok(listed.size > 0);
  }
});
