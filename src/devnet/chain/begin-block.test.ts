// BeginBlock as a wasmd chain runs it: x/mint (provision → mint module → fee collector, then `mint`),
// x/distribution (the fee collector's whole balance → distribution, every block, then one allocation by
// power), then the scheduled x/slashing and x/evidence work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBech32 } from '@cosmjs/encoding';
import { BlockStore } from '../node/block-store.ts';
import { send, tinyDevnet } from '../node/devnet.testkit.ts';
import { BLOCKS_PER_YEAR } from './mint.ts';
import type { Event } from './types.ts';

const FEE = 1_000n;
const REWARD = 4_000_000n;

const chainWithReward = (blockReward: bigint) => tinyDevnet({ txFee: FEE, blockReward });

const rows = (events: Event[]) => events.map((e) => [e.type, ...e.attributes.filter((a) => a.key !== 'mode').map((a) => `${a.key}=${a.value}`)]);

test('x/mint sends the provision to the fee collector; x/distribution pays it out with the fees, in one allocation', () => {
  const { world, chain } = chainWithReward(REWARD);
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const supply = chain.bank.totalSupply('ustake');
  const bonded = chain.staking.totalBondedTokens();
  const b = world.block(chain);
  const mint = chain.mint.moduleAddress;
  const fees = chain.moduleAddr('fee_collector');
  const distr = chain.distribution.moduleAddress;
  // this block's provision, the last block's fee, and height 1's provision (AllocateTokens skips height 1)
  const total = 2n * REWARD + FEE;
  const begin = rows(b.beginEvents);
  assert.deepEqual(begin.slice(0, 12), [
    ['coin_received', `receiver=${mint}`, `amount=${REWARD}ustake`],
    ['coinbase', `minter=${mint}`, `amount=${REWARD}ustake`],
    ['coin_spent', `spender=${mint}`, `amount=${REWARD}ustake`],
    ['coin_received', `receiver=${fees}`, `amount=${REWARD}ustake`],
    ['transfer', `recipient=${fees}`, `sender=${mint}`, `amount=${REWARD}ustake`],
    ['message', `sender=${mint}`],
    [
      'mint',
      // bonded tokens over the supply before the mint; annual provisions = provision × blocks a year
      `bonded_ratio=0.${((bonded * 10n ** 18n) / supply).toString().padStart(18, '0')}`,
      `inflation=${(((REWARD * BLOCKS_PER_YEAR * 10n ** 18n) / supply) / 10n ** 18n).toString()}.${(((REWARD * BLOCKS_PER_YEAR * 10n ** 18n) / supply) % 10n ** 18n).toString().padStart(18, '0')}`,
      `annual_provisions=${REWARD * BLOCKS_PER_YEAR}.000000000000000000`,
      `amount=${REWARD}`,
    ],
    ['coin_spent', `spender=${fees}`, `amount=${total}ustake`],
    ['coin_received', `receiver=${distr}`, `amount=${total}ustake`],
    ['transfer', `recipient=${distr}`, `sender=${fees}`, `amount=${total}ustake`],
    ['message', `sender=${fees}`],
    // then commission (a zero rate: an empty amount) and rewards once per validator, by power (10M : 5M)
    ['commission', 'amount=', `validator=${chain.valoper('val1')}`],
  ]);
  const rewards = b.beginEvents.filter((e) => e.type === 'rewards');
  assert.equal(rewards.length, 2, 'one allocation a block, not one for the mint and one for the fees');
  assert.deepEqual(
    rewards.map((e) => e.attributes.find((a) => a.key === 'amount')!.value),
    [`${(total * 2n) / 3n}.000000000000000000ustake`, `${total / 3n}.000000000000000000ustake`],
  );
  assert.equal(chain.bank.balance(fees, 'ustake'), 0n);
});

test('without x/mint, x/distribution still moves the (empty) fee collector every block; scheduled slashing comes after it', () => {
  const { world, chain } = chainWithReward(0n);
  world.block(chain);
  const val2 = chain.valoper('val2');
  chain.scheduleBegin(() => chain.slashing.jailForDowntime(val2, chain.time, chain.height));
  const b = world.block(chain);
  const fees = chain.moduleAddr('fee_collector');
  const distr = chain.distribution.moduleAddress;
  assert.deepEqual(rows(b.beginEvents).slice(0, 4), [
    ['coin_spent', `spender=${fees}`, 'amount='],
    ['coin_received', `receiver=${distr}`, 'amount='],
    ['transfer', `recipient=${distr}`, `sender=${fees}`, 'amount='],
    ['message', `sender=${fees}`],
  ]);
  assert.equal(b.beginEvents.filter((e) => e.type === 'rewards').length, 0);
  assert.equal(b.beginEvents.filter((e) => e.type === 'coinbase').length, 0, 'no x/mint: nothing minted');
  const types = b.beginEvents.map((e) => e.type);
  assert.ok(types.indexOf('slash') > types.lastIndexOf('transfer'), types.join(' '));
  // x/slashing names the validator by consensus address: its CometBFT address, as the blocks' validator set has it
  const slash = b.beginEvents.find((e) => e.type === 'slash' && e.attributes.some((a) => a.key === 'reason'))!;
  const address = slash.attributes.find((a) => a.key === 'address')!.value;
  const { prefix, data } = fromBech32(address, 90);
  assert.equal(prefix, 'wasmvalcons');
  const signer = new BlockStore(chain).valsetAt(b.height - 1n).find((v) => v.operator === val2)!;
  assert.equal(Buffer.from(data).toString('hex').toUpperCase(), signer.address);
  assert.equal(slash.attributes.find((a) => a.key === 'jailed')!.value, address);
  // height 1 allocates nothing (AllocateTokens runs from height 2)
  const fresh = chainWithReward(0n);
  assert.deepEqual(fresh.world.block(fresh.chain).beginEvents, []);
});
