// Native slashing amounts (spec §4.3.1); V6/V7 figures: floor(100 000 000 × 0.10) = 10 000 000.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from './decimal.ts';
import { jailingSteps, nativeSlashInfos } from './native-slash.ts';

const ratios = { slashRatioDsign: Decimal.parse('0.20'), slashRatioOffline: Decimal.parse('0.10') };

describe('native slashing', () => {
  it('tombstoned first at the double-sign ratio, then jailed at the offline ratio', () => {
    const steps = jailingSteps(['valA', 'valB'], ['valC'], ratios);
    assert.deepEqual(
      steps.map((s) => [s.validator, s.reason, s.ratio.toString()]),
      [
        ['valC', 'double_sign', '0.2'],
        ['valA', 'offline', '0.1'],
        ['valB', 'offline', '0.1'],
      ],
    );
    assert.deepEqual(jailingSteps([], [], ratios), []);
  });

  it('V6/V7: downtime slash of a 100M delegation is 10M', () => {
    const { slashes, dropped } = nativeSlashInfos([['alice', 100_000_000n]], ratios.slashRatioOffline);
    assert.deepEqual(slashes, [{ user: 'alice', slash: 10_000_000n }]);
    assert.deepEqual(dropped, []);
  });

  it('floors, skips zero delegations, keeps zero slashes of non-zero delegations', () => {
    const { slashes, dropped } = nativeSlashInfos(
      [
        ['a', 99n],
        ['b', 0n],
        ['c', 4n],
        ['d', 1_000_000_007n],
      ],
      ratios.slashRatioDsign,
    );
    assert.deepEqual(slashes, [
      { user: 'a', slash: 19n },
      { user: 'c', slash: 0n },
      { user: 'd', slash: 200_000_001n },
    ]);
    assert.deepEqual(dropped, ['b']);
  });
});
