// Read-only module queries of a devnet chain, answered as JSON in the shapes of the SDK's gRPC
// gateway (amounts as strings). Scenario `query` steps and the RPC's abci_query use them.
import type { Chain } from './chain/chain.ts';
import { ContractError } from './chain/types.ts';
import { maxCapLimit, maxCapLimits } from './modules/meshsecurity.ts';

type Args = Record<string, unknown>;
type QueryFn = (chain: Chain, a: Args) => unknown;

const s = (a: Args, k: string): string => {
  const v = a[k];
  if (typeof v !== 'string' || v === '') throw new ContractError(`query needs \`${k}\``);
  return v;
};

const statusName = { bonded: 'BOND_STATUS_BONDED', unbonding: 'BOND_STATUS_UNBONDING', unbonded: 'BOND_STATUS_UNBONDED' } as const;

function validatorJson(chain: Chain, op: string) {
  const v = chain.staking.validator(op);
  if (!v) throw new ContractError(`validator ${op} not found`);
  return {
    operator_address: v.operator,
    jailed: v.jailed,
    status: statusName[v.status],
    tokens: v.tokens.toString(),
    delegator_shares: v.delegatorShares.toString(),
    tombstoned: chain.slashing.isTombstoned(op),
    power: chain.staking.power(op).toString(),
  };
}

export const MODULE_QUERIES: Record<string, Record<string, QueryFn>> = {
  bank: {
    balance: (c, a) => {
      const denom = typeof a.denom === 'string' ? a.denom : c.params.bondDenom;
      return { denom, amount: c.bank.balance(s(a, 'address'), denom).toString() };
    },
    all_balances: (c, a) => c.bank.allBalances(s(a, 'address')).map((x) => ({ denom: x.denom, amount: x.amount.toString() })),
    supply: (c, a) => ({ denom: typeof a.denom === 'string' ? a.denom : c.params.bondDenom, amount: c.bank.totalSupply(typeof a.denom === 'string' ? a.denom : c.params.bondDenom).toString() }),
  },
  staking: {
    validator: (c, a) => validatorJson(c, s(a, 'validator')),
    validators: (c) => c.staking.validators().map((v) => validatorJson(c, v.operator)),
    delegation: (c, a) => {
      const d = c.staking.delegation(s(a, 'delegator'), s(a, 'validator'));
      return d ? { shares: d.shares.toString(), balance: { denom: c.params.bondDenom, amount: d.tokens.toString() } } : { shares: '0', balance: { denom: c.params.bondDenom, amount: '0' } };
    },
    delegations: (c, a) =>
      c.staking.delegationsOf(s(a, 'delegator')).map((d) => ({ validator: d.validator, shares: d.shares.toString(), balance: { denom: c.params.bondDenom, amount: d.tokens.toString() } })),
    unbonding: (c, a) => c.staking.unbondingEntries(s(a, 'delegator')).map((u) => ({ validator: u.validator, balance: u.balance.toString(), completion_time: u.completionTime.toString() })),
  },
  distribution: {
    rewards: (c, a) => ({ denom: c.params.bondDenom, amount: c.distribution.pending(s(a, 'delegator'), s(a, 'validator')).toString() }),
  },
  slashing: {
    signing_info: (c, a) => ({ tombstoned: c.slashing.isTombstoned(s(a, 'validator')), jailed: c.staking.validator(s(a, 'validator'))?.jailed ?? false }),
  },
  meshsecurity: {
    max_cap_limit: (c, a) => maxCapLimit(c, s(a, 'contract')),
    max_cap_limits: (c) => maxCapLimits(c),
  },
};

export function moduleQuery(chain: Chain, module: string, request: unknown): unknown {
  const m = MODULE_QUERIES[module];
  if (!m) throw new ContractError(`unknown module ${JSON.stringify(module)} (modules: ${Object.keys(MODULE_QUERIES).join(', ')})`);
  if (!request || typeof request !== 'object' || Object.keys(request).length !== 1) throw new ContractError(`module query must be {"<query>": {args}} (queries: ${Object.keys(m).join(', ')})`);
  const [name, args] = Object.entries(request)[0]!;
  const fn = m[name];
  if (!fn) throw new ContractError(`unknown ${module} query ${JSON.stringify(name)} (queries: ${Object.keys(m).join(', ')})`);
  return fn(chain, (args ?? {}) as Args);
}
