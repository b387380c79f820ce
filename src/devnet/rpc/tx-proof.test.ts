// `tx` and `tx_search` with prove=true: the TxProof CometBFT attaches (rpc/core/tx.go), read through
// cosmjs and verified here as crypto/merkle does (computeHashFromAunts) against the header's data_hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { BlockStore } from '../node/block-store.ts';
import { send, tinyDevnet } from '../node/devnet.testkit.ts';
import { startRpcServer } from './server.ts';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leaf = (b: Uint8Array) => sha(Uint8Array.of(0), b);
const inner = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);
const split = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);

/** crypto/merkle computeHashFromAunts: the last aunt is the root's other child. */
function rootFromAunts(index: number, total: number, leafHash: Uint8Array, aunts: readonly Uint8Array[]): Uint8Array {
  if (total === 1) {
    assert.equal(aunts.length, 0);
    return leafHash;
  }
  const k = split(total);
  const rest = aunts.slice(0, -1);
  const last = aunts.at(-1)!;
  return index < k ? inner(rootFromAunts(index, k, leafHash, rest), last) : inner(last, rootFromAunts(index - k, total - k, leafHash, rest));
}

test('prove=true: each tx of a 5-tx block comes with a proof that leads to the header data_hash (0.38 and 0.37)', async () => {
  for (const sdkVersion of ['0.50', '0.47'] as const) {
    const { world, chain } = tinyDevnet({ sdkVersion });
    world.block(chain);
    const amounts = [1n, 2n, 3n, 4n, 5n];
    world.block(
      chain,
      amounts.map((n) => ({ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', n)], memo: `tx ${n}` })),
    );
    const srv = await startRpcServer(new BlockStore(chain));
    const client = sdkVersion === '0.50' ? await Comet38Client.connect(srv.url) : await Tendermint37Client.connect(srv.url);
    try {
      const block = await client.block(2);
      const dataHash = block.block.header.dataHash;
      assert.equal(block.block.txs.length, 5);
      for (const [i, tx] of block.block.txs.entries()) {
        const hash = sha(tx);
        const r = await client.tx({ hash, prove: true });
        const p = r.proof!;
        assert.ok(p, 'a proof when asked for');
        assert.deepEqual(p.rootHash, dataHash);
        assert.deepEqual(p.data, tx);
        assert.deepEqual([p.proof.total, p.proof.index], [5, i]);
        assert.deepEqual(p.proof.leafHash, leaf(hash), 'the leaf is the tx hash');
        assert.deepEqual(rootFromAunts(i, 5, p.proof.leafHash, p.proof.aunts), dataHash);
        assert.equal((await client.tx({ hash })).proof, undefined, 'none when not asked for');
      }
      const search = await client.txSearch({ query: 'tx.height=2', prove: true });
      assert.equal(search.txs.length, 5);
      for (const r of search.txs) assert.deepEqual(rootFromAunts(r.index, 5, r.proof!.proof.leafHash, r.proof!.proof.aunts), dataHash);
      assert.ok((await client.txSearch({ query: 'tx.height=2' })).txs.every((r) => r.proof === undefined));
    } finally {
      client.disconnect();
      await srv.close();
    }
  }
});

test('prove=true on a one-tx block: no aunts, the leaf hash is the root, the JSON as CometBFT writes it', async () => {
  const { world, chain } = tinyDevnet();
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const srv = await startRpcServer(new BlockStore(chain));
  try {
    const hash = new BlockStore(chain).at(1n)!.txs[0]!.hash;
    const res = (await (await fetch(`${srv.url}/tx?hash=0x${hash}&prove=true`)).json()) as { result: { tx: string; proof: { root_hash: string; data: string; proof: Record<string, unknown> } } };
    const leafHash = leaf(Buffer.from(hash, 'hex'));
    assert.deepEqual(res.result.proof, {
      root_hash: Buffer.from(leafHash).toString('hex').toUpperCase(),
      data: res.result.tx,
      proof: { total: '1', index: '0', leaf_hash: Buffer.from(leafHash).toString('base64'), aunts: [] },
    });
    assert.deepEqual(Object.keys(res.result), ['hash', 'height', 'index', 'tx_result', 'tx', 'proof']);
  } finally {
    await srv.close();
  }
});
