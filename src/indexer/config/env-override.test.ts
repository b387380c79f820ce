import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRpcEnv, rpcEnvName } from './env-override.ts';
import { ProjectError, loadProject, parseProject } from './project.ts';

const defaultProject = () => loadProject(new URL('../../../project.yaml', import.meta.url).pathname);

test('variable names: chain id upper-cased, every non-alphanumeric as _', () => {
  assert.equal(rpcEnvName('osmo-devnet-1'), 'MESH_RPC_OSMO_DEVNET_1');
  assert.equal(rpcEnvName('cosmoshub-4'), 'MESH_RPC_COSMOSHUB_4');
  assert.equal(rpcEnvName('my.chain_x/2'), 'MESH_RPC_MY_CHAIN_X_2');
});

test('a set variable replaces that chain’s endpoints (comma list, trimmed, in order); others keep project.yaml', () => {
  const r = applyRpcEnv(defaultProject(), {
    MESH_RPC_OSMO_DEVNET_1: ' http://devnet:26657 , https://rpc.example.org:443/x ,',
    MESH_RPC_JUNO_DEVNET_1: '',
    PATH: '/usr/bin',
  });
  assert.deepEqual(
    r.project.chains.map((c) => [c.id, c.rpc]),
    [
      ['osmo-devnet-1', ['http://devnet:26657', 'https://rpc.example.org:443/x']],
      ['juno-devnet-1', ['http://127.0.0.1:26658']],
    ],
  );
  assert.deepEqual(r.applied, [{ chainId: 'osmo-devnet-1', variable: 'MESH_RPC_OSMO_DEVNET_1', rpc: ['http://devnet:26657', 'https://rpc.example.org:443/x'] }]);
  assert.deepEqual(r.unmatched, []);
  // the rest of the chain is untouched
  assert.equal(r.project.chains[0]!.codeIds.get(1), 'vault');
  assert.equal(r.project.chains[0]!.bech32Prefix, 'osmo');
});

test('the project passed in is not modified', () => {
  const p = defaultProject();
  applyRpcEnv(p, { MESH_RPC_OSMO_DEVNET_1: 'http://other:1' });
  assert.deepEqual(p.chains[0]!.rpc, ['http://127.0.0.1:26657']);
});

test('variables that name no chain are reported, not applied', () => {
  const r = applyRpcEnv(defaultProject(), { MESH_RPC_COSMOSHUB_4: 'http://hub:26657', MESH_RPC_OSMO_DEVNET_2: 'http://x:1', MESH_RPC_EMPTY: ' ' });
  assert.deepEqual(r.unmatched, ['MESH_RPC_COSMOSHUB_4', 'MESH_RPC_OSMO_DEVNET_2']);
  assert.deepEqual(r.applied, []);
});

test('bad URLs are errors naming the variable, all at once', () => {
  assert.throws(
    () => applyRpcEnv(defaultProject(), { MESH_RPC_OSMO_DEVNET_1: 'devnet:26657', MESH_RPC_JUNO_DEVNET_1: 'http://ok:1,ftp://x, http://' }),
    (e: unknown) =>
      e instanceof ProjectError &&
      e.problems.length === 2 &&
      e.problems[0] === 'MESH_RPC_OSMO_DEVNET_1: not an http(s) URL: "devnet:26657"' &&
      e.problems[1] === 'MESH_RPC_JUNO_DEVNET_1: not an http(s) URL: "ftp://x", "http://"',
  );
});

test('two chain ids mapping to one variable: setting it is an error, leaving it unset is fine', () => {
  const p = parseProject(`
chains:
  - { id: a-1, bech32_prefix: a, rpc: [http://h:1], code_ids: { vault: 1 } }
  - { id: a.1, bech32_prefix: a, rpc: [http://h:2], code_ids: { vault: 1 } }
`);
  assert.throws(() => applyRpcEnv(p, { MESH_RPC_A_1: 'http://x:1' }), /MESH_RPC_A_1: ambiguous, chains a-1 and a\.1/);
  assert.deepEqual(applyRpcEnv(p, {}).project.chains.map((c) => c.rpc), [['http://h:1'], ['http://h:2']]);
});
