// slash(id) returns a slash's whole cascade with the spec's figures: a native slash whose propagation
// burns on both chains (spec §6 V21, first example: scenarios/vectors/v21-distribute-burn-1.yaml) and a
// cross slash converted from consumer to provider units (spec §6 V3). Heights and tx hashes come from
// the devnet chains' own blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOverScenario, attrOf, blockEventHeights, chainTxs, isWasm } from './explorer.testkit.ts';

const CASCADE = /* GraphQL */ `
  query ($id: ID!) {
    slash(id: $id) {
      id kind chainId validator ratio tombstoned height txHash consumerAmount providerAmount providerChainId providerHeight totalShares
      packet { kind outcome }
      shares { staker amount propagation collateralAfter burns { id } }
      burns {
        id stage chainId lienholder staker validators amount height txHash
        packet { id kind outcome send { chainId height } receive { chainId height txHash success } acknowledgement { chainId height success } }
        validatorBurns { validator amount }
        consumerBurns { id }
        unbonds { validator kind amount bondedAfter height }
      }
      consumerUnbonds { validator amount bondedAfter height }
    }
  }`;

test('a native slash propagates and burns on both chains: V21 jail p1 → 100 → case A → burn 100 → 34/33/33 on each chain', async (t) => {
  const h = await apiOverScenario('v21-distribute-burn-1.yaml');
  t.after(() => h.close());
  const { s } = h;
  const provider = s.chain('provider');
  const consumer = s.chain('consumer');
  const [val1, val2, val3] = ['@val1', '@val2', '@val3'].map((v) => s.ref('consumer', v));
  const alice = s.ref('provider', '@alice');
  const ext = s.ref('provider', '@external_staking');

  // where it happened, from the chains' blocks: the jailing slash in a provider block, the converter's
  // burn in a consumer tx, and the next consumer epoch that unbonded
  const [slashHeight] = blockEventHeights(provider, isWasm('local_slash'));
  const burnTx = chainTxs(consumer).find((x) => x.events.some((e) => e.type === 'wasm-mesh-burn'))!;
  const ackTx = chainTxs(provider).find((x) => x.events.some((e) => e.type === 'acknowledge_packet' && attrOf(e, 'packet_src_port') === `wasm.${ext}` && x.height > slashHeight!))!;
  const epochHeight = blockEventHeights(consumer, (e) => e.type === 'instant_unbond').find((x) => x >= burnTx.height)!;
  assert.ok(slashHeight && burnTx && ackTx && epochHeight);

  const list = await h.gql('{ slashes { totalCount edges { node { id } } } }');
  assert.equal(list.data!.slashes.totalCount, 1);
  const r = await h.gql(CASCADE, { id: list.data!.slashes.edges[0].node.id });
  assert.equal(r.errors, undefined);
  const sl = r.data!.slash;

  // spec §4.3.1: slash = floor(100 × slash_ratio_offline 1) = 100, native, on p1
  assert.deepEqual(
    { kind: sl.kind, chainId: sl.chainId, validator: sl.validator, ratio: sl.ratio, tombstoned: sl.tombstoned, height: sl.height, txHash: sl.txHash, consumerAmount: sl.consumerAmount, providerAmount: sl.providerAmount, providerChainId: sl.providerChainId, providerHeight: sl.providerHeight, packet: sl.packet },
    { kind: 'NATIVE', chainId: 'provider', validator: s.ref('provider', '@p1'), ratio: '1.000000000000000000', tombstoned: false, height: slashHeight, txHash: null, consumerAmount: null, providerAmount: '100', providerChainId: 'provider', providerHeight: slashHeight, packet: null },
  );
  // spec §4.3.3: new collateral 500, free 0 < 100 → case A (liens adjustment), claimed 100
  assert.equal(sl.totalShares, '100');
  assert.equal(sl.shares.length, 1);
  assert.deepEqual({ ...sl.shares[0], burns: sl.shares[0].burns.length }, { staker: alice, amount: '100', propagation: 'LIENS_ADJUSTMENT', collateralAfter: '500', burns: 1 });

  assert.equal(sl.burns.length, 2);
  const [pb, cb] = sl.burns;
  // the cross lien 600 is clamped to 500: burn_virtual_stake(alice, 100, validator none)
  assert.deepEqual(
    { stage: pb.stage, chainId: pb.chainId, lienholder: pb.lienholder, staker: pb.staker, validators: pb.validators, amount: pb.amount, height: pb.height },
    { stage: 'external_staking', chainId: 'provider', lienholder: ext, staker: alice, validators: [], amount: '100', height: slashHeight },
  );
  // spec §4.3.5 distribute_burn([(val1,100),(val2,200),(val3,300)], 100) → 34/33/33
  assert.deepEqual(pb.validatorBurns, [
    { validator: val1, amount: '34' },
    { validator: val2, amount: '33' },
    { validator: val3, amount: '33' },
  ]);
  assert.deepEqual(
    { kind: pb.packet.kind, outcome: pb.packet.outcome, send: pb.packet.send, receive: pb.packet.receive, ack: pb.packet.acknowledgement },
    { kind: 'burn', outcome: 'ACKNOWLEDGED', send: { chainId: 'provider', height: slashHeight }, receive: { chainId: 'consumer', height: burnTx.height, txHash: burnTx.hash, success: true }, ack: { chainId: 'provider', height: ackTx.height, success: true } },
  );
  assert.deepEqual(pb.consumerBurns, [{ id: cb.id }]);
  assert.deepEqual(pb.unbonds, []);
  // the converter: price 1, discount 0 → 100 consumer units over the packet's three validators (§4.3.4, §4.4)
  assert.deepEqual(
    { stage: cb.stage, chainId: cb.chainId, validators: cb.validators, amount: cb.amount, height: cb.height, txHash: cb.txHash, packet: cb.packet.id, validatorBurns: cb.validatorBurns },
    { stage: 'converter', chainId: 'consumer', validators: [val1, val2, val3], amount: '100', height: burnTx.height, txHash: burnTx.hash, packet: pb.packet.id, validatorBurns: [] },
  );
  // virtual staking's own distribute_burn, applied at the next epoch: 100/200/300 → 66/167/267
  const unbonds = [
    { validator: val1, kind: 'unbond', amount: '34', bondedAfter: '66', height: epochHeight },
    { validator: val2, kind: 'unbond', amount: '33', bondedAfter: '167', height: epochHeight },
    { validator: val3, kind: 'unbond', amount: '33', bondedAfter: '267', height: epochHeight },
  ];
  assert.deepEqual(cb.unbonds, unbonds);
  assert.deepEqual(
    sl.consumerUnbonds,
    unbonds.map(({ kind: _, ...u }) => u),
  );
});

