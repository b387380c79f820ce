// Test helper: a tiny one-chain World with two validators and funded accounts, and MsgSend txs.
import type { Chain, TxMsg } from '../chain/chain.ts';
import { World } from '../world.ts';

export function tinyDevnet(opts: { sdkVersion?: '0.47' | '0.50'; chainId?: string; txFee?: bigint; blockReward?: bigint } = {}): { world: World; chain: Chain } {
  const world = new World();
  const chain = world.addChain({
    params: {
      chainId: opts.chainId ?? 'rpc-test-1',
      prefix: 'wasm',
      bondDenom: 'ustake',
      unbondingTimeSec: 1_814_400n,
      maxValidators: 10,
      slashFractionDowntime: '0.01',
      slashFractionDoubleSign: '0.05',
      downtimeJailDurationSec: 600n,
      blockTimeNs: 5_000_000_000n,
      sdkVersion: opts.sdkVersion,
      txFee: opts.txFee,
      blockReward: opts.blockReward,
    },
    validators: [
      { name: 'val1', selfBond: 10_000_000n },
      { name: 'val2', selfBond: 5_000_000n },
    ],
    accounts: [
      { name: 'alice', balance: 1_000_000_000n },
      { name: 'bob', balance: 1_000_000_000n },
    ],
  });
  return { world, chain };
}

export const send = (chain: Chain, from: string, to: string, amount: bigint): TxMsg => ({
  typeUrl: '/cosmos.bank.v1beta1.MsgSend',
  value: { fromAddress: chain.addr(from), toAddress: chain.addr(to), amount: [{ denom: chain.params.bondDenom, amount }] },
});

/** Empty block, two sends, a failing send (wrong signer), another empty block: heights 1–5. */
export function sendBlocks(world: World, chain: Chain): void {
  world.block(chain);
  world.block(chain, [
    { signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 100n)] },
    { signer: chain.addr('bob'), msgs: [send(chain, 'bob', 'alice', 7n), send(chain, 'bob', 'alice', 8n)], memo: 'two sends' },
  ]);
  world.tx(chain, chain.addr('alice'), [send(chain, 'bob', 'alice', 1n)]);
  world.tx(chain, chain.addr('alice'), [send(chain, 'alice', 'bob', 5n)]);
  world.block(chain);
}
