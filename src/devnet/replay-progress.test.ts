// The resume replay's progress line: rounds, share, rate and time left; redrawn on a TTY, printed every
// so often otherwise; the last line always printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration } from '../progress-text.ts';
import { replayProgress } from './replay-progress.ts';

function fakeOut(isTTY: boolean) {
  const writes: string[] = [];
  return { out: { isTTY, write: (t: string) => writes.push(t) }, writes };
}

test('not a TTY: a line every everyMs with rate and time left, and the final line', () => {
  const { out, writes } = fakeOut(false);
  let t = 0;
  const p = replayProgress(86_400, { out, now: () => t, everyMs: 5000 });
  t = 2000; // the deployment, between the line's making and the replay's first report, is not replay time
  p.update(0);
  t = 3000;
  p.update(55);
  assert.deepEqual(writes, []); // within the first 5 s
  t = 12_000;
  p.update(550);
  assert.deepEqual(writes, ['devnet: replayed 550/86,400 rounds (0.6%), 55 rounds/s, 26m01s left\n']);
  t = 14_000;
  p.update(660);
  assert.equal(writes.length, 1);
  t = 1_573_000;
  p.update(86_400);
  p.end();
  assert.equal(writes.at(-1), 'devnet: replayed 86,400/86,400 rounds (100.0%), 55 rounds/s\n');
});

test('a TTY: the line is redrawn in place and ends with a newline', () => {
  const { out, writes } = fakeOut(true);
  let t = 0;
  const p = replayProgress(100, { out, now: () => t });
  p.update(0);
  t = 300;
  p.update(30);
  t = 400;
  p.update(40); // within 250 ms of the last line
  t = 1000;
  p.update(100);
  p.end();
  assert.deepEqual(writes, [
    '\r\x1b[2Kdevnet: replayed 30/100 rounds (30.0%), 100 rounds/s, 1s left',
    '\r\x1b[2Kdevnet: replayed 100/100 rounds (100.0%), 100 rounds/s',
    '\r\x1b[2Kdevnet: replayed 100/100 rounds (100.0%), 100 rounds/s\n',
  ]);
});

test('a replay cut short ends on "stopped", not on a time left', () => {
  const { out, writes } = fakeOut(false);
  let t = 0;
  const p = replayProgress(1000, { out, now: () => t, everyMs: 5000 });
  p.update(0);
  t = 6000;
  p.update(300);
  t = 7000;
  p.update(350);
  p.end();
  assert.deepEqual(writes, ['devnet: replayed 300/1,000 rounds (30.0%), 50 rounds/s, 14s left\n', 'devnet: replayed 350/1,000 rounds (35.0%), 50 rounds/s, stopped\n']);
});

test('formatDuration rounds up to the second without a 60th second', () => {
  assert.deepEqual([0.2, 45, 59.5, 60, 119.5, 187, 3599.2, 3600, 7500].map(formatDuration), ['1s', '45s', '1m00s', '1m00s', '2m00s', '3m07s', '1h00m', '1h00m', '2h05m']);
});
