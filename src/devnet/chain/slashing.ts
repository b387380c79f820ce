// x/slashing + x/evidence (SDK v0.47): downtime slash-and-jail, double-sign slash/jail/tombstone,
// MsgUnjail. Liveness tracking (signed-blocks window) is left out: callers decide when a validator
// is down. The valoper stands in for the consensus address in events.
import { JMap, type Journal } from '../state/journal.ts';
import type { LegacyDec } from './legacy-dec.ts';
import type { Staking } from './staking.ts';
import { type Event, ModuleError, attr, event, nsPerSecond } from './types.ts';

export interface SlashInfo {
  /** Power the slash is computed from (current power for downtime, evidence power for double sign). */
  power: bigint;
  /** The distribution height handed to staking's Slash (downtime: height − 2, double sign: evidence height − 1). */
  infractionHeight: bigint;
  fraction: LegacyDec;
  doubleSign: boolean;
}

/**
 * Decorators around the slashing module's calls into staking/evidence, as the mesh apps wire them
 * (x/meshsecurity StakingDecorator / SlashingKeeperDecorator, x/meshsecurityprovider's decorator that
 * sudo-calls native-staking before the real slash). Each returns the events it emitted.
 */
export interface SlashingHooks {
  beforeSlash?(op: string, info: SlashInfo): Event[] | void;
  afterSlash?(op: string, info: SlashInfo & { amount: bigint }): Event[] | void;
  onJail?(op: string): Event[] | void;
  onUnjail?(op: string): Event[] | void;
  onTombstone?(op: string): Event[] | void;
}

export interface SigningInfo {
  /** ns since the Unix epoch. */
  jailedUntil: bigint;
  tombstoned: boolean;
}

export interface SlashingOptions {
  slashFractionDowntime: LegacyDec;
  slashFractionDoubleSign: LegacyDec;
  downtimeJailDurationSec: bigint;
  /**
   * A validator's consensus address in bech32 (`<prefix>valcons1…`): x/slashing's `slash` events name
   * validators by it, not by operator (x/slashing keeper infractions.go, Jail, SlashWithInfractionReason).
   */
  consAddress: (operator: string) => string;
}

/** evidencetypes.DoubleSignJailEndTime = 9999-12-31T23:59:59Z. */
export const DOUBLE_SIGN_JAIL_END_TIME = 253_402_300_799n * nsPerSecond;

/** x/slashing error codes (`x/slashing/types/errors.go`). */
export const SlashingErr = {
  noValidatorForAddress: 2,
  validatorJailed: 4,
  validatorNotJailed: 5,
  missingSelfDelegation: 6,
  selfDelegationTooLowToUnjail: 7,
} as const;

const MESSAGES: Record<number, string> = {
  2: 'address is not associated with any known validator',
  4: 'validator still jailed; cannot be unjailed',
  5: 'validator not jailed; cannot be unjailed',
  6: 'validator has no self-delegation; cannot be unjailed',
  7: "validator's self delegation less than minimum; cannot be unjailed",
};

const slashingError = (code: number, context?: string): ModuleError =>
  new ModuleError('slashing', code, context === undefined ? MESSAGES[code]! : `${context}: ${MESSAGES[code]!}`);

export class Slashing {
  private readonly infos: JMap<SigningInfo>;
  private hookList: SlashingHooks[] = [];

  constructor(
    private readonly journal: Journal,
    private readonly staking: Staking,
    private readonly opts: SlashingOptions,
  ) {
    this.infos = new JMap(journal);
  }

  /** Replaces the decorator list; decorators run in the order given. */
  setHooks(...hooks: SlashingHooks[]): void {
    this.hookList = hooks;
  }

  /** Appends a decorator (modules installed later wrap the ones already there). */
  addHooks(hooks: SlashingHooks): void {
    this.hookList = [...this.hookList, hooks];
  }

  private hooks(call: (h: SlashingHooks) => Event[] | void): Event[] {
    const out: Event[] = [];
    for (const h of this.hookList) {
      const r = call(h);
      if (r) out.push(...r);
    }
    return out;
  }

  slashFractions(): { downtime: LegacyDec; doubleSign: LegacyDec } {
    return { downtime: this.opts.slashFractionDowntime, doubleSign: this.opts.slashFractionDoubleSign };
  }

  /** The signing info, once the validator has been jailed by this module. */
  signingInfo(op: string): SigningInfo | undefined {
    return this.infos.get(op);
  }

  isTombstoned(op: string): boolean {
    return this.infos.get(op)?.tombstoned ?? false;
  }

