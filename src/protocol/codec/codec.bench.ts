// Micro-benchmark of the contract JSON codec on the messages the devnet's contracts read and write
// most: vault / external-staking / converter execute messages, query answers, IBC packets and acks.
// Three ways in and out, as the devnet uses them:
//   bytes→value   decodeJson(schema, utf8 bytes)   (IBC packet data, `Binary` payloads)
//   object→value  schema.decode(JSON.parse result) (messages routed between contracts as objects)
//   value→text    encodeJson(schema, value)        (packets, acks, `to_json_binary` answers)
//   npx tsx src/protocol/codec/codec.bench.ts [--seconds 0.4] [--filter stake]
import { parseArgs } from 'node:util';
import { Decimal } from '../decimal.ts';
import { AckWrapper } from './acks.ts';
import * as converter from './converter.ts';
import * as externalStaking from './external-staking.ts';
import { ConsumerPacket, ProviderPacket } from './packets.ts';
import { StakeMsg } from './common.ts';
import { decodeJson, encodeJson } from './schema.ts';
import type { Schema } from './schema.ts';
import * as vault from './vault.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '0.4' }, filter: { type: 'string', default: '' } } });
const seconds = Number(values.seconds);

const addr = (n: number) => `osmo1${'qpzry9x8gf2tvdw0s3jn54khce6mua7l'.repeat(2).slice(n % 7, n % 7 + 38)}`;
const valoper = (n: number) => `osmovaloper1${'x8gf2tvdw0s3jn54khce6mua7lqpzry9'.repeat(2).slice(n % 5, n % 5 + 38)}`;
const coin = (amount: bigint) => ({ denom: 'stake', amount });
const utf8 = new TextEncoder();
const stakeMsg = utf8.encode(encodeJson(StakeMsg, { validator: valoper(1) }));
const validator = (n: number) => ({
  address: valoper(n),
  commission: Decimal.parse('0.1'),
  max_commission: Decimal.parse('0.2'),
  max_change_rate: Decimal.parse('0.01'),
});

interface Case<T> {
  name: string;
  schema: Schema<T>;
  value: T;
}
const c = <T>(name: string, schema: Schema<T>, value: T): Case<unknown> => ({ name, schema, value }) as Case<unknown>;

const CASES: Case<unknown>[] = [
  c('vault bond', vault.ExecuteMsg, { kind: 'bond', value: { amount: coin(1_000_000n) } }),
  c('vault stake_remote', vault.ExecuteMsg, { kind: 'stake_remote', value: { contract: addr(2), amount: coin(80_000_000n), msg: stakeMsg } }),
  c('vault commit_tx', vault.ExecuteMsg, { kind: 'commit_tx', value: { tx_id: 9_223_372_036_854_775_808n } }),
  c('vault account_details answer', vault.QUERY_RESPONSES.account_details, {
    denom: 'stake',
    bonded: 1_000_000_000n,
    free: { l: 200_000_000n, h: 250_000_000n },
    max_lien: { l: 700_000_000n, h: 800_000_000n },
    total_slashable: { l: 70_000_000n, h: 80_000_000n },
  }),
  c('StakeMsg (Binary payload)', StakeMsg, { validator: valoper(3) }),
  c('ext-staking receive_virtual_stake', externalStaking.ExecuteMsg, {
    kind: 'receive_virtual_stake',
    value: { owner: addr(4), amount: coin(80_000_000n), tx_id: 17n, msg: stakeMsg },
  }),
  c('ext-staking stake answer', externalStaking.QUERY_RESPONSES.stake, {
    stake: { l: 100_000_000n, h: 150_000_000n },
    pending_unbonds: [{ amount: 10_000_000n, release_at: 1_767_225_600_000_000_000n }],
    points_alignment: 2n ** 255n - 12_345n,
    withdrawn_funds: 0n,
  }),
  c('converter valset_update', converter.ExecuteMsg, {
    kind: 'valset_update',
    value: { additions: [validator(1), validator(2)], removals: [], updated: [validator(3)], jailed: [valoper(4)], unjailed: [], tombstoned: [], slashed: [] },
  }),
  c('converter distribute_rewards', converter.ExecuteMsg, {
    kind: 'distribute_rewards',
    value: { payments: [1, 2, 3, 4].map((n) => ({ validator: valoper(n), reward: BigInt(n) * 1_234_567n })) },
  }),
  c('packet provider stake', ProviderPacket, {
    kind: 'stake',
    value: { delegator: addr(5), validator: valoper(5), stake: coin(80_000_000n), tx_id: 42n },
  }),
  c('packet consumer valset_update', ConsumerPacket, {
    kind: 'valset_update',
    value: {
      height: 1_234_567n,
      time: 1_767_225_600n,
      additions: [{ valoper: valoper(6), pub_key: 'A'.repeat(44) }],
      removals: [],
      updated: [],
      jailed: [valoper(7)],
      unjailed: [],
      tombstoned: [],
      slashed: [
        {
          address: valoper(7),
          infraction_height: 1_234_500n,
          infraction_time: 1_767_225_000n,
          power: 46n,
          slash_amount: coin(9_999_999n),
          slash_ratio: '0.100000000000000000',
        },
      ],
    },
  }),
  c('packet consumer distribute_batch', ConsumerPacket, {
    kind: 'distribute_batch',
    value: { rewards: [1, 2, 3].map((n) => ({ validator: valoper(n), reward: BigInt(n) * 1000n })), denom: 'stake' },
  }),
  c('ack result', AckWrapper, { kind: 'result', value: utf8.encode('{}') }),
].filter((k) => k.name.includes(values.filter));

