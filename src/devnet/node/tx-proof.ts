// The `prove` argument of the `tx` and `tx_search` routes: the TxProof CometBFT attaches to a ResultTx
// (rpc/core/tx.go, types/tx.go Txs.Proof). The leaves are the block's tx hashes, so the root is the
// header's data_hash; the proof is `merkle.Proof` (crypto/merkle/proof.go: total and index as int64
// strings, leaf_hash and aunts in base64, aunts always present).
import { b64, hexUpper, merkleProof } from './comet-json.ts';
import type { RenderedBlock, RenderedTx } from './render.ts';

export function txProofJson(block: Pick<RenderedBlock, 'txs'>, tx: Pick<RenderedTx, 'index' | 'bytes'>): string {
  const leaves = block.txs.map((t) => Buffer.from(t.hash, 'hex'));
  const { root, leafHash, aunts } = merkleProof(leaves, tx.index);
  const proof = `{"total":"${leaves.length}","index":"${tx.index}","leaf_hash":"${b64(leafHash)}","aunts":[${aunts.map((a) => `"${b64(a)}"`).join(',')}]}`;
  return `{"root_hash":"${hexUpper(root)}","data":"${b64(tx.bytes)}","proof":${proof}}`;
}

/** A ResultTx with its proof: `proof` follows `tx` (ResultTx's field order; omitted when not asked for). */
export function provenTxJson(block: Pick<RenderedBlock, 'txs'> | undefined, tx: RenderedTx): string {
  // a block the store no longer holds gives no proof, as LoadBlock returning nil does
  if (!block) return tx.txJson;
  const json = tx.txJson;
  return `${json.slice(0, -1)},"proof":${txProofJson(block, tx)}}`;
}