  /**
   * HandleValidatorSignature once the missed-blocks threshold is crossed: slash at the power CometBFT
   * knows and the downtime fraction, emit `slash`, jail, set jailed-until. A jailed or unknown
   * validator is skipped, as in the SDK.
   */
  jailForDowntime(op: string, now: bigint, height: bigint): Event[] {
    return this.journal.atomic(() => {
      const v = this.staking.validator(op);
      if (!v || v.jailed) return [];
      const power = this.staking.lastPower(op) ?? this.staking.power(op);
      // distributionHeight = height − ValidatorUpdateDelay − 1
      const info: SlashInfo = {
        power,
        infractionHeight: height - 2n,
        fraction: this.opts.slashFractionDowntime,
        doubleSign: false,
      };
      const { events, amount } = this.slash(op, info, now, height);
      events.push(
        event(
          'slash',
          attr('address', this.opts.consAddress(op)),
          attr('power', power),
          attr('reason', 'missing_signature'),
          attr('jailed', this.opts.consAddress(op)),
          attr('burned_coins', amount),
        ),
      );
      this.staking.jail(op);
      events.push(...this.hooks((h) => h.onJail?.(op)));
      const prev = this.infos.get(op);
      this.infos.set(op, {
        jailedUntil: now + this.opts.downtimeJailDurationSec * nsPerSecond,
        tombstoned: prev?.tombstoned ?? false,
      });
      return events;
    });
  }

  /**
   * HandleEquivocationEvidence: slash the evidence power at the double-sign fraction, jail (if not
   * yet), jail forever, tombstone. Unknown, unbonded or already tombstoned validators are ignored.
   */
  doubleSign(op: string, evidencePower: bigint, infractionHeight: bigint, now: bigint, height: bigint): Event[] {
    return this.journal.atomic(() => {
      const v = this.staking.validator(op);
      if (!v || v.status === 'unbonded') return [];
      if (this.isTombstoned(op)) return [];
      // distributionHeight = infraction height − ValidatorUpdateDelay
      const info: SlashInfo = {
        power: evidencePower,
        infractionHeight: infractionHeight - 1n,
        fraction: this.opts.slashFractionDoubleSign,
        doubleSign: true,
      };
      const { events, amount } = this.slash(op, info, now, height);
      events.push(
        event(
          'slash',
          attr('address', this.opts.consAddress(op)),
          attr('power', evidencePower),
          attr('reason', 'double_sign'),
          attr('burned_coins', amount),
        ),
      );
      if (!v.jailed) {
        // slashing Keeper.Jail: staking jail, then its own `slash{jailed}` event.
        this.staking.jail(op);
        events.push(...this.hooks((h) => h.onJail?.(op)));
        events.push(event('slash', attr('jailed', this.opts.consAddress(op))));
      }
      this.infos.set(op, { jailedUntil: DOUBLE_SIGN_JAIL_END_TIME, tombstoned: true });
      events.push(...this.hooks((h) => h.onTombstone?.(op)));
      return events;
    });
  }

  /** MsgUnjail, with the SDK's checks in the SDK's order. */
  unjail(op: string, now: bigint): Event[] {
    return this.journal.atomic(() => {
      const v = this.staking.validator(op);
      if (!v) throw slashingError(SlashingErr.noValidatorForAddress);
      const self = this.staking.delegation(v.selfDelegator, op);
      if (!self) throw slashingError(SlashingErr.missingSelfDelegation);
      if (self.tokens < v.minSelfDelegation) {
        throw slashingError(SlashingErr.selfDelegationTooLowToUnjail, `${self.tokens} less than ${v.minSelfDelegation}`);
      }
      if (!v.jailed) throw slashingError(SlashingErr.validatorNotJailed);
      // No signing info = jailed by staking (min self-delegation): may unjail at any time.
      const info = this.infos.get(op);
      if (info) {
        if (info.tombstoned) throw slashingError(SlashingErr.validatorJailed);
        if (now < info.jailedUntil) throw slashingError(SlashingErr.validatorJailed);
      }
      this.staking.unjail(op);
      return this.hooks((h) => h.onUnjail?.(op));
    });
  }

  /** Decorated SlashWithInfractionReason: beforeSlash hooks, staking's slash, afterSlash hooks. */
  private slash(op: string, info: SlashInfo, now: bigint, height: bigint): { events: Event[]; amount: bigint } {
    const events = this.hooks((h) => h.beforeSlash?.(op, info));
    const r = this.staking.slashWithEvents(op, info.power, info.fraction, {
      infractionHeight: info.infractionHeight,
      height,
      now,
    });
    events.push(...r.events);
    events.push(...this.hooks((h) => h.afterSlash?.(op, { ...info, amount: r.amount })));
    return { events, amount: r.amount };
  }
}