/** What JSON.parse gives a contract for its message: u64 as numbers (the devnet routes objects). */
function asObject(text: string): unknown {
  return JSON.parse(text);
}

function sameText(f: () => string, text: string): boolean {
  try {
    return f() === text;
  } catch {
    return false;
  }
}

function rate(fn: () => void): number {
  for (let k = 0; k < 2000; k++) fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    for (let k = 0; k < 200; k++) fn();
    n += 200;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(11);
console.log(`${'message'.padEnd(36)} ${'bytes'.padStart(5)} ${'bytes→value'.padStart(11)} ${'object→value'.padStart(12)} ${'value→text'.padStart(11)}   (ops/s)`);
const logs: number[][] = [[], [], []];
for (const k of CASES) {
  const text = encodeJson(k.schema, k.value);
  const bytes = utf8.encode(text);
  // the three paths must agree with each other before they are timed
  if (encodeJson(k.schema, decodeJson(k.schema, bytes)) !== text) throw new Error(`${k.name}: bytes round trip differs`);
  const obj = asObject(text);
  const safe = sameText(() => encodeJson(k.schema, k.schema.decode(obj)), text); // not when JSON.parse rounded a u64 above 2^53
  const r = [
    rate(() => decodeJson(k.schema, bytes)),
    safe ? rate(() => k.schema.decode(obj)) : NaN,
    // charCodeAt flattens the rope a concatenated string is, as encoding it to bytes would
    rate(() => encodeJson(k.schema, k.value).charCodeAt(0)),
  ];
  r.forEach((x, i) => Number.isFinite(x) && logs[i]!.push(Math.log(x)));
  console.log(`${k.name.padEnd(36)} ${String(bytes.length).padStart(5)} ${fmt(r[0]!)} ${Number.isFinite(r[1]) ? fmt(r[1]!).padStart(12) : '—'.padStart(12)} ${fmt(r[2]!)}`);
}
const geo = (xs: number[]) => Math.exp(xs.reduce((a, b) => a + b, 0) / xs.length);
console.log(`${'geometric mean'.padEnd(36)} ${''.padStart(5)} ${fmt(geo(logs[0]!))} ${fmt(geo(logs[1]!)).padStart(12)} ${fmt(geo(logs[2]!))}`);