test('a cross slash is converted to provider units and propagates on the provider: V3 9 000 000 → 19 999 999, case A', async (t) => {
  const h = await apiOverScenario('v3-slashing-scenario-2.yaml');
  t.after(() => h.close());
  const { s } = h;
  const provider = s.chain('provider');
  const consumer = s.chain('consumer');
  const alice = s.ref('provider', '@alice');
  const reportHeight = blockEventHeights(consumer, (e) => e.type === 'wasm-valset_update' && (attrOf(e, 'slashed') ?? '') !== '')[0]!;
  const applied = chainTxs(provider).find((x) => x.events.some(isWasm('cross_slash')))!;
  assert.ok(reportHeight && applied);

  const list = await h.gql('{ slashes(filter: { kind: CROSS }) { totalCount edges { node { id } } } }');
  assert.equal(list.data!.slashes.totalCount, 1);
  const r = await h.gql(CASCADE, { id: list.data!.slashes.edges[0].node.id });
  assert.equal(r.errors, undefined);
  const sl = r.data!.slash;
  // spec §6 V3: share 9 000 000 (consumer units) → floor(floor(9M × 2) × 1.111111111111111111) = 19 999 999
  assert.deepEqual(
    { kind: sl.kind, chainId: sl.chainId, validator: sl.validator, ratio: sl.ratio, tombstoned: sl.tombstoned, height: sl.height, consumerAmount: sl.consumerAmount, providerAmount: sl.providerAmount, providerChainId: sl.providerChainId, providerHeight: sl.providerHeight, packet: sl.packet },
    { kind: 'CROSS', chainId: 'consumer', validator: s.ref('consumer', '@val1'), ratio: '0.100000000000000000', tombstoned: false, height: reportHeight, consumerAmount: '9000000', providerAmount: '19999999', providerChainId: 'provider', providerHeight: applied.height, packet: { kind: 'valset_update', outcome: 'ACKNOWLEDGED' } },
  );
  // free 0 < 19 999 999 → case A; collateral 200M − 19 999 999 = 180 000 001; the local lien 200M is clamped to 180 000 001
  assert.equal(sl.totalShares, '19999999');
  assert.deepEqual(
    sl.shares.map((x: any) => ({ ...x, burns: x.burns.length })),
    [{ staker: alice, amount: '19999999', propagation: 'LIENS_ADJUSTMENT', collateralAfter: '180000001', burns: 1 }],
  );
  assert.equal(sl.burns.length, 1);
  const b = sl.burns[0];
  assert.deepEqual(
    { stage: b.stage, chainId: b.chainId, lienholder: b.lienholder, staker: b.staker, validators: b.validators, amount: b.amount, height: b.height, txHash: b.txHash, packet: b.packet, consumerBurns: b.consumerBurns },
    { stage: 'native_staking', chainId: 'provider', lienholder: s.ref('provider', '@native_staking'), staker: alice, validators: [], amount: '19999999', height: applied.height, txHash: applied.hash, packet: null, consumerBurns: [] },
  );
  // the proxy undelegates it from alice's only local validator val0 (spec §4.3.4)
  assert.deepEqual(b.validatorBurns, [{ validator: s.ref('provider', '@val0'), amount: '19999999' }]);
  assert.deepEqual(sl.consumerUnbonds, []);
});
