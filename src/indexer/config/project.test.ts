import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectError, loadProject, parseProject } from './project.ts';

test('the default project.yaml describes the devnet default topology', () => {
  const p = loadProject(new URL('../../../project.yaml', import.meta.url).pathname);
  assert.deepEqual(
    p.chains.map((c) => [c.id, c.bech32Prefix, c.rpc, c.startHeight]),
    [
      ['osmo-devnet-1', 'osmo', ['http://127.0.0.1:26657'], 1],
      ['juno-devnet-1', 'juno', ['http://127.0.0.1:26658'], 1],
    ],
  );
  assert.equal(p.chains[0]!.codeIds.get(1), 'vault');
  assert.equal(p.chains[0]!.codeIds.get(7), 'price_feed');
  assert.deepEqual(p.pairings.map((x) => x.id), ['osmo-juno', 'juno-osmo']);
});

test('every problem is reported with its path', () => {
  const bad = `
chains:
  - id: a
    bech32_prefix: A1
    rpc: [ftp://x]
    start_height: 0
    code_ids: { vaults: 1, vault: x }
    contracts: [{ kind: vault, address: osmo1xyz }]
    extra: 1
pairings:
  - { id: p, provider: a, consumer: b }
`;
  assert.throws(
    () => parseProject(bad, 'test.yaml'),
    (e: unknown) =>
      e instanceof ProjectError &&
      ['chains[0].extra: unknown key', 'chains[0].bech32_prefix', 'not an http(s) URL', 'chains[0].start_height', 'chains[0].code_ids.vaults: unknown contract kind', 'chains[0].code_ids.vault: expected a code id', 'pairings[0].consumer: unknown chain b'].every((s) =>
        e.message.includes(s),
      ),
  );
  assert.throws(() => parseProject('chains: [', 'x.yaml'), /x.yaml: not valid YAML/);
  assert.throws(() => parseProject('{}'), /chains: expected a non-empty list/);
});
