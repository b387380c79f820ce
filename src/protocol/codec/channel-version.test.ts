import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJson, encodeJson } from './schema.ts';
import { ChannelVersion, MESH_PROTOCOL, MESH_PROTOCOL_VERSION } from './packets.ts';

test('channel version (spec §2.1) round-trips and ignores unknown fields', () => {
  const text = '{"protocol":"mesh-security","version":"0.11.0"}';
  assert.equal(encodeJson(ChannelVersion, decodeJson(ChannelVersion, text)), text);
  assert.deepEqual(decodeJson(ChannelVersion, '{"version":"0.11.0","extra":{"x":[1]},"protocol":"mesh-security"}'), {
    protocol: MESH_PROTOCOL,
    version: MESH_PROTOCOL_VERSION,
  });
  assert.throws(() => decodeJson(ChannelVersion, '{"protocol":"mesh-security"}'), /missing field `version`/);
});
