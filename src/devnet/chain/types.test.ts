import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attr, withAttribute } from './types.ts';

test('withAttribute appends to a copy and leaves the input as it was', () => {
  const attrs = [attr('a', '1'), attr('b', '2')];
  const out = withAttribute(attrs, attr('msg_index', 0));
  assert.deepEqual(out, [attr('a', '1'), attr('b', '2'), attr('msg_index', '0')]);
  assert.notEqual(out, attrs);
  assert.deepEqual(attrs, [attr('a', '1'), attr('b', '2')]);
  assert.deepEqual(withAttribute([], attr('mode', 'EndBlock')), [attr('mode', 'EndBlock')]);
});
